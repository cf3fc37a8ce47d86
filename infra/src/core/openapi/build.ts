import type { ApiDefinition, Operation } from '../definition/types';

type Schema = Record<string, unknown>;
type Json = Record<string, unknown>;

export interface OpenApiOptions {
  title?: string;
  version?: string;
  description?: string;
  stageName: string;
  /** Default region in the deployed server URL. */
  region?: string;
  /** Servers listed before the deployed one (the local emulator lists itself first). */
  extraServers?: Array<{ url: string; description?: string }>;
  /**
   * The formats the models leave to the service, by model name and JSON pointer (the plan's `modelFormats(spec)`,
   * infra/src/core/plan/formats.ts): put back into the document's schemas, which describe what the API accepts
   * (the service checks each), although the definition's models, API Gateway's, carry none.
   */
  formats?: Record<string, Record<string, string>>;
  /**
   * The whole schemas of the models whose deployed form leaves part of them to the service, by model name (the
   * plan's `modelContracts(spec)`, infra/src/core/plan/formats.ts): shown instead of the definition's model, which
   * keeps only what API Gateway enforces (docs/apigateway-behaviour.md §4.18). The document is the contract: it
   * says what the API accepts, the service checking what the gateway does not. Wins over `formats` for its model.
   */
  contracts?: Record<string, Record<string, unknown>>;
  /**
   * The methods whose route declares none of its responses, as `METHOD /path` (the plan's `routesWithoutResponses(spec)`,
   * infra/src/core/plan/plan.ts): each gets {@link UNDECLARED_RESPONSE} as its `default` response instead of the
   * definition's placeholder 200 (UNDECLARED_PLACEHOLDER), which no route declared.
   */
  undeclared?: readonly string[];
  /**
   * The binary bodies of the methods that declare them, by `METHOD /path` (the spec's MethodSpec `binary`,
   * docs/binary.md): each media type is shown as the request body's or the response's content, its schema
   * `{ type: 'string', format: 'binary' }` (bytes, no JSON schema), so the client and the conformance suite know them.
   */
  binary?: Readonly<Record<string, { requestBody?: readonly string[]; responses?: Readonly<Record<string, readonly string[]>> }>>;
  /**
   * The text responses that are not JSON, by `METHOD /path` and status (the spec's MethodSpec `textResponses`): each
   * is shown as content of its media type (e.g. `text/csv`) with the schema `{ type: 'string' }`, not as JSON.
   */
  text?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The error body the route kit answers (`{"message", "errors"?}`: koa-apigateway/route ErrorResponse), for the answers the document adds. */
const ERROR_BODY: Readonly<Json> = Object.freeze({ type: 'object', required: ['message'], properties: { message: { type: 'string' }, errors: { type: 'array' } } });

/** The schema of a binary body in the public document: any bytes, in OpenAPI 3.0's form (`format: binary`: Media Type Object, "Considerations for File Uploads"), an annotation 3.1 still accepts. */
const BINARY_SCHEMA: Readonly<Json> = Object.freeze({ type: 'string', format: 'binary' });

/**
 * The `default` response ("any status not listed": OpenAPI 3.1 §4.8.16, Responses Object) of an operation whose
 * route declares none of its responses: the document says the contract is unknown, and how to declare it, rather
 * than invent a 200. No content: the body is unknown too. Tools read it so: the conformance suite checks only that
 * such an operation's valid request reaches the function (docs/conformance.md).
 */
export const UNDECLARED_RESPONSE: Readonly<{ description: string }> = Object.freeze({
  description:
    'Not declared: this route declares none of its responses, so any status and body may come from the function. ' +
    "Declare them in the route's code, `router.get('/path', route({ responses: { 200: Schema } }), handler)` or " +
    '`addRoute(router, { method, path, responses }, handler)` (koa-apigateway/route); a descriptor `routes` entry sets only auth and documentation.',
});

const SECURITY_SCHEME = 'apiKey';
/**
 * The user pool token scheme of the public document: HTTP bearer, so Swagger UI's Authorize, the conformance
 * suite and the generated client all know it (`Authorization: Bearer <token>`; the Cognito developer guide,
 * "Accessing resources with API Gateway after sign-in", has clients send bearer tokens). docs/auth.md.
 */
const TOKEN_SCHEME = 'userPoolToken';

/**
 * The public document's mark of a streamed operation (`"x-response-transfer-mode": "STREAM"`, docs/streaming.md): its
 * answer comes as the function writes it (API Gateway's integration `responseTransferMode`, developer guide, "Stream
 * the integration response for your proxy integrations"). The typed client resolves such an answer with a stream.
 */
export const RESPONSE_TRANSFER_MODE_EXTENSION = 'x-response-transfer-mode';

/**
 * Returns the public OpenAPI 3.1 document of the deployed API, derived from the API definition
 * (the RestApi body) alone: its operations without API Gateway's `x-amazon-apigateway-*` extensions
 * and without the MOCK CORS preflights (gateway plumbing, not operations), models as JSON Schema
 * 2020-12, the `x-api-key` security scheme on every method that requires it (public ones have
 * `security: []`), the gateway's own error responses, and the stage's invoke URL pattern as the server.
 */
export function buildOpenApi(definition: ApiDefinition, options: OpenApiOptions): Json {
  const undeclared = new Set(options.undeclared ?? []);
  const paths: Record<string, Json> = {};
  for (const [path, operations] of Object.entries(definition.paths)) {
    for (const [verb, op] of Object.entries(operations)) {
      if (op['x-amazon-apigateway-integration']?.type === 'mock') continue;
      const id = `${verb.toUpperCase()} ${path}`;
      (paths[path] ??= {})[verb] = withText(withBinary(operation(op, definition, undeclared.has(id)), options.binary?.[id]), options.text?.[id], definition);
    }
  }
  const schemas: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(definition.components.schemas)) {
    const contract = options.contracts?.[name];
    schemas[name] = contract ? toOpenApiSchema(contract) : withFormats(toOpenApiSchema(schema), options.formats?.[name]);
  }
  schemas.GatewayError = {
    type: 'object',
    required: ['message'],
    properties: {
      message: { type: 'string' },
      detail: {
        type: 'string',
        description: 'A refused body only: what API Gateway’s request validator found, in its words, e.g. `[object has missing required properties (["title"])]`.',
      },
    },
    description: 'A response made by API Gateway itself (no route, wrong key, throttled, integration failure, a body its model refuses).',
  };
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? definition.info.title,
      version: options.version ?? definition.info.version,
      ...(options.description ? { description: options.description } : {}),
    },
    servers: [
      ...(options.extraServers ?? []),
      {
        url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}',
        description: 'The deployed stage (`pulumi stack output url`)',
        variables: {
          restApiId: { default: 'restApiId', description: 'The REST API id (first label of the stack output url).' },
          region: { default: options.region ?? 'us-east-1' },
          stage: { default: options.stageName },
        },
      },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        [SECURITY_SCHEME]: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The usage plan API key (`pulumi stack output apiKey --show-secrets`).' },
        ...(hasTokenScheme(definition)
          ? {
              [TOKEN_SCHEME]: {
                type: 'http',
                scheme: 'bearer',
                bearerFormat: 'JWT',
                description:
                  'A Cognito user pool token in `Authorization` (API Gateway reads it with or without `Bearer `): an ID token for routes without scopes, an access token carrying one of the route’s scopes otherwise. Locally: `koa-apigateway token` (ID) or `koa-apigateway token --scope <scope>` (access). Deployed: docs/auth.md.',
              },
            }
          : {}),
      },
      responses: {
        Forbidden: gatewayResponse('Missing or invalid API key: `{"message":"Forbidden"}`.'),
        ...(hasTokenScheme(definition)
          ? { Unauthorized: gatewayResponse('Missing, malformed, foreign or under-scoped user pool token: `{"message":"Unauthorized"}`; expired: `{"message":"The incoming token has expired"}`.') }
          : {}),
        TooManyRequests: gatewayResponse('Throttled (`Too Many Requests`) or over the quota (`Limit Exceeded`).'),
        BadGateway: gatewayResponse('The function failed or returned a malformed response: `{"message": "Internal server error"}`.'),
        GatewayTimeout: gatewayResponse('The function did not answer in time: `{"message": "Endpoint request timed out"}`.'),
      },
    },
  };
}

