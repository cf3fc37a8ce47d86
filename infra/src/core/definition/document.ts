import { GATEWAY_TIMEOUT_SECONDS } from '../limits';
import { toImportableModel } from '../plan/importable';
import { toDraft04 } from '../plan/models';
import { compare } from '../plan/paths';
import type { GatewaySpec, MethodSpec, ValidatorKind } from '../plan/types';
import { DEFAULT_FUNCTION } from '../plan/functions';
import { securityOf, securitySchemesOf } from './auth';
import { checkImportable } from './import-check';
import { planGatewayResponses, planPreflights, type PreflightSpec } from './cors';
import type { ApiDefinition, GatewayResponseDefinition, Operation, Parameter, RequestValidatorRules } from './types';

export interface DefinitionOptions {
  /** Allowed CORS origins (settings `corsOrigins`); empty: no preflights, no CORS headers. */
  corsOrigins: readonly string[];
  /** `info.title`: the REST API's name when none is given to the RestApi resource. */
  title?: string;
  version?: string;
  /**
   * The Cognito user pool ARN of the `cognito_user_pools` authorizer (`arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID`);
   * required when a route requires a user pool token.
   */
  userPoolArn?: string;
  /**
   * The API's binary media types (the plan's binaryMediaTypesOf: the routes' and the stack's), written as
   * `x-amazon-apigateway-binary-media-types` when there are any.
   */
  binaryMediaTypes?: readonly string[];
  /**
   * The stack's `minimumCompressionSize` (bytes, 0-10485760), written as `x-amazon-apigateway-minimum-compression-size`;
   * undefined: compression off, no extension (docs/compression.md).
   */
  minimumCompressionSize?: number;
}

/**
 * The invoke ARN written into a definition that is not deployed (the local gateway, `koa-apigateway openapi`):
 * the shape API Gateway expects, for a function that does not exist.
 */
export const LOCAL_INVOKE_ARN = 'arn:aws:apigateway:local:lambda:path/2015-03-31/functions/arn:aws:lambda:local:000000000000:function:local/invocations';

/**
 * Returns the invoke ARN a definition that is not deployed gives the function of `group`: {@link LOCAL_INVOKE_ARN}
 * for `default` (so a single-function app's document is what it always was), else the same with the function
 * `local-<group>` (`...:function:local-write/invocations`). The local gateway finds a method's function from it
 * ({@link functionOfInvokeArn}).
 */
export function localInvokeArn(group: string): string {
  return group === DEFAULT_FUNCTION ? LOCAL_INVOKE_ARN : LOCAL_INVOKE_ARN.replace(':function:local/', `:function:local-${group}/`);
}

/**
 * A Lambda invoke URI (developer guide, "x-amazon-apigateway-integration object", `uri`:
 * `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations`, docs/apigateway-behaviour.md §13.9);
 * the function's name is the 7th field of its ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`).
 */
const INVOKE_ARN = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/(?:2015-03-31\/functions\/arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([^/:]+)(?::[^/]+)?\/invocations|2021-11-15\/functions\/arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([^/:]+)(?::[^/]+)?\/response-streaming-invocations)$/;

/**
 * The integration timeout of a streamed integration: 15 minutes, the longest a stream lasts and the most a streamed
 * integration's timeout may be (docs/apigateway-behaviour.md §15.7; AWS's own example sets `timeoutInMillis: 900000`, §15.2).
 * The function's own timeout ends it sooner.
 */
export const STREAM_TIMEOUT_SECONDS = 900;

/**
 * Returns the response-streaming invocation URI of the function whose buffered invoke ARN is `invokeArn`
 * (`.../lambda:path/2015-03-31/functions/{functionArn}/invocations` → `.../lambda:path/2021-11-15/functions/{functionArn}/response-streaming-invocations`:
 * docs/apigateway-behaviour.md §15.3). Pure string work, so it applies to a Pulumi output's value as to a local ARN;
 * a string that is not a buffered invoke ARN is returned unchanged.
 */
export function streamingInvokeArn(invokeArn: string): string {
  const match = /^(arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/)2015-03-31(\/functions\/.+)\/invocations$/.exec(invokeArn);
  return match ? `${match[1]}2021-11-15${match[2]}/response-streaming-invocations` : invokeArn;
}

