import openapiTS, { astToString } from 'openapi-typescript';
import { DocumentError } from '../../errors';
import { listOperations, type OpenApiDocument, type Operation } from '../conformance/document';

/** The methods whose requests carry a body (RFC 9110 §9.3.3, §9.3.4, RFC 5789): an undeclared one still takes any. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The statuses that get their own error class: the gateway's and the service's 400/403/404/412/429. */
const ERROR_CLASSES: Record<number, string> = {
  400: 'BadRequestError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  412: 'PreconditionFailedError',
  429: 'TooManyRequestsError',
};

/**
 * Returns the source of a typed, dependency-free TypeScript client for `doc`: one exported function
 * per operationId (and `createClient`, which binds them to one configuration), request and response
 * types from the document's schemas (converted by openapi-typescript), the API key header (and
 * `Authorization: Bearer` where an operation's security names an HTTP bearer scheme), and an error
 * class per status 400/403/404/412/429 (ApiError for the rest) carrying the `{"message","errors"}`
 * body and whether API Gateway or the function answered. A POST, PUT or PATCH whose route declares no body
 * schema takes `body?: unknown` (sent as JSON). A binary request body (docs/binary.md) takes a `Blob`, `ArrayBuffer` or
 * `Uint8Array`, sent as it is with a declared media type (`contentType`, default the Blob's own or the first); a binary
 * answer resolves with a `Blob` and a text one that is not JSON (`text/csv`) with a string (a streamed operation's
 * answer, `x-response-transfer-mode: STREAM`, with a `ReadableStream<Uint8Array>` of its bytes as they come), and the operation's Accept
 * names those media types first (API Gateway decodes a binary answer only then: docs/apigateway-behaviour.md
 * section 6.8). The output needs only `fetch`.
 * Throws when an operation has no operationId, two share one, or one uses an unsupported security scheme.
 *
 * Everything taken from the document is written for where it lands (issue 23): into comments through
 * commentText (no comment terminator, no line terminator), into string literals and type indexes through
 * JSON.stringify, as identifiers only through identifiersOf and schemaAliases (ASCII identifier characters,
 * never a reserved word, a name the runtime or the TypeScript library uses, or `__proto__`); openapi-typescript
 * prints its own through the TypeScript printer, which escapes string literals and `*\/` in JSDoc.
 */
export async function generateClient(doc: OpenApiDocument): Promise<string> {
  const operations = listOperations(doc);
  refuseDuplicateOperationIds(operations);
  const names = identifiersOf(operations.map((op) => op.operationId));
  // defaultNonNullable false: a property with a default is optional in a request (the default applies when omitted).
  const { renamed, restore } = renameObjectPrototypeKeys(doc);
  const types = restore(astToString(await openapiTS(renamed as never, { alphabetize: false, exportType: false, defaultNonNullable: false })));
  const title = [doc.info?.title, doc.info?.version].filter(Boolean).join(' ');
  return [
    '/* eslint-disable */',
    `// The typed client of ${commentText(title) || 'the API'}, written by \`koa-apigateway client\` from its OpenAPI document.`,
    '// Do not edit: run `koa-apigateway client --out <file>` again after changing a route. Needs only `fetch`.',
    '',
    '// ---- Types from the document\'s schemas (openapi-typescript) ----',
    '',
    types.trimEnd(),
    '',
    schemaAliases(doc, new Set([...names.values()].flatMap((n) => [`${typeName(n)}Input`, `${typeName(n)}Response`]))),
    '',
    RUNTIME.trim(),
    '',
    '// ---- One function per operation ----',
    '',
    ...operations.map((op) => operationSource(op, names.get(op.operationId)!)),
    clientFactory(operations, names),
  ].join('\n');
}

