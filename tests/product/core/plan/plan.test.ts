import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { buildGatewaySpec, discoverRoutes, planGatewaySpec, type DiscoveredRoute } from '../../../../infra/src/core/plan';
import { addRoute } from '../../../../infra/src/route/route';
import { createParcelsApp as createApp } from '../../../support/apps/parcels/app';

const noop = () => undefined;

/** An app with one router; `build` adds its routes. */
function appWith(build: (router: Router) => void): Koa {
  const app = new Koa();
  const router = new Router();
  build(router);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

describe('discoverRoutes', () => {
  it('finds every method and path of the app, without the HEAD @koa/router adds for GET', () => {
    const found = discoverRoutes(createApp()).map((r) => `${r.method} ${r.koaPath}`);
    expect(found).toEqual(
      expect.arrayContaining(['GET /health', 'GET /parcels', 'POST /parcels', 'GET /parcels/:id', 'PATCH /parcels/:id', 'DELETE /parcels/:id']),
    );
    expect(found.filter((r) => r.startsWith('HEAD '))).toEqual([]);
  });

  it('reads the declaration addRoute recorded', () => {
    const health = discoverRoutes(createApp()).find((r) => r.koaPath === '/health')!;
    expect(health.meta).toMatchObject({ operationId: 'health', public: true });
  });

  it('still finds routes added without the helper (no meta), in every router the app uses, with prefixes', () => {
    const app = new Koa();
    const a = new Router();
    a.get('/plain', noop);
    const b = new Router({ prefix: '/b' });
    b.post('/things', noop);
    b.use(async (_ctx, next) => next()); // middleware, not an endpoint
    app.use(a.routes()).use(b.routes());
    expect(discoverRoutes(app)).toEqual([
      { method: 'GET', koaPath: '/plain' },
      { method: 'POST', koaPath: '/b/things' },
    ]);
  });

  it('finds routes of a nested router with both prefixes', () => {
    const app = new Koa();
    const inner = new Router();
    inner.get('/things/:id', noop);
    const outer = new Router({ prefix: '/api' });
    outer.use('/v2', inner.routes());
    app.use(outer.routes());
    expect(discoverRoutes(app)).toEqual([{ method: 'GET', koaPath: '/api/v2/things/:id' }]);
  });

  it('deploys router.all() as the methods API Gateway has, without the auto HEAD', () => {
    const app = appWith((r) => r.all('/any', noop));
    expect(discoverRoutes(app).map((r) => r.method).sort()).toEqual(['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
  });

  it('refuses a regular-expression route, naming it', () => {
    const app = appWith((r) => r.get(/^\/re(.*)$/, noop));
    expect(() => discoverRoutes(app)).toThrow(/Route HEAD,GET \/\^\\\/re.*regular expression.*Fix:/);
  });
});

describe('planGatewaySpec', () => {
  const spec = buildGatewaySpec(createApp());
  const method = (m: string, path: string) => spec.methods.find((x) => x.method === m && x.resourcePath === path)!;

  it('plans one method per route, keyed by method and path, sorted by path', () => {
    expect(spec.methods).toHaveLength(discoverRoutes(createApp()).length);
    const paths = spec.methods.map((m) => m.resourcePath);
    expect(paths).toEqual([...paths].sort());
    expect(new Set(spec.methods.map((m) => m.key)).size).toBe(spec.methods.length);
    expect(spec.methods.map((m) => m.key)).toEqual(expect.arrayContaining([
      'GET-parcels',
      'POST-parcels',
      'GET-parcels-id',
      'PATCH-parcels-id',
      'DELETE-parcels-id',
      'GET-health',
    ]));
  });

  it('requires the API key on every method except public routes', () => {
    expect(spec.methods.filter((m) => !m.apiKeyRequired).map((m) => m.key)).toEqual(['GET-health']);
  });

  it('declares path parameters required and query parameters as the schema says', () => {
    expect(method('GET', '/parcels/{id}').requestParameters).toEqual({ 'method.request.path.id': true });
    expect(method('GET', '/parcels').requestParameters).toEqual({
      'method.request.querystring.status': false,
      'method.request.querystring.express': false,
      'method.request.querystring.q': false,
      'method.request.querystring.limit': false,
    });
    expect(method('PATCH', '/parcels/{id}').requestParameters).toEqual({ 'method.request.path.id': true, 'method.request.header.if-match': false });
  });

  it('does not require a query or header parameter that has a default: the service fills it in when it is left out', () => {
    const app = appWith((r) =>
      addRoute(
        r,
        { method: 'GET', path: '/items', query: Type.Object({ q: Type.String(), page: Type.Integer({ default: 1 }) }), headers: Type.Object({ 'x-tenant': Type.String(), 'x-region': Type.String({ default: 'eu' }) }) },
        noop,
      ),
    );
    expect(buildGatewaySpec(app).methods[0]!.requestParameters).toEqual({
      'method.request.querystring.q': true,
      'method.request.querystring.page': false,
      'method.request.header.x-tenant': true,
      'method.request.header.x-region': false,
    });
  });

  it('attaches body models by $id and responses by status', () => {
    expect(method('POST', '/parcels').requestModels).toEqual({ 'application/json': 'ParcelCreate' });
    expect(method('PATCH', '/parcels/{id}').requestModels).toEqual({ 'application/json': 'ParcelPatch' });
    expect(method('POST', '/parcels').responses['201']).toBe('Parcel');
    expect(method('DELETE', '/parcels/{id}').responses['204']).toBeNull();
    for (const m of spec.methods) for (const name of [...Object.values(m.requestModels), ...Object.values(m.responses)]) if (name) expect(spec.models.map((x) => x.name)).toContain(name);
  });

  it('chooses the validator each method needs, and lists only the validators used', () => {
    expect(method('POST', '/parcels').validator).toBe('BODY');
    expect(method('PATCH', '/parcels/{id}').validator).toBe('BODY'); // its one header is optional
    expect(method('GET', '/parcels').validator).toBeNull(); // every query parameter is optional
    expect(method('GET', '/parcels/{id}').validator).toBeNull(); // path parameters are present by routing
    expect(spec.validators).toEqual(['BODY']);
  });

  it.each([
    ['a required query parameter → PARAMS', { query: Type.Object({ q: Type.String() }) }, 'PARAMS'],
    ['a required header → PARAMS', { headers: Type.Object({ 'X-Tenant': Type.String() }) }, 'PARAMS'],
    ['a body and a required query parameter → BODY_AND_PARAMS', { body: Type.Object({ a: Type.String() }), query: Type.Object({ q: Type.String() }) }, 'BODY_AND_PARAMS'],
    ['optional parameters only → none', { query: Type.Object({ q: Type.Optional(Type.String()) }) }, null],
  ])('%s', (_name, schemas, validator) => {
    const app = appWith((r) => addRoute(r, { method: 'POST', path: '/search', operationId: 'search', ...schemas }, noop));
    const [m] = buildGatewaySpec(app).methods;
    expect(m!.validator).toBe(validator);
  });

  it('lower-cases header parameter names', () => {
    const app = appWith((r) => addRoute(r, { method: 'GET', path: '/h', headers: Type.Object({ 'X-Tenant': Type.String() }) }, noop));
    expect(buildGatewaySpec(app).methods[0]!.requestParameters).toEqual({ 'method.request.header.x-tenant': true });
  });

  it('deploys a route without the helper with no validation, key required', () => {
    const app = appWith((r) => r.get('/files/*path', noop));
    const spec2 = buildGatewaySpec(app);
    expect(spec2.methods).toEqual([
      expect.objectContaining({ key: 'GET-files-proxy-greedy', resourcePath: '/files/{proxy+}', apiKeyRequired: true, validator: null, requestModels: {}, requestParameters: { 'method.request.path.proxy': true } }),
    ]);
    expect(spec2.resources.map((r) => r.pathPart)).toEqual(['files', '{proxy+}']);
  });

  it('refuses duplicate routes, naming both', () => {
    const app = appWith((r) => {
      r.get('/items/:id', noop);
      r.get('/items/:id/', noop);
    });
    expect(() => buildGatewaySpec(app)).toThrow(/Routes GET \/items\/:id and GET \/items\/:id\/ are both GET \/items\/\{id\}.*Fix:/);
  });

  it('refuses a params schema naming a variable the path lacks', () => {
    const app = appWith((r) => addRoute(r, { method: 'GET', path: '/items', params: Type.Object({ id: Type.String() }) }, noop));
    expect(() => buildGatewaySpec(app)).toThrow(/Route GET \/items declares the path parameter "id".*Fix: add :id/);
  });

  it('refuses two different schemas under one model name, naming both routes', () => {
    const app = appWith((r) => {
      addRoute(r, { method: 'POST', path: '/a', body: Type.Object({ a: Type.String() }, { $id: 'Thing' }) }, noop);
      addRoute(r, { method: 'POST', path: '/b', body: Type.Object({ b: Type.String() }, { $id: 'Thing' }) }, noop);
    });
    expect(() => buildGatewaySpec(app)).toThrow(/Routes POST \/a and POST \/b use two different schemas named "Thing".*Fix:/);
  });

  it.each(['Empty', 'Error'])('refuses a schema named %s, a model API Gateway already has', (name) => {
    const app = appWith((r) => addRoute(r, { method: 'POST', path: '/a', body: Type.Object({ a: Type.String() }, { $id: name }) }, noop));
    expect(() => buildGatewaySpec(app)).toThrow(new RegExp(`Route POST /a uses a schema named "${name}".*Fix:`));
  });

  it('names a body model without $id from the operation', () => {
    const app = appWith((r) => addRoute(r, { method: 'POST', path: '/a', operationId: 'makeThing', body: Type.Object({ a: Type.String() }) }, noop));
    expect(buildGatewaySpec(app).methods[0]!.requestModels).toEqual({ 'application/json': 'MakeThingBody' });
  });

  it('refuses a schema API Gateway cannot express in the one format of plan-time schema errors: route, schema, keyword, place, fix', () => {
    const app = appWith((r) => addRoute(r, { method: 'POST', path: '/a', operationId: 'makeThing', body: Type.Object({ t: Type.Ref('Other') }) }, noop));
    expect(() => buildGatewaySpec(app)).toThrow(/^Route POST \/a, schema "MakeThingBody": "\$ref" at \/properties\/t .*\. Fix: .*inlined/);
  });

  it('refuses a recursive schema (Type.Cyclic) with a fix that can be followed, not "use the referenced schema itself"', () => {
    const Node = Type.Cyclic({ Node: Type.Object({ name: Type.String(), children: Type.Array(Type.Ref('Node')) }) }, 'Node');
    for (const body of [Node, Type.Object({ root: Node })]) {
      const app = appWith((r) => addRoute(r, { method: 'POST', path: '/a', body }, noop));
      const attempt = () => buildGatewaySpec(app);
      expect(attempt).toThrow(/^Route POST \/a, schema "PostABody": "\$ref" at \/.*children\/items is recursive/);
      expect(attempt).toThrow(/Fix: .*fixed depth.*Type\.Unknown\(\)/);
      expect(attempt).not.toThrow(/instead of Type\.Ref/);
    }
  });

  describe('refuses an invalid regular expression in a "pattern", naming the route, schema, keyword and fix', () => {
    const bad = () => Type.String({ pattern: '[' });
    it.each([
      ['the body', { method: 'POST', path: '/a', body: Type.Object({ code: bad() }) }, 'PostABody', '/properties/code'],
      ['a response', { method: 'GET', path: '/a', responses: { 200: Type.Object({ items: Type.Array(bad()) }, { $id: 'Page' }) } }, 'Page', '/properties/items/items'],
      ['the query', { method: 'GET', path: '/a', query: Type.Object({ q: bad() }) }, 'query', '/properties/q'],
      ['the headers', { method: 'GET', path: '/a', headers: Type.Object({ 'x-code': bad() }) }, 'headers', '/properties/x-code'],
      ['the path parameters', { method: 'GET', path: '/a/:id', params: Type.Object({ id: bad() }) }, 'params', '/properties/id'],
    ] as const)('in %s', (_where, route, schema, at) => {
      const app = appWith((r) => addRoute(r, route as Parameters<typeof addRoute>[1], noop));
      const attempt = () => buildGatewaySpec(app);
      const label = `${route.method} ${route.path}`;
      expect(attempt).toThrow(`Route ${label}, schema "${schema}": "pattern" at ${at} is not a valid regular expression`);
      expect(attempt).toThrow(/Fix: correct the pattern/);
    });

    it('accepts a valid pattern, escaped brackets included', () => {
      const app = appWith((r) => addRoute(r, { method: 'GET', path: '/a', query: Type.Object({ q: Type.String({ pattern: '^[a-z]+\\[\\d\\]$' }) }) }, noop));
      expect(() => buildGatewaySpec(app)).not.toThrow();
    });
  });

  it('is JSON-serialisable plain data', () => {
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });
});

describe('stability', () => {
  const routes = discoverRoutes(createApp());

  it('gives the same spec, names and hash whatever the order of the routes', () => {
    const reversed = planGatewaySpec([...routes].reverse());
    const shuffled = planGatewaySpec([...routes.slice(3), ...routes.slice(0, 3)]);
    expect(reversed).toEqual(planGatewaySpec(routes));
    expect(shuffled.hash).toBe(planGatewaySpec(routes).hash);
  });

  it('gives the same hash for the same routes built twice', () => {
    expect(buildGatewaySpec(createApp()).hash).toBe(buildGatewaySpec(createApp()).hash);
    expect(buildGatewaySpec(createApp()).hash).toMatch(/^[0-9a-f]{64}$/);
  });

  const changed: [string, (r: DiscoveredRoute[]) => DiscoveredRoute[]][] = [
    ['a route added', (r) => [...r, { method: 'GET', koaPath: '/new' }]],
    ['a route removed', (r) => r.slice(1)],
    ['a route made public', (r) => r.map((x, i) => (i === 1 ? { ...x, meta: { ...x.meta!, public: true } } : x))],
    ['a schema changed', (r) => r.map((x) => (x.method === 'POST' && x.meta?.body ? { ...x, meta: { ...x.meta, body: Type.Object({ other: Type.String() }, { $id: 'ParcelCreate' }) } } : x))],
  ];
  it.each(changed)('changes the hash when %s', (_name, change) => {
    expect(planGatewaySpec(change(routes)).hash).not.toBe(planGatewaySpec(routes).hash);
  });
});
