import Router from '@koa/router';
import Koa from 'koa';
import Type, { type TSchema } from 'typebox';
import { Format } from 'typebox/format';
import { describe, expect, it } from 'vitest';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { UnregisteredFormatError } from '../../../../infra/src/core/plan/formats';
import { RouteError } from '../../../../infra/src/errors';
import { addRoute, type RouteSchemas } from '../../../../infra/src/route/route';
import { createFormatsApp } from '../../../support/apps/formats/app';

/** An app with the one route `schemas` declares. */
function appWith(schemas: Partial<RouteSchemas<TSchema | undefined, TSchema | undefined, TSchema | undefined, TSchema | undefined>>): Koa {
  const app = new Koa();
  const router = new Router();
  addRoute(router, { method: 'POST', path: '/things/:id', operationId: 'postThing', ...schemas } as never, () => undefined);
  app.use(router.routes());
  return app;
}

describe('a format nobody checks is refused at plan time (pulumi preview, npm start), never left unchecked', () => {
  it.each([
    ['a body field', { body: Type.Object({ phone: Type.String({ format: 'phone' }) }) }, 'body', '/phone'],
    ['a nested body field in an array', { body: Type.Object({ people: Type.Array(Type.Object({ phone: Type.String({ format: 'phone' }) })) }) }, 'body', '/people/*/phone'],
    ['a union branch', { body: Type.Object({ phone: Type.Union([Type.String({ format: 'phone' }), Type.Null()]) }) }, 'body', '/phone'],
    ['a query parameter', { query: Type.Object({ phone: Type.String({ format: 'phone' }) }) }, 'query', '/phone'],
    ['a header', { headers: Type.Object({ 'x-phone': Type.String({ format: 'phone' }) }) }, 'headers', '/x-phone'],
    ['a path parameter', { params: Type.Object({ id: Type.String({ format: 'phone' }) }) }, 'params', '/id'],
    ['a declared response', { responses: { 200: Type.Object({ phone: Type.String({ format: 'phone' }) }) } }, 'response 200', '/phone'],
  ])('%s: a RouteError naming the route, the field, the format and both fixes', (_where, schemas, part, field) => {
    const attempt = () => buildGatewaySpec(appWith(schemas));
    expect(attempt).toThrow(UnregisteredFormatError);
    expect(attempt).toThrow(RouteError);
    let message = '';
    try {
      attempt();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('Route POST /things/:id');
    expect(message).toContain(`${part} field ${field}`);
    expect(message).toContain('format "phone"');
    expect(message).toMatch(/Fix: register it with Format\.Set\('phone', \(value\) => \.\.\.\) from 'typebox\/format'.* or remove the format/);
  });

  it('accepts every format TypeBox checks, and one the app registered with Format.Set before the plan', () => {
    const names = Format.Entries().map(([name]) => name);
    expect(names.length).toBeGreaterThanOrEqual(21);
    const body = Type.Object(Object.fromEntries(names.map((name) => [name.replace(/-/g, '_'), Type.String({ format: name })])));
    expect(() => buildGatewaySpec(appWith({ body }))).not.toThrow();
    Format.Set('plan-test-sku', (value) => /^SKU-\d+$/.test(value));
    expect(() => buildGatewaySpec(appWith({ body: Type.Object({ sku: Type.String({ format: 'plan-test-sku' }) }) }))).not.toThrow();
  });

  it('leaves a format on a number alone (OpenAPI int32, float...: annotations TypeBox and JSON Schema apply to strings only)', () => {
    expect(() => buildGatewaySpec(appWith({ body: Type.Object({ n: Type.Integer({ format: 'int32' }), x: Type.Number({ format: 'double' }) }) }))).not.toThrow();
  });

  it('reads a format inside data keywords as data, not as a declaration', () => {
    const body = Type.Object({ kind: Type.String({ default: 'x', examples: [{ format: 'phone' }] as never }) });
    expect(() => buildGatewaySpec(appWith({ body }))).not.toThrow();
  });
});

describe('what the gateway model carries of a format (docs/apigateway-behaviour.md §4.17)', () => {
  const spec = buildGatewaySpec(createFormatsApp());
  const model = (name: string) => spec.models.find((m) => m.name === name)!;

  it('no `format` in any model: API Gateway is left no format to check (its checks are not the service’s)', () => {
    for (const m of spec.models) expect(JSON.stringify(m.schema), m.name).not.toContain('"format"');
  });

  it('uuid becomes its exact pattern (the same strings TypeBox accepts); no other format becomes a keyword', () => {
    const contact = model('Contact').schema as { properties: Record<string, Record<string, unknown>> };
    expect(contact.properties.id).toEqual({ type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
    expect(contact.properties.email).toEqual({ type: 'string' });
    expect(contact.properties.createdAt).toEqual({ type: 'string' });
    const create = model('ContactCreate').schema as { properties: Record<string, Record<string, unknown>> };
    // Its own keywords stay: the length bounds and the pattern beside the format.
    expect(create.properties.avatar).toEqual({ type: 'string', minLength: 30, maxLength: 60 });
    expect(create.properties.workEmail).toEqual({ type: 'string', pattern: '@example\\.org$' });
  });

  it('each model lists the formats it leaves to the service, by JSON pointer, for the public document', () => {
    expect(model('Contact').formats).toEqual({ '/properties/id': 'uuid', '/properties/email': 'email', '/properties/homepage': 'uri', '/properties/createdAt': 'date-time' });
    expect(model('LinksUpdate').formats).toMatchObject({ '/properties/profile/properties/iri': 'iri', '/properties/every': 'duration' });
    expect(model('ErrorBody').formats).toBeUndefined();
  });
});
