import Router from '@koa/router';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { corsHeaders, planGatewayResponses, planPreflights, VALIDATION_TEMPLATES } from '../../../infra/gateway/responses';
import { buildGatewaySpec } from '../../../infra/spec';
import { createApp } from '../../../service/app';

describe('planGatewayResponses', () => {
  it('always customises the two validation failures with our error shape and the validator detail', () => {
    const responses = planGatewayResponses({ corsOrigins: [] });
    expect(responses.map((r) => [r.type, r.statusCode])).toEqual([
      ['BAD_REQUEST_BODY', '400'],
      ['BAD_REQUEST_PARAMETERS', '400'],
    ]);
    for (const r of responses) {
      expect(r.headers).toEqual({});
      const template = r.templates['application/json']!;
      // Substituting a sample message and detail must give JSON of our shape.
      const rendered = template.replace('$context.error.messageString', '"Invalid request body"').replace('$context.error.validationErrorString', '[string \\"\\" is too short]');
      expect(JSON.parse(rendered)).toMatchObject({ message: 'Invalid request body', errors: [{ path: '', message: '[string "" is too short]' }] });
    }
    expect(VALIDATION_TEMPLATES.BAD_REQUEST_BODY).toContain('"in":"body"');
  });

  it('with CORS origins, adds DEFAULT_4XX and DEFAULT_5XX, and every customised response carries the CORS headers', () => {
    const responses = planGatewayResponses({ corsOrigins: ['https://app.example'] });
    expect(responses.map((r) => r.type)).toEqual(['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS', 'DEFAULT_4XX', 'DEFAULT_5XX']);
    for (const r of responses) expect(r.headers['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'https://app.example'");
  });
});

describe('corsHeaders', () => {
  it.each([
    [[], undefined],
    [['*'], "'*'"],
    [['https://a.example'], "'https://a.example'"],
    [['https://a.example', 'https://b.example'], 'method.request.header.origin'],
  ])('%j → Allow-Origin %s', (origins, allowOrigin) => {
    expect(corsHeaders(origins)['gatewayresponse.header.Access-Control-Allow-Origin']).toBe(allowOrigin);
  });
});

describe('planPreflights', () => {
  const spec = buildGatewaySpec(createApp());

  it('plans none without CORS origins', () => {
    expect(planPreflights(spec, { corsOrigins: [] })).toEqual([]);
  });

  it('plans one per resource with methods, allowing exactly its methods', () => {
    // Its own routes, not the example's: adding a route to the todo API must not break this test.
    const app = new Koa();
    const router = new Router();
    router.get('/things', () => undefined).post('/things', () => undefined);
    router.get('/things/:id', () => undefined).put('/things/:id', () => undefined).delete('/things/:id', () => undefined);
    router.get('/ping', () => undefined);
    app.use(router.routes());
    const preflights = planPreflights(buildGatewaySpec(app), { corsOrigins: ['https://app.example'] });
    expect(preflights.map((p) => [p.key, p.allowMethods])).toEqual([
      ['OPTIONS-ping', 'GET,OPTIONS'],
      ['OPTIONS-things', 'GET,POST,OPTIONS'],
      ['OPTIONS-things-id', 'GET,PUT,DELETE,OPTIONS'],
    ]);
    for (const p of preflights) expect(p.headers['method.response.header.Access-Control-Allow-Headers']).toContain('X-Api-Key');
  });

  it('echoes only listed origins (VTL), or allows any with *', () => {
    const [listed] = planPreflights(spec, { corsOrigins: ['https://a.example', 'https://b.example'] });
    expect(listed!.responseTemplate).toContain('#set($allowed = ["https://a.example","https://b.example"])');
    expect(listed!.responseTemplate).toContain('#if($allowed.contains($origin))');
    const [any] = planPreflights(spec, { corsOrigins: ['*'] });
    expect(any!.responseTemplate).toContain("Access-Control-Allow-Origin = '*'");
  });

  it('leaves a resource that has its own OPTIONS route to that route', () => {
    const app = new Koa();
    const router = new Router();
    router.get('/a', () => undefined);
    router.options('/a', () => undefined);
    router.get('/b', () => undefined);
    app.use(router.routes());
    expect(planPreflights(buildGatewaySpec(app), { corsOrigins: ['*'] }).map((p) => p.resourcePath)).toEqual(['/b']);
  });
});
