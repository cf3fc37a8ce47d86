import { planBinary, routeBinaryMediaTypes } from './binary';
import type { DiscoveredRoute } from './discover';
import { assignFunctions, type FunctionGroups } from './functions';
import { hashOf } from './hash';
import { adoptRegisteredFormats, checkFormats, leaveFormatsToService } from './formats';
import { keepEnforcedKeywords } from './enforced';
import { checkPatterns, toImportableModel } from './importable';
import { hasDefault, modelName, toDraft04 } from './models';
import { buildResourceTree, compare, slugOfPath, toGatewayPath } from './paths';
import { scopeProblem } from './scopes';
import type { GatewayMethod, GatewaySpec, MethodSpec, ModelSpec, ValidatorKind } from './types';
import { RouteError } from '../../errors';
import { ErrorResponse } from '../../route/error-shape';

type Schema = Record<string, unknown>;

const METHOD_ORDER: readonly GatewayMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Returns the gateway spec for discovered routes: pure, deterministic, independent of route order.
 * `functions` (the app descriptor's) puts each route in its function group with the routes' own groups
 * (./functions.ts assignFunctions): every method's `function`, and the spec's `functions`.
 * Throws, naming the route and the fix, for duplicates, for anything API Gateway cannot express and for
 * routes two function groups claim.
 */
export function planGatewaySpec(routes: readonly DiscoveredRoute[], functions?: FunctionGroups): GatewaySpec {
  // The app's own formats (Format.Set) live in its copy of TypeBox: known here too before any is checked.
  adoptRegisteredFormats();
  const models = new ModelRegistry();
  const methods: MethodSpec[] = [];
  const seen = new Map<string, string>();
  const keys = new Map<string, string>();
  const operationIds = new Map<string, string>();
  // Routes whose 400 is declared with the error body's schema, registered once all the app's own are.
  const errorResponses: string[] = [];

  for (const route of routes) {
    const label = `${route.method} ${route.koaPath}`;
    const gatewayPath = toGatewayPath(route.koaPath, label);
    const id = `${route.method} ${gatewayPath.path}`;
    const earlier = seen.get(id);
    if (earlier) {
      throw new RouteError(`Routes ${earlier} and ${label} are both ${id} on API Gateway: a method can be deployed once. Fix: remove one route or give it another path.`);
    }
    seen.set(id, label);
    const key = methodKey(route.method, gatewayPath.path);
    const other = keys.get(key);
    if (other) throw new RouteError(`Routes ${other} and ${label} get the same resource name "${key}". Fix: rename one path so they differ in letters or digits.`);
    keys.set(key, label);
    // Checked before the models are named after it (`<operationId>Body`), so the message names the real clash.
    const operationId = operationIdOf(route, gatewayPath.path);
    const sameId = operationIds.get(operationId);
    if (sameId) {
      throw new RouteError(
        `Routes ${sameId} and ${label} both have the operationId "${operationId}": OpenAPI requires it to be unique ("The id MUST be unique among all operations described in the API", OpenAPI 3.0.3, Operation Object), ` +
          `and API Gateway's import reports the repeat as a warning ("attribute paths...operationId is repeated"), which stops the deployment. Fix: give one of them another operationId.`,
      );
    }
    operationIds.set(operationId, label);
    const method = planMethod(route, gatewayPath.path, gatewayPath.variables, models, '');
    if (validatesInput(route.meta) && !Object.hasOwn(route.meta?.responses ?? {}, 400)) {
      method.responses['400'] = ERROR_RESPONSE;
      errorResponses.push(label);
    }
    methods.push(method);
  }
  if (errorResponses.length > 0) models.addErrorResponse(errorResponses[0]!);
  // Which function serves each method: the routes' own groups, the descriptor's patterns, else `default`.
  const assignment = assignFunctions(
    routes.map((route, i) => ({
      method: route.method,
      koaPath: route.koaPath,
      resourcePath: methods[i]!.resourcePath,
      operationId: methods[i]!.operationId,
      ...(route.meta?.function !== undefined ? { declared: route.meta.function } : {}),
      ...(route.group !== undefined ? { router: route.group } : {}),
      ...(route.meta?.stream !== undefined ? { stream: route.meta.stream } : {}),
    })),
    functions,
  );
  methods.forEach((m, i) => {
    m.function = assignment.groups[i]!;
    if (assignment.streams[i]) m.stream = true;
  });

  methods.sort((a, b) => compare(a.resourcePath, b.resourcePath) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method));
  const resources = buildResourceTree(methods.map((m) => ({ path: m.resourcePath, route: `${m.method} ${m.koaPath}` })));
  const validators = (['BODY', 'PARAMS', 'BODY_AND_PARAMS'] as const).filter((v) => methods.some((m) => m.validator === v));
  const binaryMediaTypes = routeBinaryMediaTypes(methods);
  const body = { resources, methods, models: models.list(), validators, functions: assignment.functions, ...(binaryMediaTypes.length > 0 ? { binaryMediaTypes } : {}) };
  return { ...body, hash: hashOf(body) };
}

