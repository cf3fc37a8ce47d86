import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenApiDocument, Schema } from './document';
import { SERVICE_FORMATS } from './formats';

/** The project's one error shape (DESIGN "Contracts"): `{"message": "...", "errors": [...]}`, gateway and service alike. */
export const ERROR_SHAPE: Schema = {
  type: 'object',
  required: ['message'],
  properties: {
    message: { type: 'string', minLength: 1 },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' }, in: { enum: ['body', 'query', 'path', 'header'] } },
      },
    },
  },
};

const DOC_ID = 'https://conformance.local/api.json';

/** Validates values against the document's schemas: `check(schema, value)` returns Ajv-style messages, empty when valid. */
export interface SchemaChecker {
  check(schema: Schema, value: unknown): string[];
}

/**
 * Returns a checker for schemas of `doc` (OpenAPI 3.1: JSON Schema 2020-12, Ajv's 2020 class), whose
 * `#/components/...` references resolve inside the document. Each distinct schema is compiled once.
 * Formats: ajv-formats, with each format the service checks judged by the service's own check (TypeBox's,
 * ./formats.ts), since the suite expects of the service exactly what it enforces (TypeBox takes `a@b` as an
 * email, ajv-formats does not: a near-miss built from ajv-formats' reading would fail a correct app). A
 * format neither knows (the app's own) is taken as valid here: the suite draws no value for it (samples.ts).
 */
export function schemaChecker(doc: OpenApiDocument): SchemaChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, logger: false });
  addFormats(ajv);
  for (const [name, format] of Object.entries(SERVICE_FORMATS)) ajv.addFormat(name, { type: 'string', validate: format.check });
  // The document is registered under its own id so `#/components/schemas/X` resolves in it.
  ajv.addSchema({ $id: DOC_ID, components: doc.components ?? {} } as Schema);
  const cache = new Map<string, ValidateFunction>();
  return {
    check(schema, value) {
      const key = JSON.stringify(schema);
      let validate = cache.get(key);
      if (!validate) {
        validate = ajv.compile({ $id: `${DOC_ID}/check/${cache.size}`, ...rebase(schema) });
        cache.set(key, validate);
      }
      if (validate(value)) return [];
      return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`);
    },
  };
}

/** Returns `schema` with local `#/components/...` refs pointing into the registered document. */
function rebase(schema: unknown): Schema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${DOC_ID}${value}` : walk(value);
    }
    return out;
  };
  return walk(schema) as Schema;
}
