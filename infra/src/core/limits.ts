/**
 * API Gateway's own limits that the definition writes and the settings check against (the settings read
 * them from here: the core depends on nothing of theirs).
 */

/** API Gateway's integration timeout (seconds): a Lambda running longer is cut off with a 504 (docs/apigateway-behaviour.md §7.2). */
export const GATEWAY_TIMEOUT_SECONDS = 29;

/**
 * API Gateway's payload limit for a REST API request, in bytes: 10 MB (Amazon API Gateway Developer Guide, "Amazon API
 * Gateway quotas": "Payload size 10 MB"; docs/apigateway-behaviour.md §7.1). A larger body is refused before any rule of
 * the stage's web ACL that would name a smaller limit matters (infra/src/core/waf-body-limits.ts).
 */
export const PAYLOAD_LIMIT_BYTES = 10 * 1024 * 1024;