/** The model name of the error body ({@link ErrorResponse}'s `$id`). */
const ERROR_RESPONSE = (ErrorResponse as { $id?: string }).$id!;

/**
 * True when a route validates part of its request (body, query, path or header schemas): it answers 400
 * when that fails (the gateway's validator or the service's, which checks what the gateway cannot), so its
 * 400 is declared, with the error body's schema unless the route declares its own.
 */
function validatesInput(meta: DiscoveredRoute['meta']): boolean {
  return meta?.body !== undefined || meta?.query !== undefined || meta?.params !== undefined || meta?.headers !== undefined;
}

function planMethod(route: DiscoveredRoute, resourcePath: string, variables: string[], models: ModelRegistry, group: string): MethodSpec {
  const label = `${route.method} ${route.koaPath}`;
  const meta = route.meta;
  const operationId = operationIdOf(route, resourcePath);
  const requestParameters: Record<string, boolean> = {};
  for (const v of variables) {
    // A path variable API Gateway maps (`method.request.path.<name>`, the pattern below) and JavaScript can carry as
    // a key: Koa's `ctx.params.__proto__ = value` sets the prototype, so the value was lost (issue 23).
    if (v === '__proto__' || !/^[A-Za-z0-9._$-]+$/.test(v)) {
      throw new RouteError(
        `Route ${label}: its path variable ${JSON.stringify(v)} ${v === '__proto__' ? 'is a name JavaScript cannot carry as a key (ctx.params.__proto__ sets the prototype, ECMA-262 §B.3.1)' : 'is not a name API Gateway can map (letters, digits and . _ $ - only)'}. ` +
          'Fix: rename it, e.g. ":id"; `pulumi preview`/`pulumi up` refuse the route until then.',
      );
    }
    requestParameters[`method.request.path.${v}`] = true;
  }

  // Every format must be one the service checks: TypeBox passes a format it does not know.
  for (const part of ['params', 'query', 'headers', 'body'] as const) if (meta?.[part]) checkFormats(plain(meta[part]), `Route ${label}: its ${part}`);
  for (const part of ['params', 'query', 'headers', 'body'] as const) if (meta?.[part]) refuseProtoNames(plain(meta[part]), label, part, '');
  for (const [status, schema] of Object.entries(meta?.responses ?? {})) if (schema) refuseProtoNames(plain(schema), label, `response ${status}`, '');
  for (const [status, schema] of Object.entries(meta?.responses ?? {})) if (schema) checkFormats(plain(schema), `Route ${label}: its response ${status}`);

  const params = meta?.params as Schema | undefined;
  if (params) {
    for (const name of Object.keys(propertiesOf(params, label, 'params'))) {
      if (!variables.includes(name)) {
        throw new RouteError(
          `Route ${label} declares the path parameter "${name}" but its path has ${variables.length ? variables.map((v) => `{${v}}`).join(', ') : 'no variables'}: ` +
            'API Gateway would reject every request. Fix: add :' + name + ' to the path or remove it from params.',
        );
      }
    }
  }
  addParameters(requestParameters, 'querystring', meta?.query as Schema | undefined, label, 'query');
  addParameters(requestParameters, 'header', meta?.headers as Schema | undefined, label, 'headers');

  const requestModels: Record<string, string> = {};
  if (meta?.body) requestModels['application/json'] = models.add(meta.body as Schema, `${operationId}Body`, label);

  const responses: Record<string, string | null> = {};
  for (const status of Object.keys(meta?.responses ?? {})) {
    // A key of the document's `responses` and of the method's responses in API Gateway: an HTTP status code
    // (RFC 9110 §15: three digits). Anything else would land among the operation's responses as is
    // (`x-amazon-apigateway-integration` is an extension API Gateway reads, which OpenAPI's schema lets through);
    // three digits outside 100–599 are refused by the import check (core/definition/import-check.ts).
    if (!/^\d{3}$/.test(status)) {
      throw new RouteError(`Route ${label} declares the response ${JSON.stringify(status)}, which is not an HTTP status code. Fix: key responses by status code (100–599), e.g. responses: { 200: Thing, 404: ErrorResponse }; \`pulumi preview\`/\`pulumi up\` refuse the route until then.`);
    }
  }
  for (const [status, schema] of Object.entries(meta?.responses ?? {})) {
    responses[status] = schema ? models.add(schema as Schema, `${operationId}${status}Response`, label) : null;
  }

  const binary = planBinary(meta?.binary, meta?.body !== undefined, label, route.method);
  const bodyLimit = (meta as { bodyLimit?: unknown } | undefined)?.bodyLimit;
  if (bodyLimit !== undefined && (typeof bodyLimit !== 'number' || !Number.isSafeInteger(bodyLimit) || bodyLimit < 1)) {
    throw new RouteError(`Route ${label} sets bodyLimit: ${JSON.stringify(bodyLimit)}, which is not a number of bytes. Fix: write a positive integer, e.g. bodyLimit: 256 * 1024, or remove it (1 MiB); \`pulumi preview\`/\`pulumi up\` refuse the route until then.`);
  }
  const textResponses = textResponsesOf(meta?.responses);

  const validatesParams = Object.entries(requestParameters).some(([name, required]) => required && !name.startsWith('method.request.path.'));
  const validatesBody = Object.keys(requestModels).length > 0;
  const validator: ValidatorKind | null = validatesBody && validatesParams ? 'BODY_AND_PARAMS' : validatesBody ? 'BODY' : validatesParams ? 'PARAMS' : null;

  const schemas: MethodSpec['schemas'] = {};
  for (const part of ['body', 'query', 'params', 'headers'] as const) {
    if (meta?.[part]) schemas[part] = plain(meta[part]);
  }
  // The parameters' schemas are not models, but the document carries them and the service compiles them.
  for (const part of ['query', 'params', 'headers'] as const) if (schemas[part]) checkPatterns(schemas[part], part, label);

  return {
    key: methodKey(route.method, resourcePath),
    method: route.method,
    resourcePath,
    koaPath: route.koaPath,
    operationId,
    function: group,
    ...(meta?.summary !== undefined ? { summary: meta.summary } : {}),
    ...(meta?.description !== undefined ? { description: meta.description } : {}),
    ...(meta?.tags !== undefined ? { tags: [...meta.tags] } : {}),
    ...planAuthorization(meta, label),
    requestParameters,
    requestModels,
    validator,
    responses,
    // As the service sees it too: a route without responses has no response check (infra/src/route/response-check.ts).
    ...(Object.keys(meta?.responses ?? {}).length === 0 && !binary?.responses ? { responsesUndeclared: true as const } : {}),
    ...(binary ? { binary } : {}),
    ...(bodyLimit !== undefined ? { bodyLimit } : {}),
    ...(textResponses ? { textResponses } : {}),
    schemas,
  };
}

