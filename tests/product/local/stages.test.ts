import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { DeployedMethod } from '../../../infra/src/local/definition';
import { gatewayErrors, renderGatewayError } from '../../../infra/src/local/errors';
import { localPage } from '../../../infra/src/local/local-pages';
import { checkMethodAccess, type MethodAccessChecks } from '../../../infra/src/local/method-access';
import { preflightAnswer } from '../../../infra/src/local/preflight';
import { callProxyIntegration, type ProxyIntegration } from '../../../infra/src/local/proxy-integration';
import { MAX_INVOKE_BYTES, readRequestBody, requestLineAndHeadersRefusal } from '../../../infra/src/local/request';
import { noRouteError, resolveStage } from '../../../infra/src/local/stage-routing';
import { TokenBuckets, UsagePlan } from '../../../infra/src/local/usage-plan';
import { apiEvent } from '../../support/events';

/**
 * The local gateway's stages one by one (infra/src/local/pipeline.ts composes them): what each answers
 * without an HTTP server around it. The suites in this folder drive the same stages over real HTTP. § numbers are docs/apigateway-behaviour.md's.
 */
const ids = { requestId: 'req-1', extendedRequestId: 'ext-1=' };

describe('the edge quota stage (§7.3)', () => {
  const req = (url: string, headerValues: string[]) => ({ method: 'GET', url, httpVersion: '1.1', rawHeaders: headerValues.flatMap((v, i) => [`X-H${i}`, v]) });
  it('passes a request at the quota, refuses one byte more: 431 for headers, 414 for the request line', () => {
    const line = Buffer.byteLength('GET / HTTP/1.1');
    expect(requestLineAndHeadersRefusal(req('/', ['a'.repeat(10_240 - line)]))).toBeUndefined();
    expect(requestLineAndHeadersRefusal(req('/', ['a'.repeat(10_241 - line)]))).toMatchObject({ status: 431, headers: { Connection: 'close' }, body: '{"message":"HTTP header is larger than 10240 bytes."}' });
    expect(requestLineAndHeadersRefusal(req(`/${'a'.repeat(10_240)}`, []))?.status).toBe(414);
  });
});

describe('the body stage (§7.1, §2.6)', () => {
  const request = (chunks: Buffer[], contentLength?: number) => Object.assign(Readable.from(chunks), { headers: contentLength === undefined ? {} : { 'content-length': String(contentLength) } });
  it('returns the body whole, and refuses past the limit in plain text, declared or streamed', async () => {
    expect(await readRequestBody(request([Buffer.from('ab'), Buffer.from('cd')]), 4)).toEqual({ body: Buffer.from('abcd') });
    const streamed = await readRequestBody(request([Buffer.from('abc'), Buffer.from('de')]), 4);
    expect(streamed).toEqual({ refusal: { status: 413, headers: { 'Content-Type': 'text; charset=utf-8', Connection: 'close' }, body: 'HTTP content length exceeded 4 bytes.' } });
    expect(await readRequestBody(request([Buffer.from('a')], 5), 4)).toHaveProperty('refusal.status', 413);
  });
});

describe('the local pages stage', () => {
  it('serves /openapi.json with the listening base URL only when there is a document, and only for GET/HEAD', async () => {
    const openapi = (baseUrl: string) => ({ servers: [{ url: baseUrl }] });
    const page = await localPage('GET', '/openapi.json', openapi, 'http://127.0.0.1:1');
    expect(page?.status).toBe(200);
    expect(JSON.parse(String(page?.body))).toEqual({ servers: [{ url: 'http://127.0.0.1:1' }] });
    expect(await localPage('POST', '/openapi.json', openapi, '')).toBeUndefined();
    expect(await localPage('GET', '/openapi.json', undefined, '')).toBeUndefined();
    expect(await localPage('GET', '/docs', undefined, '')).toBeUndefined();
    expect((await localPage('GET', '/docs', openapi, ''))?.headers['Content-Type']).toMatch(/^text\/html/);
  });
});

describe('the stage stage (§1.6, §1.7)', () => {
  it('maps the stage URL and the base-path mapping to the API path', () => {
    expect(resolveStage('/dev/todos', 'dev', undefined, ids)).toEqual({ path: '/todos', viaBasePath: false });
    expect(resolveStage('/dev/', 'dev', undefined, ids)).toEqual({ path: '/', viaBasePath: false });
    expect(resolveStage('/v1/todos', 'dev', 'v1', ids)).toEqual({ path: '/todos', viaBasePath: true });
    expect(resolveStage('/dev/todos', 'dev', 'v1', ids)).toEqual({ path: '/todos', viaBasePath: false });
  });
  it('answers an unknown stage with the bare 403 ForbiddenException, before any gateway response applies', () => {
    expect(resolveStage('/prod/todos', 'dev', undefined, ids)).toEqual({
      refusal: { status: 403, headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'req-1', 'x-amz-apigw-id': 'ext-1=', 'x-amzn-ErrorType': 'ForbiddenException' }, body: '{"message":"Forbidden"}' },
    });
    expect(resolveStage('/devx', 'dev', undefined, ids)).toHaveProperty('refusal.status', 403);
  });
  it('answers the stage alone, without its slash, with MISSING_AUTHENTICATION_TOKEN', () => {
    expect(resolveStage('/dev', 'dev', undefined, ids)).toEqual({ error: gatewayErrors.missingAuthenticationToken() });
  });
  it('answers no route with MISSING_AUTHENTICATION_TOKEN, or INCOMPLETE_SIGNATURE for a non-SigV4 Authorization without "=" (§1.8)', () => {
    expect(noRouteError(undefined).errorType).toBe('MissingAuthenticationTokenException');
    expect(noRouteError('Bearer abc').errorType).toBe('IncompleteSignatureException');
    expect(noRouteError('AWS4-HMAC-SHA256 Credential').errorType).toBe('MissingAuthenticationTokenException');
    expect(noRouteError('Basic a=b').errorType).toBe('MissingAuthenticationTokenException');
  });
});

