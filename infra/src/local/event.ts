import { createHash, randomBytes } from 'node:crypto';
import type { ProxyEvent } from '../lambda/proxy-event';
import { isBinaryContentType } from '../media-type';

export type { ProxyEvent } from '../lambda/proxy-event';

/**
 * One request as the gateway has read and routed it: what {@link buildProxyEvent} turns into the event.
 * The local gateway fills it from the socket; tests and the benchmark (tests/support/events.ts `apiEvent`)
 * from a deployed request's values (tests/fixtures/apigateway), so every event in the project has one shape
 * (docs/apigateway-behaviour.md §5).
 */
export interface EventInput {
  httpMethod: string;
  /** The path after the stage, as sent (`/orders/a%2Bb/`). */
  path: string;
  stage: string;
  resourcePath: string;
  pathParameters: Record<string, string> | null;
  /** Node's `rawHeaders`: name, value, name, value… with the client's casing. */
  rawHeaders: string[];
  query: Record<string, string[]> | null;
  body: Buffer;
  binaryMediaTypes: readonly string[];
  requestId: string;
  extendedRequestId: string;
  apiId: string;
  deploymentId: string;
  sourceIp: string;
  /** The port the client connected to: `X-Forwarded-Port`. */
  localPort: number;
  /**
   * The scheme the client used: `X-Forwarded-Proto` and `CloudFront-Forwarded-Proto`. Default `http`, this
   * server's own, so a service building URLs from them gets ones that work locally; deployed it is `https`.
   */
  forwardedProto?: 'http' | 'https';
  /** Set only when the method requires a key (§3.8). */
  apiKey?: { value: string; id: string };
  /** The verified token's claims, when the method has a user pool authorizer: `requestContext.authorizer.claims`. */
  claims?: Record<string, string>;
  /**
   * Set when the request came through a custom domain's base-path mapping ('' for the whole domain):
   * then `path` and `requestContext.path` are the public path, base path included and no stage
   * (CodeGenieApp/serverless-express#216, aws/serverless-java-container#112), while `resource` and
   * `pathParameters` are the API's own.
   */
  basePath?: string;
  now: Date;
}

const NOT_FORWARDED = new Set(['content-length', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);
// API Gateway re-cases these two whatever the client sent (§5.4).
const RECASED = new Map([['authorization', 'Authorization'], ['user-agent', 'User-Agent']]);

/** Stage 9, after validation: returns the proxy event API Gateway would send the Lambda for this request, field by field (§5). */
export function buildProxyEvent(input: EventInput): ProxyEvent {
  const { headers, multiValueHeaders } = forwardedHeaders(input);
  const query = input.query;
  const contentType = headers[Object.keys(headers).find((k) => k.toLowerCase() === 'content-type') ?? ''];
  const binary = input.body.length > 0 && isBinary(contentType, input.binaryMediaTypes);
  const host = (headers[Object.keys(headers).find((k) => k.toLowerCase() === 'host') ?? ''] ?? 'localhost').replace(/:\d+$/, '');
  const userAgent = headers['User-Agent'] ?? null;
  return {
    resource: input.resourcePath,
    path: eventPath(publicPath(input), input.resourcePath),
    httpMethod: input.httpMethod,
    headers,
    multiValueHeaders,
    // Object.fromEntries defines own properties, `__proto__` included, as the JSON the Lambda runtime parses does.
    queryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v[v.length - 1]!])) : null,
    multiValueQueryStringParameters: query ? Object.fromEntries(Object.entries(query)) : null,
    pathParameters: input.pathParameters,
    stageVariables: null,
    requestContext: {
      resourceId: createHash('sha256').update(input.resourcePath).digest('hex').slice(0, 6),
      resourcePath: input.resourcePath,
      // A Cognito user pool authorizer's claims (Lambda developer guide, "Using AWS Lambda with Amazon API Gateway": requestContext.authorizer.claims).
      ...(input.claims ? { authorizer: { claims: input.claims } } : {}),
      httpMethod: input.httpMethod,
      extendedRequestId: input.extendedRequestId,
      requestTime: clfTime(input.now),
      path: input.basePath !== undefined ? publicPath(input) : `/${input.stage}${input.path}`,
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage: input.stage,
      domainPrefix: host.split('.')[0]!,
      requestTimeEpoch: input.now.getTime(),
      requestId: input.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        ...(input.apiKey ? { apiKey: input.apiKey.value, apiKeyId: input.apiKey.id } : {}),
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: input.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent,
        user: null,
      },
      domainName: host,
      deploymentId: input.deploymentId,
      apiId: input.apiId,
    },
    body: input.body.length === 0 ? null : binary ? input.body.toString('base64') : input.body.toString('utf8'),
    isBase64Encoded: binary,
  };
}

