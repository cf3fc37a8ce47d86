/**
 * API Gateway's own limits that the definition writes and the settings check against (the settings read
 * them from here: the core depends on nothing of theirs).
 */

/** API Gateway's integration timeout (seconds): a Lambda running longer is cut off with a 504 (docs/apigateway-behaviour.md §7.2). */
export const GATEWAY_TIMEOUT_SECONDS = 29;
