import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from '../../../service/infra/local-dynamo';
import { DynamoTodoRepository } from '../../../service/todos/dynamo-repository';
import { MemoryTodoRepository } from '../../../service/todos/memory-repository';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy';
import { serveApp, type TestApi } from './support/http';

/**
 * POST /api/v1/todos with an Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a create answered 503
 * may have been applied (the write reached DynamoDB, its answer did not come back); the client's retry with the
 * same key gets that todo, never a second one. On a real DynamoDB-protocol server behind a proxy that loses answers.
 */
let dynamo: LocalDynamo;
let proxy: FaultProxy;
let api: TestApi;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  proxy = await startFaultProxy(dynamo.endpoint);
  api = await serveApp(DynamoTodoRepository.fromEnvironment({ TODOS_TABLE: dynamo.tableName, AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint }));
});
afterAll(async () => {
  await api?.close();
  await proxy?.close();
  await dynamo?.close();
});
afterEach(() => proxy.always(undefined));

const countTitled = async (title: string) => {
  const res = await api.call('GET', '/api/v1/todos?limit=100');
  return (res.json.items as Array<{ title: string }>).filter((t) => t.title === title).length;
};

describe('POST /api/v1/todos with an Idempotency-Key', () => {
  it('a create answered 503 but applied, retried with the same key as the 503 advises: the same todo, one in storage', async () => {
    const key = randomUUID();
    proxy.always('lose-response');
    const first = await api.call('POST', '/api/v1/todos', { body: { title: 'stalled-create' }, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBeTruthy();
    proxy.always(undefined);
    // The write reached storage although its answer was lost.
    expect(await countTitled('stalled-create')).toBe(1);
    const retry = await api.call('POST', '/api/v1/todos', { body: { title: 'stalled-create' }, headers: { 'idempotency-key': key } });
    expect(retry.status, JSON.stringify(retry.json)).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(`/api/v1/todos/${retry.json.id}`);
    expect(retry.json).toMatchObject({ title: 'stalled-create', priority: 'medium', completed: false });
    expect(await countTitled('stalled-create')).toBe(1);
  }, 30_000);

  it('sent twice with the same key and body: one todo, the second answer a replay of the first', async () => {
    const key = randomUUID();
    const a = await api.call('POST', '/api/v1/todos', { body: { title: 'twice', priority: 'high' }, headers: { 'idempotency-key': key } });
    const b = await api.call('POST', '/api/v1/todos', { body: { title: 'twice', priority: 'high' }, headers: { 'idempotency-key': key } });
    expect(a.status).toBe(201);
    expect(a.headers.get('idempotent-replayed')).toBeNull();
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(b.json).toEqual(a.json);
    expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
    expect(await countTitled('twice')).toBe(1);
  });

  it('the same key with another body: 422 naming the idempotency-key header, nothing created', async () => {
    const key = randomUUID();
    expect((await api.call('POST', '/api/v1/todos', { body: { title: 'first body' }, headers: { 'idempotency-key': key } })).status).toBe(201);
    const other = await api.call('POST', '/api/v1/todos', { body: { title: 'second body' }, headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
    expect(other.json.errors).toEqual([expect.objectContaining({ path: '/idempotency-key', in: 'header' })]);
    expect(await countTitled('second body')).toBe(0);
  });

  it('different keys, or no key, create a todo each', async () => {
    const headerSets: Array<Record<string, string>> = [{ 'idempotency-key': randomUUID() }, { 'idempotency-key': randomUUID() }, {}, {}];
    for (const headers of headerSets) {
      expect((await api.call('POST', '/api/v1/todos', { body: { title: 'each' }, headers })).status).toBe(201);
    }
    expect(await countTitled('each')).toBe(4);
  });

  it('a key holding a comma (two Idempotency-Key lines arrive joined by ", "): 400 naming the header, nothing created', async () => {
    const res = await api.call('POST', '/api/v1/todos', { body: { title: 'two keys' }, headers: { 'idempotency-key': `${randomUUID()}, ${randomUUID()}` } });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([expect.objectContaining({ path: '/idempotency-key', in: 'header' })]);
    expect(await countTitled('two keys')).toBe(0);
  });

  it.each([['empty', ''], ['longer than 255 characters', 'k'.repeat(256)]])('a key that is %s: 400 naming the header', async (_label, key) => {
    const res = await api.call('POST', '/api/v1/todos', { body: { title: 'bad key' }, headers: { 'idempotency-key': key } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json.errors)).toContain('idempotency-key');
  });
});

describe('the in-memory backend keeps the same contract', () => {
  it('same key and body: one todo, replayed; another body: 422', async () => {
    const mem = await serveApp(new MemoryTodoRepository());
    try {
      const key = randomUUID();
      const a = await mem.call('POST', '/api/v1/todos', { body: { title: 'm' }, headers: { 'idempotency-key': key } });
      const b = await mem.call('POST', '/api/v1/todos', { body: { title: 'm' }, headers: { 'idempotency-key': key } });
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.json.id).toBe(a.json.id);
      expect((await mem.call('POST', '/api/v1/todos', { body: { title: 'n' }, headers: { 'idempotency-key': key } })).status).toBe(422);
    } finally {
      await mem.close();
    }
  });
});
