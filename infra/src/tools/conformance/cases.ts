import { randomBytes } from 'node:crypto';
import { listOperations, type OpenApiDocument, type Operation, type Schema } from './document';
import { deref, formatNearMiss, invalidParameterValue, SampleError, validSample, wrongTypeValue } from './samples';
import type { SchemaChecker } from './schemas';

/** One HTTP request, its path relative to the stage's base URL. */
export interface CaseRequest {
  method: string;
  /** Concrete path, e.g. `/api/v1/orders/6f0c…`, query string included. */
  path: string;
  headers: Record<string, string>;
  /** JSON text, or the bytes of a binary body. */
  body?: string | Uint8Array;
}

/** Who must have answered: API Gateway itself (a gateway response, with `x-amzn-ErrorType`) or the function. */
export type Source = 'gateway' | 'service';

/** What a case's response must show, beyond the checks every response gets (declared status, schema, error shape). */
export interface Expectation {
  /**
   * The status; or `success`: a declared status that is neither a 400 nor a 403 (the request was valid and let
   * through); or `reached`: any status below 500 from the function, for an operation whose responses the document
   * leaves undeclared (Operation `responsesUndeclared`).
   */
  status: number | 'success' | 'reached';
  source?: Source;
  /** The error body's exact `message`. */
  message?: string;
  /** The error body must name this field (in `errors`, or in `message`). */
  namesField?: string;
  /** `x-amzn-ErrorType`, for gateway responses. */
  errorType?: string;
  /** CORS headers expected on the response. */
  cors?: { allowOrigin: string | null; allowMethod?: string };
}

/** Which checks of a case may fail on AWS for a reason the project knows and accepts, and why. */
export interface KnownDifference {
  checks: Array<'status' | 'source' | 'body' | 'shape'>;
  note: string;
}

export interface Case {
  /** Stable id, e.g. `createOrder.body.missing-required`. */
  id: string;
  group: 'valid' | 'near-miss' | 'auth' | 'routing' | 'cors';
  operationId?: string;
  title: string;
  request: CaseRequest;
  expect: Expectation;
  /** Send the API key: the case's own choice, never the runner's. */
  withKey: boolean;
  /** Why the expectation is what it is, when that is not obvious (shown in the report). */
  note?: string;
  /** Set when the case cannot be run (and why): reported as skipped, nothing is sent. */
  skip?: string;
  knownDifference?: KnownDifference;
}

export interface GenerateOptions {
  /** The origins allowed by the stack's CORS setting; empty: CORS is off, no preflight is deployed. */
  corsOrigins: readonly string[];
}

/** Only presence is validated at the gateway: the form of path and query values is the function's to check. */
const PARAMETER_FORM_NOTE = 'API Gateway checks only that required parameters are present, not their type or format (AWS developer guide, "Request validation" and docs/apigateway-behaviour.md §4.2): the function answers these 400s.';

/** Why an operation whose responses are undeclared gets only its valid request and key cases, and how to get more. */
export function undeclaredNote(op: Pick<Operation, 'requestBody'>): string {
  return `undeclared: declare its ${op.requestBody ? '' : 'body and '}responses with route() to test more`;
}

/** Formats are the function's to check: the gateway's models carry none. */
const FORMAT_NOTE = 'API Gateway does not check formats: the models leave them to the service (docs/apigateway-behaviour.md §4.17), so the function answers these 400s.';

/**
 * docs/apigateway-behaviour.md §2.10, §4.19: the gateway's 400 carries the validator's `detail`, whose wording for
 * several failures (and their order) is reproduced locally but not all recorded; a stage deployed before the
 * template carried it has none. Kept as a known difference of the body; status and source must match.
 */
const VALIDATION_DETAIL: KnownDifference = {
  checks: ['body', 'shape'],
  note: 'Known: the 400 detail ($context.error.validationErrorString) is API Gateway’s validator’s text, whose wording and order are not all recorded (docs/apigateway-behaviour.md §4.19), and a stage deployed before the template carried it has none (docs/api-definition.md). Status and source must still match.',
};

