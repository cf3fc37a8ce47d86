import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiDefinition } from '../core/definition/types';
import { GATEWAY_TIMEOUT_SECONDS } from '../core/limits';
import type { GatewaySettings } from '../settings/types';
import { createUserPoolVerifier, type UserPoolKeys } from './authorizer';
import { readDefinition, type DeployedMethod } from './definition';
import { gatewayErrors, renderGatewayError, type ErrorContext, type GatewayError } from './errors';
import { buildProxyEvent, parseQuery } from './event';
import { bundleHandlerLoader, type LambdaHandler } from './integration';
import { localPage } from './local-pages';
import { checkMethodAccess } from './method-access';
import { preflightAnswer } from './preflight';
import { callProxyIntegration, type ProxyIntegration } from './proxy-integration';
import { functionProcess, type FunctionProcess, type LocalFunction } from './function-process';
import { compressResponse, decompressRequest } from './compression';
import { send } from './response';
import { writeStreamedResponse, type STREAM_LIMITS } from './stream-response';
import { truncateLogEvent } from './execution-log';
import { lastLine, readRequestBody, readRequestHead, requestLineAndHeadersRefusal, type PlainAnswer } from './request';
import { createRouter } from './router';
import { noRouteError, resolveStage } from './stage-routing';
import { TokenBuckets, UsagePlan } from './usage-plan';
import { compileValidators } from './validation';
import { bodyLimitBlock, wafRateRule } from './waf';
import type { BodyLimitRule } from '../core/waf-body-limits';

/**
 * What the local gateway is built from: the API definition and the stack's settings Pulumi deploys (so local and
 * deployed read the same), the functions (each in its own process; or one handler or bundle file in this process), the API key, and the emulator's own knobs
 * (logs, clock, base path, the OpenAPI document of its local pages). Read by `createGateway` (./server.ts).
 */
export interface GatewayOptions {
  /**
   * The API definition Pulumi deploys as the RestApi body (infra/definition): routing, the key
   * requirement, validators and models, gateway responses and CORS preflights all come from it.
   */
  definition: ApiDefinition;
  /** The stack's settings (stage, usage plan, stage throttle, Lambda memory and timeout), as Pulumi reads them. */
  settings: GatewaySettings;
  /**
   * The API's functions, each run in a Node.js process of its own (./function-process.ts), keyed by function
   * name: the name inside the invoke ARN of a method's integration `uri` (infra/src/core/definition/document.ts functionOfInvokeArn;
   * `local` for the undeployed document's default function). A method whose function is not here runs
   * `handler` or `bundleFile`; with neither, createGateway throws naming the method.
   */
  functions?: Readonly<Record<string, LocalFunction>>;
  /**
   * The function to invoke in this process, for every method `functions` does not serve; or `bundleFile`, the
   * esbuild bundle whose `handler` export is imported (in this process too). Its memory and timeout are the
   * stack's `lambdaMemorySize` and `lambdaTimeout`.
   */
  handler?: LambdaHandler;
  bundleFile?: string;
  /** The one API key of the usage plan. */
  apiKey: string;
  /** API Gateway's integration timeout; default 29 s, and a streamed method's own (its `timeoutInMillis`, §15.7). */
  integrationTimeoutMs?: number;
  /** A streamed response's limits (./stream-response.ts STREAM_LIMITS: idle timeout, duration, bandwidth); tests shorten them. */
  streamLimits?: Partial<typeof STREAM_LIMITS>;
  /**
   * The API's binaryMediaTypes (docs/binary.md); default the definition's `x-amazon-apigateway-binary-media-types`,
   * as API Gateway sets them from the imported body, else none.
   */
  binaryMediaTypes?: string[];
  /**
   * The API's minimumCompressionSize in bytes (docs/compression.md); default the definition's
   * `x-amazon-apigateway-minimum-compression-size`, as API Gateway sets it from the imported body; none: no compression.
   */
  minimumCompressionSize?: number;
  /** The OpenAPI document served at `/openapi.json` (and read by `/docs`); none: both are 404. */
  openapi?: (baseUrl: string) => unknown;
  /** Where the access log goes, one line per request; default stdout. */
  log?: (line: string) => void;
  /** Where function errors go (the function's CloudWatch log); default stderr. */
  logError?: (line: string) => void;
  /**
   * The user pools the definition's `cognito_user_pools` authorizers trust, by pool ARN: their public keys
   * and app client ids (locally, the development issuer's: infra/src/local/dev-issuer.ts).
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
  /**
   * The web ACL's body-limit rules (infra/src/core/waf-body-limits.ts bodyLimitRules), run with `settings.waf` on:
   * a request past a route's `bodyLimit` by its Content-Length gets the rule's 413 before API Gateway and the function.
   */
  bodyLimits?: readonly BodyLimitRule[];
}

