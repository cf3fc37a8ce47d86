import type Router from '@koa/router';
import type { Context } from 'koa';
import { addRoute, HttpError } from 'koa-apigateway/route';
import { formatETag } from './etag';
import { withoutVersion, type VersionedTodo } from './repository';
import type { TodoService } from './service';
import { CreateTodoHeaders, ErrorResponse, IfMatchHeaders, ListTodosQuery, TodoCreate, TodoIdParams, Todo, TodoList, TodoPatch, TodoReplace } from './schemas';

const errors = { 400: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse };
/** Writes that honour If-Match also answer 412 when the todo changed since the client read it. */
const writeErrors = { ...errors, 412: ErrorResponse };

/** Sends the todo as the body and its version as the ETag. */
function sendTodo(ctx: Context, todo: VersionedTodo): void {
  ctx.set('ETag', formatETag(todo.version));
  ctx.body = withoutVersion(todo);
}

/**
 * Adds the todo API's reads, `GET /api/v1/todos` and `GET /api/v1/todos/:id`, to `router`, and returns it. They only
 * read (`list`, `get`), so the function serving them needs read rights on the table only (service/infra/storage.ts
 * `readPolicy`).
 */
export function addTodoReadRoutes(router: Router, todos: Pick<TodoService, 'list' | 'get'>): Router {
  addRoute(
    router,
    { method: 'GET', path: '/api/v1/todos', operationId: 'listTodos', summary: 'List todos', tags: ['todos'], query: ListTodosQuery, responses: { 200: TodoList, 400: ErrorResponse, 503: ErrorResponse } },
    async (ctx, { query }) => {
      const { limit = 20, cursor, completed, priority } = query;
      ctx.body = await todos.list({ completed, priority }, { limit, cursor });
    },
  );

  addRoute(
    router,
    { method: 'GET', path: '/api/v1/todos/:id', operationId: 'getTodo', summary: 'Get a todo', tags: ['todos'], params: TodoIdParams, responses: { 200: Todo, ...errors } },
    async (ctx, { params }) => {
      sendTodo(ctx, await todos.get(params.id));
    },
  );

  return router;
}

/**
 * Adds the todo API's writes, `POST /api/v1/todos` and `PUT`/`PATCH`/`DELETE /api/v1/todos/:id`, to `router`, and
 * returns it. Besides writing they read the todo they change (If-Match, read-modify-write, idempotent create):
 * service/infra/storage.ts `writePolicy`.
 */
export function addTodoWriteRoutes(router: Router, todos: TodoService): Router {
  addRoute(
    router,
    { method: 'POST', path: '/api/v1/todos', operationId: 'createTodo', summary: 'Create a todo', tags: ['todos'], headers: CreateTodoHeaders, body: TodoCreate, responses: { 201: Todo, 400: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse } },
    async (ctx, { headers, body }) => {
      const key = headers['idempotency-key'];
      // Two Idempotency-Key lines arrive joined by ", " (one list, RFC 9110 section 5.3): taken as one key, a retry
      // sending only one of them would create a second todo. One key per request, without a comma.
      if (key?.includes(',')) throw new HttpError(400, 'Invalid request headers', { errors: [{ path: '/idempotency-key', message: 'must be one key: it was sent on two lines, or holds a comma', in: 'header' }] });
      const { todo, replayed } = key === undefined ? { todo: await todos.create(body), replayed: false } : await todos.createOnce(body, key);
      ctx.status = 201;
      // Stripe's name for a replayed answer; the draft leaves the replay's marking to the server.
      if (replayed) ctx.set('Idempotent-Replayed', 'true');
      // Behind API Gateway the public path starts with the stage (`/dev/api/v1/todos`): use it when known.
      const publicPath = (ctx.req as { requestContext?: { path?: string } }).requestContext?.path ?? ctx.path;
      ctx.set('Location', `${publicPath.replace(/\/+$/, '')}/${todo.id}`);
      sendTodo(ctx, todo);
    },
  );

  addRoute(
    router,
    { method: 'PUT', path: '/api/v1/todos/:id', operationId: 'replaceTodo', summary: 'Replace a todo', tags: ['todos'], params: TodoIdParams, headers: IfMatchHeaders, body: TodoReplace, responses: { 200: Todo, ...writeErrors } },
    async (ctx, { params, headers, body }) => {
      sendTodo(ctx, await todos.replace(params.id, body, { ifMatch: headers['if-match'] }));
    },
  );

  addRoute(
    router,
    { method: 'PATCH', path: '/api/v1/todos/:id', operationId: 'updateTodo', summary: 'Update some fields of a todo', tags: ['todos'], params: TodoIdParams, headers: IfMatchHeaders, body: TodoPatch, responses: { 200: Todo, ...writeErrors } },
    async (ctx, { params, headers, body }) => {
      sendTodo(ctx, await todos.patch(params.id, body, { ifMatch: headers['if-match'] }));
    },
  );

  addRoute(
    router,
    { method: 'DELETE', path: '/api/v1/todos/:id', operationId: 'deleteTodo', summary: 'Delete a todo', tags: ['todos'], params: TodoIdParams, headers: IfMatchHeaders, responses: { 204: null, ...writeErrors } },
    async (ctx, { params, headers }) => {
      await todos.delete(params.id, { ifMatch: headers['if-match'] });
      ctx.status = 204;
    },
  );

  return router;
}

/** Adds the whole todo API, under `/api/v1/todos` (its reads, then its writes), to `router`, and returns it. */
export function addTodoRoutes(router: Router, todos: TodoService): Router {
  addTodoReadRoutes(router, todos);
  return addTodoWriteRoutes(router, todos);
}
