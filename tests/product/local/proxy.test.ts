import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaHandler } from '../../../infra/src/local';
import { API_KEY, echoHandler, method, settingsOf, specOf, startGateway, type Started } from './support/gateway';
import { tempDir } from '../../support/files';

const key = { 'x-api-key': API_KEY };
const spec = specOf([
  method('GET', '/health', { apiKeyRequired: false }),
  method('GET', '/items'),
  method('POST', '/items'),
  method('GET', '/items/{id}'),
  method('GET', '/files/{proxy+}'),
]);

/** Sends a request with repeated and oddly-cased headers, which fetch would merge or lower-case (Node sends names as given). */
function rawRequest(url: string, options: { method?: string; headers: http.OutgoingHttpHeaders }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the proxy event a handler receives (docs/apigateway-behaviour.md §5)', () => {
  let gw: Started;
  const echo = echoHandler();
  beforeAll(async () => {
    gw = await startGateway({ spec, handler: echo.handler });
  });
  afterAll(() => gw.close());
  const last = () => echo.events[echo.events.length - 1];

  it('has every top-level key, with null for what is absent (§5.1, §5.2)', async () => {
    await fetch(`${gw.url}/health`);
    const event = last();
    expect(Object.keys(event).sort()).toEqual(
      ['body', 'headers', 'httpMethod', 'isBase64Encoded', 'multiValueHeaders', 'multiValueQueryStringParameters', 'path', 'pathParameters', 'queryStringParameters', 'requestContext', 'resource', 'stageVariables'].sort(),
    );
    expect(event).toMatchObject({ resource: '/health', path: '/health', httpMethod: 'GET', queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false });
  });

  it('carries the request id of the x-amzn-RequestId header, and the stage in requestContext.path (§5.6)', async () => {
    const res = await fetch(`${gw.url}/items/abc/`, { headers: key });
    const ctx = last().requestContext;
    expect(ctx.requestId).toBe(res.headers.get('x-amzn-requestid'));
    expect(ctx.extendedRequestId).toBe(res.headers.get('x-amz-apigw-id'));
    expect(ctx).toMatchObject({ path: '/dev/items/abc/', stage: 'dev', resourcePath: '/items/{id}', httpMethod: 'GET', protocol: 'HTTP/1.1', accountId: expect.any(String), apiId: expect.any(String) });
    expect(ctx.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Number.isInteger(ctx.requestTimeEpoch)).toBe(true);
    expect(last()).toMatchObject({ path: '/items/abc/', resource: '/items/{id}', pathParameters: { id: 'abc' } });
    expect(Object.keys(ctx.identity)).toEqual(expect.arrayContaining(['sourceIp', 'userAgent', 'caller', 'user', 'userArn', 'accessKey', 'accountId', 'cognitoIdentityId']));
    expect(ctx.identity.sourceIp).toBe('127.0.0.1');
  });

  it('sets identity.apiKey and apiKeyId only on key-required methods (§3.8)', async () => {
    await fetch(`${gw.url}/items`, { headers: key });
    expect(last().requestContext.identity).toMatchObject({ apiKey: API_KEY, apiKeyId: expect.stringMatching(/^\w+$/) });
    await fetch(`${gw.url}/health`, { headers: key });
    expect(last().requestContext.identity).not.toHaveProperty('apiKey');
    expect(last().requestContext.identity).not.toHaveProperty('apiKeyId');
  });

  it('decodes the query: last value wins in the single map, all in the multi map (§1.15, §5.3)', async () => {
    await fetch(`${gw.url}/items?category=electronics&category=books&plus=test+alias@gmail.com&email=test%2Balias@gmail.com&flag`, { headers: key });
    expect(last().queryStringParameters).toEqual({ category: 'books', plus: 'test alias@gmail.com', email: 'test+alias@gmail.com', flag: '' });
    expect(last().multiValueQueryStringParameters).toEqual({ category: ['electronics', 'books'], plus: ['test alias@gmail.com'], email: ['test+alias@gmail.com'], flag: [''] });
  });

  it('keeps a greedy path value as sent, percent-encoding included (§1.14)', async () => {
    await fetch(`${gw.url}/files/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com`, { headers: key });
    expect(last().pathParameters).toEqual({ proxy: 'api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com' });
    expect(last().path).toBe('/files/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com');
  });

  it('keeps header casing, re-cases Authorization/User-Agent, drops Content-Length/Connection, adds the edge headers (§5.4)', async () => {
    const status = await rawRequest(`${gw.url}/items`, {
      headers: { 'x-api-key': API_KEY, 'tEsT-HEADeR': ['one', 'two'], authorization: 'Bearer x', 'user-agent': 'ua/1', Connection: 'keep-alive' },
    });
    expect(status).toBe(200);
    const { headers, multiValueHeaders } = last();
    expect(headers['tEsT-HEADeR']).toBe('two');
    expect(multiValueHeaders['tEsT-HEADeR']).toEqual(['one', 'two']);
    expect(headers.Authorization).toBe('Bearer x');
    expect(headers['User-Agent']).toBe('ua/1');
    expect(last().requestContext.identity.userAgent).toBe('ua/1');
    const names = Object.keys(headers).map((h) => h.toLowerCase());
    expect(names).not.toContain('content-length');
    expect(names).not.toContain('connection');
    expect(headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(headers['X-Forwarded-Proto']).toBe('http');
    expect(headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(headers.Via).toBeDefined();
  });

  it('appends the client address to a sent X-Forwarded-For, and replaces the edge headers a client forged', async () => {
    await rawRequest(`${gw.url}/items`, { headers: { 'x-api-key': API_KEY, 'X-Forwarded-For': '10.0.0.1', 'x-forwarded-proto': 'gopher' } });
    const { headers, multiValueHeaders } = last();
    expect(headers['X-Forwarded-For']).toBe('10.0.0.1, 127.0.0.1');
    expect(headers['X-Forwarded-Proto']).toBe('http');
    expect(Object.keys(multiValueHeaders).filter((h) => h.toLowerCase() === 'x-forwarded-proto')).toEqual(['X-Forwarded-Proto']);
  });

  it('passes a text body as a string, not base64 (§5.5: no binary media types deployed)', async () => {
    await fetch(`${gw.url}/items`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: '{"a":"é"}' });
    expect(last()).toMatchObject({ body: '{"a":"é"}', isBase64Encoded: false, httpMethod: 'POST' });
  });
});

