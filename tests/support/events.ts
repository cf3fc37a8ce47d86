import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The real events AWS publishes, kept in shared/fixtures (see its README). */
export const FIXTURES_DIR = path.resolve(__dirname, '../../../shared/fixtures/apigateway');

export type ProxyEvent = Record<string, unknown> & {
  httpMethod: string;
  path: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  body: string | null;
  isBase64Encoded: boolean;
  requestContext: Record<string, unknown>;
};

export interface ProxyResult {
  statusCode: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded?: boolean;
}

/** Returns the aws-lambda-go API Gateway request fixture (a POST to /{proxy+} with an API key), parsed fresh. */
export function goFixture(): ProxyEvent {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'aws-lambda-go-apigw-request.json'), 'utf8')) as ProxyEvent;
}

/** Returns SAM CLI's aws-proxy event template with its `{{{placeholders}}}` filled in. */
export function samFixture(fill: { body: string; resource: string; path: string; method: string; stage?: string }): ProxyEvent {
  const text = readFileSync(path.join(FIXTURES_DIR, 'sam-cli-aws-proxy-template.json'), 'utf8');
  const values: Record<string, string> = {
    body: fill.body,
    resource: fill.resource,
    path: fill.path.replace(/^\//, ''),
    method: fill.method,
    stage: fill.stage ?? 'dev',
    account_id: '123456789012',
    dns_suffix: 'us-east-1.amazonaws.com',
  };
  const event = JSON.parse(text.replace(/\{\{\{(\w+)\}\}\}/g, (_, key: string) => (key in values ? values[key]! : `{{{${key}}}}`))) as ProxyEvent;
  // The template leaves the query map as a placeholder string; a real event has an object or null.
  event.queryStringParameters = { foo: 'bar' };
  return event;
}

/**
 * Returns a REST (payload 1.0) event for `method path`, built from the real aws-lambda-go fixture
 * with only the request line, query, headers and body replaced, as API Gateway would send them.
 */
export function apiEvent(
  method: string,
  pathWithQuery: string,
  options: { body?: string | object; headers?: Record<string, string>; base64?: boolean; resource?: string } = {},
): ProxyEvent {
  const event = goFixture();
  const [rawPath, rawQuery] = pathWithQuery.split('?', 2) as [string, string | undefined];
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(rawQuery ?? '')) (multiQuery[key] ??= []).push(value);
  const query = Object.fromEntries(Object.entries(multiQuery).map(([k, v]) => [k, v[v.length - 1]!]));
  const headers: Record<string, string> = { ...(event.headers ?? {}), ...(options.headers ?? {}) };
  const body = options.body === undefined ? null : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  if (body === null) delete headers['Content-Type'];
  return {
    ...event,
    resource: options.resource ?? rawPath,
    path: rawPath,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    body: body !== null && options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: Boolean(options.base64 && body !== null),
    requestContext: { ...event.requestContext, path: `/dev${rawPath}`, stage: 'dev', httpMethod: method },
  };
}

/** Returns the parsed JSON body of a proxy result. */
export function json<T = any>(result: ProxyResult): T {
  return JSON.parse(result.body) as T;
}
