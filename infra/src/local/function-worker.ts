/**
 * The child side of a local function (the parent side is ./function-process.ts): one Node.js process per
 * function, as Lambda runs each function in its own execution environment. Started by `child_process.fork`
 * with the bundle's path as its one argument and the function's environment (Lambda's defined variables
 * included) already set; imports the bundle once (the cold start's Init phase), says `ready`, then runs one
 * invocation per `invoke` message and answers with the result as the runtime serialises it (JSON text) or the
 * error; a streaming handler's (./lambda-runtime.ts) bytes go back as `chunk` messages as it writes them, then `end`. Its stdout and stderr are the gateway's own (the function's log, as in-process handlers write it).
 */
import { pathToFileURL } from 'node:url';
import { lambdaContext, runHandler, type LambdaHandler } from './integration';
import { installAwsLambdaGlobal, isStreamingHandler, runStreamingHandler } from './lambda-runtime';

/** The gateway to the worker: run one invocation. `event` is the event's JSON text; `deadline` (epoch ms) ends it. */
export interface InvokeMessage {
  type: 'invoke';
  id: number;
  event: string;
  awsRequestId: string;
  deadline: number;
}

/**
 * A thrown value as it crosses the process boundary: an Error's name, message and stack (what the gateway logs),
 * or any other value's JSON text (`String(value)` when it has none).
 */
export type SerialisedError = { name: string; message: string; stack?: string } | { value: string };

/** The worker to the gateway: the bundle loaded (or not), one invocation's outcome. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerialisedError }
  /**
   * The result as Lambda's runtime serialises it, JSON, and its size in bytes: either `json`, the whole text, or for
   * a result object with a string `body` (a proxy response) `envelope`, its JSON with the body emptied, and `body`
   * itself, which crosses as it is (a string's JSON round trip gives it back unchanged) and spares the gateway
   * parsing it. Neither: the handler returned undefined.
   */
  | { type: 'result'; id: number; bytes: number; json?: string; envelope?: string; body?: string }
  /** A streaming handler's bytes (metadata, delimiter, payload: docs/apigateway-behaviour.md §15.4), as written, in order. */
  | { type: 'chunk'; id: number; data: Uint8Array }
  /** A streaming handler's stream ended (its invocation is over). */
  | { type: 'end'; id: number }
  | { type: 'error'; id: number; error: SerialisedError };

/** Returns `error` in a form the IPC channel carries and the gateway can log (see SerialisedError). */
export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack !== undefined ? { stack: error.stack } : {}) };
  try {
    return { value: JSON.stringify(error) ?? String(error) };
  } catch {
    return { value: String(error) };
  }
}

/**
 * Returns the `result` message of invocation `id` for what the handler returned (see WorkerMessage): the JSON the
 * gateway reads is exactly `JSON.stringify(result)`'s. Throws what JSON.stringify throws (a cycle, a BigInt).
 */
export function resultMessage(id: number, result: unknown): Extract<WorkerMessage, { type: 'result' }> {
  const json = JSON.stringify(result) as string | undefined;
  if (json === undefined) return { type: 'result', id, bytes: 0 };
  const bytes = Buffer.byteLength(json);
  // A proxy response's body apart: an own enumerable string, no toJSON to change what JSON.stringify writes. Spread
  // copies what JSON.stringify reads (own enumerable properties), and overriding `body` keeps its place in the key order.
  if (result !== null && typeof result === 'object' && !Array.isArray(result) && !('toJSON' in result) && Object.prototype.propertyIsEnumerable.call(result, 'body')) {
    const body = (result as { body: unknown }).body;
    if (typeof body === 'string') return { type: 'result', id, bytes, envelope: JSON.stringify({ ...result, body: '' }), body };
  }
  return { type: 'result', id, bytes, json };
}

/**
 * Runs the worker: reads the bundle path from argv and the function's name and memory from Lambda's own
 * variables (AWS Lambda developer guide, "Defined runtime environment variables"), then serves invocations
 * until the gateway disconnects.
 */
function main(): void {
  const bundleFile = process.argv[2];
  const send = (message: WorkerMessage) => process.send?.(message);
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local';
  const memorySize = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 128);
  // Ctrl-C in a terminal signals the whole foreground process group, this process too: the gateway stops its
  // functions itself (./function-process.ts close), after answering what is in flight.
  process.on('SIGINT', () => {});
  // The gateway gone (its IPC channel closed): nothing is left to serve.
  process.on('disconnect', () => process.exit(0));

  let handler: LambdaHandler | undefined;
  process.on('message', (message: InvokeMessage) => {
    if (message.type !== 'invoke' || !handler) return;
    const context = lambdaContext(functionName, memorySize, message.deadline, message.awsRequestId);
    if (isStreamingHandler(handler)) {
      // A streaming function (docs/streaming.md): each write crosses as it is made, the next one once the channel took it.
      const sink = (data: Buffer) => new Promise<void>((resolve) => (process.send ? process.send({ type: 'chunk', id: message.id, data } satisfies WorkerMessage, undefined, {}, () => resolve()) : resolve()));
      void runStreamingHandler(handler as never, JSON.parse(message.event) as unknown, context, sink).then((outcome) =>
        send(outcome.kind === 'error' ? { type: 'error', id: message.id, error: serialiseError(outcome.error) } : { type: 'end', id: message.id }),
      );
      return;
    }
    void runHandler(handler, JSON.parse(message.event) as unknown, context).then((outcome) => {
      if (outcome.kind === 'error') return send({ type: 'error', id: message.id, error: serialiseError(outcome.error) });
      // As Lambda's runtime does, the result goes back as JSON: what JSON.stringify drops (undefined members,
      // functions) is dropped, a Date becomes its ISO string.
      try {
        send(resultMessage(message.id, outcome.result));
      } catch (error) {
        send({ type: 'error', id: message.id, error: serialiseError(new Error(`The function's result is not serialisable as JSON: ${error instanceof Error ? error.message : String(error)}`)) });
      }
    });
  });

  if (!bundleFile) {
    send({ type: 'init-error', error: serialiseError(new Error('the function worker was started without a bundle file')) });
    return;
  }
  // As Lambda's Node.js runtime does before it loads the handler: a streaming handler needs `awslambda` at import.
  installAwsLambdaGlobal();
  import(pathToFileURL(bundleFile).href).then(
    (mod: { handler?: unknown }) => {
      if (typeof mod.handler !== 'function') return send({ type: 'init-error', error: serialiseError(new Error(`${bundleFile} does not export a function named handler`)) });
      handler = mod.handler as LambdaHandler;
      send({ type: 'ready' });
    },
    (error: unknown) => send({ type: 'init-error', error: serialiseError(error) }),
  );
}

// Run only as the forked process's main module (the gateway imports this module for its types alone).
if (typeof require !== 'undefined' && require.main === module && process.send) main();
