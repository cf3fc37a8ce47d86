import Router from '@koa/router';
import Koa from 'koa';
import { corsMiddleware, errorMiddleware, parseOrigins, type ErrorLogger } from 'koa-apigateway/route';

/** Adds some of the app's routes to `router` (e.g. `(router) => addTodoReadRoutes(router, todos)`). */
export type Mount = (router: Router) => unknown;

/** What every function of the app shares, whichever routes it mounts. */
export interface HttpOptions {
  logger?: ErrorLogger;
  /** Origins allowed to call from a browser; default: the `CORS_ORIGINS` environment (set by the stack). */
  corsOrigins?: readonly string[];
}

/**
 * Returns a Koa app serving the routes `mounts` add, in order, behind the middleware every function of the app
 * shares: CORS (when origins are configured), then the error middleware (JSON errors, logged once), then the
 * router and its 405/501 answers (`allowedMethods`). No side effects: nothing listens, nothing connects.
 * The whole app (service/app.ts `createApp`) and each function group's entry (service/functions/*.ts) are built
 * with it, so a group answers its routes exactly as the whole app does, and its bundle holds only what its
 * mounts import.
 */
export function composeApp(mounts: readonly Mount[], options: HttpOptions = {}): Koa {
  const app = new Koa();
  // Koa logs every error itself unless told otherwise; our error middleware already logged it.
  app.silent = true;
  const router = new Router();
  for (const mount of mounts) mount(router);

  const corsOrigins = options.corsOrigins ?? parseOrigins(process.env.CORS_ORIGINS);
  if (corsOrigins.length > 0) app.use(corsMiddleware(corsOrigins));
  app.use(errorMiddleware(options.logger));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
