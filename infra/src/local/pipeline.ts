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
import { callProxyIntegration } from './proxy-integration';
import { send } from './response';
import { truncateLogEvent } from './execution-log';
import { lastLine, readRequestBody, readRequestHead, requestLineAndHeadersRefusal, type PlainAnswer } from './request';
import { createRouter } from './router';
import { noRouteError, resolveStage } from './stage-routing';
import { TokenBuckets, UsagePlan } from './usage-plan';
import { compileValidators } from './validation';
import { wafRateRule } from './waf';

/**
 * What the local gateway is built from: the API definition and the stack's settings Pulumi deploys (so local and
 * deployed read the same), the function (a handler or a bundle file), the API key, and the emulator's own knobs
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
}

/** The gateway's request pipeline: `handle` answers one request; `reload` re-imports the bundle. */
export interface Pipeline {
  handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void>;
  reload(): void;
}

/**
 * Returns the pipeline of the deployed stage, its stages in the order API Gateway applies them, each
 * answering or passing the request on (each stage's module says what it reads and answers; § numbers
 * are docs/apigateway-behaviour.md's):
 *  1. the edge's request line and header quota (./request.ts, §7.3);
 *  2. the emulator's own pages, `/docs` and `/openapi.json` (./local-pages.ts; not API Gateway's);
 *  3. the body and the 10 MB payload limit (./request.ts, §7.1, §2.6);
 *  4. the stage or base-path mapping: the bare 403 of an unknown stage (./stage-routing.ts, §1.7, §1.6);
 *  5. the web ACL's rate rule (./waf.ts): WAF inspects every request to its stage before API Gateway;
 *  6. the resource and method (./router.ts; no match: ./stage-routing.ts `noRouteError`, §1);
 *  7. the authorizer, the API key and usage plan, the stage throttle (./method-access.ts, §12.8, §3.16, §3.10);
 *  8. a CORS preflight's MOCK integration (./preflight.ts, §8);
 *  9. request validation (./validation.ts, §4; after the key, §3.16), then the proxy event (./event.ts, §5);
 * 10. the Lambda proxy integration and response mapping (./proxy-integration.ts, §6, §7.2).
 * A stage's gateway error is rendered with the API's gateway responses (./errors.ts, §2), with the
 * resource path once the method is known. Everything is read from the API definition Pulumi deploys
 * and the stage's settings: local and deployed cannot drift. Function errors go to `logError` (the
 * server's, ./server.ts, which owns the defaults of both logs).
 */
export function createPipeline(options: GatewayOptions, baseUrl: () => string, logError: (line: string) => void): Pipeline {
  const { settings, apiKey } = options;
  if (!options.handler && !options.bundleFile) throw new Error('createGateway needs a handler or a bundleFile');
  const loader = options.bundleFile ? bundleHandlerLoader(options.bundleFile) : undefined;
  const handler: LambdaHandler = options.handler ?? loader!.handler;
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
  const binaryMediaTypes = options.binaryMediaTypes ?? [];
  const integration = {
    handler,
    invoke: {
      functionName: 'local-function',
      memorySize: settings.lambda.memorySize,
      functionTimeoutMs: settings.lambda.timeoutSeconds * 1000,
      integrationTimeoutMs: options.integrationTimeoutMs ?? GATEWAY_TIMEOUT_SECONDS * 1000,
    },
    binaryMediaTypes,
    timeoutSeconds: settings.lambda.timeoutSeconds,
    logError,
  };

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
    const body = read.body;

    const ctx: ErrorContext = { requestId, extendedRequestId, stage: settings.stageName, apiId, httpMethod: method, path: rawPath, headers, rawHeaders: head.rawHeaders };
    const fail = (err: GatewayError, resourcePath?: string) => {
      const rendered = renderGatewayError(err, responses, { ...ctx, resourcePath });
      send(res, rendered.status, rendered.headers, rendered.body);
    };

    const stage = resolveStage(rawPath, settings.stageName, basePath, ids);
    if ('refusal' in stage) return answer(stage.refusal);
    // WAF inspects every request to the stage it is associated with before API Gateway handles it.
    if (waf?.blocks(head.sourceIp)) return fail(gatewayErrors.wafFiltered());
    if ('error' in stage) return fail(stage.error);
    const path = stage.path;

    const match = route(method, path);
    if (!match) return fail(noRouteError(headers.authorization));
    const { resourcePath, method: deployed } = match;

    const admitted = await checkMethodAccess(deployed, headers, access, head.rawHeaders);
    if (!admitted.ok) return fail(admitted.error, resourcePath);

    if (deployed.integration.type === 'mock') return answer(preflightAnswer(deployed.integration, headers.origin, ids));

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

    const integrated = await callProxyIntegration(event, headers.accept, requestId, integration);
    if (!integrated.ok) return fail(integrated.error, resourcePath);
    const { response } = integrated;
    send(res, response.status, { ...response.headers, 'x-amzn-RequestId': requestId, 'x-amz-apigw-id': extendedRequestId, 'X-Amzn-Trace-Id': event.headers?.['X-Amzn-Trace-Id'] ?? '' }, response.body, method === 'HEAD');
  }

  return { handle, reload: () => loader?.reload() };
}
