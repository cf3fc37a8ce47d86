import { deflateSync, gunzipSync, gzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { MAX_PAYLOAD_BYTES } from './request';

/** The content codings API Gateway compresses a response with (developer guide, "Enable payload compression for an API": supported content codings). */
export type GatewayCoding = 'gzip' | 'deflate';

/**
 * Returns the coding API Gateway compresses a response with for the request's `Accept-Encoding` (its lines joined by
 * commas), or undefined for none (docs/apigateway-behaviour.md §6.14):
 * - no header (RFC 9110 §12.5.3 reads it as `*`): none, as the developer guide says ("Receive an API response with a
 *   compressed payload");
 * - each element is a coding with an optional weight (`gzip;q=0.5`; no weight is 1, `q=0` is "not acceptable",
 *   RFC 9110 §12.4.2); the highest weight wins, and "the highest-priority content encoding must be one supported by
 *   API Gateway. If it is not, compression is not applied" ("Enable payload compression for an API"): among the
 *   codings of the highest weight, the first gzip or deflate in the client's order, else none (`br`, `identity` or
 *   `*` alone on top: none; the order among equal weights is UNCONFIRMED).
 */
export function chooseCoding(acceptEncoding: string | undefined): GatewayCoding | undefined {
  if (acceptEncoding === undefined) return undefined;
  const entries: Array<{ coding: string; q: number }> = [];
  for (const element of acceptEncoding.split(',')) {
    const [name, ...params] = element.split(';');
    const coding = name!.trim().toLowerCase();
    if (coding === '') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((p) => p.trim());
      if (key?.toLowerCase() === 'q') q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value ?? '') ? Number(value) : 0;
    }
    if (q > 0) entries.push({ coding, q });
  }
  if (entries.length === 0) return undefined;
  const top = Math.max(...entries.map((e) => e.q));
  const chosen = entries.find((e) => e.q === top && (e.coding === 'gzip' || e.coding === 'deflate'));
  return chosen?.coding as GatewayCoding | undefined;
}

/** A response the gateway is about to send: its headers (any casing) and the bytes the client would get. */
export interface OutgoingResponse {
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * Returns `response` compressed as API Gateway compresses an integration response (docs/apigateway-behaviour.md §6.14;
 * developer guide, "Payload compression for REST APIs" and "Receive an API response with a compressed payload"):
 * only when the API has a `minimumCompressionSize` (bytes; undefined: compression off), the body is at least that
 * many bytes (≥, as the guide says) and not empty, the response has no Content-Encoding (already compressed: left alone) and
 * {@link chooseCoding} picks gzip or deflate for `acceptEncoding`. Then the body is that coding's bytes (deflate:
 * the zlib format, RFC 9110 §8.4.1.2) and `Content-Encoding` names it; the gateway's framing gives the compressed
 * length as Content-Length. Whether API Gateway adds `Vary: Accept-Encoding` is UNCONFIRMED: none is added.
 */
export function compressResponse<T extends OutgoingResponse>(response: T, acceptEncoding: string | undefined, minimumCompressionSize: number | undefined): T {
  // An empty body (a 204, a 304) has nothing to compress, even with a minimum of 0: a gzip of nothing would be 20 bytes.
  if (minimumCompressionSize === undefined || response.body.length === 0 || response.body.length < minimumCompressionSize) return response;
  if (Object.keys(response.headers).some((name) => name.toLowerCase() === 'content-encoding')) return response;
  const coding = chooseCoding(acceptEncoding);
  if (coding === undefined) return response;
  const body = coding === 'gzip' ? gzipSync(response.body) : deflateSync(response.body);
  return { ...response, headers: { ...response.headers, 'Content-Encoding': coding }, body };
}

/**
 * Returns the request body API Gateway passes on for a body sent with `contentEncoding` (the Content-Encoding lines
 * joined by commas; docs/apigateway-behaviour.md §6.15, developer guide "Call an API method with a compressed
 * payload"): decompressed when every coding is gzip, deflate or identity (each undone, last applied first; deflate
 * in the zlib format, else raw); `unsupported` for any other coding, or bytes that are not what the header says
 * (API Gateway answers 415). No header, or an empty body: the body unchanged. The Content-Encoding header itself is
 * passed on to the integration (serverless-http#194), which lambdaHandler drops for the app. Decompressed past
 * `maxBytes` (default the 10 MB payload limit, §7.1): `tooLarge`, before more is inflated (a small gzip can hold
 * gigabytes; the caller answers 413), whatever AWS's own bound is (not documented).
 */
export function decompressRequest(body: Buffer, contentEncoding: string | undefined, maxBytes = MAX_PAYLOAD_BYTES): { body: Buffer } | { unsupported: string } | { tooLarge: string } {
  if (contentEncoding === undefined || body.length === 0) return { body };
  const codings = contentEncoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  const unknown = codings.find((c) => c !== 'gzip' && c !== 'deflate');
  if (unknown !== undefined) return { unsupported: `the content coding "${unknown}" is not supported` };
  let bytes = body;
  try {
    for (const coding of [...codings].reverse()) bytes = coding === 'gzip' ? gunzipSync(bytes, { maxOutputLength: maxBytes }) : inflateAny(bytes, maxBytes);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return { tooLarge: `the ${codings.join(', ')} body decompresses to more than ${maxBytes} bytes` };
    return { unsupported: `the body is not ${codings.join(', ')}: ${(e as Error).message}` };
  }
  return { body: bytes };
}

/** Inflates deflate data in the zlib format (RFC 9110 §8.4.1.2), or raw deflate as some clients send it. */
function inflateAny(bytes: Buffer, maxBytes: number): Buffer {
  try {
    return inflateSync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw e;
    return inflateRawSync(bytes, { maxOutputLength: maxBytes });
  }
}
