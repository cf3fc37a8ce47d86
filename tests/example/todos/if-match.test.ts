import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends } from './support/backends';
import { serveApp, type TestApi } from './support/http';

describe.each(backends())('over HTTP with the $name repository, todos carry an ETag and writes honour If-Match', (backend) => {
  let api: TestApi;
  let id: string;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    await api?.close();
    api = await serveApp(await backend.fresh());
    const created = await api.call('POST', '/api/v1/todos', { body: { title: 'a' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    id = created.json.id;
  });
  afterAll(() => api?.close());

  it('GET sends the ETag of the current version and no version in the body', async () => {
    const res = await api.call('GET', `/api/v1/todos/${id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.json).not.toHaveProperty('version');
  });

  it.each(['PUT', 'PATCH'])('%s with the current ETag writes and returns the next ETag', async (method) => {
    const res = await api.call(method, `/api/v1/todos/${id}`, { body: { title: 'b' }, headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.json.title).toBe('b');
  });

  it.each(['PUT', 'PATCH'])('%s with a stale ETag is a 412 in the error shape, naming the header, and changes nothing', async (method) => {
    await api.call('PATCH', `/api/v1/todos/${id}`, { body: { title: 'first' } });
    const res = await api.call(method, `/api/v1/todos/${id}`, { body: { title: 'second' }, headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(412);
    expect(res.json).toEqual({ message: expect.stringContaining('Precondition Failed'), errors: [{ path: '/if-match', message: expect.stringContaining('"2"'), in: 'header' }] });
    expect(res.headers.get('etag')).toBe('"2"');
    const now = await api.call('GET', `/api/v1/todos/${id}`);
    expect(now.json.title).toBe('first');
    expect(now.headers.get('etag')).toBe('"2"');
  });

  it.each([
    ['*', 200],
    ['"7", "1"', 200],
    ['W/"1"', 412],
    ['1', 412],
    ['"01"', 412],
  ])('If-Match: %s → %i', async (ifMatch, status) => {
    const res = await api.call('PATCH', `/api/v1/todos/${id}`, { body: { completed: true }, headers: { 'if-match': ifMatch } });
    expect(res.status).toBe(status);
  });

  it('writes without If-Match still apply (and still bump the ETag)', async () => {
    const res = await api.call('PUT', `/api/v1/todos/${id}`, { body: { title: 'c' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
  });

  it('DELETE with a stale ETag is a 412 and keeps the todo; with the current one it deletes', async () => {
    await api.call('PATCH', `/api/v1/todos/${id}`, { body: { title: 'v2' } });
    const stale = await api.call('DELETE', `/api/v1/todos/${id}`, { headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect((await api.call('GET', `/api/v1/todos/${id}`)).status).toBe(200);
    const current = await api.call('DELETE', `/api/v1/todos/${id}`, { headers: { 'if-match': '"2"' } });
    expect(current.status).toBe(204);
    expect((await api.call('GET', `/api/v1/todos/${id}`)).status).toBe(404);
  });

  it('DELETE with If-Match: * deletes an existing todo and is a 404 for a missing one', async () => {
    expect((await api.call('DELETE', `/api/v1/todos/${id}`, { headers: { 'if-match': '*' } })).status).toBe(204);
    expect((await api.call('DELETE', `/api/v1/todos/${id}`, { headers: { 'if-match': '*' } })).status).toBe(404);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('%s of an unknown todo with If-Match is a 404, not a 412', async (method) => {
    const res = await api.call(method, '/api/v1/todos/00000000-0000-4000-8000-00000000dead', {
      ...(method !== 'DELETE' && { body: { title: 'x' } }),
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ message: 'Todo 00000000-0000-4000-8000-00000000dead not found' });
  });

  it('a forged cursor is a 400 naming cursor', async () => {
    const res = await api.call('GET', '/api/v1/todos?cursor=Zm9yZ2Vk');
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ path: '/cursor', message: 'is not a cursor issued by this API', in: 'query' }]);
  });
});
