import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough, type Writable } from 'node:stream';
import { format } from 'node:url';
import type Koa from 'koa';
import { dropUndoneContentEncoding, requestHeaders } from './event-headers';
import { appPath } from './event-path';
import type { ProxyEvent } from './proxy-event';

/**
 * The environment variable that makes {@link lambdaHandler} (./handler.ts) return the streaming handler: `STREAM` in the
 * function of a group whose routes stream (docs/streaming.md), set by the deployment and by `npm start`. Read when
 * `lambdaHandler` is called (at module level, before Lambda's runtime looks at the exported handler).
 */
export const RESPONSE_TRANSFER_MODE_VARIABLE = 'RESPONSE_TRANSFER_MODE';

/**
 * The stream a streaming handler writes its response to: a Node.js Writable with `setContentType` (AWS Lambda developer
 * guide, "Writing response streaming-enabled Lambda functions"; docs/apigateway-behaviour.md §15.5).
 */
export interface ResponseStream extends Writable {
  setContentType(contentType: string): void;
}

/** The metadata a streamed Lambda proxy response starts with (docs/apigateway-behaviour.md §15.4). */
export interface StreamMetadata {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
}

/** What Lambda's Node.js runtime puts in the `awslambda` global (only there): the part a streaming handler uses (§15.5). */
export interface AwsLambdaRuntime {
  streamifyResponse<H extends (event: never, responseStream: ResponseStream, context: never) => Promise<void>>(handler: H): H;
  HttpResponseStream: { from(responseStream: ResponseStream, metadata: StreamMetadata): ResponseStream };
}

/** A streaming Lambda handler, as `awslambda.streamifyResponse` returns it. */
export type StreamingHandler = (event: ProxyEvent, responseStream: ResponseStream, context: object) => Promise<void>;

// Framing is API Gateway's business (it streams the payload itself), as for a buffered response (§6).
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);

/**
 * Returns the Lambda entry for `app` whose response streams (docs/streaming.md): `awslambda.streamifyResponse` around
 * the app, for an integration with response transfer mode `STREAM`. The event is the buffered integration's
 * (payload 1.0, docs/apigateway-behaviour.md §15.3), read as lambdaHandler reads it (the request's header lines from
 * `multiValueHeaders`, the app's own path behind a base-path mapping, the body decoded when `isBase64Encoded`,
 * `requestContext.requestId` as `x-amzn-requestid`). The response goes out through `awslambda.HttpResponseStream`:
 * its status and headers as the metadata (§15.4) as soon as Node sends them (the first body write, `ctx.res.flushHeaders()`,
 * or the end), then each body chunk as the app writes it (a stream body piped, `ctx.res.write`), and the stream
 * ends when the response does. Bytes are bytes: no binary media types, no base64 (§15.10). A body that fails after
 * the headers went out (Koa destroys the response) rejects the handler: the stream ends early (§15.12).
 * Throws when the `awslambda` global is missing (outside Lambda's Node.js runtime and `npm start`'s functions).
 */
export function streamingLambdaHandler(app: Koa): StreamingHandler {
  const runtime = (globalThis as { awslambda?: AwsLambdaRuntime }).awslambda;
  // The AWS SDK's @aws/lambda-invoke-store may have created an `awslambda` of its own (`{ InvokeStore }`) outside Lambda.
  if (typeof runtime?.streamifyResponse !== 'function' || typeof runtime.HttpResponseStream?.from !== 'function') {
    throw new Error(
      `streamingLambdaHandler: the awslambda global of Lambda's Node.js runtime is missing, so the response cannot stream. It exists in Lambda's Node.js runtime and in the functions of koa-apigateway start (or unset ${RESPONSE_TRANSFER_MODE_VARIABLE} for a buffered handler).`,
    );
  }
  const listener = app.callback();
  return runtime.streamifyResponse(async (event: ProxyEvent, responseStream: ResponseStream, context: object) => {
    const req = requestOf(event, context);
    const res = new StreamedResponse(req, (metadata) => runtime.HttpResponseStream.from(responseStream, metadata));
    const done = res.done();
    void listener(req, res);
    await done;
  });
}

