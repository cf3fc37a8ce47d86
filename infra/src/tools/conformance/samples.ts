import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sample } from 'openapi-sampler';
import type { JSONSchema7 } from 'json-schema';
import type { OpenApiDocument, Schema } from './document';
import type { SchemaChecker } from './schemas';
import { VisibleError } from '../../errors';

/** Where a value goes in the request: a parameter's `in`, or the JSON body. */
export type ValueSlot = 'path' | 'query' | 'header' | 'cookie' | 'body';

/**
 * No value valid against a schema of the user's document could be built, or none that can be sent
 * where it goes. The message is one line, `<operationId> <what>: <why>` (e.g. `getThing path parameter
 * "code": no value valid against its schema could be built (must match pattern "^[0-9]{13}$"; no string
 * drawn from the pattern ... satisfies the rest of its schema ("3101281532944": must NOT have more than 5
 * characters))`): the suite skips that operation's cases with it and goes on.
 */
export class SampleError extends VisibleError {
  override name = 'SampleError';
}

/** How many strings are drawn per pattern before giving up on it. */
const DRAWS_PER_PATTERN = 50;

/**
 * What a parameter's text must be to reach the service unchanged: a header value is visible ASCII
 * with no space at either end (RFC 9110 §5.5; `fetch` refuses other characters, trims the spaces);
 * a path segment is not empty, `.` or `..` (removed as dot-segments, RFC 3986 §5.2.4); none is empty.
 */
const SENDABLE: Record<ValueSlot, { test(text: string): boolean; as: string }> = {
  path: { test: (t) => t !== '' && t !== '.' && t !== '..', as: 'a path segment (not empty, "." or "..")' },
  query: { test: (t) => t !== '', as: 'a query value (not empty)' },
  header: { test: (t) => /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(t), as: 'an HTTP header value (visible ASCII only, RFC 9110 §5.5)' },
  cookie: { test: (t) => /^[\x21-\x7e]+$/.test(t) && !/[",;\\]/.test(t), as: 'a cookie value (RFC 6265 §4.1.1)' },
  body: { test: () => true, as: 'JSON' },
};

interface Draw {
  doc: OpenApiDocument;
  checker: SchemaChecker;
  /** Seeds the pattern draws: the same operation and parameter give the same value on every run. */
  seed: string;
  /** Where the whole value goes: its top-level string must be sendable there. */
  slot: ValueSlot;
  /** Why a pattern gave nothing (the generator could not read it, or no draw could be sent), for the error. */
  notes: Set<string>;
}

/**
 * Returns a value valid against `schema` (checked with Ajv) that can be sent in `slot`. Redocly's
 * openapi-sampler draws its shape (all properties, then only the required ones); then every string
 * with a `pattern` (its own, or its `allOf`/`anyOf`/`oneOf` members') is drawn from the pattern by
 * fast-check's `stringMatching`, seeded by `what` and the string's place so each run sends the same
 * value, and kept only when the whole string schema holds (`minLength`, `maxLength`, `format`...);
 * a number with `multipleOf` becomes the smallest multiple in range; a `uuid` string is a fresh random
 * UUID so a request never names an existing resource by chance. Throws SampleError, naming `what`
 * (e.g. `getBook path parameter "isbn"`) and why, when no valid, sendable value is found.
 */
export function validSample(doc: OpenApiDocument, schema: Schema, checker: SchemaChecker, what: string, slot: ValueSlot = 'body'): unknown {
  const draw: Draw = { doc, checker, seed: what, slot, notes: new Set() };
  const problems: string[][] = [];
  for (const skipNonRequired of [false, true]) {
    let drawn: unknown;
    try {
      drawn = sample(schema as JSONSchema7, { skipNonRequired, skipReadOnly: true, quiet: true }, doc);
    } catch (err) {
      throw new SampleError(oneLine(`${what}: its schema cannot be sampled (${(err as Error).message})`));
    }
    const value = refine(drawn, schema, draw, '');
    const errors = checkSafely(checker, schema, value);
    if (errors.length === 0 && isSendable(value, slot)) return value;
    problems.push(errors.length ? errors : [`${JSON.stringify(value)} cannot be sent as ${SENDABLE[slot].as}`]);
  }
  const why = [...problems[0]!.map((p) => p.replace(/^\(body\) /, '')), ...draw.notes].join('; ');
  throw new SampleError(oneLine(`${what}: no value valid against its schema could be built (${why})`));
}

/** Returns the sampler's `value` with its patterned strings, multiples and UUIDs redrawn, walking `schema` beside it. */
function refine(value: unknown, schema: Schema, draw: Draw, at: string): unknown {
  const s = deref(draw.doc, schema);
  if (typeof value === 'string') {
    if (s.format === 'uuid') return randomUUID();
    const patterns = patternsOf(draw.doc, s);
    return patterns.length ? (patternedString(schema, patterns, draw, at) ?? value) : value;
  }
  if (typeof value === 'number' && typeof s.multipleOf === 'number' && s.multipleOf > 0) return smallestMultiple(s, s.multipleOf);
  if (Array.isArray(value)) return isSchema(s.items) ? value.map((v, i) => refine(v, s.items as Schema, draw, `${at}/${i}`)) : value;
  if (value && typeof value === 'object' && isSchema(s.properties)) {
    const props = s.properties as Record<string, Schema>;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, props[k] ? refine(v, props[k], draw, `${at}/${k}`) : v]));
  }
  return value;
}

