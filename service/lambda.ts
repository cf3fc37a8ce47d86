import { lambdaHandler } from 'koa-apigateway/lambda';
import { createApp } from './app';
import { DynamoTodoRepository } from './todos/dynamo-repository';
import { MemoryTodoRepository } from './todos/memory-repository';
import type { TodoRepository } from './todos/repository';

/**
 * Returns where todos live for this environment: the DynamoDB table named by `TODOS_TABLE` (set by the
 * Pulumi program when `storage` is `dynamodb`, or by `STORAGE=dynamodb npm start`), else memory.
 * Building the client opens no connection, so module init stays cheap.
 */
export function repositoryFromEnvironment(env: NodeJS.ProcessEnv = process.env): TodoRepository {
  return env.TODOS_TABLE ? DynamoTodoRepository.fromEnvironment(env) : new MemoryTodoRepository();
}

/**
 * The Lambda entry: the product's adapter (infra/src/lambda/handler.ts) around the todo app, built once per cold
 * start and reused by every invocation of this instance.
 */
export const handler = lambdaHandler(createApp({ repository: repositoryFromEnvironment() }));
