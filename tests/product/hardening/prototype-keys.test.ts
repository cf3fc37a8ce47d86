import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../infra/src/core/plan/types';
import { API_KEY, echoHandler, method, specOf, startGateway, type Started } from '../local/support/gateway';
import { apiEvent, type ProxyHandler } from '../../support/events';
import { builtHandler } from '../../support/lambda';

/**
 * Names that are members of every plain object. In HTTP they are ordinary names: a query key, a
 * header, a path segment or a JSON property called `constructor` must behave exactly like `foo`.
 */
const PROTO_KEYS = [...Object.getOwnPropertyNames(Object.prototype), '__proto__'];
const protoKey = fc.constantFrom(...PROTO_KEYS);
const value = fc.stringMatching(/^[A-Za-z0-9]{1,12}$/);
const RUNS = { numRuns: 60 };

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Sends one request exactly as given: raw path, header names as written (no client normalisation). */
function send(base: string, method: string, rawPath: string, headers: Array<[string, string]> = [], body?: string): Promise<Reply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const flat = ['host', `${hostname}:${port}`, ...headers.flat()];
    if (body !== undefined) flat.push('content-length', String(Buffer.byteLength(body)));
    const req = http.request({ hostname, port, method, path: rawPath, headers: flat }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const Item: ModelSpec = {
  name: 'Item',
  contentType: 'application/json',
  schema: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } },
};

describe('keys named like Object.prototype members, through the local gateway', () => {
  let gw: Started;
  const echo = echoHandler();
  const stage = () => new URL(gw.url).pathname;
  beforeAll(async () => {
    gw = await startGateway({
      spec: specOf(
        [
          method('GET', '/health', { apiKeyRequired: false }),
          method('GET', '/items/{id}', { apiKeyRequired: false }),
          method('POST', '/items', { apiKeyRequired: false, requestModels: { 'application/json': 'Item' }, validator: 'BODY' }),
        ],
        [Item],
      ),
      handler: echo.handler,
      openapi: () => ({ openapi: '3.0.3' }),
    });
  });
  afterAll(() => gw?.close());
  const last = () => echo.events[echo.events.length - 1];

  it('a query key is an ordinary key: once, repeated, and in the event maps as own properties', async () => {
    await fc.assert(
      fc.asyncProperty(protoKey, value, value, async (k, a, b) => {
        const once = await send(gw.root, 'GET', `${stage()}/health?${k}=${a}`);
        expect(once.status, once.text).toBe(200);
        expect(Object.hasOwn(last().multiValueQueryStringParameters, k)).toBe(true);
        expect(last().multiValueQueryStringParameters[k]).toEqual([a]);
        expect(last().queryStringParameters[k]).toBe(a);
        const twice = await send(gw.root, 'GET', `${stage()}/health?${k}=${a}&${k}=${b}`);
        expect(twice.status, twice.text).toBe(200);
        expect(last().multiValueQueryStringParameters[k]).toEqual([a, b]);
        expect(Object.getPrototypeOf(last().multiValueQueryStringParameters)).not.toBe(Array.prototype);
      }),
      RUNS,
    );
  });

  it('a header name is an ordinary name: forwarded once, as an own property of both header maps', async () => {
    await fc.assert(
      fc.asyncProperty(protoKey, value, async (k, v) => {
        const res = await send(gw.root, 'GET', `${stage()}/health`, [[k, v]]);
        expect(res.status, res.text).toBe(200);
        expect(Object.hasOwn(last().headers, k)).toBe(true);
        expect(last().headers[k]).toBe(v);
        expect(last().multiValueHeaders[k]).toEqual([v]);
      }),
      RUNS,
    );
  });

  it('a path segment is an ordinary segment: a path variable, or the same 403 as any unknown path', async () => {
    const unknown = await send(gw.root, 'GET', `${stage()}/foo`);
    await fc.assert(
      fc.asyncProperty(protoKey, async (k) => {
        const variable = await send(gw.root, 'GET', `${stage()}/items/${k}`);
        expect(variable.status, variable.text).toBe(200);
        expect(last().pathParameters).toEqual({ id: k });
        const missing = await send(gw.root, 'GET', `${stage()}/${k}`);
        expect(missing.status).toBe(unknown.status);
        expect(missing.text).toBe(unknown.text);
      }),
      RUNS,
    );
  });

  it('a local page name is an ordinary name: /docs/<key> answers as /docs/foo does', async () => {
    const foo = await send(gw.root, 'GET', '/docs/foo');
    await fc.assert(
      fc.asyncProperty(protoKey, async (k) => {
        const res = await send(gw.root, 'GET', `/docs/${k}`);
        expect(res.status, res.text).toBe(foo.status);
        expect(res.text).toBe(foo.text);
      }),
      RUNS,
    );
  });

  it('a Content-Type named like a member selects no model, as an unknown media type does', async () => {
    const foo = await send(gw.root, 'POST', `${stage()}/items`, [['content-type', 'foo']], '{}');
    expect(foo.status).toBe(200); // no model for foo: passed through (docs/apigateway-behaviour.md §4.6)
    await fc.assert(
      fc.asyncProperty(protoKey, async (k) => {
        const res = await send(gw.root, 'POST', `${stage()}/items`, [['content-type', k]], '{}');
        expect(res.status, res.text).toBe(foo.status);
      }),
      RUNS,
    );
  });
});


