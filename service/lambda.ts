import serverless from 'serverless-http';
import type { IncomingMessage } from 'node:http';
import { createApp } from './app';
import { requestHeaders } from '../runtime/event-headers';
import { appPath } from '../runtime/event-path';
import type { ProxyEvent } from '../runtime/proxy-event';
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

const REQUEST_ID = 'x-amzn-requestid';

/**
 * Replaces the headers serverless-http built: it joins `multiValueHeaders` and then overwrites each
 * joined value with `headers`, whose entry is only the LAST line of a repeated field, so `If-Match`
 * sent on two lines lost its first line (RFC 9110 §5.3 makes both lines one list). Ours come from
 * `multiValueHeaders` (runtime/event-headers.ts), in a map without a prototype.
 */
function useEventHeaders(req: IncomingMessage & { body?: unknown }, event: ProxyEvent): void {
  const headers = requestHeaders(event as Parameters<typeof requestHeaders>[0]);
  headers['content-length'] = String(Buffer.isBuffer(req.body) ? req.body.length : 0);
  const requestId = event.requestContext?.requestId;
  if (!headers[REQUEST_ID] && typeof requestId === 'string') headers[REQUEST_ID] = requestId;
  req.headers = headers;
}

// Built once per cold start and reused by every invocation of this instance.
const serve = serverless(createApp({ repository: repositoryFromEnvironment() }), { requestId: REQUEST_ID, request: useEventHeaders });

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
      // Behind a custom domain's base-path mapping `path` carries the base path: route on the resource's own path.
      ...(typeof event.path === 'string' && { path: appPath(event.path, event.resource as string | undefined, event.pathParameters as Record<string, string> | null) }),
      headers: event.headers ?? {},
      multiValueHeaders: event.multiValueHeaders ?? null,
      body: event.body ?? '',
      requestContext: { ...requestContext, identity: requestContext.identity ?? {} },
    },
    context as object,
  );
}
