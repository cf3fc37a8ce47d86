import { DynamoTodoRepository } from './dynamo-repository';
import { MemoryTodoRepository } from './memory-repository';
import type { TodoRepository } from './repository';

/**
 * Returns where todos live for this environment: the DynamoDB table named by `TODOS_TABLE` (set by the
 * Pulumi program when `storage` is `dynamodb`, or by `STORAGE=dynamodb npm start`), else memory.
 * Building the client opens no connection, so module init stays cheap.
 */
export function repositoryFromEnvironment(env: NodeJS.ProcessEnv = process.env): TodoRepository {
  return env.TODOS_TABLE ? DynamoTodoRepository.fromEnvironment(env) : new MemoryTodoRepository();
}
