import type { ErrorObject } from 'ajv';
// JSON Schema draft-04's meta-schema (ajv-draft-04's), compiled by Ajv (all errors) ahead of time:
// infra/scripts/generate-validators.cjs wrote the module, and says why.
import draft04MetaSchemaValidator from './draft-04-meta-schema.generated';
import { schemaErrorMessage } from './models';
import type { Draft04Schema } from './types';
import { RouteError } from '../../errors';

/**
 * A schema the REST API's OpenAPI import would refuse or silently change: names the route, the
 * schema, the keyword (with its JSON pointer) and the fix. Raised at plan time, before anything is
 * created, so `pulumi preview` fails instead of `pulumi up` half-way.
 */
export class ImportableSchemaError extends RouteError {
  constructor(
    readonly route: string,
    readonly schemaName: string,
    readonly keyword: string,
    readonly at: string,
    reason: string,
    fix: string,
  ) {
    super(schemaErrorMessage(route, schemaName, keyword, at, reason, fix));
    this.name = 'ImportableSchemaError';
  }
}

// Keywords of the OpenAPI 3.0 Schema Object (OAS 3.0.3 §4.7.24): the only ones the document (the
// RestApi's `body`) can carry in `components.schemas`, which API Gateway turns into its draft-04
// models ("API Gateway models are defined using JSON schema draft 4", developer guide, "Amazon API
// Gateway important notes for REST APIs").
const OAS30_KEYWORDS = new Set([
  'title', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required', 'enum', 'type', 'allOf', 'oneOf',
  'anyOf', 'not', 'items', 'properties', 'additionalProperties', 'description', 'format', 'default',
]);

/** Draft-04 keywords outside the OpenAPI 3.0 Schema Object, with what to write instead. */
const NOT_IN_OAS30: Record<string, string> = {
  patternProperties: 'use Type.Record(Type.String(), X) (any key) or list the properties; other key patterns can be checked in the service only',
  additionalItems: 'use an array of one item schema (Type.Array) instead of a tuple, or validate the tuple in the service only',
  dependencies: 'validate the dependency in the service only',
  definitions: 'give the shared schema an $id so it becomes its own model, or inline it',
  $ref: 'inline the referenced schema (shared schemas with an $id are inlined into each model)',
};

const ANY_KEY = new Set(['^.*$', '^(.*)$', '.*', '^.+$', '^(.+)$', '.+']);

