import type { HttpMethod, RouteMeta, RouteOverride } from '../../route/declaration';
import { RouteError } from '../../errors';
import type { DiscoveredRoute } from './discover';
import { toGatewayPath } from './paths';

/** What an entry of the app descriptor's `routes` may set: the keys of {@link RouteOverride}. */
const FIELDS: ReadonlyArray<keyof RouteOverride> = ['auth', 'public', 'operationId', 'summary', 'description', 'tags', 'function', 'stream'];

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** `METHOD /path`: one upper-case method, one space, the Koa path as registered. */
const KEY = /^([A-Z]+) (\/\S*)$/;

/**
 * Returns `routes` with the app descriptor's `routes` entries applied: each entry, keyed `METHOD /path`
 * (the Koa path as the router registered it, prefix included: `'GET /status'`, `'POST /webhooks/:source'`),
 * adds its fields (auth, summary, operationId, function, ...) to that route's declaration, so a plain
 * `router.get('/status', ...)` can be public or documented without touching its code. Pure; the input is
 * not changed. Throws RouteError, naming the entry and the fix, for a key that is not `METHOD /path`, a
 * field that is not one of {@link RouteOverride}'s, an entry that names no route the app serves, and a field
 * the route's own declaration (addRoute, route()) sets to something else.
 */
export function applyRouteOverrides(routes: readonly DiscoveredRoute[], overrides: Readonly<Record<string, RouteOverride>> | undefined): DiscoveredRoute[] {
  if (overrides === undefined) return [...routes];
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new RouteError(`App descriptor routes is ${JSON.stringify(overrides)}. Fix: make it an object keyed 'METHOD /path', e.g. routes: { 'GET /status': { auth: 'public' } }.`);
  }
  const out = [...routes];
  for (const [key, entry] of Object.entries(overrides)) {
    const label = `App descriptor routes['${key}']`;
    const match = KEY.exec(key);
    if (!match || !(METHODS as string[]).includes(match[1]!)) {
      const guess = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(key);
      throw new RouteError(
        `${label}: the key is not METHOD /path. Fix: write the method in capitals, one space, then the path as the router registers it${guess && (METHODS as string[]).includes(guess[1]!.toUpperCase()) ? ` ('${guess[1]!.toUpperCase()} ${guess[2]}')` : ", e.g. 'GET /status'"}; methods: ${METHODS.join(', ')}.`,
      );
    }
    const [, method, path] = match as unknown as [string, HttpMethod, string];
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new RouteError(`${label} is ${JSON.stringify(entry)}. Fix: make it an object of ${FIELDS.join(', ')}, e.g. { auth: 'public' }.`);
    }
    const unknown = Object.keys(entry).filter((field) => !(FIELDS as string[]).includes(field));
    if (unknown.length > 0) {
      throw new RouteError(
        `${label} sets ${unknown.join(', ')}, which an entry cannot set: it may set ${FIELDS.join(', ')}. ` +
          "Fix: remove them; schemas and responses belong in the code, router.post('/path', route({ body, responses }), handler) (koa-apigateway/route), where the service validates them.",
      );
    }
    const index = out.findIndex((r) => r.method === method && r.koaPath === path);
    if (index < 0) throw new RouteError(`${label} names no route the app serves. Fix: ${nearest(routes, method, path)}`);
    const route = out[index]!;
    const conflicts = conflictsOf(route.meta, entry);
    if (conflicts.length > 0) {
      throw new RouteError(
        `${label} conflicts with the route's own declaration (addRoute or route()): ${conflicts.join('; ')}. Fix: change it in one place, the code or the entry, and remove it from the other.`,
      );
    }
    out[index] = { ...route, meta: Object.freeze({ ...route.meta, ...entry }) as RouteMeta };
  }
  return out;
}

/** Returns each field the declaration sets to something other than the entry, as `field: declared X, entry Y`. */
function conflictsOf(meta: RouteMeta | undefined, entry: RouteOverride): string[] {
  if (!meta) return [];
  const out: string[] = [];
  const authOf = (d: RouteOverride) => d.auth ?? (d.public === true ? 'public' : undefined);
  const declaredAuth = authOf(meta);
  const entryAuth = authOf(entry);
  if ((entry.auth !== undefined || entry.public !== undefined) && declaredAuth !== undefined && JSON.stringify(declaredAuth) !== JSON.stringify(entryAuth)) {
    out.push(`auth: declared ${JSON.stringify(declaredAuth)}, entry ${JSON.stringify(entryAuth ?? 'apiKey')}`);
  }
  for (const field of ['operationId', 'summary', 'description', 'tags', 'function', 'stream'] as const) {
    if (entry[field] !== undefined && meta[field] !== undefined && JSON.stringify(meta[field]) !== JSON.stringify(entry[field])) {
      out.push(`${field}: declared ${JSON.stringify(meta[field])}, entry ${JSON.stringify(entry[field])}`);
    }
  }
  return out;
}

/** Returns the fix for an entry naming no route: the route it most likely means, else the routes there are. */
function nearest(routes: readonly DiscoveredRoute[], method: string, path: string): string {
  const gatewayPath = (koaPath: string) => {
    try {
      return toGatewayPath(koaPath, koaPath).path;
    } catch {
      return undefined;
    }
  };
  // `{id}` written for `:id`, or the other way round: the same API Gateway path.
  const wanted = path.replace(/\{([^}+]+)\+?\}/g, ':$1');
  const samePath = routes.filter((r) => r.koaPath === path || r.koaPath === wanted || (gatewayPath(path) !== undefined && gatewayPath(r.koaPath) === gatewayPath(path)));
  const sameMethod = samePath.find((r) => r.method === method);
  if (sameMethod) return `write the path as the router registers it: '${sameMethod.method} ${sameMethod.koaPath}'.`;
  if (samePath.length > 0) return `${path} is served for ${samePath.map((r) => r.method).join(', ')} only: key the entry '${samePath[0]!.method} ${samePath[0]!.koaPath}', or remove it.`;
  const served = routes.map((r) => `${r.method} ${r.koaPath}`);
  return `key it 'METHOD /path' as the router registers the route (prefix included), or remove it. The app serves: ${served.length > 0 ? served.slice(0, 20).join(', ') : 'no routes'}${served.length > 20 ? ', ...' : ''}.`;
}
