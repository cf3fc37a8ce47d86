import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMiddleware } from '../../../infra/src/route/error-middleware';
import { addRoute } from '../../../infra/src/route/route';
import { compileSchema } from '../../../infra/src/route/validation';
import { serve, type TestServer } from '../../support/http';

/** `{ k0: 0, k1: 0, ... }`: `n` properties no schema below declares. */
const unknownProperties = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 0]));

// TypeBox reports at most 8 errors, and `additionalProperties: false` reports each unknown property twice (the
// false sub-schema first, the property by name last): with 8 of them, only the first kind was left, which the
// explanation skipped as a duplicate, so the body was taken as valid and reached the handler.
describe('a body with many unknown properties (TypeBox reports 8 errors at most)', () => {
  const Closed = Type.Object({ a: Type.Optional(Type.String()) }, { additionalProperties: false });

  it.each([1, 7, 8, 9, 30])('%i unknown properties: invalid, each one reported "is not allowed" (up to TypeBox\'s 8)', (n) => {
    const errors = compileSchema(Closed, 'body').explain(unknownProperties(n));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBe(Math.min(n, 8));
    for (const [i, error] of errors.entries()) expect(error).toEqual({ path: `/k${i}`, message: 'is not allowed', in: 'body' });
  });

  describe('through addRoute, over HTTP', () => {
    let server: TestServer;
    let reached = 0;
    beforeAll(async () => {
      const router = new Router();
      addRoute(router, { method: 'POST', path: '/things', operationId: 'createThing', body: Closed }, (ctx) => {
        reached++;
        ctx.status = 204;
      });
      const app = new Koa();
      app.silent = true;
      app.use(errorMiddleware());
      app.use(router.routes());
      server = await serve(app);
    });
    afterAll(() => server.close());

    it('is refused with 400 naming the properties, and the handler never runs', async () => {
      const res = await fetch(`${server.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(unknownProperties(8)) });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { message: string; errors: { path: string; message: string }[] };
      expect(body.message).toBe('Invalid request body');
      expect(body.errors.map((e) => e.path)).toEqual(['/k0', '/k1', '/k2', '/k3', '/k4', '/k5', '/k6', '/k7']);
      expect(reached).toBe(0);
    });
  });
});

describe('an array past its maxItems is refused by its length (API Gateway does not enforce maxItems, docs/apigateway-behaviour.md §4.18)', () => {
  const Probe = Type.Object({ arr: Type.Array(Type.Integer({ maximum: 5 }), { minItems: 1, maxItems: 3, uniqueItems: true }), nested: Type.Optional(Type.Array(Type.Object({ tags: Type.Array(Type.String(), { maxItems: 2 }) }))) });

  it('30,000 equal items: one error naming the length, without listing every duplicate (TypeBox lists them in O(n²): 32 s)', () => {
    expect(compileSchema(Probe, 'body').explain({ arr: Array(30_000).fill(1) })).toEqual([{ path: '/arr', message: 'must not have more than 3 items', in: 'body' }]);
  });

  it('nested arrays are found through properties and items', () => {
    expect(compileSchema(Probe, 'body').explain({ arr: [1], nested: [{ tags: ['a'] }, { tags: ['a', 'b', 'c'] }] })).toEqual([{ path: '/nested/1/tags', message: 'must not have more than 2 items', in: 'body' }]);
  });

  it('within the bound, the other keywords are still explained', () => {
    expect(compileSchema(Probe, 'body').explain({ arr: [1, 1] })).toEqual([expect.objectContaining({ path: '/arr' })]);
    expect(compileSchema(Probe, 'body').explain({ arr: [1, 2] })).toEqual([]);
  });
});
