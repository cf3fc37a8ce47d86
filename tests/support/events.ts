import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The project's own API Gateway REST proxy events (payload format 1.0), shaped as AWS documents them;
 * tests/fixtures/README.md says which AWS page each part of the shape comes from.
 */
export const FIXTURES_DIR = path.resolve(__dirname, '../fixtures/apigateway');

/** Returns a fixture event by file name, parsed fresh (tests may mutate it). */
export function fixture(name: 'rest-greedy-proxy-post.json' | 'rest-base64-body-post.json' | 'rest-multivalue-get.json'): ProxyEvent {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, name), 'utf8')) as ProxyEvent;
}

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

/**
 * Returns the greedy-proxy fixture: `POST /hello/world` matched by `/{proxy+}`, JSON body, CloudFront and
 * X-Forwarded-* headers, an API key and an authorizer context in a fully populated `requestContext`.
 */
export function proxyFixture(): ProxyEvent {
  return fixture('rest-greedy-proxy-post.json');
}

/**
 * Returns the base64 fixture (`isBase64Encoded: true`, null query/path/stage maps) aimed at `method path`
 * on `resource`, with `body` (already base64) in place of its own; `requestContext` follows the new request line.
 */
export function base64Fixture(fill: { body: string; resource: string; path: string; method: string; stage?: string }): ProxyEvent {
  const event = fixture('rest-base64-body-post.json');
  const stage = fill.stage ?? 'dev';
  event.body = fill.body;
  event.resource = fill.resource;
  event.path = fill.path;
  event.httpMethod = fill.method;
  event.requestContext = { ...event.requestContext, stage, path: `/${stage}${fill.path}`, resourcePath: fill.resource, httpMethod: fill.method };
  return event;
}

/** @deprecated Old name of {@link proxyFixture} (the events are now the project's own), kept so open branches still run. */
export const goFixture = proxyFixture;
/** @deprecated Old name of {@link base64Fixture}, kept so open branches still run. */
export const samFixture = base64Fixture;

/**
 * Returns a REST (payload 1.0) event for `method path`, built
 * from the project's greedy-proxy fixture with only the request line, query, headers and body replaced, as
 * API Gateway would send them (absent maps and body are `null`, tests/fixtures/README.md).
 * What depends on the method's authorization follows it, as AWS documents (docs/apigateway-behaviour.md
 * §5.6, §5.7): `requestContext.authorizer` only when `options.authorizer` is given (the method has an
 * authorizer; absent otherwise, as the local gateway sends it), and the `x-api-key` header with
 * `identity.apiKey`/`apiKeyId` only when the method requires a key (not with `public: true`).
 */
export function apiEvent(
  method: string,
  pathWithQuery: string,
  options: { body?: string | object; headers?: Record<string, string>; base64?: boolean; resource?: string; public?: boolean; authorizer?: Record<string, unknown> } = {},
): ProxyEvent {
  const event = proxyFixture();
  const [rawPath, rawQuery] = pathWithQuery.split('?', 2) as [string, string | undefined];
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(rawQuery ?? '')) (multiQuery[key] ??= []).push(value);
  const query = Object.fromEntries(Object.entries(multiQuery).map(([k, v]) => [k, v[v.length - 1]!]));
  const headers: Record<string, string> = { ...(event.headers ?? {}), ...(options.headers ?? {}) };
  const body = options.body === undefined ? null : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  if (body === null) delete headers['Content-Type'];
  const { authorizer: _fixtureAuthorizer, identity, ...context } = event.requestContext as Record<string, unknown> & { identity: Record<string, unknown> };
  const { apiKey, apiKeyId, ...anonymous } = identity;
  if (options.public) delete headers['x-api-key'];
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
    requestContext: {
      ...context,
      identity: options.public ? anonymous : { ...anonymous, apiKey, apiKeyId },
      ...(options.authorizer ? { authorizer: options.authorizer } : {}),
      path: `/dev${rawPath}`,
      stage: 'dev',
      httpMethod: method,
      resourcePath: options.resource ?? rawPath,
    },
  };
}

/** Returns the parsed JSON body of a proxy result. */
export function json<T = any>(result: ProxyResult): T {
  return JSON.parse(result.body) as T;
}
