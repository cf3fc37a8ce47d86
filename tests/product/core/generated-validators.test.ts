import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import oas30 from '@seriousme/openapi-schema-validator/schemas/v3.0/schema.json';
import { describe, expect, it } from 'vitest';
import openApi30 from '../../../infra/src/core/definition/openapi-3.0.generated';
import draft04Meta from '../../../infra/src/core/plan/draft-04-meta-schema.generated';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../../../infra/src/core/definition';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { createParcelsApp } from '../../support/apps/parcels/app';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generate } = require('../../../infra/scripts/generate-validators.cjs') as { generate: () => Record<string, string> };
const PACKAGE = path.resolve(__dirname, '../../../infra');

type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };
const generated = { openApi30: openApi30 as unknown as Validator, draft04Meta: draft04Meta as unknown as Validator };

/** What the validator says of `value`: valid, or its errors. */
function verdict(validate: Validator, value: unknown): { valid: boolean; errors: unknown } {
  const valid = validate(structuredClone(value));
  return { valid, errors: valid ? null : validate.errors };
}

describe("the validators compiled ahead of time (infra/scripts/generate-validators.cjs: no command compiles a schema at run time)", () => {
  it('are what the script generates from the installed ajv and schemas (run it after upgrading them)', () => {
    const fresh = generate();
    expect(Object.keys(fresh).sort()).toEqual(['src/core/definition/openapi-3.0.generated.ts', 'src/core/plan/draft-04-meta-schema.generated.ts']);
    for (const [file, source] of Object.entries(fresh)) expect(readFileSync(path.join(PACKAGE, file), 'utf8'), file).toBe(source);
  });

  it('judge OpenAPI 3.0 documents as Ajv compiling the schema at run time does: the same verdict and the same errors', () => {
    const runtime = new Ajv04({ strict: false, allErrors: true, validateFormats: false }).compile(oas30) as Validator;
    const valid = buildApiDefinition(buildGatewaySpec(createParcelsApp()), { corsOrigins: [] }, LOCAL_INVOKE_ARN) as unknown as Record<string, unknown>;
    const documents: unknown[] = [
      valid,
      { ...valid, openapi: 3 },
      { ...valid, info: { title: 'x' } },
      { ...valid, paths: { 'no-slash': {} } },
      { ...valid, components: { schemas: { Bad: { type: 'object', required: [] } } } },
      { ...valid, 'x-extension': { any: 'thing' }, unknownTopLevel: true },
      { openapi: '3.0.1' },
      null,
    ];
    for (const document of documents) expect(verdict(generated.openApi30, document)).toEqual(verdict(runtime, document));
    expect(generated.openApi30(valid)).toBe(true);
    expect(generated.openApi30({ ...valid, openapi: 3 })).toBe(false);
  });

  it('judge models against the draft-04 meta-schema as Ajv’s validateSchema does: the same verdict and the same errors', () => {
    const ajv = new Ajv04({ strict: false, allErrors: true });
    const runtime: Validator = Object.assign((schema: unknown) => ajv.validateSchema(schema as object) as boolean, {});
    Object.defineProperty(runtime, 'errors', { get: () => ajv.errors });
    const schemas: unknown[] = [
      { type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'] },
      { type: 'object', required: [] },
      { enum: ['a', 'a'] },
      { type: 'strin' },
      { minimum: '1' },
      { properties: { a: { type: ['string', 'null'] } }, additionalProperties: false },
      { allOf: [], anyOf: [{ type: 'string' }] },
      { pattern: 7, items: [{}, true] },
    ];
    for (const schema of schemas) expect(verdict(generated.draft04Meta, schema)).toEqual(verdict(runtime, schema));
    expect(generated.draft04Meta({ enum: ['a', 'a'] })).toBe(false);
  });
});
