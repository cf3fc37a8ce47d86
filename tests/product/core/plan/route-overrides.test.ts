import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { applyRouteOverrides, buildGatewaySpec, discoverRoutes } from '../../../../infra/src/core/plan';
import { RouteError } from '../../../../infra/src/errors';
import type { RouteOverride } from '../../../../infra/src/route/declaration';
import { addRoute } from '../../../../infra/src/route/route';
import { route } from '../../../../infra/src/route/route-middleware';

/**
 * The app descriptor's `routes`: what to say of a plain `router.get(...)` (auth, summary, operationId)
 * without touching its code. Applied inside buildGatewaySpec, where every consumer plans the app.
 */
function plainApp(): Koa {
  const app = new Koa();
  const router = new Router();
  router.get('/status', (ctx) => {
    ctx.body = { ok: true };
  });
  router.post('/webhooks/stripe', (ctx) => {
    ctx.status = 204;
  });
  router.get('/books/:id', (ctx) => {
    ctx.body = { id: ctx.params.id };
  });
  addRoute(router, { method: 'GET', path: '/declared', operationId: 'declared', summary: 'Declared', auth: 'apiKey' }, () => undefined);
  router.post('/partly', route({ body: Type.Object({ a: Type.String() }) }), () => undefined);
  const api = new Router({ prefix: '/api' });
  api.get('/ping', (ctx) => {
    ctx.body = 'pong';
  });
  app.use(router.routes());
  app.use(api.routes());
  return app;
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected it to throw');
}

