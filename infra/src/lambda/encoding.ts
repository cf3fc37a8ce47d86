import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { acceptsBinary, isBinaryContentType } from '../media-type';
import type { ProxyResult } from './proxy-event';

/** The content codings the adapter can undo (RFC 9110 §8.4.1): what koa-compress and the like produce. */
const DECODERS: Record<string, (bytes: Buffer) => Buffer> = { gzip: gunzipSync, 'x-gzip': gunzipSync, deflate: inflateSync, br: brotliDecompressSync };

/**
 * Returns the proxy result of a response the app compressed itself (a `Content-Encoding` of gzip, deflate or br: the
 * adapter sends such a body base64 with `isBase64Encoded: true`), fit for the client of `accept`
 * (docs/compression.md):
 * - when API Gateway will decode the base64 (the request's FIRST Accept media type matches one of `binaryMediaTypes`,
 *   docs/apigateway-behaviour.md §6.8), unchanged: the client gets the compressed bytes and their Content-Encoding;
 * - otherwise API Gateway would pass the base64 TEXT under `Content-Encoding: gzip`, which no client can read
 *   (fastify/fastify-compress#228): the body is decoded (each coding, last applied first), Content-Encoding and
 *   Content-Length are dropped, and the plain body goes out as text, or base64 again when its Content-Type is a
 *   binary media type. API Gateway then compresses it itself when the API's minimumCompressionSize says so.
 * A result that is not base64, not encoded, or encoded with a coding this cannot undo (or bytes that are not what
 * Content-Encoding says) is returned unchanged.
 */
export function decodeForClient(result: ProxyResult, accept: string | undefined, binaryMediaTypes: readonly string[]): ProxyResult {
  if (result.isBase64Encoded !== true || typeof result.body !== 'string') return result;
  // A header in multiValueHeaders is there with every value (serverless-http also joins it into headers): that list wins.
  const multiName = Object.keys(result.multiValueHeaders ?? {}).find((k) => k.toLowerCase() === 'content-encoding');
  const singleName = Object.keys(result.headers ?? {}).find((k) => k.toLowerCase() === 'content-encoding');
  const values = (multiName !== undefined ? result.multiValueHeaders![multiName]! : singleName !== undefined ? [result.headers![singleName]!] : []).map(String);
  if (values.length === 0) return result;
  const codings = values.flatMap((v) => v.split(',')).map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0 || !codings.every((c) => c in DECODERS)) return result;
  if (acceptsBinary(accept, binaryMediaTypes)) return result;
  let bytes: Buffer = Buffer.from(result.body, 'base64');
  try {
    for (const coding of [...codings].reverse()) bytes = DECODERS[coding]!(bytes);
  } catch {
    return result;
  }
  const drop = (map: Record<string, unknown> | undefined) => map && Object.fromEntries(Object.entries(map).filter(([k]) => !['content-encoding', 'content-length'].includes(k.toLowerCase())));
  const headers = drop(result.headers) as ProxyResult['headers'];
  const multiValueHeaders = drop(result.multiValueHeaders) as ProxyResult['multiValueHeaders'];
  const contentType = [...Object.entries(headers ?? {}), ...Object.entries(multiValueHeaders ?? {}).map(([k, v]) => [k, (v as unknown[]).at(-1)])].find(([k]) => String(k).toLowerCase() === 'content-type')?.[1];
  const binary = isBinaryContentType(typeof contentType === 'string' ? contentType : undefined, binaryMediaTypes);
  return {
    ...result,
    ...(headers ? { headers } : {}),
    ...(multiValueHeaders ? { multiValueHeaders } : {}),
    body: binary ? bytes.toString('base64') : bytes.toString('utf8'),
    isBase64Encoded: binary,
  };
}
