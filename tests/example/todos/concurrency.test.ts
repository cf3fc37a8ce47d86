import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoBackend } from './support/backends';
import { serveApp, type TestApi } from './support/http';

/**
 * Many Lambda instances share one table: these run real concurrent HTTP requests through the app
 * against dynalite, so every interleaving the store allows can happen.
 */
describe('concurrent clients on DynamoDB (dynalite)', () => {
  const backend = dynamoBackend();
  let api: TestApi;
  beforeAll(() => backend.start());
  afterAll(async () => {
    await api?.close();
    await backend.stop();
  });
  const freshApi = async () => {
    await api?.close();
    api = await serveApp(await backend.fresh());
  };

  it('200 concurrent creates store exactly 200 todos, each listed once', async () => {
    await freshApi();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => api.call('POST', '/api/v1/todos', { body: { title: `t${i}` } })));
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(201));
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api.call('GET', `/api/v1/todos?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.json.items.map((t: { id: string }) => t.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(ids.length).toBe(200);
    expect(new Set(ids)).toEqual(new Set(results.map((r) => r.json.id)));
  });

  it('20 concurrent updates with the same ETag: exactly one 200, the rest 412, and the winner is what is stored', async () => {
    await freshApi();
    const { json: todo } = await api.call('POST', '/api/v1/todos', { body: { title: 'contended' } });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.call('PATCH', `/api/v1/todos/${todo.id}`, { body: { title: `writer ${i}` }, headers: { 'if-match': '"1"' } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(412)]);
    const winner = results.find((r) => r.status === 200)!;
    const stored = await api.call('GET', `/api/v1/todos/${todo.id}`);
    expect(stored.json).toEqual(winner.json);
    expect(stored.headers.get('etag')).toBe('"2"');
  });

  it('concurrent PATCHes of different fields without If-Match all apply: nothing is lost', async () => {
    await freshApi();
    const { json: todo } = await api.call('POST', '/api/v1/todos', { body: { title: 'a' } });
    const patches = [{ title: 'b' }, { description: 'd' }, { priority: 'high' }, { completed: true }];
    const results = await Promise.all(patches.map((body) => api.call('PATCH', `/api/v1/todos/${todo.id}`, { body })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const stored = await api.call('GET', `/api/v1/todos/${todo.id}`);
    expect(stored.json).toMatchObject({ title: 'b', description: 'd', priority: 'high', completed: true });
    expect(stored.headers.get('etag')).toBe('"5"');
  });
});