describe("the app descriptor's routes entries", () => {
  it('make a plain router.get public and documented, and leave every other route as it was', () => {
    const plain = buildGatewaySpec(plainApp());
    const spec = buildGatewaySpec(plainApp(), {
      'GET /status': { auth: 'public', summary: 'Health', operationId: 'status' },
      'POST /webhooks/stripe': { public: true, description: 'Stripe events', tags: ['hooks'] },
      'GET /api/ping': { summary: 'Ping' },
    });
    const method = (key: string) => spec.methods.find((m) => `${m.method} ${m.koaPath}` === key)!;
    expect(method('GET /status')).toMatchObject({ apiKeyRequired: false, summary: 'Health', operationId: 'status' });
    expect(method('POST /webhooks/stripe')).toMatchObject({ apiKeyRequired: false, description: 'Stripe events', tags: ['hooks'] });
    expect(method('GET /api/ping')).toMatchObject({ apiKeyRequired: true, summary: 'Ping' });
    expect(plain.methods.find((m) => m.koaPath === '/status')).toMatchObject({ apiKeyRequired: true, operationId: 'getStatus' });
    const untouched = (s: typeof spec) => s.methods.filter((m) => !['/status', '/webhooks/stripe', '/api/ping'].includes(m.koaPath));
    expect(untouched(spec)).toEqual(untouched(plain));
    expect(spec.hash).not.toBe(plain.hash);
  });

  it('may add what a declared route leaves unset, and repeat what it sets', () => {
    const spec = buildGatewaySpec(plainApp(), { 'POST /partly': { summary: 'Partly', auth: 'public' }, 'GET /declared': { summary: 'Declared', auth: 'apiKey' } });
    expect(spec.methods.find((m) => m.koaPath === '/partly')).toMatchObject({ summary: 'Partly', apiKeyRequired: false, requestModels: { 'application/json': expect.any(String) } });
  });

  it('change nothing without entries, and do not change the discovered routes they are given', () => {
    const routes = discoverRoutes(plainApp());
    const copy = structuredClone(routes.map((r) => ({ method: r.method, koaPath: r.koaPath, summary: r.meta?.summary })));
    applyRouteOverrides(routes, { 'GET /status': { summary: 'Health' } });
    expect(routes.map((r) => ({ method: r.method, koaPath: r.koaPath, summary: r.meta?.summary }))).toEqual(copy);
    expect(applyRouteOverrides(routes, undefined)).toEqual(routes);
  });

  it.each([
    ['status', /routes\['status'\]: the key is not METHOD \/path\. Fix: .*e\.g\. 'GET \/status'/],
    ['get /status', /routes\['get \/status'\]: the key is not METHOD \/path\. Fix: .*\('GET \/status'\)/],
    ['FETCH /status', /routes\['FETCH \/status'\]: the key is not METHOD \/path/],
    ['GET  /status', /the key is not METHOD \/path.*\('GET \/status'\)/],
  ])('refuse the key %j, naming the entry and the form', (key, message) => {
    const err = thrown(() => buildGatewaySpec(plainApp(), { [key]: { auth: 'public' } }));
    expect(err).toBeInstanceOf(RouteError);
    expect(err.message).toMatch(message);
  });

  it.each([
    ['GET /statuz', /routes\['GET \/statuz'\] names no route the app serves\. Fix: key it 'METHOD \/path'.*The app serves: GET \/status, POST \/webhooks\/stripe/],
    ['GET /books/{id}', /routes\['GET \/books\/\{id\}'\] names no route.*write the path as the router registers it: 'GET \/books\/:id'/],
    ['POST /status', /routes\['POST \/status'\] names no route.*\/status is served for GET only: key the entry 'GET \/status'/],
    ['GET /ping', /routes\['GET \/ping'\] names no route.*prefix included.*GET \/api\/ping/],
  ])('refuse the entry %j, which names no route, saying which route it may mean', (key, message) => {
    const err = thrown(() => buildGatewaySpec(plainApp(), { [key]: { summary: 'x' } }));
    expect(err).toBeInstanceOf(RouteError);
    expect(err.message).toMatch(message);
  });

  it.each([
    [{ auth: 'public' }, /auth: declared "apiKey", entry "public"/],
    [{ public: true }, /auth: declared "apiKey", entry "public"/],
    [{ summary: 'Other' }, /summary: declared "Declared", entry "Other"/],
    [{ operationId: 'other', tags: ['x'] }, /operationId: declared "declared", entry "other"/],
  ] as Array<[RouteOverride, RegExp]>)('refuse an entry %j contradicting the route\'s own declaration', (entry, message) => {
    const err = thrown(() => buildGatewaySpec(plainApp(), { 'GET /declared': entry }));
    expect(err).toBeInstanceOf(RouteError);
    expect(err.message).toMatch(/^App descriptor routes\['GET \/declared'\] conflicts with the route's own declaration \(addRoute or route\(\)\): /);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/Fix: change it in one place/);
  });

  it('refuse schemas and unknown fields in an entry, pointing to route() in the code', () => {
    const err = thrown(() => buildGatewaySpec(plainApp(), { 'GET /status': { auth: 'public', body: {}, responses: {} } as RouteOverride }));
    expect(err).toBeInstanceOf(RouteError);
    expect(err.message).toMatch(/routes\['GET \/status'\] sets body, responses, which an entry cannot set.*Fix: .*route\(\{ body, responses \}\)/);
  });

  it('refuse an entry that is not an object, and routes that are not an object', () => {
    expect(thrown(() => buildGatewaySpec(plainApp(), { 'GET /status': 'public' as unknown as RouteOverride })).message).toMatch(/routes\['GET \/status'\] is "public"\. Fix: make it an object/);
    expect(thrown(() => buildGatewaySpec(plainApp(), [] as unknown as Record<string, RouteOverride>)).message).toMatch(/App descriptor routes is \[\]\. Fix/);
  });

  it('check the auth an entry sets as a declaration\'s is checked (a bad scope is refused by the plan)', () => {
    const err = thrown(() => buildGatewaySpec(plainApp(), { 'GET /status': { auth: { userPool: { scopes: ['bad scope'] } } } }));
    expect(err).toBeInstanceOf(RouteError);
    expect(err.message).toMatch(/Route GET \/status requires the scope "bad scope"/);
  });
});
