import { readFileSync } from 'node:fs';
import type { LoadedApp } from '../../app/descriptor';
import { loadApi } from '../../app/load-stack';
import { buildApi, type ApiSettings, type ApiSource } from '../../core/build-api';
import { DocumentError } from '../../errors';

/** A JSON Schema (OpenAPI 3.1: JSON Schema 2020-12), or a `$ref` to one. */
export type Schema = Record<string, unknown>;

/** The parts of an OpenAPI 3.1 document the conformance suite and the client generator read. */
export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string };
  paths: Record<string, Record<string, unknown>>;
  components?: {
    schemas?: Record<string, Schema>;
    responses?: Record<string, unknown>;
    securitySchemes?: Record<string, SecurityScheme>;
  };
  security?: Array<Record<string, string[]>>;
}

export type SecurityScheme =
  | { type: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string; description?: string }
  | { type: 'http'; scheme: string; bearerFormat?: string; description?: string }
  | { type: string; [key: string]: unknown };

export interface LoadOptions {
  /** A document written by `koa-apigateway openapi` (or any OpenAPI 3.1 file); default: built from the app's routes. */
  file?: string;
  /** The Pulumi stack whose settings (stage name, region) the document describes; default `dev`. */
  stack?: string;
  /** The project's folder (its Pulumi.yaml); default: the project root. */
  root?: string;
  /** The app; default: the descriptor loadApp reads. */
  app?: LoadedApp;
}

/**
 * Returns the public OpenAPI 3.1 document of the API: the one `koa-apigateway openapi` writes and the
 * local gateway serves at `/openapi.json`, built from the app's own routes by the same chain (core/build-api.ts),
 * or read from `file`.
 * This is the one place the conformance suite and the client generator get the API definition from:
 * switching their source (e.g. to the gateway's OpenAPI 3.0 definition) is a change here only.
 * Throws when `file` cannot be read or is not an OpenAPI 3.x document.
 */
export function loadApiDocument(options: LoadOptions = {}): OpenApiDocument {
  if (options.file) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (err) {
      throw new DocumentError(`--openapi ${options.file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Write one with \`koa-apigateway openapi\`, or leave --openapi out to build it from the routes.`);
    }
    let parsed: Partial<OpenApiDocument>;
    try {
      parsed = JSON.parse(text) as Partial<OpenApiDocument>;
    } catch (err) {
      throw new DocumentError(`--openapi ${options.file}: not JSON (${(err as Error).message}). It must be an OpenAPI 3.x document in JSON, as \`koa-apigateway openapi\` writes.`);
    }
    if (parsed === null || typeof parsed !== 'object' || typeof parsed.openapi !== 'string' || !parsed.openapi.startsWith('3.') || typeof parsed.paths !== 'object' || parsed.paths === null) {
      throw new DocumentError(`--openapi ${options.file}: not an OpenAPI 3.x document (it needs "openapi": "3.x" and "paths").`);
    }
    return parsed as OpenApiDocument;
  }
  return loadApi({ stack: options.stack ?? 'dev', ...(options.root ? { root: options.root } : {}), ...(options.app ? { app: options.app } : {}) }).openapi as unknown as OpenApiDocument;
}

/**
 * Returns the public OpenAPI 3.1 document of `app` under a stack's `settings` (its stage name, CORS
 * origins, user pool) in `region`: the chain's (core/build-api.ts), as `koa-apigateway openapi` writes it.
 */
