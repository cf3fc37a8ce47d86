import type { Context, Middleware } from 'koa';
import type { TSchema } from 'typebox';
import { ROUTE_META, type HttpMethod, type RouteDeclaration, type RouteInput, type RouteMeta } from './declaration';
import { requestInputReader } from './request-input';
import { responseCheck, responseCheckMode } from './response-check';

/** What `addRoute` takes: a route's declaration with its method and Koa path. */
export interface RouteSchemas<B extends TSchema | undefined, Q extends TSchema | undefined, P extends TSchema | undefined, H extends TSchema | undefined>
  extends RouteDeclaration<B, Q, P, H> {
  method: HttpMethod;
  /** Koa path, e.g. `/api/v1/orders/:id`. */
  path: string;
}

/**
 * What `addRoute` needs of a router: a method per HTTP verb (lower case) that registers `path` with the
 * route's middleware, as @koa/router's `Router` has them (`router.get(path, middleware)`). A structural type,
 * not @koa/router's class: @koa/router ships separate declarations for `import` (index.d.mts) and `require`
 * (index.d.ts), and a class with private members from one is not assignable to the other's ("types have separate
 * declarations of a private property"): naming the class here, where this package's CommonJS declarations reach
 * index.d.ts, refused the router of an ES module project (`"type": "module"`, `module: nodenext`), whose
 * `Router` is index.d.mts's. Any `Router` of @koa/router, whatever its state and context types, prefixed or
 * nested, is a RouteRegistrar, in CommonJS, ES module and bundler-resolution projects alike
 * (tests/product/route/consumer-types.test.ts).
 */
export interface RouteRegistrar {
  get(path: string, middleware: Middleware): unknown;
  post(path: string, middleware: Middleware): unknown;
  put(path: string, middleware: Middleware): unknown;
  patch(path: string, middleware: Middleware): unknown;
  delete(path: string, middleware: Middleware): unknown;
  head(path: string, middleware: Middleware): unknown;
  options(path: string, middleware: Middleware): unknown;
}

export type RouteHandler<B, Q, P, H> = (ctx: Context, input: RouteInput<B, Q, P, H>) => unknown | Promise<unknown>;

/**
 * Registers a route on `router` (@koa/router's `Router`, or anything with its verb methods: {@link RouteRegistrar})
 * and returns the router, typed as passed. Validators are compiled here, once; each
 * request is validated (path, query, headers, then the JSON body: infra/src/route/request-input.ts)
 * before `handler` runs, which gets the validated input (the body is also in `ctx.request.body`), and the
 * declaration is recorded on the route's middleware so infrastructure can read it from `router.stack`.
 * For a route whose handler stays a plain Koa handler, see `route()` (infra/src/route/route-middleware.ts).
 */
export function addRoute<
  B extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  P extends TSchema | undefined = undefined,
  H extends TSchema | undefined = undefined,
  R extends RouteRegistrar = RouteRegistrar,
>(router: R, schemas: RouteSchemas<B, Q, P, H>, handler: RouteHandler<B, Q, P, H>): R {
  const meta: RouteMeta = Object.freeze({ ...schemas });
  const name = schemas.operationId ?? `${schemas.method} ${schemas.path}`;
  const readInput = requestInputReader(schemas);
  const checkResponse = responseCheck(name, schemas.responses, responseCheckMode(), schemas.binary?.responses);

  const middleware: Middleware = async (ctx) => {
    await handler(ctx, await readInput(ctx));
    checkResponse?.(ctx);
  };
  Object.defineProperty(middleware, ROUTE_META, { value: meta });
  Object.defineProperty(middleware, 'name', { value: name });

  const verb = schemas.method.toLowerCase() as Lowercase<HttpMethod>;
  router[verb](schemas.path, middleware);
  return router;
}
