/**
 * The part of Lambda's Node.js runtime a response-streaming function needs, for `npm start`'s functions and the tests:
 * the `awslambda` global (`streamifyResponse`, `HttpResponseStream`) and the response stream the runtime hands the
 * handler. It follows the runtime's contract (docs/apigateway-behaviour.md §15.4, §15.5; AWS Lambda developer guide,
 * "Writing response streaming-enabled Lambda functions"; the runtime interface client's HttpResponseStream.js):
 * `streamifyResponse` marks the handler (the symbol `aws.lambda.runtime.handler.streaming` set to `response`, which the
 * runtime checks on the exported handler), `HttpResponseStream.from` sets the content type
 * `application/vnd.awslambda.http-integration-response` and writes `JSON.stringify(metadata)` and 8 null bytes before
 * the stream's first write (or at its end, when nothing was written).
 */
import { Writable } from 'node:stream';
import type { AwsLambdaRuntime, ResponseStream, StreamMetadata } from '../lambda/streaming';

/** The mark Lambda's runtime looks for on a streaming handler (the runtime interface client's UserFunction.js). */
export const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
/** The content type of a stream of metadata, delimiter and payload (§15.5). */
export const HTTP_INTEGRATION_RESPONSE = 'application/vnd.awslambda.http-integration-response';
/** The delimiter's length: 8 null bytes between the metadata and the payload (§15.4). */
export const DELIMITER_LENGTH = 8;

/** A response stream of this runtime: what it wrote so far goes to `sink`, one call per write, in order. */
class LocalResponseStream extends Writable implements ResponseStream {
  contentType: string | undefined;
  /** Set by HttpResponseStream.from: writes the metadata and the delimiter, before the first write. */
  _onBeforeFirstWrite: ((write: (chunk: Uint8Array | string) => void) => void) | undefined;
  private started = false;

  constructor(private readonly sink: (chunk: Buffer) => Promise<void> | void) {
    super();
  }

  setContentType(contentType: string): void {
    this.contentType = contentType;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this._onBeforeFirstWrite?.((chunk) => (Writable.prototype.write as (c: unknown) => boolean).call(this, chunk));
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    this.start();
    return (Writable.prototype.write as (...args: unknown[]) => boolean).call(this, chunk, encoding, callback);
  }

  override end(...args: unknown[]): this {
    this.start();
    return (Writable.prototype.end as (...a: unknown[]) => this).apply(this, args);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    Promise.resolve(this.sink(Buffer.from(chunk))).then(() => callback(), callback);
  }
}

/** The `awslambda` global of Lambda's Node.js runtime (§15.5), as this runtime provides it. */
export const awslambda: AwsLambdaRuntime = {
  streamifyResponse(handler) {
    Object.defineProperty(handler, HANDLER_STREAMING, { value: 'response', configurable: true });
    return handler;
  },
  HttpResponseStream: {
    from(responseStream: ResponseStream, metadata: StreamMetadata): ResponseStream {
      responseStream.setContentType(HTTP_INTEGRATION_RESPONSE);
      // JSON.stringify: no null byte can be in the metadata, so the first 8 null bytes end it.
      const prelude = JSON.stringify(metadata);
      (responseStream as LocalResponseStream)._onBeforeFirstWrite = (write) => {
        write(prelude);
        write(new Uint8Array(DELIMITER_LENGTH));
      };
      return responseStream;
    },
  },
};

/**
 * Sets `globalThis.awslambda`'s `streamifyResponse` and `HttpResponseStream`, as Lambda's Node.js runtime does before it
 * loads the handler, keeping an object already there and what it holds: the AWS SDK's @aws/lambda-invoke-store creates
 * `globalThis.awslambda` (`{ InvokeStore }`) when it loads first, which must not hide the runtime's members.
 */
export function installAwsLambdaGlobal(): void {
  const holder = globalThis as { awslambda?: Partial<AwsLambdaRuntime> };
  const existing = holder.awslambda;
  if (!existing || typeof existing !== 'object') {
    holder.awslambda = { ...awslambda };
    return;
  }
  existing.streamifyResponse ??= awslambda.streamifyResponse;
  existing.HttpResponseStream ??= awslambda.HttpResponseStream;
}

/** True when `handler` is a streaming handler (streamifyResponse marked it). */
export function isStreamingHandler(handler: unknown): boolean {
  return typeof handler === 'function' && (handler as unknown as Record<symbol, unknown>)[HANDLER_STREAMING] === 'response';
}

/**
 * Runs a streaming handler on `event`: each byte it writes (metadata, delimiter, payload) goes to `sink` in order, a
 * promise `sink` returns holding the next write (backpressure). Resolves `{ kind: 'ended' }` once the stream has ended
 * (the handler's promise resolved: the stream is ended then if the handler left it open), `{ kind: 'error' }` with what
 * the handler threw or rejected with.
 */
export async function runStreamingHandler(
  handler: (event: unknown, stream: ResponseStream, context: unknown) => unknown,
  event: unknown,
  context: unknown,
  sink: (chunk: Buffer) => Promise<void> | void,
): Promise<{ kind: 'ended'; contentType?: string } | { kind: 'error'; error: unknown }> {
  const stream = new LocalResponseStream(sink);
  const ended = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', reject);
  });
  try {
    await handler(event, stream, context);
    if (!stream.writableEnded) stream.end();
    await ended;
    return { kind: 'ended', ...(stream.contentType !== undefined ? { contentType: stream.contentType } : {}) };
  } catch (error) {
    stream.destroy();
    return { kind: 'error', error };
  }
}