/** Builds the Node request the app sees from a payload 1.0 event (as serverless-http does for the buffered handler). */
function requestOf(event: ProxyEvent, context: object): IncomingMessage {
  const e = event as ProxyEvent & {
    httpMethod: string;
    path?: string;
    resource?: string;
    pathParameters?: Record<string, string> | null;
    queryStringParameters?: Record<string, string> | null;
    multiValueQueryStringParameters?: Record<string, string[]> | null;
    body?: string | null;
    isBase64Encoded?: boolean;
    requestContext?: { requestId?: string; identity?: { sourceIp?: string } };
  };
  const body = typeof e.body === 'string' ? Buffer.from(e.body, e.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  const socket = Object.assign(new PassThrough(), { encrypted: true, remoteAddress: e.requestContext?.identity?.sourceIp, address: () => ({ port: 443 }) });
  const req = new IncomingMessage(socket as unknown as Socket);
  const headers = requestHeaders(event as Parameters<typeof requestHeaders>[0]);
  headers['content-length'] = String(body.length);
  dropUndoneContentEncoding(headers);
  if (!headers['x-amzn-requestid'] && typeof e.requestContext?.requestId === 'string') headers['x-amzn-requestid'] = e.requestContext.requestId;
  const query: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(e.multiValueQueryStringParameters ?? {})) query[k] = [...v];
  for (const [k, v] of Object.entries(e.queryStringParameters ?? {})) if (!query[k]?.includes(v)) (query[k] ??= []).push(v);
  const pathname = typeof e.path === 'string' ? appPath(e.path, e.resource, e.pathParameters ?? null) : '/';
  Object.assign(req, { method: e.httpMethod, url: format({ pathname, query }), headers, httpVersion: '1.1', httpVersionMajor: 1, httpVersionMinor: 1, complete: true });
  Object.assign(req, { requestContext: e.requestContext, apiGateway: { event, context } });
  req.push(body.length > 0 ? body : null);
  if (body.length > 0) req.push(null);
  return req;
}

/**
 * A ServerResponse whose output goes to the Lambda response stream: Node's own header and body logic (Koa needs
 * nothing else), on a socket that takes the status line and headers Node writes first as the stream's metadata and
 * passes every body byte on as written, never chunk-framed (API Gateway frames the stream itself).
 */
class StreamedResponse extends ServerResponse {
  private out: Writable | undefined;
  private settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private failed: Error | undefined;

  constructor(
    req: IncomingMessage,
    private readonly open: (metadata: StreamMetadata) => Writable,
  ) {
    super(req);
    this.useChunkedEncodingByDefault = false;
    // Never chunk-framed, whatever Transfer-Encoding the app sets (as ./unchunked.ts for the buffered handler).
    Object.defineProperty(this, 'chunkedEncoding', { configurable: true, get: () => false, set: () => {} });
    let inHead = true;
    const socket = {
      _writableState: {},
      writable: true,
      on: () => socket,
      once: () => socket,
      removeListener: () => socket,
      destroy: () => {},
      cork: () => {},
      uncork: () => {},
      setTimeout: () => socket,
      write: (data: string | Uint8Array, encoding?: BufferEncoding | (() => void), callback?: () => void): boolean => {
        if (typeof encoding === 'function') {
          callback = encoding;
          encoding = undefined;
        }
        let bytes: Buffer;
        if (inHead) {
          // Node writes the head first: alone (latin1), or with the first body chunk when that is a string too.
          const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
          const end = text.indexOf('\r\n\r\n');
          if (end < 0) {
            callback?.();
            return true;
          }
          inHead = false;
          bytes = typeof data === 'string' ? Buffer.from(text.slice(end + 4), encoding ?? 'utf8') : Buffer.from(data).subarray(end + 4);
          this.out = this.open(this.metadata());
          // The metadata and the delimiter go out now, before any payload: the client gets the status and headers first.
          this.out.write(Buffer.alloc(0));
        } else bytes = typeof data === 'string' ? Buffer.from(data, encoding ?? 'utf8') : Buffer.from(data);
        if (bytes.length === 0) callback?.();
        else this.out!.write(bytes, () => callback?.());
        return true;
      },
    };
    this.assignSocket(socket as unknown as Socket);
  }

  override writeHead(statusCode: number, reason?: unknown, obj?: unknown): this {
    // Headers passed to writeHead are stored too, so the metadata reads them all from getHeaders().
    const headers = (typeof reason === 'string' ? obj : reason) as Record<string, string | number | string[]> | string[] | undefined;
    if (Array.isArray(headers)) for (let i = 0; i + 1 < headers.length; i += 2) this.appendHeader(headers[i]!, headers[i + 1]!);
    else if (headers) for (const [name, value] of Object.entries(headers)) this.setHeader(name, value);
    return typeof reason === 'string' ? super.writeHead(statusCode, reason) : super.writeHead(statusCode);
  }

  override destroy(error?: Error): this {
    // A body stream that failed after the head went out: Koa destroys the response. The invocation fails (§15.12).
    this.failed ??= error ?? new Error('The response was destroyed before it ended');
    this.settle?.reject(this.failed);
    return this;
  }

  /** Resolves once the response has ended and the Lambda stream with it; rejects when the response is destroyed. */
  done(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
      if (this.failed) return reject(this.failed);
      this.once('finish', () => {
        const out = this.out ?? this.open(this.metadata());
        out.end(() => resolve());
      });
    });
  }

  /** The status and headers as the stream's metadata: one value under `headers`, several under `multiValueHeaders`. */
  private metadata(): StreamMetadata {
    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(this.getHeaders())) {
      if (value === undefined || FRAMING.has(name)) continue;
      if (Array.isArray(value)) multiValueHeaders[name] = value.map(String);
      else headers[name] = String(value);
    }
    return { statusCode: this.statusCode, headers, multiValueHeaders };
  }
}
