import type { ResourceSpec } from './types';
import { RouteError } from '../../errors';

/** API Gateway's default limit of resources per REST API (the root included). */
export const MAX_RESOURCES = 300;

/** A Koa path converted for API Gateway, with the path variables it declares. */
export interface GatewayPath {
  /** e.g. `/api/v1/orders/{id}`; `/` for the root. */
  path: string;
  /** Variable names in order, e.g. `['id']`; a greedy variable is `proxy`. */
  variables: string[];
  greedy: boolean;
}

// API Gateway path parts: letters, digits, `._-,:` (and `{var}` / `{var+}` as a whole part).
const LITERAL_PART = /^[A-Za-z0-9._\-,:]+$/;
const PARAM = /^:([A-Za-z_$][A-Za-z0-9_$]*)$/;
const WILDCARD = /^\*([A-Za-z_$][A-Za-z0-9_$]*)?$/;

/**
 * Returns the API Gateway form of a Koa (path-to-regexp v8) path: `:id` → `{id}`, a trailing
 * wildcard `*rest` → `{proxy+}`. Throws, naming the route and the fix, for what API Gateway cannot
 * express: optional groups, parameters inside a part, a wildcard before the end, illegal characters.
 */
export function toGatewayPath(koaPath: string, route = koaPath): GatewayPath {
  if (!koaPath.startsWith('/')) throw refuse(route, `the path "${koaPath}" does not start with "/"`, 'start the path with "/"');
  if (koaPath === '/') return { path: '/', variables: [], greedy: false };
  if (/[{}]/.test(koaPath)) {
    throw refuse(route, 'optional groups ({...}) cannot be expressed as API Gateway resources', 'register one route per variant, e.g. /items and /items/:id');
  }
  if (/[()?+\\]/.test(koaPath)) {
    throw refuse(route, 'regular-expression syntax ( ) ? + \\ is not supported by API Gateway', 'use plain parts, :name variables and a trailing *name wildcard');
  }
  // A trailing slash is served by the same resource (API Gateway matches `/orders/` on `/orders`).
  const trimmed = koaPath.length > 1 ? koaPath.replace(/\/+$/, '') : koaPath;
  const parts = trimmed.slice(1).split('/');
  const out: string[] = [];
  const variables: string[] = [];
  let greedy = false;
  parts.forEach((part, i) => {
    if (part === '') throw refuse(route, 'it has an empty path part ("//")', 'remove the doubled slash');
    const param = PARAM.exec(part);
    if (param) {
      const name = param[1]!;
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw refuse(route, `the variable ":${name}" has characters API Gateway does not allow in {names}`, 'use letters, digits and _');
      if (variables.includes(name)) throw refuse(route, `the variable ":${name}" appears twice`, 'give each path variable its own name');
      variables.push(name);
      out.push(`{${name}}`);
      return;
    }
    if (WILDCARD.test(part)) {
      if (i !== parts.length - 1) throw refuse(route, 'a wildcard is only possible as the last path part ({proxy+} is greedy)', 'move the wildcard to the end of the path');
      variables.push('proxy');
      greedy = true;
      out.push('{proxy+}');
      return;
    }
    if (part.includes(':') && /:[A-Za-z_$]/.test(part)) {
      throw refuse(route, `the part "${part}" mixes text and a variable; API Gateway variables must be a whole path part`, 'make the variable its own part, e.g. /files/:name instead of /files/file-:name');
    }
    if (part.includes('*')) throw refuse(route, `the part "${part}" mixes text and a wildcard`, 'make the wildcard a whole trailing part, e.g. /files/*path');
    if (!LITERAL_PART.test(part)) {
      throw refuse(route, `the part "${part}" has characters API Gateway does not allow (only a-z A-Z 0-9 . _ - , :)`, 'rename the path part');
    }
    out.push(part);
  });
  return { path: `/${out.join('/')}`, variables, greedy };
}

/**
 * Returns every resource (path part) the given paths need, parents before children, sorted by path;
 * the root `/` is implicit and not listed. Throws when siblings declare different variables
 * (API Gateway allows one variable part per level) or when there are more than MAX_RESOURCES.
 */
export function buildResourceTree(paths: readonly { path: string; route: string }[]): ResourceSpec[] {
  const resources = new Map<string, ResourceSpec & { route: string }>();
  for (const { path, route } of paths) {
    if (path === '/') continue;
    const parts = path.slice(1).split('/');
    for (let i = 0; i < parts.length; i++) {
      const full = `/${parts.slice(0, i + 1).join('/')}`;
      if (resources.has(full)) continue;
      resources.set(full, { path: full, parentPath: i === 0 ? '/' : `/${parts.slice(0, i).join('/')}`, pathPart: parts[i]!, route });
    }
  }
  const variableChild = new Map<string, ResourceSpec & { route: string }>();
  for (const resource of resources.values()) {
    if (!resource.pathPart.startsWith('{')) continue;
    const other = variableChild.get(resource.parentPath);
    if (other) {
      throw new RouteError(
        `Routes ${other.route} and ${resource.route} declare different variables (${other.pathPart} and ${resource.pathPart}) under ${resource.parentPath}: ` +
          'API Gateway allows one variable path part per level. Fix: use the same variable name in both routes.',
      );
    }
    variableChild.set(resource.parentPath, resource);
  }
  // The root resource counts towards the limit.
  if (resources.size + 1 > MAX_RESOURCES) {
    throw new RouteError(
      `The routes need ${resources.size + 1} API Gateway resources, more than the default limit of ${MAX_RESOURCES} per REST API. ` +
        'Fix: serve groups of routes through one trailing wildcard route (e.g. /admin/*path), or request a quota increase and raise MAX_RESOURCES.',
    );
  }
  return [...resources.values()].map(({ route: _route, ...r }) => r).sort((a, b) => compare(a.path, b.path));
}

/** Returns a Pulumi-safe slug of a gateway path: `/api/v1/orders/{id}` → `api-v1-orders-id`, `/` → `root`. */
export function slugOfPath(path: string): string {
  if (path === '/') return 'root';
  return path
    .slice(1)
    .split('/')
    .map((part) => part.replace(/^\{(.+?)(\+?)\}$/, (_m, name: string, plus: string) => (plus ? `${name}-greedy` : name)).replace(/[^A-Za-z0-9_.-]/g, '_'))
    .join('-');
}

/** Code-point string order: the same on every machine, unlike localeCompare. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function refuse(route: string, reason: string, fix: string): RouteError {
  return new RouteError(`Route ${route} cannot be deployed to API Gateway: ${reason}. Fix: ${fix}.`);
}