/**
 * Returns a copy of `doc` with every object key named like an Object.prototype member (`hasOwnProperty`, `valueOf`,
 * `isPrototypeOf`, `toLocaleString`, `__lookupGetter__`...; not `__proto__`, which JSON.parse makes an own key) renamed
 * to a placeholder identifier, the references to those keys (`$ref` segments, `required` and `dependentRequired`
 * names, `discriminator.propertyName`) renamed alike, and `restore`, which writes the original names back into
 * openapi-typescript's output. Why: @redocly/openapi-core's resolver (1.34, resolve.js) looks each key up in a plain
 * object of known fields and calls what it finds, so such a key calls Object.prototype.hasOwnProperty with no
 * receiver and crashes ("Cannot convert undefined or null to object"). The renaming is one-to-one and the
 * placeholders occur nowhere else in the document, so the types are those of the document as written.
 */
function renameObjectPrototypeKeys(doc: OpenApiDocument): { renamed: unknown; restore: (types: string) => string } {
  const risky = new Set(Object.getOwnPropertyNames(Object.prototype).filter((k) => k !== '__proto__'));
  const text = JSON.stringify(doc);
  let prefix = 'KoaApigwKey';
  while (text.includes(prefix)) prefix += 'X';
  const originals: string[] = [];
  const placeholders = new Map<string, string>();
  const rename = (name: string): string => {
    if (!risky.has(name)) return name;
    if (!placeholders.has(name)) {
      placeholders.set(name, `${prefix}${originals.length}Q`);
      originals.push(name);
    }
    return placeholders.get(name)!;
  };
  const names = (value: unknown): unknown => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? rename(v) : v)) : value);
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value === null || typeof value !== 'object') return value;
    // Object.fromEntries defines own data properties: a `__proto__` key stays a key, never a prototype.
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (k === '$ref' && typeof v === 'string') return [k, v.split('/').map(rename).join('/')];
        if (k === 'required') return [k, Array.isArray(v) ? names(v) : walk(v, k)];
        if (k === 'propertyName' && key === 'discriminator' && typeof v === 'string') return [k, rename(v)];
        if (key === 'dependentRequired') return [rename(k), names(v)];
        return [rename(k), walk(v, k)];
      }),
    );
  };
  const renamed = walk(doc);
  if (originals.length === 0) return { renamed: doc, restore: (types) => types };
  const pattern = new RegExp(`${prefix}(\\d+)Q`, 'g');
  return { renamed, restore: (types) => types.replace(pattern, (_, i: string) => originals[Number(i)]!) };
}

/**
 * JavaScript reserved words (ECMA-262 §12.7.2, strict mode and module code) and the globals and
 * names the client's own runtime uses: an operation named after one gets a `_` suffix.
 */
const RESERVED = new Set([
  ...'await break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public arguments eval undefined NaN Infinity'.split(' '),
  ...'send createClient fetch Headers Response Request URL URLSearchParams JSON Object String Number Boolean Array Promise Error TypeError encodeURIComponent ERROR_CLASSES ApiError BadRequestError ForbiddenError NotFoundError PreconditionFailedError TooManyRequestsError operations components paths webhooks $defs'.split(' '),
  // In an object literal (createClient's), `__proto__: value` sets the prototype instead of making a property
  // (ECMA-262 §B.3.1): an operation named so would vanish from the client.
  '__proto__',
  // The parameters and locals of the generated functions (operationSource, clientFactory).
  '__config', '__input', '__args',
]);

/** The type names the client's runtime declares: an operation's `<Name>Input`/`<Name>Response` must not be one. */
const RUNTIME_TYPES = new Set(['ApiError', 'ApiResponse', 'ClientConfig', 'ErrorBody', 'BadRequestError', 'ForbiddenError', 'NotFoundError', 'PreconditionFailedError', 'TooManyRequestsError', 'RequestInput', 'OperationInfo', 'DropFirst']);

/**
 * The library types the generated source refers to (the runtime's and openapi-typescript's): a schema alias named
 * after one would shadow it in the whole module (`export type Record = ...` breaks every `Record<K, V>`).
 */
const LIBRARY_TYPES = new Set('Record NonNullable Parameters Partial Required Readonly Pick Omit Exclude Extract ReturnType Awaited WithRequired OneOf Headers Response Request Promise Array Error TypeError Object String Number Boolean'.split(' '));

/**
 * TypeScript's predefined type names (the compiler refuses them as alias names: TS2457 "Type alias name cannot be 'string'"):
 * `export type string = ...` does not compile, so a schema named so gets no alias (it stays `components['schemas']['string']`).
 */
