import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { PassThrough } from 'node:stream';
import { isStreamingHandler, runStreamingHandler } from './lambda-runtime';

/** A Lambda handler: the bundle's `handler` export, or any function of the same shape (tests). */
export type LambdaHandler = (event: unknown, context: LambdaContext, callback?: (err: unknown, result?: unknown) => void) => unknown;

export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

export type InvokeOutcome =
  /** `bytes`: the size of the result as the runtime serialised it (JSON), when it ran in its own process (./function-process.ts). */
  | { kind: 'result'; result: unknown; bytes?: number }
  /**
   * A streaming function's output as it comes (metadata, delimiter, payload: docs/apigateway-behaviour.md §15.4): the
   * stream ends when the function's does, and is destroyed with the error when the function fails, times out or exits.
   */
  | { kind: 'stream'; body: Readable }
  | { kind: 'error'; error: unknown }
  /** The function ran past its own timeout: Lambda reports a function error (a 502 at the gateway). */
  | { kind: 'function-timeout' }
  /** The gateway stopped waiting (a 504); the function may still be running (docs/apigateway-behaviour.md §7.2). */
  | { kind: 'integration-timeout' }
  /**
   * The function's process ended during the invocation (process.exit, an uncaught exception, a signal):
   * `reason` as Lambda logs it, e.g. "Runtime exited with error: exit status 1" (./function-process.ts).
   */
  | { kind: 'runtime-exit'; reason: string };

export interface InvokeOptions {
  functionName: string;
  memorySize: number;
  /** The function's own timeout. */
  functionTimeoutMs: number;
  /** API Gateway's integration timeout (29 s by default). */
  integrationTimeoutMs: number;
}

/**
 * Returns the context object Lambda's Node.js runtime passes a handler (AWS Lambda developer guide, "Using the
 * Lambda context object to retrieve Node.js function information"): `deadline` is when the invocation times out
 * (epoch ms), read by `getRemainingTimeInMillis`. Used in this process (invokeHandler) and in a function's own
 * process (./function-worker.ts), where the deadline comes from the gateway's clock, the same machine's.
 */
export function lambdaContext(functionName: string, memorySize: number, deadline: number, awsRequestId: string = randomUUID()): LambdaContext {
  return {
    awsRequestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: String(memorySize),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/**
 * Runs `handler` once and returns how it ended: its result or its error. An async handler's promise settles
 * the invocation; a callback-style one (three parameters) calls back; a synchronous one returning a value
 * (fewer than three parameters) is done when it returns. Never rejects: a throw is an `error`.
 */
export function runHandler(handler: LambdaHandler, event: unknown, context: LambdaContext): Promise<{ kind: 'result'; result: unknown } | { kind: 'error'; error: unknown }> {
  return new Promise((resolve) => {
    const callback = (err: unknown, result?: unknown) => resolve(err ? { kind: 'error', error: err } : { kind: 'result', result });
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then(
          (result) => resolve({ kind: 'result', result }),
          (error: unknown) => resolve({ kind: 'error', error }),
        );
      } else if (handler.length < 3) {
        resolve({ kind: 'result', result: returned });
      }
    } catch (error) {
      resolve({ kind: 'error', error });
    }
  });
}

/**
 * Returns how invoking `handler` ended: its result, its error, or whichever timeout came first.
 * The handler runs in this process; a timed-out one is abandoned, not stopped, like a Lambda
 * the gateway gave up on.
 */
export async function invokeHandler(handler: LambdaHandler, event: unknown, options: InvokeOptions): Promise<InvokeOutcome> {
  const context = lambdaContext(options.functionName, options.memorySize, Date.now() + options.functionTimeoutMs);
  const timers: NodeJS.Timeout[] = [];
  const after = (ms: number, outcome: InvokeOutcome) => new Promise<InvokeOutcome>((resolve) => timers.push(setTimeout(() => resolve(outcome), ms)));
  const functionFirst = options.functionTimeoutMs < options.integrationTimeoutMs;
  try {
    return await Promise.race([
      isStreamingHandler(handler) ? runStreaming(handler, event, context) : runHandler(handler, event, context),
      functionFirst ? after(options.functionTimeoutMs, { kind: 'function-timeout' }) : after(options.integrationTimeoutMs, { kind: 'integration-timeout' }),
    ]);
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}

/**
 * Returns a loader for the bundle's `handler`: imported on first use and again after `reload()`
 * (a fresh module instance, as a new Lambda deployment would be).
 */
export function bundleHandlerLoader(file: string): { handler: LambdaHandler; reload(): void } {
  let version = 0;
  let loaded: Promise<LambdaHandler> | undefined;
  const load = () =>
    (loaded ??= import(`${pathToFileURL(file).href}?v=${version}`).then((mod: { handler?: unknown }) => {
      if (typeof mod.handler !== 'function') throw new Error(`${file} does not export a function named handler`);
      return mod.handler as LambdaHandler;
    }));
  return {
    handler: async (event, context) => (await load())(event, context),
    reload: () => {
      version += 1;
      loaded = undefined;
    },
  };
}

/**
 * Runs a streaming handler in this process (./lambda-runtime.ts): resolves with its output as a stream once its first
 * bytes come (or it ends), or with its error when it fails before writing any. The function's timeout does not cut a
 * stream that has begun here: only a function in its own process (./function-process.ts) is stopped mid-stream.
 */
function runStreaming(handler: LambdaHandler, event: unknown, context: LambdaContext): Promise<InvokeOutcome> {
  return new Promise((resolve) => {
    const body = new PassThrough();
    let begun = false;
    const begin = () => {
      if (!begun) resolve({ kind: 'stream', body });
      begun = true;
    };
    void runStreamingHandler(handler as never, event, context, (chunk) => {
      begin();
      if (!body.write(chunk)) return new Promise<void>((drained) => body.once('drain', () => drained()));
      return undefined;
    }).then((outcome) => {
      if (outcome.kind === 'error' && !begun) return resolve({ kind: 'error', error: outcome.error });
      begin();
      if (outcome.kind === 'error') body.destroy(outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)));
      else body.end();
    });
  });
}
