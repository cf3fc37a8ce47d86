import type Koa from 'koa';
import type { ErrorLogger } from 'koa-apigateway/route';
import { composeApp, type Mount } from './compose';
import { addHealthRoute, SERVICE_VERSION } from './health/routes';
import { MemoryTodoRepository } from './todos/memory-repository';
import type { TodoRepository } from './todos/repository';
import { TodoService } from './todos/service';
import { addTodoRoutes } from './todos/routes';
import { addAccountRoutes } from './account/routes';

export { SERVICE_VERSION };

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
 * The function groups' entries (service/functions/*.ts) mount parts of it with the same middleware (compose.ts).
 */
export function createApp(options: AppOptions = {}): Koa {
  const todos = new TodoService(options.repository ?? new MemoryTodoRepository());
  const mounts: Mount[] = [
    (router) => addHealthRoute(router),
    (router) => addTodoRoutes(router, todos),
  ];
  if (options.userPool ?? Boolean(process.env.USER_POOL_ID)) mounts.push((router) => addAccountRoutes(router, todos));
  return composeApp(mounts, options);
}
