import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sample } from 'openapi-sampler';
import type { JSONSchema7 } from 'json-schema';
import type { OpenApiDocument, Schema } from './document';
import { isWellFormed, SERVICE_FORMATS } from './formats';
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

/** How many strings are drawn per pattern, or per format, before giving up on it. */
const DRAWS_PER_PATTERN = 50;

/** What refine returns for a value it cannot build (a string in a format the suite has no generator for). */
const UNBUILDABLE = Symbol('unbuildable');

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
 * with a `format` or a `pattern` (its own, or its `allOf`/`anyOf`/`oneOf` members') is redrawn: from the
 * format's generator (./formats.ts: one for each format TypeBox checks, plus values of the exact lengths
 * the bounds ask for) and from the pattern by fast-check's `stringMatching`, seeded by `what` and the
 * string's place so each run sends the same value, and kept only when the whole string schema holds
 * (`minLength`, `maxLength`, `pattern`, `format`) and the format reads it as valid both as TypeBox and as
 * ajv-formats do; a number with `multipleOf` becomes the smallest multiple in range; a `uuid` string is a
 * fresh random UUID so a request never names an existing resource by chance. An optional property in a
 * format the suite has no generator for (one the app registered) is left out. Throws SampleError, naming
 * `what` (e.g. `getBook path parameter "isbn"`) and why, when no valid, sendable value is found.
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
    if (value === UNBUILDABLE) {
      problems.push([]);
      continue;
    }
    const errors = checkSafely(checker, schema, value);
    if (errors.length === 0 && isSendable(value, slot)) return value;
    problems.push(errors.length ? errors : [`${JSON.stringify(value)} cannot be sent as ${SENDABLE[slot].as}`]);
  }
  const why = [...problems[0]!.map((p) => p.replace(/^\(body\) /, '')), ...draw.notes].join('; ');
  throw new SampleError(oneLine(`${what}: no value valid against its schema could be built (${why})`));
}

/**
 * Returns the sampler's `value` with its formatted and patterned strings, multiples and UUIDs redrawn, walking
 * `schema` beside it; UNBUILDABLE when a string in a format the suite cannot draw is needed (an optional
 * property holding one is left out instead).
 */
function refine(value: unknown, schema: Schema, draw: Draw, at: string): unknown {
  const s = deref(draw.doc, schema);
  if (typeof value === 'string') {
    if (s.format === 'uuid') {
      const fresh = randomUUID();
      if (checkSafely(draw.checker, schema, fresh).length === 0) return fresh;
    }
    const formats = formatsOf(draw.doc, s);
    const patterns = patternsOf(draw.doc, s);
    if (formats.length === 0 && patterns.length === 0) return value;
    const drawn = drawnString(schema, s, formats, patterns, draw, at);
    if (drawn !== undefined) return drawn;
    const unknown = formats.find((f) => !SERVICE_FORMATS[f]);
    if (unknown === undefined) return value;
    draw.notes.add(`the format "${unknown}" has no value generator in the conformance suite (it has one for each format TypeBox checks)`);
    return UNBUILDABLE;
  }
  if (typeof value === 'number' && typeof s.multipleOf === 'number' && s.multipleOf > 0) return smallestMultiple(s, s.multipleOf);
  if (Array.isArray(value)) {
    if (!isSchema(s.items)) return value;
    const items = value.map((v, i) => refine(v, s.items as Schema, draw, `${at}/${i}`));
    return items.includes(UNBUILDABLE) ? UNBUILDABLE : items;
  }
  if (value && typeof value === 'object' && isSchema(s.properties)) {
    const props = s.properties as Record<string, Schema>;
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const refined = props[k] ? refine(v, props[k], draw, `${at}/${k}`) : v;
      if (refined !== UNBUILDABLE) out[k] = refined;
      else if (required.has(k)) return UNBUILDABLE;
    }
    return out;
  }
  return value;
}

/** The members a string may (`anyOf`/`oneOf`) or must (`allOf`) also satisfy, their `$ref`s followed. */
function membersOf(doc: OpenApiDocument, s: Schema): Schema[] {
  return (['allOf', 'anyOf', 'oneOf'] as const).flatMap((k) => (Array.isArray(s[k]) ? (s[k] as Schema[]) : [])).map((m) => deref(doc, m));
}

/** The patterns a string must (or may, in an `anyOf`/`oneOf`) match: its own, then its members'. */
function patternsOf(doc: OpenApiDocument, s: Schema): string[] {
  return [s.pattern, ...membersOf(doc, s).map((m) => m.pattern)].filter((p): p is string => typeof p === 'string');
}

/** The formats a string must (or may) have: its own, then its members'. */
function formatsOf(doc: OpenApiDocument, s: Schema): string[] {
  return [...new Set([s.format, ...membersOf(doc, s).map((m) => m.format)].filter((f): f is string => typeof f === 'string'))];
}

