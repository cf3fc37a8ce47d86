import { Format } from 'typebox/format';
import { UnregisteredFormatError } from '../../errors';

export { UnregisteredFormatError } from '../../errors';
import { recordedFormatRegistries } from '../../route/format-registries';
import type { Draft04Schema, GatewaySpec } from './types';

/** TypeBox's own uuid check, as a pattern: the same strings (`/^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i`, typebox/format/uuid). */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** Keywords whose values are data, not schemas: a `format` inside them is data. */
const DATA_KEYWORDS = new Set(['default', 'const', 'enum', 'examples', 'example', 'required']);

/**
 * Copies into this module's TypeBox registry the formats the route kits of this process registered in theirs
 * (route/format-registries.ts: an app loaded through tsx has its own copy of TypeBox). Afterwards `Format.Has`
 * here answers for the app, and TypeBox's code generator (typebox/compile `Code`) emits a lookup by name for
 * an app's format instead of `true`. A name this registry already has keeps its check.
 */
export function adoptRegisteredFormats(): void {
  for (const registry of recordedFormatRegistries()) {
    if (registry === (Format as unknown)) continue;
    for (const [name, check] of registry.Entries()) if (!Format.Has(name)) Format.Set(name, check);
  }
}

/**
 * Throws UnregisteredFormatError for the first `format` in `schema` that no registry knows (TypeBox's own, the
 * app's: call adoptRegisteredFormats first), on a schema that can hold a string: TypeBox, like JSON Schema,
 * applies a format to strings only, so OpenAPI's `int32` on an integer is an annotation and left alone.
 * `where` starts the message: `Route POST /things: its body`, or a bundle label `POST /things body`.
 */
export function checkFormats(schema: unknown, where: string): void {
  walkFormats(schema, '', (format, field, node) => {
    if (canBeString(node) && !Format.Has(format)) throw new UnregisteredFormatError(where, field || '/', format);
  });
}

/** Calls `visit` for each `format` in `schema` with the field it applies to (`/a/*\/b`: `*` for any item or key). */
function walkFormats(node: unknown, field: string, visit: (format: string, field: string, node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walkFormats(item, field, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (typeof schema.format === 'string') visit(schema.format, field, schema);
  for (const [keyword, value] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(keyword) || value === null || typeof value !== 'object') continue;
    if (keyword === 'properties') {
      for (const [name, sub] of Object.entries(value)) walkFormats(sub, `${field}/${escapePointer(name)}`, visit);
    } else if (keyword === '$defs' || keyword === 'definitions') {
      for (const [name, sub] of Object.entries(value)) walkFormats(sub, `(${keyword}/${name})`, visit);
    } else if (keyword === 'patternProperties' || keyword === 'dependentSchemas') {
      for (const sub of Object.values(value)) walkFormats(sub, `${field}/*`, visit);
    } else if (['items', 'prefixItems', 'additionalItems', 'contains', 'unevaluatedItems', 'additionalProperties', 'unevaluatedProperties', 'propertyNames'].includes(keyword)) {
      walkFormats(value, `${field}/*`, visit);
    } else {
      // anyOf, oneOf, allOf, not, if/then/else: the same field.
      walkFormats(value, field, visit);
    }
  }
}

function canBeString(node: Record<string, unknown>): boolean {
  const type = node.type;
  return type === undefined || type === 'string' || (Array.isArray(type) && type.includes('string'));
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Returns the gateway model of `schema` (a draft-04 model in the document's form, toImportableModel's output)
 * and the formats it leaves to the service, by JSON pointer into the model (`/properties/homepage` → `uri`;
 * undefined when it has none). Every `format` is removed: API Gateway's validator is not the service's, and
 * a gateway that checked a format differently would refuse what the service accepts, or pass what it refuses
 * (docs/apigateway-behaviour.md §4.17). A `uuid` without a pattern of its own becomes UUID_PATTERN, exactly
 * TypeBox's uuid. Never mutates its input.
 */
export function leaveFormatsToService(schema: Draft04Schema): { schema: Draft04Schema; formats?: Record<string, string> } {
  const formats: Record<string, string> = {};
  const strip = (node: unknown, at: string): unknown => {
    if (Array.isArray(node)) return node.map((item, i) => strip(item, `${at}/${i}`));
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [keyword, value] of Object.entries(node as Record<string, unknown>)) {
      if (keyword === 'format' && typeof value === 'string') {
        formats[at] = value;
        continue;
      }
      out[keyword] = DATA_KEYWORDS.has(keyword) ? structuredClone(value) : strip(value, `${at}/${escapePointer(keyword)}`);
    }
    const format = (node as Record<string, unknown>).format;
    if (format === 'uuid' && out.pattern === undefined) out.pattern = UUID_PATTERN;
    return out;
  };
  const model = strip(schema, '') as Draft04Schema;
  return Object.keys(formats).length > 0 ? { schema: model, formats } : { schema: model };
}

/**
 * Returns, by model name, the formats each model of `spec` leaves to the service (ModelSpec.formats): what the
 * public OpenAPI document puts back (infra/src/core/openapi/build.ts, option `formats`).
 */
export function modelFormats(spec: Pick<GatewaySpec, 'models'>): Record<string, Record<string, string>> {
  return Object.fromEntries(spec.models.filter((m) => m.formats).map((m) => [m.name, { ...m.formats! }]));
}

/**
 * Returns, by model name, the whole schema of each model of `spec` whose deployed form leaves part of it to the
 * service (ModelSpec.contract: formats, keywords API Gateway does not enforce): what the public OpenAPI document
 * shows instead of the deployed model (infra/src/core/openapi/build.ts, option `contracts`).
 */
export function modelContracts(spec: Pick<GatewaySpec, 'models'>): Record<string, Draft04Schema> {
  return Object.fromEntries(spec.models.filter((m) => m.contract).map((m) => [m.name, structuredClone(m.contract!)]));
}
