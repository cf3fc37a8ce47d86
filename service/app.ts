import Router from '@koa/router';
import Koa from 'koa';
import { corsMiddleware, parseOrigins, errorMiddleware, type ErrorLogger, addRoute } from 'koa-apigateway/route';
import { MemoryTodoRepository } from './todos/memory-repository';
import type { TodoRepository } from './todos/repository';
import { Health } from './todos/schemas';
import { TodoService } from './todos/service';
import { addTodoRoutes } from './todos/routes';
import { addAccountRoutes } from './account/routes';

export const SERVICE_VERSION = '0.1.0';

export interface AppOptions {
  /** Where todos are kept; in memory by default. */
  repository?: TodoRepository;
  logger?: ErrorLogger;
  /** Origins allowed to call from a browser; default: the `CORS_ORIGINS` environment (set by the stack). */
  corsOrigins?: readonly string[];
  /**
   * Mount the routes that need a user pool token (`GET /api/v1/me`, `GET /api/v1/reader/todos`). Default: when `USER_POOL_ID` is set
   * (the stack sets it on the function when `userPool` is configured; docs/auth.md).
   */
  userPool?: boolean;
}

/**
 * Returns the Koa app with every route mounted. No side effects: nothing listens, nothing connects.
 * Infrastructure discovers the routes from this app's own middleware (see infra/src/core/plan/discover.ts).
 */
export function createApp(options: AppOptions = {}): Koa {
  const app = new Koa();
  // Koa logs every error itself unless told otherwise; our error middleware already logged it.
  app.silent = true;
  const startedAt = Date.now();
  const todos = new TodoService(options.repository ?? new MemoryTodoRepository());

  const router = new Router();
  addRoute(
    router,
    { method: 'GET', path: '/health', operationId: 'health', summary: 'Health check', tags: ['health'], public: true, responses: { 200: Health } },
    (ctx) => {
      ctx.body = { status: 'healthy', version: SERVICE_VERSION, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
    },
  );
  addTodoRoutes(router, todos);
  if (options.userPool ?? Boolean(process.env.USER_POOL_ID)) addAccountRoutes(router, todos);

  const corsOrigins = options.corsOrigins ?? parseOrigins(process.env.CORS_ORIGINS);
  if (corsOrigins.length > 0) app.use(corsMiddleware(corsOrigins));
  app.use(errorMiddleware(options.logger));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