/** The lengths worth a value written to measure, from the string's bounds: each bound and one between. */
function lengthsOf(s: Schema): number[] {
  const min = typeof s.minLength === 'number' ? s.minLength : undefined;
  const max = typeof s.maxLength === 'number' ? s.maxLength : undefined;
  if (min === undefined && max === undefined) return [];
  const low = min ?? Math.max(0, Math.floor(max! / 2));
  const high = max ?? low + 8;
  return [...new Set([low, Math.floor((low + high) / 2), high])].filter((n) => n >= 0 && n <= 4096);
}

/**
 * Returns a string for `schema` (its resolved form `s`) drawn from its formats' generators (and values of the
 * lengths its bounds ask for) and from its patterns, that the whole schema accepts, that is well formed for the
 * format it was drawn for (isWellFormed) or for the string's own format, and, at the top level, that can be
 * sent where the value goes; URL-safe text first, then visible ASCII. Undefined when none is found.
 */
function drawnString(schema: Schema, s: Schema, formats: string[], patterns: string[], draw: Draw, at: string): string | undefined {
  const own = typeof s.format === 'string' ? s.format : undefined;
  // A string in a format the suite cannot judge: a value drawn from its pattern might still break the format.
  if (own !== undefined && !SERVICE_FORMATS[own]) return undefined;
  const sources: Array<{ candidates: string[]; format?: string; pattern?: string }> = [];
  for (const format of formats) {
    const known = SERVICE_FORMATS[format];
    if (!known) continue;
    const sized = known.ofLength ? lengthsOf(s).map((n) => known.ofLength!(n)).filter((c): c is string => c !== undefined) : [];
    sources.push({ format, candidates: [...fc.sample(known.values, { seed: seedOf(`${draw.seed}${at}#${format}`), numRuns: DRAWS_PER_PATTERN }), ...sized] });
  }
  for (const pattern of patterns) {
    try {
      // Ajv reads `pattern` with the `u` flag (its unicodeRegExp default; ECMA-262 regular expressions, as JSON Schema 2020-12 core section 6.4 asks), so the generator does too.
      const regex = new RegExp(pattern, 'u');
      sources.push({ pattern, format: own, candidates: fc.sample(fc.stringMatching(regex, { size: 'small' }), { seed: seedOf(`${draw.seed}${at}`), numRuns: DRAWS_PER_PATTERN }) });
    } catch (err) {
      draw.notes.add(`the value generator cannot read the pattern "${pattern}": ${(err as Error).message}`);
    }
  }
  for (const { candidates, format, pattern } of sources) {
    const valid = candidates.filter((c) => (format === undefined || !SERVICE_FORMATS[format] || isWellFormed(format, c)) && checkSafely(draw.checker, schema, c).length === 0);
    const sendable = at === '' ? valid.filter((c) => SENDABLE[draw.slot].test(c)) : valid;
    const source = pattern !== undefined ? `the pattern "${pattern}"` : `the format "${format}"`;
    if (valid.length === 0 && candidates[0] !== undefined) {
      const errors = checkSafely(draw.checker, schema, candidates[0]).map((e) => e.replace(/^\(body\) /, ''));
      draw.notes.add(`no string drawn from ${source} satisfies the rest of its schema (${JSON.stringify(candidates[0])}: ${errors.join(', ') || 'not well formed'})`);
    } else if (sendable.length === 0) draw.notes.add(`no string ${pattern !== undefined ? `matching "${pattern}"` : `in the format "${format}"`} can be sent as ${SENDABLE[draw.slot].as}`);
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
  // The second breaks the formats the first is valid in (hostname, uri-reference, regex...).
  const candidates = ['conformance-not-valid', '(conformance'];
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

/**
 * Returns a string `schema` (a string schema with a `format`, `$ref`s followed) rejects for its format alone:
 * its other keywords (length bounds, pattern) still accept it. Built from `valid`, a value it accepts, so
 * it has that value's length (a blank or a bracket in place of its first character, or around it); judged
 * by `checker`, whose formats are the service's (schemas.ts). Undefined when the schema has no format the
 * checker knows, or no such string is found.
 */
export function formatNearMiss(doc: OpenApiDocument, schema: Schema, valid: string, checker: SchemaChecker): string | undefined {
  const s = deref(doc, schema);
  if (typeof s.format !== 'string') return undefined;
  const { format: _format, ...unformatted } = s;
  const length = valid.length;
  const candidates = [` ${valid.slice(1)}`, `(${valid.slice(1)}`, `{${valid.slice(1)}`, ` ${valid}`, `${valid} `, ' '.repeat(length), '('.repeat(length), 'conformance not valid'];
  return candidates.find((c) => c !== valid && checkSafely(checker, s, c).length > 0 && checkSafely(checker, unformatted, c).length === 0);
}
