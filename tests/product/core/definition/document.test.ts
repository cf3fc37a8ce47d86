import Router from '@koa/router';
import Ajv04 from 'ajv-draft-04';
import Koa from 'koa';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { buildApiDefinition, LOCAL_INVOKE_ARN, routesOf, serializeDefinition } from '../../../../infra/src/core/definition';
import { validateOpenApi } from '../../../../infra/src/core/openapi/validate';
import { buildGatewaySpec, DRAFT_04 } from '../../../../infra/src/core/plan';
import { ImportableSchemaError } from '../../../../infra/src/core/plan/importable';
import { addRoute } from '../../../../infra/src/route/route';
import { createParcelsApp as createApp } from '../../../support/apps/parcels/app';

const ARN = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:todo-fn-1/invocations';
const spec = buildGatewaySpec(createApp());
const plain = buildApiDefinition(spec, { corsOrigins: [] }, ARN);
const cors = buildApiDefinition(spec, { corsOrigins: ['https://a.example', 'https://b.example'] }, ARN);

/** An app with one route added through the route kit. */
function appWith(body: unknown): Koa {
  const router = new Router();
  addRoute(router, { method: 'POST', path: '/things', operationId: 'createThing', body: body as never }, () => undefined);
  const app = new Koa();
  app.use(router.routes());
  return app;
}

describe("the API definition of the parcels app", () => {
  it.each([
    ['without CORS', plain],
    ['with CORS', cors],
  ])('is valid OpenAPI 3.0 for an independent validator (%s)', async (_label, doc) => {
    const result = await validateOpenApi(doc);
    expect(result.errors).toBeUndefined();
    expect(result).toMatchObject({ valid: true, version: '3.0' });
  });

  it('the validator does reject a document API Gateway could not import (so the check above means something)', async () => {
    const broken = structuredClone(plain) as unknown as { components: { schemas: Record<string, Record<string, unknown>> } };
    broken.components.schemas.Parcel!.type = 'null';
    expect((await validateOpenApi(broken)).valid).toBe(false);
  });

  it('every component schema (model) passes the draft-04 meta-schema, under an alphanumeric name', () => {
    const ajv = new Ajv04({ strict: false });
    for (const [name, schema] of Object.entries(plain.components.schemas)) {
      expect(name).toMatch(/^[A-Za-z0-9]+$/);
      expect(ajv.validateSchema({ $schema: DRAFT_04, ...schema }), `${name}: ${JSON.stringify(ajv.errors)}`).toBe(true);
    }
  });

  it('is deterministic: the same spec and ARN give the same text, whatever the order of the routes', () => {
    const again = buildApiDefinition(buildGatewaySpec(createApp()), { corsOrigins: [] }, ARN);
    expect(serializeDefinition(again)).toBe(serializeDefinition(plain));
    const reversed = buildApiDefinition({ ...spec, methods: [...spec.methods].reverse() }, { corsOrigins: [] }, ARN);
    expect(serializeDefinition(reversed)).toBe(serializeDefinition(plain));
  });

  it('holds the invoke ARN as its only deployed value', () => {
    const local = serializeDefinition(buildApiDefinition(spec, { corsOrigins: [] }, LOCAL_INVOKE_ARN));
    expect(local.split(LOCAL_INVOKE_ARN).join(ARN)).toBe(serializeDefinition(plain));
  });

  it('declares the parameters with required, the body model, the validator and the key requirement', () => {
    const patch = plain.paths['/parcels/{id}']!.patch!;
    expect(patch.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', required: true }), expect.objectContaining({ name: 'if-match', in: 'header', required: false })]),
    );
    expect(patch.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ParcelPatch' } } } });
    expect(patch['x-amazon-apigateway-request-validator']).toBe('body');
    expect(plain['x-amazon-apigateway-request-validators']).toEqual({ body: { validateRequestBody: true, validateRequestParameters: false } });
    expect(patch.security).toEqual([{ api_key: [] }]);
    expect(plain.components.securitySchemes).toEqual({ api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } });
    expect(plain.paths['/health']!.get!.security).toBeUndefined();
  });

  it('routes: sorted METHOD /path, preflights excluded', () => {
    expect(routesOf(spec)).toEqual(['DELETE /parcels/{id}', 'GET /health', 'GET /parcels', 'GET /parcels/{id}', 'PATCH /parcels/{id}', 'POST /parcels']);
  });
});

describe('plan-time checks of the models the import would refuse', () => {
  it('refuses an enum with a repeated value (draft-04 requires unique items), naming route, schema, keyword and fix', () => {
    const app = appWith(Type.Object({ kind: Type.Enum(['A', 'A']) }, { $id: 'Thing' }));
    let error: unknown;
    try {
      buildGatewaySpec(app);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportableSchemaError);
    expect((error as Error).message).toMatch(/^Route POST \/things, schema "Thing": "enum" at \/properties\/kind\/enum fails the JSON Schema draft-04 meta-schema .*Fix: list each enum value once\.$/);
  });

  it('converts null to enum [null] and a type list to anyOf: OpenAPI 3.0 has no null type, draft-04 validates the same', () => {
    const app = appWith(Type.Object({ note: Type.Union([Type.String(), Type.Null()]), n: Type.Unsafe({ type: ['integer', 'null'] }) }, { $id: 'Thing' }));
    const model = buildGatewaySpec(app).models.find((m) => m.name === 'Thing')!;
    expect(model.schema.properties).toEqual({ note: { anyOf: [{ type: 'string' }, { enum: [null] }] }, n: { anyOf: [{ type: 'integer' }, { enum: [null] }] } });
    const validate = new Ajv04({ strict: false }).compile(model.schema);
    expect(validate({ note: null, n: null })).toBe(true);
    expect(validate({ note: 'x', n: 2 })).toBe(true);
    expect(validate({ note: 1 })).toBe(false);
  });

  it('converts a Type.Record of any key to additionalProperties', () => {
    const model = buildGatewaySpec(appWith(Type.Record(Type.String(), Type.Integer(), { $id: 'Counts' }))).models[0]!;
    expect(model.schema).toEqual({ type: 'object', additionalProperties: { type: 'integer' } });
  });

  it.each([
    ['a tuple', Type.Object({ pair: Type.Tuple([Type.String(), Type.Number()]) }, { $id: 'Thing' }), /"(items|additionalItems)" at \/properties\/pair .*OpenAPI 3.0 Schema Object.*Fix: use an array of one item schema/],
    ['a key pattern', Type.Unsafe({ $id: 'Thing', type: 'object', patternProperties: { '^x-': { type: 'string' } } }), /"patternProperties" .*OpenAPI 3.0 Schema Object/],
  ])('refuses %s, which the OpenAPI 3.0 Schema Object cannot carry', (_label, body, message) => {
    expect(() => buildGatewaySpec(appWith(body))).toThrow(message);
  });
});
