/**
 * The gateway responses the stage deploys, as data: ONE source for the Pulumi component
 * (aws.apigateway.Response: `responseType`, `statusCode`, `responseTemplates`, `responseParameters`)
 * and for the local emulator, which renders the very same templates (infra/emulator/errors.ts).
 *
 * To the infra engineer: please build the deployed `aws.apigateway.Response`s from
 * `gatewayResponses(settings.corsOrigins)` rather than copying strings, so local and deployed bodies
 * cannot drift. Templates are API Gateway's simple substitution (not VTL): `$context.*` only.
 */

/** The response types this project customizes or relies on (reference §2.1). */
export type GatewayResponseType =
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'INVALID_API_KEY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'THROTTLED'
  | 'QUOTA_EXCEEDED'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'API_CONFIGURATION_ERROR'
  | 'REQUEST_TOO_LARGE'
  | 'ACCESS_DENIED';

export interface GatewayResponseSpec {
  /** The HTTP status; absent: each type keeps its own default (DEFAULT_4XX/5XX with a null statusCode). */
  statusCode?: number;
  /** `responseTemplates["application/json"]`. */
  template: string;
  /** `responseParameters`: `gatewayresponse.header.X` → `'static'` or `method.request.header.Y`. */
  headers: Record<string, string>;
}

/** API Gateway's own template for every type (reference §2.2). `messageString` is already a quoted JSON string. */
export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/**
 * Validation failures keep the project's error shape `{"message", "errors"?: [{path, message, in}]}`:
 * the message is API Gateway's ("Invalid request body"), the one error entry carries the validator's
 * detail. The detail is put inside quotes: the emulator JSON-escapes it (reference §2.10: UNCONFIRMED
 * whether AWS escapes it; a recorded trace that quoted it produced valid JSON, so we assume it does).
 */
export const BAD_REQUEST_BODY_TEMPLATE =
  '{"message":$context.error.messageString,"errors":[{"path":"","message":"$context.error.validationErrorString","in":"body"}]}';

/**
 * Missing parameters: the message already names them (`Missing required request parameters: [limit]`);
 * validationErrorString is UNCONFIRMED for parameters (reference §2.11), so it is not used.
 */
export const BAD_REQUEST_PARAMETERS_TEMPLATE = DEFAULT_TEMPLATE;

/** Default status codes of the types above (reference §2.1). */
export const DEFAULT_STATUS: Readonly<Record<GatewayResponseType, number>> = {
  DEFAULT_4XX: 400,
  DEFAULT_5XX: 500,
  MISSING_AUTHENTICATION_TOKEN: 403,
  INVALID_API_KEY: 403,
  ACCESS_DENIED: 403,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  THROTTLED: 429,
  QUOTA_EXCEEDED: 429,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  API_CONFIGURATION_ERROR: 500,
  REQUEST_TOO_LARGE: 413,
};

/** Headers a CORS preflight answer allows (the console's default set plus the API key header). */
export const CORS_ALLOW_HEADERS = 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,If-Match';

/**
 * Returns the `responseParameters` that put CORS headers on gateway errors (reference §8.4), or `{}`
 * without origins. One origin (or `*`) is a static value; with several, a gateway response cannot
 * choose, so it echoes the request's Origin: an error body carries no data, and a browser on an
 * allowed origin can then read why its request failed.
 */
export function corsResponseParameters(corsOrigins: readonly string[]): Record<string, string> {
  if (corsOrigins.length === 0) return {};
  const origin = corsOrigins.includes('*') ? "'*'" : corsOrigins.length === 1 ? `'${corsOrigins[0]}'` : 'method.request.header.Origin';
  return {
    'gatewayresponse.header.Access-Control-Allow-Origin': origin,
    'gatewayresponse.header.Access-Control-Allow-Headers': `'${CORS_ALLOW_HEADERS}'`,
    ...(origin === "'*'" ? {} : { 'gatewayresponse.header.Vary': "'Origin'" }),
  };
}

/**
 * Returns the gateway responses to deploy. DEFAULT_4XX/DEFAULT_5XX carry the CORS headers so every
 * error gets them (§2.3); the two validation types get the project's error shape and, being specific
 * customizations that win over DEFAULT_4XX (§2.4), repeat the CORS headers.
 */
export function gatewayResponses(corsOrigins: readonly string[]): Partial<Record<GatewayResponseType, GatewayResponseSpec>> {
  const headers = corsResponseParameters(corsOrigins);
  const responses: Partial<Record<GatewayResponseType, GatewayResponseSpec>> = {
    BAD_REQUEST_BODY: { statusCode: DEFAULT_STATUS.BAD_REQUEST_BODY, template: BAD_REQUEST_BODY_TEMPLATE, headers },
    BAD_REQUEST_PARAMETERS: { statusCode: DEFAULT_STATUS.BAD_REQUEST_PARAMETERS, template: BAD_REQUEST_PARAMETERS_TEMPLATE, headers },
  };
  if (Object.keys(headers).length > 0) {
    // No statusCode: DEFAULT_4XX/5XX leave each type's own status (§2.3).
    responses.DEFAULT_4XX = { template: DEFAULT_TEMPLATE, headers };
    responses.DEFAULT_5XX = { template: DEFAULT_TEMPLATE, headers };
  }
  return responses;
}
