import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Static, TSchema } from 'typebox';
import { DEFAULT_BODY_LIMIT, readJsonBody } from './body';
import { HttpError, type FieldError } from './http-error';
import { compileSchema, type CompiledSchema } from './validation';
import { responseCheck, responseCheckMode } from './response-check';

/** Marks the middleware that carries a route's recorded schemas; `Symbol.for` so copies of this module agree. */
export const ROUTE_META = Symbol.for('koa-apigateway.route');

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/**
 * How a route is authorized (docs/auth.md), data like its schemas:
 * - `'apiKey'` (the default): the usage plan's key in `x-api-key`;
 * - `'public'`: nothing (same as `public: true`);
 * - `{ userPool: { scopes } }`: a Cognito user pool token in `Authorization`. Without scopes API Gateway
 *   expects an ID token; with scopes, an access token carrying at least one of them (API Gateway developer
 *   guide, "Integrate a REST API with an Amazon Cognito user pool"). `apiKey: true` requires the key as well,
 *   so the usage plan still meters the caller.
 */
export type RouteAuth = 'apiKey' | 'public' | UserPoolAuth;

export interface UserPoolAuth {
  userPool: { scopes?: readonly string[] };
  /** Also require the API key (default false). */
  apiKey?: boolean;
}

/** The claims of the caller's token, as the handler finds them in `ctx.state.claims` on a user-pool route. */
export type TokenClaims = Record<string, string>;

/** What a route declares: plain data, readable later from the router (`router.stack`). */
export interface RouteSchemas<B extends TSchema | undefined, Q extends TSchema | undefined, P extends TSchema | undefined, H extends TSchema | undefined> {
  method: HttpMethod;
  /** Koa path, e.g. `/api/v1/orders/:id`. */
  path: string;
  /** Stable name of the operation (OpenAPI operationId); defaults to method + path. */
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  /** A public route needs no API key. Default false: every route requires the key. Same as `auth: 'public'`. */
  public?: boolean;
  /** How the route is authorized; default `'apiKey'` (see RouteAuth). */
  auth?: RouteAuth;
  body?: B;
  query?: Q;
  params?: P;
  /**
   * Request headers, one property per header. Names may be written in any case (`X-Request-Id`): header
   * names are case-insensitive (RFC 9110 §5.1), so each is read whatever case the client sent, reaches the
   * handler under its declared name, and is deployed lower-cased.
   */
  headers?: H;
  /** Response schemas by status code; `null` for a response with no body (204). */
  responses?: Record<number, TSchema | null>;
  /** Largest accepted body in bytes (default 1 MiB). */
  bodyLimit?: number;
}

/** The recorded metadata of a route: its declaration without the handler. */
export type RouteMeta = RouteSchemas<TSchema | undefined, TSchema | undefined, TSchema | undefined, TSchema | undefined>;

type In<T> = T extends TSchema ? Static<T> : undefined;

/** The validated input a handler receives. */
export interface RouteInput<B, Q, P, H> {
  body: In<B>;
  query: In<Q>;
  params: In<P>;
  headers: In<H>;
}

export type RouteHandler<B, Q, P, H> = (ctx: Context, input: RouteInput<B, Q, P, H>) => unknown | Promise<unknown>;

/**
 * Registers a route on `router` and returns the router. Validators are compiled here, once; each
 * request is validated (path, query, headers, then the JSON body) before `handler` runs, and the
 * declaration is recorded on the route's middleware so infrastructure can read it from `router.stack`.
 */
export function addRoute<
  B extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  P extends TSchema | undefined = undefined,
  H extends TSchema | undefined = undefined,
