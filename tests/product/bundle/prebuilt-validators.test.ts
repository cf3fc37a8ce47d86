import { build } from 'esbuild';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { ROOT as PROJECT_ROOT } from '../../support/files';
import { exportsAsData, importsOnlyTypeBox } from '../../../infra/src/bundle/schemas';
import { generateValidatorsModule, routeSchemasOf, type RouteSchema } from '../../../infra/src/bundle/validators';
import { ValidatorGenerationError } from '../../../infra/src/errors';
import { loadFixture, PARCELS } from '../../support/apps';
import { createParcelsApp } from '../../support/apps/parcels/app';
import type { SchemaValidator } from '../../../infra/src/route/validators';

// Schemas beyond the app's, for the default engine's other shapes: nested objects, arrays of objects, a root default.
const EXTRA: RouteSchema[] = [
  {
    label: 'extra nested',
    schema: Type.Object({
      a: Type.Optional(Type.Object({ b: Type.Optional(Type.Number({ default: 1 })), c: Type.String({ default: 'x' }) })),
      list: Type.Optional(Type.Array(Type.Object({ d: Type.Boolean({ default: false }), e: Type.Optional(Type.Union([Type.String(), Type.Null()])) }))),
      obj: Type.Optional(Type.Object({ k: Type.Integer() }, { default: { k: 3 } })),
    }),
  },
  { label: 'extra root', schema: Type.String({ default: 'root' }) },
];

// The parcels app's routes with its token routes: every schema a deployed stack with a user pool validates.
const APP_SCHEMAS = routeSchemasOf(createParcelsApp({ userPool: true }));
const ALL = [...APP_SCHEMAS, ...EXTRA];

let dir: string;
let generated: { validatorFor(schema: unknown): SchemaValidator };
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'prebuilt-validators-'));
  const file = path.join(dir, 'validators.mjs');
  await build({ stdin: { contents: generateValidatorsModule(ALL), resolveDir: path.join(PROJECT_ROOT, 'infra', 'src', 'route'), loader: 'js' }, bundle: true, format: 'esm', platform: 'node', outfile: file, logLevel: 'silent' });
  generated = (await import(pathToFileURL(file).href)) as typeof generated;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// Values shaped like requests, valid and not: right and wrong types, missing and extra fields, nested ones.
