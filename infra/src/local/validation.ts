import Ajv04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { DeployedApi, DeployedMethod } from './definition';
import { gatewayErrors, type GatewayError } from './errors';

/** Where model URLs point locally: the same form API Gateway uses, with a fixed API id. */
const MODEL_BASE = 'https://apigateway.amazonaws.com/restapis/local/models/';

/** The request facts validation reads. */
export interface ValidationInput {
  /** Request headers, lower-cased names, first value. */
  headers: Record<string, string | undefined>;
  query: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  /** The LAST Content-Type line, the one the event's `headers` carries (§5.4). */
  contentType: string | undefined;
  /** The raw body text ('' when none). */
  body: string;
}

/** Validates a request against one method's parameters and models; returns null when it passes. */
export type RequestValidator = (input: ValidationInput) => GatewayError | null;

/**
 * Stage 9, request validation: returns one validator per method key (`METHOD /path`), compiled once with Ajv's draft-04 class
 * from the definition's models: the same draft API Gateway validates with (docs/apigateway-behaviour.md §4.9).
 */
export function compileValidators(api: Pick<DeployedApi, 'methods' | 'models'>): Map<string, RequestValidator> {
  // ownProperties: a property named `constructor` or `toString` is the body's own or absent, never Object.prototype's
  // (an optional one left out failed "must be string"; a required one left out passed): JSON has no prototype.
  const ajv = new Ajv04({ strict: false, allErrors: true, verbose: true, validateFormats: true, ownProperties: true });
  // Draft-04's own formats only; others (uuid…) are ignored, as an unknown format is by API Gateway's validator (UNCONFIRMED, §4.9).
  addFormats(ajv, ['date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'uri']);
  for (const [name, schema] of Object.entries(api.models)) ajv.addSchema({ ...prepare(schema), id: MODEL_BASE + name }, name);
  const compiled = new Map<string, ValidateFunction>();
  const modelValidator = (name: string): ValidateFunction => {
    let fn = compiled.get(name);
    if (!fn) {
      fn = ajv.getSchema(name);
      if (!fn) throw new Error(`Method refers to model "${name}", which the definition does not define.`);
      compiled.set(name, fn);
    }
    return fn;
  };
  const validators = new Map<string, RequestValidator>();
  for (const method of api.methods) if (method.integration.type === 'aws_proxy') validators.set(method.key, methodValidator(method, modelValidator));
  return validators;
}

function methodValidator(method: DeployedMethod, modelValidator: (name: string) => ValidateFunction): RequestValidator {
  const checksParams = method.validates.parameters;
  const checksBody = method.validates.body;
  const required = Object.entries(method.requestParameters).filter(([, isRequired]) => isRequired).map(([name]) => name);
  const models = new Map(Object.entries(method.requestModels).map(([type, name]) => [type.toLowerCase(), modelValidator(name)]));
  return (input) => {
    // Parameters first: a request failing both gets the parameters message (§4.4).
    if (checksParams) {
      const missing = required.filter((name) => isBlank(parameterValue(name, input))).map((name) => name.split('.').slice(3).join('.'));
      if (missing.length > 0) return gatewayErrors.missingParameters(missing);
    }
    if (checksBody) {
      const validate = modelFor(models, input.contentType);
      if (!validate) return null; // no model for this content type: passed through (§4.6)
      let value: unknown;
      try {
        // A UTF-8 byte-order mark before the JSON is skipped, as the service's decoder skips it: whether
        // API Gateway's validator (Jackson) does is UNCONFIRMED, and the gateway must never be stricter
        // than the service (SECURITY.md). An empty body is validated as no value, and fails an object model (§4.7).
        const text = input.body.startsWith('\uFEFF') ? input.body.slice(1) : input.body;
        value = text.trim() === '' ? null : JSON.parse(text);
      } catch (err) {
        // Malformed JSON is a body error (§4.14, UNCONFIRMED on AWS); the detail is ours.
        return gatewayErrors.invalidBody(`[Invalid JSON: ${(err as Error).message}]`);
      }
      if (!validate(value)) return gatewayErrors.invalidBody(`[${describeAll(validate.errors ?? []).join(', ')}]`);
    }
    return null;
  };
}

/** The value of `method.request.{path|querystring|header}.X`, or undefined. */
function parameterValue(name: string, input: ValidationInput): string | undefined {
  const [, , location, ...rest] = name.split('.');
  const key = rest.join('.');
  if (location === 'path') return own(input.pathParameters, key);
  if (location === 'querystring') {
    const values = own(input.query, key);
    return values?.[values.length - 1];
  }
  // Header names match case-insensitively (§4.16: UNCONFIRMED; HTTP says they are).
  if (location === 'header') return own(input.headers, key.toLowerCase());
  return undefined;
}

/** Returns `map[key]` only when the map itself holds it: a parameter named `constructor` is not inherited. */
function own<T>(map: Record<string, T> | null, key: string): T | undefined {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/** The model for a Content-Type: its media type (parameters ignored, §4.15 UNCONFIRMED), else `$default`; none → JSON (§4.7). */
function modelFor(models: Map<string, ValidateFunction>, contentType: string | undefined): ValidateFunction | undefined {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase() || 'application/json';
  return models.get(type) ?? models.get('$default');
}

/**
 * Returns a copy of a model without what API Gateway ignores (§4.9): `exclusiveMinimum`/`exclusiveMaximum`,
 * `discriminator`, `example`, `readOnly`; model URLs point at the local model ids.
 */
function prepare(schema: unknown): Record<string, unknown> {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (['exclusiveMinimum', 'exclusiveMaximum', 'discriminator', 'example', 'readOnly', '$schema', 'id'].includes(key)) continue;
      if (key === '$ref' && typeof value === 'string') {
        const name = /(?:\/restapis\/[^/]+\/models\/|^#\/components\/schemas\/)([A-Za-z0-9]+)$/.exec(value)?.[1];
        out[key] = name ? MODEL_BASE + name : value;
        continue;
      }
      // `properties` holds names, not keywords: walk its values only.
      out[key] = key === 'properties' && value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)])) : walk(value);
    }
    return out;
  };
  return walk(schema) as Record<string, unknown>;
}

