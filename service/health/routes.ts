import type Router from '@koa/router';
import { addRoute } from 'koa-apigateway/route';
import { Health } from './schemas';

export const SERVICE_VERSION = '0.1.0';

/**
 * Adds `GET /health` (public: no API key) to `router` and returns it. It answers with the service's version and
 * the seconds since `startedAt` (ms since the epoch; default now: when the app was built, i.e. this instance's
 * cold start). It touches no storage, so the health function needs no table and no AWS SDK.
 */
export function addHealthRoute(router: Router, startedAt: number = Date.now()): Router {
  addRoute(
    router,
    { method: 'GET', path: '/health', operationId: 'health', summary: 'Health check', tags: ['health'], public: true, responses: { 200: Health } },
    (ctx) => {
      ctx.body = { status: 'healthy', version: SERVICE_VERSION, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
    },
  );
  return router;
}
