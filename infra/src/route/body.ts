import type { IncomingMessage } from 'node:http';
import { matchesMediaType, mediaTypeOf } from '../media-type';
import { HttpError } from './http-error';

export { matchesMediaType } from '../media-type';

/** Default request body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Deepest JSON nesting accepted. JSON.parse copes with 10,000 levels, but recursive code after it
 * (structuredClone, validators) overflows the stack: refuse such bodies before they get there.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Returns true when the content type is JSON (`application/json`, `application/*+json`, any parameters).
 * A missing content type counts as JSON, as API Gateway treats it when choosing the body model.
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Returns the raw request body, at most `limit` bytes.
 * Under serverless-http the body is already a Buffer on `req.body`; a plain Node request is streamed.
 */
export async function readRawBody(req: IncomingMessage & { body?: unknown }, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(req.body)) {
    if (req.body.length > limit) throw tooLarge(limit);
    return req.body;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

/** The parts of Koa's context the body is read from: the Node request, and Koa's request (where body parsers leave their result). */
export interface BodySource {
  req: IncomingMessage & { body?: unknown };
  request: { body?: unknown; rawBody?: unknown };
}

/**
 * Returns the parsed JSON body, or throws 400 (empty, malformed, or nested deeper than {@link MAX_JSON_DEPTH}),
 * 413 (more than `limit` bytes) or 415 (not JSON), with the same answers whoever read the request:
 * - a body parser the app mounted before its routes (`@koa/bodyparser`, `koa-body`) read the stream: its
 *   result, `ctx.request.body`, is used, not read again (the stream is empty by then). The limit and the
 *   depth are checked on its raw text where it kept it (`ctx.request.rawBody`, or the event's bytes under
 *   Lambda), else on the request's `content-length` and the parsed value; a request that sent no content
 *   is "Request body is required" although the parsers make it `{}`;
 * - under serverless-http (Lambda) the body is a Buffer on `req.body`: parsed here;
 * - else the stream is read here.
 * A stream another middleware read without leaving `ctx.request.body` is a fault of the app: a plain Error (500).
 */
export async function readJsonBody(ctx: BodySource, limit: number): Promise<unknown> {
  const { req } = ctx;
  const contentType = singleContentType(req.headers['content-type']);
  if (!isJsonContentType(contentType)) {
    throw new HttpError(415, `Unsupported Media Type: expected application/json, got ${contentType}`, {
      errors: [{ path: '/content-type', message: 'must be application/json', in: 'header' }],
    });
  }
  if (wasRead(req)) {
    if (ctx.request.body !== undefined) return parsedBody(ctx, limit);
    if (!Buffer.isBuffer(req.body)) {
      throw new Error(
        'The request body was read by a middleware before this route, which left no ctx.request.body: mount a body parser that sets it (@koa/bodyparser, koa-body), or do not read ctx.req before declared routes.',
      );
    }
  }
  return parseJson(await readRawBody(req, limit));
}

/**
 * Returns the exact bytes of a binary request body (a route's `binary.requestBody`, docs/binary.md), or throws 415
 * when its Content-Type is none of `mediaTypes` (exact, or `type/*`; case-insensitive, parameters ignored:
 * RFC 9110 §8.3.1), 400 when it is empty, 413 when it exceeds `limit` bytes. Under Lambda the bytes are those
 * serverless-http decoded from the event (base64 when `isBase64Encoded`); a body parser that read the stream
 * first must have kept them (`ctx.request.rawBody` is text and loses bytes, so it is not used).
 */
export async function readBinaryBody(ctx: BodySource, mediaTypes: readonly string[], limit: number): Promise<Buffer> {
  const { req } = ctx;
  const contentType = singleContentType(req.headers['content-type']);
  const type = mediaTypeOf(contentType);
  if (!mediaTypes.some((m) => matchesMediaType(type, m))) {
    throw new HttpError(415, `Unsupported Media Type: expected ${mediaTypes.join(' or ')}, got ${contentType ?? 'none'}`, {
      errors: [{ path: '/content-type', message: `must be ${mediaTypes.join(' or ')}`, in: 'header' }],
    });
  }
  if (wasRead(req) && !Buffer.isBuffer(req.body)) {
    if (Buffer.isBuffer(ctx.request.body)) return ctx.request.body;
    throw new Error('The request body was read by a middleware before this binary route, which kept no Buffer of it: do not parse binary media types in a body parser mounted before declared routes.');
  }
  const bytes = await readRawBody(req, limit);
  if (bytes.length === 0) throw required();
  return bytes;
}

/** True when the request stream has been read (or is being read) by someone: its data is no longer there to read. */
function wasRead(req: IncomingMessage): boolean {
  return req.readableEnded || req.readableDidRead;
}

/** Returns the body a body parser left in `ctx.request.body`, after the checks {@link readJsonBody} makes of any body. */
function parsedBody(ctx: BodySource, limit: number): unknown {
  const raw = rawTextOf(ctx);
  if (raw !== undefined) {
    if (Buffer.byteLength(raw) > limit) throw tooLarge(limit);
    // The parser accepted it, so it is JSON: what is left to check is what parseJson checks before JSON.parse.
    checkText(raw);
    return ctx.request.body;
  }
  const declared = Number(ctx.req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!sentContent(ctx.req)) throw required();
  const value = ctx.request.body;
  // No raw text (koa-body keeps it only with includeUnparsed) and sent chunked: the value's own JSON is the nearest measure.
  if (!Number.isFinite(declared) && Buffer.byteLength(JSON.stringify(value) ?? '') > limit) throw tooLarge(limit);
  if (depthOf(value) > MAX_JSON_DEPTH) throw tooDeep();
  return value;
}

/** Returns the raw text of the body as a parser or the Lambda event kept it, or undefined when none did. */
function rawTextOf(ctx: BodySource): string | undefined {
  if (typeof ctx.request.rawBody === 'string') return ctx.request.rawBody;
  if (Buffer.isBuffer(ctx.req.body)) return ctx.req.body.toString('utf8');
  return undefined;
}

/** True when the request says it carries content: a non-zero `content-length`, or `transfer-encoding` (RFC 9112 §6.3). */
function sentContent(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length']);
  return Number.isFinite(length) && length > 0;
}

/** Returns how deeply arrays and objects nest in `value` (a scalar: 0): iterative, so no depth overflows the stack. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** Returns the JSON in `raw`, or throws 400: not UTF-8, empty, too deep, malformed. */
function parseJson(raw: Buffer): unknown {
  // fatal: invalid UTF-8 is a client error, not something to silently replace.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new HttpError(400, 'Malformed JSON in request body', { errors: [{ path: '', message: 'is not valid UTF-8', in: 'body' }] });
  }
  checkText(text);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'Malformed JSON in request body', {
      errors: [{ path: '', message: (err as Error).message, in: 'body' }],
    });
  }
}