const TYPE_KEYWORDS = new Set('any unknown never string number boolean bigint symbol object undefined void null intrinsic'.split(' '));

/**
 * Returns `text` made safe inside a `//` or `/* *\/` comment of the generated source: line terminators
 * (ECMA-262 section 12.3: LF, CR, U+2028, U+2029) become spaces, so the text cannot end a line comment or break
 * a JSDoc line, and `*\/` is written `*\\/`, so it cannot end a block comment. Only readers see comments: the
 * change is cosmetic, and nothing in the text can reach code.
 */
export function commentText(text: string): string {
  return text.replace(/\r\n|[\n\r\u2028\u2029]/g, ' ').replace(/\*\//g, '*\\/');
}

/**
 * Throws DocumentError when two operations share an operationId, naming both: OpenAPI 3.1 section 4.8.10 ("The id MUST be
 * unique among all operations described in the API"), and the client names one function after each.
 */
function refuseDuplicateOperationIds(operations: Operation[]): void {
  const seen = new Map<string, Operation>();
  for (const op of operations) {
    const first = seen.get(op.operationId);
    if (first) throw new DocumentError(`operationId ${JSON.stringify(op.operationId)} names both ${first.method} ${first.path} and ${op.method} ${op.path}: operationIds must be unique (OpenAPI 3.1 section 4.8.10). Rename one (a route's \`operationId\` in its declaration).`);
    seen.set(op.operationId, op);
  }
}

/**
 * Returns the function name of each operationId: the operationId itself when it is a valid, free
 * identifier; otherwise camelCase of its words (`get-thing`, `get thing` → `getThing`), `_` before a
 * leading digit, `_` after a reserved word (`delete` → `delete_`), and a number after a name already
 * taken (case-insensitively, as the type names derived from it must differ too).
 * Throws DocumentError for an operationId with no letter or digit to make a name of.
 */
export function identifiersOf(operationIds: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of operationIds) {
    let name = /^[A-Za-z_$][\w$]*$/.test(id) ? id : id.split(/[^A-Za-z0-9_$]+/).filter(Boolean).map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
    if (!name) throw new DocumentError(`operationId ${JSON.stringify(id)} has no letter or digit to name its client function after: rename it (e.g. "getThing").`);
    if (/^\d/.test(name)) name = `_${name}`;
    if (RESERVED.has(name)) name = `${name}_`;
    // Unique as a function name and as the prefix of its types (`delete_` and `Delete` both give `DeleteInput`),
    // and never the name of a type the runtime declares (`Api` → `ApiResponse`, `Request` → `RequestInput`).
    const free = (candidate: string) => !taken.has(candidate.toLowerCase()) && !taken.has(`type:${typeName(candidate).toLowerCase()}`) && !RUNTIME_TYPES.has(`${typeName(candidate)}Input`) && !RUNTIME_TYPES.has(`${typeName(candidate)}Response`);
    let unique = name;
    for (let n = 2; !free(unique); n++) unique = `${name}${n}`;
    taken.add(unique.toLowerCase());
    taken.add(`type:${typeName(unique).toLowerCase()}`);
    out.set(id, unique);
  }
  return out;
}

/** `delete_` → `Delete`, `getThing` → `GetThing`: the prefix of an operation's Input and Response types. */
function typeName(name: string): string {
  const base = name.replace(/_$/, '');
  return base[0]!.toUpperCase() + base.slice(1);
}

