import type { TSchema } from 'typebox';
import type { FieldError } from './error-shape';
import { validatorFor, type RawError, type SchemaValidator } from './validators';

export type Location = NonNullable<FieldError['in']>;

/** A schema compiled once, with helpers to coerce, default and explain. */
export interface CompiledSchema {
  readonly schema: TSchema;
  /** Where the validated value comes from; field errors are reported there. */
  readonly location: Location;
  /** Returns field errors for `value`, or an empty list when it is valid. */
  explain(value: unknown): FieldError[];
  check(value: unknown): boolean;
  /** Returns `value` with the schema's defaults filled in (does not mutate the input). */
  withDefaults(value: unknown): unknown;
  /** Fills the schema's defaults into `value` itself and returns it: for a value nobody else holds, such as a body just parsed. */
  fillDefaults(value: unknown): unknown;
  /**
   * Returns `value` with each top-level string converted to its property's scalar type (query strings,
   * path params, headers). Strict: `"2.5"` is not an integer and `"yes"` is not a boolean; anything
   * that does not convert exactly stays a string and fails validation, naming the field.
   */
  convert(value: unknown): unknown;
}

/**
 * Returns a validator for `schema`, made once on its first use; errors are reported at `location`.
 * In the Lambda bundle the validator was generated at build time (see validators.ts); elsewhere
 * TypeBox compiles it on first use, so an instance woken for `/health` compiles nothing either way.
 */
export function compileSchema(schema: TSchema, location: Location): CompiledSchema {
  let compiled: SchemaValidator | undefined;
  const validator = () => (compiled ??= validatorFor(withoutIds(schema)));
  if (declaresInheritedName(schema)) {
    // A property named like a member of every object (`constructor`, `toString`...): TypeBox's checks and default
    // engines (its own and the bundle's) read `value.toString`/`"toString" in value`, which see Object.prototype's,
    // so an optional one left out failed and its default never applied (issue 23). They see the value's own
    // properties only: a copy without prototypes, made only for such schemas (the others cost nothing more).
    return {
      schema,
      location,
      check: (value) => validator().Check(ownView(value)),
      explain: (value) => {
        const own = ownView(value);
        return validator().Check(own) ? [] : (oversizedArrays(schema, own, location) ?? toFieldErrors(validator().Errors(own), location));
      },
      withDefaults: (value) => plainOf(validator().Default(ownView(value))),
      fillDefaults: (value) => plainOf(validator().Default(ownView(value))),
      convert: (value) => convertStrings(schema, value),
    };
  }
  return {
    schema,
    location,
    check: (value) => validator().Check(value),
    explain: (value) => (validator().Check(value) ? [] : (oversizedArrays(schema, value, location) ?? toFieldErrors(validator().Errors(value), location))),
    withDefaults: (value) => validator().Default(structuredClone(value)),
    fillDefaults: (value) => validator().Default(value),
    convert: (value) => convertStrings(schema, value),
  };
}

/** The names every plain object inherits (Object.prototype's, `__proto__` among them). */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** True when `schema` declares, at any depth, a property named like a member of Object.prototype. */
function declaresInheritedName(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(declaresInheritedName);
  if (schema === null || typeof schema !== 'object') return false;
  return Object.entries(schema).some(([key, value]) => {
    if (DATA_KEYWORDS.has(key)) return false;
    if (key === 'properties' && value && typeof value === 'object' && Object.keys(value).some((name) => INHERITED.has(name))) return true;
    if (key === 'required' && Array.isArray(value) && value.some((name) => INHERITED.has(name as string))) return true;
    return declaresInheritedName(value);
  });
}

/** Returns a deep copy of a JSON value whose objects have no prototype: only own properties are there to read. */
function ownView(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ownView);
  if (value === null || typeof value !== 'object') return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, v] of Object.entries(value)) out[key] = ownView(v);
  return out;
}

/** Returns a copy of an {@link ownView} as plain objects again (what the route's handler gets), own keys kept own. */
function plainOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainOf);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) Object.defineProperty(out, key, { value: plainOf(v), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Keywords whose values are data, not schemas: a `$id` key inside them is kept. */
const DATA_KEYWORDS = new Set<PropertyKey>(['default', 'const', 'enum', 'examples']);

/**
 * Returns `schema` without its `$id`s, or `schema` itself when it has a `$ref` (which may need them).
 * The `$id`s name API Gateway models; to TypeBox's error reporting each one is a URI resource to
 * resolve at every step, which made explaining an invalid body (the example's create body) about twice as slow. The errors
 * are the same. TypeBox's hidden markers (`~kind`, `~optional`) are copied as they are.
 */
export function withoutIds(schema: TSchema): TSchema {
  return hasRef(schema) ? schema : (stripIds(schema) as TSchema);
}

function hasRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasRef);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, v]) => key === '$ref' || (!DATA_KEYWORDS.has(key) && hasRef(v)));
}

function stripIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripIds);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const key of Reflect.ownKeys(value)) {
    if (key === '$id') continue;
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    if ('value' in descriptor && !DATA_KEYWORDS.has(key)) descriptor.value = stripIds(descriptor.value);
    Object.defineProperty(out, key, descriptor);
  }
  return out;
}

