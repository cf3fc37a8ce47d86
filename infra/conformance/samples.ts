import { randomUUID } from 'node:crypto';
import { sample } from 'openapi-sampler';
import type { JSONSchema7 } from 'json-schema';
import type { OpenApiDocument, Schema } from './document';
import type { SchemaChecker } from './schemas';

/**
 * Returns a value valid against `schema`: Redocly's openapi-sampler draws it (all properties, then
 * only the required ones), each draw is checked with Ajv, and a `uuid` string is a fresh random UUID
 * so a request never names an existing resource by chance. Throws, naming `what`, when no draw is valid.
 */
export function validSample(doc: OpenApiDocument, schema: Schema, checker: SchemaChecker, what: string): unknown {
  const draws = [false, true].map((skipNonRequired) => withFreshUuids(sample(schema as JSONSchema7, { skipNonRequired, skipReadOnly: true, quiet: true }, doc), schema, doc));
  for (const value of draws) if (checker.check(schema, value).length === 0) return value;
  throw new Error(`Cannot build a valid value for ${what} from its schema: ${checker.check(schema, draws[0]).join('; ')}`);
}

function withFreshUuids(value: unknown, schema: Schema, doc: OpenApiDocument): unknown {
  const s = deref(doc, schema);
  if (s.format === 'uuid' && typeof value === 'string') return randomUUID();
  if (value && typeof value === 'object' && !Array.isArray(value) && s.properties && typeof s.properties === 'object') {
    const props = s.properties as Record<string, Schema>;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, props[k] ? withFreshUuids(v, props[k], doc) : v]));
  }
  return value;
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
