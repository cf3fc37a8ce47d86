import type { GatewaySpec, MethodSpec } from '../spec/types';

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
}

const SECURITY_SCHEME = 'apiKey';

/**
 * Returns the OpenAPI 3.1 document of the deployed API, from the gateway spec alone: one operation
 * per method, its parameters and schemas, the `x-api-key` security scheme on every method that
 * requires it (public ones have `security: []`), and the stage's invoke URL pattern as the server.
 */
export function buildOpenApi(spec: GatewaySpec, options: OpenApiOptions): Json {
  const paths: Record<string, Json> = {};
  for (const method of spec.methods) {
    (paths[method.resourcePath] ??= {})[method.method.toLowerCase()] = operation(method);
  }
  const schemas: Record<string, Schema> = {};
  for (const model of spec.models) schemas[model.name] = toOpenApiSchema(model.schema);
  schemas.GatewayError = {
    type: 'object',
    required: ['message'],
    properties: { message: { type: 'string' } },
    description: 'A response made by API Gateway itself (no route, wrong key, throttled, integration failure).',
  };
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'API',
      version: options.version ?? '0.0.0',
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
      },
      responses: {
        Forbidden: gatewayResponse('Missing or invalid API key: `{"message":"Forbidden"}`.'),
        TooManyRequests: gatewayResponse('Throttled (`Too Many Requests`) or over the quota (`Limit Exceeded`).'),
        BadGateway: gatewayResponse('The function failed or returned a malformed response: `{"message": "Internal server error"}`.'),
        GatewayTimeout: gatewayResponse('The function did not answer in time: `{"message": "Endpoint request timed out"}`.'),
      },
    },
  };
}

function operation(method: MethodSpec): Json {
  const responses: Record<string, Json> = {};
  for (const [status, model] of Object.entries(method.responses)) {
    responses[status] = {
      description: describeStatus(status),
      ...(model ? { content: { 'application/json': { schema: ref(model) } } } : {}),
    };
  }
  if (Object.keys(responses).length === 0) responses.default = { description: 'The function’s response.' };
  if (method.validator && !responses['400']) responses['400'] = { description: 'Rejected by the gateway’s request validation.', content: { 'application/json': { schema: ref('GatewayError') } } };
  if (method.apiKeyRequired) responses['403'] ??= { $ref: '#/components/responses/Forbidden' };
  // The stage throttles every method, public ones too.
  responses['429'] ??= { $ref: '#/components/responses/TooManyRequests' };
  responses['502'] ??= { $ref: '#/components/responses/BadGateway' };
  responses['504'] ??= { $ref: '#/components/responses/GatewayTimeout' };

  const [contentType, model] = Object.entries(method.requestModels)[0] ?? [];
  return {
    operationId: method.operationId,
    ...(method.summary ? { summary: method.summary } : {}),
    ...(method.description ? { description: method.description } : {}),
    ...(method.tags ? { tags: method.tags } : {}),
    parameters: parameters(method),
    ...(contentType && model ? { requestBody: { required: true, content: { [contentType === '$default' ? 'application/json' : contentType]: { schema: ref(model) } } } } : {}),
    responses,
    // Public routes opt out of the key explicitly: no document-level default applies.
    security: method.apiKeyRequired ? [{ [SECURITY_SCHEME]: [] }] : [],
  };
}

/** Returns the parameters: from the route's schemas when it has them, else from the deployed request parameters. */
function parameters(method: MethodSpec): Json[] {
  const out: Json[] = [];
  const seen = new Set<string>();
  const fromSchema = (location: 'path' | 'query' | 'header', schema: Schema | undefined) => {
    const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
    for (const [name, property] of Object.entries((schema?.properties ?? {}) as Record<string, Schema>)) {
      const { description, ...rest } = toOpenApiSchema(property);
      seen.add(`${location}.${name.toLowerCase()}`);
      out.push({ name, in: location, required: location === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest });
    }
  };
  fromSchema('path', method.schemas.params);
  fromSchema('query', method.schemas.query);
  fromSchema('header', method.schemas.headers);
  for (const [key, required] of Object.entries(method.requestParameters)) {
    const [, , where, ...rest] = key.split('.');
    const location = where === 'querystring' ? 'query' : (where as 'path' | 'header');
    const name = rest.join('.');
    if (seen.has(`${location}.${name.toLowerCase()}`)) continue;
    out.push({ name, in: location, required: location === 'path' || required, schema: { type: 'string' } });
  }
  return out;
}

function ref(model: string): Json {
  return { $ref: `#/components/schemas/${model}` };
}

function gatewayResponse(description: string): Json {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } } };
}

/**
 * Returns a draft-04 model (or a TypeBox schema) as OpenAPI 3.1 schema (JSON Schema 2020-12):
 * no `$schema`/`id`/`$id`, draft-04's boolean exclusive bounds made numeric, API Gateway model URLs
 * pointing at `#/components/schemas`.
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
      if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'boolean') {
        const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
        if (value && typeof source[bound] === 'number') out[key] = source[bound];
        continue;
      }
      if ((key === 'minimum' || key === 'maximum') && source[key === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'] === true) continue;
      if (key === '$ref' && typeof value === 'string') {
        const name = /\/models\/([A-Za-z0-9]+)$/.exec(value)?.[1];
        out[key] = name ? `#/components/schemas/${name}` : value;
        continue;
      }
      out[key] = walk(value, key === 'properties' || key === 'definitions' || key === 'patternProperties');
    }
    return out;
  };
  return walk(schema) as Schema;
}

function describeStatus(status: string): string {
  const text: Record<string, string> = {
    '200': 'OK',
    '201': 'Created',
    '204': 'No Content',
    '400': 'Invalid request',
    '404': 'Not found',
    '409': 'Conflict',
    '412': 'Precondition failed (the If-Match ETag is stale)',
    '503': 'Service unavailable',
  };
  return text[status] ?? `Status ${status}`;
}