/**
 * Returns the cases the document implies, in a stable order: per operation a valid request (for an operation
 * whose responses are undeclared: one that must reach the function and be answered below 500), no key
 * and a wrong key (when the operation needs one), near-misses of its body (a missing required field,
 * a wrong type, an unknown property, a field breaking its format, malformed JSON) and of its path/query
 * values and required parameters; then an unknown path and a wrong method; then one preflight per path when CORS is on.
 * Pure and deterministic (but for fresh UUIDs and wrong keys): no request is sent. An operation no valid
 * request can be built for (a schema no value satisfies, or none that can be sent) is one skipped case
 * naming the parameter and why; the others are generated as usual.
 */
export function generateCases(doc: OpenApiDocument, checker: SchemaChecker, options: GenerateOptions): Case[] {
  const operations = listOperations(doc);
  const cases: Case[] = [];
  for (const op of operations) cases.push(...operationCases(doc, op, checker, options));
  cases.push(...routingCases(operations));
  cases.push(...corsCases(operations, options.corsOrigins));
  return cases;
}

/** The parts of a valid request for `op`: path values, required query and header parameters, body. */
export interface ValidParts {
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The JSON body, or the bytes of a binary one (sent with `contentType`). */
  body?: unknown;
  /** A binary body's media type (one the operation declares). */
  contentType?: string;
}

/** The bytes of every valid binary body the suite sends: each byte value 0x00–0xFF once, which no text decoding on the way leaves as it is. */
export const BINARY_SAMPLE: Readonly<Uint8Array> = Uint8Array.from({ length: 256 }, (_, i) => i);

/**
 * Returns a concrete media type a declared binary `type` stands for: itself, or for `type/*` the type with the subtype
 * `octet-stream` (`image/*` → `image/octet-stream`), for `*\/*` `application/octet-stream`.
 */
function concreteMediaType(type: string): string {
  if (type === '*/*') return 'application/octet-stream';
  return type.endsWith('/*') ? `${type.slice(0, -2)}/octet-stream` : type;
}

/** True when `mediaType` is one of `declared` (exact, `type/*` or `*\/*`), as API Gateway and the route kit match them (docs/binary.md). */
export function mediaTypeMatches(mediaType: string, declared: readonly string[]): boolean {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  return declared.some((d) => d === '*/*' || d === type || (d.endsWith('/*') && type.startsWith(d.slice(0, -1))));
}

/** The media types a wrong-Content-Type case tries, in order: the first none of the declared ones matches is sent. */
const UNDECLARED_MEDIA_TYPES = ['text/plain', 'application/x-conformance-undeclared', 'model/x-conformance-undeclared'];

/**
 * Returns a valid request for `op`, drawn from its schemas (see validSample: patterns honoured, fresh
 * random UUIDs). Throws SampleError, naming the operation and the parameter (or the body), when one cannot be built.
 */
export function validParts(doc: OpenApiDocument, op: Operation, checker: SchemaChecker): ValidParts {
  const parts: ValidParts = { path: {}, query: {}, headers: {} };
  for (const p of op.parameters) {
    if (!p.required) continue;
    const value = String(validSample(doc, p.schema, checker, `${op.operationId} ${p.in} parameter "${p.name}"`, p.in));
    if (p.in === 'path') parts.path[p.name] = value;
    else if (p.in === 'query') parts.query[p.name] = value;
    else if (p.in === 'header') parts.headers[p.name] = value;
  }
  if (op.requestBody?.binary) {
    parts.body = BINARY_SAMPLE;
    parts.contentType = concreteMediaType(op.requestBody.binary[0]!);
  } else if (op.requestBody) parts.body = validSample(doc, op.requestBody.schema, checker, `${op.operationId} request body`);
  return parts;
}

/**
 * Returns the request for `parts`: path template filled, query encoded, the body as JSON text (or its bytes, with
 * `parts.contentType`, for a binary one). Accept is `application/json`, or for an operation answering a binary or
 * text body those media types first: API Gateway decodes a binary answer only when the first Accept type is a binary
 * media type (docs/apigateway-behaviour.md §6.8).
 */
export function buildRequest(op: Operation, parts: ValidParts, rawBody?: string): CaseRequest {
  const path = op.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => encodeURIComponent(parts.path[name] ?? ''));
  const query = new URLSearchParams(parts.query).toString();
  const answers = Object.entries(op.responses).filter(([s]) => /^2\d\d$/.test(s)).flatMap(([, r]) => [...(r.binary ?? []).map(concreteMediaType), ...(r.text ? [r.text] : [])]);
  const headers: Record<string, string> = { ...parts.headers, accept: [...new Set([...answers, 'application/json'])].join(', ') };
  const body = rawBody ?? (parts.body === undefined ? undefined : parts.body instanceof Uint8Array ? parts.body : JSON.stringify(parts.body));
  if (body !== undefined) headers['content-type'] = parts.contentType ?? op.requestBody?.contentType ?? 'application/json';
  return { method: op.method, path: query ? `${path}?${query}` : path, headers, ...(body !== undefined ? { body } : {}) };
}

