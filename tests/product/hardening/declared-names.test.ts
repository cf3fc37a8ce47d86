import Router from '@koa/router';
import Koa from 'koa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Type, { type TSchema } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRoute, errorMiddleware } from '../../../infra/src/route';
import { lambdaHandler } from '../../../infra/src/lambda';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { exportsAsData } from '../../../infra/src/bundle/schemas';
import { RouteError } from '../../../infra/src/errors';
import type { LambdaHandler } from '../../../infra/src/local/integration';
import { API_KEY, startGateway, type Started } from '../local/support/gateway';
import { apiEvent } from '../../support/events';

// Issue 23 item 2: names a route declares that are also members of every JavaScript object. `constructor`,
// `toString`, `valueOf`... are ordinary JSON property names and work in every layer; `__proto__` cannot be carried by
// JavaScript object literals (ECMA-262 §B.3.1) and is refused at preview, naming the route, the field and the fix.

/** Returns an app with one route declaring `schemas`, answering 200 with what the route's input holds. */
function appWith(method: 'GET' | 'POST', routePath: string, schemas: { body?: TSchema; query?: TSchema; headers?: TSchema; params?: TSchema; responses?: Record<number, TSchema> }): Koa {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  addRoute(router, { method, path: routePath, operationId: 'probe', ...schemas } as never, (ctx, input) => {
    ctx.body = { body: (input as { body?: unknown }).body ?? null, query: (input as { query?: unknown }).query ?? null };
  });
  app.use(errorMiddleware());
  app.use(router.routes());
  return app;
}

describe('a declared property named __proto__ is refused at preview, naming the route, the field and the fix', () => {
  const proto = (inner: TSchema) => Type.Object({ ['__proto__']: inner });
  const cases: Array<[string, () => Koa, RegExp]> = [
    ['a body property', () => appWith('POST', '/things', { body: proto(Type.Optional(Type.String())) }), /Route POST \/things: its body declares a property named "__proto__" \(at \/properties\/__proto__\)/],
    ['a nested body property', () => appWith('POST', '/things', { body: Type.Object({ inner: Type.Object({ ['__proto__']: Type.String() }) }) }), /its body declares a property named "__proto__" \(at \/properties\/inner\/properties\/__proto__\)/],
    ['a query parameter', () => appWith('GET', '/things', { query: proto(Type.Optional(Type.String())) }), /Route GET \/things: its query declares a property named "__proto__"/],
    ['a header', () => appWith('GET', '/things', { headers: proto(Type.Optional(Type.String())) }), /Route GET \/things: its headers declares a property named "__proto__"/],
    ['a response property', () => appWith('GET', '/things', { responses: { 200: proto(Type.String()) } }), /Route GET \/things: its response 200 declares a property named "__proto__"/],
  ];
  for (const [what, app, message] of cases) {
    it(what, () => {
      let error: unknown;
      try {
        buildGatewaySpec(app());
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(RouteError);
      expect(String((error as Error).message)).toMatch(message);
      expect(String((error as Error).message)).toMatch(/Fix: rename the property .*pulumi preview/);
    });
  }
});

describe('a schema module holding a __proto__ key, as the bundle writes it (bundle/schemas.ts)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'schema-data-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps the key an own property (an object literal would set the prototype and the schema would match no validator)', async () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"},"a":{"default":{"__proto__":1}}}}') as object;
    const file = path.join(dir, 'schemas.mjs');
    await writeFile(file, exportsAsData({ Thing: schema })!);
    const loaded = (await import(pathToFileURL(file).href)) as { Thing: object };
    expect(JSON.stringify(loaded.Thing)).toBe(JSON.stringify(schema));
  });
});

describe('optional and required body properties named like Object.prototype members work through the local gateway and the service', () => {
  const Body = Type.Object({
    name: Type.String(),
    constructor: Type.Optional(Type.String()),
    toString: Type.Optional(Type.String({ default: 'filled' })),
    hasOwnProperty: Type.Optional(Type.Integer()),
    valueOf: Type.String(),
    // Any value, required: Object.prototype.isPrototypeOf would satisfy it if inherited members counted.
    isPrototypeOf: Type.Unknown(),
  });
  const Query = Type.Object({ constructor: Type.Optional(Type.String()), toString: Type.Optional(Type.String({ default: 'q' })) });
  let gw: Started;
  beforeAll(async () => {
    const app = appWith('POST', '/things', { body: Body, query: Query });
    gw = await startGateway({ spec: buildGatewaySpec(app), handler: lambdaHandler(app) as unknown as LambdaHandler });
  });
  afterAll(() => gw?.close());

  const post = async (body: unknown, query = '') => {
    const res = await fetch(`${gw.url}/things${query}`, { method: 'POST', headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, gateway: res.headers.get('x-amzn-errortype') };
  };

  it('a body leaving the optional ones out passes both validators; the default of `toString` is filled in', async () => {
    const answer = await post({ name: 'n', valueOf: 'v', isPrototypeOf: null });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.body).toEqual({ name: 'n', valueOf: 'v', isPrototypeOf: null, toString: 'filled' });
    expect(answer.body.query).toEqual({ toString: 'q' });
  });

  it('given, they are checked as any property', async () => {
    expect((await post({ name: 'n', valueOf: 'v', isPrototypeOf: 1, constructor: 'c', toString: 't', hasOwnProperty: 3 }, '?constructor=k')).body).toEqual({ body: { name: 'n', valueOf: 'v', isPrototypeOf: 1, constructor: 'c', toString: 't', hasOwnProperty: 3 }, query: { constructor: 'k', toString: 'q' } });
    const wrong = await post({ name: 'n', valueOf: 'v', isPrototypeOf: 1, constructor: 5 });
    expect(wrong.status).toBe(400);
  });

  it('a required one left out is missing (the gateway answers 400), not satisfied by Object.prototype.isPrototypeOf', async () => {
    const missing = await post({ name: 'n', valueOf: 'v' });
    expect(missing.status).toBe(400);
    expect(missing.gateway).toBe('BadRequestException');
    // The execution log's validation error (docs/apigateway-behaviour.md §4.4) names it, and only it.
    expect(gw.errors.at(-1)).toMatch(/Invalid request body: \[object has missing required properties \(\["isPrototypeOf"\]\)\]$/);
  });

  it('the service alone (no gateway in front) says the required one is required, and fills the optional default', async () => {
    const handler = lambdaHandler(appWith('POST', '/things', { body: Body })) as unknown as (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
    const missing = await handler(apiEvent('POST', '/things', { resource: '/things', headers: { 'content-type': 'application/json' }, body: { name: 'n' } }), {});
    expect(missing.statusCode).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({ errors: [{ path: '/valueOf', message: 'is required', in: 'body' }, { path: '/isPrototypeOf', message: 'is required', in: 'body' }] });
    const ok = await handler(apiEvent('POST', '/things', { resource: '/things', headers: { 'content-type': 'application/json' }, body: { name: 'n', valueOf: 'v', isPrototypeOf: [] } }), {});
    expect(JSON.parse(ok.body)).toEqual({ body: { name: 'n', valueOf: 'v', isPrototypeOf: [], toString: 'filled' }, query: null });
  });
});
