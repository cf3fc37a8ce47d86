import type Router from '@koa/router';
import type { Context } from 'koa';
import { addRoute, HttpError } from 'koa-apigateway/route';
import { formatETag } from './etag';
import { withoutVersion, type TodoFilter, type VersionedTodo } from './repository';
import type { TodoService } from './service';
import { todosCsv, EXPORT_PAGE_SIZE } from './csv';
import {
  ATTACHMENT_LIMIT_BYTES,
  ATTACHMENT_MEDIA_TYPES,
  AttachmentQuery,
  CreateTodoHeaders,
  ErrorResponse,
  ExportTodosQuery,
  IfMatchHeaders,
  ListTodosQuery,
  TodoCreate,
  TodoCsv,
  TodoIdParams,
  Todo,
  TodoList,
  TodoPatch,
  TodoReplace,
} from './schemas';

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

/**
 * Returns a Content-Disposition for a download of `name` (RFC 6266 section 4.1): `attachment`, the name in `filename`
 * as ASCII (other characters, quotes and backslashes as `_`) for old clients, and exactly in `filename*` (RFC 8187
 * section 3.2: UTF-8, percent-encoded), which clients that know it prefer (RFC 6266 section 4.3).
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Adds the attachment's download, `GET /api/v1/todos/:id/attachment`, to `router`, and returns it: the exact bytes
 * uploaded, with the media type they were uploaded with and a Content-Disposition naming the file. A read (`get` and
 * the bytes' GetItem): the `read` group's rights.
 */
export function addAttachmentReadRoutes(router: Router, todos: Pick<TodoService, 'attachment'>): Router {
  addRoute(
    router,
    {
      method: 'GET',
      path: '/api/v1/todos/:id/attachment',
      operationId: 'getTodoAttachment',
      summary: 'Download the attachment of a todo',
      tags: ['todos'],
      params: TodoIdParams,
      binary: { responses: { 200: ATTACHMENT_MEDIA_TYPES } },
      responses: errors,
    },
    async (ctx, { params }) => {
      const { attachment, bytes } = await todos.attachment(params.id);
      ctx.type = attachment.mediaType;
      ctx.set('Content-Disposition', contentDisposition(attachment.name));
      ctx.set('ETag', `"${attachment.sha256}"`);
      ctx.body = bytes;
    },
  );
  return router;
}

/**
 * Adds the attachment's upload and removal, `PUT` and `DELETE /api/v1/todos/:id/attachment`, to `router`, and
 * returns it. The upload's body is the file (one of ATTACHMENT_MEDIA_TYPES, else 415; at most ATTACHMENT_LIMIT_BYTES,
 * else 413), its `filename` query parameter the name kept. Both answer the todo. Writes: the `write` group's rights.
 */
export function addAttachmentWriteRoutes(router: Router, todos: Pick<TodoService, 'attach' | 'detach'>): Router {
  addRoute(
    router,
    {
      method: 'PUT',
      path: '/api/v1/todos/:id/attachment',
      operationId: 'putTodoAttachment',
      summary: 'Attach a file to a todo (replacing its attachment)',
      tags: ['todos'],
      params: TodoIdParams,
      query: AttachmentQuery,
      headers: IfMatchHeaders,
      binary: { requestBody: ATTACHMENT_MEDIA_TYPES },
      bodyLimit: ATTACHMENT_LIMIT_BYTES,
      responses: { 200: Todo, ...writeErrors, 413: ErrorResponse, 415: ErrorResponse },
    },
    async (ctx, { params, query, headers, body }) => {
      const bytes = body as unknown as Buffer;
      const mediaType = ctx.request.type.toLowerCase();
      sendTodo(ctx, await todos.attach(params.id, { name: query.filename ?? 'attachment', mediaType, bytes }, { ifMatch: headers['if-match'] }));
    },
  );

  addRoute(
    router,
    {
      method: 'DELETE',
      path: '/api/v1/todos/:id/attachment',
      operationId: 'deleteTodoAttachment',
      summary: 'Remove the attachment of a todo',
      tags: ['todos'],
      params: TodoIdParams,
      headers: IfMatchHeaders,
      responses: { 200: Todo, ...writeErrors },
    },
    async (ctx, { params, headers }) => {
      sendTodo(ctx, await todos.detach(params.id, { ifMatch: headers['if-match'] }));
    },
  );
  return router;
}

/**
 * Adds the CSV export, `GET /api/v1/todos.csv`, to `router`, and returns it: every todo matching the filters as RFC
 * 4180 CSV (`text/csv; charset=utf-8`, a Content-Disposition naming `todos.csv`), a stream read from the store a
 * page at a time (csv.ts). A read (Query on the list index): its own function group, `export`.
 */
export function addTodoExportRoutes(router: Router, todos: Pick<TodoService, 'list'>): Router {
  addRoute(
    router,
    {
      method: 'GET',
      path: '/api/v1/todos.csv',
      operationId: 'exportTodos',
      summary: 'Export todos as CSV',
      tags: ['todos'],
      query: ExportTodosQuery,
      responses: { 200: TodoCsv, 400: ErrorResponse, 503: ErrorResponse },
    },
    async (ctx, { query }) => {
      const filter: TodoFilter = { completed: query.completed, priority: query.priority };
      const list = (f: TodoFilter, page: { limit: number; cursor?: string }) => todos.list(f, page);
      const first = await list(filter, { limit: EXPORT_PAGE_SIZE });
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', contentDisposition('todos.csv'));
      ctx.body = todosCsv(first, list, filter);
    },
  );
  return router;
}

/** Adds the whole todo API, under `/api/v1/todos` (the export, the reads, then the writes), to `router`, and returns it. */
export function addTodoRoutes(router: Router, todos: TodoService): Router {
  addTodoExportRoutes(router, todos);
  addTodoReadRoutes(router, todos);
  addAttachmentReadRoutes(router, todos);
  addTodoWriteRoutes(router, todos);
  return addAttachmentWriteRoutes(router, todos);
}