function operationCases(doc: OpenApiDocument, op: Operation, checker: SchemaChecker, options: GenerateOptions): Case[] {
  // An operation the API key alone cannot call (a bearer token is required) is reported, not guessed at.
  if (op.security.length > 0 && !op.security.some((s) => s.apiKeyHeader && !s.bearer)) return [skipped(op, 'needs a bearer token: the suite sends only the API key')];
  const needsKey = op.security.length > 0;
  let base: ValidParts;
  try {
    base = validParts(doc, op, checker);
  } catch (err) {
    // The user's schema admits no value the suite can build or send: every case of the operation needs one.
    if (err instanceof SampleError) return [skipped(op, `${err.message}; its cases are skipped.`)];
    throw err;
  }
  const id = (suffix: string) => `${op.operationId}.${suffix}`;
  const common = { operationId: op.operationId, withKey: needsKey };
  const out: Case[] = [];
  const origin = options.corsOrigins.length > 0 ? corsOrigin(options.corsOrigins) : undefined;

  const valid = buildRequest(op, base);
  if (origin) valid.headers.origin = origin;
  const cors = origin ? { cors: { allowOrigin: options.corsOrigins.includes('*') ? '*' : origin } } : {};
  out.push({
    ...common,
    id: id('valid'),
    group: 'valid',
    title: needsKey ? 'valid request with the key' : 'valid request, no key (public)',
    request: valid,
    // Responses undeclared: what the function answers is not known (a random id may be its 404, no body its 400),
    // only that the gateway lets the request through to it and that it does not fail.
    ...(op.responsesUndeclared
      ? { expect: { status: 'reached', source: 'service', ...cors }, note: undeclaredNote(op) }
      : { expect: { status: 'success', ...cors } }),
  });

  if (needsKey) {
    out.push({ ...common, withKey: false, id: id('no-key'), group: 'auth', title: 'no API key', request: buildRequest(op, base), expect: forbidden() });
    const wrong = buildRequest(op, base);
    wrong.headers[op.security[0]!.apiKeyHeader!] = `Wrong${randomBytes(12).toString('hex')}`;
    out.push({ ...common, withKey: false, id: id('wrong-key'), group: 'auth', title: 'a wrong API key', request: wrong, expect: forbidden() });
  }

  if (op.requestBody && !op.requestBody.binary && base.body && typeof base.body === 'object' && !Array.isArray(base.body)) {
    const schema = deref(doc, op.requestBody.schema);
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const required = (schema.required ?? []) as string[];
    const body = base.body as Record<string, unknown>;
    const invalidBody = (suffix: string, title: string, value: unknown, field: string | undefined, raw?: string, known?: KnownDifference): Case => ({
      ...common,
      id: id(`body.${suffix}`),
      group: 'near-miss',
      title,
      request: buildRequest(op, { ...base, body: value }, raw),
      // The gateway's 400 body is `{"message": "Invalid request body", "detail": "[...]"}`: the detail is the
      // validator's text (docs/api-definition.md), compared as a known difference (VALIDATION_DETAIL).
      expect: { status: 400, source: 'gateway', message: 'Invalid request body', errorType: 'BadRequestException' },
      knownDifference: known ?? VALIDATION_DETAIL,
    });
    if (required[0]) {
      const { [required[0]]: _, ...rest } = body;
      out.push(invalidBody('missing-required', `body without required "${required[0]}"`, rest, required[0]));
    }
    const typed = [...required, ...Object.keys(properties)].find((name) => properties[name] && wrongTypeValue(deref(doc, properties[name])) !== undefined);
    if (typed) out.push(invalidBody('wrong-type', `body with "${typed}" of the wrong type`, { ...body, [typed]: wrongTypeValue(deref(doc, properties[typed]!)) }, typed));
    if (schema.additionalProperties === false) out.push(invalidBody('unknown-property', 'body with an unknown property', { ...body, conformanceUnknownField: true }, 'conformanceUnknownField'));
    // A field whose value breaks only its format: the gateway passes it (no format in the model), the function answers.
    for (const { pointer, value } of formatNearMisses(doc, schema, body, checker)) {
      const broken = structuredClone(body);
      const keys = pointer.split('/').slice(1);
      let node = broken as Record<string, unknown>;
      for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
      node[keys.at(-1)!] = value;
      out.push({
        ...common,
        id: id(`body.${keys.join('.')}.format`),
        group: 'near-miss',
        title: `body field "${pointer}" breaking its format "${String(fieldSchema(doc, schema, keys).format)}"`,
        note: FORMAT_NOTE,
        request: buildRequest(op, { ...base, body: broken }),
        expect: { status: 400, source: 'service', namesField: pointer },
      });
    }
    out.push(
      invalidBody('malformed-json', 'malformed JSON body', undefined, undefined, '{"conformance": ', {
        checks: ['source', 'body', 'shape'],
        note: 'Known: that API Gateway rejects malformed JSON as "Invalid request body" is unconfirmed (docs/apigateway-behaviour.md §4.14); the function rejects it too if it gets through. The status must still be 400.',
      }),
    );
  }

  // A binary body under a media type the operation does not declare: the function refuses it (the route kit's 415,
  // docs/binary.md); API Gateway passes it on as text (it is no binary media type of the API).
  const undeclared = op.requestBody?.binary ? UNDECLARED_MEDIA_TYPES.find((t) => !mediaTypeMatches(t, op.requestBody!.binary!)) : undefined;
  if (undeclared) {
    out.push({
      ...common,
      id: id('body.undeclared-media-type'),
      group: 'near-miss',
      title: `binary body sent as ${undeclared}, a media type it does not declare`,
      request: buildRequest(op, { ...base, body: new TextEncoder().encode('conformance'), contentType: undeclared }),
      expect: { status: 415, source: 'service', namesField: 'content-type' },
    });
  }

  for (const p of op.parameters.filter((p) => p.in === 'path' || p.in === 'query')) {
    const bad = invalidParameterValue(p.schema, checker);
    if (bad === undefined) continue;
    const parts = { ...base, path: { ...base.path }, query: { ...base.query } };
    if (p.in === 'path') parts.path[p.name] = bad;
    else parts.query[p.name] = bad;
    out.push({
      ...common,
      id: id(`${p.in}.${p.name}.invalid`),
      group: 'near-miss',
      title: `${p.in} "${p.name}" not matching its schema`,
      note: PARAMETER_FORM_NOTE,
      request: buildRequest(op, parts),
      expect: { status: 400, source: 'service', namesField: p.name },
    });
  }

  for (const p of op.parameters.filter((p) => p.required && (p.in === 'query' || p.in === 'header'))) {
    const parts = { ...base, query: { ...base.query }, headers: { ...base.headers } };
    if (p.in === 'query') delete parts.query[p.name];
    else delete parts.headers[p.name];
    out.push({
      ...common,
      id: id(`${p.in}.${p.name}.missing`),
      group: 'near-miss',
      title: `required ${p.in} parameter "${p.name}" missing`,
      request: buildRequest(op, parts),
      expect: { status: 400, source: 'gateway', errorType: 'BadRequestException', namesField: p.name },
      knownDifference: { checks: ['body', 'shape'], note: 'Known: the exact text and spacing of API Gateway\'s "Missing required request parameters" body are unconfirmed (docs/apigateway-behaviour.md §2.6, §2.11).' },
    });
  }
  return out;
}