function operation(op: Operation, definition: ApiDefinition, undeclared: boolean): Json {
  const responses: Record<string, Json> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    // Undeclared: a 200 in the definition is its placeholder (UNDECLARED_PLACEHOLDER), not the route's.
    if (undeclared && status === '200') continue;
    responses[status] = structuredClone(response) as Json;
  }
  if (undeclared) responses.default = { ...UNDECLARED_RESPONSE };
  const requirement = (op.security ?? [])[0] ?? {};
  const keyRequired = 'api_key' in requirement;
  const tokenScopes = Object.entries(requirement).find(([name]) => name !== 'api_key')?.[1];
  const validated = op['x-amazon-apigateway-request-validator'] !== undefined && definition['x-amazon-apigateway-request-validators'][op['x-amazon-apigateway-request-validator']] !== undefined;
  if (validated && !responses['400']) responses['400'] = { description: 'Rejected by the gateway’s request validation.', content: { 'application/json': { schema: ref('GatewayError') } } };
  if (keyRequired) responses['403'] ??= { $ref: '#/components/responses/Forbidden' };
  if (tokenScopes) responses['401'] ??= { $ref: '#/components/responses/Unauthorized' };
  // The stage throttles every method, public ones too.
  responses['429'] ??= { $ref: '#/components/responses/TooManyRequests' };
  responses['502'] ??= { $ref: '#/components/responses/BadGateway' };
  responses['504'] ??= { $ref: '#/components/responses/GatewayTimeout' };
  return {
    ...(op.operationId ? { operationId: op.operationId } : {}),
    ...(op.summary ? { summary: op.summary } : {}),
    ...(op.description ? { description: op.description } : {}),
    ...(op.tags ? { tags: op.tags } : {}),
    parameters: (op.parameters ?? []).map((p) => ({ ...p, schema: toOpenApiSchema(p.schema) })),
    ...(op.requestBody ? { requestBody: structuredClone(op.requestBody) } : {}),
    responses,
    // Public routes opt out of the key explicitly: no document-level default applies. Key and token in one
    // requirement: both are needed.
    security: keyRequired || tokenScopes ? [{ ...(keyRequired ? { [SECURITY_SCHEME]: [] } : {}), ...(tokenScopes ? { [TOKEN_SCHEME]: [...tokenScopes] } : {}) }] : [],
    // A streamed route (docs/streaming.md): its answer's bytes reach the client as the function writes them. OpenAPI 3.1
    // has no field for it; the extension takes API Gateway's name and value (the integration's responseTransferMode).
    ...(isStreamed(op) ? { [RESPONSE_TRANSFER_MODE_EXTENSION]: 'STREAM' } : {}),
  };
}

