import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { errorMiddleware } from '../../../../runtime/error-middleware';
import { addRoute } from '../../../../runtime/route';

/** The reply of GET /ping. */
export const Pong = Type.Object({ greeting: Type.String() }, { $id: 'Pong', additionalProperties: false });

/**
 * A one-route Koa app, the smallest an app descriptor can serve: GET /ping (API key), answering the
 * `PING_GREETING` environment variable (set by its descriptor's localServices from its own setting).
 */
export function createPingApp(): Koa {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  addRoute(router, { method: 'GET', path: '/ping', operationId: 'ping', summary: 'Ping', responses: { 200: Pong } }, (ctx) => {
    ctx.body = { greeting: process.env.PING_GREETING ?? 'unset' };
  });
  app.use(errorMiddleware());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