/**
 * Returns, for each string field of `body` (top-level or in nested objects, in the body's order) whose schema has
 * a format, a value breaking only that format (formatNearMiss), with the field's JSON pointer.
 */
function formatNearMisses(doc: OpenApiDocument, schema: Schema, body: Record<string, unknown>, checker: SchemaChecker, at = ''): Array<{ pointer: string; value: string }> {
  const properties = (deref(doc, schema).properties ?? {}) as Record<string, Schema>;
  const out: Array<{ pointer: string; value: string }> = [];
  for (const [name, value] of Object.entries(body)) {
    const property = properties[name];
    if (!property || name.includes('/') || name.includes('~')) continue;
    const pointer = `${at}/${name}`;
    if (typeof value === 'string') {
      const bad = formatNearMiss(doc, property, value, checker);
      if (bad !== undefined) out.push({ pointer, value: bad });
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out.push(...formatNearMisses(doc, property, value as Record<string, unknown>, checker, pointer));
    }
  }
  return out;
}

/** The schema of the field at `keys` under `schema`'s properties, `$ref`s followed. */
function fieldSchema(doc: OpenApiDocument, schema: Schema, keys: string[]): Schema {
  return keys.reduce((s, k) => deref(doc, ((deref(doc, s).properties ?? {}) as Record<string, Schema>)[k] ?? {}), schema);
}

