import type { Middleware } from 'koa';
import type { ErrorBody } from './error-shape';
import { HttpError, STATUS_MESSAGES } from './http-error';
import { mapStackTrace } from './stack-trace';

/** Where unexpected errors are reported. Only the error and request line: never bodies or headers. */
export interface ErrorLogger {
  error(message: string, details: Record<string, unknown>): void;
}

/** Logs one JSON line to stderr, which Lambda sends to CloudWatch. */
export const consoleLogger: ErrorLogger = {
  error(message, details) {
    console.error(JSON.stringify({ level: 'error', message, ...details }));
  },
};

/**
 * Returns the middleware that renders every error as `{"message", "errors"?}` JSON:
 * HttpErrors as they are, Koa/router errors with their status, anything else as a generic 500
 * whose details are logged, not sent. Empty 4xx/5xx responses (no route: 404, wrong method: 405)
 * get the same shape.
 */
export function errorMiddleware(logger: ErrorLogger = consoleLogger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const status = statusOf(err);
      if (err instanceof HttpError) {
        send(ctx, status, err.toBody(), err.headers);
      } else if (status < 500 && isExposed(err)) {
        send(ctx, status, { message: (err as Error).message || STATUS_MESSAGES[status] || 'Error' });
      } else {
        // Headers a handler set before failing (Location, ETag...) must not leak into the 500.
        for (const name of ctx.res.getHeaderNames()) ctx.res.removeHeader(name);
        logger.error('Unhandled error', {
          method: ctx.method,
          path: ctx.path,
          requestId: requestIdOf(ctx),
          error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack && mapStackTrace(err.stack) } : String(err),
        });
        send(ctx, 500, { message: STATUS_MESSAGES[500]! });
      }
      return;
    }
    // @koa/router answers 501 for a method it has no route for anywhere (TRACE, FOO). For the client
    // that is the same mistake as any other: 405 with `Allow` on a path that exists, else 404.
    if (ctx.status === 501 && ctx.body == null) ctx.status = ctx.response.get('Allow') ? 405 : 404;
    if (ctx.status >= 400 && (ctx.body === undefined || ctx.body === null)) {
      send(ctx, ctx.status, { message: STATUS_MESSAGES[ctx.status] ?? 'Error' });
    }
  };
}

function send(ctx: Parameters<Middleware>[0], status: number, body: ErrorBody, headers?: Record<string, string>): void {
  ctx.status = status;
  if (headers) ctx.set(headers);
  ctx.type = 'application/json';
  ctx.body = body;
}

function statusOf(err: unknown): number {
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
}

function isExposed(err: unknown): boolean {
  return (err as { expose?: unknown } | null)?.expose === true;
}

function requestIdOf(ctx: Parameters<Middleware>[0]): string | undefined {
  const fromEvent = (ctx.req as { requestContext?: { requestId?: string } }).requestContext?.requestId;
  return fromEvent ?? (ctx.get('x-amzn-requestid') || undefined);
}
