import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { handle } from 'hono/aws-lambda';
import { z } from 'zod';
import { createTodoStore, SERVICE_VERSION } from './todos';

/**
 * The peer stack: Hono (`hono/aws-lambda`) with zod validators, serving the same todo API with the
 * same `{"message","errors"}` error shape. Bundled with the service's own esbuild options.
 */

type Location = 'body' | 'query' | 'path';

const Priority = z.enum(['low', 'medium', 'high']);
const Title = z.string().min(1).max(200);
const Description = z.string().max(1000);
const TodoCreate = z.strictObject({ title: Title, description: Description.optional(), priority: Priority.default('medium'), completed: z.boolean().default(false) });
const TodoPatch = z
  .strictObject({ title: Title.optional(), description: Description.nullable().optional(), priority: Priority.optional(), completed: z.boolean().optional() })
  .refine((value) => Object.keys(value).length > 0, 'must have at least 1 property');
const TodoIdParams = z.object({ id: z.uuid() });
const ListTodosQuery = z.object({
  completed: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  priority: Priority.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(1024).optional(),
});

/** Renders zod's issues as our error body, naming each field. */
const onInvalid =
  (location: Location, message: string) =>
  (result: { success: true } | { success: false; error: { issues: z.core.$ZodIssue[] } }, c: Context) => {
    if (result.success) return undefined;
    const errors = result.error.issues.map((issue) => ({ path: issue.path.length ? `/${issue.path.join('/')}` : '', message: issue.message, in: location }));
    return c.json({ message, errors }, 400);
  };

const store = createTodoStore();
const startedAt = Date.now();
const app = new Hono();
const notFound = (c: Context, id: string) => c.json({ message: `Todo ${id} not found` }, 404);

app.get('/health', (c) => c.json({ status: 'healthy', version: SERVICE_VERSION, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }));
app.get('/api/v1/todos', zValidator('query', ListTodosQuery, onInvalid('query', 'Invalid request parameters')), (c) => {
  const { completed, priority, limit } = c.req.valid('query');
  return c.json(store.list({ completed, priority }, limit));
});
app.post('/api/v1/todos', zValidator('json', TodoCreate, onInvalid('body', 'Invalid request body')), (c) => {
  const todo = store.create(c.req.valid('json'));
  c.header('location', `/api/v1/todos/${todo.id}`);
  return c.json(todo, 201);
});
app.get('/api/v1/todos/:id', zValidator('param', TodoIdParams, onInvalid('path', 'Invalid request parameters')), (c) => {
  const { id } = c.req.valid('param');
  const todo = store.get(id);
  return todo ? c.json(todo) : notFound(c, id);
});
app.put('/api/v1/todos/:id', zValidator('param', TodoIdParams, onInvalid('path', 'Invalid request parameters')), zValidator('json', TodoCreate, onInvalid('body', 'Invalid request body')), (c) => {
  const { id } = c.req.valid('param');
  const todo = store.update(id, c.req.valid('json'), true);
  return todo ? c.json(todo) : notFound(c, id);
});
app.patch('/api/v1/todos/:id', zValidator('param', TodoIdParams, onInvalid('path', 'Invalid request parameters')), zValidator('json', TodoPatch, onInvalid('body', 'Invalid request body')), (c) => {
  const { id } = c.req.valid('param');
  const todo = store.update(id, c.req.valid('json'), false);
  return todo ? c.json(todo) : notFound(c, id);
});
app.delete('/api/v1/todos/:id', zValidator('param', TodoIdParams, onInvalid('path', 'Invalid request parameters')), (c) => {
  const { id } = c.req.valid('param');
  return store.delete(id) ? c.body(null, 204) : notFound(c, id);
});
app.notFound((c) => c.json({ message: 'Not Found' }, 404));
app.onError((err, c) => {
  if (err instanceof SyntaxError) return c.json({ message: 'Malformed JSON in request body', errors: [{ path: '', message: err.message, in: 'body' }] }, 400);
  console.error(JSON.stringify({ level: 'error', message: 'Unhandled error', error: String(err) }));
  return c.json({ message: 'Internal server error' }, 500);
});

/** The Lambda entry. */
export const handler = handle(app);