/**
 * Returns, by status, the media type of each declared response that is text but not JSON (MethodSpec
 * `textResponses`): a string schema with a `contentMediaType` (JSON Schema 2020-12 Validation, section 8.4) that is not a JSON type,
 * e.g. `Type.String({ contentMediaType: 'text/csv' })`; undefined when there is none.
 */
export function textResponsesOf(responses: Record<number, unknown> | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [status, schema] of Object.entries(responses ?? {})) {
    const s = schema as { type?: unknown; contentMediaType?: unknown } | null;
    if (s && s.type === 'string' && typeof s.contentMediaType === 'string' && !/json/i.test(s.contentMediaType)) out[status] = s.contentMediaType.toLowerCase();
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Returns the methods whose route declares none of its responses (MethodSpec `responsesUndeclared`), as
 * `METHOD /resource/path`, sorted: what the public document marks with a `default` response.
 */
export function routesWithoutResponses(spec: Pick<GatewaySpec, 'methods'>): string[] {
  return spec.methods.filter((m) => m.responsesUndeclared).map((m) => `${m.method} ${m.resourcePath}`).sort(compare);
}

/**
 * Returns how a route is authorized: `apiKeyRequired`, and `userPool` with its scopes. Throws, naming the
 * route and the fix, for a contradiction (`public: true` with another `auth`) or a scope Cognito cannot
 * name (infra/src/core/plan/scopes.ts: `resource-server/name` with both parts non-empty, or a standard one;
 * printable ASCII without spaces or quotes: RFC 6749 §3.3 scope-token; Cognito "Scopes, M2M, and resource servers").
 */
function planAuthorization(meta: DiscoveredRoute['meta'], label: string): Pick<MethodSpec, 'apiKeyRequired' | 'userPool'> {
  const auth = meta?.auth ?? (meta?.public === true ? 'public' : 'apiKey');
  if (meta?.public === true && auth !== 'public') {
    throw new RouteError(`Route ${label} is marked public: true but declares auth ${JSON.stringify(auth)}. Fix: keep one of them (auth: 'public' is the same as public: true).`);
  }
  if (auth === 'public') return { apiKeyRequired: false };
  if (auth === 'apiKey') return { apiKeyRequired: true };
  if (typeof auth !== 'object' || auth === null || typeof auth.userPool !== 'object' || auth.userPool === null) {
    throw new RouteError(`Route ${label} declares auth ${JSON.stringify(auth)}. Fix: use 'apiKey', 'public' or { userPool: { scopes: [...] }, apiKey?: true }.`);
  }
  const scopes = [...new Set(auth.userPool.scopes ?? [])].sort(compare);
  for (const scope of scopes) {
    const problem = scopeProblem(scope);
    if (problem) throw new RouteError(`Route ${label} requires the scope ${JSON.stringify(scope)}, which is ${problem}. Fix: name it resource-server/name, e.g. "orders/read".`);
  }
  return { apiKeyRequired: auth.apiKey === true, userPool: { scopes } };
}

/**
 * Throws RouteError when a schema declares a property named `__proto__` (at any depth), naming the route, the part,
 * where, and the fix. Not every layer can carry that name: in a JavaScript object literal, `__proto__: value` sets
 * the object's prototype instead of making a property (ECMA-262 §B.3.1, "__proto__ Property Names in Object
 * Initializers"), so a client call `{ body: { __proto__: 'x' } }` sends no such field, a schema module written into
 * the bundle as data lost it (every request answered 500, issue 23), and an assignment `value['__proto__'] = default`
 * replaces the prototype. Other names of Object.prototype (`constructor`, `toString`...) work in every layer
 * (route/validation.ts, local/validation.ts check own properties), so only this one is refused.
 */
function refuseProtoNames(schema: unknown, label: string, part: string, at: string): void {
  if (Array.isArray(schema)) {
    schema.forEach((item, i) => refuseProtoNames(item, label, part, `${at}/${i}`));
    return;
  }
  if (schema === null || typeof schema !== 'object') return;
  const node = schema as Record<string, unknown>;
  const inProperties = node.properties !== null && typeof node.properties === 'object' && Object.hasOwn(node.properties, '__proto__');
  if (inProperties || (Array.isArray(node.required) && node.required.includes('__proto__'))) {
    throw new RouteError(
      `Route ${label}: its ${part} declares a property named "__proto__" (at ${at}${inProperties ? '/properties/__proto__' : '/required'}), which JavaScript cannot carry as a name: ` +
        "in an object literal `__proto__: value` sets the prototype instead (ECMA-262 §B.3.1), so the typed client would drop it and the service would replace the object's prototype. " +
        'Fix: rename the property (e.g. "proto"); `pulumi preview`/`pulumi up` refuse the route until then.',
    );
  }
  for (const [key, value] of Object.entries(node)) if (!['default', 'const', 'enum', 'examples'].includes(key)) refuseProtoNames(value, label, part, `${at}/${key}`);
}

/** Adds `method.request.<location>.<name>` for each property of an object schema; required as the schema says. */
function addParameters(target: Record<string, boolean>, location: 'querystring' | 'header', schema: Schema | undefined, label: string, part: string): void {
  if (!schema) return;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const [name, property] of Object.entries(propertiesOf(schema, label, part))) {
    // A header name API Gateway can map: `method.request.header.<name>` must match `^[a-zA-Z0-9._$-]+$` (developer
    // guide, "Parameter mapping source reference for REST APIs in API Gateway"), a subset of RFC 9110 §5.6.2 tokens
    // without `'`, which the preflight's single-quoted static Access-Control-Allow-Headers value (core/definition/cors.ts,
    // "Set up data mappings") could not hold: `x-it's` ended the literal.
    if (location === 'querystring' && !/^[A-Za-z0-9._$-]+$/.test(name)) {
      throw new RouteError(
        `Route ${label}: its query declares ${JSON.stringify(name)}, which is not a query parameter name API Gateway can map (letters, digits and . _ $ - only: \`method.request.querystring.<name>\` allows no other, developer guide "Parameter mapping source reference for REST APIs in API Gateway"). ` +
          'Fix: rename the parameter, e.g. "page_size"; `pulumi preview`/`pulumi up` refuse the route until then.',
      );
    }
    if (location === 'header' && !/^[A-Za-z0-9._$-]+$/.test(name)) {
      throw new RouteError(
        `Route ${label}: its headers declare ${JSON.stringify(name)}, which is not a header name API Gateway can map (letters, digits and . _ $ - only: its parameter mapping expressions allow no other, and a quote would end the single-quoted value the preflight lists it in). ` +
          'Fix: rename the header, e.g. "x-request-id"; `pulumi preview`/`pulumi up` refuse the route until then.',
      );
    }
    // Header names are case-insensitive; API Gateway and Node both use them lower-cased here.
    const key = location === 'header' ? name.toLowerCase() : name;
    // One with a default may be left out: the service fills it in (as for a model's properties, ./models.ts).
    target[`method.request.${location}.${key}`] = required.has(name) && !hasDefault(property);
  }
}

