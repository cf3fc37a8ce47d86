import type { Static, TSchema } from 'typebox';

/** Marks the middleware that carries a route's recorded declaration; `Symbol.for` so copies of this module agree. */
export const ROUTE_META = Symbol.for('koa-apigateway.route');

/** Marks a router and its route layers with their function group (functionGroup, ./function-group.ts); `Symbol.for` so copies of this module agree. */
export const FUNCTION_GROUP = Symbol.for('koa-apigateway.function-group');

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

/**
 * The media types of a route's binary request body and responses, in OpenAPI terms (a request body's and a
 * response's `content` keys), e.g. `{ requestBody: ['application/octet-stream'], responses: { 200: ['image/png'] } }`.
 * Each is `type/subtype` (RFC 9110 §8.3.1), or `type/*`; API Gateway treats every one as binary for the whole API.
 */
export interface BinaryMedia {
  /**
   * The media types of the binary request body. The handler finds its exact bytes, a Buffer, in
   * `ctx.request.body` (and `input.body`); it is not validated against a schema, so a route declaring this declares
   * no `body`. A request whose Content-Type is none of them is refused with 415; its size is limited by `bodyLimit`.
   */
  requestBody?: readonly string[];
  /**
   * By status code, the media types of the binary responses (the handler sets `ctx.type` and a Buffer body). A
   * status listed here is a declared response: the response check does not look at its body.
   */
  responses?: Readonly<Record<number, readonly string[]>>;
}

/** The claims of the caller's token, as the handler finds them in `ctx.state.claims` on a user-pool route. */
export type TokenClaims = Record<string, string>;

/**
 * What a route says about itself besides its method and path (plain data, recorded on its middleware and
 * read back from the router by discovery): how it is authorized and documented, and the TypeBox schemas of
 * its input (validated by the service, deployed as the gateway's models) and of its responses.
 */
export interface RouteDeclaration<B extends TSchema | undefined, Q extends TSchema | undefined, P extends TSchema | undefined, H extends TSchema | undefined> {
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
  /**
   * Response schemas by status code; `null` for a response with no body (204). A route that validates its
   * input has its 400 declared with the error body's schema (ErrorResponse) unless it declares its own.
   * None: the route's responses are undeclared, and the OpenAPI document says so (a `default` response).
   */
  responses?: Record<number, TSchema | null>;
  /**
   * The route's binary bodies, by media type (docs/binary.md): what API Gateway must pass as bytes, not as
   * UTF-8 text (its `binaryMediaTypes`: developer guide, "Working with binary media types for REST APIs").
   * The plan deploys the union of every route's types and the stack's `binaryMediaTypes` setting.
   */
  binary?: BinaryMedia;
  /** Largest accepted body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /**
   * The function group serving this route (docs/functions.md): its own Lambda function, e.g. `'write'`. Wins over
   * its router's group (functionGroup); a pattern of the app descriptor's `functions` naming another group is
   * refused at `pulumi preview`. Default: its router's group, else the descriptor's patterns, else `default`.
   */
  function?: string;
  /**
   * Stream the response (docs/streaming.md): API Gateway's response transfer mode `STREAM` for this route's
   * integration, invoking its function with InvokeWithResponseStream, so the client gets the status, the headers and
   * each body chunk as the handler writes it (a stream body, `ctx.res.write`), past the 29 s and 10 MB of a buffered
   * response, up to 15 minutes (developer guide, "Stream the integration response for your proxy integrations in API
   * Gateway"; docs/apigateway-behaviour.md §15). A function is either streaming or buffered: a route streams only in a
   * function group whose routes all stream (`functions: { live: { stream: true } }`, or `function: 'live'` on each
   * streamed route); a group mixing both is refused at `pulumi preview`, naming the routes and the fix. Default false.
   */
  stream?: boolean;
}

/**
 * The recorded declaration of a route: an `addRoute` declaration (with its method and path) or a `route()`
 * middleware's (without: the router layer has them), or what the app descriptor's `routes` entry adds.
 */
export type RouteMeta = RouteDeclaration<TSchema | undefined, TSchema | undefined, TSchema | undefined, TSchema | undefined> & {
  method?: HttpMethod;
  path?: string;
};

/**
 * What the app descriptor's `routes` may say of a route registered without a declaration (plain
 * `router.get(...)`): how it is authorized and documented, its function group (`function`) and whether it streams (`stream`). Schemas are not among them: the service could
 * not validate what its code does not declare (use `route({ body, ... })` for those).
 */
export type RouteOverride = Pick<RouteMeta, 'auth' | 'public' | 'operationId' | 'summary' | 'description' | 'tags' | 'function' | 'stream'>;

type In<T> = T extends TSchema ? Static<T> : undefined;

/** The validated input a handler receives: each part converted to its schema's types, defaults filled. */
export interface RouteInput<B, Q, P, H> {
  body: In<B>;
  query: In<Q>;
  params: In<P>;
  headers: In<H>;
}

/** Returns the declaration recorded on one of a layer's middleware (`addRoute`'s or `route()`'s), if any. */
export function readRouteMeta(stack: readonly unknown[]): RouteMeta | undefined {
  for (const fn of stack) {
    const meta = (fn as { [ROUTE_META]?: RouteMeta } | undefined)?.[ROUTE_META];
    if (meta) return meta;
  }
  return undefined;
}