const field = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.constantFrom('', 'S', 'L', 'XL', 'pending', 'shipped', 'lost', 'x'.repeat(101), 'x'.repeat(501), '2', '1.5', 'true', '"1", "2"', '3fa85f64-5717-4562-b3fc-2c963f66afa6'),
  fc.integer({ min: -2, max: 30_002 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant([]),
);
const nested = fc.oneof(field, fc.record({ b: field, c: field, k: field }, { requiredKeys: [] }), fc.array(fc.record({ d: field, e: field }, { requiredKeys: [] }), { maxLength: 3 }));
const candidate = fc.oneof(
  fc.record(
    { recipient: field, note: field, size: field, express: field, weightGrams: field, status: field, extra: field, id: field, limit: field, q: field, 'if-match': field, a: nested, list: nested, obj: nested },
    { requiredKeys: [] },
  ),
  field,
);

describe('validators generated at build time (infra/src/bundle/validators.ts) answer as TypeBox compiled at run time', () => {
  it('covers every schema a route of the app validates, requests and declared responses', () => {
    expect(APP_SCHEMAS.map((s) => s.label)).toEqual(
      expect.arrayContaining([
        'GET /health response 200',
        'GET /parcels query',
        'GET /parcels response 200',
        'POST /parcels body',
        'POST /parcels response 201',
        'GET /parcels/:id params',
        'PATCH /parcels/:id headers',
        'PATCH /parcels/:id body',
        'GET /me response 200',
      ]),
    );
  });

  it.each(ALL.map((s) => [s.label, s.schema] as const))('%s: the same Check, Errors and Default for any value', (_label, schema) => {
    const jit = Compile(schema);
    // In the bundle the schema objects are plain JSON: TypeBox's hidden markers are not there.
    const plain = JSON.parse(JSON.stringify(schema)) as TSchema;
    const ours = generated.validatorFor(plain);
    fc.assert(
      fc.property(candidate, (value) => {
        expect(ours.Check(value)).toBe(jit.Check(value));
        expect(ours.Errors(value)).toEqual(jit.Errors(value));
        expect(ours.Default(structuredClone(value))).toEqual(Value.Default(schema, structuredClone(value)));
      }),
      { numRuns: 400 },
    );
  });

  it('gives each default a fresh copy (an object default is never shared between requests)', () => {
    const v = generated.validatorFor(JSON.parse(JSON.stringify(EXTRA[0]!.schema)));
    const first = v.Default({}) as { obj: { k: number } };
    first.obj.k = 99;
    expect((v.Default({}) as { obj: { k: number } }).obj).toEqual({ k: 3 });
  });

  it('refuses a schema no route declared, naming the fix', () => {
    expect(() => generated.validatorFor({ type: 'string', maxLength: 3 })).toThrow(/No validator was generated at build time .* Fix: declare the schema on a route with addRoute/);
  });

  it('refuses, at build time, what cannot be code: a default inside a union, a refinement', () => {
    const union = { label: 'POST /x body', schema: Type.Object({ a: Type.Union([Type.Object({ b: Type.String({ default: 'x' }) }), Type.Null()]) }) };
    expect(() => generateValidatorsModule([union])).toThrow(ValidatorGenerationError);
    expect(() => generateValidatorsModule([union])).toThrow(/POST \/x body: a default inside the union.*Fix:/);
    const refined = { label: 'GET /y query', schema: Type.Refine(Type.String(), (s) => s.length % 2 === 0) };
    expect(() => generateValidatorsModule([refined])).toThrow(/GET \/y query: .*refinement.*Fix:/);
  });

  it("ships neither the schema compiler, the value engine nor the type builders in the Lambda bundle (only TypeBox's error engine)", async () => {
    const { metafile } = await bundleLambda({ app: loadFixture(PARCELS), outDir: path.join(dir, 'lambda') });
    const inputs = Object.keys(Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined)!.inputs);
    expect(inputs.filter((i) => /node_modules\/typebox\/build\/(compile|value|type)\//.test(i))).toEqual([]);
    expect(inputs.some((i) => i.includes('node_modules/typebox/build/schema/engine/'))).toBe(true);
    expect(inputs).toContain('tests/support/apps/parcels/schemas.ts');
  });
});

describe('schema modules evaluated at build time (infra/src/bundle/schemas.ts)', () => {
  it('recognises a module that imports nothing at run time but typebox', () => {
    expect(importsOnlyTypeBox("import Type, { type Static } from 'typebox';\nexport const A = Type.String();")).toBe(true);
    expect(importsOnlyTypeBox("import Type from 'typebox';\nimport type { X } from './x';\nexport const A = 1;")).toBe(true);
    expect(importsOnlyTypeBox("import Type from 'typebox';\nimport { x } from './x';")).toBe(false);
    expect(importsOnlyTypeBox("import Type from 'typebox';\nimport './side-effect';")).toBe(false);
    expect(importsOnlyTypeBox("import { Compile } from 'typebox/compile';")).toBe(false);
    expect(importsOnlyTypeBox('export const A = 1;')).toBe(false);
  });

  it('inlines exports that are JSON data, TypeBox markers dropped; refuses any that is not', () => {
    const text = exportsAsData({ A: Type.Object({ a: Type.Optional(Type.String({ default: 'x' })) }), B: 3 })!;
    expect(text).toBe('export const A = {"type":"object","properties":{"a":{"type":"string","default":"x"}}};\nexport const B = 3;\n');
    expect(exportsAsData({ A: Type.String(), f: () => 1 })).toBeUndefined();
    expect(exportsAsData({ A: new Date(0) })).toBeUndefined();
    expect(exportsAsData({ A: undefined })).toBeUndefined();
  });
});
