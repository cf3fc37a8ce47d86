import type { IncomingMessage } from 'node:http';
import type Koa from 'koa';
import serverless from 'serverless-http';
import { BINARY_MEDIA_TYPES_VARIABLE, binaryResponseTest } from './binary';
import { decodeForClient } from './encoding';
import { dropUndoneContentEncoding, requestHeaders } from './event-headers';
import { appPath } from './event-path';
import { RESPONSE_TRANSFER_MODE_VARIABLE, streamingLambdaHandler } from './streaming';
import { unchunked } from './unchunked';
import type { ProxyEvent, ProxyHandler, ProxyResult } from './proxy-event';

const REQUEST_ID = 'x-amzn-requestid';

/** What {@link lambdaHandler} may be told; every field optional. */
export interface LambdaHandlerOptions {
  /**
   * The API's binary media types (docs/binary.md).
   * @default the {@link BINARY_MEDIA_TYPES_VARIABLE} environment variable, comma-separated, as deployed; none when unset
   */
  binaryMediaTypes?: readonly string[];
}

/**
 * Replaces the headers serverless-http built: it joins `multiValueHeaders` and then overwrites each
 * joined value with `headers`, whose entry is only the LAST line of a repeated field, so `If-Match`
 * sent on two lines lost its first line (RFC 9110 §5.3 makes both lines one list). Ours come from
 * `multiValueHeaders` (infra/src/lambda/event-headers.ts), in a map without a prototype.
 */
function useEventHeaders(req: IncomingMessage & { body?: unknown }, event: ProxyEvent): void {
  const headers = requestHeaders(event as Parameters<typeof requestHeaders>[0]);
  headers['content-length'] = String(Buffer.isBuffer(req.body) ? req.body.length : 0);
  dropUndoneContentEncoding(headers);
  const requestId = event.requestContext?.requestId;
  if (!headers[REQUEST_ID] && typeof requestId === 'string') headers[REQUEST_ID] = requestId;
  req.headers = headers;
}

/**
 * Returns the Lambda entry for `app`: an API Gateway REST (payload 1.0) proxy event in, a proxy
 * response out (serverless-http). Call it once, at module level, so each cold start builds it once.
 * API Gateway sends `null` for absent maps and an absent body (docs/apigateway-behaviour.md §5.2): serverless-http reads those as
 * no headers and an empty body (tests/product/lambda/lambda.test.ts). Behind a custom domain's
 * base-path mapping `path` carries the base path: the app routes on the resource's own path
 * (infra/src/lambda/event-path.ts). `requestContext.requestId` becomes `x-amzn-requestid` when the event lacks it.
 * Binary (docs/binary.md): a request body the event marks `isBase64Encoded` reaches the app as its exact bytes
 * (serverless-http decodes it); a response whose Content-Type is one of the API's binary media types
 * (`options.binaryMediaTypes`, else the BINARY_MEDIA_TYPES variable the deployment sets) goes out base64 with
 * `isBase64Encoded: true` (binaryResponseTest), as the Lambda proxy integration requires for binary content.
 * A response the app compressed itself (Content-Encoding gzip, deflate or br, as koa-compress sends) is decoded back to
 * its plain body, Content-Encoding dropped, unless API Gateway will decode its base64 for this request's Accept
 * (decodeForClient, docs/compression.md): otherwise a client would get base64 text it cannot decompress.
 * In the function of a streamed group (docs/streaming.md: the RESPONSE_TRANSFER_MODE variable is `STREAM`, as the
 * deployment and `npm start` set it) it returns {@link streamingLambdaHandler}'s handler instead, the one Lambda invokes
 * with a response stream: the app's code is the same for both.
 */
export function lambdaHandler(app: Koa, options: LambdaHandlerOptions = {}): ProxyHandler {
  // The runtime looks at the exported handler, which this returns at module level: the mode is fixed at the cold start.
  if (process.env[RESPONSE_TRANSFER_MODE_VARIABLE] === 'STREAM') return streamingLambdaHandler(app) as unknown as ProxyHandler;
  const types = options.binaryMediaTypes ?? (process.env[BINARY_MEDIA_TYPES_VARIABLE] ?? '').split(',');
  const serve = serverless(unchunked(app), { requestId: REQUEST_ID, request: useEventHeaders, binary: binaryResponseTest(types) });
  // A copy: serverless-http fills absent fields (a null body, null headers) in the event it is given; the caller's stays as sent.
  return async (event, context) => {
    const result = (await serve(
      {
        ...event,
        ...(typeof event.path === 'string' && { path: appPath(event.path, event.resource as string | undefined, event.pathParameters as Record<string, string> | null) }),
      },
      context as object,
    )) as ProxyResult;
    const accept = requestHeaders(event as Parameters<typeof requestHeaders>[0]).accept;
    return headersOnce(decodeForClient(result, accept, types));
  };
}

/**
 * Returns `result` with each header in one map only. serverless-http puts a header the app set more than once
 * (`ctx.append('Link', a)` then `b`) in `multiValueHeaders` (`[a, b]`) and, joined, in `headers` (`"a, b"`); API
 * Gateway merges the two maps, adding a `headers` value to the `multiValueHeaders` ones unless it is one of them
 * (developer guide, "Lambda proxy integrations for REST APIs", output format; docs/apigateway-behaviour.md §6.6),
 * so clients received `a`, `b` and `a, b`. The joined copy is dropped: `multiValueHeaders` keeps every value once.
 */
function headersOnce(result: ProxyResult): ProxyResult {
  const multi = result.multiValueHeaders;
  if (!multi || !result.headers) return result;
  const listed = new Set(Object.keys(multi).map((name) => name.toLowerCase()));
  if (!Object.keys(result.headers).some((name) => listed.has(name.toLowerCase()))) return result;
  const headers = Object.fromEntries(Object.entries(result.headers).filter(([name]) => !listed.has(name.toLowerCase())));
  return { ...result, headers };
}