/** Throws 400 for a body text that is empty or nested deeper than {@link MAX_JSON_DEPTH}. */
function checkText(text: string): void {
  if (text.trim() === '') throw required();
  if (exceedsDepth(text, MAX_JSON_DEPTH)) throw tooDeep();
}

function required(): HttpError {
  return new HttpError(400, 'Request body is required', { errors: [{ path: '', message: 'is required', in: 'body' }] });
}

function tooDeep(): HttpError {
  return new HttpError(400, 'Invalid request body', { errors: [{ path: '', message: `is nested deeper than ${MAX_JSON_DEPTH} levels`, in: 'body' }] });
}

/**
 * Returns the one media type of a Content-Type field. Content-Type is a singleton field (RFC 9110 §8.3):
 * its lines arrive joined by commas (infra/src/lambda/event-headers.ts, RFC 9110 §5.3), so two lines and one
 * line holding a comma-separated list look the same here. Lines naming the same media type (type/subtype
 * compared case-insensitively, parameters such as `charset` ignored: RFC 9110 §8.3.1) are that type, and
 * the last line is returned, as the gateway chooses its model from the last line (docs/reliability.md).
 * Two different media types are refused with 415 naming the header and both types, because the gateway
 * chose its model from one and the service must not read the body as another.
 */
export function singleContentType(value: string | undefined): string | undefined {
  if (value === undefined || !value.includes(',')) return value;
  // Commas inside a quoted parameter value (`; x="a,b"`) do not separate lines.
  const lines = value.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((line) => line.trim()).filter((line) => line !== '');
  const distinct = [...new Set(lines.map((line) => line.split(';')[0]!.trim().toLowerCase()))];
  if (distinct.length <= 1) return lines.at(-1) ?? '';
  throw new HttpError(415, `Unsupported Media Type: Content-Type names ${distinct.length} different media types (${distinct.join(', ')}); send one`, {
    errors: [{ path: '/content-type', message: 'must name one media type', in: 'header' }],
  });
}

/** Returns true when brackets outside strings nest deeper than `max`: one pass, no recursion. */
export function exceedsDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c /* \\ */) i++;
      else if (ch === 0x22 /* " */) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) depth--;
  }
  return false;
}

function tooLarge(limit: number): HttpError {
  // Close the connection: the client may still be sending a body we will never read.
  return new HttpError(413, `Request body exceeds the limit of ${limit} bytes`, { headers: { Connection: 'close' } });
}