/** The patterns a string must (or may, in an `anyOf`/`oneOf`) match: its own, then its members'. */
function patternsOf(doc: OpenApiDocument, s: Schema): string[] {
  const members = (['allOf', 'anyOf', 'oneOf'] as const).flatMap((k) => (Array.isArray(s[k]) ? (s[k] as Schema[]) : []));
  return [s.pattern, ...members.map((m) => deref(doc, m).pattern)].filter((p): p is string => typeof p === 'string');
}

/**
 * Returns a string drawn from one of `patterns` that `schema` accepts (and, at the top level, that can
 * be sent where the value goes), preferring URL-safe, then visible ASCII text; undefined when none is found.
 */
function patternedString(schema: Schema, patterns: string[], draw: Draw, at: string): string | undefined {
  for (const pattern of patterns) {
    let candidates: string[];
    try {
      // Ajv reads `pattern` with the `u` flag (its unicodeRegExp default; ECMA-262 regular expressions, as JSON Schema 2020-12 core section 6.4 asks), so the generator does too.
      const regex = new RegExp(pattern, 'u');
      candidates = fc.sample(fc.stringMatching(regex, { size: 'small' }), { seed: seedOf(`${draw.seed}${at}`), numRuns: DRAWS_PER_PATTERN });
    } catch (err) {
      draw.notes.add(`the value generator cannot read the pattern "${pattern}": ${(err as Error).message}`);
      continue;
    }
    const valid = candidates.filter((c) => checkSafely(draw.checker, schema, c).length === 0);
    const sendable = at === '' ? valid.filter((c) => SENDABLE[draw.slot].test(c)) : valid;
    if (valid.length === 0 && candidates[0] !== undefined) {
      const errors = checkSafely(draw.checker, schema, candidates[0]).map((e) => e.replace(/^\(body\) /, ''));
      draw.notes.add(`no string drawn from the pattern "${pattern}" satisfies the rest of its schema (${JSON.stringify(candidates[0])}: ${errors.join(', ')})`);
    } else if (sendable.length === 0) draw.notes.add(`no string matching "${pattern}" can be sent as ${SENDABLE[draw.slot].as}`);
    const best = sendable.find((c) => /^[A-Za-z0-9._~-]+$/.test(c)) ?? sendable.find((c) => /^[\x20-\x7e]+$/.test(c)) ?? sendable[0];
    if (best !== undefined) return best;
  }
  return undefined;
}

/** The smallest multiple of `step` the schema's `minimum`/`exclusiveMinimum` allow (from 0 without one). */
function smallestMultiple(s: Schema, step: number): number {
  const low = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : 0;
  const n = Math.ceil(low / step) * step;
  return n === s.exclusiveMinimum ? n + step : n;
}

function isSendable(value: unknown, slot: ValueSlot): boolean {
  return slot === 'body' || SENDABLE[slot].test(String(value));
}

/** The checker's messages; a schema Ajv cannot compile (e.g. an invalid `pattern`) is one message, not a throw. */
function checkSafely(checker: SchemaChecker, schema: Schema, value: unknown): string[] {
  try {
    return checker.check(schema, value);
  } catch (err) {
    return [`its schema cannot be compiled: ${(err as Error).message}`];
  }
}

function isSchema(node: unknown): node is Schema {
  return node !== null && typeof node === 'object' && !Array.isArray(node);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** A 32-bit FNV-1a hash of `text`: fast-check's seed for a string's draws. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}

/** Returns the schema a top-level `$ref` points to (local refs only), else `schema`. */
export function deref(doc: OpenApiDocument, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; typeof s.$ref === 'string' && i < 20; i++) {
    const parts = (s.$ref as string).replace(/^#\//, '').split('/');
    s = parts.reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], doc) as Schema;
  }
  return s ?? {};
}

/**
 * Returns a value of the wrong JSON type for a property schema (a number for a string, a string for
 * a number or boolean...), or undefined when the schema accepts every type.
 */
export function wrongTypeValue(schema: Schema): unknown {
  const types = new Set([schema.type, ...((schema.anyOf ?? schema.oneOf ?? []) as Schema[]).map((s) => s.type)].flat().filter(Boolean) as string[]);
  if (Array.isArray(schema.enum)) return schema.enum.every((v) => typeof v === 'string') ? 12345 : 'conformance-not-in-enum';
  if (types.size === 0) return undefined;
  if (!types.has('string')) return 'conformance-wrong-type';
  if (!types.has('number') && !types.has('integer')) return 12345;
  if (!types.has('boolean')) return true;
  return undefined;
}

/**
 * Returns a string that a path, query or header parameter's schema rejects once read as the
 * parameter's type (`"5"` is an integer), or undefined when every candidate is accepted.
 */
export function invalidParameterValue(schema: Schema, checker: SchemaChecker): string | undefined {
  const candidates = ['conformance-not-valid'];
  if (typeof schema.maxLength === 'number' && schema.maxLength < 4096) candidates.push('x'.repeat(schema.maxLength + 1));
  if (typeof schema.maximum === 'number') candidates.push(String(schema.maximum + 1));
  if (typeof schema.minimum === 'number') candidates.push(String(schema.minimum - 1));
  return candidates.find((text) => checker.check(schema, asParameter(text, schema)).length > 0);
}

/** Returns a parameter's text read as its schema's scalar type, the way the service reads it. */
export function asParameter(text: string, schema: Schema): unknown {
  if ((schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (schema.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