export function buildApiDocument(app: ApiSource, settings: ApiSettings, region?: string): OpenApiDocument {
  return buildApi(app, settings, region ? { region } : {}).openapi as unknown as OpenApiDocument;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

/** How one operation is authorized: the request must satisfy one of these (OpenAPI `security`). */
export interface SecurityRequirement {
  /** The header carrying the API key (e.g. `x-api-key`), when the requirement names an apiKey scheme. */
  apiKeyHeader?: string;
  /** True when the requirement names an HTTP bearer scheme (`Authorization: Bearer <token>`). */
  bearer?: boolean;
}

export interface DeclaredResponse {
  /** The JSON body's schema; undefined when the response has no body (or a binary or text one only). */
  schema?: Schema;
  /**
   * The media types of a binary body (content whose schema is `{ type: 'string', format: 'binary' }`, as
   * `koa-apigateway openapi` writes a route's `binary.responses`: docs/binary.md), lower-cased; set when there is one.
   */
  binary?: string[];
  /**
   * The media type of a text body that is neither JSON nor binary (content whose schema is a string, e.g.
   * `text/csv`), lower-cased; set when there is one and no JSON schema.
   */
  text?: string;
  /**
   * The media type key the schema is declared under (the first matching /json/i: `application/json`,
   * `application/problem+json`, `application/json; charset=utf-8`...); set with `schema`.
   */
  contentType?: string;
}

/** One operation of the document, with its `$ref`s to parameters and responses resolved. */
export interface Operation {
  operationId: string;
  /** Upper-case HTTP method. */
  method: string;
  /** The OpenAPI path template, e.g. `/api/v1/orders/{id}`. */
  path: string;
  summary?: string;
  parameters: Parameter[];
  /**
   * The request body: its first media type and schema; `binary` lists the media types of a binary body (schema
   * `{ type: 'string', format: 'binary' }`: bytes, not JSON), lower-cased, when it is one.
   */
  requestBody?: { required: boolean; contentType: string; schema: Schema; binary?: string[] };
  /** Status code (or `default`) → response. */
  responses: Record<string, DeclaredResponse>;
  /**
   * True when the document leaves the operation's answers open: a `default` response without a schema and no
   * 1xx–3xx status, as `koa-apigateway openapi` writes for a route that declares none of its responses. The suite
   * then checks only that its valid request reaches the function (run.ts).
   */
  responsesUndeclared: boolean;
  /** Empty: public. Otherwise one of the alternatives must be met. */
  security: SecurityRequirement[];
  /**
   * True when the document marks the operation streamed (`"x-response-transfer-mode": "STREAM"`, as `koa-apigateway
   * openapi` writes a `stream: true` route: docs/streaming.md): its answer's bytes come as the function writes them.
   */
  stream?: true;
}

/**
 * Returns every operation of the document, in document order. Throws when an operation has no
 * operationId (the client and the report name operations by it) or a `$ref` points nowhere.
 */
export function listOperations(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const shared = (item.parameters as unknown[] | undefined) ?? [];
    for (const method of HTTP_METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op) continue;
      const operationId = op.operationId;
      if (typeof operationId !== 'string' || !operationId) throw new DocumentError(`${method.toUpperCase()} ${path} has no operationId: every operation needs one.`);
      const parameters = [...shared, ...((op.parameters as unknown[] | undefined) ?? [])].map((p) => {
        const param = resolve(doc, p) as unknown as Parameter & { schema?: Schema };
        return { name: param.name, in: param.in, required: param.in === 'path' || param.required === true, schema: param.schema ?? {} };
      });
      const body = op.requestBody ? (resolve(doc, op.requestBody) as { required?: boolean; content?: Record<string, { schema?: Schema }> }) : undefined;
      const [contentType, media] = Object.entries(body?.content ?? {})[0] ?? [];
      const responses: Record<string, DeclaredResponse> = {};
      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, unknown>)) {
        const r = resolve(doc, response) as { content?: Record<string, { schema?: Schema }> };
        const [jsonType, json] = Object.entries(r.content ?? {}).find(([type]) => /json/i.test(type)) ?? [];
        const binaryTypes = binaryMediaTypes(r.content);
        const [textType] = Object.entries(r.content ?? {}).find(([type, media]) => !/json/i.test(type) && !isBinarySchema(media?.schema) && media?.schema?.type === 'string') ?? [];
        responses[status] = {
          ...(jsonType && json?.schema ? { schema: json.schema, contentType: jsonType } : {}),
          ...(binaryTypes.length > 0 ? { binary: binaryTypes } : {}),
          ...(textType && !(jsonType && json?.schema) ? { text: textType.toLowerCase() } : {}),
        };
      }
      const requestBinary = binaryMediaTypes(body?.content);
      const requirements = (op.security as Array<Record<string, string[]>> | undefined) ?? doc.security ?? [];
      out.push({
        operationId,
        method: method.toUpperCase(),
        path,
        ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
        parameters,
        ...(contentType && media?.schema ? { requestBody: { required: body?.required === true, contentType, schema: media.schema, ...(requestBinary.length > 0 ? { binary: requestBinary } : {}) } } : {}),
        responses,
        responsesUndeclared: responses.default !== undefined && !responses.default.schema && !responses.default.binary && !responses.default.text && !Object.keys(responses).some((s) => /^[1-3]\d\d$/.test(s)),
        security: requirements.map((req) => securityOf(doc, req)),
        ...(op['x-response-transfer-mode'] === 'STREAM' ? { stream: true as const } : {}),
      });
    }
  }
  return out;
}

