import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGatewaySpec, discoverRoutes } from '../../../infra/src/core/plan';
import { RouteError } from '../../../infra/src/errors';
import { errorMiddleware } from '../../../infra/src/route/error-middleware';
import { addRoute } from '../../../infra/src/route/route';
import { route } from '../../../infra/src/route/route-middleware';
import { serve, type TestServer } from '../../support/http';

/**
 * `route({...})`: the declaration of addRoute as Koa middleware, for an existing `router.get/post(...)`
 * whose handler stays a plain Koa handler. It must validate exactly as addRoute does, hand the handler
 * the validated input where a Koa handler reads it, and be discovered exactly as addRoute is.
 */
const Params = Type.Object({ shelf: Type.String({ pattern: '^[a-z]+$' }), n: Type.Integer({ minimum: 1 }) });
const Query = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })), sort: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])) });
const Headers = Type.Object({ 'X-Card': Type.String({ pattern: '^[0-9]+$' }) });
const Body = Type.Object({ title: Type.String({ minLength: 1 }), copies: Type.Optional(Type.Integer({ minimum: 1, default: 1 })) }, { $id: 'ShelfBook', additionalProperties: false });
const Created = Type.Object({ title: Type.String(), copies: Type.Integer(), shelf: Type.String(), n: Type.Integer(), limit: Type.Integer() }, { $id: 'ShelvedBook' });
const declaration = { operationId: 'shelveBook', summary: 'Shelve a book', params: Params, query: Query, headers: Headers, body: Body, responses: { 201: Created } };

/** The same route twice: with addRoute under /a, with route() on a plain router.post under /b. */
function twinApp(): Koa {
  const app = new Koa();
  app.silent = true;
  const a = new Router({ prefix: '/a' });
  addRoute(a, { method: 'POST', path: '/shelves/:shelf/:n', ...declaration }, (ctx, input) => {
    ctx.status = 201;
    ctx.body = { ...input.body, shelf: input.params.shelf, n: input.params.n, limit: input.query.limit };
  });
  const b = new Router({ prefix: '/b' });
  const shelve = route(declaration);
  b.post('/shelves/:shelf/:n', shelve, (ctx) => {
    const input = shelve.input(ctx);
    ctx.status = 201;
    ctx.body = { ...input.body, shelf: input.params.shelf, n: input.params.n, limit: input.query.limit };
  });
  app.use(errorMiddleware({ error: () => undefined }));
  app.use(a.routes());
  app.use(b.routes());
  return app;
}