/**
 * Returns the name of the function a Lambda invoke ARN (an integration's `uri`, buffered or response-streaming: §15.3) invokes: `local` for
 * {@link LOCAL_INVOKE_ARN}, `local-write` for `localInvokeArn('write')`, `orders-write-fn-abc123` for a deployed one;
 * undefined for anything that is not a Lambda invoke ARN (a mock integration has no uri).
 */
export function functionOfInvokeArn(uri: string): string | undefined {
  const match = INVOKE_ARN.exec(uri);
  return match?.[1] ?? match?.[2];
}

/** The security scheme name (developer guide, "Configure a method to use API keys with an OpenAPI definition"). */
export const API_KEY_SCHEME = 'api_key';

/**
 * The one response of an operation whose route declares none (MethodSpec `responsesUndeclared`), in the definition
 * only: OpenAPI requires a response per operation. Harmless for API Gateway: with a proxy integration it "passes the
 * backend output to the client as an HTTP response" and no method response is set or needed, so this 200 allows
 * or changes nothing (docs/apigateway-behaviour.md §6.12). It stays a 200 rather than OpenAPI's `default`, which
 * the public document uses: what the import does with a `default` method response is unconfirmed (AWS's earlier
 * importer skipped it with a warning), and an unchanged body redeploys nothing.
 */
export const UNDECLARED_PLACEHOLDER = { description: 'The function’s response' } as const;

/** Validator names in `x-amazon-apigateway-request-validators`, with their rules. */
export const VALIDATORS: Record<ValidatorKind, { name: string } & RequestValidatorRules> = {
  BODY: { name: 'body', validateRequestBody: true, validateRequestParameters: false },
  PARAMS: { name: 'params', validateRequestBody: false, validateRequestParameters: true },
  BODY_AND_PARAMS: { name: 'body-and-params', validateRequestBody: true, validateRequestParameters: true },
};

/**
 * Returns the API definition of a planned spec: an OpenAPI 3.0.1 document with API Gateway's
 * extensions, as the RestApi `body` imports it (put mode overwrite). Pure and deterministic: the
 * same spec, options and ARNs give the same document (serialise it with canonicalJson: sorted keys);
 * `invokeArn` (the function's, or by function group: the method's `function` → its function's ARN) is the only
 * deployed value in it.
 *
 * - every operation integrates its group's function: `x-amazon-apigateway-integration` type `aws_proxy`,
 *   `httpMethod` POST, `uri` the invoke ARN (developer guide, "x-amazon-apigateway-integration object";
 *   Lambda is always invoked with POST);
 * - path, query and header parameters with `required` (API Gateway reads name, in and required:
 *   "Amazon API Gateway important notes for REST APIs");
 * - `components.schemas` are the models (alphanumeric names, draft-04: same notes);
 * - `x-amazon-apigateway-request-validators` and each operation's `x-amazon-apigateway-request-validator`
 *   ("x-amazon-apigateway-request-validators object", "x-amazon-apigateway-request-validator property");
 * - the `api_key` scheme (`apiKey`, header `x-api-key`, the only securitySchemes type the import
 *   takes for keys) on every non-public operation, and `x-amazon-apigateway-api-key-source: HEADER`
 *   ("x-amazon-apigateway-api-key-source property", "Configure a method to use API keys with an OpenAPI definition");
 * - `x-amazon-apigateway-gateway-responses` ("x-amazon-apigateway-gateway-responses object");
 * - with binary media types, `x-amazon-apigateway-binary-media-types` ("x-amazon-apigateway-binary-media-types
 *   property", developer guide, "Working with API Gateway extensions to OpenAPI": the list of media types the API
 *   treats as binary, the RestApi's binaryMediaTypes; docs/binary.md). A binary response's status is listed without
 *   content: with a proxy integration the method response carries no model;
 * - with a minimum compression size, `x-amazon-apigateway-minimum-compression-size` ("x-amazon-apigateway-minimum-compression-size":
 *   the RestApi's minimumCompressionSize, which turns payload compression on; docs/compression.md);
 * - with CORS origins, a MOCK `OPTIONS` preflight on every resource ("Enable CORS on a resource using
 *   the API Gateway import API").
 *
 * Throws an ImportWarningError (./import-check.ts), naming the route and the fix, for anything in the document
 * that API Gateway's import would warn about: the RestApi imports it with failOnWarnings.
 */
