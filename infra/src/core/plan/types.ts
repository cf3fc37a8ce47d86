/**
 * The gateway spec: plain, JSON-serialisable data derived once from the Koa router.
 * Every consumer (the Pulumi component, the local gateway emulator, the OpenAPI generator) reads
 * only this, never Koa internals.
 */

export type GatewayMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** A draft-04 JSON Schema object, as API Gateway's models accept it. */
export type Draft04Schema = Record<string, unknown>;

/** Which of the (at most three) request validators a method uses. */
export type ValidatorKind = 'BODY' | 'PARAMS' | 'BODY_AND_PARAMS';

/** One API Gateway resource (path part); the root `/` is implicit and not listed. */
export interface ResourceSpec {
  /** Full resource path, e.g. `/api/v1/orders/{id}`. */
  path: string;
  /** Path of the parent resource (`/` for a top-level part). */
  parentPath: string;
  /** The last path part, e.g. `{id}`, `{proxy+}`, `orders`. */
  pathPart: string;
}

/** One deployed method. */
export interface MethodSpec {
  /** Stable, content-derived name (from method + path, never from position), e.g. `GET-api-v1-orders-id`. */
  key: string;
  method: GatewayMethod;
  /** API Gateway resource path, e.g. `/api/v1/orders/{id}`. */
  resourcePath: string;
  /** The route's Koa path, e.g. `/api/v1/orders/:id`. */
  koaPath: string;
  operationId: string;
  /**
   * The function group serving it (docs/functions.md): the route's own (`function`), its router's
   * (functionGroup), the descriptor's `functions` pattern matching it, else `default`.
   */
  function: string;
  /**
   * Set when the method's integration streams the response (its route's or its function group's `stream: true`:
   * docs/streaming.md): response transfer mode `STREAM` and the function's response-streaming invocation URI.
   */
  stream?: true;
  summary?: string;
  description?: string;
  tags?: string[];
  /** false for routes marked `public`, and for user-pool routes that do not also ask for the key. */
  apiKeyRequired: boolean;
  /** Set when the route requires a Cognito user pool token: the scopes it needs (empty: an ID token). */
  userPool?: { scopes: string[] };
  /** `method.request.path.id`, `method.request.querystring.limit`, `method.request.header.x`: required or not. */
  requestParameters: Record<string, boolean>;
  /** Content type → model name, e.g. `{"application/json": "OrderCreate"}`. */
  requestModels: Record<string, string>;
  /** The validator this method needs, or null when there is nothing to validate at the gateway. */
  validator: ValidatorKind | null;
  /** Status code → model name (null: no body). Documentation and OpenAPI only. */
  responses: Record<string, string | null>;
  /**
   * Set when the route declares none of its responses (a plain `router.get(...)`, one that only a descriptor
   * `routes` entry describes, a `route()`/`addRoute` without `responses`): what the function answers is not
   * known. `responses` then holds at most the 400 of a route that validates its input. The public document
   * says so with a `default` response (infra/src/core/openapi/build.ts), and the conformance suite checks
   * only that such a route's valid request reaches the function.
   */
  responsesUndeclared?: true;
  /**
   * The route's binary bodies (its `binary` option: docs/binary.md): the media types of its binary request body,
   * and by status code those of its binary responses; lower-cased. Absent when it declares none.
   */
  binary?: { requestBody?: string[]; responses?: Record<string, string[]> };
  /**
   * The route's declared `bodyLimit` in bytes (the route kit's option; the function answers 413 past it). With `waf`
   * on, a limit under API Gateway's 10 MB payload limit becomes a web ACL rule (infra/src/core/waf-body-limits.ts).
   * Absent when the route declares none (the function's default then applies, and no rule).
   */
  bodyLimit?: number;
  /**
   * By status code, the media type of a response that is text but not JSON: one whose schema is a string with a
   * `contentMediaType` (JSON Schema 2020-12 Validation, section 8.4, e.g. `Type.String({ contentMediaType: 'text/csv' })`), lower-cased.
   * The public document shows it as that media type's content (a string) instead of `application/json`. Absent
   * when no response is one.
   */
  textResponses?: Record<string, string>;
  /**
   * The route's original schemas (modern JSON Schema as TypeBox emits it), for OpenAPI and docs.
   * `params`/`query`/`headers` are object schemas whose properties are the individual parameters.
   */
  schemas: {
    body?: Record<string, unknown>;
    query?: Record<string, unknown>;
    params?: Record<string, unknown>;
    headers?: Record<string, unknown>;
  };
}

