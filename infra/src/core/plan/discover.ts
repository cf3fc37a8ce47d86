import type Koa from 'koa';
import { readRouteMeta, type HttpMethod, type RouteMeta } from '../../route/declaration';
import { RouteError } from '../../errors';

/** One method + path the app serves, with the declaration `addRoute` recorded (if it was used). */
export interface DiscoveredRoute {
  method: HttpMethod;
  /** The Koa path as registered (router prefix included), e.g. `/api/v1/orders/:id`. */
  koaPath: string;
  /** What `addRoute` recorded; undefined for a route added with plain `router.get(...)`. */
  meta?: RouteMeta;
}

interface LayerLike {
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
  if (layer.methods.length === 0) return [];
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
  return methods.map((method) => ({ method, koaPath, ...(meta ? { meta } : {}) }));
}
