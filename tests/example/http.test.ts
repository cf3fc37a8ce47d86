import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../service/app';
import { MemoryTodoRepository } from '../../service/todos/memory-repository';
import type { TodoRepository } from '../../service/todos/repository';
import { serve, type TestServer } from '../support/http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MISSING = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

let server: TestServer;
let logged: Array<{ message: string; details: Record<string, unknown> }>;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(server.url + path, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

beforeEach(async () => {
  logged = [];
  server = await serve(createApp({ logger: { error: (message, details) => logged.push({ message, details }) } }));
});
afterEach(async () => {
  await server.close();
});

describe('GET /health', () => {
  it('is 200 healthy with version and uptime', async () => {
    const res = await call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'healthy', version: expect.any(String), uptimeSeconds: expect.any(Number) });
  });
});

describe('the todo lifecycle', () => {
  it('creates, reads, lists, replaces, patches and deletes a todo', async () => {
    const created = await call('POST', '/api/v1/todos', { title: 'Test from API Gateway', priority: 'high' });
    expect(created.status).toBe(201);
    const todo = created.json;
    expect(todo).toMatchObject({ title: 'Test from API Gateway', description: null, priority: 'high', completed: false });
    expect(todo.id).toMatch(UUID);
    expect(todo.createdAt).toMatch(ISO);
    expect(todo.updatedAt).toBe(todo.createdAt);
    expect(created.headers.get('location')).toBe(`/api/v1/todos/${todo.id}`);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);

    expect((await call('GET', `/api/v1/todos/${todo.id}`)).json).toEqual(todo);
    expect((await call('GET', '/api/v1/todos')).json).toEqual({ items: [todo], nextCursor: null });

    const replaced = await call('PUT', `/api/v1/todos/${todo.id}`, { title: 'Replaced' });
    expect(replaced.status).toBe(200);
    // A full replace: fields not sent return to their defaults.
    expect(replaced.json).toMatchObject({ id: todo.id, title: 'Replaced', description: null, priority: 'medium', completed: false, createdAt: todo.createdAt });

    const patched = await call('PATCH', `/api/v1/todos/${todo.id}`, { completed: true, description: 'done' });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ title: 'Replaced', completed: true, description: 'done', priority: 'medium' });
    expect(patched.json.updatedAt >= replaced.json.updatedAt).toBe(true);

    const deleted = await call('DELETE', `/api/v1/todos/${todo.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await call('GET', `/api/v1/todos/${todo.id}`)).status).toBe(404);
  });

  it('applies the defaults of TodoCreate', async () => {
    const res = await call('POST', '/api/v1/todos', { title: 'x' });
    expect(res.json).toMatchObject({ priority: 'medium', completed: false, description: null });
  });

  it('clears a description with PATCH null', async () => {
    const { json: todo } = await call('POST', '/api/v1/todos', { title: 'x', description: 'd' });
    expect((await call('PATCH', `/api/v1/todos/${todo.id}`, { description: null })).json.description).toBeNull();
  });
});

describe('GET /api/v1/todos', () => {
  it('filters by completed and priority, and pages in a stable order with no gaps or repeats', async () => {
    const made = [];
    for (let i = 0; i < 7; i++) {
      made.push((await call('POST', '/api/v1/todos', { title: `t${i}`, priority: i % 2 ? 'high' : 'low', completed: i % 3 === 0 })).json);
    }
    expect((await call('GET', '/api/v1/todos?completed=true')).json.items.map((t: any) => t.title).sort()).toEqual(['t0', 't3', 't6']);
    expect((await call('GET', '/api/v1/todos?priority=high&completed=false')).json.items.map((t: any) => t.title).sort()).toEqual(['t1', 't5']);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await call('GET', `/api/v1/todos?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.json.items.map((t: any) => t.id));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect(seen.sort()).toEqual(made.map((t) => t.id).sort());
  });

  it('defaults limit to 20', async () => {
    for (let i = 0; i < 21; i++) await call('POST', '/api/v1/todos', { title: `t${i}` });
    const res = await call('GET', '/api/v1/todos');
    expect(res.json.items).toHaveLength(20);
    expect(res.json.nextCursor).toEqual(expect.any(String));
  });

  it.each([
    ['limit=0', '/limit'],
    ['limit=101', '/limit'],
    ['limit=abc', '/limit'],
    ['completed=maybe', '/completed'],
    ['priority=urgent', '/priority'],
    ['limit=1&limit=2', '/limit'],
    ['cursor=not-a-cursor', '/cursor'],
  ])('rejects ?%s with a 400 naming %s', async (qs, path) => {
    const res = await call('GET', `/api/v1/todos?${qs}`);
    expect(res.status).toBe(400);
    expect(res.json.errors).toContainEqual(expect.objectContaining({ path, in: 'query' }));
  });
});