export interface ModelSpec {
  /** Alphanumeric and stable (from the schema's `$id`, or derived from the route). */
  name: string;
  contentType: 'application/json';
  /**
   * A draft-04 schema, self-contained (shared schemas inlined), in the subset the OpenAPI 3.0
   * document carries (no `$schema`, `enum: [null]` for null): see toImportableModel.
   */
  schema: Draft04Schema;
  /**
   * The `format`s the route declared in this schema, by JSON pointer into `schema` (`/properties/homepage` →
   * `uri`), which the model leaves to the service (./formats.ts leaveFormatsToService); absent when none.
   * The public OpenAPI document carries them; API Gateway gets none.
   */
  formats?: Record<string, string>;
  /**
   * The whole schema the route declared, in the document's form (formats and every keyword included), when
   * `schema` (the deployed model) leaves part of it to the service: its formats, or keywords API Gateway does
   * not enforce (./enforced.ts keepEnforcedKeywords, docs/apigateway-behaviour.md §4.18). The public OpenAPI
   * document shows this one: it is the contract; absent when `schema` is all of it.
   */
  contract?: Draft04Schema;
}

export interface GatewaySpec {
  resources: ResourceSpec[];
  methods: MethodSpec[];
  models: ModelSpec[];
  /** The validators used by at least one method. */
  validators: ValidatorKind[];
  /**
   * The functions to deploy: each group serving at least one method, sorted by name, with its routes and the
   * descriptor's settings of it (stack defaults not applied: core/plan/functions.ts resolveFunction). Without
   * `functions` in the descriptor and without groups in the code, one: `default`, serving every route.
   */
  functions: FunctionSpec[];
  /**
   * The binary media types the routes declare (every MethodSpec `binary`), lower-cased, deduplicated, sorted. The
   * deployed API's are these and the stack's `binaryMediaTypes` setting: binaryMediaTypesOf (./binary.ts).
   * Absent when no route declares one (so the spec, and its hash, of an app without binary routes is what it was).
   */
  binaryMediaTypes?: string[];
  /** sha256 of everything above: the Deployment's trigger. Same spec → same hash. */
  hash: string;
}

/**
 * One function group of the app descriptor's `functions` (`functions: { write: { routes: ['POST /items'], memorySize: 1024 } }`):
 * the routes it serves and how its function runs. Every field is optional; what is left out is the stack's.
 */
export interface FunctionGroup {
  /**
   * Routes this group serves: `METHOD /path` as the router registers it (`GET /api/v1/orders/:id`; `{id}` accepted
   * too), `*` for any method (`* /health`), a trailing `/*` for every path below (`GET /api/v1/*`). A pattern that
   * matches no route is no error (routes may be mounted conditionally): `pulumi preview` and `koa-apigateway synth`
   * warn about it, naming it.
   */
  routes?: readonly string[];
  /**
   * The Lambda entry of this group (relative to the descriptor), exporting `handler`; default the descriptor's
   * `lambda`. A group's own entry mounts only its routes, so its bundle holds only what they import.
   */
  lambda?: string;
  /** MB, 128..10240; default the stack's `lambdaMemorySize`. */
  memorySize?: number;
  /** Seconds, 1..900; default the stack's `lambdaTimeout` (more than API Gateway's 29 s only costs: a warning says so). */
  timeoutSeconds?: number;
  /** Default the stack's `lambdaArchitecture`. */
  architecture?: 'arm64' | 'x86_64';
  /** Concurrent executions reserved for (and capping) this function; default none (the account's unreserved pool). */
  reservedConcurrency?: number;
  /** This group's own environment variables, over the ones every function gets. */
  environment?: Readonly<Record<string, string>>;
  /** The function's description. */
  description?: string;
  /**
   * Every route of the group streams its response (docs/streaming.md): the function's handler streams (InvokeWithResponseStream)
   * and API Gateway's integrations of its routes use the response transfer mode `STREAM`. A route's own `stream: true`
   * in a group that does not say so is refused unless every route of the group says it too. Default false.
   */
  stream?: boolean;
}

/** The descriptor's `functions`: named groups, or `'per-route'` (every route its own function, named from its operationId). */
export type FunctionGroups = Readonly<Record<string, FunctionGroup>> | 'per-route';

/**
 * One deployed function of the spec (GatewaySpec `functions`): a group with at least one route, with the
 * descriptor's settings of it as given (stack defaults not applied: see core/plan/functions.ts resolveFunction).
 */
export interface FunctionSpec extends Omit<FunctionGroup, 'routes'> {
  name: string;
  /** The routes it serves, `METHOD /resource/path`, sorted. */
  routes: string[];
}
