import type { IncomingMessage } from 'node:http';

/** API Gateway's payload limit (docs/apigateway-behaviour.md §7.1): larger requests never reach the API. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** Lambda's synchronous invoke payload limit (§6.10): the event, and the function's response. */
export const MAX_INVOKE_BYTES = 6 * 1024 * 1024;
/**
 * API Gateway's quota on the request line and header values together, in bytes (reference §7.3; AWS
 * "Amazon API Gateway quotas": "Total combined size of request line and header values", not adjustable).
 */
export const MAX_REQUEST_LINE_AND_HEADERS_BYTES = 10_240;
/**
 * Node's own limit on the request line and header lines (names included), raised far past the quota (its
 * default, 16 KB, would answer first with a bare 431, and names do not count toward API Gateway's quota, so
 * 1,000 headers with long names and short values pass there): requests under it get the gateway's
 * answer from stage 1; past it, `clientError` answers in JSON.
 */
export const NODE_MAX_HEADER_BYTES = 1024 * 1024;

/** A direct answer of a stage that is not a gateway response (the edge's refusals, local pages, preflights). */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** The request line and headers as every later stage reads them. */
export interface RequestHead {
  /** Upper-cased (`GET`). */
  method: string;
  /** The path as sent, before `?`, percent-encoding kept (`/dev/orders/a%2Bb`). */
  rawPath: string;
  /** After `?`, as sent ('' for none). */
  rawQuery: string;
  /** By lower-cased name, the last line of each; a map without a prototype (a header may be called `constructor`). */
  headers: Record<string, string | undefined>;
  /** Node's `rawHeaders`: name, value, name, value… with the client's casing and every line. */
  rawHeaders: string[];
  /** The client's address, IPv4-mapped IPv6 unwrapped. */
  sourceIp: string;
  /** The port the client connected to. */
  localPort: number;
}

/** Not a stage: parses the request line and headers once, before stage 1, into what the stages read (method, path, query, headers). */
export function readRequestHead(req: IncomingMessage): RequestHead {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath: q < 0 ? rawUrl : rawUrl.slice(0, q),
    rawQuery: q < 0 ? '' : rawUrl.slice(q + 1),
    headers: lowerHeaders(req),
    rawHeaders: req.rawHeaders,
    sourceIp: normalizeIp(req.socket.remoteAddress),
    localPort: req.socket.localPort ?? 0,
  };
}

/**
 * Stage 1, the edge's size quota: reads the request line and header values; answers 414 or 431 (JSON, with
 * `Connection: close`) when together they exceed API Gateway's 10,240-byte quota (§7.3), else undefined.
 * It comes before anything else, local pages included: the edge refuses such requests before routing.
 * The header message is the one API Gateway's edge was recorded sending ("HTTP header is larger than
 * 10240 bytes.", ntsblog.homedev.com.au 2021-03-09); it is the text of Netty's TooLongHttpHeaderException,
 * and a request line over the quota gets Netty's TooLongHttpLineException text. The statuses (431 headers,
 * RFC 6585 §5; 414 request line, RFC 9110 §15.5.15) are UNCONFIRMED on AWS; the JSON body is ours, as
 * every gateway refusal here is JSON.
 */
export function requestLineAndHeadersRefusal(req: Pick<IncomingMessage, 'method' | 'url' | 'httpVersion' | 'rawHeaders'>): PlainAnswer | undefined {
  const refuse = (status: number, message: string): PlainAnswer => ({ status, headers: { 'Content-Type': 'application/json', Connection: 'close' }, body: JSON.stringify({ message }) });
  // Node decodes the request line and header values as latin1, one character per byte received: counting
  // them as latin1 gives the bytes on the wire (as UTF-8, a byte >= 0x80 would count twice).
  const line = Buffer.byteLength(`${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}`, 'latin1');
  if (line > MAX_REQUEST_LINE_AND_HEADERS_BYTES) return refuse(414, `An HTTP line is larger than ${MAX_REQUEST_LINE_AND_HEADERS_BYTES} bytes.`);
  let total = line;
  for (let i = 1; i < req.rawHeaders.length; i += 2) total += Buffer.byteLength(req.rawHeaders[i]!, 'latin1');
  if (total > MAX_REQUEST_LINE_AND_HEADERS_BYTES) return refuse(431, `HTTP header is larger than ${MAX_REQUEST_LINE_AND_HEADERS_BYTES} bytes.`);
  return undefined;
}

/**
 * Stage 3, the body: reads it whole, at most `limit` bytes (default the 10 MB payload limit, §7.1); past
 * it, drains the rest and answers API Gateway's 413, in plain text and without the x-amzn headers (§2.6),
 * before routing. Otherwise returns the body (empty when none was sent).
 */
export async function readRequestBody(req: AsyncIterable<unknown> & { headers: IncomingMessage['headers'] }, limit = MAX_PAYLOAD_BYTES): Promise<{ body: Buffer } | { refusal: PlainAnswer }> {
  const declared = Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number.isFinite(declared) && declared > limit;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk as Buffer);
  }
  if (!tooLarge) return { body: Buffer.concat(chunks, size) };
  return { refusal: payloadTooLarge(limit) };
}

/** API Gateway's 413 for a body past `limit` bytes (§7.1), in plain text and without the x-amzn headers (§2.6). */
export function payloadTooLarge(limit = MAX_PAYLOAD_BYTES): PlainAnswer {
  return { status: 413, headers: { 'Content-Type': 'text; charset=utf-8', Connection: 'close' }, body: `HTTP content length exceeded ${limit} bytes.` };
}

/**
 * Decides a request that sent `Expect: 100-continue` (RFC 9110 §10.1.1) before its body is read: the
 * final 413 at once when its Content-Length is past the 10 MB payload limit (§7.1; RFC 9110 §10.1.1 lets a
 * server answer with a final status instead of 100, and a client that waits sends nothing more), else
 * undefined: the caller sends `100 Continue` and reads the body as usual. A request over the header quota
 * is left to stage 1, which answers it before any body is read.
 */
export function expectContinueRefusal(req: Pick<IncomingMessage, 'method' | 'url' | 'httpVersion' | 'rawHeaders' | 'headers'>, limit = MAX_PAYLOAD_BYTES): PlainAnswer | undefined {
  if (requestLineAndHeadersRefusal(req)) return undefined;
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > limit ? payloadTooLarge(limit) : undefined;
}

/**
 * Returns the last line of a header field, as API Gateway's single-valued `headers` map holds it
 * (reference §5.4). Node keeps the FIRST Content-Type line in `req.headers`; the model is chosen
 * from the same line the event, and so the service, sees.
 */
export function lastLine(rawHeaders: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === name) value = rawHeaders[i + 1];
  return value;
}

/** Returns the client's address without the IPv4-mapped IPv6 prefix (`::ffff:127.0.0.1` → `127.0.0.1`). */
export function normalizeIp(address: string | undefined): string {
  return (address ?? '127.0.0.1').replace(/^::ffff:/, '');
}

/** Returns the request headers by lower-cased name, in a map without a prototype (a header may be called `constructor`). */
function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out = Object.create(null) as Record<string, string | undefined>;
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value[value.length - 1] : value;
  return out;
}