export function buildApiDefinition(spec: GatewaySpec, options: DefinitionOptions, invokeArn: string | ((group: string) => string)): ApiDefinition {
  const arnOf = typeof invokeArn === 'string' ? () => invokeArn : invokeArn;
  // The user pool authorizer, per-operation scopes: infra/src/core/definition/auth.ts (docs/auth.md).
  const securitySchemes = securitySchemesOf(spec, API_KEY_SCHEME, { type: 'apiKey', name: 'x-api-key', in: 'header' }, options.userPoolArn);
  const paths: ApiDefinition['paths'] = {};
  for (const method of spec.methods) (paths[method.resourcePath] ??= {})[method.method.toLowerCase()] = operation(method, arnOf(method.function ?? DEFAULT_FUNCTION));
  for (const preflight of planPreflights(spec, options.corsOrigins)) (paths[preflight.resourcePath] ??= {}).options = preflightOperation(preflight);

  const schemas: Record<string, Record<string, unknown>> = {};
  for (const model of spec.models) schemas[model.name] = model.schema;

  const validators: Record<string, RequestValidatorRules> = {};
  // The validators the methods use (derived from them, so a hand-made spec cannot disagree).
  for (const kind of (['BODY', 'PARAMS', 'BODY_AND_PARAMS'] as const).filter((k) => spec.methods.some((m) => m.validator === k))) {
    const { name, ...rules } = VALIDATORS[kind];
    validators[name] = rules;
  }

  const gatewayResponses: Record<string, GatewayResponseDefinition> = {};
  for (const r of planGatewayResponses(spec, options.corsOrigins)) {
    gatewayResponses[r.type] = { ...(r.statusCode ? { statusCode: r.statusCode } : {}), responseParameters: r.headers, responseTemplates: r.templates };
  }

  const definition: ApiDefinition = {
    openapi: '3.0.1',
    info: { title: options.title ?? 'api', version: options.version ?? '1.0.0' },
    paths: sortedPaths(paths),
    components: { schemas, securitySchemes },
    'x-amazon-apigateway-api-key-source': 'HEADER',
    'x-amazon-apigateway-request-validators': validators,
    'x-amazon-apigateway-gateway-responses': gatewayResponses,
    ...(options.binaryMediaTypes && options.binaryMediaTypes.length > 0 ? { 'x-amazon-apigateway-binary-media-types': [...options.binaryMediaTypes] } : {}),
    ...(options.minimumCompressionSize !== undefined ? { 'x-amazon-apigateway-minimum-compression-size': options.minimumCompressionSize } : {}),
  };
  // What the import would warn about (and, with failOnWarnings, refuse) is refused here, naming the route: ./import-check.ts.
  checkImportable(definition, spec);
  return definition;
}

/** Returns the app's deployed routes as `METHOD /path`, sorted (the `routes` stack output). Preflights are the gateway's, not routes. */
export function routesOf(spec: GatewaySpec): string[] {
  return spec.methods.map((m) => `${m.method} ${m.resourcePath}`).sort(compare);
}