describe('keys named like Object.prototype members, through the built handler', () => {
  let handler: ProxyHandler;
  let existingId: string;
  const listAll = async () => (await handler(apiEvent('GET', '/parcels?limit=50'), {})).body;
  beforeAll(async () => {
    handler = await builtHandler();
    existingId = JSON.parse((await handler(apiEvent('POST', '/parcels', { body: { recipient: 'keep' } }), {})).body).id;
  });

  /** Returns the event for `GET /parcels` with the query keys given, as API Gateway builds both maps. */
  const listWithQuery = (pairs: Array<[string, string]>) => {
    const event = apiEvent('GET', '/parcels');
    const multi: Record<string, string[]> = JSON.parse('{}');
    for (const [k, v] of pairs) Object.defineProperty(multi, k, { value: [...(Object.hasOwn(multi, k) ? multi[k]! : []), v], enumerable: true, configurable: true, writable: true });
    // Built from JSON text, as the Lambda runtime builds the event: `__proto__` is an own key there.
    event.multiValueQueryStringParameters = JSON.parse(JSON.stringify(multi));
    event.queryStringParameters = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1]!]))));
    return JSON.parse(JSON.stringify(event));
  };

  it('an unknown query key, once or repeated, is ignored as `foo` is', async () => {
    await fc.assert(
      fc.asyncProperty(protoKey, value, value, async (k, a, b) => {
        const once = await handler(listWithQuery([[k, a]]), {});
        expect(once.statusCode, once.body).toBe(200);
        const twice = await handler(listWithQuery([[k, a], [k, b]]), {});
        expect(twice.statusCode, twice.body).toBe(200);
      }),
      RUNS,
    );
  });

  it('an unknown header is ignored as `foo` is', async () => {
    await fc.assert(
      fc.asyncProperty(protoKey, value, async (k, v) => {
        const event = apiEvent('GET', '/parcels');
        const text = JSON.stringify(event).replace('"headers":{', `"headers":{${JSON.stringify(k)}:${JSON.stringify(v)},`).replace('"multiValueHeaders":{', `"multiValueHeaders":{${JSON.stringify(k)}:[${JSON.stringify(v)}],`);
        const res = await handler(JSON.parse(text), {});
        expect(res.statusCode, res.body).toBe(200);
      }),
      RUNS,
    );
  });

  it('an unknown body property is refused by name as `foo` is, and nothing is stored', async () => {
    const before = await listAll();
    await fc.assert(
      fc.asyncProperty(protoKey, fc.constantFrom('1', '"x"', '{}', '{"polluted":true}', 'null', '[]'), async (k, raw) => {
        for (const [verb, p] of [['POST', '/parcels'], ['PATCH', `/parcels/${existingId}`]] as const) {
          const body = `{"recipient":"x",${JSON.stringify(k)}:${raw}}`;
          const res = await handler(apiEvent(verb, p, { body, headers: { 'Content-Type': 'application/json' } }), {});
          expect(res.statusCode, `${verb} ${body}: ${res.body}`).toBe(400);
          expect(JSON.parse(res.body).errors).toEqual([{ path: `/${k}`, message: 'is not allowed', in: 'body' }]);
        }
      }),
      RUNS,
    );
    expect(await listAll()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a path segment is an ordinary segment: not a UUID, 400 naming the id as for `foo`', async () => {
    const foo = await handler(apiEvent('GET', '/parcels/foo', { resource: '/parcels/{id}' }), {});
    await fc.assert(
      fc.asyncProperty(protoKey, async (k) => {
        const event = apiEvent('GET', `/parcels/${k}`, { resource: '/parcels/{id}' });
        event.pathParameters = JSON.parse(`{"id":${JSON.stringify(k)}}`);
        const res = await handler(event, {});
        expect(res.statusCode, res.body).toBe(foo.statusCode);
        expect(JSON.parse(res.body).errors).toEqual(JSON.parse(foo.body).errors);
      }),
      RUNS,
    );
  });
});