function operationSource(op: Operation, name: string): string {
  const Name = typeName(name);
  // Through `paths`, whose keys openapi-typescript writes as they are: its `operations` keys are operationIds
  // rewritten (a `#` becomes `/`, a JSON pointer's escapes apply), so indexing them by the document's id can miss.
  const o = `paths[${JSON.stringify(op.path)}][${JSON.stringify(op.method.toLowerCase())}]`;
  const fields: string[] = [];
  const has = (where: string) => op.parameters.some((p) => p.in === where);
  const required = (where: string) => op.parameters.some((p) => p.in === where && p.required);
  if (has('path')) fields.push(`  path: ${o}['parameters']['path'];`);
  if (has('query')) fields.push(`  query${required('query') ? '' : '?'}: ${o}['parameters']['query'];`);
  if (has('header')) fields.push(`  headers${required('header') ? '' : '?'}: ${o}['parameters']['header'];`);
  if (op.requestBody?.binary) {
    // Bytes (docs/binary.md): sent as they are, with one of the declared media types as Content-Type.
    fields.push(`  /** The bytes to send: a Blob (a File), an ArrayBuffer or a Uint8Array (a Node.js Buffer is one). */`);
    fields.push(`  body${op.requestBody.required ? '' : '?'}: Blob | ArrayBuffer | Uint8Array;`);
    fields.push(`  /** The body's media type, one the operation declares; default: the Blob's own type when declared, else ${commentText(JSON.stringify(op.requestBody.binary[0]))}. */`);
    fields.push(`  contentType?: ${op.requestBody.binary.map((t) => JSON.stringify(t)).join(' | ')};`);
  } else if (op.requestBody) fields.push(`  body${op.requestBody.required ? '' : '?'}: NonNullable<${o}['requestBody']>['content'][${JSON.stringify(op.requestBody.contentType)}];`);
  // A route that declares no body schema (no requestBody, or one without a schema) still takes a body: neither
  // the gateway nor the service checks it, so any JSON value, optional (openapi-typescript's own type is `never`).
  else if (BODY_METHODS.has(op.method)) fields.push('  /** Any JSON value: the route declares no body schema, so neither the gateway nor the service checks it. */', '  body?: unknown;');
  const inputRequired = has('path') || required('query') || required('header') || op.requestBody?.required === true;
  const successes = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
  const responseType = successes.length
    ? // Through the media type the answer declares its schema under (`application/problem+json`...), as listOperations found it.
      successes.map((s) => `ApiResponse<${s}, ${successBodyType(op, s, o)}>`).join(' | ')
    : `ApiResponse<number, ${op.stream ? 'ReadableStream<Uint8Array>' : 'unknown'}>`;
  const errors = Object.keys(op.responses).filter((s) => /^[45]\d\d$/.test(s));
  // How each success's body is read: a Blob for a binary one, text for a text one that is not JSON.
  const bodies = Object.fromEntries(successes.flatMap((s) => (op.responses[s]!.schema ? [] : op.responses[s]!.binary ? [[s, 'blob']] : op.responses[s]!.text ? [[s, 'text']] : [])));
  const accept = acceptOf(op, successes);
  const auth = op.security.map((s) => (s.apiKeyHeader ? `apiKey:${s.apiKeyHeader}` : 'bearer'));
  const doc = [
    `/**`,
    ` * ${commentText(op.summary ?? name)}: \`${op.method} ${commentText(op.path)}\`${op.security.length === 0 ? ' (public: no key)' : ''}${name !== op.operationId ? ` (operationId ${commentText(JSON.stringify(op.operationId))})` : ''}.`,
    ` * Resolves with ${successes.length ? successes.join(' or ') : 'the response'}; rejects with ${describeErrors(errors)}.`,
    ` */`,
  ].join('\n');
  return [
    `export interface ${Name}Input {`,
    ...(fields.length ? fields : ['  // This operation takes no input.']),
    `}`,
    `export type ${Name}Response = ${responseType};`,
    doc,
    // Parameters and locals of generated code are named `__...` (reserved for operations): an operation named
    // `config`, `input` or `args` would otherwise be shadowed by them or shadow them.
    `export function ${name}(__config: ClientConfig, __input${inputRequired ? '' : '?'}: ${Name}Input): Promise<${Name}Response> {`,
    `  return send(__config, { operationId: ${JSON.stringify(op.operationId)}, method: ${JSON.stringify(op.method)}, path: ${JSON.stringify(op.path)}, auth: ${JSON.stringify(auth)}${op.requestBody ? `, contentType: ${JSON.stringify(op.requestBody.contentType)}` : ''}${op.requestBody?.binary ? `, binaryBody: ${JSON.stringify(op.requestBody.binary)}` : ''}${Object.keys(bodies).length ? `, bodies: ${JSON.stringify(bodies)}` : ''}${accept ? `, accept: ${JSON.stringify(accept)}` : ''}${op.stream ? ', stream: true' : ''} }, (__input ?? {}) as RequestInput) as Promise<${Name}Response>;`,
    `}`,
    '',
  ].join('\n');
}

