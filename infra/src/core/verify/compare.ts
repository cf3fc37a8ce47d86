import { UNDEPLOYED_USER_POOL_ARN } from '../build-api';
import { functionOfInvokeArn, localInvokeArn, streamingInvokeArn } from '../definition/document';
import { DEFAULT_FUNCTION } from '../plan/functions';
import type { ApiDefinition, Operation } from '../definition/types';
import { DRAFT_04 } from '../plan/models';
import { diffJson, isObject, jsonEqual, pointer } from './json-diff';
import type { DeployedApi, DeployedRestApi, DeployedSource, Difference } from './types';

/**
 * The comparison behind `koa-apigateway verify`: the API definition the program builds (the RestApi's body,
 * core/definition) against what API Gateway serves (a stage's export and the API's models, validators,
 * gateway responses and authorizers, core/verify/types.ts). Pure: the reading is the tool's.
 *
 * It compares what API Gateway keeps of the document (its routes and methods, each method's parameters,
 * request model, responses, key and authorizer requirement, validator and integration; the models; the
 * validators; the gateway responses; the authorizers; the API key source), and passes over the ways an
 * export is documented or recorded to differ from the document it was imported from, and only those
 * (docs/apigateway-behaviour.md §13, each with its source):
 *
 * - `info` and `servers`: the export writes the RestApi's name and version, and the stage's URL as a
 *   `basePath` variable (§13.2);
 * - descriptions, summaries and tags outside the models are documentation, which the export leaves out
 *   (§13.3); a parameter's schema is not kept, only its name, place and `required`
 *   (§13.4); a response's description is the export's own (`"200 response"`), `content: {}` is no content;
 * - a method's `security`: API Gateway keeps "key required" and one authorizer with its scopes, and the
 *   export writes each as a requirement of its own (§13.5): compared as the schemes and scopes required;
 * - an integration's settings it adds (`responses.default`, `contentHandling`, `cacheNamespace`,
 *   `cacheKeyParameters`), and its values' case (`AWS_PROXY` and `aws_proxy`); an absent `passthroughBehavior`
 *   or `timeoutInMillis` is the default, `when_no_match` and 29000 ms (§13.6);
 * - a gateway response's status code as a number (§13.7);
 * - a model's root `$schema` (draft-04, which every model is), the order of a `required` list, the
 *   cross-model `$ref` form of GetModels, and the `Empty` and `Error` models every new API has (§4.12,
 *   §4.11, §13.8);
 * - an absent `x-amazon-apigateway-api-key-source`: HEADER, the default (§13.2);
 * - the integration's function and the authorizer's user pool, when the document was built before they
 *   existed (localInvokeArn(group), UNDEPLOYED_USER_POOL_ARN): then the deployed value must have the shape of one,
 *   the routes of one function group invoking one function, and two groups never the same one (§13.9).
 *
 * Top-level keys the document does not write (`x-amazon-apigateway-endpoint-configuration`, a policy) are the
 * RestApi resource's arguments, not the document's: not compared. The binary media types and the minimum
 * compression size the document writes (`x-amazon-apigateway-binary-media-types`, docs/binary.md;
 * `x-amazon-apigateway-minimum-compression-size`, docs/compression.md) are compared with the API's own (GetRestApi),
 * the types as a set (their order is not kept).
 */
export function compareDeployed(definition: ApiDefinition, deployed: DeployedApi): Difference[] {
  const out: Difference[] = [];
  compareExport(definition, deployed.export, out);
  compareModels(definition, deployed.models, out);
  compareValidators(definition, deployed.requestValidators, out);
  compareGatewayResponses(definition, deployed.gatewayResponses, out);
  compareAuthorizers(definition, deployed.authorizers, out);
  if (deployed.restApi) compareRestApi(definition, deployed.restApi, out);
  return out;
}

/**
 * Returns the difference as one line: `<source> #<pointer>: <what>`, e.g.
 * `export #/components/schemas/LoanCreate/properties/days/maximum: in the document (28), not deployed`.
 * An object or a list longer than 160 characters is cut with `…`; a string is shown whole.
 */
