import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, echoHandler, method, settingsOf, specOf, startGateway, type Started } from './support/gateway';
import type { ModelSpec } from '../../../infra/src/core/plan/types';

// The § numbers below are statements of docs/apigateway-behaviour.md.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const ItemModel: ModelSpec = {
  name: 'Item',
  contentType: 'application/json',
  schema: {
    type: 'object',
    required: ['title'],
    properties: { title: { type: 'string', minLength: 1 }, priority: { enum: ['low', 'high'] }, count: { type: 'integer', minimum: 1 } },
    additionalProperties: false,
  },
};

const spec = specOf(
  [
    method('GET', '/health', { apiKeyRequired: false }),
    method('GET', '/items'),
    method('POST', '/items', { requestModels: { 'application/json': 'Item' }, validator: 'BODY' }),
    method('GET', '/search', {
      requestParameters: { 'method.request.querystring.q': true, 'method.request.header.x-tenant': true, 'method.request.querystring.page': false },
      validator: 'PARAMS',
    }),
    method('PUT', '/search', {
      requestParameters: { 'method.request.querystring.q': true },
      requestModels: { 'application/json': 'Item' },
      validator: 'BODY_AND_PARAMS',
    }),
  ],
  [ItemModel],
);

/** Asserts the headers every gateway-made response carries (§2.7) and returns the parsed body. */
async function gatewayError(res: Response, status: number, errorType: string): Promise<unknown> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('x-amzn-errortype')).toBe(errorType);
  expect(res.headers.get('x-amzn-requestid')).toMatch(UUID);
  expect(res.headers.get('x-amz-apigw-id')).toMatch(/^[A-Za-z0-9]{14}=$/);
  return JSON.parse(await res.text());
}

