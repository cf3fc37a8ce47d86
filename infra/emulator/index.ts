import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiDefinition } from '../definition/types';
import { GATEWAY_TIMEOUT_SECONDS, type GatewaySettings } from '../settings';
import { readDefinition, type DeployedMethod } from './definition';
import { createUserPoolVerifier, type UserPoolKeys } from './authorizer';
import { docsPage } from './docs';
import { gatewayErrors, renderGatewayError, type ErrorContext, type GatewayError } from './errors';
import { buildProxyEvent, parseQuery } from './event';
import { bundleHandlerLoader, invokeHandler, type LambdaHandler } from './integration';
import { mapProxyResponse } from './response';
import { createRouter, type RoutableMethod } from './router';
import { TokenBuckets, UsagePlan } from './usage-plan';
import { compileValidators } from './validation';
import { wafRateRule } from './waf';

export type { LambdaHandler } from './integration';
export { createRouter } from './router';
export { readDefinition, type DeployedApi, type DeployedMethod } from './definition';

/** API Gateway's payload limit (docs/apigateway-behaviour.md §7.1): larger requests never reach the API. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** Lambda's synchronous invoke payload limit (§6.10): the event, and the function's response. */
export const MAX_INVOKE_BYTES = 6 * 1024 * 1024;
/**
 * API Gateway's quota on the request line and header values together, in bytes (reference §7.3; AWS
 * "Amazon API Gateway quotas": "Total combined size of request line and header values", not adjustable).
 */
export const MAX_REQUEST_LINE_AND_HEADERS_BYTES = 10_240;
/**
 * Node's own header limit, raised past the quota (its default, 16 KB, would answer first with a bare
 * 431): requests between the two get the gateway's answer; past this one, `clientError` answers in JSON.
 */
const NODE_MAX_HEADER_BYTES = 64 * 1024;

export interface GatewayOptions {
  /**
   * The API definition Pulumi deploys as the RestApi body (infra/definition): routing, the key
   * requirement, validators and models, gateway responses and CORS preflights all come from it.
   */
  definition: ApiDefinition;
  /** The stack's settings (stage, usage plan, stage throttle, Lambda memory and timeout), as Pulumi reads them. */
  settings: GatewaySettings;
  /** The function to invoke; or `bundleFile`, the esbuild bundle whose `handler` export is imported. */
  handler?: LambdaHandler;
  bundleFile?: string;
  /** The one API key of the usage plan. */
  apiKey: string;
  /** API Gateway's integration timeout; default 29 s. */
  integrationTimeoutMs?: number;
  /** The API's binaryMediaTypes; none are deployed by default. */
  binaryMediaTypes?: string[];
  /** The OpenAPI document served at `/openapi.json` (and read by `/docs`); none: both are 404. */
  openapi?: (baseUrl: string) => unknown;
  /** Where the access log goes, one line per request; default stdout. */
  log?: (line: string) => void;
  /** Where function errors go (the function's CloudWatch log); default stderr. */
  logError?: (line: string) => void;
  /**
   * The user pools the definition's `cognito_user_pools` authorizers trust, by pool ARN: their public keys
   * and app client ids (locally, the development issuer's: infra/emulator/dev-issuer.ts).
   */
  userPools?: Record<string, UserPoolKeys>;
  /** The clock of the usage plan, the WAF rate rule and token expiry (tests). */
  now?: () => number;
  /**
   * Serve the stage as a custom domain's base-path mapping too (`BASE_PATH=/v1 npm start`): `v1`
   * serves `/v1/...`, '' the whole host; undefined (default) only the stage URL `/<stage>/...`.
   * Without slashes, as normaliseBasePath returns it.
   */
  basePath?: string;
}

export interface Gateway {
  /**
   * Starts listening; resolves with the base URL of the stage (`http://127.0.0.1:3000/dev`) and, with
   * a `basePath`, the URL the base-path mapping serves (`http://127.0.0.1:3000/v1`).
   */
  listen(port: number, host?: string): Promise<{ url: string; stageUrl: string; port: number; customUrl?: string }>;
  close(): Promise<void>;
  /** Imports the bundle afresh on the next request (after a rebuild). */
  reload(): void;
  readonly server: http.Server;
}

