import type Router from '@koa/router';
import { addRoute } from '../http/route';
import type { TodoService } from './service';
import { ErrorResponse, ListTodosQuery, TodoCreate, TodoIdParams, Todo, TodoList, TodoPatch, TodoReplace } from './schemas';

const errors = { 400: ErrorResponse, 404: ErrorResponse };

/** Adds the todo API, under `/api/v1/todos`, to `router`, and returns it. */
export function addTodoRoutes(router: Router, todos: TodoService): Router {
  addRoute(
    router,
    { method: 'GET', path: '/api/v1/todos', operationId: 'listTodos', summary: 'List todos', tags: ['todos'], query: ListTodosQuery, responses: { 200: TodoList, 400: ErrorResponse } },
    async (ctx, { query }) => {
      const { limit = 20, cursor, completed, priority } = query;
      ctx.body = await todos.list({ completed, priority }, { limit, cursor });
    },
  );

  addRoute(
    router,
    { method: 'POST', path: '/api/v1/todos', operationId: 'createTodo', summary: 'Create a todo', tags: ['todos'], body: TodoCreate, responses: { 201: Todo, 400: ErrorResponse } },
    async (ctx, { body }) => {
      const todo = await todos.create(body);
      ctx.status = 201;
      // Behind API Gateway the public path starts with the stage (`/dev/api/v1/todos`): use it when known.
      const publicPath = (ctx.req as { requestContext?: { path?: string } }).requestContext?.path ?? ctx.path;
      ctx.set('Location', `${publicPath.replace(/\/+$/, '')}/${todo.id}`);
      ctx.body = todo;
    },
  );

  addRoute(
    router,
    { method: 'GET', path: '/api/v1/todos/:id', operationId: 'getTodo', summary: 'Get a todo', tags: ['todos'], params: TodoIdParams, responses: { 200: Todo, ...errors } },
    async (ctx, { params }) => {
      ctx.body = await todos.get(params.id);
    },
  );

  addRoute(
    router,
    { method: 'PUT', path: '/api/v1/todos/:id', operationId: 'replaceTodo', summary: 'Replace a todo', tags: ['todos'], params: TodoIdParams, body: TodoReplace, responses: { 200: Todo, ...errors } },
    async (ctx, { params, body }) => {
      ctx.body = await todos.replace(params.id, body);
    },
  );

  addRoute(
    router,
    { method: 'PATCH', path: '/api/v1/todos/:id', operationId: 'updateTodo', summary: 'Update some fields of a todo', tags: ['todos'], params: TodoIdParams, body: TodoPatch, responses: { 200: Todo, ...errors } },
    async (ctx, { params, body }) => {
      ctx.body = await todos.patch(params.id, body);
    },
  );

  addRoute(
    router,
    { method: 'DELETE', path: '/api/v1/todos/:id', operationId: 'deleteTodo', summary: 'Delete a todo', tags: ['todos'], params: TodoIdParams, responses: { 204: null, ...errors } },
    async (ctx, { params }) => {
      await todos.delete(params.id);
      ctx.status = 204;
    },
  );

  return router;
}
