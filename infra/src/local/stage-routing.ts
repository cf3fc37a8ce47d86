import { VisibleError } from '../errors';
import { gatewayErrors, type GatewayError } from './errors';
import type { PlainAnswer } from './request';

/** Where a request goes once its stage is known: the API path, and whether it came through the base-path mapping. */
export interface StagePath {
  /** The path inside the API (`/orders/1`), as sent. */
  path: string;
  /** True when the request came through the custom domain's base-path mapping, not the stage URL. */
  viaBasePath: boolean;
}

/**
 * Stage 4, the stage: reads the raw path; returns the API path under `/<stage>` or under the base-path
 * mapping. Answers API Gateway's bare 403 `{"message":"Forbidden"}` (`ForbiddenException`) for a path that
 * is neither: not a deployed stage (docs/apigateway-behaviour.md §1.7), so the API is not yet known and no gateway response customization
 * applies. `/<stage>` alone is not the root resource (`/<stage>/` is): MISSING_AUTHENTICATION_TOKEN (§1.6).
 */
export function resolveStage(rawPath: string, stageName: string, basePath: string | undefined, ids: { requestId: string; extendedRequestId: string }): StagePath | { refusal: PlainAnswer } | { error: GatewayError } {
  const stagePrefix = `/${stageName}`;
  const viaStage = rawPath === stagePrefix || rawPath.startsWith(`${stagePrefix}/`);
  const mappedPath = viaStage ? undefined : basePathRoute(rawPath, basePath);
  if (!viaStage && mappedPath === undefined) {
    return { refusal: { status: 403, headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': ids.requestId, 'x-amz-apigw-id': ids.extendedRequestId, 'x-amzn-ErrorType': 'ForbiddenException' }, body: '{"message":"Forbidden"}' } };
  }
  if (rawPath === stagePrefix) return { error: gatewayErrors.missingAuthenticationToken() };
  return mappedPath !== undefined ? { path: mappedPath, viaBasePath: true } : { path: rawPath.slice(stagePrefix.length), viaBasePath: false };
}

/**
 * Stage 6's answer when no resource and method match (§1): MISSING_AUTHENTICATION_TOKEN, or
 * INCOMPLETE_SIGNATURE when an `Authorization` header is sent that is neither SigV4 nor holds an `=`
 * (API Gateway then reads it as a malformed signature).
 */
export function noRouteError(authorization: string | undefined): GatewayError {
  const sigV4 = authorization !== undefined && /^AWS4-HMAC-SHA256\s/.test(authorization);
  return authorization && !sigV4 && !authorization.includes('=') ? gatewayErrors.incompleteSignature(authorization) : gatewayErrors.missingAuthenticationToken();
}

/**
 * Returns the API path of a request that came through the base-path mapping, or undefined when
 * `rawPath` is not under `basePath` (API Gateway answers 403 Forbidden, as for an unknown stage).
 * `/v1/orders` → `/orders`; `/v1` alone → `/` (the API's root: UNCONFIRMED, the mapping's bare URL);
 * with an empty base path every path is the API's own.
 */
export function basePathRoute(rawPath: string, basePath: string | undefined): string | undefined {
  if (basePath === undefined) return undefined;
  if (basePath === '') return rawPath;
  const prefix = `/${basePath}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : undefined;
}

/**
 * Returns `BASE_PATH` as the gateway takes it: `/v1/` → `v1`, `/` → '' (the whole host), unset or
 * empty → undefined (stage URL only). Throws a VisibleError naming BASE_PATH for more than one segment or characters
 * a base path cannot hold (as the basePath setting).
 */
export function normaliseBasePath(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const trimmed = text.replace(/^\/+|\/+$/g, '');
  if (trimmed !== '' && !/^[A-Za-z0-9._~-]{1,128}$/.test(trimmed)) {
    throw new VisibleError(`BASE_PATH=${text} is not a base path: expected one path segment such as /v1 (letters, digits, ".", "_", "~", "-"), or / for the whole host.`);
  }
  return trimmed;
}
