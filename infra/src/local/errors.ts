import { ERROR_TEMPLATE, type GatewayResponseSpec } from '../core/definition/cors';

/** The gateway response types the emulator produces (docs/apigateway-behaviour.md §2.1). */
export type GatewayResponseType =
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'UNAUTHORIZED'
  | 'INVALID_API_KEY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'THROTTLED'
  | 'QUOTA_EXCEEDED'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'API_CONFIGURATION_ERROR'
  | 'REQUEST_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

/** What the gateway answers when it stops a request itself, before or instead of the integration. */
export interface GatewayError {
  type: GatewayResponseType;
  status: number;
  /** `$context.error.message`. */
  message: string;
  /**
   * `$context.error.messageString`: the message as a JSON string. Some types carry a leading space,
   * which is why AWS sends `{"message": "Internal server error"}` but `{"message":"Forbidden"}` (§2.6).
   */
  messageString: string;
  /** The `x-amzn-ErrorType` header. */
  errorType: string;
  validationErrorString?: string;
}

function error(type: GatewayResponseType, status: number, message: string, errorType: string, space: boolean): GatewayError {
  return { type, status, message, messageString: `${space ? ' ' : ''}${JSON.stringify(message)}`, errorType };
}

/** AWS's own template of an uncustomised gateway response (docs/apigateway-behaviour.md §2.3): `{"message": ...}`, our shape too. */
const AWS_DEFAULT_TEMPLATE = ERROR_TEMPLATE;

/** The errors of docs/apigateway-behaviour.md §2.6, with the bodies and `x-amzn-ErrorType` AWS sends. */
export const gatewayErrors = {
  missingAuthenticationToken: () => error('MISSING_AUTHENTICATION_TOKEN', 403, 'Missing Authentication Token', 'MissingAuthenticationTokenException', false),
  /**
   * An unmatched route with a non-SigV4 Authorization header (§1.8): API Gateway tries to read it as a
   * signature. The exact body and header are UNCONFIRMED; this is the message recorded in the reference.
   */
  incompleteSignature: (authorization: string) => {
    const token = authorization.includes(' ') ? authorization.slice(authorization.indexOf(' ') + 1) : authorization;
    return error('MISSING_AUTHENTICATION_TOKEN', 403, `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`, 'IncompleteSignatureException', false);
  },
  /** A user pool authorizer refused the token (missing, malformed, foreign, wrong use, under-scoped): 401 (§12.1, §12.2, §12.4, §12.5). */
  unauthorized: () => error('UNAUTHORIZED', 401, 'Unauthorized', 'UnauthorizedException', false),
  /** An expired user pool token (§12.3): the message recorded in aws-amplify/amplify-js#6060; x-amzn-ErrorType UNCONFIRMED. */
  expiredToken: () => error('UNAUTHORIZED', 401, 'The incoming token has expired', 'UnauthorizedException', false),
  invalidApiKey: () => error('INVALID_API_KEY', 403, 'Forbidden', 'ForbiddenException', false),
  /** Spacing of this body is UNCONFIRMED (§2.6): we assume the leading space of the other validation message. */
  missingParameters: (names: string[]) => {
    const err = error('BAD_REQUEST_PARAMETERS', 400, `Missing required request parameters: [${names.join(', ')}]`, 'BadRequestException', true);
    // validationErrorString for parameters is UNCONFIRMED (§2.11); the likeliest is the validator's own text.
    return { ...err, validationErrorString: err.message };
  },
  invalidBody: (validationErrorString: string) => ({
    ...error('BAD_REQUEST_BODY', 400, 'Invalid request body', 'BadRequestException', true),
    validationErrorString,
  }),
  throttled: () => error('THROTTLED', 429, 'Too Many Requests', 'TooManyRequestsException', false),
  quotaExceeded: () => error('QUOTA_EXCEEDED', 429, 'Limit Exceeded', 'LimitExceededException', false),
  /** A thrown error or a malformed proxy response: 502, not the type's default 504 (§6.3, §6.4). */
  integrationFailure: () => error('INTEGRATION_FAILURE', 502, 'Internal server error', 'InternalServerErrorException', true),
  /** x-amzn-ErrorType for the timeout is UNCONFIRMED (§2.6). */
  integrationTimeout: () => error('INTEGRATION_TIMEOUT', 504, 'Endpoint request timed out', 'InternalServerErrorException', true),
  configurationError: () => error('API_CONFIGURATION_ERROR', 500, 'Internal server error', 'InternalServerErrorException', true),
  /**
   * A request the stage's web ACL blocked. WAF's block action answers 403 by default, and on API
   * Gateway the API's own gateway response carries it (AWS WAF Developer Guide, "Custom responses for
   * Block actions"): type WAF_FILTERED, default status 403, falling back to DEFAULT_4XX (API Gateway
   * Developer Guide, "Gateway response types"). API Gateway still answers (and access-logs) the request
   * (DataBiosphere/azul#5939). The message "Forbidden" and the ForbiddenException header are UNCONFIRMED.
   */
  wafFiltered: () => error('WAF_FILTERED', 403, 'Forbidden', 'ForbiddenException', false),
  /** Over the Lambda invoke payload limit (§6.10). */
  requestTooLong: () => error('REQUEST_TOO_LARGE', 413, 'Request Too Long', 'BadRequestException', true),
  /**
   * A request body whose Content-Encoding API Gateway does not support, or whose bytes are not that coding (§6.15): 415
   * Unsupported Media Type, the UNSUPPORTED_MEDIA_TYPE gateway response. Message and x-amzn-ErrorType UNCONFIRMED.
   */
  unsupportedMediaType: () => error('UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported Media Type', 'UnsupportedMediaTypeException', false),
} satisfies Record<string, (...args: never[]) => GatewayError>;