/** The one case reported for an operation the suite cannot test, with why: nothing is sent for it. */
function skipped(op: Operation, why: string): Case {
  return { id: `${op.operationId}.valid`, group: 'valid', operationId: op.operationId, title: 'valid request', request: { method: op.method, path: op.path, headers: {} }, expect: { status: 'success' }, withKey: false, skip: why };
}

function forbidden(): Expectation {
  // docs/apigateway-behaviour.md §3.2 / §2.6: a missing or unknown key is `{"message":"Forbidden"}` with ForbiddenException.
  return { status: 403, source: 'gateway', message: 'Forbidden', errorType: 'ForbiddenException' };
}

function missingToken(): Expectation {
  // docs/apigateway-behaviour.md §1.1 / §1.2: no resource, or no such method on it, is 403 Missing Authentication Token.
  return { status: 403, source: 'gateway', message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' };
}

function routingCases(operations: Operation[]): Case[] {
  const out: Case[] = [
    {
      id: 'routing.unknown-path',
      group: 'routing',
      title: 'a path no route declares',
      request: { method: 'GET', path: `/conformance-no-such-path-${randomBytes(4).toString('hex')}`, headers: { accept: 'application/json' } },
      expect: missingToken(),
      withKey: true,
    },
  ];
  const byPath = new Map<string, Operation[]>();
  for (const op of operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  for (const [path, ops] of byPath) {
    const method = ['DELETE', 'PATCH', 'PUT', 'POST', 'GET'].find((m) => !ops.some((op) => op.method === m));
    if (!method) continue;
    const concrete = path.replace(/\{([^}+]+)\+?\}/g, '00000000-0000-4000-8000-000000000000');
    out.push({ id: `routing.wrong-method`, group: 'routing', title: `${method} on ${path}, which declares only ${ops.map((o) => o.method).join(', ')}`, request: { method, path: concrete, headers: { accept: 'application/json' } }, expect: missingToken(), withKey: true });
    break;
  }
  return out;
}

/** The Origin a preflight sends: the first allowed one, or any origin when `*` is allowed. */
function corsOrigin(origins: readonly string[]): string {
  return origins.find((o) => o !== '*') ?? 'https://conformance.example';
}

function corsCases(operations: Operation[], origins: readonly string[]): Case[] {
  if (origins.length === 0) return [];
  const origin = corsOrigin(origins);
  const out: Case[] = [];
  const paths = [...new Set(operations.map((op) => op.path))];
  for (const path of paths) {
    const method = operations.find((op) => op.path === path && op.method !== 'OPTIONS')!.method;
    const concrete = path.replace(/\{([^}+]+)\+?\}/g, '00000000-0000-4000-8000-000000000000');
    out.push({
      id: `cors.preflight ${path}`,
      group: 'cors',
      title: `preflight for ${method} ${path}, no key (browsers send none)`,
      // docs/apigateway-behaviour.md §8.1: a preflight is OPTIONS with Origin and Access-Control-Request-Method/Headers.
      request: { method: 'OPTIONS', path: concrete, headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type,x-api-key' } },
      expect: { status: 200, cors: { allowOrigin: origins.includes('*') ? '*' : origin, allowMethod: method } },
      withKey: false,
    });
  }
  if (!origins.includes('*') && paths[0]) {
    out.push({
      id: 'cors.preflight.unlisted-origin',
      group: 'cors',
      title: 'preflight from an origin not allowed gets no Access-Control-Allow-Origin',
      request: { method: 'OPTIONS', path: paths[0].replace(/\{([^}+]+)\+?\}/g, '00000000-0000-4000-8000-000000000000'), headers: { origin: 'https://not-allowed.example', 'access-control-request-method': 'GET' } },
      expect: { status: 200, cors: { allowOrigin: null } },
      withKey: false,
    });
  }
  return out;
}
