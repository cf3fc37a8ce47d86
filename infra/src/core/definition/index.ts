import { canonicalJson, hashOf } from '../plan/hash';
import type { ApiDefinition } from './types';

export type * from './types';
export { buildApiDefinition, routesOf, API_KEY_SCHEME, VALIDATORS, type DefinitionOptions } from './document';
export { USER_POOL_SCHEME, TOKEN_HEADER, userPoolScheme, securityOf, customScopesOf, checkUserPool, authorizationOf } from './auth';
export {
  planGatewayResponses,
  planPreflights,
  corsHeaders,
  allowHeadersOf,
  originsOfTemplate,
  ERROR_TEMPLATE,
  GATEWAY_ALLOW_HEADERS,
  EXPOSE_HEADERS,
  type GatewayResponseSpec,
  type PreflightSpec,
  type PreflightOrigins,
} from './cors';

/**
 * The invoke ARN written into a definition that is not deployed (the local gateway, `npm run openapi`):
 * the shape API Gateway expects, for a function that does not exist.
 */
export const LOCAL_INVOKE_ARN = 'arn:aws:apigateway:local:lambda:path/2015-03-31/functions/arn:aws:lambda:local:000000000000:function:local/invocations';

/** Returns the RestApi `body`: the definition as canonical JSON (keys sorted at every level), so the same definition is the same text. */
export function serializeDefinition(definition: ApiDefinition): string {
  return canonicalJson(definition);
}

/** Returns the sha256 of the serialised definition: the Deployment's trigger. */
export function definitionHash(definition: ApiDefinition): string {
  return hashOf(definition);
}