/** Returns the TypeScript type of the body of success `status` of `op` (`o`: its `paths[...]` type): `ReadableStream<Uint8Array>` (a streamed operation), its JSON schema's, `Blob` (binary), `string` (text), or `undefined`. */
function successBodyType(op: Operation, status: string, o: string): string {
  const response = op.responses[status]!;
  if (op.stream) return 'ReadableStream<Uint8Array>';
  if (response.schema) return `${o}['responses'][${status}]['content'][${JSON.stringify(response.contentType)}]`;
  if (response.binary) return 'Blob';
  if (response.text) return 'string';
  return 'undefined';
}

/**
 * Returns the Accept the operation sends when a success is binary or text: the binary media types first, then the
 * text one, then `application/json` (for the errors). API Gateway decodes a binary answer only when the request's
 * first Accept media type is a binary media type (docs/apigateway-behaviour.md section 6.8), else the client would
 * get base64 text. Undefined for an operation that answers JSON only (the runtime sends `application/json`).
 */
function acceptOf(op: Operation, successes: string[]): string | undefined {
  const binary = [...new Set(successes.flatMap((s) => op.responses[s]!.binary ?? []))];
  const text = [...new Set(successes.flatMap((s) => (op.responses[s]!.text ? [op.responses[s]!.text!] : [])))];
  if (binary.length === 0 && text.length === 0) return undefined;
  return [...binary, ...text, 'application/json'].join(', ');
}

/** Returns `BadRequestError (400), ..., ApiError (502, 503)`: the error classes of the declared error statuses. */
function describeErrors(statuses: string[]): string {
  const named = statuses.filter((s) => ERROR_CLASSES[Number(s)]).map((s) => `${ERROR_CLASSES[Number(s)]} (${s})`);
  const other = statuses.filter((s) => !ERROR_CLASSES[Number(s)]);
  return [...named, ...(other.length ? [`ApiError (${other.join(', ')})`] : [])].join(', ') || 'ApiError';
}

/**
 * Returns `export type Order = components['schemas']['Order'];` for each schema whose name is a free identifier:
 * not an operation's type, a reserved word, a TypeScript type keyword (TYPE_KEYWORDS), a runtime or library type the
 * module uses (LIBRARY_TYPES).
 */
function schemaAliases(doc: OpenApiDocument, generated: Set<string>): string {
  const taken = new Set([...generated, ...RESERVED, ...TYPE_KEYWORDS, ...RUNTIME_TYPES, ...LIBRARY_TYPES]);
  const names = Object.keys(doc.components?.schemas ?? {}).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !taken.has(n));
  return names.map((n) => `export type ${n} = components['schemas'][${JSON.stringify(n)}];`).join('\n');
}

function clientFactory(operations: Operation[], names: Map<string, string>): string {
  return [
    '/** Returns the client: every operation bound to `__config` (base URL of the stage, API key, bearer token). */',
    'export function createClient(__config: ClientConfig) {',
    '  return {',
    ...operations.map((op) => names.get(op.operationId)!).map((n) => `    ${n}: (...__args: DropFirst<Parameters<typeof ${n}>>) => ${n}(__config, ...__args),`),
    '  };',
    '}',
    '',
  ].join('\n');
}