/**
 * The gateway's request pipeline: `handle` answers one request; `reload` re-imports the bundle and restarts every
 * function's process (a fresh module instance); `close` stops those processes and resolves once they have exited.
 */
export interface Pipeline {
  handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void>;
  reload(): void;
  close(): Promise<void>;
}

/** The request's Content-Length as WAF's single-header match reads it: the first `content-length` line's value, else undefined. */
function contentLengthOf(rawHeaders: readonly string[]): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'content-length') return rawHeaders[i + 1];
  return undefined;
}

/**
 * Returns the pipeline of the deployed stage, its stages in the order API Gateway applies them, each
 * answering or passing the request on (each stage's module says what it reads and answers; § numbers
 * are docs/apigateway-behaviour.md's):
 *  1. the edge's request line and header quota (./request.ts, §7.3);
 *  2. the emulator's own pages, `/docs` and `/openapi.json` (./local-pages.ts; not API Gateway's);
 *  3. the body and the 10 MB payload limit (./request.ts, §7.1, §2.6);
 *  4. the stage or base-path mapping: the bare 403 of an unknown stage (./stage-routing.ts, §1.7, §1.6);
 *  5. the web ACL's rate rule and body-limit rules (./waf.ts): WAF inspects every request to its stage before API Gateway;
 *  6. the resource and method (./router.ts; no match: ./stage-routing.ts `noRouteError`, §1);
 *  7. the authorizer, the API key and usage plan, the stage throttle (./method-access.ts, §12.8, §3.16, §3.10);
 *  8. a CORS preflight's MOCK integration (./preflight.ts, §8);
 *  9. request validation (./validation.ts, §4; after the key, §3.16), then the proxy event (./event.ts, §5);
 * 10. the Lambda proxy integration and response mapping (./proxy-integration.ts, §6, §7.2), invoking the method's
 *     function: its own process (./function-process.ts) for one of `functions`, else `handler`/`bundleFile`.
 * A stage's gateway error is rendered with the API's gateway responses (./errors.ts, §2), with the
 * resource path once the method is known. Everything is read from the API definition Pulumi deploys
 * and the stage's settings: local and deployed cannot drift. Function errors go to `logError` (the
 * server's, ./server.ts, which owns the defaults of both logs).
 */
