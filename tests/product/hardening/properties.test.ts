import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, proxyFixture, type ProxyHandler } from '../../support/events';
import { builtHandler } from '../../support/lambda';

let handler: ProxyHandler;

beforeAll(async () => {
  handler = await builtHandler();
});

const segment = fc.oneof(
  fc.constantFrom('parcels', 'courier', 'me', 'health', '3fa85f64-5717-4562-b3fc-2c963f66afa6', '..', '', '%2F', '%00', '%zz'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const headerName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/);
const stringMap = (key: fc.Arbitrary<string>) => fc.option(fc.dictionary(key, fc.string({ maxLength: 40 }), { maxKeys: 5 }), { nil: null });

/** Arbitrary REST (payload 1.0) events: the fixture's shape with every request field fuzzed. */
const events = fc.record({
  httpMethod: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'FOO'),
  path: fc.array(segment, { minLength: 0, maxLength: 5 }).map((parts) => `/${parts.join('/')}`),
  headers: stringMap(headerName),
  contentType: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', '', 'application/x-www-form-urlencoded'), { nil: undefined }),
  queryStringParameters: stringMap(fc.constantFrom('limit', 'q', 'express', 'status', 'x')),
  body: fc.option(fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v))), { nil: null }),
  isBase64Encoded: fc.boolean(),
});

describe('properties of the built handler', () => {
  it('any API Gateway event yields a well-formed proxy response, never a throw or a 5xx', async () => {
    const base = proxyFixture();
    await fc.assert(
      fc.asyncProperty(events, async (e) => {
        const headers: Record<string, string> = { ...(e.headers ?? {}) };
        if (e.contentType !== undefined) headers['Content-Type'] = e.contentType;
        // Built by hand on purpose, not with apiEvent: the fuzzer must reach shapes the gateway's own builder never
        // makes (any method, raw `..`/`%00` segments, arbitrary header maps, a body with any Content-Type).
        const event = {
          ...base,
          resource: '/{proxy+}',
          httpMethod: e.httpMethod,
          path: e.path,
          headers,
          multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
          queryStringParameters: e.queryStringParameters,
          multiValueQueryStringParameters: e.queryStringParameters && Object.fromEntries(Object.entries(e.queryStringParameters).map(([k, v]) => [k, [v]])),
          body: e.body,
          isBase64Encoded: e.isBase64Encoded,
        };
        const res = await handler(event, {});
        expect(Number.isInteger(res.statusCode)).toBe(true);
        expect(res.statusCode).toBeGreaterThanOrEqual(200);
        expect(res.statusCode).toBeLessThan(500);
        expect(typeof res.body).toBe('string');
        expect(typeof res.headers).toBe('object');
        if (res.statusCode >= 400 && e.httpMethod !== 'HEAD') {
          expect(JSON.parse(res.body)).toEqual(expect.objectContaining({ message: expect.any(String) }));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('any valid ParcelCreate is accepted and round-trips, defaults applied', async () => {
    const parcelCreate = fc.record(
      {
        recipient: fc.string({ minLength: 1, maxLength: 100 }),
        note: fc.string({ maxLength: 500 }),
        size: fc.constantFrom('S', 'M', 'L'),
        express: fc.boolean(),
        weightGrams: fc.integer({ min: 1, max: 30_000 }),
      },
      { requiredKeys: ['recipient'] },
    );
    await fc.assert(
      fc.asyncProperty(parcelCreate, async (input) => {
        const created = await handler(apiEvent('POST', '/parcels', { body: input }), {});
        expect(created.statusCode).toBe(201);
        const parcel = JSON.parse(created.body);
        expect(parcel).toMatchObject({
          recipient: input.recipient,
          note: input.note ?? null,
          size: input.size ?? 'M',
          express: input.express ?? false,
          weightGrams: input.weightGrams ?? null,
        });
        const read = await handler(apiEvent('GET', `/parcels/${parcel.id}`), {});
        expect(read.statusCode).toBe(200);
        expect(JSON.parse(read.body)).toEqual(parcel);
      }),
      { numRuns: 200 },
    );
  });
});