/** True for the schema of a binary body in an OpenAPI document: `{ type: 'string', format: 'binary' }` (OpenAPI 3.0's form, which 3.1 still accepts). */
export function isBinarySchema(schema: Schema | undefined): boolean {
  return schema?.type === 'string' && schema.format === 'binary';
}

/** Returns the media types of `content` whose schema is binary (isBinarySchema), lower-cased, in document order. */
function binaryMediaTypes(content: Record<string, { schema?: Schema }> | undefined): string[] {
  return Object.entries(content ?? {}).filter(([, media]) => isBinarySchema(media?.schema)).map(([type]) => type.toLowerCase());
}

/** An RFC 9110 §5.6.2 token: what a header field name is (RFC 9110 §5.1). */
const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function securityOf(doc: OpenApiDocument, requirement: Record<string, string[]>): SecurityRequirement {
  const out: SecurityRequirement = {};
  for (const name of Object.keys(requirement)) {
    const scheme = doc.components?.securitySchemes?.[name];
    if (!scheme) throw new DocumentError(`security names "${name}", which components.securitySchemes does not define.`);
    if (scheme.type === 'apiKey' && scheme.in === 'header') {
      // Sent on every call (by the client and the suite): a name fetch can send, an RFC 9110 §5.1 token.
      if (!HEADER_TOKEN.test(String(scheme.name))) throw new DocumentError(`security scheme ${JSON.stringify(name)} names the header ${JSON.stringify(scheme.name)}, which is not a header name (RFC 9110 §5.1: letters, digits and !#$%&'*+-.^_\`|~): rename it, e.g. "x-api-key".`);
      out.apiKeyHeader = String(scheme.name).toLowerCase();
    }
    else if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer') out.bearer = true;
    else throw new DocumentError(`security scheme "${name}" (${scheme.type}) is not supported: use an apiKey header or HTTP bearer.`);
  }
  return out;
}

/** Returns `node` with a local `$ref` (`#/components/...`) followed, as often as needed. */
export function resolve(doc: OpenApiDocument, node: unknown): Record<string, unknown> {
  let current = node as Record<string, unknown>;
  for (let hops = 0; typeof current?.$ref === 'string'; hops++) {
    if (hops > 20) throw new DocumentError(`$ref loop at ${String(current.$ref)}`);
    current = pointer(doc, current.$ref as string);
  }
  return current;
}

function pointer(doc: OpenApiDocument, ref: string): Record<string, unknown> {
  if (!ref.startsWith('#/')) throw new DocumentError(`Only local $refs are supported, not "${ref}".`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
    if (node === undefined) throw new DocumentError(`$ref "${ref}" points nowhere in the document.`);
  }
  return node as Record<string, unknown>;
}
