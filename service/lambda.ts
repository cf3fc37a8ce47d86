import serverless from 'serverless-http';
import { createApp } from './app';
import { DynamoTodoRepository } from './todos/dynamo-repository';
import { MemoryTodoRepository } from './todos/memory-repository';
import type { TodoRepository } from './todos/repository';

type ProxyEvent = Record<string, unknown> & { headers?: unknown; multiValueHeaders?: unknown; requestContext?: Record<string, unknown>; body?: unknown };

/**
 * Returns where todos live for this environment: the DynamoDB table named by `TODOS_TABLE` (set by the
 * Pulumi program when `storage` is `dynamodb`, or by `STORAGE=dynamodb npm start`), else memory.
 * Building the client opens no connection, so module init stays cheap.
 */
export function repositoryFromEnvironment(env: NodeJS.ProcessEnv = process.env): TodoRepository {
  return env.TODOS_TABLE ? DynamoTodoRepository.fromEnvironment(env) : new MemoryTodoRepository();
}

// Built once per cold start and reused by every invocation of this instance.
const serve = serverless(createApp({ repository: repositoryFromEnvironment() }), { requestId: 'x-amzn-requestid' });

/**
 * The Lambda entry: an API Gateway REST (payload 1.0) proxy event in, a proxy response out.
 * API Gateway sends `null` for absent maps and bodies; serverless-http would read a null body as
 * the text "null" and crash on null headers, so those are normalised first.
 */
export async function handler(event: ProxyEvent, context: unknown): Promise<unknown> {
  const requestContext = event.requestContext ?? {};
  return serve(
    {
      ...event,
      headers: event.headers ?? {},
      multiValueHeaders: event.multiValueHeaders ?? null,
      body: event.body ?? '',
      requestContext: { ...requestContext, identity: requestContext.identity ?? {} },
    },
    context as object,
  );
}