>(router: Router, schemas: RouteSchemas<B, Q, P, H>, handler: RouteHandler<B, Q, P, H>): Router {
  const meta: RouteMeta = Object.freeze({ ...schemas });
  const params = schemas.params && compileSchema(schemas.params, 'path');
  const query = schemas.query && compileSchema(schemas.query, 'query');
  const headers = schemas.headers && compileSchema(schemas.headers, 'header');
  const headerNames = headers && declaredHeaderNames(headers);
  const body = schemas.body && compileSchema(schemas.body, 'body');
  const bodyLimit = schemas.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const checkResponse = responseCheck(schemas.operationId ?? `${schemas.method} ${schemas.path}`, schemas.responses, responseCheckMode());

  const userPool = typeof schemas.auth === 'object' ? schemas.auth.userPool : undefined;

  const middleware: Middleware = async (ctx) => {
    // The gateway verified the token; its claims reach the app in the proxy event. Called without them
    // (directly, not through the gateway), a user-pool route refuses as the gateway would.
    if (userPool) ctx.state.claims = claimsOf(ctx);
    const errors: FieldError[] = [];
    const input = {
      params: params ? parseStrings(params, ctx.params, errors) : undefined,
      query: query ? parseStrings(query, ctx.query, errors) : undefined,
      headers: headers ? parseStrings(headers, headerNames ? byDeclaredName(ctx.headers, headerNames) : ctx.headers, errors) : undefined,
      body: undefined as unknown,
    };
    if (errors.length > 0) throw new HttpError(400, 'Invalid request parameters', { errors });
    if (body) {
      // Just parsed: nobody else holds it, so defaults go straight in (no copy).
      const value = body.fillDefaults(await readJsonBody(ctx.req, bodyLimit));
      const bodyErrors = body.explain(value);
      if (bodyErrors.length > 0) throw new HttpError(400, 'Invalid request body', { errors: bodyErrors });
      input.body = value;
    }
    await handler(ctx, input as RouteInput<B, Q, P, H>);
    checkResponse?.(ctx);
  };
  Object.defineProperty(middleware, ROUTE_META, { value: meta });
  Object.defineProperty(middleware, 'name', { value: schemas.operationId ?? `${schemas.method} ${schemas.path}` });

  const verb = schemas.method.toLowerCase() as Lowercase<HttpMethod>;
  router[verb](schemas.path, middleware);
  return router;
}

/**
 * Returns the caller's token claims from the API Gateway event serverless-http attached to the request
 * (`requestContext.authorizer.claims`: Lambda developer guide, "Amazon Cognito user pool authorizer
 * claims"); throws 401 Unauthorized when there are none.
 */
export function claimsOf(ctx: Context): TokenClaims {
  const claims = (ctx.req as { requestContext?: { authorizer?: { claims?: unknown } } }).requestContext?.authorizer?.claims;
  if (claims === null || typeof claims !== 'object') throw new HttpError(401, 'Unauthorized');
  return claims as TokenClaims;
}

/** Returns the metadata `addRoute` recorded on one of a layer's middleware, if any. */
export function readRouteMeta(stack: readonly unknown[]): RouteMeta | undefined {
  for (const fn of stack) {
    const meta = (fn as { [ROUTE_META]?: RouteMeta } | undefined)?.[ROUTE_META];
    if (meta) return meta;
  }
  return undefined;
}

/**
 * Returns the header parameters a schema declares in other than lower case, by their lower-case name
 * (`x-request-id` → `X-Request-Id`), or undefined when there are none. Header names are case-insensitive
 * (RFC 9110 §5.1): Node gives them lower-cased, and the plan deploys them lower-cased (infra/src/core/plan/plan.ts).
 */
function declaredHeaderNames(compiled: CompiledSchema): Map<string, string> | undefined {
  const properties = (compiled.schema as { properties?: Record<string, unknown> }).properties ?? {};
  const names = new Map(Object.keys(properties).filter((name) => name !== name.toLowerCase()).map((name) => [name.toLowerCase(), name]));
  return names.size > 0 ? names : undefined;
}

/** Returns the request's headers with each of `names` (lower case → declared) under its declared name. */
function byDeclaredName(headers: Record<string, unknown>, names: Map<string, string>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(headers)) out[names.get(key) ?? key] = value;
  return out;
}

/**
 * Returns path, query or header values converted to the schema's types with defaults applied,
 * appending field errors. A repeated query key for a single-valued field is an error, not a guess.
 */
function parseStrings(compiled: CompiledSchema, source: Record<string, unknown>, errors: FieldError[]): unknown {
  const properties = (compiled.schema as { properties?: Record<string, TSchema & { type?: unknown }> }).properties ?? {};
  // No prototype: a query key or header called `constructor` or `__proto__` is an ordinary name.
  const raw = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(source ?? {})) {
    if (Array.isArray(value) && Object.hasOwn(properties, key) && properties[key]!.type !== 'array') {
      errors.push({ path: `/${key}`, message: 'must be given once', in: compiled.location });
      continue;
    }
    // A copy of a repeated key's values: nothing below may reach into Koa's own query object.
    raw[key] = Array.isArray(value) ? [...value] : value;
  }
  // `raw` and what `convert` makes of it are this request's own: defaults go straight in (no deep copy).
  const value = compiled.fillDefaults(compiled.convert(raw));
  errors.push(...compiled.explain(value));
  return value;
}
