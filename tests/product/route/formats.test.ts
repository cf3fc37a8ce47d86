import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { Format } from 'typebox/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMiddleware } from '../../../infra/src/route/error-middleware';
import { addRoute } from '../../../infra/src/route/route';
import { FORMAT_EXAMPLES } from '../../support/formats';
import { serve, type TestServer } from '../../support/http';

/**
 * The service checks every `format` a route declares (the gateway model leaves them out:
 * docs/apigateway-behaviour.md §4.17): in the source (tests, `koa-apigateway dev`) through TypeBox's compiler,
 * each of TypeBox's formats and one the app registers; the bundle's generated validators are held to the same
 * in tests/product/bundle/formats.test.ts.
 */
describe('the route kit checks every declared format, in a body, a query and a path', () => {
  let server: TestServer;
  const names = Object.keys(FORMAT_EXAMPLES);
  beforeAll(async () => {
    Format.Set('route-test-sku', (value) => /^SKU-\d{4}$/.test(value));
    const app = new Koa();
    app.silent = true;
    const router = new Router();
    const fields = Object.fromEntries([...names, 'route-test-sku'].map((name) => [name, Type.Optional(Type.String({ format: name }))]));
    addRoute(router, { method: 'POST', path: '/values', body: Type.Object(fields) }, (ctx) => {
      ctx.body = { ok: true };
    });
    addRoute(router, { method: 'GET', path: '/days/:day', params: Type.Object({ day: Type.String({ format: 'date' }) }), query: Type.Object({ at: Type.String({ format: 'time' }) }) }, (ctx) => {
      ctx.body = { ok: true };
    });
    app.use(errorMiddleware({ error: () => undefined }));
    app.use(router.routes());
    server = await serve(app);
  });
  afterAll(async () => server?.close());

  const post = (body: unknown) => fetch(`${server.url}/values`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it.each(Object.entries(FORMAT_EXAMPLES))('%s: a valid value passes, an invalid one is a 400 naming the field', async (name, { valid, invalid }) => {
    expect((await post({ [name]: valid })).status).toBe(200);
    const res = await post({ [name]: invalid });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ path: `/${name}`, in: 'body', message: expect.stringContaining(name) }] });
  });

  it('a format the app registered with Format.Set is checked the same way', async () => {
    expect((await post({ 'route-test-sku': 'SKU-0042' })).status).toBe(200);
    const res = await post({ 'route-test-sku': 'sku 42' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ path: '/route-test-sku', in: 'body' }] });
  });

  it('path and query values are checked against their format too', async () => {
    expect((await fetch(`${server.url}/days/2024-02-29?at=12:00:00Z`)).status).toBe(200);
    const res = await fetch(`${server.url}/days/2023-02-29?at=noon`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ path: string; in: string }> };
    expect(body.errors.map((e) => `${e.in} ${e.path}`).sort()).toEqual(['path /day', 'query /at']);
  });
});
