import Ajv from 'ajv-draft-04';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { DRAFT_04, ModelConversionError, modelName, toDraft04 } from '../../../../infra/src/core/plan/models';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { createParcelsApp as createApp } from '../../../support/apps/parcels/app';

const ajv = new Ajv({ strict: false });
const draft04 = (schema: unknown) => {
  const model = toDraft04(schema, 'Test');
  expect(ajv.validateSchema(model), JSON.stringify(ajv.errors)).toBe(true);
  return model;
};

describe('toDraft04 converts what draft-04 can express', () => {
  it.each([
    ['const → enum', Type.Literal('x'), { type: 'string', enum: ['x'] }],
    ['union of literals → one enum', Type.Union([Type.Literal('a'), Type.Literal('b')]), { enum: ['a', 'b'] }],
    ['union of literals and null → enum with null', Type.Union([Type.Literal('a'), Type.Null()]), { enum: ['a', null] }],
    ['numeric exclusiveMinimum → minimum + true', Type.Number({ exclusiveMinimum: 0 }), { type: 'number', minimum: 0, exclusiveMinimum: true }],
    ['numeric exclusiveMaximum → maximum + true', Type.Integer({ exclusiveMaximum: 10 }), { type: 'integer', maximum: 10, exclusiveMaximum: true }],
    ['the stricter of minimum and exclusiveMinimum', Type.Number({ minimum: 5, exclusiveMinimum: 1 }), { type: 'number', minimum: 5 }],
    ['examples and $comment dropped', Type.String({ examples: ['a'], $comment: 'x' }), { type: 'string' }],
    // Kept: valid draft-04; the plan then takes it out of the gateway model (tests/product/core/plan/formats.test.ts).
    ['format kept', Type.String({ format: 'uuid' }), { type: 'string', format: 'uuid' }],
    ['empty required dropped', { type: 'object', properties: { a: { type: 'string' } }, required: [] }, { type: 'object', properties: { a: { type: 'string' } } }],
    ['nested $id dropped (inlined)', Type.Object({ t: Type.Object({ a: Type.String() }, { $id: 'Inner' }) }), { type: 'object', required: ['t'], properties: { t: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } } } }],
    ['$defs → definitions, local $ref kept', { $defs: { A: { type: 'string' } }, $ref: '#/$defs/A' }, { definitions: { A: { type: 'string' } }, $ref: '#/definitions/A' }],
    ['prefixItems → items array, items → additionalItems', { type: 'array', items: false, prefixItems: [{ type: 'string' }] }, { type: 'array', items: [{ type: 'string' }], additionalItems: false }],
    ['a TypeBox tuple stays a draft-04 tuple', Type.Tuple([Type.String(), Type.Number()]), { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false, minItems: 2 }],
    ['boolean sub-schemas → objects', { type: 'object', properties: { a: true, b: false } }, { type: 'object', properties: { a: {}, b: { not: {} } } }],
  ])('%s', (_name, input, expected) => {
    const model = draft04(input);
    expect(model).toEqual({ $schema: DRAFT_04, ...expected });
  });

  it('leaves a property with a default out of `required` at every depth: nested objects, array items, union branches (the service fills it in)', () => {
    const schema = Type.Object({
      name: Type.String(),
      size: Type.String({ default: 'M' }),
      options: Type.Object({ gift: Type.Boolean({ default: false }), note: Type.String() }),
      lines: Type.Array(Type.Object({ sku: Type.String(), qty: Type.Integer({ default: 1 }) })),
      pay: Type.Union([Type.Object({ kind: Type.Literal('card'), save: Type.Boolean({ default: false }) }), Type.Object({ kind: Type.Literal('cash'), change: Type.Boolean({ default: true }) })]),
      only: Type.Object({ all: Type.Integer({ default: 0 }) }),
    });
    const model = draft04(schema) as Record<string, any>;
    expect(model.required).toEqual(['name', 'options', 'lines', 'pay', 'only']);
    expect(model.properties.options.required).toEqual(['note']);
    expect(model.properties.lines.items.required).toEqual(['sku']);
    expect(model.properties.pay.anyOf.map((b: { required: string[] }) => b.required)).toEqual([['kind'], ['kind']]);
    // Every property defaulted: no `required` at all (API Gateway refuses an empty one).
    expect(model.properties.only).not.toHaveProperty('required');
    // The defaults themselves stay (documentation; API Gateway does not apply them).
    expect(model.properties.size.default).toBe('M');
    // A body leaving every defaulted property out passes the model, as it passes the service once filled in.
    const sent = { name: 'n', options: { note: 'x' }, lines: [{ sku: 'a' }], pay: { kind: 'card' }, only: {} };
    expect(ajv.compile(model)(sent), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('does not mutate its input', () => {
    const schema = Type.Object({ n: Type.Number({ exclusiveMinimum: 0 }), c: Type.Literal(1) }, { $id: 'X' });
    const before = JSON.stringify(schema);
    toDraft04(schema, 'X');
    expect(JSON.stringify(schema)).toBe(before);
  });

  it('keeps the meaning: the converted exclusive bound still excludes the bound', () => {
    const validate = ajv.compile(draft04(Type.Object({ n: Type.Number({ exclusiveMinimum: 0 }) })));
    expect(validate({ n: 0 })).toBe(false);
    expect(validate({ n: 0.1 })).toBe(true);
  });
});

describe('toDraft04 refuses what draft-04 cannot express, naming the schema, keyword and alternative', () => {
  it.each([
    ['if', { if: { type: 'string' }, then: { minLength: 1 } }, /"if"/],
    ['unevaluatedProperties', { type: 'object', unevaluatedProperties: false }, /"unevaluatedProperties".*additionalProperties: false/],
    ['propertyNames', { type: 'object', propertyNames: { pattern: '^a' } }, /"propertyNames".*patternProperties/],
    ['contains', { type: 'array', contains: { type: 'string' } }, /"contains"/],
    ['dependentRequired', { dependentRequired: { a: ['b'] } }, /"dependentRequired"/],
    ['a remote $ref', Type.Object({ t: Type.Ref('Todo') }), /"\$ref".*inlined/],
    ['a non-JSON type', { type: 'bigint' }, /"type: bigint".*strings/],
  ])('%s', (_name, input, message) => {
    const attempt = () => toDraft04(input, 'Widget');
    expect(attempt).toThrow(ModelConversionError);
    expect(attempt).toThrow(/Schema "Widget"/);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/Fix: /);
  });
});

