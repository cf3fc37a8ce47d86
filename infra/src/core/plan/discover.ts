import type Koa from 'koa';
import { FUNCTION_GROUP, readRouteMeta, type HttpMethod, type RouteMeta } from '../../route/declaration';
import { RouteError } from '../../errors';

/** One method + path the app serves, with the declaration `addRoute` recorded (if it was used). */
export interface DiscoveredRoute {
  method: HttpMethod;
  /** The Koa path as registered (router prefix included), e.g. `/api/v1/orders/:id`. */
  koaPath: string;
  /** What `addRoute` or `route()` recorded (and the app descriptor's `routes` entry added); undefined for a plain `router.get(...)`. */
  meta?: RouteMeta;
  /** The function group of the router it was registered on (functionGroup, route/function-group.ts), if any. */
  group?: string;
}

interface LayerLike {
  [FUNCTION_GROUP]?: unknown;
  methods: string[];
  path: string | RegExp;
  stack: unknown[];
  opts?: { pathAsRegExp?: boolean; end?: boolean };
}

interface RouterLike {
  stack: LayerLike[];
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/**
 * Returns every method + path of the routers the app really serves, in registration order.
 * Walks `app.middleware` for @koa/router dispatchers (`router.routes()` carries `.router`), then
 * each router's `stack`. Layers without methods are `router.use()` middleware, not endpoints.
 * The HEAD that @koa/router adds for every GET is dropped: API Gateway deploys it with nothing behind it.
 */
export function discoverRoutes(app: Koa): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  for (const middleware of app.middleware as unknown[]) {
    const router = (middleware as { router?: RouterLike } | undefined)?.router;
    if (!router || !Array.isArray(router.stack)) continue;
    for (const layer of router.stack) routes.push(...routesOfLayer(layer));
  }
  return routes;
}

function routesOfLayer(layer: LayerLike): DiscoveredRoute[] {
  if (layer.methods.length === 0) {
    if (readRouteMeta(layer.stack)) {
      throw new RouteError(
        `A route() declaration mounted with router.use('${String(layer.path)}', ...) validates every request under it and declares no route. ` +
          "Fix: put it on the route itself, router.post('/path', route({...}), handler).",
      );
    }
    return [];
  }
  if (typeof layer.path !== 'string' || layer.opts?.pathAsRegExp) {
    throw new RouteError(
      `Route ${layer.methods.join(',')} ${String(layer.path)} is a regular expression: API Gateway resources are literal path parts and {variables}. ` +
        'Fix: register it with a string path such as /items/:id, or a trailing wildcard /files/*path.',
    );
  }
  const koaPath = layer.path;
  const meta = readRouteMeta(layer.stack);
  // `router.all()` registers every method Node knows (ACL, PROPFIND, ...): deploy the ones API Gateway has.
  const deployable = layer.methods.filter((m): m is HttpMethod => (METHODS as string[]).includes(m));
  if (deployable.length === 0) {
    throw new RouteError(`Route ${layer.methods.join(',')} ${koaPath} uses only methods API Gateway REST APIs cannot deploy. Fix: use one of ${METHODS.join(', ')}.`);
  }
  const methods = deployable.filter((m) => !(m === 'HEAD' && deployable.includes('GET')));
  if (meta && methods.length > 1) refuseShared(meta, `${methods.join(',')} ${koaPath}`, methods.length);
  const group = layer[FUNCTION_GROUP];
  return methods.map((method) => ({ method, koaPath, ...(meta ? { meta } : {}), ...(typeof group === 'string' ? { group } : {}) }));
}

/**
 * Throws when one declaration (a `route()` on `router.all(...)` or on several methods) says what only one
 * method can have: an operationId names one operation, and a body is one method's (API Gateway would
 * require it on GET and OPTIONS too). Auth and documentation apply to each method alike.
 */
function refuseShared(meta: RouteMeta, label: string, count: number): void {
  const reasons = [
    ...(meta.operationId !== undefined ? [`operationId "${meta.operationId}" (one operation's name)`] : []),
    ...(meta.body !== undefined ? ['a body (one method\'s request)'] : []),
  ];
  if (reasons.length === 0) return;
  throw new RouteError(
    `Route ${label} has one declaration for ${count} methods, with ${reasons.join(' and ')}. ` +
      "Fix: register one route per method, each with its own route({...}) (router.post('/path', route({...}), handler)), or drop the operationId and body from the shared one.",
  );
}
