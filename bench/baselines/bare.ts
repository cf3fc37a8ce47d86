// The project's event types: a type-only import, erased from the bundle, so the floor stays framework- and code-free.
import type { ProxyEvent, ProxyResult } from '../../infra/src/lambda/proxy-event';
import { createTodoStore, SERVICE_VERSION, type TodoInput } from './todos';

/**
 * The floor: a hand-written API Gateway REST (payload 1.0) handler serving the same routes as the
 * service, with hand-written validation and the same `{"message","errors"}` error shape. No framework.
 */

interface FieldError {
  path: string;
  message: string;
  in: 'body' | 'query' | 'path';
}

const store = createTodoStore();
const startedAt = Date.now();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PRIORITIES = new Set(['low', 'medium', 'high']);
const TODO_PATH = /^\/api\/v1\/todos\/([^/]+)$/;

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): ProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
  isBase64Encoded: false,
});
const fail = (statusCode: number, message: string, errors?: FieldError[]) => json(statusCode, errors ? { message, errors } : { message });

/** Returns the field errors of a create/replace (`partial` false) or patch (`partial` true) body. */
function checkBody(value: unknown, partial: boolean): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ path: '', message: 'must be object', in: 'body' }];
  const body = value as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const key of Object.keys(body)) if (!['title', 'description', 'priority', 'completed'].includes(key)) errors.push({ path: `/${key}`, message: 'is not allowed', in: 'body' });
  if (body.title === undefined) {
    if (!partial) errors.push({ path: '/title', message: 'is required', in: 'body' });
  } else if (typeof body.title !== 'string' || body.title.length < 1 || body.title.length > 200) {
    errors.push({ path: '/title', message: 'must be a string of 1 to 200 characters', in: 'body' });
  }
  const nullable = partial && body.description === null;
  if (body.description !== undefined && !nullable && (typeof body.description !== 'string' || body.description.length > 1000)) {
    errors.push({ path: '/description', message: 'must be a string of at most 1000 characters', in: 'body' });
  }
  if (body.priority !== undefined && !PRIORITIES.has(body.priority as string)) errors.push({ path: '/priority', message: 'must be one of: low, medium, high', in: 'body' });
  if (body.completed !== undefined && typeof body.completed !== 'boolean') errors.push({ path: '/completed', message: 'must be boolean', in: 'body' });
  if (partial && Object.keys(body).length === 0) errors.push({ path: '', message: 'must have at least 1 property', in: 'body' });
  return errors;
}

function readBody(event: ProxyEvent): { value?: unknown; error?: ProxyResult } {
  const text = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
  if (text.trim() === '') return { error: fail(400, 'Request body is required', [{ path: '', message: 'is required', in: 'body' }]) };
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: fail(400, 'Malformed JSON in request body', [{ path: '', message: (err as Error).message, in: 'body' }]) };
  }
}

function listTodos(query: Record<string, string>): ProxyResult {
  const errors: FieldError[] = [];
  const limit = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) errors.push({ path: '/limit', message: 'must be an integer from 1 to 100', in: 'query' });
  if (query.completed !== undefined && query.completed !== 'true' && query.completed !== 'false') errors.push({ path: '/completed', message: 'must be boolean', in: 'query' });
  if (query.priority !== undefined && !PRIORITIES.has(query.priority)) errors.push({ path: '/priority', message: 'must be one of: low, medium, high', in: 'query' });
  if (errors.length > 0) return fail(400, 'Invalid request parameters', errors);
  const completed = query.completed === undefined ? undefined : query.completed === 'true';
  return json(200, store.list({ completed, priority: query.priority }, limit));
}

function serveTodo(event: ProxyEvent, id: string): ProxyResult {
  if (!UUID.test(id)) return fail(400, 'Invalid request parameters', [{ path: '/id', message: 'must match format "uuid"', in: 'path' }]);
  const method = event.httpMethod;
  if (method === 'GET') {
    const todo = store.get(id);
    return todo ? json(200, todo) : fail(404, `Todo ${id} not found`);
  }
  if (method === 'DELETE') return store.delete(id) ? { statusCode: 204, headers: {}, body: '', isBase64Encoded: false } : fail(404, `Todo ${id} not found`);
  if (method !== 'PUT' && method !== 'PATCH') return fail(405, 'Method Not Allowed');
  const { value, error } = readBody(event);
  if (error) return error;
  const errors = checkBody(value, method === 'PATCH');
  if (errors.length > 0) return fail(400, 'Invalid request body', errors);
  const todo = store.update(id, value as TodoInput, method === 'PUT');
  return todo ? json(200, todo) : fail(404, `Todo ${id} not found`);
}

/** The Lambda entry. */
export async function handler(event: ProxyEvent): Promise<ProxyResult> {
  const { httpMethod: method, path } = event;
  if (path === '/health') {
    if (method !== 'GET') return fail(405, 'Method Not Allowed');
    return json(200, { status: 'healthy', version: SERVICE_VERSION, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  }
  if (path === '/api/v1/todos') {
    if (method === 'GET') return listTodos(event.queryStringParameters ?? {});
    if (method !== 'POST') return fail(405, 'Method Not Allowed');
    const { value, error } = readBody(event);
    if (error) return error;
    const errors = checkBody(value, false);
    if (errors.length > 0) return fail(400, 'Invalid request body', errors);
    const todo = store.create(value as TodoInput);
    return json(201, todo, { location: `/api/v1/todos/${todo.id}` });
  }
  const match = TODO_PATH.exec(path);
  if (match) return serveTodo(event, decodeURIComponent(match[1]!));
  return fail(404, 'Not Found');
}
