import Router from '@koa/router';
import Koa from 'koa';
import { Type } from 'typebox';
import { addRoute, errorMiddleware } from 'koa-apigateway/route';

const Item = Type.Object({ id: Type.String(), name: Type.String() });
const Me = Type.Object({ sub: Type.String() });
const ErrorBody = Type.Object({ message: Type.String() });

/**
 * Returns a small shop API, written as a user writes theirs: a public route, a route behind the API key with
 * a validated body, and, when the stack has a user pool (`userPool`), a route that needs a user pool token
 * with a scope. Used where a project other than this repository's is needed (tests/support/apps/shop/).
 */
export function createShopApp(options: { userPool: boolean }): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(errorMiddleware());
  const router = new Router();
  const items = [{ id: 'a1', name: 'apple' }];
  addRoute(router, { method: 'GET', path: '/health', operationId: 'health', auth: 'public', responses: { 200: Type.Object({ ok: Type.Boolean() }) } }, (ctx) => {
    ctx.body = { ok: true };
  });
  addRoute(router, { method: 'GET', path: '/items', operationId: 'listItems', responses: { 200: Type.Array(Item) } }, (ctx) => {
    ctx.body = items;
  });
  addRoute(
    router,
    { method: 'POST', path: '/items', operationId: 'createItem', body: Type.Object({ name: Type.String({ minLength: 1 }) }), responses: { 201: Item, 400: ErrorBody } },
    (ctx, { body }) => {
      const item = { id: `a${items.length + 1}`, name: body.name };
      items.push(item);
      ctx.status = 201;
      ctx.body = item;
    },
  );
  if (options.userPool) {
    addRoute(router, { method: 'GET', path: '/me', operationId: 'getMe', auth: { userPool: { scopes: ['shop/read'] } }, responses: { 200: Me } }, (ctx) => {
      ctx.body = { sub: String((ctx.state as { claims?: Record<string, string> }).claims?.sub ?? '') };
    });
  }
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}
