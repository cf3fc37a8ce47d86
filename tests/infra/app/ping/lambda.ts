import serverless from 'serverless-http';
import { createPingApp } from './app';

const serve = serverless(createPingApp());

/** The ping app's Lambda entry: an API Gateway REST proxy event in (absent maps and bodies are `null`), a proxy response out. */
export async function handler(event: Record<string, unknown> & { requestContext?: Record<string, unknown> }, context: object): Promise<unknown> {
  return serve({ ...event, headers: event.headers ?? {}, multiValueHeaders: event.multiValueHeaders ?? null, body: event.body ?? '', requestContext: { ...event.requestContext, identity: event.requestContext?.identity ?? {} } }, context);
}
