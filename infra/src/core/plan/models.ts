import type { Draft04Schema } from './types';
import { VisibleError } from '../../errors';

export const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

/**
 * The one format of every plan-time schema error (ModelConversionError, ImportableSchemaError):
 * `Route POST /x, schema "Y": "keyword" at /pointer <reason>. Fix: <fix>.` Without a route (a schema
 * converted on its own) it starts `Schema "Y": ...`.
 */
export function schemaErrorMessage(route: string | undefined, schemaName: string, keyword: string, at: string, reason: string, fix: string): string {
  const subject = route ? `Route ${route}, schema "${schemaName}"` : `Schema "${schemaName}"`;
  return `${subject}: "${keyword}" at ${at || '/'} ${reason}. Fix: ${fix}.`;
}

/** The error a schema API Gateway cannot express raises: it names the route (when known), the schema, the keyword and the alternative. */
export class ModelConversionError extends VisibleError {
  constructor(
    readonly schemaName: string,
    readonly keyword: string,
    readonly at: string,
    readonly fix: string,
    readonly route?: string,
    readonly reason = 'cannot be expressed by API Gateway models (JSON Schema draft-04)',
  ) {
    super(schemaErrorMessage(route, schemaName, keyword, at, reason, fix));
    this.name = 'ModelConversionError';
  }
}

/** Annotations API Gateway rejects or ignores, and keywords with no meaning in draft-04: dropped. */
const DROPPED = new Set(['$comment', 'examples', 'example', 'readOnly', 'writeOnly', 'deprecated', 'contentMediaType', 'contentEncoding', 'contentSchema', 'discriminator', 'nullable', 'xml', 'externalDocs']);

/** Newer keywords that change validation and have no draft-04 equivalent: refused, with what to use instead. */
const REFUSED: Record<string, string> = {
  if: 'express the condition with anyOf/oneOf of complete alternatives',
  then: 'express the condition with anyOf/oneOf of complete alternatives',
  else: 'express the condition with anyOf/oneOf of complete alternatives',
  dependentRequired: 'use draft-04 "dependencies" (Type.Unsafe) or validate it in the service only',
  dependentSchemas: 'use draft-04 "dependencies" (Type.Unsafe) or validate it in the service only',
  unevaluatedProperties: 'use additionalProperties: false on an object that lists every property',
  unevaluatedItems: 'use items/additionalItems',
  contains: 'validate "contains" in the service only (drop it from the gateway schema)',
  minContains: 'validate it in the service only',
  maxContains: 'validate it in the service only',
  propertyNames: 'use patternProperties with additionalProperties: false',
  $dynamicRef: 'inline the schema',
  $dynamicAnchor: 'inline the schema',
  $anchor: 'inline the schema',
  $recursiveRef: 'inline the schema',
};

const DRAFT_04_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

// Keywords whose value is one schema, a list of schemas, or a map of schemas.
const SCHEMA_KEYWORDS = new Set(['not', 'additionalProperties', 'additionalItems']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);

/**
 * Returns a self-contained draft-04 model schema for a TypeBox (modern JSON Schema) schema.
 * `const` → `enum`; a union of literals → one `enum`; numeric exclusive bounds → draft-04 booleans;
 * nested `$id`s dropped (shared schemas are inlined); `$defs` → `definitions`; `format` kept (valid
 * draft-04: the plan takes it out of the gateway model and leaves it to the service, ./formats.ts
 * leaveFormatsToService); non-integer `multipleOf` left to the service (validators disagree on it:
 * tests/product/hardening/schema-agreement.test.ts); annotations API Gateway rejects dropped; a property with a
 * `default` left out of `required`, at every depth (the service fills it in: {@link hasDefault}).
 * Throws a ModelConversionError naming the route (when given), schema, keyword and alternative for what
 * cannot be expressed, a recursive schema (Type.Cyclic, a `$ref` to `#` or to its own `$defs`) included.
 * Never mutates its input.
 */
export function toDraft04(schema: unknown, schemaName: string, route?: string): Draft04Schema {
  cyclic = cyclicNames(schema);
  try {
    const converted = convert(schema, schemaName, '');
    if (typeof converted !== 'object' || converted === null || Array.isArray(converted)) {
      throw new ModelConversionError(schemaName, 'true/false schema', '', 'give the model an object schema, e.g. Type.Object({...})');
    }
    return { $schema: DRAFT_04, ...converted };
  } catch (error) {
    // The route is known here, not deep in the walk: the error is raised again with it.
    if (error instanceof ModelConversionError && route && !error.route) throw new ModelConversionError(error.schemaName, error.keyword, error.at, error.fix, route, error.reason);
    throw error;
  } finally {
    cyclic = new Set();
  }
}

/** The recursive `$defs` names of the schema toDraft04 is converting (synchronous, one at a time). */
let cyclic = new Set<string>();