describe('errors: one JSON shape, the right status', () => {
  it.each([
    ['a malformed id', 'GET', '/api/v1/todos/not-a-uuid', undefined, 400],
    ['an unknown id', 'GET', `/api/v1/todos/${MISSING}`, undefined, 404],
    ['PUT of an unknown id', 'PUT', `/api/v1/todos/${MISSING}`, { title: 'x' }, 404],
    ['PATCH of an unknown id', 'PATCH', `/api/v1/todos/${MISSING}`, { title: 'x' }, 404],
    ['DELETE of an unknown id', 'DELETE', `/api/v1/todos/${MISSING}`, undefined, 404],
    ['an unknown path', 'GET', '/nope', undefined, 404],
    ['an invalid body', 'POST', '/api/v1/todos', { title: '' }, 400],
    ['malformed JSON', 'POST', '/api/v1/todos', '{"title":', 400],
    ['an empty body', 'POST', '/api/v1/todos', '', 400],
    ['an empty PATCH', 'PATCH', `/api/v1/todos/${MISSING}`, {}, 400],
  ])('%s → %i', async (_name, method, path, body, status) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toEqual({ message: expect.any(String), ...(res.json.errors ? { errors: expect.any(Array) } : {}) });
  });

  it('names every failing body field', async () => {
    const res = await call('POST', '/api/v1/todos', { title: '', priority: 'urgent', owner: 'me' });
    expect(res.status).toBe(400);
    expect(res.json.message).toBe('Invalid request body');
    expect(res.json.errors.map((e: any) => e.path).sort()).toEqual(['/owner', '/priority', '/title']);
    expect(res.json.errors.every((e: any) => e.in === 'body' && typeof e.message === 'string')).toBe(true);
  });

  it('a malformed id is a 400 naming the id, not a 404', async () => {
    const res = await call('DELETE', '/api/v1/todos/123');
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ path: '/id', message: 'must match format "uuid"', in: 'path' }]);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])('a body of %s is 415', async (type) => {
    const res = await call('POST', '/api/v1/todos', '{"title":"x"}', { 'content-type': type });
    expect(res.status).toBe(415);
    expect(res.json.message).toMatch(/Unsupported Media Type/);
  });

  it('accepts JSON with a charset and +json types', async () => {
    expect((await call('POST', '/api/v1/todos', '{"title":"x"}', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
    expect((await call('POST', '/api/v1/todos', '{"title":"x"}', { 'content-type': 'application/merge-patch+json' })).status).toBe(201);
  });

  it('a body over 1 MB is 413', async () => {
    const res = await call('POST', '/api/v1/todos', JSON.stringify({ title: 'x', description: 'd'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.json.message).toMatch(/limit/);
  });

  it('a wrong method on a known path is 405 with Allow', async () => {
    const res = await call('DELETE', '/api/v1/todos');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
    expect(res.json).toEqual({ message: 'Method Not Allowed' });
  });

  it('rejected writes leave the store unchanged', async () => {
    const { json: todo } = await call('POST', '/api/v1/todos', { title: 'keep' });
    await call('POST', '/api/v1/todos', { title: 'x', bogus: true });
    await call('POST', '/api/v1/todos', '{"title":"x"', {});
    await call('PUT', `/api/v1/todos/${todo.id}`, { title: 'y', priority: 'nope' });
    await call('PATCH', `/api/v1/todos/${todo.id}`, { title: 'z', completed: 'yes' });
    const list = await call('GET', '/api/v1/todos');
    expect(list.json.items).toEqual([todo]);
  });
});

describe('an unexpected exception', () => {
  let failing: TestServer;
  beforeAll(async () => {
    const broken = new MemoryTodoRepository() as TodoRepository;
    broken.create = async () => {
      throw new Error('connection reset by db-host-42 (secret detail)');
    };
    failing = await serve(createApp({ repository: broken, logger: { error: (message, details) => logged.push({ message, details }) } }));
  });
  afterAll(async () => {
    await failing.close();
  });

  it('is a 500 with a generic message; the details are logged, not sent', async () => {
    const res = await fetch(`${failing.url}/api/v1/todos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"x"}' });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(text)).toEqual({ message: 'Internal server error' });
    expect(text).not.toContain('db-host-42');
    expect(res.headers.get('location')).toBeNull();
    expect(JSON.stringify(logged)).toContain('db-host-42');
  });
});

describe('methods the service has no route for', () => {
  it.each(['TRACE', 'PROPFIND'])('%s on a known path is a 405 with Allow, never a 5xx', async (method) => {
    // fetch refuses TRACE, so speak HTTP directly.
    const { request } = await import('node:http');
    const res = await new Promise<{ status: number; allow?: string; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/api/v1/todos`, { method }, (r) => {
        let body = '';
        r.on('data', (c) => (body += c));
        r.on('end', () => resolve({ status: r.statusCode!, allow: r.headers.allow, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(405);
    expect(res.allow).toContain('GET');
    expect(JSON.parse(res.body)).toEqual({ message: 'Method Not Allowed' });
  });
});

describe('CORS on the service\'s own responses (API Gateway adds none to proxy responses)', () => {
  let cors: TestServer;
  beforeAll(async () => {
    cors = await serve(createApp({ corsOrigins: ['https://app.example.com'] }));
  });
  afterAll(async () => {
    await cors.close();
  });

  it('allows a configured origin, on success and on errors', async () => {
    for (const path of ['/health', '/api/v1/todos/not-a-uuid']) {
      const res = await fetch(cors.url + path, { headers: { Origin: 'https://app.example.com' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(res.headers.get('vary')).toMatch(/Origin/);
      expect(res.headers.get('access-control-expose-headers')).toContain('Location');
    }
  });

  it('says nothing to an origin that is not configured, nor when CORS is off', async () => {
    const res = await fetch(`${cors.url}/health`, { headers: { Origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const plain = await fetch(`${server.url}/health`, { headers: { Origin: 'https://app.example.com' } });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });
});