describe('the proxy response a handler returns (docs/apigateway-behaviour.md §6)', () => {
  let gw: Started;
  let respond: (event: any) => unknown = () => ({});
  beforeAll(async () => {
    gw = await startGateway({ spec, handler: async (event) => respond(event), binaryMediaTypes: ['image/png'] });
  });
  afterAll(() => gw.close());
  const get = (headers: Record<string, string> = {}) => fetch(`${gw.url}/items`, { headers: { ...key, ...headers } });

  it.each([
    ['{} → 200, empty body, JSON content type (§6.1, §6.7)', {}, 200, '', 'application/json'],
    ['headers only → 200 (§6.1)', { headers: { 'x-a': '1' } }, 200, '', 'application/json'],
    ['a numeric string statusCode (§6.2)', { statusCode: '201', body: 'x' }, 201, 'x', 'application/json'],
    ['the function’s own content type is kept', { statusCode: 418, headers: { 'Content-Type': 'text/plain' }, body: 'teapot' }, 418, 'teapot', 'text/plain'],
    ['headers: null is allowed (§6.5)', { statusCode: 204, headers: null }, 204, '', 'application/json'],
  ])('%s', async (_name, result, status, body, contentType) => {
    respond = () => result;
    const res = await get();
    expect(res.status).toBe(status);
    expect(await res.text()).toBe(body);
    expect(res.headers.get('content-type')).toBe(contentType);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-amz-apigw-id')).toBeTruthy();
    expect(res.headers.get('x-amzn-trace-id')).toMatch(/^Root=1-/);
  });

  it.each([
    ['an extra top-level key (§6.3)', { statusCode: 200, body: '', wrongValue: 1 }],
    ['cookies, a payload 2.0 key (§6.3)', { statusCode: 200, cookies: ['a=b'] }],
    ['a non-numeric statusCode (§6.2)', { statusCode: 'test' }],
    ['an object body (§6.4)', { statusCode: 200, body: { a: 1 } }],
    ['a bare string (§6.4)', 'hello'],
    ['nothing at all (§6.4)', undefined],
    ['a multiValueHeaders value that is not a list (§6.4)', { multiValueHeaders: { a: 'b' } }],
  ])('%s → 502 {"message": "Internal server error"}', async (_name, result) => {
    respond = () => result;
    const res = await get();
    expect(res.status).toBe(502);
    expect(res.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(await res.text()).toBe('{"message": "Internal server error"}');
    expect(gw.errors.at(-1)).toContain('Malformed Lambda proxy response');
  });

  it('stringifies boolean header values (§6.5)', async () => {
    respond = () => ({ headers: { 'x-bool': true } });
    expect((await get()).headers.get('x-bool')).toBe('true');
  });

  it('merges multiValueHeaders and headers, multi first (§6.6)', async () => {
    respond = () => ({ multiValueHeaders: { 'test-multi': ['value1', 'value2'], 'x-both': ['value-multi'] }, headers: { 'x-both': 'value-solo' } });
    const res = await get();
    expect(res.headers.get('test-multi')).toBe('value1, value2');
    expect(res.headers.get('x-both')).toBe('value-multi, value-solo');
  });

  it('keeps a key-value pair given in both maps once: "only the values from multiValueHeaders" (§6.6)', async () => {
    respond = () => ({ multiValueHeaders: { 'x-both': ['a', 'b'] }, headers: { 'x-both': 'b', 'X-Both': 'c' } });
    expect((await get()).headers.get('x-both')).toBe('a, b, c');
  });

  it('sends each Set-Cookie of multiValueHeaders as its own header', async () => {
    respond = () => ({ multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] } });
    expect((await get()).headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('decodes a base64 body only when the first Accept type is a binary media type (§6.8)', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    respond = () => ({ headers: { 'content-type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true });
    expect(Buffer.from(await (await get({ accept: 'image/png' })).arrayBuffer())).toEqual(png);
    expect(await (await get({ accept: '*/*' })).text()).toBe(png.toString('base64'));
    expect(await (await get()).text()).toBe(png.toString('base64'));
  });

  it('invalid base64 for a binary conversion is a 500 (§6.9)', async () => {
    respond = () => ({ body: 'not base64!', isBase64Encoded: true });
    const res = await get({ accept: 'image/png' });
    expect(res.status).toBe(500);
    expect(JSON.parse(await res.text())).toEqual({ message: 'Internal server error' });
  });
});

describe('integration failures', () => {
  it('a handler that throws: 502 {"message": "Internal server error"}, the error logged', async () => {
    const gw = await startGateway({ spec, handler: () => { throw new Error('boom'); } });
    try {
      const res = await fetch(`${gw.url}/items`, { headers: key });
      expect(res.status).toBe(502);
      expect(res.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
      expect(res.headers.get('content-length')).toBe('36');
      expect(JSON.parse(await res.text())).toEqual({ message: 'Internal server error' });
      expect(gw.errors.join('\n')).toContain('boom');
    } finally {
      await gw.close();
    }
  });

  it('a handler slower than the integration timeout: 504 {"message": "Endpoint request timed out"} (§7.2)', async () => {
    let release!: () => void;
    const slow: LambdaHandler = () => new Promise((resolve) => (release = () => resolve({ statusCode: 200 })));
    const gw = await startGateway({ spec, handler: slow, integrationTimeoutMs: 100 });
    try {
      const res = await fetch(`${gw.url}/items`, { headers: key });
      expect(res.status).toBe(504);
      expect(res.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
      expect(await res.text()).toBe('{"message": "Endpoint request timed out"}');
    } finally {
      release();
      await gw.close();
    }
  });

  it('a response over Lambda’s 6 MB payload limit: 502 (§6.10)', async () => {
    const gw = await startGateway({ spec, handler: async () => ({ statusCode: 200, body: 'x'.repeat(6 * 1024 * 1024 + 1) }) });
    try {
      const res = await fetch(`${gw.url}/items`, { headers: key });
      expect(res.status).toBe(502);
      expect(JSON.parse(await res.text())).toEqual({ message: 'Internal server error' });
    } finally {
      await gw.close();
    }
  });

  it('a function timeout shorter than the gateway’s: a function error, 502', async () => {
    let release!: () => void;
    const slow: LambdaHandler = () => new Promise((resolve) => (release = () => resolve({ statusCode: 200 })));
    // lambdaTimeout is whole seconds: 1 s against a 29 s gateway.
    const gw = await startGateway({ spec, handler: slow, settings: settingsOf({ lambdaTimeout: '1' }) });
    try {
      const res = await fetch(`${gw.url}/items`, { headers: key });
      expect(res.status).toBe(502);
      expect(gw.errors.join('\n')).toContain('Task timed out after 1.00 seconds');
    } finally {
      release();
      await gw.close();
    }
  });

  it('a bundle file is imported once and its handler invoked, again after reload(); a failing import is a 502', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const path = await import('node:path');
    const os = await import('node:os');
    const dir = tempDir('emulator-');
    await writeFile(path.join(dir, 'ok.mjs'), 'export const handler = async (e) => ({ statusCode: 200, body: e.path });');
    await writeFile(path.join(dir, 'broken.mjs'), 'throw new Error("init failed");');
    const ok = await startGateway({ spec, bundleFile: path.join(dir, 'ok.mjs') });
    const broken = await startGateway({ spec, bundleFile: path.join(dir, 'broken.mjs') });
    try {
      expect(await (await fetch(`${ok.url}/items`, { headers: key })).text()).toBe('/items');
      expect((await fetch(`${broken.url}/items`, { headers: key })).status).toBe(502);
      expect(broken.errors.join('\n')).toContain('init failed');
      // A rebuilt bundle is imported afresh after reload(), like a new deployment.
      await writeFile(path.join(dir, 'ok.mjs'), 'export const handler = async () => ({ body: "v2" });');
      expect(await (await fetch(`${ok.url}/items`, { headers: key })).text()).toBe('/items');
      ok.reload();
      expect(await (await fetch(`${ok.url}/items`, { headers: key })).text()).toBe('v2');
    } finally {
      await ok.close();
      await broken.close();
    }
  });
});

describe('payload limits (§6.10, §7.1)', () => {
  let gw: Started;
  const echo = echoHandler();
  beforeAll(async () => {
    gw = await startGateway({ spec, handler: echo.handler });
  });
  afterAll(() => gw.close());

  it('over 10 MB: 413 in plain text, without the x-amzn headers, handler not called', async () => {
    const res = await fetch(`${gw.url}/items`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: new Uint8Array(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('text; charset=utf-8');
    expect(res.headers.get('x-amzn-requestid')).toBeNull();
    expect(await res.text()).toBe('HTTP content length exceeded 10485760 bytes.');
    expect(echo.events).toHaveLength(0);
  });

  it('over the 6 MB invoke limit: 413 {"message": "Request Too Long"}, BadRequestException', async () => {
    const res = await fetch(`${gw.url}/items`, { method: 'POST', headers: { ...key, 'content-type': 'text/plain' }, body: 'x'.repeat(7 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(await res.text()).toBe('{"message": "Request Too Long"}');
    expect(echo.events).toHaveLength(0);
  });

  it('just under 6 MB reaches the handler', async () => {
    const res = await fetch(`${gw.url}/items`, { method: 'POST', headers: { ...key, 'content-type': 'text/plain' }, body: 'x'.repeat(5 * 1024 * 1024) });
    expect(res.status).toBe(200);
    expect(echo.events).toHaveLength(1);
  });
});
