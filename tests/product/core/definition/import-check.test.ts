import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { buildApiDefinition, checkImportable, LOCAL_INVOKE_ARN } from '../../../../infra/src/core/definition';
import type { ApiDefinition } from '../../../../infra/src/core/definition/types';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { ImportWarningError, RouteError } from '../../../../infra/src/errors';
import { addRoute } from '../../../../infra/src/route/route';
import type { RouteSchemas } from '../../../../infra/src/route/route';
import { createParcelsApp } from '../../../support/apps/parcels/app';

/**
 * What API Gateway's import warns about is refused when the definition is built (plan time: `pulumi preview`,
 * synth, start), so the RestApi can import with failOnWarnings and a clean preview means a clean import
 * (docs/apigateway-behaviour.md §14).
 */

/** An app whose routes `routes` declares, through the route kit. */
function appWith(...routes: Array<RouteSchemas<never, never, never, never>>): Koa {
  const router = new Router();
  for (const r of routes) addRoute(router, r, () => undefined);
  const app = new Koa();
  app.use(router.routes());
  return app;
}

const Thing = Type.Object({ name: Type.String() }, { $id: 'Thing' });
const definitionOf = (app: Koa, options: { title?: string; version?: string } = {}) => buildApiDefinition(buildGatewaySpec(app), { corsOrigins: [], ...options }, LOCAL_INVOKE_ARN);

describe('a definition that is not valid OpenAPI 3.0 is refused, naming the route and the fix (§14.3, §14.5)', () => {
  it('a response declared under a status that is not an HTTP status', () => {
    const build = () => definitionOf(appWith({ method: 'GET', path: '/things/:id', operationId: 'getThing', responses: { 600: Thing } } as never));
    expect(build).toThrow(ImportWarningError);
    expect(build).toThrow(
      'Route GET /things/:id: the API definition is not valid OpenAPI 3.0 at /paths/~1things~1{id}/get/responses (must NOT have additional properties ("600")), ' +
        "which API Gateway's import reports as a warning, and a warning stops the deployment (failOnWarnings). Fix: declare responses by HTTP status code, 100 to 599",
    );
  });

  it('a summary that is not a string (a JavaScript app can write one)', () => {
    const build = () => definitionOf(appWith({ method: 'POST', path: '/things', summary: 42 } as never));
    expect(build).toThrow(/^Route POST \/things: the API definition is not valid OpenAPI 3\.0 at \/paths\/~1things\/post\/summary \(must be string\).* Fix: give the route's summary as a string$/);
  });

  it("the API's version, from the app descriptor", () => {
    expect(() => definitionOf(appWith({ method: 'GET', path: '/things' } as never), { version: 2 as never })).toThrow(
      /^The API's info \(the app descriptor's title and version\): the API definition is not valid OpenAPI 3\.0 at \/info\/version \(must be string\).*Fix: give the app descriptor a title and a version/,
    );
  });

  it('an attribute OpenAPI does not define, as in terraform-provider-aws\'s failOnWarnings acceptance test (components.invalid_key_will_warn)', () => {
    const definition = definitionOf(createParcelsApp());
    const broken = { ...definition, components: { ...definition.components, invalid_key_will_warn: 'a_value' } } as unknown as ApiDefinition;
    expect(() => checkImportable(broken, buildGatewaySpec(createParcelsApp()))).toThrow(/^The API definition: the API definition is not valid OpenAPI 3\.0 at \/components \(must NOT have additional properties \("invalid_key_will_warn"\)\)/);
  });

  it('a keyword a model may not carry names the route that uses the model', () => {
    const spec = buildGatewaySpec(appWith({ method: 'POST', path: '/things', operationId: 'createThing', body: Thing } as never));
    const withSchemaKeyword = { ...spec, models: spec.models.map((m) => (m.name === 'Thing' ? { ...m, schema: { ...m.schema, $schema: 'http://json-schema.org/draft-04/schema#' } } : m)) };
    expect(() => buildApiDefinition(withSchemaKeyword, { corsOrigins: [] }, LOCAL_INVOKE_ARN)).toThrow(
      'Route POST /things (its model Thing): the API definition is not valid OpenAPI 3.0 at /components/schemas/Thing (must NOT have additional properties ("$schema"))',
    );
    expect(() => buildApiDefinition(withSchemaKeyword, { corsOrigins: [] }, LOCAL_INVOKE_ARN)).toThrow('Fix: remove "$schema" from the schema: the OpenAPI 3.0 Schema Object has no such keyword');
  });
});

describe('a body that the import would skip is refused (§14.3)', () => {
  const spec = buildGatewaySpec(createParcelsApp());
  const definition = buildApiDefinition(spec, { corsOrigins: [] }, LOCAL_INVOKE_ARN);
  const create = () => structuredClone(definition) as ApiDefinition & { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>> };

  it('a reference to a model the document does not have ("Reference to model ... not found. Ignoring.")', () => {
    const broken = create();
    broken.paths['/parcels']!.post!.requestBody.content['application/json']!.schema = { $ref: '#/components/schemas/Nowhere' };
    expect(() => checkImportable(broken, spec)).toThrow(
      'Route POST /parcels: its schema at /paths/~1parcels/post/requestBody/content/application~1json/schema refers to "#/components/schemas/Nowhere", which is not a model of the API',
    );
  });

  it('an inline schema instead of a model ("Unsupported model type ... Ignoring.")', () => {
    const broken = create();
    broken.paths['/parcels']!.post!.requestBody.content['application/json']!.schema = { type: 'string' } as never;
    expect(() => checkImportable(broken, spec)).toThrow(/^Route POST \/parcels: its schema at .* is not a reference to a model.*Fix: declare the schema as a model/);
  });
});

describe('two routes with one operationId are refused by the plan (§14.3: "operationId is repeated")', () => {
  it('names both routes, before any model is named after the operationId', () => {
    const plan = () =>
      buildGatewaySpec(
        appWith(
          { method: 'GET', path: '/things', operationId: 'things', responses: { 200: Type.Array(Thing) } } as never,
          { method: 'POST', path: '/things/archive', operationId: 'things', body: Type.Object({ before: Type.String() }) } as never,
        ),
      );
    expect(plan).toThrow(RouteError);
    expect(plan).toThrow('Routes GET /things and POST /things/archive both have the operationId "things"');
    expect(plan).toThrow('Fix: give one of them another operationId.');
  });
});

describe('what the apps deploy passes', () => {
  it('the parcels app, with and without CORS, with a user pool', () => {
    const spec = buildGatewaySpec(createParcelsApp({ userPool: true } as never));
    for (const corsOrigins of [[], ['*'], ['https://a.example', 'https://b.example']]) {
      expect(() => buildApiDefinition(spec, { corsOrigins, userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc' }, LOCAL_INVOKE_ARN)).not.toThrow();
    }
  });
});
