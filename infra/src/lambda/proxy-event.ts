/**
 * The event API Gateway's REST Lambda proxy integration sends the function (payload format 1.0) and the
 * response it expects back: types only, so the Lambda's entry imports them without adding code to its bundle.
 * Field by field as AWS documents them ("Input format of a Lambda function for proxy integration",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html;
 * docs/apigateway-behaviour.md §5): absent maps and an absent body are `null`, never `{}` or `""`.
 * The one builder of such events is infra/src/local/event.ts `buildProxyEvent`.
 */

/** `requestContext.identity`: the caller. `apiKey`/`apiKeyId` only when the method requires a key (§5.7). */
export type ProxyIdentity = Record<string, unknown> & {
  sourceIp: string;
  userAgent: string | null;
  apiKey?: string;
  apiKeyId?: string;
};

/** `requestContext`: the stage, the request as sent (`path` is `/{stage}{path}`), ids and time (§5.6). */
export type ProxyRequestContext = Record<string, unknown> & {
  requestId: string;
  path: string;
  stage: string;
  httpMethod: string;
  resourcePath: string;
  identity: ProxyIdentity;
  /** A method with an authorizer only; a Cognito user pool authorizer puts the token's claims in `claims`. */
  authorizer?: Record<string, unknown>;
};

/** An API Gateway REST proxy event, payload format 1.0 (§5). */
export interface ProxyEvent {
  /** The matched resource (`/orders/{id}`). */
  resource: string;
  /** The request path after the stage (or the public path behind a base-path mapping, §5). */
  path: string;
  httpMethod: string;
  /** The last line of each header, client casing kept. */
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: ProxyRequestContext;
  /** The body as text, or base64 when `isBase64Encoded` (a binary media type, §5.5). */
  body: string | null;
  isBase64Encoded: boolean;
}

/** What a proxy integration's function returns (§6): the status, headers, and the body as text or base64. */
export interface ProxyResult {
  statusCode: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded?: boolean;
}

/**
 * A Lambda entry for a REST proxy integration: the event in, and the invocation's context (the Lambda runtime's
 * `Context`, passed through untouched), the result out. infra/src/lambda/handler.ts `lambdaHandler` returns one.
 */
export type ProxyHandler = (event: ProxyEvent, context: unknown) => Promise<ProxyResult>;