export function createPipeline(options: GatewayOptions, baseUrl: () => string, logError: (line: string) => void): Pipeline {
  const { settings, apiKey } = options;
  const functions = options.functions ?? {};
  if (!options.handler && !options.bundleFile && Object.keys(functions).length === 0) throw new Error('createGateway needs functions, a handler or a bundleFile');
  const loader = options.bundleFile ? bundleHandlerLoader(options.bundleFile) : undefined;
  const handler: LambdaHandler | undefined = options.handler ?? loader?.handler;
  const api = readDefinition(options.definition);
  const route = createRouter<DeployedMethod>(api.methods);
  const validators = compileValidators(api);
  const userPools = createUserPoolVerifier(options.userPools ?? {}, options.now);
  for (const m of api.methods) if (m.authorizer) userPools.check(m.authorizer);
  const access = {
    verifyToken: userPools.verify,
    apiKey,
    usagePlan: new UsagePlan(settings, options.now),
    // The stage's own numbers, all clients together, as the deployed */* method settings (infra/src/pulumi/component.ts).
    stageThrottle: new TokenBuckets(settings.stageThrottle, options.now),
  };
  // The web ACL's per-IP rate rule (waf: true); its managed rule groups are not emulated (./waf.ts).
  const waf = wafRateRule(settings.waf, options.now);
  const basePath = options.basePath;
  const responses = api.gatewayResponses;
  const apiKeyId = createHash('sha256').update(apiKey).digest('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 10).toLowerCase();
  const apiId = 'local';
  const deploymentId = createHash('sha256').update(JSON.stringify(options.definition)).digest('hex').slice(0, 6);
  const binaryMediaTypes = options.binaryMediaTypes ?? options.definition['x-amazon-apigateway-binary-media-types'] ?? [];
  const minimumCompressionSize = options.minimumCompressionSize ?? options.definition['x-amazon-apigateway-minimum-compression-size'];
  const integrationTimeoutMs = options.integrationTimeoutMs ?? GATEWAY_TIMEOUT_SECONDS * 1000;
  // The in-process function: `handler` or `bundleFile`, with the stack's Lambda settings.
  const inProcess: ProxyIntegration | undefined = handler && {
    handler,
    invoke: { functionName: 'local-function', memorySize: settings.lambda.memorySize, functionTimeoutMs: settings.lambda.timeoutSeconds * 1000, integrationTimeoutMs },
    binaryMediaTypes,
    timeoutSeconds: settings.lambda.timeoutSeconds,
    logError,
  };
  // Each function of `functions` in its own process, started on its first invocation.
  const processes = new Map<string, FunctionProcess>();
  const integrations = new Map<string, ProxyIntegration>();
  for (const [name, fn] of Object.entries(functions)) {
    const runtime = functionProcess(name, fn, logError);
    processes.set(name, runtime);
    integrations.set(name, {
      runtime,
      invoke: { functionName: name, memorySize: fn.memorySize, functionTimeoutMs: fn.timeoutSeconds * 1000, integrationTimeoutMs },
      binaryMediaTypes,
      timeoutSeconds: fn.timeoutSeconds,
      logError,
    });
  }
  // The function of each Lambda proxy method, found from its integration uri; a method no function serves is refused here.
  const integrationOf = new Map<string, ProxyIntegration>();
  for (const m of api.methods) {
    if (m.integration.type !== 'aws_proxy') continue;
    const name = m.integration.functionName;
    const integration = (name !== undefined ? integrations.get(name) : undefined) ?? inProcess;
    if (!integration) {
      throw new Error(
        `createGateway: the method ${m.key} invokes ${name === undefined ? 'an integration uri that is not a Lambda invoke ARN' : `the function "${name}" (its integration uri)`}, ` +
          `which GatewayOptions.functions does not name (it names ${Object.keys(functions).map((n) => `"${n}"`).join(', ') || 'none'}), and there is no handler or bundleFile to run instead. ` +
          `Fix: add "${name ?? 'the function'}" to functions, or pass a handler or bundleFile.`,
      );
    }
    // A streamed method (docs/streaming.md): its own integration timeout (up to 15 minutes: §15.7) for the stream's start.
    integrationOf.set(m.key, m.integration.stream ? { ...integration, invoke: { ...integration.invoke, integrationTimeoutMs: options.integrationTimeoutMs ?? m.integration.timeoutMs ?? integrationTimeoutMs } } : integration);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const extendedRequestId = `${randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 14)}=`;
    const ids = { requestId, extendedRequestId };
    const head = readRequestHead(req);
    const { method, rawPath, headers } = head;
    const answer = (a: PlainAnswer) => send(res, a.status, a.headers, a.body);

    const oversize = requestLineAndHeadersRefusal(req);
    if (oversize) return answer(oversize);
    const local = await localPage(method, rawPath, options.openapi, baseUrl());
    if (local) return answer(local);
    const read = await readRequestBody(req);
    if ('refusal' in read) return answer(read.refusal);

    const ctx: ErrorContext = { requestId, extendedRequestId, stage: settings.stageName, apiId, httpMethod: method, path: rawPath, headers, rawHeaders: head.rawHeaders };
    const fail = (err: GatewayError, resourcePath?: string) => {
      const rendered = renderGatewayError(err, responses, { ...ctx, resourcePath });
      send(res, rendered.status, rendered.headers, rendered.body);
    };

    const stage = resolveStage(rawPath, settings.stageName, basePath, ids);
    if ('refusal' in stage) return answer(stage.refusal);
    // WAF inspects every request to the stage it is associated with before API Gateway handles it.
    if (waf?.blocks(head.sourceIp)) return fail(gatewayErrors.wafFiltered());
    // The routes' body-limit rules: WAF's custom response (413, JSON), not a gateway response (no CORS headers either).
    const oversized = waf && bodyLimitBlock(options.bodyLimits ?? [], method, rawPath, contentLengthOf(head.rawHeaders));
    if (oversized) return send(res, 413, { 'content-type': 'application/json' }, Buffer.from(oversized.body));
    if ('error' in stage) return fail(stage.error);
    const path = stage.path;

    const match = route(method, path);
    if (!match) return fail(noRouteError(headers.authorization));
    const { resourcePath, method: deployed } = match;

    const admitted = await checkMethodAccess(deployed, headers, access, head.rawHeaders);
    if (!admitted.ok) return fail(admitted.error, resourcePath);

    if (deployed.integration.type === 'mock') return answer(preflightAnswer(deployed.integration, headers.origin, ids));

    // A compressed request body is decompressed before validation and the integration (§6.15); an unsupported coding is a 415.
    const decoded = decompressRequest(read.body, allLines(head.rawHeaders, 'content-encoding'));
    if ('unsupported' in decoded) {
      logError(`[${requestId}] Request body decompression failed: ${decoded.unsupported}`);
      return fail(gatewayErrors.unsupportedMediaType(), resourcePath);
    }
    if ('tooLarge' in decoded) {
      logError(`[${requestId}] Request body decompression stopped: ${decoded.tooLarge}`);
      return fail(gatewayErrors.requestTooLong(), resourcePath);
    }
    const body = decoded.body;
    const query = parseQuery(head.rawQuery);
    const invalid = validators.get(deployed.key)?.({ headers, query, pathParameters: match.pathParameters, contentType: lastLine(head.rawHeaders, 'content-type'), body: body.toString('utf8') });
    if (invalid) {
      // The detail goes to the execution log, as API Gateway logs it, and a refused body's into the 400 too (infra/src/core/definition/cors.ts BAD_REQUEST_BODY_TEMPLATE).
      if (invalid.validationErrorString) logError(truncateLogEvent(`[${requestId}] Request validation failed: ${invalid.message}: ${invalid.validationErrorString}`));
      return fail(invalid, resourcePath);
    }

    const event = buildProxyEvent({
      httpMethod: method,
      path,
      stage: settings.stageName,
      resourcePath,
      pathParameters: match.pathParameters,
      rawHeaders: head.rawHeaders,
      query,
      body,
      binaryMediaTypes,
      requestId,
      extendedRequestId,
      apiId,
      deploymentId,
      sourceIp: head.sourceIp,
      localPort: head.localPort,
      apiKey: deployed.apiKeyRequired ? { value: apiKey, id: apiKeyId } : undefined,
      ...(admitted.claims ? { claims: admitted.claims } : {}),
      ...(stage.viaBasePath ? { basePath: basePath ?? '' } : {}),
      now: new Date(),
    });

    const integrated = await callProxyIntegration(event, headers.accept, requestId, integrationOf.get(deployed.key)!);
    if (!integrated.ok) return fail(integrated.error, resourcePath);
    const trace = { 'x-amzn-RequestId': requestId, 'x-amz-apigw-id': extendedRequestId, 'X-Amzn-Trace-Id': event.headers?.['X-Amzn-Trace-Id'] ?? '' };
    if (integrated.response.stream) {
      // Streamed (§15): status and headers now, each payload chunk as the function writes it; never compressed.
      return writeStreamedResponse(res, integrated.response.status, { ...integrated.response.headers, ...trace }, integrated.response.stream, {
        headOnly: method === 'HEAD',
        ...(options.streamLimits ? { limits: options.streamLimits } : {}),
        onEarlyEnd: (reason) => logError(`[${requestId}] The streamed response ended early: ${reason}`),
      });
    }
    // Payload compression of the integration response, when the API has a minimumCompressionSize (§6.14).
    const acceptEncoding = allLines(head.rawHeaders, 'accept-encoding');
    const response = compressResponse(integrated.response, acceptEncoding, minimumCompressionSize);
    send(res, response.status, { ...response.headers, ...trace }, response.body, method === 'HEAD');
  }

  return {
    handle,
    reload: () => {
      loader?.reload();
      for (const runtime of processes.values()) runtime.restart();
    },
    close: async () => {
      await Promise.all([...processes.values()].map((runtime) => runtime.close()));
    },
  };
}

/** Returns every line of the header `name` (lower case) in `rawHeaders`, joined by commas as one list (RFC 9110 §5.3); undefined when there is none. */
function allLines(rawHeaders: readonly string[], name: string): string | undefined {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!);
  return values.length > 0 ? values.join(', ') : undefined;
}