describe('the method access stage (§12.8, §3.16, §3.10)', () => {
  const KEY = 'TheOneKeyOfTheUsagePlan0123';
  const method = (over: Partial<DeployedMethod> = {}): DeployedMethod => ({
    method: 'GET', resourcePath: '/todos', key: 'GET /todos', apiKeyRequired: true, requestParameters: {}, requestModels: {}, validates: { body: false, parameters: false }, integration: { type: 'aws_proxy' }, ...over,
  });
  const authorizer = { name: 'pool', header: 'Authorization', providerArns: [], scopes: [] } as unknown as NonNullable<DeployedMethod['authorizer']>;
  const checks = (over: Partial<MethodAccessChecks> = {}): MethodAccessChecks => ({
    verifyToken: async () => ({ ok: true, claims: { sub: 'u1' } }),
    apiKey: KEY,
    usagePlan: new UsagePlan({ throttle: { rateLimit: 100, burstLimit: 100 }, quota: { limit: 1000, period: 'DAY' } }, () => 0),
    stageThrottle: new TokenBuckets({ rateLimit: 100, burstLimit: 100 }, () => 0),
    ...over,
  });

  it('admits the right key, and a public method without one', async () => {
    expect(await checkMethodAccess(method(), { 'x-api-key': KEY }, checks())).toEqual({ ok: true });
    expect(await checkMethodAccess(method({ apiKeyRequired: false }), {}, checks())).toEqual({ ok: true });
  });

  it('answers a missing or wrong key with INVALID_API_KEY, without counting it against the usage plan', async () => {
    const admit = vi.fn(() => null);
    expect(await checkMethodAccess(method(), {}, checks({ usagePlan: { admit } }))).toEqual({ ok: false, error: gatewayErrors.invalidApiKey() });
    expect(await checkMethodAccess(method(), { 'x-api-key': 'another' }, checks({ usagePlan: { admit } }))).toEqual({ ok: false, error: gatewayErrors.invalidApiKey() });
    expect(admit).not.toHaveBeenCalled();
  });

  it('runs the authorizer before the key: a refused token is 401 even without a key; an accepted one gives its claims', async () => {
    const refuse = checks({ verifyToken: async () => ({ ok: false, error: gatewayErrors.unauthorized() }) });
    expect(await checkMethodAccess(method({ authorizer }), {}, refuse)).toEqual({ ok: false, error: gatewayErrors.unauthorized() });
    const verifyToken = vi.fn(async () => ({ ok: true as const, claims: { sub: 'u1' } }));
    expect(await checkMethodAccess(method({ authorizer }), { authorization: 'token', 'x-api-key': KEY }, checks({ verifyToken }))).toEqual({ ok: true, claims: { sub: 'u1' } });
    expect(verifyToken).toHaveBeenCalledWith(authorizer, 'token');
  });

  it("answers the usage plan's limit, then the stage throttle per method, with their 429s", async () => {
    expect(await checkMethodAccess(method(), { 'x-api-key': KEY }, checks({ usagePlan: { admit: () => gatewayErrors.quotaExceeded() } }))).toEqual({ ok: false, error: gatewayErrors.quotaExceeded() });
    const stageThrottle = new TokenBuckets({ rateLimit: 1, burstLimit: 1 }, () => 0);
    const publicGet = method({ apiKeyRequired: false });
    expect(await checkMethodAccess(publicGet, {}, checks({ stageThrottle }))).toEqual({ ok: true });
    expect(await checkMethodAccess(publicGet, {}, checks({ stageThrottle }))).toEqual({ ok: false, error: gatewayErrors.throttled() });
    // Another method has its own bucket.
    expect(await checkMethodAccess(method({ apiKeyRequired: false, method: 'POST' }), {}, checks({ stageThrottle }))).toEqual({ ok: true });
  });
});

