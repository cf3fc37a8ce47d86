import type { Readable } from 'node:stream';
import type { ProxyEvent } from '../lambda/proxy-event';
import { gatewayErrors, type GatewayError } from './errors';
import type { FunctionProcess } from './function-process';
import { invokeHandler, type InvokeOptions, type LambdaHandler } from './integration';
import { MAX_INVOKE_BYTES } from './request';
import { truncateLogEvent } from './execution-log';
import { mapProxyResponse } from './response';
import { readStreamMetadata } from './stream-response';

/** What the integration stage needs beyond the event: the function, its limits, the API's binary types, the function log. */
export interface ProxyIntegration {
  /** The function run in this process; or `runtime`, the function run in a process of its own, which wins. */
  handler?: LambdaHandler;
  runtime?: Pick<FunctionProcess, 'invoke'>;
  /** The function's name, memory and timeout (in this process), the integration timeout (both). */
  invoke: InvokeOptions;
  binaryMediaTypes: readonly string[];
  /** The function's timeout in seconds, as Lambda's "Task timed out after N.00 seconds" log line says it. */
  timeoutSeconds: number;
  /** The function's (CloudWatch) log and the execution log, one line each. */
  logError(line: string): void;
}

/** The HTTP response the integration answers with. */
export interface IntegrationResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /**
   * A streamed integration's payload (docs/streaming.md): `first`, what came with the metadata, then `rest` as the
   * function writes it; `body` is empty then. The pipeline writes it with ./stream-response.ts writeStreamedResponse.
   */
  stream?: { first: Buffer; rest: Readable };
}

/**
 * Stage 10, the Lambda proxy integration: reads the event built for the request (stage 9) and the client's
 * `Accept`; answers the function's proxy response mapped to HTTP (docs/apigateway-behaviour.md §6), or the gateway response of its failure:
 * - an event over Lambda's 6 MB invoke limit: REQUEST_TOO_LARGE 413 "Request Too Long" (§6.10), the function not invoked;
 * - the integration timeout first: INTEGRATION_TIMEOUT 504 (§7.2);
 * - a streaming function's output (docs/streaming.md): its metadata mapped as a proxy response's status and headers,
 *   its payload left to stream (`stream`); output that does not start with metadata and 8 null bytes: 502 (§15.4, §15.13);
 * - the function's own timeout, a thrown error, the function's process exiting (./function-process.ts), a response
 *   over 6 MB, or a malformed proxy response: INTEGRATION_FAILURE 502, with the reason in the function's or the
 *   execution log (§6).
 */
export async function callProxyIntegration(event: ProxyEvent, accept: string | undefined, requestId: string, integration: ProxyIntegration): Promise<{ ok: true; response: IntegrationResponse } | { ok: false; error: GatewayError }> {
  const { logError } = integration;
  const eventJson = JSON.stringify(event);
  if (Buffer.byteLength(eventJson) > MAX_INVOKE_BYTES) return { ok: false, error: gatewayErrors.requestTooLong() };

  const outcome = integration.runtime
    ? await integration.runtime.invoke(eventJson, { integrationTimeoutMs: integration.invoke.integrationTimeoutMs })
    : integration.handler
      ? await invokeHandler(integration.handler, event, integration.invoke)
      : ({ kind: 'error', error: new Error('the integration has no function to invoke') } as const);
  if (outcome.kind === 'integration-timeout') return { ok: false, error: gatewayErrors.integrationTimeout() };
  if (outcome.kind === 'function-timeout') {
    logError(`[${requestId}] Task timed out after ${integration.timeoutSeconds}.00 seconds`);
    return { ok: false, error: gatewayErrors.integrationFailure() };
  }
  if (outcome.kind === 'runtime-exit') {
    // As Lambda logs a runtime that exited mid-invocation: "Error: Runtime exited with error: exit status 1 Runtime.ExitError".
    logError(`[${requestId}] Error: ${outcome.reason} Runtime.ExitError`);
    return { ok: false, error: gatewayErrors.integrationFailure() };
  }
  if (outcome.kind === 'error') {
    const e = outcome.error;
    logError(`[${requestId}] Lambda function error: ${e instanceof Error ? (e.stack ?? e.message) : JSON.stringify(e)}`);
    return { ok: false, error: gatewayErrors.integrationFailure() };
  }
  if (outcome.kind === 'stream') {
    // A streamed integration (§15.4): the metadata, then the payload as it comes; never the 6 MB or 10 MB limits (§15.10).
    const start = await readStreamMetadata(outcome.body);
    if (!start.ok) {
      logError(truncateLogEvent(`[${requestId}] Execution failed: ${start.reason}`));
      return { ok: false, error: gatewayErrors.integrationFailure() };
    }
    const metadata = start.metadata as Record<string, unknown> | null;
    const { cookies, ...fields } = metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata) ? metadata : { metadata };
    const multi = { ...((fields.multiValueHeaders as Record<string, unknown[]> | undefined) ?? {}) };
    if (Array.isArray(cookies) && cookies.length > 0) multi['Set-Cookie'] = [...((multi['Set-Cookie'] as unknown[] | undefined) ?? []), ...cookies];
    const mapped = mapProxyResponse({ ...fields, multiValueHeaders: multi }, { accept, binaryMediaTypes: [] });
    if (!mapped.ok) {
      start.rest.destroy();
      logError(truncateLogEvent(`[${requestId}] Execution failed due to configuration error: ${mapped.reason.replace('Lambda proxy response', 'streamed response metadata')}`));
      return { ok: false, error: mapped.error };
    }
    return { ok: true, response: { status: mapped.status, headers: mapped.headers, body: Buffer.alloc(0), stream: { first: start.first, rest: start.rest } } };
  }
  let size = 0;
  try {
    size = outcome.bytes ?? Buffer.byteLength(JSON.stringify(outcome.result) ?? '');
  } catch {
    size = Infinity;
  }
  if (size > MAX_INVOKE_BYTES) {
    logError(`[${requestId}] Lambda response of ${size} bytes exceeds the ${MAX_INVOKE_BYTES}-byte invoke limit`);
    return { ok: false, error: gatewayErrors.integrationFailure() };
  }
  const mapped = mapProxyResponse(outcome.result, { accept, binaryMediaTypes: integration.binaryMediaTypes });
  if (!mapped.ok) {
    logError(truncateLogEvent(`[${requestId}] Execution failed due to configuration error: ${mapped.reason}`));
    return { ok: false, error: mapped.error };
  }
  return { ok: true, response: { status: mapped.status, headers: mapped.headers, body: mapped.body } };
}
