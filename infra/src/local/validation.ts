import Ajv04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { DeployedApi, DeployedMethod } from './definition';
import { gatewayErrors, type GatewayError } from './errors';
import { LEFT_TO_SERVICE } from '../core/plan/enforced';

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
  // validateSchema false: the plan has checked every model against draft-04's meta-schema already (core/plan/importable.ts),
  // and Ajv would compile that meta-schema again here (about 60 ms of CPU at every start).
  const ajv = new Ajv04({ strict: false, allErrors: true, verbose: true, validateFormats: true, ownProperties: true, validateSchema: false });
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
      if (!validate(value)) {
        // At most MAX_DETAIL_MESSAGES messages: a body of 30,000 failing array items made a 39-fold larger answer
        // (78 MB for a 2 MB body). What AWS's validator reports past a few failures is UNCONFIRMED (§4.19).
        const messages = describeAll(validate.errors ?? []);
        const shown = messages.length > MAX_DETAIL_MESSAGES ? [...messages.slice(0, MAX_DETAIL_MESSAGES), `... ${messages.length - MAX_DETAIL_MESSAGES} more`] : messages;
        return gatewayErrors.invalidBody(`[${shown.join(', ')}]`);
      }
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

/** What API Gateway ignores in a model (§4.9, §4.18): the keywords left to the service, and annotations it rejects. */
const IGNORED = new Set<string>([...LEFT_TO_SERVICE, 'discriminator', 'example', 'readOnly', '$schema', 'id']);

/**
 * Returns a copy of a model without what API Gateway does not enforce ({@link IGNORED}: the plan's models carry
 * none of it, docs/apigateway-behaviour.md §4.18, so this only matters for a definition made by hand), model URLs
 * pointing at the local model ids. A `not` is removed whole: the local gateway never refuses more than AWS.
 */
function prepare(schema: unknown): Record<string, unknown> {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (IGNORED.has(key)) continue;
      if (key === '$ref' && typeof value === 'string') {
        const name = /(?:\/restapis\/[^/]+\/models\/|^#\/components\/schemas\/)([A-Za-z0-9]+)$/.exec(value)?.[1];
        out[key] = name ? MODEL_BASE + name : value;
        continue;
      }
      // `properties` holds names, not keywords; `enum` and `default` hold data: walk neither as schemas.
      if (key === 'enum' || key === 'default') out[key] = value;
      else out[key] = key === 'properties' && value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)])) : walk(value);
    }
    return out;
  };
  return walk(schema) as Record<string, unknown>;
}

/** The most validator messages the local gateway's 400 `detail` lists; the rest are counted (`... N more`). */
export const MAX_DETAIL_MESSAGES = 100;

/**
 * Returns the messages of API Gateway's validator for Ajv's errors, in its order of report. API Gateway's
 * validator is java-json-tools/json-schema-validator (docs/apigateway-behaviour.md §4.17, FGE-MSG): it reports
 * all missing (or all extra) properties of one object in one message, sorted; Ajv reports one per property, so
 * they are merged; it reports an object's own failures before its members' (its validation walks down the
 * instance after checking each level). A failed `anyOf`/`oneOf` is one message in its report (the branches' failures are nested
 * under it, not listed): Ajv's errors from inside the branches are left out.
 */
function describeAll(errors: ErrorObject[]): string[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  // The validator checks an object's own keywords before it descends into its members: shallower first, stable.
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  const listed = errors.filter((e) => !combinators.some((prefix) => e.schemaPath.startsWith(prefix))).sort((a, b) => depth(a) - depth(b));
  const out: string[] = [];
  const merged = new Map<string, { index: number; error: ErrorObject; names: string[] }>();
  for (const e of listed) {
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
 * Returns an Ajv error in the words of API Gateway's validator, so `validationErrorString` reads as it does
 * deployed (§2.10, §4.19): the message templates of json-schema-validator's `validation.properties` (FGE-MSG),
 * e.g. `object has missing required properties (["bar"])`. Lists and values are printed as JSON (Jackson's
 * form); a string instance between quotes as it is (the validator does not escape it: the gateway response
 * escapes the whole string, infra/src/local/errors.ts). Like the validator's, the message does not say where in
 * the body the value is: its report keeps that apart (`instance.pointer`), and the recorded strings carry none.
 */
function describe(e: ErrorObject, names?: string[]): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `object has missing required properties (${JSON.stringify(names ?? [p.missingProperty])})`;
    case 'additionalProperties':
      return `object instance has properties which are not allowed by the schema: ${JSON.stringify(names ?? [p.additionalProperty])}`;
    case 'type':
      return `instance type (${jsonType(e.data)}) does not match any allowed primitive type (allowed: ${JSON.stringify(String(p.type).split(','))})`;
    case 'enum':
      return `instance value (${JSON.stringify(e.data)}) not found in enum (possible values: ${JSON.stringify(p.allowedValues)})`;
    case 'minimum':
      return `numeric instance is lower than the required minimum (minimum: ${String(p.limit)}, found: ${String(e.data)})`;
    case 'maximum':
      return `numeric instance is greater than the required maximum (maximum: ${String(p.limit)}, found: ${String(e.data)})`;
    case 'minLength':
      return `string "${String(e.data)}" is too short (length: ${codePoints(String(e.data))}, required minimum: ${String(p.limit)})`;
    case 'maxLength':
      return `string "${String(e.data)}" is too long (length: ${codePoints(String(e.data))}, maximum allowed: ${String(p.limit)})`;
    case 'pattern':
      return `ECMA 262 regex "${String(p.pattern)}" does not match input string "${String(e.data)}"`;
    case 'anyOf':
      return `instance failed to match at least one required schema among ${(e.schema as unknown[]).length}`;
    case 'oneOf': {
      const passing = (p.passingSchemas as number[] | null) ?? [];
      return `instance failed to match exactly one schema (matched ${passing.length} out of ${(e.schema as unknown[]).length})`;
    }
    default:
      return e.message ?? e.keyword;
  }
}

/** A string's length as JSON Schema counts it (code points, draft-04 §5.2.1), as the validator does. */
function codePoints(text: string): number {
  return [...text].length;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