describe('the preflight stage (§8)', () => {
  const mock = { headers: { 'Access-Control-Allow-Methods': 'GET,OPTIONS' } };
  it("answers 200 {} with the method response's headers; Allow-Origin is * or the listed Origin, none for an unlisted one", () => {
    expect(preflightAnswer({ ...mock, origins: '*' }, 'https://a.example', ids)).toEqual({
      status: 200,
      headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'req-1', 'x-amz-apigw-id': 'ext-1=', 'Access-Control-Allow-Methods': 'GET,OPTIONS', 'Access-Control-Allow-Origin': '*' },
      body: '{}',
    });
    expect(preflightAnswer({ ...mock, origins: ['https://a.example'] }, 'https://a.example', ids).headers['Access-Control-Allow-Origin']).toBe('https://a.example');
    expect(preflightAnswer({ ...mock, origins: ['https://a.example'] }, 'https://b.example', ids).headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(preflightAnswer({ ...mock, origins: ['https://a.example'] }, undefined, ids).headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });
});

describe('gateway responses (§2, §8.5)', () => {
  const ctx = { requestId: 'req-1', extendedRequestId: 'ext-1=', stage: 'dev', apiId: 'local', httpMethod: 'GET', path: '/dev/x', headers: { origin: 'https://a.example' } };
  const echo = [{ type: 'DEFAULT_4XX', headers: { 'gatewayresponse.header.X-Echo': 'method.request.header.Origin' }, templates: {} }];

  it('a method.request.header mapping reads the header sent with exactly that name: header names are case-sensitive on API Gateway (§8.5)', () => {
    const render = (rawHeaders: string[]) => renderGatewayError(gatewayErrors.invalidApiKey(), echo, { ...ctx, rawHeaders }).headers['X-Echo'];
    expect(render(['Origin', 'https://a.example'])).toBe('https://a.example');
    expect(render(['origin', 'https://a.example'])).toBeUndefined();
  });

  it('REQUEST_TOO_LARGE is never customised, so a 413 carries no CORS header (§2.5, §8.6)', () => {
    const cors = [{ type: 'DEFAULT_4XX', headers: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" }, templates: {} }];
    expect(renderGatewayError(gatewayErrors.invalidApiKey(), cors, ctx).headers['Access-Control-Allow-Origin']).toBe('*');
    expect(renderGatewayError(gatewayErrors.requestTooLong(), cors, ctx).headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });
});

describe('the proxy integration stage (§6, §6.10, §7.2)', () => {
  const integration = (handler: ProxyIntegration['handler'], logError = vi.fn()): ProxyIntegration => ({
    handler,
    invoke: { functionName: 'f', memorySize: 128, functionTimeoutMs: 1000, integrationTimeoutMs: 2000 },
    binaryMediaTypes: [],
    timeoutSeconds: 1,
    logError,
  });

  it("maps the function's proxy response to HTTP", async () => {
    const out = await callProxyIntegration(apiEvent('GET', '/x'), undefined, 'r', integration(async () => ({ statusCode: 201, headers: { 'X-A': '1' }, body: 'made' })));
    expect(out).toMatchObject({ ok: true, response: { status: 201, body: Buffer.from('made') } });
    expect(out.ok && out.response.headers['X-A']).toBe('1');
  });

  it('refuses an event over the 6 MB invoke limit with 413 Request Too Long, without invoking the function', async () => {
    const handler = vi.fn();
    const out = await callProxyIntegration(apiEvent('POST', '/x', { body: 'a'.repeat(MAX_INVOKE_BYTES) }), undefined, 'r', integration(handler));
    expect(out).toEqual({ ok: false, error: gatewayErrors.requestTooLong() });
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers a thrown error, a response over 6 MB and a malformed response with 502, the reason in the log", async () => {
    for (const [handler, logged] of [
      [async () => { throw new Error('boom'); }, 'Lambda function error: Error: boom'],
      [async () => ({ statusCode: 200, body: 'a'.repeat(MAX_INVOKE_BYTES) }), 'exceeds the 6291456-byte invoke limit'],
      [async () => ({ statusCode: 200, extra: true }), 'Malformed Lambda proxy response'],
    ] as const) {
      const logError = vi.fn();
      expect(await callProxyIntegration(apiEvent('GET', '/x'), undefined, 'r', integration(handler, logError))).toEqual({ ok: false, error: gatewayErrors.integrationFailure() });
      expect(logError.mock.calls.join('\n')).toContain(logged);
    }
  });

  it("answers the function's own timeout with 502, and the integration timeout first with 504", async () => {
    const never = () => new Promise(() => undefined);
    const logError = vi.fn();
    const fn = integration(never, logError);
    expect(await callProxyIntegration(apiEvent('GET', '/x'), undefined, 'r', { ...fn, invoke: { ...fn.invoke, functionTimeoutMs: 20, integrationTimeoutMs: 1000 } })).toEqual({ ok: false, error: gatewayErrors.integrationFailure() });
    expect(logError).toHaveBeenCalledWith('[r] Task timed out after 1.00 seconds');
    expect(await callProxyIntegration(apiEvent('GET', '/x'), undefined, 'r', { ...fn, invoke: { ...fn.invoke, functionTimeoutMs: 1000, integrationTimeoutMs: 20 } })).toEqual({ ok: false, error: gatewayErrors.integrationTimeout() });
  });
});