/** Ajv's validator of the draft-04 meta-schema: true when a schema is valid draft-04, else false with `errors`. */
const draft04MetaSchema = draft04MetaSchemaValidator as unknown as ((schema: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * Returns a draft-04 model (toDraft04's output) in the form the OpenAPI 3.0 document carries:
 * `$schema` dropped (API Gateway models are draft-04 whatever the document says), `type: "null"`
 * → `enum: [null]` and a type list → `anyOf` (OpenAPI 3.0 types have no "null" and no lists; both
 * forms validate the same values under draft-04), a `Type.Record` pattern of any key →
 * `additionalProperties`. Refuses, with an ImportableSchemaError, every other keyword outside the
 * OpenAPI 3.0 Schema Object and any schema that fails the draft-04 meta-schema (e.g. an `enum`
 * with repeated values, `Type.Enum(['A','A'])`: draft-04 requires unique enum items).
 */
export function toImportableModel(schema: Draft04Schema, schemaName: string, route: string): Draft04Schema {
  const { $schema: _draft, ...rest } = schema;
  const converted = convert(rest, schemaName, route, '');
  checkDraft04(converted, schemaName, route);
  return converted;
}

function convert(node: Record<string, unknown>, name: string, route: string, at: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const refuse = (keyword: string, reason: string, fix: string) => new ImportableSchemaError(route, name, keyword, at, reason, fix);
  if (Array.isArray(node.type) && node.type.length > 1 && node.anyOf) {
    // The type list would become an anyOf of its own beside the schema's anyOf.
    throw refuse('type', 'is a list beside an "anyOf"', 'make the nullable part one branch of the anyOf (Type.Union([X, Type.Null()]))');
  }
  for (const [keyword, value] of Object.entries(node)) {
    const here = `${at}/${keyword}`;
    switch (keyword) {
      case 'type': {
        const types = Array.isArray(value) ? (value as string[]) : [value as string];
        const others = types.filter((t) => t !== 'null');
        if (types.length === 1 && others.length === 1) out.type = others[0];
        else if (others.length === 0) out.enum = [null];
        else {
          // ["string", "null"] → anyOf [{type: string}, {enum: [null]}]; the keywords beside `type` still apply.
          // Not a type list (no OpenAPI 3.0 form; breaks API Gateway's export), nor `nullable: true` (not
          // draft-04, which API Gateway's validator reads): docs/apigateway-behaviour.md §4.20.
          out.anyOf = [...others.map((t) => ({ type: t })), ...(types.includes('null') ? [{ enum: [null] }] : [])];
        }
        break;
      }
      case 'properties': {
        const map: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(value as Record<string, unknown>)) map[k] = convert(s as Record<string, unknown>, name, route, `${here}/${k}`);
        out.properties = map;
        break;
      }
      case 'items':
        if (Array.isArray(value)) throw refuse('items', 'is a tuple (a list of item schemas), which the OpenAPI 3.0 Schema Object cannot carry', NOT_IN_OAS30.additionalItems!);
        out.items = convert(value as Record<string, unknown>, name, route, here);
        break;
      case 'not':
        out.not = convert(value as Record<string, unknown>, name, route, here);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof value === 'boolean' ? value : convert(value as Record<string, unknown>, name, route, here);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[keyword] = (value as Record<string, unknown>[]).map((s, i) => convert(s, name, route, `${here}/${i}`));
        break;
      case 'patternProperties': {
        const entries = Object.entries(value as Record<string, unknown>);
        const [pattern, schema] = entries[0] ?? [];
        if (entries.length === 1 && ANY_KEY.has(pattern!) && !('additionalProperties' in node)) {
          out.additionalProperties = convert(schema as Record<string, unknown>, name, route, `${here}/${pattern}`);
          break;
        }
        throw refuse(keyword, 'is not part of the OpenAPI 3.0 Schema Object, which the RestApi body carries', NOT_IN_OAS30.patternProperties!);
      }
      case 'pattern':
        checkPattern(value, name, route, at);
        out.pattern = value;
        break;
      default:
        if (keyword in NOT_IN_OAS30) throw refuse(keyword, 'is not part of the OpenAPI 3.0 Schema Object, which the RestApi body carries', NOT_IN_OAS30[keyword]!);
        if (!OAS30_KEYWORDS.has(keyword)) {
          throw refuse(keyword, 'is not a JSON Schema keyword API Gateway models know', 'remove it, or move it under "description"');
        }
        out[keyword] = structuredClone(value);
    }
  }
  return out;
}

/** Throws an ImportableSchemaError for the first draft-04 meta-schema violation, naming its keyword. */
function checkDraft04(schema: Draft04Schema, name: string, route: string): void {
  if (draft04MetaSchema(schema)) return;
  const first = draft04MetaSchema.errors?.[0];
  const pointer = first?.instancePath ?? '';
  const keyword = pointer.split('/').filter(Boolean).reverse().find((p) => !/^\d+$/.test(p)) ?? first?.keyword ?? 'schema';
  const fix = keyword === 'enum' ? 'list each enum value once' : `correct "${keyword}" so that it is valid JSON Schema draft-04`;
  throw new ImportableSchemaError(route, name, keyword, pointer, `fails the JSON Schema draft-04 meta-schema (${first?.message ?? 'invalid'}), so API Gateway would refuse the model`, fix);
}

/**
 * Throws an ImportableSchemaError when `pattern` is not a regular expression. JSON Schema patterns are
 * ECMA-262 regular expressions (JSON Schema Validation draft-04, section 3.3; OpenAPI 3.0.3, Schema Object); the local
 * gateway's Ajv compiles them with the `u` flag, so that is the dialect checked. An invalid one would
 * otherwise pass the plan and fail at run time in the validators (a 500) or in the import.
 */
function checkPattern(pattern: unknown, name: string, route: string, at: string): void {
  if (typeof pattern !== 'string') throw new ImportableSchemaError(route, name, 'pattern', at, `is ${JSON.stringify(pattern)}, not a string`, 'give "pattern" a regular expression as a string');
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    throw new ImportableSchemaError(
      route,
      name,
      'pattern',
      at,
      `is not a valid regular expression (${(error as Error).message})`,
      'correct the pattern, an ECMA-262 regular expression in unicode mode (escape a literal "[", "(", "{" or "\\" with a backslash)',
    );
  }
}

/**
 * Throws an ImportableSchemaError, naming `route`, `schemaName` (e.g. "query") and the JSON pointer of
 * the schema holding it, for the first invalid `pattern` in `schema` (a route's params, query or
 * headers schema, which the document carries as parameter schemas without making them models).
 */
export function checkPatterns(schema: unknown, schemaName: string, route: string, at = ''): void {
  if (typeof schema !== 'object' || schema === null) return;
  if (Array.isArray(schema)) {
    schema.forEach((item, i) => checkPatterns(item, schemaName, route, `${at}/${i}`));
    return;
  }
  for (const [keyword, value] of Object.entries(schema as Record<string, unknown>)) {
    if (keyword === 'pattern' && typeof value === 'string') checkPattern(value, schemaName, route, at);
    // Values, not schemas: a "pattern" inside them is data.
    else if (keyword !== 'enum' && keyword !== 'const' && keyword !== 'default' && keyword !== 'examples') checkPatterns(value, schemaName, route, `${at}/${keyword}`);
  }
}
