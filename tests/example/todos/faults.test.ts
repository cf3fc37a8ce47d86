import fc from 'fast-check';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from '../../../service/infra/local-dynamo';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientConfigFromEnvironment, DynamoTodoRepository, translateError } from '../../../service/todos/dynamo-repository';
import { StorageUnavailableError } from '../../../service/todos/repository';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy';
import { serveApp, type TestApi } from './support/http';

/**
 * The service on a real DynamoDB-protocol server (dynalite), reached through a real TCP proxy that
 * loses responses, never answers, or answers as a failing load balancer. The repository is built
 * exactly as the deployed function builds it (`fromEnvironment`): the SDK's own retries and timeouts.
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

const create = async (title: string) => {
  const res = await api.call('POST', '/api/v1/todos', { body: { title } });
  expect(res.status).toBe(201);
  return res.json.id as string;
};
const countTitled = async (title: string) => {
  const res = await api.call('GET', '/api/v1/todos?limit=100');
  return (res.json.items as Array<{ title: string }>).filter((t) => t.title === title).length;
};

describe('a write whose response is lost, retried by the SDK, reports its own outcome', () => {
  it('POST: 201 with the todo, stored once (not a 500 about an id that exists)', async () => {
    proxy.inject('PutItem', 'lose-response');
    const res = await api.call('POST', '/api/v1/todos', { body: { title: 'lost-create' } });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('location')).toBe(`/api/v1/todos/${res.json.id}`);
    expect(await countTitled('lost-create')).toBe(1);
    expect(proxy.seen.filter((s) => s.operation === 'PutItem' && s.fault === 'lose-response')).toHaveLength(1);
  });

  it('PATCH with the right If-Match: 200 and the next ETag (not a 412 about its own change)', async () => {
    const id = await create('lost-patch');
    proxy.inject('PutItem', 'lose-response');
    const res = await api.call('PATCH', `/api/v1/todos/${id}`, { body: { completed: true }, headers: { 'if-match': '"1"' } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect((await api.call('GET', `/api/v1/todos/${id}`)).json.completed).toBe(true);
  });

  it('PUT without If-Match: 200 at version 2, applied once', async () => {
    const id = await create('lost-put');
    proxy.inject('PutItem', 'lose-response');
    const res = await api.call('PUT', `/api/v1/todos/${id}`, { body: { title: 'lost-put-2' } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect((await api.call('GET', `/api/v1/todos/${id}`)).headers.get('etag')).toBe('"2"');
  });

  it.each([[undefined], ['"1"'], ['*']])('DELETE (If-Match %s): 204 (not a 404 about what it deleted), then gone', async (ifMatch) => {
    const id = await create('lost-delete');
    proxy.inject('DeleteItem', 'lose-response');
    const res = await api.call('DELETE', `/api/v1/todos/${id}`, ifMatch ? { headers: { 'if-match': ifMatch } } : {});
    expect(res.status, JSON.stringify(res.json)).toBe(204);
    expect((await api.call('GET', `/api/v1/todos/${id}`)).status).toBe(404);
  });

  it('a conditional write that really conflicts still fails: another writer\'s change is a 412, a missing todo a 404', async () => {
    const id = await create('real-conflict');
    expect((await api.call('PATCH', `/api/v1/todos/${id}`, { body: { title: 'other' } })).status).toBe(200);
    expect((await api.call('PATCH', `/api/v1/todos/${id}`, { body: { title: 'mine' }, headers: { 'if-match': '"1"' } })).status).toBe(412);
    expect((await api.call('DELETE', `/api/v1/todos/${id}`)).status).toBe(204);
    expect((await api.call('DELETE', `/api/v1/todos/${id}`)).status).toBe(404);
  });
});

describe('a DynamoDB that fails or never answers is a 503 with Retry-After, within the function timeout', () => {
  it('never answers: 503 with Retry-After, in well under the 29 s gateway timeout', async () => {
    const id = await create('black-hole');
    proxy.always('never-answer');
    const started = performance.now();
    const replies = await Promise.all([
      api.call('GET', `/api/v1/todos/${id}`),
      api.call('POST', '/api/v1/todos', { body: { title: 'into the void' } }),
      api.call('GET', '/api/v1/todos'),
    ]);
    const seconds = (performance.now() - started) / 1000;
    for (const res of replies) {
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.json).toEqual({ message: expect.stringContaining('Service Unavailable') });
    }
    expect(seconds).toBeLessThan(10);
  }, 40_000);

  it("the client's own request timeout fires, not only the call deadline: a TimeoutError from the SDK is a 503", async () => {
    proxy.always('never-answer');
    const repository = new DynamoTodoRepository({ tableName: dynamo.tableName, client: new DynamoDBClient({ ...clientConfigFromEnvironment({ AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint }), maxAttempts: 1 }), callTimeoutMs: 60_000 });
    const started = performance.now();
    const err = await repository.get('00000000-0000-4000-8000-000000000001').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expect(((err as Error).cause as Error).name).toBe('TimeoutError');
    expect(performance.now() - started).toBeLessThan(4000);
  }, 20_000);

  it.each([500, 502, 503, 504, 429])('status %i from anything between (HTML body, no DynamoDB error type): 503 with Retry-After', async (status) => {
    const id = await create(`between-${status}`);
    proxy.always({ status });
    for (const [method, path, body] of [['GET', `/api/v1/todos/${id}`], ['POST', '/api/v1/todos', { title: 'x' }], ['PATCH', `/api/v1/todos/${id}`, { title: 'y' }], ['DELETE', `/api/v1/todos/${id}`]] as const) {
      const res = await api.call(method, path, body ? { body } : {});
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(JSON.stringify(res.json)).not.toMatch(/html|<h1>/i);
    }
  }, 20_000);
});

describe('translateError agrees with the SDK on what is worth retrying', () => {
  const sdkNames = ['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'TooManyRequestsException', 'SlowDown', 'TransactionInProgressException', 'LimitExceededException', 'InternalServerError', 'ServiceUnavailable', 'ValidationException', 'ResourceNotFoundException', 'ConditionalCheckFailedException', 'Error'];
  const codes = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EACCES', undefined];
  const error = fc.record({
    name: fc.constantFrom(...sdkNames),
    code: fc.constantFrom(...codes),
    status: fc.option(fc.integer({ min: 400, max: 599 }), { nil: undefined }),
    retryable: fc.option(fc.record({ throttling: fc.boolean() }), { nil: undefined }),
  });

  it('every error the SDK classifies as transient or throttling becomes StorageUnavailableError (a 503)', () => {
    fc.assert(
      fc.property(error, ({ name, code, status, retryable }) => {
        const err = Object.assign(new Error('x'), { name, ...(code && { code }), ...(status !== undefined && { $metadata: { httpStatusCode: status } }), ...(retryable && { $retryable: retryable }) });
        const sdkRetries = isTransientError(err as never) || isThrottlingError(err as never);
        if (sdkRetries) expect(translateError(err), `${name} ${code} ${status}`).toBeInstanceOf(StorageUnavailableError);
      }),
      { numRuns: 500 },
    );
  });

  it('our own deadline (an aborted call) is a 503 as well', () => {
    expect(translateError(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBeInstanceOf(StorageUnavailableError);
  });
});