/** `#/$defs/X`, `#/definitions/X` or TypeBox's bare `X` → `X`. */
function defName(ref: string): string {
  return ref.replace(/^#\/(\$defs|definitions)\//, '');
}

/**
 * The names of the `$defs`/`definitions` entries that refer to themselves, directly or through
 * other entries (TypeBox's Type.Cyclic: `{ $defs: { Node: {... $ref: "Node" ...} }, $ref: "Node" }`).
 */
function cyclicNames(schema: unknown): Set<string> {
  const defs = new Map<string, Set<string>>();
  const refsIn = (node: unknown, into: Set<string>): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') into.add(defName(value));
      else if (key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples') refsIn(value, into);
    }
  };
  const collect = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === '$defs' || key === 'definitions') && typeof value === 'object' && value !== null) {
        for (const [name, def] of Object.entries(value)) refsIn(def, defs.get(name) ?? defs.set(name, new Set()).get(name)!);
      }
      if (key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples') collect(value);
    }
  };
  collect(schema);
  const recursive = new Set<string>();
  for (const start of defs.keys()) {
    const seen = new Set<string>();
    const queue = [...(defs.get(start) ?? [])];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (next === start) {
        recursive.add(start);
        break;
      }
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(defs.get(next) ?? []));
    }
  }
  return recursive;
}

/** Returns the model name for a `$id`, or for a fallback such as `createOrder` + `Body`: alphanumeric, PascalCase. */
export function modelName(idOrHint: string): string {
  const words = idOrHint.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  if (!name) throw new VisibleError(`Cannot derive an API Gateway model name from "${idOrHint}". Fix: give the schema an alphanumeric $id.`);
  // API Gateway model names must start with a letter.
  return /^[0-9]/.test(name) ? `M${name}` : name;
}

function convert(schema: unknown, name: string, at: string): Record<string, unknown> {
  if (schema === true) return {};
  if (schema === false) return { not: {} };
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new ModelConversionError(name, typeof schema, at, 'use a JSON Schema object');
  }
  const source = schema as Record<string, unknown>;
  const literalUnion = mergeLiteralUnion(source, name, at);
  if (literalUnion) return literalUnion;

  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(source)) {
    const here = `${at}/${keyword}`;
    if (DROPPED.has(keyword) || keyword === '$schema' || keyword === '$id' || keyword === 'id') continue;
    if (keyword in REFUSED) throw new ModelConversionError(name, keyword, at, REFUSED[keyword]!);
    switch (keyword) {
      case 'const':
        out.enum = [value];
        break;
      case 'type':
        checkTypes(value, name, here);
        out.type = value;
        break;
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        exclusiveBound(source, keyword, value, out, name, at);
        break;
      case 'minimum':
      case 'maximum':
        // Set here unless an exclusive bound of the same side already decided it.
        if (!(keyword in out)) out[keyword] = value;
        break;
      case 'multipleOf':
        // Float remainders differ between validators (is 1.5e-323 a multiple of 5?): integers only.
        if (source.type === 'integer' && Number.isInteger(value)) out.multipleOf = value;
        break;
      case 'required': {
        // A property with a default may be left out: the service fills it in before it validates (TypeBox's
        // Default at every depth: nested objects, array items, union branches; infra/src/route/validation.ts),
        // so the gateway, which validates the request as sent, must not require it.
        const names = Array.isArray(value) ? value.filter((n) => !hasDefault(propertyOf(source, n))) : [];
        // API Gateway rejects an empty `required` ("Invalid model schema specified").
        if (names.length > 0) out.required = names;
        break;
      }
      case 'items':
        // Beside `prefixItems`, `items` means "the rest": handled there as draft-04 `additionalItems`.
        if ('prefixItems' in source) break;
        out.items = Array.isArray(value) ? value.map((s, i) => convert(s, name, `${here}/${i}`)) : convert(value, name, here);
        break;
      case 'prefixItems':
        if (!Array.isArray(value)) throw new ModelConversionError(name, keyword, at, 'use an array of schemas');
        out.items = value.map((s, i) => convert(s, name, `${here}/${i}`));
        if ('items' in source) out.additionalItems = source.items === false ? false : convert(source.items, name, `${at}/items`);
        break;
      case '$ref':
        out.$ref = localRef(value, name, at);
        break;
      default:
        if (SCHEMA_KEYWORDS.has(keyword)) {
          out[keyword] = typeof value === 'boolean' && keyword !== 'not' ? value : convert(value, name, here);
        } else if (SCHEMA_LIST_KEYWORDS.has(keyword)) {
          if (!Array.isArray(value)) throw new ModelConversionError(name, keyword, at, 'use an array of schemas');
          out[keyword] = value.map((s, i) => convert(s, name, `${here}/${i}`));
        } else if (SCHEMA_MAP_KEYWORDS.has(keyword)) {
          const map: Record<string, unknown> = {};
          for (const [k, s] of Object.entries(value as Record<string, unknown>)) map[k] = convert(s, name, `${here}/${k}`);
          out[keyword === '$defs' ? 'definitions' : keyword] = map;
        } else if (keyword === 'dependencies') {
          const map: Record<string, unknown> = {};
          for (const [k, s] of Object.entries(value as Record<string, unknown>)) map[k] = Array.isArray(s) ? [...s] : convert(s, name, `${here}/${k}`);
          out[keyword] = map;
        } else if (keyword.startsWith('~') || keyword.startsWith('x-')) {
          // TypeBox internals and vendor extensions: not part of the validated schema.
          continue;
        } else {
          out[keyword] = structuredClone(value);
        }
    }
  }
  return out;
}