export function formatDifference(d: Difference): string {
  const what =
    d.deployed === undefined
      ? `in the document (${show(d.expected)}), not deployed`
      : d.expected === undefined
        ? `deployed (${show(d.deployed)}), not in the document`
        : `the document has ${show(d.expected)}, the deployed API has ${show(d.deployed)}`;
  return `${d.source} #${d.pointer}: ${what}${d.note ? `: ${d.note}` : ''}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  // A string (an ARN, a template) is shown whole; an object or a list is cut.
  return typeof value !== 'string' && text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** OpenAPI 3.0 operation keys, and API Gateway's `ANY` (developer guide, "x-amazon-apigateway-any-method object"). */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'x-amazon-apigateway-any-method'];

/** The models every new REST API has (docs/apigateway-behaviour.md §4.12), without their `$schema`. */
const DEFAULT_MODELS: Record<string, Record<string, unknown>> = {
  Empty: { title: 'Empty Schema', type: 'object' },
  Error: { title: 'Error Schema', type: 'object', properties: { message: { type: 'string' } } },
};

/** The integration defaults API Gateway fills in (developer guide, "x-amazon-apigateway-integration object"). */
const DEFAULT_PASSTHROUGH = 'when_no_match';
const DEFAULT_TIMEOUT_MS = 29000;

/** A Lambda invoke URI (developer guide, "x-amazon-apigateway-integration object", `uri`), buffered or response-streaming (docs/apigateway-behaviour.md §15.3). */
const INVOKE_URI = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/(2015-03-31\/functions\/arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^/:]+(:[^/]+)?\/invocations|2021-11-15\/functions\/arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^/:]+(:[^/]+)?\/response-streaming-invocations)$/;
/** A Cognito user pool ARN (`arn:aws:cognito-idp:REGION:ACCOUNT:userpool/REGION_ID`). */
const USER_POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[a-z0-9-]+_[0-9A-Za-z]+$/;

type Sink = Difference[];

/**
 * The deployed invoke URIs met, by route, when the document has none of its own (`expected`: its group's
 * placeholder, localInvokeArn): the routes of one group must invoke one function, two groups two functions.
 */
interface InvokeSeen {
  seen: Array<{ at: string; expected: string; uri: string }>;
}

function add(out: Sink, source: DeployedSource, at: string, expected: unknown, deployed: unknown, note?: string): void {
  out.push({ source, pointer: at, ...(expected !== undefined ? { expected } : {}), ...(deployed !== undefined ? { deployed } : {}), ...(note ? { note } : {}) });
}

function diffInto(out: Sink, source: DeployedSource, expected: unknown, deployed: unknown, at: string): void {
  for (const d of diffJson(expected, deployed, at)) add(out, source, d.pointer, d.expected, d.deployed);
}

// ---------------------------------------------------------------------------------------------- the export

function compareExport(definition: ApiDefinition, exported: Record<string, unknown>, out: Sink): void {
  const deployedPaths = isObject(exported.paths) ? exported.paths : {};
  const invoke: InvokeSeen = { seen: [] };
  for (const [path, item] of Object.entries(definition.paths)) {
    const deployedItem = isObject(deployedPaths[path]) ? deployedPaths[path] : {};
    for (const [method, op] of Object.entries(item)) {
      const at = pointer('/paths', path, method);
      const deployedOp = deployedItem[method];
      if (!isObject(deployedOp)) {
        add(out, 'export', at, 'the operation', undefined, `route ${method.toUpperCase()} ${path} is not deployed`);
        continue;
      }
      compareOperation(op, deployedOp, at, out, invoke);
    }
  }
  reportOtherFunctions(invoke, out);
  for (const [path, item] of Object.entries(deployedPaths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS.filter((m) => m in item)) {
      if (definition.paths[path]?.[method] === undefined) {
        const name = method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase();
        add(out, 'export', pointer('/paths', path, method), undefined, 'an operation', `route ${name} ${path} is deployed but not in the document`);
      }
    }
  }

  const components = isObject(exported.components) ? exported.components : {};
  compareSchemas(definition.components.schemas, isObject(components.schemas) ? components.schemas : {}, 'export', '/components/schemas', out);
  compareSecuritySchemes(definition, isObject(components.securitySchemes) ? components.securitySchemes : {}, out);

  const validators = isObject(exported['x-amazon-apigateway-request-validators']) ? exported['x-amazon-apigateway-request-validators'] : {};
  compareNamed(definition['x-amazon-apigateway-request-validators'], validators, 'export', '/x-amazon-apigateway-request-validators', out, (rules) => rules, 'validator');

  const responses = isObject(exported['x-amazon-apigateway-gateway-responses']) ? exported['x-amazon-apigateway-gateway-responses'] : {};
  compareNamed(definition['x-amazon-apigateway-gateway-responses'], responses, 'export', '/x-amazon-apigateway-gateway-responses', out, gatewayResponse, 'gateway response');

  // A validator for the whole API applies to every method that names none (developer guide,
  // "x-amazon-apigateway-request-validator property"): the document sets none.
  if (exported['x-amazon-apigateway-request-validator'] !== undefined) {
    add(out, 'export', '/x-amazon-apigateway-request-validator', undefined, exported['x-amazon-apigateway-request-validator'], 'a validator for every method that names none');
  }
  // The export leaves the key source out when it is HEADER, the default (§13.2).
  const keySource = exported['x-amazon-apigateway-api-key-source'] ?? 'HEADER';
  if (keySource !== definition['x-amazon-apigateway-api-key-source']) {
    add(out, 'export', '/x-amazon-apigateway-api-key-source', definition['x-amazon-apigateway-api-key-source'], keySource);
  }
}

/** Compares the entries of two maps by name: missing, extra, and (through `shape`) changed ones. */
function compareNamed<T>(
  expected: Record<string, T>,
  deployed: Record<string, unknown>,
  source: DeployedSource,
  base: string,
  out: Sink,
  shape: (value: unknown) => unknown,
  kind: string,
): void {
  for (const [name, value] of Object.entries(expected)) {
    const at = pointer(base, name);
    if (!(name in deployed)) add(out, source, at, shape(value), undefined, `${kind} ${name} is not deployed`);
    else diffInto(out, source, shape(value), shape(deployed[name]), at);
  }
  for (const name of Object.keys(deployed).filter((n) => !(n in expected))) {
    add(out, source, pointer(base, name), undefined, shape(deployed[name]), `${kind} ${name} is deployed but not in the document`);
  }
}

/** A gateway response as API Gateway keeps it: the status as text (the export writes a number, §13.7), absent maps empty. */
function gatewayResponse(value: unknown): Record<string, unknown> {
  const r = isObject(value) ? value : {};
  return {
    ...(r.statusCode !== undefined && r.statusCode !== null ? { statusCode: String(r.statusCode) } : {}),
    responseParameters: isObject(r.responseParameters) ? r.responseParameters : {},
    responseTemplates: isObject(r.responseTemplates) ? r.responseTemplates : {},
  };
}

function compareOperation(op: Operation, deployed: Record<string, unknown>, at: string, out: Sink, invoke: InvokeSeen): void {
  diffInto(out, 'export', parametersOf(op.parameters), parametersOf(deployed.parameters), pointer(at, 'parameters'));
  diffInto(out, 'export', contentRefs(op.requestBody?.content), contentRefs(isObject(deployed.requestBody) ? deployed.requestBody.content : undefined), pointer(at, 'requestBody', 'content'));
  diffInto(out, 'export', responsesOf(op.responses), responsesOf(deployed.responses), pointer(at, 'responses'));
  diffInto(out, 'export', securityOf(op.security), securityOf(deployed.security), pointer(at, 'security'));
  const validator = deployed['x-amazon-apigateway-request-validator'];
  if (validator !== op['x-amazon-apigateway-request-validator']) add(out, 'export', pointer(at, 'x-amazon-apigateway-request-validator'), op['x-amazon-apigateway-request-validator'], validator);
  if (deployed.operationId !== undefined && deployed.operationId !== op.operationId) add(out, 'export', pointer(at, 'operationId'), op.operationId, deployed.operationId);
  compareIntegration(op['x-amazon-apigateway-integration'], deployed['x-amazon-apigateway-integration'], pointer(at, 'x-amazon-apigateway-integration'), out, invoke);
}

/** A method's request parameters as API Gateway keeps them: `in:name` → required (§13.4; a path parameter is always required). */
function parametersOf(value: unknown): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const p of Array.isArray(value) ? value : []) {
    if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
    out[`${p.in}:${p.name}`] = p.in === 'path' || p.required === true;
  }
  return out;
}

/** A content map as its model names: content type → `$ref` (§13.4). */
function contentRefs(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [type, media] of Object.entries(isObject(value) ? value : {})) {
    const ref = isObject(media) && isObject(media.schema) ? media.schema.$ref : undefined;
    out[type] = typeof ref === 'string' ? ref : JSON.stringify(isObject(media) ? media.schema ?? null : null);
  }
  return out;
}

/** Method responses as API Gateway keeps them: status → model per content type and header names; descriptions are the export's (§13.4). */
function responsesOf(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(isObject(value) ? value : {})) {
    const r = isObject(response) ? response : {};
    out[status] = { content: contentRefs(r.content), headers: Object.keys(isObject(r.headers) ? r.headers : {}).sort() };
  }
  return out;
}

/** A security requirement list as the schemes required, each with its sorted scopes: the union of its objects (§13.5). */
function securityOf(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const requirement of Array.isArray(value) ? value : []) {
    for (const [scheme, scopes] of Object.entries(isObject(requirement) ? requirement : {})) {
      out[scheme] = [...new Set([...(out[scheme] ?? []), ...(Array.isArray(scopes) ? scopes.map(String) : [])])].sort();
    }
  }
  return out;
}

function compareIntegration(expected: Operation['x-amazon-apigateway-integration'], value: unknown, at: string, out: Sink, invoke: InvokeSeen): void {
  if (!isObject(value)) {
    add(out, 'export', at, expected.type, undefined, 'the method has no integration');
    return;
  }
  const common = (i: Record<string, unknown>) => ({
    type: String(i.type ?? '').toLowerCase(),
    passthroughBehavior: String(i.passthroughBehavior ?? DEFAULT_PASSTHROUGH).toLowerCase(),
  });
  if (expected.type === 'aws_proxy') {
    // An absent responseTransferMode is BUFFERED, the default (docs/apigateway-behaviour.md §15.1); that the export writes
    // STREAM back as the import took it is UNCONFIRMED (§15.14).
    const shape = (i: Record<string, unknown>) => ({
      ...common(i),
      httpMethod: i.httpMethod,
      timeoutInMillis: i.timeoutInMillis ?? DEFAULT_TIMEOUT_MS,
      responseTransferMode: String(i.responseTransferMode ?? 'BUFFERED').toUpperCase(),
    });
    diffInto(out, 'export', shape(expected as unknown as Record<string, unknown>), shape(value), at);
    compareInvokeUri(expected.uri, value.uri, pointer(at, 'uri'), out, invoke);
    return;
  }
  const mock = (i: Record<string, unknown>) => {
    const responses = isObject(i.responses) ? i.responses : {};
    const shaped: Record<string, unknown> = {};
    for (const [key, r] of Object.entries(responses)) {
      const response = isObject(r) ? r : {};
      shaped[key] = {
        statusCode: response.statusCode === undefined ? undefined : String(response.statusCode),
        responseParameters: isObject(response.responseParameters) ? response.responseParameters : {},
        responseTemplates: isObject(response.responseTemplates) ? response.responseTemplates : {},
      };
    }
    return { ...common(i), requestTemplates: isObject(i.requestTemplates) ? i.requestTemplates : {}, responses: shaped };
  };
  diffInto(out, 'export', mock(expected as unknown as Record<string, unknown>), mock(value), at);
}

/**
 * The integration's function: the document's ARN exactly, or, for a document built before the functions
 * existed (a group's placeholder, localInvokeArn), any Lambda invoke URI, checked against the other routes'
 * once all are read (reportOtherFunctions, §13.9).
 */
function compareInvokeUri(expected: string, deployed: unknown, at: string, out: Sink, invoke: InvokeSeen): void {
  if (!isPlaceholder(expected)) {
    if (deployed !== expected) add(out, 'export', at, expected, deployed);
    return;
  }
  if (typeof deployed !== 'string' || !INVOKE_URI.test(deployed)) {
    add(out, 'export', at, 'a Lambda function invoke URI', deployed, 'the route does not invoke a Lambda function');
    return;
  }
  invoke.seen.push({ at, expected, uri: deployed });
}

/** True for the invoke ARN a document that is not deployed gives a function group (localInvokeArn), or its response-streaming form. */
function isPlaceholder(uri: string): boolean {
  const name = functionOfInvokeArn(uri);
  if (name === undefined || !(name === 'local' || name.startsWith('local-'))) return false;
  const placeholder = localInvokeArn(name === 'local' ? DEFAULT_FUNCTION : name.slice('local-'.length));
  return uri === placeholder || uri === streamingInvokeArn(placeholder);
}

/**
 * Reports, for a document that leaves the functions' ARNs to the deployment, the routes of a function group whose
 * function is not the one most of the group's routes invoke (the odd ones out are named, not the routes that agree
 * with the rest), and the routes of a group invoking the function another group invokes: each group is a function
 * of its own (docs/functions.md).
 */
function reportOtherFunctions(invoke: InvokeSeen, out: Sink): void {
  const groups = new Map<string, Array<{ at: string; uri: string }>>();
  for (const { at, expected, uri } of invoke.seen) (groups.get(expected) ?? groups.set(expected, []).get(expected)!).push({ at, uri });
  const owner = new Map<string, string>();
  // `default` first, then by name: the routes of the groups after the one that has a function are the ones named.
  const order = (uri: string) => (groupOf(uri) === DEFAULT_FUNCTION ? '' : groupOf(uri));
  for (const [expected, seen] of [...groups].sort((a, b) => (order(a[0]) < order(b[0]) ? -1 : order(a[0]) > order(b[0]) ? 1 : 0))) {
    const counts = new Map<string, number>();
    for (const { uri } of seen) counts.set(uri, (counts.get(uri) ?? 0) + 1);
    const [common] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const group = groupOf(expected);
    for (const { at, uri } of seen) if (uri !== common) add(out, 'export', at, common, uri, `the route invokes another function than the other routes of its function group (${group})`);
    const other = owner.get(common);
    if (other !== undefined) {
      for (const { at, uri } of seen) if (uri === common) add(out, 'export', at, `a function of its own for the group ${group}`, uri, `the route invokes the function of the group ${other}: each function group has its own function`);
    } else owner.set(common, group);
  }
}

/** The function group whose placeholder `uri` is (localInvokeArn). */
function groupOf(uri: string): string {
  const name = functionOfInvokeArn(uri)!;
  return name === 'local' ? DEFAULT_FUNCTION : name.slice('local-'.length);
}

function compareSecuritySchemes(definition: ApiDefinition, deployed: Record<string, unknown>, out: Sink): void {
  const shape = (value: unknown, expected?: Record<string, unknown>): Record<string, unknown> => {
    const s = isObject(value) ? value : {};
    const authorizer = isObject(s['x-amazon-apigateway-authorizer']) ? s['x-amazon-apigateway-authorizer'] : undefined;
    const expectedAuthorizer = expected && isObject(expected['x-amazon-apigateway-authorizer']) ? expected['x-amazon-apigateway-authorizer'] : undefined;
    return {
      type: s.type,
      name: s.name,
      in: s.in,
      ...(s['x-amazon-apigateway-authtype'] !== undefined ? { authtype: s['x-amazon-apigateway-authtype'] } : {}),
      // The export carries the authorizer when asked for it (GetExport, `extensions`); GetAuthorizers is compared whole.
      ...(authorizer
        ? { authorizer: { type: String(authorizer.type ?? '').toLowerCase(), providerARNs: providerArns(authorizer.providerARNs, expectedAuthorizer?.providerARNs) } }
        : {}),
    };
  };
  for (const [name, scheme] of Object.entries(definition.components.securitySchemes)) {
    const at = pointer('/components/securitySchemes', name);
    const expected = shape(scheme);
    if (!(name in deployed)) {
      add(out, 'export', at, expected, undefined);
      continue;
    }
    const got = shape(deployed[name], scheme as unknown as Record<string, unknown>);
    // An export without the authorizer extensions (GetExport's `extensions` decide) is compared on the rest.
    if (!('authorizer' in got)) delete expected.authorizer;
    if (!('authtype' in got)) delete expected.authtype;
    diffInto(out, 'export', expected, got, at);
  }
  for (const name of Object.keys(deployed).filter((n) => !(n in definition.components.securitySchemes))) add(out, 'export', pointer('/components/securitySchemes', name), undefined, shape(deployed[name]));
}

/**
 * A deployed authorizer's provider ARNs as compared: when the document holds the undeployed pool
 * (UNDEPLOYED_USER_POOL_ARN), one ARN of a user pool's shape stands for it (§13.9).
 */
function providerArns(deployed: unknown, expected: unknown): unknown {
  if (Array.isArray(expected) && expected.length === 1 && expected[0] === UNDEPLOYED_USER_POOL_ARN && Array.isArray(deployed) && deployed.length === 1 && USER_POOL_ARN.test(String(deployed[0]))) {
    return [UNDEPLOYED_USER_POOL_ARN];
  }
  return deployed;
}

// ----------------------------------------------------------------------------------- models, by both reads

/**
 * A model's schema as compared: its root `$schema` dropped when it is draft-04 (every API Gateway model is:
 * §13.8), every `required` list sorted (a set, which API Gateway does not keep in order), and GetModels' cross-model references
 * (`https://apigateway.amazonaws.com/restapis/{id}/models/{name}`, §4.11) written as the export writes them.
 */
export function normaliseModel(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const { $schema, ...rest } = schema;
  const out = $schema === undefined || $schema === DRAFT_04 ? rest : schema;
  return rewriteRefs(out);
}

function rewriteRefs(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => rewriteRefs(v));
    // A schema's `required` list comes back in another order than imported (recorded: §13.8); it is a set.
    return key === 'required' && items.every((v) => typeof v === 'string') ? [...(items as string[])].sort() : items;
  }
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/]+)$/, '#/components/schemas/$1') : rewriteRefs(v, k);
  }
  return out;
}

