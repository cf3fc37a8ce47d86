import type { Context, Middleware, Next } from 'koa';
import type { TSchema } from 'typebox';
import { ROUTE_META, type RouteDeclaration, type RouteInput, type RouteMeta } from './declaration';
import { requestInputReader } from './request-input';
import { responseCheck, responseCheckMode } from './response-check';

/** The middleware `route()` returns: Koa middleware that also gives the handler its validated input, typed. */
export interface RouteMiddleware<B, Q, P, H> extends Middleware {
  /**
   * Returns the input this declaration validated for the request `ctx` (params, query and headers
   * converted and defaults-filled, the body too). Throws an Error when the declaration did not run for
   * this request: the middleware must come before the handler on the same route.
   */
  input(ctx: Context): RouteInput<B, Q, P, H>;
}

/**
 * Returns Koa middleware that declares the route it is mounted on, for an existing route whose handler
 * stays a plain Koa handler: `router.post('/books', route({ body: BookCreate, responses: { 201: Book } }),
 * handler)`. The declaration is that of `addRoute` without method and path (the router's layer has them):
 * it is discovered the same way (recorded under ROUTE_META: infra/src/core/plan/discover.ts) and validates
 * the same way (infra/src/route/request-input.ts: the same 400s, defaults, limits), before `next()`:
 * - `ctx.request.body` is the validated body, defaults filled (a body the app's parser read is used, not read again);
 * - `ctx.state.input` is `{ params, query, headers, body }`, validated and converted (`ctx.params` and
 *   `ctx.query` stay Koa's raw strings); `.input(ctx)` on the returned middleware gives the same, typed;
 * - `ctx.state.claims` holds the token's claims on a user-pool route.
 * After the handler, a successful response is checked against `responses` as addRoute's are. One
 * declaration describes one method: on `router.all(...)` or several methods it is refused at plan time when
 * it names an operationId or a body (see discoverRoutes).
 */
export function route<
  B extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  P extends TSchema | undefined = undefined,
  H extends TSchema | undefined = undefined,
>(declaration: RouteDeclaration<B, Q, P, H>): RouteMiddleware<B, Q, P, H> {
  const meta: RouteMeta = Object.freeze({ ...declaration });
  const readInput = requestInputReader(declaration);
  const operation = (ctx: Context) => declaration.operationId ?? `${ctx.method} ${String((ctx as { _matchedRoute?: unknown })._matchedRoute ?? ctx.path)}`;
  const checkResponse = responseCheck(operation, declaration.responses, responseCheckMode(), declaration.binary?.responses);
  // By request: `.input(ctx)` of another declaration cannot return this one's input.
  const inputs = new WeakMap<Context, RouteInput<B, Q, P, H>>();

  const middleware = async (ctx: Context, next: Next) => {
    const input = await readInput(ctx);
    inputs.set(ctx, input);
    ctx.state.input = input;
    await next();
    checkResponse?.(ctx);
  };
  const input = (ctx: Context): RouteInput<B, Q, P, H> => {
    const found = inputs.get(ctx);
    if (!found) {
      throw new Error(`input(ctx): this route() declaration${declaration.operationId ? ` (${declaration.operationId})` : ''} did not validate this request. Fix: mount it before the handler on the same route, router.post('/path', declaration, handler).`);
    }
    return found;
  };
  Object.defineProperty(middleware, ROUTE_META, { value: meta });
  Object.defineProperty(middleware, 'name', { value: declaration.operationId ?? 'route' });
  return Object.assign(middleware, { input }) as RouteMiddleware<B, Q, P, H>;
}
