import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { ensureTable, startLocalDynamo, type LocalDynamo } from '../../../../service/infra/local-dynamo';
import { DynamoTodoRepository } from '../../../../service/todos/dynamo-repository';
import { MemoryTodoRepository } from '../../../../service/todos/memory-repository';
import type { TodoRepository } from '../../../../service/todos/repository';

/** One implementation of TodoRepository under test: `fresh()` returns an empty store. */
export interface Backend {
  name: string;
  start(): Promise<void>;
  fresh(): Promise<TodoRepository>;
  stop(): Promise<void>;
}

export const memoryBackend = (): Backend => ({
  name: 'memory',
  start: async () => {},
  fresh: async () => new MemoryTodoRepository(),
  stop: async () => {},
});

/** DynamoDB on a real dynalite server on loopback; every `fresh()` is a new, empty table. */
export function dynamoBackend(): Backend & { local(): LocalDynamo; client(): DynamoDBClient } {
  let local: LocalDynamo | undefined;
  let client: DynamoDBClient | undefined;
  return {
    name: 'dynamodb (dynalite)',
    async start() {
      local = await startLocalDynamo();
      client = new DynamoDBClient({ endpoint: local.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    },
    async fresh() {
      const tableName = `todos-${randomUUID()}`;
      await ensureTable(local!.endpoint, tableName);
      return new DynamoTodoRepository({ tableName, client: client! });
    },
    async stop() {
      client?.destroy();
      await local?.close();
    },
    local: () => local!,
    client: () => client!,
  };
}

export const backends = (): Backend[] => [memoryBackend(), dynamoBackend()];