describe('toDraft04 refuses recursive schemas with a fix that can be followed', () => {
  it.each([
    ['mutual recursion through $defs', { $defs: { A: { type: 'object', properties: { b: { $ref: '#/$defs/B' } } }, B: { type: 'object', properties: { a: { $ref: '#/$defs/A' } } } }, $ref: '#/$defs/A' }],
    ['a reference to the root', { type: 'object', properties: { child: { $ref: '#' } } }],
  ])('%s', (_name, input) => {
    const attempt = () => toDraft04(input, 'Tree', 'POST /trees');
    expect(attempt).toThrow(/^Route POST \/trees, schema "Tree": "\$ref" at \/\S* is recursive .*Fix: .*fixed depth/);
  });
});

describe('modelName', () => {
  it.each([
    ['TodoCreate', 'TodoCreate'],
    ['todo-create', 'TodoCreate'],
    ['createTodoBody', 'CreateTodoBody'],
    ['201 response', 'M201Response'],
  ])('%s → %s (alphanumeric, starts with a letter)', (input, name) => {
    expect(modelName(input)).toBe(name);
    expect(modelName(input)).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
  });
});

describe("the parcels app's models", () => {
  const spec = buildGatewaySpec(createApp());
  it.each(spec.models.map((m) => [m.name, m] as const))('%s is a valid draft-04 schema with no keyword newer than draft-04', (_name, model) => {
    // The document's form: no `$schema` (OpenAPI 3.0 has no such keyword; API Gateway models are draft-04).
    expect(model.schema).not.toHaveProperty('$schema');
    expect(ajv.validateSchema({ $schema: DRAFT_04, ...model.schema }), JSON.stringify(ajv.errors)).toBe(true);
    const text = JSON.stringify(model.schema);
    for (const keyword of ['"const"', '"$id"', '"$defs"', '"examples"', '"$comment"', '"format":"uuid"', '"type":"null"']) expect(text).not.toContain(keyword);
  });

  it('the ParcelCreate model accepts what the service accepts and refuses what it refuses', () => {
    const model = spec.models.find((m) => m.name === 'ParcelCreate')!;
    const validate = ajv.compile(model.schema);
    expect(validate({ recipient: 'Ada', size: 'L' })).toBe(true);
    expect(validate({ recipient: '' })).toBe(false);
    expect(validate({ recipient: 'x', size: 'XL' })).toBe(false);
    expect(validate({ recipient: 'x', extra: 1 })).toBe(false);
  });
});

/** Every keyword draft-04 defines (validation and annotation): what API Gateway's validator reads. */
const DRAFT_04_KEYWORDS = new Set([
  '$schema', '$ref', 'id', 'title', 'description', 'default', 'type', 'enum', 'format',
  'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'items', 'additionalItems', 'maxItems', 'minItems', 'uniqueItems',
  'maxProperties', 'minProperties', 'required', 'properties', 'patternProperties', 'additionalProperties', 'dependencies', 'definitions',
  'allOf', 'anyOf', 'oneOf', 'not',
]);

/** Returns every keyword used at any depth of a schema (property names and definition names excluded). */
function keywordsOf(schema: unknown, out = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== 'object') return out;
  if (Array.isArray(schema)) {
    for (const s of schema) keywordsOf(s, out);
    return out;
  }
  for (const [k, v] of Object.entries(schema)) {
    out.add(k);
    if (['properties', 'patternProperties', 'definitions', 'dependencies'].includes(k)) for (const s of Object.values(v as object)) keywordsOf(s, out);
    else if (['items', 'additionalItems', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(k)) keywordsOf(v, out);
  }
  return out;
}

describe("the parcels app's models use draft-04 keywords only", () => {
  it.each(buildGatewaySpec(createApp()).models.map((m) => [m.name, m] as const))('%s', (_name, model) => {
    expect([...keywordsOf(model.schema)].filter((k) => !DRAFT_04_KEYWORDS.has(k))).toEqual([]);
  });
});
