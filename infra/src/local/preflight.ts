import type { PlainAnswer } from './request';

/**
 * Stage 8, a CORS preflight: the MOCK integration Pulumi deploys for `OPTIONS` (infra/src/core/definition/cors.ts).
 * Reads the request's `Origin`; answers 200 `{}` with the method response's static headers and the
 * `Access-Control-Allow-Origin` its VTL template sets: `*`, or the request's Origin only when it is listed;
 * an unlisted origin gets none, so the browser refuses (docs/apigateway-behaviour.md §8).
 */
export function preflightAnswer(mock: { headers: Record<string, string>; origins: '*' | string[] }, origin: string | undefined, ids: { requestId: string; extendedRequestId: string }): PlainAnswer {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'x-amzn-RequestId': ids.requestId, 'x-amz-apigw-id': ids.extendedRequestId, ...mock.headers };
  if (mock.origins === '*') headers['Access-Control-Allow-Origin'] = '*';
  else if (origin !== undefined && mock.origins.includes(origin)) headers['Access-Control-Allow-Origin'] = origin;
  return { status: 200, headers, body: '{}' };
}