function compareSchemas(expected: Record<string, Record<string, unknown>>, deployed: Record<string, unknown>, source: DeployedSource, base: string, out: Sink): void {
  for (const [name, schema] of Object.entries(expected)) {
    const at = pointer(base, name);
    if (!(name in deployed)) add(out, source, at, 'the model', undefined, `model ${name} is not deployed`);
    else diffInto(out, source, normaliseModel(schema), normaliseModel(deployed[name]), at);
  }
  for (const [name, schema] of Object.entries(deployed)) {
    if (name in expected) continue;
    if (DEFAULT_MODELS[name] && jsonEqual(normaliseModel(schema), DEFAULT_MODELS[name])) continue;
    add(out, source, pointer(base, name), undefined, normaliseModel(schema), `model ${name} is deployed but not in the document`);
  }
}

function compareModels(definition: ApiDefinition, models: DeployedApi['models'], out: Sink): void {
  const deployed: Record<string, unknown> = {};
  for (const model of models) {
    if (!model.name) continue;
    if (model.contentType !== undefined && model.contentType !== 'application/json') {
      add(out, 'models', pointer('', model.name, 'contentType'), 'application/json', model.contentType);
    }
    try {
      deployed[model.name] = JSON.parse(model.schema ?? 'null') as unknown;
    } catch {
      deployed[model.name] = model.schema;
    }
  }
  compareSchemas(definition.components.schemas, deployed, 'models', '', out);
}