function operation(method: MethodSpec, invokeArn: string): Operation {
  const [contentType, model] = Object.entries(method.requestModels)[0] ?? [];
  const responses: Operation['responses'] = {};
  for (const [status, name] of Object.entries(method.responses)) {
    responses[status] = { description: describeStatus(status), ...(name ? { content: { 'application/json': { schema: ref(name) } } } : {}) };
  }
  // A binary response: its status, without content (no model applies to bytes; the public document shows the media type).
  for (const status of Object.keys(method.binary?.responses ?? {})) responses[status] ??= { description: describeStatus(status) };
  // OpenAPI requires one response; a route that declares none answers whatever the function says.
  if (Object.keys(responses).length === 0) responses['200'] = { ...UNDECLARED_PLACEHOLDER };
  return {
    operationId: method.operationId,
    ...(method.summary ? { summary: method.summary } : {}),
    ...(method.description ? { description: method.description } : {}),
    ...(method.tags ? { tags: method.tags } : {}),
    parameters: parameters(method),
    ...(contentType && model ? { requestBody: { required: true, content: { [contentType]: { schema: ref(model) } } } } : {}),
    responses,
    ...(securityOf(method, API_KEY_SCHEME) ? { security: securityOf(method, API_KEY_SCHEME)! } : {}),
    ...(method.validator ? { 'x-amazon-apigateway-request-validator': VALIDATORS[method.validator].name } : {}),
    // A streamed route (docs/streaming.md): the response-streaming invocation URI, up to 15 minutes, STREAM (§15.2, §15.3, §15.7).
    'x-amazon-apigateway-integration': method.stream
      ? { type: 'aws_proxy', httpMethod: 'POST', uri: streamingInvokeArn(invokeArn), passthroughBehavior: 'when_no_match', timeoutInMillis: STREAM_TIMEOUT_SECONDS * 1000, responseTransferMode: 'STREAM' }
      : {
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: invokeArn,
          passthroughBehavior: 'when_no_match',
          timeoutInMillis: GATEWAY_TIMEOUT_SECONDS * 1000,
        },
  };
}

/** The method's request parameters as OpenAPI parameters, with the route's schema (documentation) when it declared one. */
function parameters(method: MethodSpec): Parameter[] {
  const declared = (schema: Record<string, unknown> | undefined, name: string): Record<string, unknown> | undefined => {
    const properties = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
    const key = Object.keys(properties).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : properties[key];
  };
  return Object.entries(method.requestParameters).map(([key, required]) => {
    const [, , where, ...rest] = key.split('.');
    const name = rest.join('.');
    const location = where === 'querystring' ? 'query' : (where as 'path' | 'header');
    const source = declared(location === 'path' ? method.schemas.params : location === 'query' ? method.schemas.query : method.schemas.headers, name);
    const { description, ...schema } = parameterSchema(source, `${method.method} ${method.koaPath}`, name);
    return { name, in: location, required: location === 'path' || required, ...(typeof description === 'string' ? { description } : {}), schema };
  });
}

/**
 * The parameter's schema in OpenAPI 3.0 form. Documentation only (API Gateway ignores it, and the
 * service validates the value): a schema the document cannot carry is shown as a string.
 */
function parameterSchema(source: Record<string, unknown> | undefined, route: string, name: string): Record<string, unknown> {
  if (!source) return { type: 'string' };
  try {
    // `format` stays: documentation here (OpenAPI 3.0 has it), which API Gateway ignores for parameters
    // (docs/apigateway-behaviour.md §4.2); the service checks it.
    return toImportableModel(toDraft04(source, name), name, route);
  } catch {
    return { type: 'string' };
  }
}

function preflightOperation(p: PreflightSpec): Operation {
  const headers = Object.fromEntries(
    [...Object.keys(p.headers), 'method.response.header.Access-Control-Allow-Origin'].map((h) => [h.replace(/^method\.response\.header\./, ''), { schema: { type: 'string' as const } }]),
  );
  return {
    summary: 'CORS preflight, answered by API Gateway without the API key',
    responses: { '200': { description: 'CORS preflight', headers } },
    'x-amazon-apigateway-integration': {
      type: 'mock',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'when_no_match',
      responses: { default: { statusCode: '200', responseParameters: p.headers, responseTemplates: { 'application/json': p.responseTemplate } } },
    },
  };
}

function sortedPaths(paths: ApiDefinition['paths']): ApiDefinition['paths'] {
  return Object.fromEntries(Object.keys(paths).sort(compare).map((k) => [k, paths[k]!]));
}

function ref(model: string): { $ref: string } {
  return { $ref: `#/components/schemas/${model}` };
}

function describeStatus(status: string): string {
  const text: Record<string, string> = {
    '200': 'OK',
    '201': 'Created',
    '204': 'No Content',
    '400': 'Invalid request',
    '404': 'Not found',
    '409': 'Conflict',
    '412': 'Precondition failed (a condition of the request, such as If-Match, does not hold)',
    '503': 'Service unavailable',
  };
  return text[status] ?? `Status ${status}`;
}