describe('the local gateway in front of a handler', () => {
  let gw: Started;
  const echo = echoHandler();
  beforeAll(async () => {
    gw = await startGateway({ spec, handler: echo.handler });
  });
  afterAll(() => gw.close());
  const key = { 'x-api-key': API_KEY };

  describe('routing 403s (§1)', () => {
    it('no resource: 403 Missing Authentication Token, byte-exact (§1.1)', async () => {
      const res = await fetch(`${gw.url}/nowhere`, { headers: key });
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(res.headers.get('content-length')).toBe('42');
      expect(await res.text()).toBe('{"message":"Missing Authentication Token"}');
    });

    it.each([
      ['a method the resource lacks (§1.2)', 'DELETE', '/items'],
      ['HEAD on a GET-only resource (§1.10)', 'HEAD', '/items'],
      ['the stage alone, no trailing slash (§1.6)', 'GET', ''],
      ['the root, which has no method (§1.5)', 'GET', '/'],
    ])('%s: 403 MissingAuthenticationToken', async (_name, httpMethod, path) => {
      const res = await fetch(`${gw.url}${path}`, { method: httpMethod, headers: key });
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      if (httpMethod !== 'HEAD') expect(JSON.parse(await res.text())).toEqual({ message: 'Missing Authentication Token' });
    });

    it('a first segment that is not the stage: 403 Forbidden, ForbiddenException (§1.7)', async () => {
      const res = await fetch(`${gw.root}/prod/items`, { headers: key });
      expect(await gatewayError(res, 403, 'ForbiddenException')).toEqual({ message: 'Forbidden' });
    });

    it('no resource, with a non-SigV4 Authorization header: 403 IncompleteSignatureException (§1.8, UNCONFIRMED body)', async () => {
      const res = await fetch(`${gw.url}/nowhere`, { headers: { ...key, Authorization: 'Bearer abc' } });
      const body = (await gatewayError(res, 403, 'IncompleteSignatureException')) as { message: string };
      expect(body.message).toContain('not a valid key=value pair (missing equal-sign) in Authorization header');
      // A routed request with the same header is served normally.
      expect((await fetch(`${gw.url}/items`, { headers: { ...key, Authorization: 'Bearer abc' } })).status).toBe(200);
    });

    it('a literal resource also matches with a trailing slash (§1.11)', async () => {
      const res = await fetch(`${gw.url}/items/`, { headers: key });
      expect(res.status).toBe(200);
    });
  });

  describe('the API key (§3)', () => {
    it.each([
      ['no key', {}],
      ['a wrong key', { 'x-api-key': 'WrongKey0123456789abcdef' }],
      ['an empty key', { 'x-api-key': '' }],
    ])('%s on a key-required method: 403 {"message":"Forbidden"}, 23 bytes, and the handler is not called', async (_name, headers) => {
      const before = echo.events.length;
      const res = await fetch(`${gw.url}/items`, { headers });
      expect(res.headers.get('content-length')).toBe('23');
      expect(await gatewayError(res, 403, 'ForbiddenException')).toEqual({ message: 'Forbidden' });
      expect(echo.events.length).toBe(before);
    });

    it('the header name is case-insensitive (§3.5)', async () => {
      expect((await fetch(`${gw.url}/items`, { headers: { 'X-API-Key': API_KEY } })).status).toBe(200);
    });

    it('a public method ignores the key entirely (§3.7)', async () => {
      expect((await fetch(`${gw.url}/health`)).status).toBe(200);
      expect((await fetch(`${gw.url}/health`, { headers: { 'x-api-key': 'nonsense' } })).status).toBe(200);
    });
  });

  describe('request validation before the integration (§4)', () => {
    it('missing required parameters: 400 naming them, handler not called (§4.2, §4.3)', async () => {
      const before = echo.events.length;
      const res = await fetch(`${gw.url}/search`, { headers: key });
      const body = (await gatewayError(res, 400, 'BadRequestException')) as { message: string };
      expect(body.message).toBe('Missing required request parameters: [q, x-tenant]');
      expect(echo.events.length).toBe(before);
    });

    it('a blank parameter counts as missing; headers match case-insensitively (§4.2)', async () => {
      const res = await fetch(`${gw.url}/search?q=`, { headers: { ...key, 'X-Tenant': 'acme' } });
      expect(((await gatewayError(res, 400, 'BadRequestException')) as { message: string }).message).toBe('Missing required request parameters: [q]');
      expect((await fetch(`${gw.url}/search?q=x`, { headers: { ...key, 'X-Tenant': 'acme' } })).status).toBe(200);
    });

    it('the body is checked against the draft-04 model: the deployed error shape with the validator detail, also in the execution log (§2.10)', async () => {
      const res = await fetch(`${gw.url}/items`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: JSON.stringify({ priority: 'urgent', extra: 1 }) });
      const body = (await gatewayError(res, 400, 'BadRequestException')) as { message: string; detail: string };
      expect(body.message).toBe('Invalid request body');
      expect(body.detail).toContain('object has missing required properties (["title"])');
      const logged = gw.errors.at(-1)!;
      expect(logged).toContain('Request validation failed: Invalid request body');
      expect(logged).toContain('object has missing required properties (["title"])');
      expect(logged).toContain('object instance has properties which are not allowed by the schema: ["extra"]');
      expect(logged).toContain('instance value ("urgent") not found in enum');
    });

    it('lists every missing and every extra property in one message each, as API Gateway’s validator does (§2.10)', async () => {
      const res = await fetch(`${gw.url}/items`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: JSON.stringify({ zeta: 1, alpha: 2 }) });
      expect(res.status).toBe(400);
      expect(gw.errors.at(-1)).toContain('[object has missing required properties (["title"]), object instance has properties which are not allowed by the schema: ["alpha","zeta"]]');
    });

    it('an execution-log event is cut at 1,024 bytes, as API Gateway cuts it (§9.5): a 7 MB field is not logged whole', async () => {
      const res = await fetch(`${gw.url}/items`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x', priority: 'é'.repeat(3_500_000) }) });
      expect(res.status).toBe(400);
      const logged = gw.errors.at(-1)!;
      expect(logged).toContain('Request validation failed: Invalid request body');
      expect(Buffer.byteLength(logged)).toBeLessThanOrEqual(1024);
      expect(Buffer.byteLength(logged)).toBeGreaterThan(1020);
      expect(logged).not.toContain('\uFFFD');
    });

    // The template quotes validationErrorString, which API Gateway substitutes JSON-escaped (§2.10;
    // infra/src/core/definition/cors.ts BAD_REQUEST_BODY_TEMPLATE).
    it('the 400 body is byte-for-byte the deployed template: the message keeps AWS spacing (§2.6), the detail is escaped (§2.10)', async () => {
      const res = await fetch(`${gw.url}/items`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: '{}' });
      expect(await res.text()).toBe('{"message": "Invalid request body","detail":"[object has missing required properties ([\\"title\\"])]"}');
    });

    it.each([
      ['a valid body', 200, 'application/json', '{"title":"x","count":2}'],
      ['a charset parameter still selects the JSON model (§4.15, UNCONFIRMED)', 400, 'application/json; charset=utf-8', '{"title":""}'],
      ['no Content-Type is treated as JSON (§4.7)', 400, undefined, '{"count":0}'],
      ['an empty body fails an object model (§4.7)', 400, 'application/json', ''],
      ['malformed JSON fails (§4.14)', 400, 'application/json', '{"title":'],
      ['a content type with no model passes through (§4.6)', 200, 'text/plain', 'anything'],
    ])('%s → %i', async (_name, status, contentType, body) => {
      const headers: Record<string, string> = { ...key };
      if (contentType) headers['content-type'] = contentType;
      // Bytes, not a string: fetch would add `text/plain` to a string body.
      const res = await fetch(`${gw.url}/items`, { method: 'POST', headers, body: new TextEncoder().encode(body) });
      expect(res.status).toBe(status);
      if (status === 400) expect(((await res.json()) as { message: string }).message).toBe('Invalid request body');
    });

    it('parameters are checked before the body (§4.4)', async () => {
      const res = await fetch(`${gw.url}/search`, { method: 'PUT', headers: { ...key, 'content-type': 'application/json' }, body: '{}' });
      expect(((await gatewayError(res, 400, 'BadRequestException')) as { message: string }).message).toBe('Missing required request parameters: [q]');
    });

    it('the API key is checked before validation (§3.16)', async () => {
      const res = await fetch(`${gw.url}/search`);
      expect(res.status).toBe(403);
    });
  });

  describe('the access log', () => {
    it('writes one line per request with method, path, status, latency and request id, never the key', async () => {
      const res = await fetch(`${gw.url}/items?secret=1`, { headers: key });
      const id = res.headers.get('x-amzn-requestid')!;
      await res.text();
      const lines = gw.logs.filter((l) => l.includes(id));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`"GET /dev/items" 200 \\d+\\.\\dms$`));
      expect(gw.logs.join('\n')).not.toContain(API_KEY);
      expect(lines[0]).not.toContain('secret');
    });
  });
});