// ------------------------------------------------------------------------- validators, responses, authorizers

function compareValidators(definition: ApiDefinition, validators: DeployedApi['requestValidators'], out: Sink): void {
  const deployed: Record<string, unknown> = {};
  for (const v of validators) {
    if (v.name) deployed[v.name] = { validateRequestBody: v.validateRequestBody ?? false, validateRequestParameters: v.validateRequestParameters ?? false };
  }
  compareNamed(definition['x-amazon-apigateway-request-validators'], deployed, 'requestValidators', '', out, (rules) => rules, 'validator');
}

function compareGatewayResponses(definition: ApiDefinition, responses: DeployedApi['gatewayResponses'], out: Sink): void {
  // Every type is listed; those never customised carry defaultResponse: true and are not the API's own.
  const deployed: Record<string, unknown> = {};
  for (const r of responses) if (r.responseType && r.defaultResponse !== true) deployed[r.responseType] = r;
  compareNamed(definition['x-amazon-apigateway-gateway-responses'], deployed, 'gatewayResponses', '', out, gatewayResponse, 'gateway response');
}

function compareAuthorizers(definition: ApiDefinition, authorizers: DeployedApi['authorizers'], out: Sink): void {
  const expected: Record<string, unknown> = {};
  for (const [name, scheme] of Object.entries(definition.components.securitySchemes)) {
    if (!('x-amazon-apigateway-authorizer' in scheme)) continue;
    expected[name] = {
      type: scheme['x-amazon-apigateway-authorizer'].type.toUpperCase(),
      providerARNs: scheme['x-amazon-apigateway-authorizer'].providerARNs,
      // The token's header (developer guide, "x-amazon-apigateway-authorizer object": a user pool authorizer reads the scheme's `name`).
      identitySource: `method.request.header.${scheme.name}`,
    };
  }
  const deployed: Record<string, unknown> = {};
  for (const a of authorizers) {
    if (!a.name) continue;
    const wanted = expected[a.name] as { providerARNs?: unknown } | undefined;
    deployed[a.name] = { type: a.type, providerARNs: providerArns(a.providerARNs ?? [], wanted?.providerARNs), identitySource: a.identitySource };
  }
  compareNamed(expected, deployed, 'authorizers', '', out, (a) => a, 'authorizer');
}

/** Compares the API's binary media types (as sets, lower case) and minimum compression size with the document's. */
function compareRestApi(definition: ApiDefinition, restApi: DeployedRestApi, out: Difference[]): void {
  const set = (types: readonly string[] | undefined) => [...new Set((types ?? []).map((t) => t.toLowerCase()))].sort();
  const expected = set(definition['x-amazon-apigateway-binary-media-types']);
  const actual = set(restApi.binaryMediaTypes);
  if (!jsonEqual(expected, actual)) {
    add(out, 'restApi', '/binaryMediaTypes', expected.length > 0 ? expected : undefined, actual.length > 0 ? actual : undefined, 'the media types API Gateway treats as binary (docs/binary.md)');
  }
  const size = definition['x-amazon-apigateway-minimum-compression-size'];
  if (size !== restApi.minimumCompressionSize) {
    add(out, 'restApi', '/minimumCompressionSize', size, restApi.minimumCompressionSize, 'payload compression (docs/compression.md)');
  }
}
