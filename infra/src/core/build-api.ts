import type Koa from 'koa';
import type { RouteOverride } from '../route/declaration';
import type { GatewaySettings } from '../settings/types';
import { buildApiDefinition, localInvokeArn } from './definition/document';
import type { ApiDefinition } from './definition/types';
import { buildOpenApi, type OpenApiOptions } from './openapi/build';
import { binaryMediaTypesOf } from './plan/binary';
import { buildGatewaySpec } from './plan/build';
import { modelContracts, modelFormats } from './plan/formats';
import { routesWithoutResponses } from './plan/plan';
import type { GatewaySpec } from './plan/types';
import type { FunctionGroups } from './plan/functions';

/**
 * The one chain from an app to its documents: app (its descriptor's title, version and `createApp`) + a
 * stack's settings → the gateway spec (the plan) → the API definition (the RestApi's body) → the public
 * OpenAPI 3.1 document. Pure: what is deployed (`KoaGateway`), served (`koa-apigateway start`'s
 * /openapi.json), written (`koa-apigateway openapi`) and tested (the conformance suite) all come from these
 * functions, so they cannot drift apart. Reading the descriptor and the stack files is the loader's
 * (infra/src/app/load-stack.ts), not the chain's.
 */

/** What the chain needs of an app: its descriptor's `title`, `version` and `createApp` (an AppDescriptor is one). */
export interface ApiSource {
  /** `info.title` of every document. */
  title: string;
  /** `info.version` of every document; omitted: the definition's default, `1.0.0`. */
  version?: string;
  /** The Koa app with every route mounted; `userPool` says whether the stack has a user pool (token routes may be mounted). */
  createApp(options: { userPool: boolean }): Koa;
  /** The descriptor's `routes` entries for plain routes (`'GET /status': { auth: 'public' }`), applied to the discovered routes. */
  routes?: Readonly<Record<string, RouteOverride>>;
  /** The descriptor's function groups (docs/functions.md): which function serves which route. */
  functions?: FunctionGroups;
}

/** The settings the chain reads: the stage (the server URL), the CORS origins (preflights, gateway responses), the user pool, the app-wide binary media types, the minimum compression size. */
export type ApiSettings = Pick<GatewaySettings, 'stageName' | 'corsOrigins' | 'userPool'> & Partial<Pick<GatewaySettings, 'binaryMediaTypes' | 'minimumCompressionSize'>>;

/** What only the caller knows; every field optional. */
export interface ApiOptions {
  /**
   * The function's invoke ARN in every integration (every group's, unless {@link invokeArns} names it).
   * @default localInvokeArn(group) (a document that is not deployed: LOCAL_INVOKE_ARN for `default`)
   */
  invokeArn?: string;
  /**
   * The invoke ARN of each function group's function (group → ARN), in the integrations of that group's methods;
   * wins over {@link invokeArn}.
   * @default none
   */
  invokeArns?: Readonly<Record<string, string>>;
  /**
   * The user pool's ARN in the `cognito_user_pools` authorizer (the created pool's, once deployed; the local
   * development issuer's for `start`).
   * @default the configured pool's ARN (`userPool` set to an ARN), else UNDEPLOYED_USER_POOL_ARN when `userPool` is `create`, else none
   */
  userPoolArn?: string;
  /** The stack's region, in the public document's server URL (`aws:region`); default `us-east-1`. */
  region?: string;
  /** Servers listed before the deployed one in the public document (the local gateway lists itself). */
  servers?: OpenApiOptions['extraServers'];
}

/** The chain's three documents. */
export interface BuiltApi {
  /** The gateway spec: paths, methods, models, validators (core/plan). */
  spec: GatewaySpec;
  /** The API definition, OpenAPI 3.0.1 with API Gateway's extensions: the RestApi's body (core/definition). */
  definition: ApiDefinition;
  /** The public OpenAPI 3.1 document (core/openapi). */
  openapi: Record<string, unknown>;
}

/**
 * The user pool ARN written into a definition whose stack creates its pool (`userPool: create`) but is not
 * deployed (`koa-apigateway openapi`, the conformance document): the shape of a pool ARN, for a pool that does
 * not exist yet. The public document does not show it (its token scheme is HTTP bearer).
 */
export const UNDEPLOYED_USER_POOL_ARN = 'arn:aws:cognito-idp:local:000000000000:userpool/local_NotDeployed';

/**
 * Returns the gateway spec of the routes `app` serves under `settings`: `createApp({ userPool })` with
 * `userPool` true exactly when the stack has a user pool, then discovery, the descriptor's `routes` entries and planning
 * with its function groups (`functions`). Throws a RouteError, naming the route and the fix, for anything API Gateway
 * cannot deploy and for a route two function groups claim.
 */