describe('the usage plan (§3.10–§3.13)', () => {
  it('throttles a key past its burst with 429 {"message":"Too Many Requests"}', async () => {
    // A bucket of 2 refilled at 0.001/s: the third request within the test is over, whatever the machine's speed.
    const gw = await startGateway({ spec, handler: echoHandler().handler, settings: settingsOf({ rateLimit: '0.001', burstLimit: '2' }) });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 2; i++) statuses.push((await fetch(`${gw.url}/items`, { headers: { 'x-api-key': API_KEY } })).status);
      expect(statuses).toEqual([200, 200]);
      const res = await fetch(`${gw.url}/items`, { headers: { 'x-api-key': API_KEY } });
      expect(await gatewayError(res, 429, 'TooManyRequestsException')).toEqual({ message: 'Too Many Requests' });
      // Public methods bypass the plan (§3.7): the key's empty bucket does not stop them.
      expect((await fetch(`${gw.url}/health`)).status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('throttles public methods too, per method: the stage’s */* throttle with its own numbers (§3.10, §3.17)', async () => {
    const gw = await startGateway({ spec, handler: echoHandler().handler, settings: settingsOf({ stageRateLimit: '0.001', stageBurstLimit: '2' }) });
    try {
      expect((await fetch(`${gw.url}/health`)).status).toBe(200);
      expect((await fetch(`${gw.url}/health`)).status).toBe(200);
      expect(await gatewayError(await fetch(`${gw.url}/health`), 429, 'TooManyRequestsException')).toEqual({ message: 'Too Many Requests' });
      // Another method has its own bucket.
      expect((await fetch(`${gw.url}/items`, { headers: { 'x-api-key': API_KEY } })).status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('does not hold the stage to one key’s budget: a public method takes more than the plan’s burst (§3.17)', async () => {
    // The usage plan's numbers are per key; the stage's are its own (defaults 1,000/s, bucket 1,000).
    const gw = await startGateway({ spec, handler: echoHandler().handler, settings: settingsOf({ rateLimit: '0.001', burstLimit: '2' }) });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${gw.url}/health`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
    } finally {
      await gw.close();
    }
  });

  it('refills the bucket at rateLimit per second (clock injected)', async () => {
    let now = 1_000_000;
    const gw = await startGateway({ spec, handler: echoHandler().handler, settings: settingsOf({ rateLimit: '1', burstLimit: '1' }), now: () => now });
    try {
      const get = async () => (await fetch(`${gw.url}/items`, { headers: { 'x-api-key': API_KEY } })).status;
      expect(await get()).toBe(200);
      expect(await get()).toBe(429);
      now += 1000;
      expect(await get()).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('stops a key over its quota with 429 {"message":"Limit Exceeded"} until the period ends', async () => {
    let now = Date.UTC(2026, 0, 1, 12);
    const gw = await startGateway({ spec, handler: echoHandler().handler, settings: settingsOf({ quotaLimit: '2', quotaPeriod: 'DAY' }), now: () => now });
    try {
      const get = () => fetch(`${gw.url}/items`, { headers: { 'x-api-key': API_KEY } });
      expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(200);
      expect(await gatewayError(await get(), 429, 'LimitExceededException')).toEqual({ message: 'Limit Exceeded' });
      now = Date.UTC(2026, 0, 2, 0, 0, 1); // the next UTC day
      expect((await get()).status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});
