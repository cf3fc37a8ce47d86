import type { Middleware } from 'koa';

/** Returns the origins in a comma-separated setting (`CORS_ORIGINS`), trimmed, empty ones dropped. */
export function parseOrigins(value: string | undefined): string[] {
  return (value ?? '').split(',').map((o) => o.trim()).filter(Boolean);
}

/**
 * Returns middleware adding CORS headers to the service's own responses, errors included.
 * API Gateway adds none to Lambda proxy responses (it answers the OPTIONS preflight itself), so
 * without this a browser on an allowed origin would get the preflight right and then be refused.
 */
export function corsMiddleware(origins: readonly string[]): Middleware {
  const any = origins.includes('*');
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      const origin = ctx.get('Origin');
      if (any) ctx.set('Access-Control-Allow-Origin', '*');
      else if (origin && origins.includes(origin)) {
        ctx.set('Access-Control-Allow-Origin', origin);
        ctx.vary('Origin');
      }
      if (any || (origin && origins.includes(origin))) ctx.set('Access-Control-Expose-Headers', 'Location, ETag');
    }
  };
}
