import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { buildProxyEvent, parseQuery } from '../../infra/src/local/event';
import type { ProxyEvent, ProxyResult } from '../../infra/src/lambda/proxy-event';

/**
 * The project's own API Gateway REST proxy events (payload format 1.0), shaped as AWS documents them;
 * tests/fixtures/README.md says which AWS page each part of the shape comes from.
 */
export const FIXTURES_DIR = path.resolve(__dirname, '../fixtures/apigateway');

/** Returns a fixture event by file name, parsed fresh (tests may mutate it). */
export function fixture(name: 'rest-greedy-proxy-post.json' | 'rest-base64-body-post.json' | 'rest-multivalue-get.json'): ProxyEvent {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, name), 'utf8')) as ProxyEvent;
}

export type { ProxyEvent, ProxyHandler, ProxyResult } from '../../infra/src/lambda/proxy-event';

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

/**
 * Returns a REST (payload 1.0) event for `method path`, built by the local gateway's own builder
 * (infra/src/local/event.ts `buildProxyEvent`) from what a client of the deployed API sends: the greedy-proxy
 * fixture's request headers (Accept, Host, User-Agent, the API key…), its source IP, API and deployment ids,
 * over `https` on 443 as the edge forwards them. Absent maps and body are `null` (tests/fixtures/README.md).
 * What depends on the method's authorization follows it, as AWS documents (docs/apigateway-behaviour.md
 * §5.6, §5.7): `requestContext.authorizer` only when `options.authorizer` is given (the method has an
 * authorizer), and the `x-api-key` header with `identity.apiKey`/`apiKeyId` only when the method requires a
 * key (not with `public: true`). `options.headers` replace the fixture's of the same name (any casing);
 * `base64` sends the body as a binary media type (§5.5).
 */
export function apiEvent(
  method: string,
  pathWithQuery: string,
  options: {
    body?: string | object;
    headers?: Record<string, string>;
    base64?: boolean;
    resource?: string;
    pathParameters?: Record<string, string>;
    public?: boolean;
    authorizer?: Record<string, unknown>;
    /** Sent through a custom domain's base-path mapping (`shop/v2`, without the outer slashes): see EventInput.basePath. */
    basePath?: string;
  } = {},
): ProxyEvent {
  const sample = proxyFixture();
  const q = pathWithQuery.indexOf('?');
  const rawPath = q < 0 ? pathWithQuery : pathWithQuery.slice(0, q);
  const rawQuery = q < 0 ? '' : pathWithQuery.slice(q + 1);
  const body = options.body === undefined ? null : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const identity = sample.requestContext.identity;
  // What the client itself sent: the fixture's headers less those the edge adds (the builder adds its own).
  const client = new Map<string, [string, string]>();
  for (const [name, value] of Object.entries(sample.headers ?? {})) {
    if (!/^(cloudfront-|via$|x-amz-cf-id$|x-amzn-trace-id$|x-forwarded-)/i.test(name)) client.set(name.toLowerCase(), [name, value]);
  }
  if (body === null) client.delete('content-type');
  if (options.public) client.delete('x-api-key');
  for (const [name, value] of Object.entries(options.headers ?? {})) client.set(name.toLowerCase(), [name, value]);
  const event = buildProxyEvent({
    httpMethod: method,
    path: rawPath,
    stage: sample.requestContext.stage,
    resourcePath: options.resource ?? rawPath,
    pathParameters: options.pathParameters ?? null,
    rawHeaders: [...client.values()].flat(),
    query: parseQuery(rawQuery),
    body: Buffer.from(body ?? ''),
    binaryMediaTypes: options.base64 ? ['*/*'] : [],
    requestId: randomUUID(),
    extendedRequestId: String(sample.requestContext.extendedRequestId),
    apiId: String(sample.requestContext.apiId),
    deploymentId: String(sample.requestContext.deploymentId),
    sourceIp: identity.sourceIp,
    localPort: 443,
    forwardedProto: 'https',
    ...(options.basePath !== undefined ? { basePath: options.basePath } : {}),
    apiKey: options.public ? undefined : { value: String(identity.apiKey), id: String(identity.apiKeyId) },
    now: new Date(),
  });
  if (options.authorizer) event.requestContext.authorizer = options.authorizer;
  return event;
}

/** Returns the parsed JSON body of a proxy result. */
export function json<T = any>(result: ProxyResult): T {
  return JSON.parse(result.body) as T;
}