/**
 * Returns an error for each array longer than its schema's `maxItems` (found through `properties` and `items`), or
 * undefined when there is none. It answers before TypeBox's error engine: that engine lists an array's duplicates
 * for `uniqueItems` by copying its list at each one (O(n²)), so 30,000 equal items past a `maxItems` of 3 held the
 * function 32 s for a 60 KB body, and API Gateway does not enforce `maxItems` in front of it
 * (docs/apigateway-behaviour.md §4.18). The length alone is enough to refuse such a body.
 */
function oversizedArrays(schema: TSchema, value: unknown, location: Location, at = ''): FieldError[] | undefined {
  const node = schema as { type?: unknown; properties?: Record<string, TSchema>; items?: TSchema; maxItems?: number };
  const out: FieldError[] = [];
  if (Array.isArray(value)) {
    if (typeof node.maxItems === 'number' && value.length > node.maxItems) out.push({ path: at, message: `must not have more than ${node.maxItems} items`, in: location });
    else if (node.items && typeof node.items === 'object') value.forEach((item, i) => out.push(...(oversizedArrays(node.items!, item, location, `${at}/${i}`) ?? [])));
  } else if (value !== null && typeof value === 'object' && node.properties && typeof node.properties === 'object') {
    for (const [name, sub] of Object.entries(node.properties)) {
      if (Object.hasOwn(value, name)) out.push(...(oversizedArrays(sub, (value as Record<string, unknown>)[name], location, `${at}/${escapePointer(name)}`) ?? []));
    }
  }
  return out.length > 0 ? out : undefined;
}

/** Returns TypeBox's raw errors as one readable error per failing field. */
export function toFieldErrors(raw: RawError[], location: Location): FieldError[] {
  // A union reports one error per branch and then its own `anyOf`: keep only the union's, phrased
  // from its branches ("must be one of: low, medium, high" / "must be string or null").
  const unions = raw.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const isBranchError = (e: RawError) => unions.some((u) => e !== u && e.schemaPath.startsWith(`${u.schemaPath}/${u.keyword}/`));
  const out: FieldError[] = [];
  const seen = new Set<string>();
  const push = (path: string, message: string) => {
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ path, message, in: location });
  };
  for (const error of raw) {
    if (isBranchError(error)) continue;
    // `additionalProperties: false` is reported twice: once per property as the false sub-schema, then all by name.
    // TypeBox stops at 8 errors, so with 8 unknown properties only the first kind is there: each is the same
    // finding as its named one (same path, deduplicated), and without it the body would pass as valid.
    if (error.keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')) {
      push(error.instancePath, 'is not allowed');
      continue;
    }
    switch (error.keyword) {
      case 'required':
        for (const name of (error.params.requiredProperties as string[]) ?? []) push(`${error.instancePath}/${escapePointer(name)}`, 'is required');
        break;
      case 'additionalProperties':
        for (const name of (error.params.additionalProperties as string[]) ?? []) push(`${error.instancePath}/${escapePointer(name)}`, 'is not allowed');
        break;
      case 'enum':
        push(error.instancePath, `must be one of: ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`);
        break;
      case 'anyOf':
      case 'oneOf':
        push(error.instancePath, describeUnion(raw, error));
        break;
      case 'minProperties':
        push(error.instancePath, `must have at least ${String(error.params.limit)} ${error.params.limit === 1 ? 'property' : 'properties'}`);
        break;
      default:
        push(error.instancePath, error.message);
    }
  }
  return out;
}

function describeUnion(raw: RawError[], union: RawError): string {
  const prefix = `${union.schemaPath}/${union.keyword}/`;
  const branches = raw.filter((e) => e.schemaPath.startsWith(prefix) && e.instancePath === union.instancePath);
  if (branches.length > 0 && branches.every((e) => e.keyword === 'const')) {
    return `must be one of: ${branches.map((e) => String(e.params.allowedValue)).join(', ')}`;
  }
  const types = branches.filter((e) => e.keyword === 'type').map((e) => String(e.params.type));
  if (types.length > 0 && types.length === branches.length) return `must be ${[...new Set(types)].join(' or ')}`;
  return 'must match one of the allowed shapes';
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

const INTEGER = /^-?(0|[1-9]\d{0,15})$/;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function convertStrings(schema: TSchema, value: unknown): unknown {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties;
  if (!properties || typeof value !== 'object' || value === null) return value;
  const out = Object.create(null) as Record<string, unknown>; // a key may be called `__proto__`
  for (const [key, raw] of Object.entries(value)) {
    const type = Object.hasOwn(properties, key) ? properties[key]!.type : undefined;
    out[key] = typeof raw === 'string' ? convertScalar(raw, type) : raw;
  }
  return out;
}

function convertScalar(raw: string, type: unknown): unknown {
  if (type === 'integer' && INTEGER.test(raw)) return Number(raw);
  if (type === 'number' && NUMBER.test(raw)) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}
