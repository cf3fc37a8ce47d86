import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

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
  | { kind: 'result'; result: unknown }
  | { kind: 'error'; error: unknown }
  /** The function ran past its own timeout: Lambda reports a function error (a 502 at the gateway). */
  | { kind: 'function-timeout' }
  /** The gateway stopped waiting (a 504); the function may still be running (docs/apigateway-behaviour.md §7.2). */
  | { kind: 'integration-timeout' };

export interface InvokeOptions {
  functionName: string;
  memorySize: number;
  /** The function's own timeout. */
  functionTimeoutMs: number;
  /** API Gateway's integration timeout (29 s by default). */
  integrationTimeoutMs: number;
}

/**
 * Returns how invoking `handler` ended: its result, its error, or whichever timeout came first.
 * The handler runs in this process; a timed-out one is abandoned, not stopped, like a Lambda
 * the gateway gave up on.
 */
export async function invokeHandler(handler: LambdaHandler, event: unknown, options: InvokeOptions): Promise<InvokeOutcome> {
  const deadline = Date.now() + options.functionTimeoutMs;
  const context: LambdaContext = {
    awsRequestId: randomUUID(),
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${options.functionName}`,
    memoryLimitInMB: String(options.memorySize),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const timers: NodeJS.Timeout[] = [];
  const after = (ms: number, outcome: InvokeOutcome) => new Promise<InvokeOutcome>((resolve) => timers.push(setTimeout(() => resolve(outcome), ms)));
  const run = new Promise<InvokeOutcome>((resolve) => {
    const callback = (err: unknown, result?: unknown) => resolve(err ? { kind: 'error', error: err } : { kind: 'result', result });
    try {
      const returned = handler(event, context, callback);
      // An async handler's promise settles the invocation; a callback-style one calls back.
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
  const functionFirst = options.functionTimeoutMs < options.integrationTimeoutMs;
  try {
    return await Promise.race([
      run,
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