/**
 * Returns the local gateway: the deployed stage's routing, API key check, usage plan, request
 * validation, Lambda proxy integration and gateway responses, driven only by the API definition
 * (what the RestApi imports) and the stage's settings.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { settings, apiKey } = options;
  if (!options.handler && !options.bundleFile) throw new Error('createGateway needs a handler or a bundleFile');
  const loader = options.bundleFile ? bundleHandlerLoader(options.bundleFile) : undefined;
  const handler: LambdaHandler = options.handler ?? loader!.handler;
  const api = readDefinition(options.definition);
  const route = createRouter<DeployedMethod>(api.methods);
  const validators = compileValidators(api);
  const userPools = createUserPoolVerifier(options.userPools ?? {}, options.now);
  for (const m of api.methods) if (m.authorizer) userPools.check(m.authorizer);
  const usagePlan = new UsagePlan(settings, options.now);
  // The stage's `*/*` method settings throttle every method, public ones and preflights included,
  // with the same rate and burst (infra/gateway/component.ts MethodSettings): one bucket per method.
  const stageThrottle = new TokenBuckets(settings.throttle, options.now);
  // The web ACL's per-IP rate rule (waf: true); its managed rule groups are not emulated (./waf.ts).
  const waf = wafRateRule(settings.waf, options.now);
  const basePath = options.basePath;
  // The very gateway responses and preflights Pulumi deploys: local and deployed cannot drift.
  const responses = api.gatewayResponses;
  const apiKeyId = createHash('sha256').update(apiKey).digest('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 10).toLowerCase();
  const apiId = 'local';
  const deploymentId = createHash('sha256').update(JSON.stringify(options.definition)).digest('hex').slice(0, 6);
  const integrationTimeoutMs = options.integrationTimeoutMs ?? GATEWAY_TIMEOUT_SECONDS * 1000;
  const binaryMediaTypes = options.binaryMediaTypes ?? [];
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logError = options.logError ?? ((line: string) => process.stderr.write(`${line}\n`));
  let baseUrl = '';

  const server = http.createServer({ maxHeaderSize: NODE_MAX_HEADER_BYTES }, (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Path without the query string, and never a header: the key stays out of the log.
      const pathOnly = (req.url ?? '/').split('?', 1)[0];
      log(`${new Date().toISOString()} ${requestId} ${normalizeIp(req.socket.remoteAddress)} "${req.method} ${pathOnly}" ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    handle(req, res, requestId).catch((err: unknown) => {
      logError(`[${requestId}] emulator error: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'application/json' }, '{"message":"Internal server error"}');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const extendedRequestId = `${randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 14)}=`;
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = lowerHeaders(req);

    // Before anything else, local pages included: the edge refuses such requests before routing.
    const oversize = requestLineAndHeadersRefusal(req);
    if (oversize) return send(res, oversize.status, { 'Content-Type': 'application/json', Connection: 'close' }, JSON.stringify({ message: oversize.message }));

    const local = await localPage(method, rawPath);
    if (local) return send(res, local.status, { 'Content-Type': local.contentType }, local.body);

    // The 10 MB limit answers before anything else, in plain text and without the x-amzn headers (§2.6, §7.1).
    const body = await readBody(req, MAX_PAYLOAD_BYTES);
    if (body === 'too-large') {
      return send(res, 413, { 'Content-Type': 'text; charset=utf-8', Connection: 'close' }, `HTTP content length exceeded ${MAX_PAYLOAD_BYTES} bytes.`);
    }

    const ctx: ErrorContext = { requestId, extendedRequestId, stage: settings.stageName, apiId, httpMethod: method, path: rawPath, headers };
    const fail = (err: GatewayError, resourcePath?: string) => {
      const rendered = renderGatewayError(err, responses, { ...ctx, resourcePath });
      send(res, rendered.status, rendered.headers, rendered.body);
    };

    const stagePrefix = `/${settings.stageName}`;
    const viaStage = rawPath === stagePrefix || rawPath.startsWith(`${stagePrefix}/`);
    const mappedPath = viaStage ? undefined : basePathRoute(rawPath, basePath);
    if (!viaStage && mappedPath === undefined) {
      // Not a deployed stage (§1.7), nor a mapped base path: the answer comes before the API is known, so no customization applies.
      return send(res, 403, { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amz-apigw-id': extendedRequestId, 'x-amzn-ErrorType': 'ForbiddenException' }, '{"message":"Forbidden"}');
    }
    // WAF inspects every request to the stage it is associated with before API Gateway handles it.
    if (waf?.blocks(normalizeIp(req.socket.remoteAddress))) return fail(gatewayErrors.wafFiltered());
    // `/dev` alone is not the root resource; `/dev/` is (§1.6).
    if (rawPath === stagePrefix) return fail(gatewayErrors.missingAuthenticationToken());
    const path = mappedPath ?? rawPath.slice(stagePrefix.length);

    const match = route(method, path);
    if (!match) {
      const authorization = headers.authorization;
      const sigV4 = authorization !== undefined && /^AWS4-HMAC-SHA256\s/.test(authorization);
      return fail(authorization && !sigV4 && !authorization.includes('=') ? gatewayErrors.incompleteSignature(authorization) : gatewayErrors.missingAuthenticationToken());
    }
    const resourcePath = match.resourcePath;
    // API key, the usage plan (per key), then the stage's per-method throttle (§3.10); validation after
    // them (§3.16: LocalStack's order, UNCONFIRMED on AWS).
    const deployed = match.method;
    // The authorizer first, then the key (docs/apigateway-behaviour.md §12.8, §3.16: route → authorizer → API key → validation).
    let claims: Record<string, string> | undefined;
    if (deployed.authorizer) {
      const outcome = await userPools.verify(deployed.authorizer, headers[deployed.authorizer.header.toLowerCase()]);
      if (!outcome.ok) return fail(outcome.error, resourcePath);
      claims = outcome.claims;
    }
    if (deployed.apiKeyRequired) {
      if (headers['x-api-key'] !== apiKey) return fail(gatewayErrors.invalidApiKey(), resourcePath);
      const limited = usagePlan.admit(apiKey);
      if (limited) return fail(limited, resourcePath);
    }
    if (!stageThrottle.take(`${resourcePath} ${match.method.method}`)) return fail(gatewayErrors.throttled(), resourcePath);

    if (deployed.integration.type === 'mock') {
      const cors = preflightHeaders(deployed.integration, headers.origin);
      return send(res, 200, { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amz-apigw-id': extendedRequestId, ...cors }, '{}');
    }

    const query = parseQuery(rawQuery);
    const invalid = validators.get(deployed.key)?.({ headers, query, pathParameters: match.pathParameters, contentType: lastLine(req.rawHeaders, 'content-type'), body: body.toString('utf8') });
    if (invalid) {
      // The detail goes to the execution log, as API Gateway logs it; the body carries the message only (infra/definition/cors.ts ERROR_TEMPLATE).
      if (invalid.validationErrorString) logError(`[${requestId}] Request validation failed: ${invalid.message}: ${invalid.validationErrorString}`);
      return fail(invalid, resourcePath);
    }

    const event = buildProxyEvent({
      httpMethod: method,
      path,
      stage: settings.stageName,
      resourcePath,
      pathParameters: match.pathParameters,
      rawHeaders: req.rawHeaders,
      query,
      body,
      binaryMediaTypes,
      requestId,
      extendedRequestId,
      apiId,
      deploymentId,
      sourceIp: normalizeIp(req.socket.remoteAddress),
      localPort: (req.socket.localPort ?? 0),
      apiKey: deployed.apiKeyRequired ? { value: apiKey, id: apiKeyId } : undefined,
      ...(claims ? { claims } : {}),
      ...(mappedPath !== undefined ? { basePath: basePath ?? '' } : {}),
      now: new Date(),
    });
    if (Buffer.byteLength(JSON.stringify(event)) > MAX_INVOKE_BYTES) return fail(gatewayErrors.requestTooLong(), resourcePath);

    const outcome = await invokeHandler(handler, event, {
      functionName: 'local-function',
      memorySize: settings.lambda.memorySize,
      functionTimeoutMs: settings.lambda.timeoutSeconds * 1000,
      integrationTimeoutMs,
    });
    if (outcome.kind === 'integration-timeout') return fail(gatewayErrors.integrationTimeout(), resourcePath);
    if (outcome.kind === 'function-timeout') {
      logError(`[${requestId}] Task timed out after ${settings.lambda.timeoutSeconds}.00 seconds`);
      return fail(gatewayErrors.integrationFailure(), resourcePath);
    }
    if (outcome.kind === 'error') {
      const e = outcome.error;
      logError(`[${requestId}] Lambda function error: ${e instanceof Error ? (e.stack ?? e.message) : JSON.stringify(e)}`);
      return fail(gatewayErrors.integrationFailure(), resourcePath);
    }
    let size = 0;
    try {
      size = Buffer.byteLength(JSON.stringify(outcome.result) ?? '');
    } catch {
      size = Infinity;
    }
    if (size > MAX_INVOKE_BYTES) {
      logError(`[${requestId}] Lambda response of ${size} bytes exceeds the ${MAX_INVOKE_BYTES}-byte invoke limit`);
      return fail(gatewayErrors.integrationFailure(), resourcePath);
    }
    const mapped = mapProxyResponse(outcome.result, { accept: headers.accept, binaryMediaTypes });
    if (!mapped.ok) {
      logError(`[${requestId}] Execution failed due to configuration error: ${mapped.reason}`);
      return fail(mapped.error, resourcePath);
    }
    send(res, mapped.status, { ...mapped.headers, 'x-amzn-RequestId': requestId, 'x-amz-apigw-id': extendedRequestId, 'X-Amzn-Trace-Id': event.headers['X-Amzn-Trace-Id'] ?? '' }, mapped.body, method === 'HEAD');
  }

  async function localPage(method: string, rawPath: string) {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (rawPath === '/openapi.json' && options.openapi) {
      return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(options.openapi(baseUrl), null, 2) };
    }
    if (rawPath === '/docs' || rawPath.startsWith('/docs/')) return options.openapi ? docsPage(rawPath) : undefined;
    return undefined;
  }

  // What Node's parser refuses before any handler runs (past NODE_MAX_HEADER_BYTES, or not HTTP) it would
  // answer with a bare status line; the gateway's refusals are JSON.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET')) return void socket.destroy();
    const overflow = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({ message: overflow ? `HTTP header is larger than ${MAX_REQUEST_LINE_AND_HEADERS_BYTES} bytes.` : 'Bad Request' });
    const status = overflow ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });

  return {
    server,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const actual = (server.address() as AddressInfo).port;
          baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
          resolve({ url: baseUrl, stageUrl: `${baseUrl}/${settings.stageName}`, port: actual, ...(basePath !== undefined ? { customUrl: `${baseUrl}${basePath === '' ? '' : `/${basePath}`}` } : {}) });
        });
      }),
    close: () =>
      new Promise((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    reload: () => loader?.reload(),
  };
}

/**
 * Returns the refusal for a request whose request line and header values together exceed API Gateway's
 * 10,240-byte quota (§7.3), or undefined. The header message is the one API Gateway's edge was recorded
 * sending ("HTTP header is larger than 10240 bytes.", ntsblog.homedev.com.au 2021-03-09); it is the text
 * of Netty's TooLongHttpHeaderException, and a request line over the quota gets Netty's
 * TooLongHttpLineException text. The statuses (431 headers, RFC 6585 §5; 414 request line, RFC 9110
 * §15.5.15) are UNCONFIRMED on AWS; the JSON body is ours, as every gateway refusal here is JSON.
 */
function requestLineAndHeadersRefusal(req: IncomingMessage): { status: number; message: string } | undefined {
  const line = Buffer.byteLength(`${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}`);
  if (line > MAX_REQUEST_LINE_AND_HEADERS_BYTES) return { status: 414, message: `An HTTP line is larger than ${MAX_REQUEST_LINE_AND_HEADERS_BYTES} bytes.` };
  let total = line;
  for (let i = 1; i < req.rawHeaders.length; i += 2) total += Buffer.byteLength(req.rawHeaders[i]!);
  if (total > MAX_REQUEST_LINE_AND_HEADERS_BYTES) return { status: 431, message: `HTTP header is larger than ${MAX_REQUEST_LINE_AND_HEADERS_BYTES} bytes.` };
  return undefined;
}

/**
 * Returns the headers of a MOCK preflight: its static `method.response.header` values, and the
 * Allow-Origin its VTL template sets: `*`, or the request's Origin only when it is listed; an
 * unlisted origin gets none, so the browser refuses.
 */
function preflightHeaders(mock: { headers: Record<string, string>; origins: '*' | string[] }, origin: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { ...mock.headers };
  if (mock.origins === '*') headers['Access-Control-Allow-Origin'] = '*';
  else if (origin !== undefined && mock.origins.includes(origin)) headers['Access-Control-Allow-Origin'] = origin;
  return headers;
}

/** Returns the request headers by lower-cased name, in a map without a prototype (a header may be called `constructor`). */
function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out = Object.create(null) as Record<string, string | undefined>;
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value[value.length - 1] : value;
  return out;
}

/**
 * Returns the last line of a header field, as API Gateway's single-valued `headers` map holds it
 * (reference §5.4). Node keeps the FIRST Content-Type line in `req.headers`; the model is chosen
 * from the same line the event, and so the service, sees.
 */
function lastLine(rawHeaders: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === name) value = rawHeaders[i + 1];
  return value;
}

/** Reads the body, at most `limit` bytes; past it, drains the rest and returns 'too-large'. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number.isFinite(declared) && declared > limit;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk as Buffer);
  }
  return tooLarge ? 'too-large' : Buffer.concat(chunks, size);
}

function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer | string, headOnly = false): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(headOnly ? undefined : body);
}

function normalizeIp(address: string | undefined): string {
  return (address ?? '127.0.0.1').replace(/^::ffff:/, '');
}

/**
 * Returns the API path of a request that came through the base-path mapping, or undefined when
 * `rawPath` is not under `basePath` (API Gateway answers 403 Forbidden, as for an unknown stage).
 * `/v1/orders` → `/orders`; `/v1` alone → `/` (the API's root: UNCONFIRMED, the mapping's bare URL);
 * with an empty base path every path is the API's own.
 */
export function basePathRoute(rawPath: string, basePath: string | undefined): string | undefined {
  if (basePath === undefined) return undefined;
  if (basePath === '') return rawPath;
  const prefix = `/${basePath}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : undefined;
}

/**
 * Returns `BASE_PATH` as the gateway takes it: `/v1/` → `v1`, `/` → '' (the whole host), unset or
 * empty → undefined (stage URL only). Throws naming BASE_PATH for more than one segment or characters
 * a base path cannot hold (as the basePath setting).
 */
export function normaliseBasePath(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const trimmed = text.replace(/^\/+|\/+$/g, '');
  if (trimmed !== '' && !/^[A-Za-z0-9._~-]{1,128}$/.test(trimmed)) {
    throw new Error(`BASE_PATH=${text} is not a base path: expected one path segment such as /v1 (letters, digits, ".", "_", "~", "-"), or / for the whole host.`);
  }
  return trimmed;
}