/** The client's runtime: no dependency, only `fetch`. */
const RUNTIME = `
// ---- Runtime ----

/** Where and how to call the API. */
export interface ClientConfig {
  /** The stage's base URL: \`pulumi stack output url\`, or \`http://127.0.0.1:3000/dev\` for \`koa-apigateway start\`. */
  baseUrl: string;
  /** The usage plan's API key (\`pulumi stack output apiKey --show-secrets\`), sent as the operation's key header. */
  apiKey?: string;
  /** A bearer token, sent as \`Authorization: Bearer <token>\` to operations that require one. */
  token?: string;
  /**
   * Headers added to every request. Names are case-insensitive (RFC 9110 §5.1): one given here
   * replaces the client's own of the same name (\`Content-Type\`, \`X-Api-Key\`...), and an
   * operation's \`headers\` input replaces both.
   */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/**
 * A successful response: its status, body and headers (ETag, Location...). The body is the parsed JSON (undefined
 * when empty); a Blob where the operation declares a binary answer (an image, a file); a string where it declares
 * text that is not JSON (\`text/csv\`); a ReadableStream of the bytes as they arrive where the operation is streamed
 * (docs/streaming.md).
 */
export interface ApiResponse<S extends number, B> {
  status: S;
  body: B;
  headers: Headers;
}

/** The one error body of the API, gateway and service alike. */
export interface ErrorBody {
  message: string;
  errors?: Array<{ path: string; message: string; in?: 'body' | 'query' | 'path' | 'header' }>;
}

/** A response with status 400 or more. \`source\` tells whether API Gateway itself answered (it sets x-amzn-ErrorType) or the function did. */
export class ApiError extends Error {
  readonly status: number;
  readonly operationId: string;
  /** The parsed error body; undefined when it was not JSON. */
  readonly body: ErrorBody | undefined;
  readonly headers: Headers;
  readonly source: 'gateway' | 'service';
  /** API Gateway's x-amzn-ErrorType (e.g. ForbiddenException), for gateway responses. */
  readonly errorType: string | undefined;
  constructor(operationId: string, status: number, body: ErrorBody | undefined, headers: Headers) {
    super(\`\${operationId}: \${status} \${body?.message ?? ''}\`.trim());
    this.name = new.target.name;
    this.operationId = operationId;
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.errorType = headers.get('x-amzn-errortype') ?? undefined;
    this.source = this.errorType ? 'gateway' : 'service';
  }
}
/** 400: rejected by the gateway's request validation or the function's; \`body.errors\` names the fields. */
export class BadRequestError extends ApiError {
  declare readonly status: 400;
}
/** 403: a missing or wrong API key (\`Forbidden\`), or no such route (\`Missing Authentication Token\`). */
export class ForbiddenError extends ApiError {
  declare readonly status: 403;
}
/** 404: no such resource. */
export class NotFoundError extends ApiError {
  declare readonly status: 404;
}
/** 412: a precondition of the request (If-Match, say) does not hold (RFC 9110 §15.5.13). */
export class PreconditionFailedError extends ApiError {
  declare readonly status: 412;
}
/** 429: throttled (\`Too Many Requests\`) or over the quota (\`Limit Exceeded\`). */
export class TooManyRequestsError extends ApiError {
  declare readonly status: 429;
}

const ERROR_CLASSES: Record<number, typeof ApiError> = { 400: BadRequestError, 403: ForbiddenError, 404: NotFoundError, 412: PreconditionFailedError, 429: TooManyRequestsError };

type DropFirst<T extends unknown[]> = T extends [unknown, ...infer R] ? R : never;

interface RequestInput {
  path?: Record<string, string | number | boolean>;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string | undefined>;
  body?: unknown;
  /** A binary body's media type (one the operation declares). */
  contentType?: string;
}

interface OperationInfo {
  operationId: string;
  /** The media type the request body is declared under (sent as Content-Type); \`application/json\` when none is. */
  contentType?: string;
  method: string;
  path: string;
  /** Alternatives: \`apiKey:<header>\` or \`bearer\`; empty for a public operation. */
  auth: string[];
  /** The media types of a binary request body: the body is sent as bytes, with one of them as Content-Type. */
  binaryBody?: string[];
  /** By success status, how its body is read: \`blob\` (binary) or \`text\`; JSON otherwise. */
  bodies?: Record<string, 'blob' | 'text'>;
  /** A streamed operation (docs/streaming.md): every answer below 400 resolves with a stream of its bytes as they come. */
  stream?: true;
  /** The Accept to send (binary or text answers); \`application/json\` otherwise. */
  accept?: string;
}

async function send(config: ClientConfig, op: OperationInfo, input: RequestInput): Promise<ApiResponse<number, unknown>> {
  const path = op.path.replace(/\\{([^}+]+)\\+?\\}/g, (_, name: string) => {
    // Own properties only: a parameter named \`constructor\` or \`toString\` must not read Object.prototype's.
    const value = input.path && Object.prototype.hasOwnProperty.call(input.path, name) ? input.path[name] : undefined;
    if (value === undefined) throw new TypeError(\`\${op.operationId}: path parameter "\${name}" is required\`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(input.query ?? {})) if (value !== undefined) query.set(key, String(value));
  // Header names are case-insensitive (RFC 9110 §5.1): keyed lower-case, later sources replace earlier ones.
  // A record without a prototype: a header named \`__proto__\` or \`constructor\` is a header like any other.
  const headers: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, { accept: op.accept ?? 'application/json' });
  const apiKey = op.auth.find((a) => a.startsWith('apiKey:'))?.slice('apiKey:'.length);
  if (apiKey && config.apiKey) headers[apiKey] = config.apiKey;
  else if (op.auth.includes('bearer') && config.token) headers['authorization'] = \`Bearer \${config.token}\`;
  let body: string | Blob | ArrayBuffer | Uint8Array | undefined;
  if (input.body !== undefined && op.binaryBody) {
    // Bytes, as they are, under a declared media type: the given one, else the Blob's own when declared, else the first.
    const own = typeof Blob !== 'undefined' && input.body instanceof Blob ? input.body.type.toLowerCase() : '';
    const contentType = input.contentType ?? (op.binaryBody.includes(own) ? own : op.binaryBody[0]!);
    if (!op.binaryBody.includes(contentType.toLowerCase())) throw new TypeError(\`\${op.operationId}: contentType \${contentType} is not one the operation declares (\${op.binaryBody.join(', ')})\`);
    body = input.body as Blob | ArrayBuffer | Uint8Array;
    headers['content-type'] = contentType;
  } else if (input.body !== undefined) {
    body = JSON.stringify(input.body);
    // The media type the operation declares its body under (\`application/vnd.api+json\`...): API Gateway selects the
    // request model to validate by Content-Type (docs/apigateway-behaviour.md section 4.6), so another one would skip the check.
    headers['content-type'] = op.contentType ?? 'application/json';
  }
  for (const given of [config.headers ?? {}, input.headers ?? {}]) {
    for (const [key, value] of Object.entries(given)) if (value !== undefined) headers[key.toLowerCase()] = value;
  }
  if (op.auth.length > 0 && !(apiKey && headers[apiKey] !== undefined) && !(op.auth.includes('bearer') && headers['authorization'] !== undefined)) {
    throw new TypeError(\`\${op.operationId} needs \${apiKey ? 'an API key (apiKey)' : 'a bearer token (token)'} in the client's configuration\`);
  }
  const url = \`\${config.baseUrl.replace(/\\/+$/, '')}\${path}\${query.size ? \`?\${query}\` : ''}\`;
  const response = await (config.fetch ?? fetch)(url, { method: op.method, headers, ...(body !== undefined ? { body: body as NonNullable<NonNullable<Parameters<typeof fetch>[1]>['body']> } : {}) });
  const reads = response.status < 400 ? op.bodies?.[String(response.status)] : undefined;
  // A streamed answer: its bytes as they arrive (an empty stream when there are none, as for HEAD).
  if (op.stream && response.status < 400) return { status: response.status, body: response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }), headers: response.headers };
  if (reads === 'blob') return { status: response.status, body: await response.blob(), headers: response.headers };
  const text = await response.text();
  if (reads === 'text') return { status: response.status, body: text, headers: response.headers };
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (response.status >= 400) {
    const Class = ERROR_CLASSES[response.status] ?? ApiError;
    const errorBody = parsed && typeof parsed === 'object' && typeof (parsed as ErrorBody).message === 'string' ? (parsed as ErrorBody) : undefined;
    throw new Class(op.operationId, response.status, errorBody, response.headers);
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
`;