describe('route(): the declaration as Koa middleware', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve(twinApp());
  });
  afterAll(async () => server?.close());

  const send = async (prefix: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) => {
    const res = await fetch(`${server.url}${prefix}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, ...(init.body !== undefined ? { body: init.body } : {}) });
    return { status: res.status, body: await res.json() };
  };

  it.each([
    ['valid, defaults filled', '/shelves/fiction/2', { headers: { 'x-card': '42' }, body: '{"title":"Emma"}' }],
    ['a path parameter of the wrong form', '/shelves/Fiction/0', { headers: { 'x-card': '42' }, body: '{"title":"Emma"}' }],
    ['a query value out of range and a repeated one', '/shelves/fiction/2?limit=99&sort=asc&sort=desc', { headers: { 'x-card': '42' }, body: '{"title":"Emma"}' }],
    ['a missing header', '/shelves/fiction/2', { body: '{"title":"Emma"}' }],
    ['an invalid body', '/shelves/fiction/2', { headers: { 'x-card': '42' }, body: '{"title":"","extra":1}' }],
    ['no body', '/shelves/fiction/2', { headers: { 'x-card': '42' } }],
    ['malformed JSON', '/shelves/fiction/2', { headers: { 'x-card': '42' }, body: '{"title":' }],
    ['not JSON', '/shelves/fiction/2', { headers: { 'x-card': '42', 'content-type': 'text/plain' }, body: 'Emma' }],
  ])('answers %s exactly as addRoute does', async (_, path, init) => {
    const [viaAddRoute, viaRoute] = [await send('/a', path, init), await send('/b', path, init)];
    expect(viaRoute).toEqual(viaAddRoute);
  });

  it('hands the plain handler the validated input: ctx.request.body, ctx.state.input and .input(ctx); ctx.params stays Koa\'s', async () => {
    const app = new Koa();
    const router = new Router();
    const declared = route({ params: Type.Object({ n: Type.Integer() }), query: Query, body: Body });
    router.put('/items/:n', declared, (ctx) => {
      ctx.body = { requestBody: ctx.request.body, state: ctx.state.input, typed: declared.input(ctx), params: ctx.params, query: ctx.query };
    });
    app.use(router.routes());
    const local = await serve(app);
    try {
      const res = await fetch(`${local.url}/items/3?sort=asc`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"title":"Emma"}' });
      const input = { params: { n: 3 }, query: { sort: 'asc', limit: 10 }, body: { title: 'Emma', copies: 1 } };
      expect(await res.json()).toEqual({ requestBody: input.body, state: input, typed: input, params: { n: '3' }, query: { sort: 'asc' } });
    } finally {
      await local.close();
    }
  });

  it('refuses .input(ctx) of a declaration that did not run for the request, naming the fix', async () => {
    const app = new Koa();
    app.silent = true;
    const router = new Router();
    const one = route({ operationId: 'one', query: Query });
    const other = route({ operationId: 'other', query: Query });
    router.get('/one', one, (ctx) => {
      ctx.body = other.input(ctx);
    });
    let thrown: unknown;
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        thrown = err;
        ctx.status = 500;
      }
    });
    app.use(router.routes());
    const local = await serve(app);
    try {
      expect((await fetch(`${local.url}/one`)).status).toBe(500);
      expect(String((thrown as Error).message)).toMatch(/route\(\) declaration \(other\) did not validate this request\. Fix: mount it before the handler/);
    } finally {
      await local.close();
    }
  });

  it('checks the handler\'s response against its declared schema, as addRoute does', async () => {
    const app = new Koa();
    app.silent = true;
    const router = new Router();
    router.get('/wrong', route({ operationId: 'wrong', responses: { 200: Type.Object({ id: Type.Integer() }) } }), (ctx) => {
      ctx.body = { id: 'not a number' };
    });
    app.use(errorMiddleware({ error: () => undefined }));
    app.use(router.routes());
    const local = await serve(app);
    try {
      expect((await fetch(`${local.url}/wrong`)).status).toBe(500);
    } finally {
      await local.close();
    }
  });

  it('on a user-pool route, puts the token claims in ctx.state.claims and refuses a request without them (401)', async () => {
    const app = new Koa();
    const router = new Router();
    router.get('/me', route({ auth: { userPool: {} } }), (ctx) => {
      ctx.body = ctx.state.claims;
    });
    app.use(errorMiddleware({ error: () => undefined }));
    app.use(router.routes());
    const local = await serve(app);
    try {
      const res = await fetch(`${local.url}/me`);
      expect([res.status, await res.json()]).toEqual([401, { message: 'Unauthorized' }]);
    } finally {
      await local.close();
    }
  });
});

describe('route() is discovered and planned exactly as addRoute', () => {
  it('gives the same declaration and the same planned method as its addRoute twin', () => {
    const routes = discoverRoutes(twinApp());
    expect(routes.map((r) => `${r.method} ${r.koaPath}`)).toEqual(['POST /a/shelves/:shelf/:n', 'POST /b/shelves/:shelf/:n']);
    expect(routes[1]!.meta).toEqual(declaration);
    // Two routes cannot share an operationId: plan each alone and compare.
    const planOf = (form: 'addRoute' | 'route()') => {
      const app = new Koa();
      const router = new Router();
      if (form === 'addRoute') addRoute(router, { method: 'POST', path: '/shelves/:shelf/:n', ...declaration }, () => undefined);
      else router.post('/shelves/:shelf/:n', route(declaration), () => undefined);
      app.use(router.routes());
      const { hash: _, ...spec } = buildGatewaySpec(app);
      return spec;
    };
    expect(planOf('route()')).toEqual(planOf('addRoute'));
    expect(planOf('route()').methods[0]).toMatchObject({ operationId: 'shelveBook', summary: 'Shelve a book', validator: 'BODY_AND_PARAMS', requestModels: { 'application/json': 'ShelfBook' } });
  });

  const appWith = (register: (router: Router) => void) => {
    const app = new Koa();
    const router = new Router();
    register(router);
    app.use(router.routes());
    return app;
  };

  it('refuses one on router.all with a body, naming the methods API Gateway has, not every method Node knows', () => {
    expect(() => buildGatewaySpec(appWith((r) => r.all('/any', route({ body: Body }), () => undefined)))).toThrow(/^Route DELETE,GET,OPTIONS,PATCH,POST,PUT \/any has one declaration for 6 methods, with a body/);
  });

  it('on router.all or several methods, applies a declaration without operationId or body to each method', () => {
    const spec = buildGatewaySpec(appWith((r) => r.all('/hooks/*rest', route({ auth: 'public', summary: 'Any hook' }), () => undefined)));
    expect(spec.methods.map((m) => [m.method, m.apiKeyRequired, m.summary])).toEqual(
      ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((method) => [method, false, 'Any hook']),
    );
  });

  it.each([
    ['an operationId', route({ operationId: 'hook' }), /operationId "hook"/],
    ['a body', route({ body: Body }), /a body/],
  ])('refuses a declaration with %s on several methods, naming the route and the fix', (_, declared, reason) => {
    const app = appWith((r) => r.register('/hook', ['PUT', 'POST'], [declared, () => undefined]));
    const thrown = (() => {
      try {
        buildGatewaySpec(app);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(RouteError);
    expect((thrown as Error).message).toMatch(/^Route PUT,POST \/hook /);
    expect((thrown as Error).message).toMatch(reason);
    expect((thrown as Error).message).toMatch(/Fix: register one route per method/);
  });

  it('refuses a declaration mounted with router.use (it would validate and declare no route)', () => {
    const app = appWith((r) => r.use('/admin', route({ auth: 'public' })));
    expect(() => buildGatewaySpec(app)).toThrow(RouteError);
    expect(() => buildGatewaySpec(app)).toThrow(/route\(\) declaration mounted with router\.use\('\/admin'.*Fix: put it on the route itself/);
  });
});
