/**
 * A streamed integration's response (`responseTransferMode: STREAM`, docs/streaming.md): the function's output read as
 * API Gateway reads it (metadata, 8 null bytes, payload: docs/apigateway-behaviour.md §15.4) and written to the client
 * chunk by chunk within API Gateway's limits for streams (§15.7 to §15.10).
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { DELIMITER_LENGTH } from './lambda-runtime';

/** API Gateway's limits on a streamed response (docs/apigateway-behaviour.md §15.7, §15.8, §15.9). */
export const STREAM_LIMITS = {
  /** The longest a stream lasts: 15 minutes (§15.7). */
  maxDurationMs: 15 * 60 * 1000,
  /** The idle timeout of a Regional or private endpoint, 5 minutes (an edge-optimized endpoint's is 30 s: §15.8). */
  idleTimeoutMs: 5 * 60 * 1000,
  /** Bytes sent without a bandwidth limit (§15.9). */
  unthrottledBytes: 10 * 1024 * 1024,
  /** The bandwidth past them, bytes per second (2 MB/s, §15.9). */
  throttledBytesPerSecond: 2 * 1024 * 1024,
} as const;

/** What {@link readStreamMetadata} finds: the metadata object, and the payload (what follows the delimiter, then the rest). */
export type StreamStart = { ok: true; metadata: unknown; first: Buffer; rest: Readable } | { ok: false; reason: string };

/**
 * Reads the start of a streaming function's output: the metadata JSON up to the first 8 null bytes (JSON text holds no
 * null byte), parsed (§15.4). `first` is the payload bytes read with it; `rest` the stream, to read on. Not ok when the
 * stream ends or fails before the delimiter, or the metadata is not JSON: API Gateway cannot begin the stream then.
 */
export function readStreamMetadata(body: Readable): Promise<StreamStart> {
  const delimiter = Buffer.alloc(DELIMITER_LENGTH);
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const done = (start: StreamStart) => {
      body.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(start);
    };
    // Events, not an async iterator: leaving an iterator early would destroy the stream whose payload is still to come.
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const at = buffered.indexOf(delimiter);
      if (at < 0) return;
      body.pause();
      let metadata: unknown;
      try {
        metadata = JSON.parse(buffered.subarray(0, at).toString('utf8'));
      } catch {
        body.destroy();
        return done({ ok: false, reason: 'the streamed response does not start with JSON metadata before its 8 null bytes' });
      }
      done({ ok: true, metadata, first: buffered.subarray(at + DELIMITER_LENGTH), rest: body });
    };
    const onEnd = () => done({ ok: false, reason: 'the streamed response ended before its metadata and 8 null bytes (use awslambda.HttpResponseStream.from)' });
    const onError = (error: Error) => done({ ok: false, reason: `the function failed before it streamed its metadata: ${error.message}` });
    body.on('data', onData).once('end', onEnd).once('error', onError);
  });
}

/**
 * Writes a streamed response to the client: the status and headers at once (no Content-Length: Node frames the body
 * in chunks, RFC 9112 §7.1), then each payload chunk as it comes, within STREAM_LIMITS (`limits` overrides them, for
 * the tests): past the idle timeout without a chunk, or past the stream's longest duration, the response ends early;
 * past the first 10 MB each chunk waits for the 2 MB/s bandwidth. Nothing is compressed (§15.10). A stream that fails
 * (the function failed, timed out or exited mid-stream) ends the response without its last chunk (§15.12), so the
 * client sees it incomplete. `onEarlyEnd` gets the reason of an early end, for the log. Resolves when done.
 */
export async function writeStreamedResponse(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  payload: { first: Buffer; rest: Readable },
  options: { headOnly?: boolean; limits?: Partial<typeof STREAM_LIMITS>; onEarlyEnd?: (reason: string) => void } = {},
): Promise<void> {
  const limits = { ...STREAM_LIMITS, ...options.limits };
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.flushHeaders();
  const { rest } = payload;
  if (options.headOnly) {
    rest.destroy();
    res.end();
    return;
  }
  let sent = 0;
  let throttledSince: number | undefined;
  let idle: NodeJS.Timeout | undefined;
  const fail = (reason: string) => {
    options.onEarlyEnd?.(reason);
    rest.destroy();
    res.destroy();
  };
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => fail(`no payload for ${limits.idleTimeoutMs} ms: the stream's idle timeout`), limits.idleTimeoutMs);
  };
  const lifetime = setTimeout(() => fail(`the stream passed its ${limits.maxDurationMs} ms`), Math.max(0, limits.maxDurationMs));
  const write = async (chunk: Buffer) => {
    if (chunk.length === 0 || res.destroyed) return;
    const free = Math.max(0, limits.unthrottledBytes - sent);
    if (chunk.length > free) {
      // Past the first 10 MB the bytes leave at the throttled rate (§15.9).
      throttledSince ??= Date.now();
      const due = throttledSince + ((sent + chunk.length - limits.unthrottledBytes) / limits.throttledBytesPerSecond) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    sent += chunk.length;
    // A client gone meanwhile never drains: its close ends the wait, and the rest of the function's output is read and dropped
    // (the function runs on, as on AWS: §15.11).
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        // Both listeners go once either fires: a slow client drains many times in one stream (no listener piles up).
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done).on('close', done);
      });
    }
  };
  try {
    // The idle timeout counts the function's silence, not the time a chunk waits for the bandwidth or the client.
    await write(payload.first);
    armIdle();
    for await (const chunk of rest) {
      clearTimeout(idle);
      await write(chunk as Buffer);
      armIdle();
    }
    if (!res.destroyed) res.end();
  } catch (error) {
    if (!res.destroyed) fail(`the function's stream failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(idle);
    clearTimeout(lifetime);
  }
}