/** True when `op`'s integration streams its response (a Lambda proxy integration with `responseTransferMode: STREAM`). */
function isStreamed(op: Operation): boolean {
  const integration = op['x-amazon-apigateway-integration'];
  return integration?.type !== 'mock' && integration !== undefined && 'responseTransferMode' in integration && integration.responseTransferMode === 'STREAM';
}

/** Returns `op` with its binary request body and responses (OpenApiOptions `binary`) as content of their media types. */
function withBinary(op: Json, binary: NonNullable<OpenApiOptions['binary']>[string] | undefined): Json {
  if (!binary) return op;
  const content = (types: readonly string[]) => Object.fromEntries(types.map((t) => [t, { schema: { ...BINARY_SCHEMA } }]));
  if (binary.requestBody && binary.requestBody.length > 0) {
    op.requestBody = { required: true, content: content(binary.requestBody) };
    // The route kit's own answers to a binary body (docs/binary.md), in the error shape, when the route declares none.
    const answers = op.responses as Record<string, Json>;
    answers['413'] ??= { description: 'The body is larger than the route’s `bodyLimit` (the function’s answer, naming the limit).', content: { 'application/json': { schema: { ...ERROR_BODY } } } };
    answers['415'] ??= { description: 'The body’s Content-Type is none of the declared media types (the function’s answer).', content: { 'application/json': { schema: { ...ERROR_BODY } } } };
  }
  const responses = op.responses as Record<string, Json>;
  for (const [status, types] of Object.entries(binary.responses ?? {})) {
    const response = (responses[status] ??= { description: `Status ${status}` });
    response.content = { ...((response.content as Json | undefined) ?? {}), ...content(types) };
  }
  return op;
}