/** The request facts a gateway response template or header mapping may read. */
export interface ErrorContext {
  requestId: string;
  extendedRequestId: string;
  stage: string;
  apiId: string;
  httpMethod: string;
  resourcePath?: string;
  path: string;
  /** Request headers, lower-cased names. */
  headers: Record<string, string | undefined>;
  /**
   * Node's `rawHeaders` (name, value, name, value… with the client's casing): a `method.request.header.X`
   * mapping reads the header named exactly X (docs/apigateway-behaviour.md §8.5). Omitted: `headers`, by lower-cased name.
   */
  rawHeaders?: readonly string[];
}

export interface RenderedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Returns the response API Gateway sends for `err`, given the stage's customized gateway responses
 * (the definition's x-amazon-apigateway-gateway-responses, the ones Pulumi deploys): the specific type's customization, else
 * DEFAULT_4XX/DEFAULT_5XX, else AWS's default template (§2.3, §2.4). REQUEST_TOO_LARGE cannot be
 * customized (§2.5).
 */
export function renderGatewayError(err: GatewayError, responses: readonly GatewayResponseSpec[], ctx: ErrorContext): RenderedResponse {
  const specific = responses.find((r) => r.type === err.type);
  const family = responses.find((r) => r.type === (err.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'));
  const custom = err.type === 'REQUEST_TOO_LARGE' ? undefined : (specific ?? family);
  const status = Number(custom?.statusCode ?? err.status);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': ctx.requestId,
    'x-amz-apigw-id': ctx.extendedRequestId,
    'x-amzn-ErrorType': err.errorType,
  };
  for (const [key, source] of Object.entries(custom?.headers ?? {})) {
    const name = key.replace(/^gatewayresponse\.header\./, '');
    const value = mappedValue(source, ctx);
    if (value !== undefined) headers[name] = value;
  }
  return { status, headers, body: renderTemplate(custom?.templates['application/json'] ?? AWS_DEFAULT_TEMPLATE, err, ctx) };
}

/** Returns a `responseParameters` value: `'static'`, `method.request.header.X` or `context.X` (§2.8). */
function mappedValue(source: string, ctx: ErrorContext): string | undefined {
  if (/^'.*'$/s.test(source)) return source.slice(1, -1);
  const header = /^method\.request\.header\.(.+)$/.exec(source);
  if (header) {
    // API Gateway processes header names "in a case-sensitive way" (developer guide, "Amazon API Gateway
    // important notes for REST APIs"): the mapping reads the header sent with exactly this name (§8.5).
    if (ctx.rawHeaders) {
      let value: string | undefined;
      for (let i = 0; i + 1 < ctx.rawHeaders.length; i += 2) if (ctx.rawHeaders[i] === header[1]) value = ctx.rawHeaders[i + 1];
      return value;
    }
    const name = header[1]!.toLowerCase();
    return Object.hasOwn(ctx.headers, name) ? ctx.headers[name] : undefined;
  }
  const context = /^context\.(.+)$/.exec(source);
  if (context) return contextValue(context[1]!, undefined, ctx);
  return undefined;
}

/** Returns `template` with `$context.*` and `$stageVariables.*` substituted: simple substitution, not VTL (§2.8). */
export function renderTemplate(template: string, err: GatewayError | undefined, ctx: ErrorContext): string {
  return template
    .replace(/\$context\.([A-Za-z]+(?:\.[A-Za-z]+)*)/g, (_, name: string) => contextValue(name, err, ctx) ?? '')
    .replace(/\$stageVariables\.\w+/g, '');
}

function contextValue(name: string, err: GatewayError | undefined, ctx: ErrorContext): string | undefined {
  switch (name) {
    case 'error.messageString':
      return err?.messageString;
    case 'error.message':
      return err?.message;
    case 'error.responseType':
      return err?.type;
    case 'error.validationErrorString':
      // Inserted JSON-escaped, without quotes (the template quotes it), as AWS's sample recorded it (§2.10).
      return JSON.stringify(err?.validationErrorString ?? '').slice(1, -1);
    case 'requestId':
      return ctx.requestId;
    case 'extendedRequestId':
      return ctx.extendedRequestId;
    case 'stage':
      return ctx.stage;
    case 'apiId':
      return ctx.apiId;
    case 'httpMethod':
      return ctx.httpMethod;
    case 'resourcePath':
      return ctx.resourcePath;
    case 'path':
      return ctx.path;
    default:
      return undefined;
  }
}