export function planApi(app: Pick<ApiSource, 'createApp' | 'routes' | 'functions'>, settings: Pick<ApiSettings, 'userPool'>): GatewaySpec {
  return buildGatewaySpec(app.createApp({ userPool: settings.userPool !== undefined }), app.routes, app.functions);
}

/**
 * Returns the routes `app` can serve in some stack, `METHOD /resource/path`: those of `createApp({ userPool: true })`,
 * the one switch a stack's settings give the app (its user pool routes), planned with its function groups. What a
 * pattern of the descriptor's `functions` or a group named in `resources().functions` is checked against: a route
 * mounted only with a user pool is no typo in a stack without one. Throws what planApi throws.
 */
export function mountableRoutes(app: Pick<ApiSource, 'createApp' | 'routes' | 'functions'>): { routes: string[]; groups: string[] } {
  const spec = buildGatewaySpec(app.createApp({ userPool: true }), app.routes, app.functions);
  return { routes: spec.methods.map((m) => `${m.method} ${m.resourcePath}`), groups: spec.functions.map((f) => f.name) };
}

/**
 * Returns the API definition of `spec` (see buildApiDefinition): `info` from the app, CORS and the binary media types
 * (binaryMediaTypesOf: the routes' and the settings') from the settings,
 * the invoke ARNs (by function group) and the user pool ARN from `options` (defaults there). Throws a RouteError when a route needs a user
 * pool token and the settings have no user pool.
 */
export function defineApi(spec: GatewaySpec, info: Pick<ApiSource, 'title' | 'version'>, settings: ApiSettings, options: ApiOptions = {}): ApiDefinition {
  const configured = settings.userPool?.mode === 'existing' ? settings.userPool.arn : settings.userPool ? UNDEPLOYED_USER_POOL_ARN : undefined;
  const userPoolArn = options.userPoolArn ?? configured;
  return buildApiDefinition(
    spec,
    {
      corsOrigins: settings.corsOrigins,
      title: info.title,
      ...(info.version ? { version: info.version } : {}),
      ...(userPoolArn ? { userPoolArn } : {}),
      // The routes' binary media types and the stack's (docs/binary.md).
      binaryMediaTypes: binaryMediaTypesOf(spec, settings.binaryMediaTypes),
      // Payload compression (docs/compression.md).
      ...(settings.minimumCompressionSize !== undefined ? { minimumCompressionSize: settings.minimumCompressionSize } : {}),
    },
    (group) => options.invokeArns?.[group] ?? options.invokeArn ?? localInvokeArn(group),
  );
}

/**
 * Returns the public OpenAPI 3.1 document of `definition` (see buildOpenApi): `info` from the app, the formats
 * the models of `spec` leave to the service (modelFormats), the methods of `spec` whose routes declare no
 * responses (routesWithoutResponses), the methods' binary bodies, the server URL from the stage and `options.region`.
 */
export function documentApi(
  spec: Pick<GatewaySpec, 'models' | 'methods'>,
  definition: ApiDefinition,
  info: Pick<ApiSource, 'title' | 'version'>,
  settings: Pick<ApiSettings, 'stageName'>,
  options: Pick<ApiOptions, 'region' | 'servers'> = {},
): Record<string, unknown> {
  return buildOpenApi(definition, {
    title: info.title,
    ...(info.version ? { version: info.version } : {}),
    stageName: settings.stageName,
    ...(options.region ? { region: options.region } : {}),
    ...(options.servers ? { extraServers: options.servers } : {}),
    // What the models leave to the service's validation (formats): the public document describes what the API accepts.
    formats: modelFormats(spec),
    // ... and the keywords API Gateway does not enforce (docs/apigateway-behaviour.md §4.18): the whole schemas.
    contracts: modelContracts(spec),
    // Routes that declare no responses: the document says so (a `default` response), not a 200 nobody declared.
    undeclared: routesWithoutResponses(spec),
    // Binary bodies: their media types, as bytes (docs/binary.md).
    binary: Object.fromEntries(spec.methods.filter((m) => m.binary).map((m) => [`${m.method} ${m.resourcePath}`, m.binary!])),
    // Text responses that are not JSON (a CSV): their media type.
    text: Object.fromEntries(spec.methods.filter((m) => m.textResponses).map((m) => [`${m.method} ${m.resourcePath}`, m.textResponses!])),
  });
}

/** Returns the spec, the definition and the public document of `app` under `settings` (planApi, defineApi, documentApi in turn). */
export function buildApi(app: ApiSource, settings: ApiSettings, options: ApiOptions = {}): BuiltApi {
  const spec = planApi(app, settings);
  const definition = defineApi(spec, app, settings, options);
  return { spec, definition, openapi: documentApi(spec, definition, app, settings, options) };
}
