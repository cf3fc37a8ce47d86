import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

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

/** Returns the parsed JSON body, or throws 400 (empty or malformed), 413 (too large) or 415 (not JSON). */
export async function readJsonBody(req: IncomingMessage & { body?: unknown }, limit: number): Promise<unknown> {
  const contentType = singleContentType(req.headers['content-type']);
  if (!isJsonContentType(contentType)) {
    throw new HttpError(415, `Unsupported Media Type: expected application/json, got ${contentType}`, {
      errors: [{ path: '/content-type', message: 'must be application/json', in: 'header' }],
    });
  }
  const raw = await readRawBody(req, limit);
  // fatal: invalid UTF-8 is a client error, not something to silently replace.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new HttpError(400, 'Malformed JSON in request body', { errors: [{ path: '', message: 'is not valid UTF-8', in: 'body' }] });
  }
  if (text.trim() === '') {
    throw new HttpError(400, 'Request body is required', { errors: [{ path: '', message: 'is required', in: 'body' }] });
  }
  if (exceedsDepth(text, MAX_JSON_DEPTH)) {
    throw new HttpError(400, 'Invalid request body', { errors: [{ path: '', message: `is nested deeper than ${MAX_JSON_DEPTH} levels`, in: 'body' }] });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'Malformed JSON in request body', {
      errors: [{ path: '', message: (err as Error).message, in: 'body' }],
    });
  }
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
