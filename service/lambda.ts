import serverless from 'serverless-http';
import { createApp } from './app';

type ProxyEvent = Record<string, unknown> & { headers?: unknown; multiValueHeaders?: unknown; requestContext?: Record<string, unknown>; body?: unknown };

const serve = serverless(createApp(), { requestId: 'x-amzn-requestid' });

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