function propertiesOf(schema: Schema, label: string, part: string): Record<string, unknown> {
  if (schema.type !== 'object' || typeof schema.properties !== 'object' || schema.properties === null) {
    throw new RouteError(`Route ${label}: its ${part} schema must be an object with properties (Type.Object({...})), one per parameter. Fix: wrap the parameters in Type.Object.`);
  }
  return schema.properties as Record<string, unknown>;
}

/** The method's resource name, `GET-parcels-id`: unique among the methods (two paths differing only in punctuation clash). */
function methodKey(method: string, resourcePath: string): string {
  return `${method}-${slugOfPath(resourcePath)}`;
}

/** The route's operationId: its declaration's, else derived from its method and path. */
function operationIdOf(route: DiscoveredRoute, resourcePath: string): string {
  return route.meta?.operationId ?? defaultOperationId(route.method, resourcePath);
}

/** `GET /api/v1/orders/{id}` → `getApiV1OrdersId`. */
function defaultOperationId(method: string, path: string): string {
  const name = modelName(`${method.toLowerCase()} ${slugOfPath(path)}`);
  return name[0]!.toLowerCase() + name.slice(1);
}

/** The schema as plain JSON (TypeBox's hidden `~` keys are not enumerable and vanish). */
function plain(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

/** Models API Gateway creates in every REST API: a model of ours cannot take these names. */
const RESERVED_MODELS = new Set(['Empty', 'Error']);

/** Models by name: the same schema used by several routes is one model; two schemas with one name are refused. */
class ModelRegistry {
  private readonly models = new Map<string, { model: ModelSpec; route: string; source: string }>();

  /** Returns the model name for `schema`, registering its draft-04 form. */
  add(schema: Schema, fallbackName: string, route: string): string {
    const id = typeof schema.$id === 'string' ? schema.$id : undefined;
    const name = modelName(id ?? fallbackName);
    if (RESERVED_MODELS.has(name)) {
      throw new RouteError(`Route ${route} uses a schema named "${name}", a model every REST API already has (API Gateway answers 409). Fix: give the schema another $id, e.g. "${name}Body".`);
    }
    const source = JSON.stringify(plain(schema));
    const existing = this.models.get(name);
    if (existing) {
      if (existing.source !== source) {
        throw new RouteError(`Routes ${existing.route} and ${route} use two different schemas named "${name}": an API Gateway model name is one schema. Fix: give one of them another $id.`);
      }
      return name;
    }
    const draft04 = toDraft04(plain(schema), name, route);
    // Checked here, at plan time, against what the RestApi body can carry and the draft-04 meta-schema;
    // then its formats are left to the service (uuid aside) and listed for the public document, and so is
    // every keyword API Gateway does not enforce (./enforced.ts, docs/apigateway-behaviour.md §4.18): the
    // deployed model holds only what AWS checks, the contract (the public document's schema) holds all.
    const contract = toImportableModel(draft04, name, route);
    const { schema: withoutFormats, formats } = leaveFormatsToService(contract);
    const { schema: model, loosened } = keepEnforcedKeywords(withoutFormats);
    this.models.set(name, {
      model: { name, contentType: 'application/json', schema: model, ...(formats ? { formats } : {}), ...(formats || loosened ? { contract } : {}) },
      route,
      source,
    });
    return name;
  }

  /**
   * Registers {@link ErrorResponse}, the 400 of every route that validates its input (`route`: the first
   * such). An app schema of the same `$id` and shape is the same model; of another shape it is refused here,
   * naming the fix (the app's schema was registered first: every route is planned before this runs).
   */
  addErrorResponse(route: string): void {
    const existing = this.models.get(ERROR_RESPONSE);
    if (existing && existing.source !== JSON.stringify(plain(ErrorResponse))) {
      throw new RouteError(
        `Route ${existing.route} uses a schema named "${ERROR_RESPONSE}", the name of the error body the 400 of every route that validates its input is declared with ` +
          `(${route}, ...). Fix: give yours another $id, or use ErrorResponse from koa-apigateway/route if it is the same error body.`,
      );
    }
    this.add(ErrorResponse as unknown as Schema, ERROR_RESPONSE, route);
  }

  list(): ModelSpec[] {
    return [...this.models.values()].map((m) => m.model).sort((a, b) => compare(a.name, b.name));
  }
}
