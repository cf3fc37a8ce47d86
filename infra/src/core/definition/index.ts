/** The API definition (the RestApi's body and what the local gateway reads back). This module only re-exports. */
export type * from './types';
export { buildApiDefinition, routesOf, functionOfInvokeArn, localInvokeArn, streamingInvokeArn, STREAM_TIMEOUT_SECONDS, API_KEY_SCHEME, VALIDATORS, LOCAL_INVOKE_ARN, UNDECLARED_PLACEHOLDER, type DefinitionOptions } from './document';
export { serializeDefinition, definitionHash } from './body';
export { checkImportable, whereIs } from './import-check';
export { USER_POOL_SCHEME, TOKEN_HEADER, userPoolScheme, securityOf, customScopesOf, checkUserPool, authorizationOf } from './auth';
export {
  planGatewayResponses,
  planPreflights,
  corsHeaders,
  allowHeadersOf,
  originsOfTemplate,
  ERROR_TEMPLATE,
  BAD_REQUEST_BODY_TEMPLATE,
  GATEWAY_ALLOW_HEADERS,
  EXPOSE_HEADERS,
  type GatewayResponseSpec,
  type PreflightSpec,
  type PreflightOrigins,
} from './cors';
