import type Router from '@koa/router';
import { addRoute, type TokenClaims } from '../http/route';
import { ErrorResponse } from '../todos/schemas';
import { Caller } from './schemas';

/** Returns the caller as the `Caller` schema describes it, from the token's claims. */
export function callerOf(claims: TokenClaims) {
  const username = claims['cognito:username'] ?? claims.username;
  const clientId = claims.aud ?? claims.client_id;
  return {
    sub: claims.sub ?? '',
    ...(username !== undefined ? { username } : {}),
    ...(claims.email !== undefined ? { email: claims.email } : {}),
    tokenUse: claims.token_use ?? '',
    scopes: (claims.scope ?? '').split(' ').filter(Boolean),
    ...(clientId !== undefined ? { clientId } : {}),
  };
}

/**
 * Adds `GET /api/v1/me`: a route that requires a user pool token AND the API key (so the usage plan still
 * meters the caller), and answers with who the caller is, read from the token's claims in `ctx.state.claims`.
 */
export function addAccountRoutes(router: Router): Router {
  addRoute(
    router,
    {
      method: 'GET',
      path: '/api/v1/me',
      operationId: 'getCaller',
      summary: 'Who am I (requires a user pool ID token and the API key)',
      tags: ['account'],
      auth: { userPool: {}, apiKey: true },
      responses: { 200: Caller, 401: ErrorResponse },
    },
    (ctx) => {
      ctx.body = callerOf(ctx.state.claims as TokenClaims);
    },
  );
  return router;
}
