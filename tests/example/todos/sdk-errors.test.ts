import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTodoRepository } from '../../../service/todos/dynamo-repository';
import { StorageUnavailableError } from '../../../service/todos/repository';
import { serveApp, type TestApi } from './support/http';

/**
 * dynalite never throttles, so these point the repository at a loopback server that answers every
 * DynamoDB request with one of DynamoDB's real JSON error responses (awsJson1_0: status + `__type`).
 */
async function startFailingDynamo(status: number, type: string, message: string): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'REQ123' });
      res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

function repositoryAt(endpoint: string): DynamoTodoRepository {
  // One attempt: the SDK's own retries (with backoff) would only slow the test down.
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  return new DynamoTodoRepository({ tableName: 'todos', client });
}

describe('DynamoDB errors become meaningful HTTP errors, never AWS internals', () => {
  describe.each([
    ['ProvisionedThroughputExceededException', 400],
    ['ThrottlingException', 400],
    ['RequestLimitExceeded', 400],
    ['InternalServerError', 500],
  ])('%s', (type, status) => {
    let dynamo: Awaited<ReturnType<typeof startFailingDynamo>>;
    let api: TestApi;
    beforeAll(async () => {
      dynamo = await startFailingDynamo(status, type, 'arn:aws:dynamodb:eu-west-1:123456789012:table/todos is busy');
      api = await serveApp(repositoryAt(dynamo.endpoint));
    });
    afterAll(async () => {
      await api.close();
      await dynamo.close();
    });

    it('is a StorageUnavailableError from the repository', async () => {
      await expect(repositoryAt(dynamo.endpoint).get('00000000-0000-4000-8000-000000000001')).rejects.toBeInstanceOf(StorageUnavailableError);
    });

    it.each([
      ['GET', '/api/v1/todos'],
      ['POST', '/api/v1/todos'],
      ['GET', '/api/v1/todos/00000000-0000-4000-8000-000000000001'],
      ['PATCH', '/api/v1/todos/00000000-0000-4000-8000-000000000001'],
      ['DELETE', '/api/v1/todos/00000000-0000-4000-8000-000000000001'],
    ])('%s %s answers 503 with Retry-After in the error shape', async (method, path) => {
      const res = await api.call(method, path, method === 'POST' || method === 'PATCH' ? { body: { title: 'x' } } : {});
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.json).toEqual({ message: expect.stringContaining('Service Unavailable') });
      expect(JSON.stringify(res.json)).not.toMatch(/arn:|123456789012|REQ123|Exception/);
    });
  });

  it('a missing table (a deployment mistake, not a busy store) is a generic 500 with nothing of AWS in it', async () => {
    const dynamo = await startFailingDynamo(400, 'ResourceNotFoundException', 'Requested resource not found: Table: todos not found');
    const api = await serveApp(repositoryAt(dynamo.endpoint));
    try {
      const res = await api.call('GET', '/api/v1/todos');
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ message: 'Internal server error' });
    } finally {
      await api.close();
      await dynamo.close();
    }
  });

  it('an unreachable endpoint is a 503', async () => {
    const dynamo = await startFailingDynamo(400, 'x', 'x');
    const endpoint = dynamo.endpoint;
    await dynamo.close();
    const api = await serveApp(repositoryAt(endpoint));
    try {
      const res = await api.call('GET', '/api/v1/todos/00000000-0000-4000-8000-000000000001');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
    } finally {
      await api.close();
    }
  });
});
