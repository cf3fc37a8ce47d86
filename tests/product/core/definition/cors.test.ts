import Router from '@koa/router';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { allowHeadersOf, BAD_REQUEST_BODY_TEMPLATE, corsHeaders, ERROR_TEMPLATE, originsOfTemplate, planGatewayResponses, planPreflights } from '../../../../infra/src/core/definition';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { createParcelsApp as createApp } from '../../../support/apps/parcels/app';

const spec = buildGatewaySpec(createApp());

describe('planGatewayResponses', () => {
  it('always customises the two validation failures: status 400, our error shape, a refused body with the validator detail', () => {
    const responses = planGatewayResponses(spec, []);
    expect(responses.map((r) => [r.type, r.statusCode])).toEqual([
      ['BAD_REQUEST_BODY', '400'],
      ['BAD_REQUEST_PARAMETERS', '400'],
    ]);
    for (const r of responses) expect(r.headers).toEqual({});
    expect(responses[0]!.templates['application/json']).toBe(BAD_REQUEST_BODY_TEMPLATE);
    expect(responses[1]!.templates['application/json']).toBe(ERROR_TEMPLATE);
  });

  // API Gateway substitutes validationErrorString JSON-escaped and unquoted (AWS's sample records
  // `{ "message": "[object has missing required properties ([\"medication\",...])]"}`, docs/apigateway-behaviour.md §2.10):
  // every template parses as JSON with such a value, whatever the property names hold.
  it.each([
    ['a recorded value', '[object has missing required properties (["title"])]'],
    ['a name with quotes and a backslash', '[object instance has properties which are not allowed by the schema: ["say \\"hi\\"\\\\"]]'],
  ])('every template parses as JSON with validationErrorString escaped as AWS substitutes it: %s', (_how, detail) => {
    const escaped = JSON.stringify(detail).slice(1, -1);
    for (const r of planGatewayResponses(spec, ['https://app.example'])) {
      const rendered = r.templates['application/json']!.replaceAll('$context.error.messageString', ' "Invalid request body"').replaceAll('$context.error.validationErrorString', escaped);
      expect(JSON.parse(rendered), r.type).toEqual({ message: 'Invalid request body', ...(r.type === 'BAD_REQUEST_BODY' ? { detail } : {}) });
    }
  });

  it('with CORS origins, adds DEFAULT_4XX and DEFAULT_5XX, and every customised response carries the CORS headers', () => {
    const responses = planGatewayResponses(spec, ['https://app.example']);
    expect(responses.map((r) => r.type)).toEqual(['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS', 'DEFAULT_4XX', 'DEFAULT_5XX']);
    for (const r of responses) {
      expect(r.headers['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'https://app.example'");
      expect(r.headers['gatewayresponse.header.Access-Control-Allow-Headers']).toContain('If-Match');
      expect(r.headers['gatewayresponse.header.Access-Control-Expose-Headers']).toBe("'ETag,Location'");
    }
  });
});

// § numbers: docs/apigateway-behaviour.md.
describe('corsHeaders', () => {
  it.each([
    [[], undefined],
    [['*'], "'*'"],
    [['https://a.example'], "'https://a.example'"],
    // Several: '*', not an echo of one spelling of the request's Origin header (§8.5).
    [['https://a.example', 'https://b.example'], "'*'"],
  ])('%j → Allow-Origin %s', (origins, allowOrigin) => {
    expect(corsHeaders(origins)['gatewayresponse.header.Access-Control-Allow-Origin']).toBe(allowOrigin);
  });

  it('maps no request header: API Gateway reads header names case-sensitively, and browsers send Origin or origin (§8.5)', () => {
    for (const origins of [['*'], ['https://a.example'], ['https://a.example', 'https://b.example']]) {
      for (const [name, value] of Object.entries(corsHeaders(origins))) expect(value, `${JSON.stringify(origins)} ${name}`).toMatch(/^'.*'$/);
    }
  });
});

describe('planPreflights', () => {
  it('plans none without CORS origins', () => {
    expect(planPreflights(spec, [])).toEqual([]);
  });

  it('plans one per resource with methods, allowing exactly its methods', () => {
    // Its own routes, not the app's: adding a route to the parcels app must not break this test.
    const app = new Koa();
    const router = new Router();
    router.get('/things', () => undefined).post('/things', () => undefined);
    router.get('/things/:id', () => undefined).put('/things/:id', () => undefined).delete('/things/:id', () => undefined);
    router.get('/ping', () => undefined);
    app.use(router.routes());
    const preflights = planPreflights(buildGatewaySpec(app), ['https://app.example']);
    expect(preflights.map((p) => [p.resourcePath, p.allowMethods])).toEqual([
      ['/ping', 'GET,OPTIONS'],
      ['/things', 'GET,POST,OPTIONS'],
      ['/things/{id}', 'GET,PUT,DELETE,OPTIONS'],
    ]);
    for (const p of preflights) expect(p.headers['method.response.header.Access-Control-Allow-Headers']).toContain('X-Api-Key');
  });

  it('allows the headers the routes declare: If-Match where conditional writes are, not elsewhere', () => {
    const preflights = planPreflights(spec, ['https://app.example']);
    const [list, item] = ['/parcels', '/parcels/{id}'].map((path) => preflights.find((p) => p.resourcePath === path));
    expect(item!.allowHeaders).toBe('Content-Type,X-Api-Key,Authorization,X-Amz-Date,X-Amz-Security-Token,If-Match');
    expect(item!.headers['method.response.header.Access-Control-Allow-Headers']).toBe(`'${item!.allowHeaders}'`);
    expect(list!.allowHeaders).not.toContain('If-Match');
    expect(allowHeadersOf(spec, undefined)).toContain('If-Match');
  });

  it('echoes only listed origins (VTL), or allows any with *; the local gateway reads the list back', () => {
    const [listed] = planPreflights(spec, ['https://a.example', 'https://b.example']);
    expect(listed!.responseTemplate).toContain('#set($allowed = ["https://a.example","https://b.example"])');
    expect(listed!.responseTemplate).toContain('#if($allowed.contains($origin))');
    expect(originsOfTemplate(listed!.responseTemplate)).toEqual(['https://a.example', 'https://b.example']);
    const [any] = planPreflights(spec, ['*']);
    expect(any!.responseTemplate).toContain("Access-Control-Allow-Origin = '*'");
    expect(originsOfTemplate(any!.responseTemplate)).toBe('*');
  });

  it('leaves a resource that has its own OPTIONS route to that route', () => {
    const app = new Koa();
    const router = new Router();
    router.get('/a', () => undefined);
    router.options('/a', () => undefined);
    router.get('/b', () => undefined);
    app.use(router.routes());
    expect(planPreflights(buildGatewaySpec(app), ['*']).map((p) => p.resourcePath)).toEqual(['/b']);
  });
});