/**
 * Returns `op` with each text response of `text` (OpenApiOptions `text`) as content of its media type, a string
 * (with the model's description), instead of the JSON content the definition gives it.
 */
function withText(op: Json, text: Readonly<Record<string, string>> | undefined, definition: ApiDefinition): Json {
  if (!text) return op;
  const responses = op.responses as Record<string, Json>;
  for (const [status, mediaType] of Object.entries(text)) {
    const response = responses[status];
    if (!response) continue;
    const json = (response.content as Record<string, { schema?: { $ref?: string } }> | undefined)?.['application/json'];
    const model = json?.schema?.$ref?.split('/').pop();
    const description = model ? (definition.components.schemas[model] as { description?: unknown } | undefined)?.description : undefined;
    response.content = { [mediaType]: { schema: { type: 'string', ...(typeof description === 'string' ? { description } : {}) } } };
  }
  return op;
}

/** True when the definition has a user pool authorizer (a security scheme besides the key's). */
function hasTokenScheme(definition: ApiDefinition): boolean {
  return Object.keys(definition.components.securitySchemes).some((n) => n !== 'api_key');
}

function ref(model: string): Json {
  return { $ref: `#/components/schemas/${model}` };
}

function gatewayResponse(description: string): Json {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } } };
}

/** Returns `schema` with `format` set at each JSON pointer of `formats` that names a schema in it. */
function withFormats(schema: Schema, formats: Record<string, string> | undefined): Schema {
  for (const [pointer, format] of Object.entries(formats ?? {})) {
    let node: unknown = schema;
    for (const part of pointer.split('/').slice(1)) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) (node as Schema).format = format;
  }
  return schema;
}

/**
 * Returns a draft-04 model (or a TypeBox schema) as OpenAPI 3.1 schema (JSON Schema 2020-12):
 * no `$schema`/`id`/`$id`, draft-04's boolean exclusive bounds made numeric, `enum: [null]` back to
 * `type: "null"`, API Gateway model URLs pointing at `#/components/schemas`.
 */
export function toOpenApiSchema(schema: Schema): Schema {
  const walk = (node: unknown, inProperties = false): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n));
    if (node === null || typeof node !== 'object') return node;
    const source = node as Schema;
    const out: Schema = {};
    for (const [key, value] of Object.entries(source)) {
      if (inProperties) {
        out[key] = walk(value);
        continue;
      }
      if (key === '$schema' || key === 'id' || key === '$id') continue;
      if (key === 'enum' && Array.isArray(value) && value.length === 1 && value[0] === null && !('type' in source)) {
        out.type = 'null';
        continue;
      }
      if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'boolean') {
        const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
        if (value && typeof source[bound] === 'number') out[key] = source[bound];
        continue;
      }
      if ((key === 'minimum' || key === 'maximum') && source[key === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'] === true) continue;
      if (key === '$ref' && typeof value === 'string') {
        const name = /(?:\/models\/|^#\/components\/schemas\/)([A-Za-z0-9]+)$/.exec(value)?.[1];
        out[key] = name ? `#/components/schemas/${name}` : value;
        continue;
      }
      out[key] = walk(value, key === 'properties' || key === 'definitions' || key === 'patternProperties');
    }
    return out;
  };
  return walk(schema) as Schema;
}
