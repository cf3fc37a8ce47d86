import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, apiEvent, fixture, proxyFixture } from '../support/events';

/**
 * The project's own API Gateway REST proxy events keep the shape AWS documents (payload format 1.0,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html,
 * "Input format of a Lambda function for proxy integration"; docs/apigateway-behaviour.md §5).
 */
const TOP_LEVEL = ['body', 'headers', 'httpMethod', 'isBase64Encoded', 'multiValueHeaders', 'multiValueQueryStringParameters', 'path', 'pathParameters', 'queryStringParameters', 'requestContext', 'resource', 'stageVariables'];
const names = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.json')) as Array<Parameters<typeof fixture>[0]>;

describe.each(names)('fixture %s', (name) => {
  const event = fixture(name);
  const ctx = event.requestContext as Record<string, any>;

  it('has exactly the documented top-level keys', () => {
    expect(Object.keys(event).sort()).toEqual(TOP_LEVEL);
  });

  it('single-value maps hold the last of each multi-value list; absent maps are null, never {}', () => {
    for (const [single, multi] of [['headers', 'multiValueHeaders'], ['queryStringParameters', 'multiValueQueryStringParameters']] as const) {
      const s = event[single] as Record<string, string> | null;
      const m = event[multi] as Record<string, string[]> | null;
      expect(s === null).toBe(m === null);
      if (s && m) {
        expect(Object.keys(s).sort()).toEqual(Object.keys(m).sort());
        for (const key of Object.keys(m)) expect(s[key]).toBe(m[key]!.at(-1));
      }
    }
    for (const key of ['queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'headers', 'multiValueHeaders'] as const) {
      expect(event[key]).not.toEqual({});
    }
  });

  it('requestContext follows the request: /{stage}{path}, method, resource, CLF time and epoch agree', () => {
    expect(ctx.path).toBe(`/${ctx.stage}${event.path}`);
    expect(ctx.httpMethod).toBe(event.httpMethod);
    expect(ctx.resourcePath).toBe(event.resource);
    expect(ctx.protocol).toBe('HTTP/1.1');
    expect(ctx.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const [, d, mon, y, hms] = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}:\d{2}:\d{2}) \+0000$/.exec(ctx.requestTime)!;
    expect(Date.parse(`${d} ${mon} ${y} ${hms} GMT`)).toBe(ctx.requestTimeEpoch);
    expect(ctx.identity.sourceIp).toBe(String(event.headers?.['X-Forwarded-For']).split(',')[0]);
  });

  it('carries the CloudFront and X-Forwarded-* headers an edge-optimized API adds', () => {
    expect(event.headers).toMatchObject({ 'CloudFront-Forwarded-Proto': 'https', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Port': '443', Via: expect.stringMatching(/cloudfront\.net \(CloudFront\)$/) });
  });

  it('a greedy {proxy+} resource carries the matched path without its leading slash', () => {
    if (event.resource === '/{proxy+}') expect(event.pathParameters).toEqual({ proxy: event.path.slice(1) });
    else expect(event.resource).toBe(event.path);
  });

  it('a base64 body decodes to the text it stands for', () => {
    if (event.isBase64Encoded) expect(Buffer.from(event.body!, 'base64').toString('base64')).toBe(event.body);
    expect(typeof event.body === 'string' || event.body === null).toBe(true);
  });
});

it('the set covers the shapes the tests rely on', () => {
  const events = names.map((n) => fixture(n));
  expect(events.some((e) => e.resource === '/{proxy+}')).toBe(true);
  expect(events.some((e) => e.isBase64Encoded)).toBe(true);
  expect(events.some((e) => e.queryStringParameters === null && e.pathParameters === null && e.stageVariables === null)).toBe(true);
  expect(events.some((e) => Object.values(e.multiValueQueryStringParameters ?? {}).some((v) => v.length > 1))).toBe(true);
  expect(events.some((e) => e.body === null && e.httpMethod === 'GET')).toBe(true);
});

/**
 * The one event builder (infra/src/local/event.ts `buildProxyEvent`, which the local gateway, the tests'
 * `apiEvent` and the benchmark all use) emits what the fixtures hold: the same keys at every level, the
 * fixtures' client headers and the edge's, and the §5 rules the fixtures obey.
 */
describe('the proxy-event builder, against the fixtures', () => {
  const sample = proxyFixture();
  const built = apiEvent('POST', '/hello/world?a=1&a=2', { body: { hello: 'world' }, resource: '/{proxy+}', pathParameters: { proxy: 'hello/world' } });

  it('has the fixtures\' keys: top level, requestContext (less the authorizer this method has not) and identity', () => {
    expect(Object.keys(built).sort()).toEqual(TOP_LEVEL);
    const withoutAuthorizer = Object.keys(sample.requestContext).filter((k) => k !== 'authorizer');
    expect(Object.keys(built.requestContext).sort()).toEqual(withoutAuthorizer.sort());
    expect(Object.keys(built.requestContext.identity).sort()).toEqual(Object.keys(sample.requestContext.identity).sort());
  });

  it('carries the fixture\'s header names (but the viewer country, which CloudFront adds only when configured), last value per name', () => {
    const names = Object.keys(sample.headers ?? {}).filter((n) => n !== 'CloudFront-Viewer-Country').sort();
    expect(Object.keys(built.headers ?? {}).sort()).toEqual(names);
    expect(Object.keys(built.multiValueHeaders ?? {}).sort()).toEqual(names);
    expect(built.headers).toMatchObject({ 'CloudFront-Forwarded-Proto': 'https', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Port': '443' });
  });

  it('follows the request as the fixtures do: requestContext.path, CLF time, query maps (§5.3), source IP', () => {
    const ctx = built.requestContext;
    expect(ctx.path).toBe(`/${ctx.stage}${built.path}`);
    expect(ctx.resourcePath).toBe(built.resource);
    const [, d, mon, y, hms] = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}:\d{2}:\d{2}) \+0000$/.exec(String(ctx.requestTime))!;
    expect(Date.parse(`${d} ${mon} ${y} ${hms} GMT`)).toBe(Math.floor(Number(ctx.requestTimeEpoch) / 1000) * 1000);
    expect(built.queryStringParameters).toEqual({ a: '2' });
    expect(built.multiValueQueryStringParameters).toEqual({ a: ['1', '2'] });
    expect(ctx.identity.sourceIp).toBe(String(built.headers?.['X-Forwarded-For']).split(',')[0]);
    expect(built.body).toBe('{"hello":"world"}');
  });

  it('a GET without query or body has the fixtures\' nulls, never {} or ""', () => {
    const get = apiEvent('GET', '/health');
    for (const key of ['queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'body'] as const) expect(get[key]).toBeNull();
    expect(get.isBase64Encoded).toBe(false);
  });
});
