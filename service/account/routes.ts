import type Router from '@koa/router';
import { addRoute, type TokenClaims } from 'koa-apigateway/route';
import { ErrorResponse, ListTodosQuery, TodoList } from '../todos/schemas';
import type { TodoService } from '../todos/service';
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
 * The scopes that let a token read todos without the API key: `todos/read` (a custom scope of the `todos`
 * resource server the stack creates; `npm run token -- --scope todos/read` locally), or
 * `aws.cognito.signin.user.admin`, the one scope the access token of a user signed in with
 * `aws cognito-idp initiate-auth` carries (Cognito developer guide, "Understanding the access token"), so the
 * route is usable deployed without an OAuth domain. API Gateway accepts a token with at least one of them
 * (developer guide, "Integrate a REST API with an Amazon Cognito user pool"). docs/auth.md.
 */
export const READ_TODOS_SCOPES = ['todos/read', 'aws.cognito.signin.user.admin'];

/**
 * Adds the routes that need a user pool token: `GET /api/v1/me`, which requires an ID token AND the API key
 * (so the usage plan still meters the caller) and answers with who the caller is, read from the token's
 * claims in `ctx.state.claims`; and `GET /api/v1/reader/todos`, a read-only list of the todos (as
 * `GET /api/v1/todos`, same query) for an access token with one of READ_TODOS_SCOPES, without the key.
 */
export function addAccountRoutes(router: Router, todos: Pick<TodoService, 'list'>): Router {
  addRoute(
    router,
    {
      method: 'GET',
      path: '/api/v1/reader/todos',
      operationId: 'listTodosWithToken',
      summary: 'List todos with an access token (scope todos/read or aws.cognito.signin.user.admin), no API key',
      tags: ['account'],
      auth: { userPool: { scopes: READ_TODOS_SCOPES } },
      query: ListTodosQuery,
      responses: { 200: TodoList, 400: ErrorResponse, 401: ErrorResponse, 503: ErrorResponse },
    },
    async (ctx, { query }) => {
      const { limit = 20, cursor, completed, priority } = query;
      ctx.body = await todos.list({ completed, priority }, { limit, cursor });
    },
  );
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
