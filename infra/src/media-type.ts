/**
 * Media types as API Gateway matches them against the API's binary media types, one module for every reader: the
 * route kit (a binary request body's Content-Type, infra/src/route/body.ts), the Lambda adapter (which responses go
 * out base64, infra/src/lambda/binary.ts) and the local gateway (which request bodies it passes base64,
 * infra/src/local/event.ts, and which responses it decodes, infra/src/local/response.ts). No imports: it is bundled
 * into every function.
 */

/**
 * Returns the media type of a Content-Type or Accept element: the part before any parameter, trimmed, lower-cased
 * (RFC 9110 §8.3.1: type and subtype are case-insensitive). `'Image/PNG; q=1'` → `'image/png'`; undefined → `''`.
 */
export function mediaTypeOf(value: string | undefined): string {
  return (value ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * True when the media type `type` (as {@link mediaTypeOf} returns it) matches `pattern`, one of the API's binary media
 * types: equal to it, `type/*` of it, or `*\/*` (developer guide, "Working with binary media types for REST APIs";
 * docs/apigateway-behaviour.md §5.5). Case-insensitive; an empty `type` matches nothing but `*\/*`.
 */
export function matchesMediaType(type: string, pattern: string): boolean {
  const p = pattern.trim().toLowerCase();
  if (p === '*/*') return true;
  if (type === '') return false;
  return p === type || (p.endsWith('/*') && type.startsWith(p.slice(0, -1)));
}

/**
 * True when the Content-Type `contentType` (parameters ignored) matches one of `binaryMediaTypes` (see
 * {@link matchesMediaType}): how API Gateway decides that a request body is passed base64 (§5.5), and how the Lambda
 * adapter decides that a response goes out base64. An absent or empty Content-Type matches nothing.
 */
export function isBinaryContentType(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  const type = mediaTypeOf(contentType);
  if (type === '') return false;
  return binaryMediaTypes.some((pattern) => matchesMediaType(type, pattern));
}

/**
 * True when the request's FIRST `Accept` media type matches a binary media type, the condition on which API Gateway
 * decodes a base64 (`isBase64Encoded`) proxy response to bytes (docs/apigateway-behaviour.md §6.8): exact, or `type/*`
 * in the list; an Accept starting with `*\/` never does, and `*\/*` in the list matches no Accept.
 */
export function acceptsBinary(accept: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (!accept) return false;
  const first = mediaTypeOf(accept.split(',', 1)[0]);
  if (first === '' || first.startsWith('*/')) return false;
  return binaryMediaTypes.some((b) => {
    const pattern = b.trim().toLowerCase();
    return pattern === first || (pattern.endsWith('/*') && !pattern.startsWith('*/') && first.startsWith(pattern.slice(0, -1)));
  });
}

/**
 * True when a binary media type changes how the WHOLE API treats JSON (API Gateway applies the list to every route):
 * `*\/*`, `application/*`, `application/json`, `application/*+json`-like types, or `text/*` (a JSON client's
 * `Accept: application/json` then gets base64 text, and a JSON request body reaches the function base64-encoded).
 */
export function coversJson(pattern: string): boolean {
  const p = pattern.trim().toLowerCase();
  return p === '*/*' || p === 'application/*' || p === 'application/json' || (p.startsWith('application/') && p.endsWith('+json')) || p === 'text/*';
}