/**
 * Returns the messages for Ajv's errors. The Java validator reports all missing (or all extra)
 * properties of one object in one message, sorted; Ajv reports one per property: they are merged.
 */
function describeAll(errors: ErrorObject[]): string[] {
  const out: string[] = [];
  const merged = new Map<string, { index: number; error: ErrorObject; names: string[] }>();
  for (const e of errors) {
    const name = e.keyword === 'required' ? (e.params as { missingProperty?: string }).missingProperty : e.keyword === 'additionalProperties' ? (e.params as { additionalProperty?: string }).additionalProperty : undefined;
    if (name === undefined) {
      out.push(describe(e));
      continue;
    }
    const key = `${e.keyword} ${e.instancePath}`;
    const entry = merged.get(key);
    if (entry) entry.names.push(name);
    else merged.set(key, { index: out.push('') - 1, error: e, names: [name] });
  }
  for (const { index, error, names } of merged.values()) out[index] = describe(error, [...new Set(names)].sort());
  return out;
}

/**
 * Returns an Ajv error in the words of API Gateway's validator (java json-schema-validator), so
 * `validationErrorString` reads as it does deployed (§2.10), e.g.
 * `object has missing required properties (["bar"])`.
 */
function describe(e: ErrorObject, names?: string[]): string {
  const p = e.params as Record<string, unknown>;
  const at = e.instancePath ? ` (at ${e.instancePath})` : '';
  switch (e.keyword) {
    case 'required':
      return `object has missing required properties (${JSON.stringify(names ?? [p.missingProperty])})${at}`;
    case 'additionalProperties':
      return `object instance has properties which are not allowed by the schema: ${JSON.stringify(names ?? [p.additionalProperty])}${at}`;
    case 'type':
      return `instance type (${jsonType(e.data)}) does not match any allowed primitive type (allowed: ${JSON.stringify(String(p.type).split(','))})${at}`;
    case 'enum':
      return `instance value (${JSON.stringify(e.data)}) not found in enum (possible values: ${JSON.stringify(p.allowedValues)})${at}`;
    case 'minimum':
      return `numeric instance is lower than the required minimum (minimum: ${p.limit}, found: ${String(e.data)})${at}`;
    case 'maximum':
      return `numeric instance is greater than the required maximum (maximum: ${p.limit}, found: ${String(e.data)})${at}`;
    case 'minLength':
      return `string ${JSON.stringify(e.data)} is too short (length: ${String(e.data).length}, required minimum: ${p.limit})${at}`;
    case 'maxLength':
      return `string ${JSON.stringify(e.data)} is too long (length: ${String(e.data).length}, maximum allowed: ${p.limit})${at}`;
    case 'minProperties':
      return `object has too few properties (found ${Object.keys(e.data as object).length}, minimum ${p.limit})${at}`;
    default:
      return `${e.message ?? e.keyword}${at}`;
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