/**
 * Returns the headers as the Lambda sees them: client casing kept, hop-by-hop headers dropped, the
 * edge's headers added (§5.4). Duplicates: `headers` keeps the last value (UNCONFIRMED), `multiValueHeaders` all.
 * Proto and port are the input's (locally this server's http and port, not CloudFront's https/443).
 */
function forwardedHeaders(input: EventInput): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  // Keyed by a Map: a header called `constructor` or `__proto__` is an ordinary name (RFC 9110 §5.1).
  const multi = new Map<string, string[]>();
  const names = new Map<string, string>();
  const add = (rawName: string, value: string) => {
    const lower = rawName.toLowerCase();
    const name = names.get(lower) ?? RECASED.get(lower) ?? rawName;
    names.set(lower, name);
    multi.set(name, [...(multi.get(name) ?? []), value]);
  };
  // The edge appends the client's address to any X-Forwarded-For it was sent.
  const forwardedFor: string[] = [];
  for (let i = 0; i + 1 < input.rawHeaders.length; i += 2) if (input.rawHeaders[i]!.toLowerCase() === 'x-forwarded-for') forwardedFor.push(input.rawHeaders[i + 1]!);
  const proto = input.forwardedProto ?? 'http';
  const edge: Array<[string, string]> = [
    ['CloudFront-Forwarded-Proto', proto],
    ['CloudFront-Is-Desktop-Viewer', 'true'],
    ['CloudFront-Is-Mobile-Viewer', 'false'],
    ['CloudFront-Is-SmartTV-Viewer', 'false'],
    ['CloudFront-Is-Tablet-Viewer', 'false'],
    ['Via', '1.1 local-gateway-emulator (CloudFront)'],
    ['X-Amz-Cf-Id', randomBytes(42).toString('base64url').slice(0, 56)],
    ['X-Amzn-Trace-Id', traceId(input.now)],
    ['X-Forwarded-For', [...forwardedFor, input.sourceIp].join(', ')],
    ['X-Forwarded-Port', String(input.localPort)],
    ['X-Forwarded-Proto', proto],
  ];
  // The edge's own headers replace any a client sent under the same names.
  const edgeNames = new Set(edge.map(([name]) => name.toLowerCase()));
  for (let i = 0; i + 1 < input.rawHeaders.length; i += 2) {
    const name = input.rawHeaders[i]!;
    if (!NOT_FORWARDED.has(name.toLowerCase()) && !edgeNames.has(name.toLowerCase())) add(name, input.rawHeaders[i + 1]!);
  }
  for (const [name, value] of edge) multi.set(name, [value]);
  const headers = Object.fromEntries([...multi].map(([k, v]) => [k, v[v.length - 1]!]));
  return { headers, multiValueHeaders: Object.fromEntries(multi) };
}

/**
 * Returns the query map of a raw query string: decoded, `+` as space, `;` splitting like `&` (§1.15); null
 * when empty. The map has no prototype: a key called `constructor` or `__proto__` is an ordinary key.
 */
export function parseQuery(rawQuery: string): Record<string, string[]> | null {
  const out = Object.create(null) as Record<string, string[]>;
  for (const pair of rawQuery.split('#', 1)[0]!.split(/[&;]/)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    if (key === '') continue;
    (out[key] ??= []).push(eq < 0 ? '' : decode(pair.slice(eq + 1)));
  }
  return Object.keys(out).length ? out : null;
}

function decode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** True when `contentType` matches one of the API's binary media types: exact, `type/*` or `*\/*` (§5.5; infra/src/media-type.ts). */
export const isBinary = isBinaryContentType;

/** `dd/MMM/yyyy:HH:mm:ss +0000` (§5.6). */
function clfTime(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function traceId(now: Date): string {
  return `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/**
 * Returns `event.path`: as sent under a greedy resource; under literal and `{param}` resources with
 * empty segments collapsed, as AWS recorded (`/dev//hardcoded` → `"/hardcoded"`, §1.12), while
 * `requestContext.path` keeps the request as sent.
 */
export function eventPath(path: string, resourcePath: string): string {
  return resourcePath.includes('+}') ? path : path.replace(/\/{2,}/g, '/');
}

/** The request's path as the client sent it after the host: the base path, if any, then the API path. */
function publicPath(input: Pick<EventInput, 'path' | 'basePath'>): string {
  return input.basePath ? `/${input.basePath}${input.path}` : input.path;
}
