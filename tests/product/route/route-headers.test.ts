import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMiddleware } from '../../../infra/src/route/error-middleware';
import { addRoute } from '../../../infra/src/route/route';
import { serve, type TestServer } from '../../support/http';

/**
 * Header names are case-insensitive (RFC 9110 §5.1); Node gives them lower-cased, and the plan deploys
 * them lower-cased. A route may declare them as they are usually written (`X-Request-Id`).
 */
describe('addRoute with header parameters declared in any case', () => {
  let server: TestServer;
  beforeAll(async () => {
    const app = new Koa();
    app.silent = true;
    const router = new Router();
    addRoute(
      router,
      { method: 'GET', path: '/whoami', headers: Type.Object({ 'X-Card': Type.String({ pattern: '^[0-9]+$' }), 'x-lower': Type.Optional(Type.String()) }) },
      (ctx, { headers }) => {
        ctx.body = { card: headers['X-Card'], lower: headers['x-lower'] ?? null };
      },
    );
    app.use(errorMiddleware({ error: () => undefined }));
    app.use(router.routes());
    server = await serve(app);
  });
  afterAll(async () => server?.close());

  it('gives the handler the value under the declared name, whatever case the client sent', async () => {
    for (const name of ['X-Card', 'x-card', 'X-CARD']) {
      const res = await fetch(`${server.url}/whoami`, { headers: { [name]: '42', 'X-Lower': 'yes' } });
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect(await res.json()).toEqual({ card: '42', lower: 'yes' });
    }
  });

  it('still validates it, naming the field as declared', async () => {
    const missing = await fetch(`${server.url}/whoami`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ errors: [{ path: '/X-Card', in: 'header' }] });
    const wrong = await fetch(`${server.url}/whoami`, { headers: { 'x-card': 'abc' } });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ errors: [expect.objectContaining({ path: '/X-Card', in: 'header' })] });
  });
});