/**
 * True when `schema` (a property's) declares a `default`: a value the service fills in when the property is
 * missing, so the property is optional in what a client sends (a gateway model's `required`, a parameter's
 * `required`) whatever the TypeBox schema's own `required` says.
 */
export function hasDefault(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && Object.hasOwn(schema, 'default');
}

/** The schema of the object schema's property `name`, or undefined. */
function propertyOf(source: Record<string, unknown>, name: unknown): unknown {
  const properties = source.properties;
  return typeof name === 'string' && typeof properties === 'object' && properties !== null && Object.hasOwn(properties, name) ? (properties as Record<string, unknown>)[name] : undefined;
}

/** `anyOf`/`oneOf` whose branches are all literals (const/enum, or null) → one `enum`; else undefined. */
function mergeLiteralUnion(source: Record<string, unknown>, name: string, at: string): Record<string, unknown> | undefined {
  const key = Array.isArray(source.anyOf) ? 'anyOf' : Array.isArray(source.oneOf) ? 'oneOf' : undefined;
  if (!key) return undefined;
  const branches = source[key] as unknown[];
  const values: unknown[] = [];
  for (const branch of branches) {
    if (typeof branch !== 'object' || branch === null) return undefined;
    const b = branch as Record<string, unknown>;
    const meaningful = Object.keys(b).filter((k) => !DROPPED.has(k) && k !== 'type' && k !== 'description' && k !== 'title' && k !== '$id');
    if ('const' in b && meaningful.length === 1) values.push(b.const);
    else if (Array.isArray(b.enum) && meaningful.length === 1) values.push(...(b.enum as unknown[]));
    else if (b.type === 'null' && meaningful.length === 0) values.push(null);
    else return undefined;
  }
  if (values.length === 0) return undefined;
  const rest: Record<string, unknown> = { ...source };
  delete rest[key];
  const merged = convert(rest, name, at);
  const unique = values.filter((v, i) => values.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i);
  return { ...merged, enum: unique };
}

function exclusiveBound(source: Record<string, unknown>, keyword: 'exclusiveMinimum' | 'exclusiveMaximum', value: unknown, out: Record<string, unknown>, name: string, at: string): void {
  const side = keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum';
  if (typeof value === 'boolean') {
    // Already draft-04 form.
    out[keyword] = value;
    return;
  }
  if (typeof value !== 'number') throw new ModelConversionError(name, keyword, at, `give ${keyword} a number`);
  const inclusive = source[side];
  if (typeof inclusive === 'number') {
    // Both given: keep the stricter bound.
    const exclusiveIsStricter = side === 'minimum' ? value >= inclusive : value <= inclusive;
    if (!exclusiveIsStricter) {
      out[side] = inclusive;
      return;
    }
  }
  out[side] = value;
  out[keyword] = true;
}

function checkTypes(value: unknown, name: string, at: string): void {
  const types = Array.isArray(value) ? value : [value];
  for (const t of types) {
    if (typeof t !== 'string' || !DRAFT_04_TYPES.has(t)) {
      throw new ModelConversionError(name, `type: ${String(t)}`, at, 'use a JSON type (string, number, integer, boolean, object, array, null); encode other values (dates, bigints, bytes) as strings');
    }
  }
}

function localRef(value: unknown, name: string, at: string): string {
  if (typeof value === 'string' && (value === '#' || cyclic.has(defName(value)))) {
    // Inlining a schema that contains itself never ends, and the RestApi body's models cannot refer to one another.
    throw new ModelConversionError(
      name,
      '$ref',
      at,
      `recursive schemas cannot be API Gateway models: flatten it to a fixed depth (a Type.Object per level, the last without the ${JSON.stringify(value)} reference), ` +
        'or declare that part as Type.Unknown() (or Type.Array(Type.Unknown())) and check the deeper levels in the handler',
      undefined,
      `is recursive (${JSON.stringify(value)} refers to a schema that contains it, e.g. Type.Cyclic)`,
    );
  }
  if (typeof value === 'string' && /^#\/(\$defs|definitions)\/[^/]+$/.test(value)) return value.replace('#/$defs/', '#/definitions/');
  if (typeof value === 'string' && value === '#') return value;
  throw new ModelConversionError(name, '$ref', at, `use the referenced schema itself instead of Type.Ref (${JSON.stringify(value)}): shared schemas are inlined into each model`);
}
