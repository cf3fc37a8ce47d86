/**
 * The API definition: ONE OpenAPI 3.0 document with API Gateway's extensions, the RestApi's `body`.
 * The Pulumi component deploys it, the local gateway reads it, the public OpenAPI 3.1 derives from
 * it. These types describe the subset this project writes (and therefore reads).
 */

/** `x-amazon-apigateway-integration` of a Lambda proxy operation (developer guide, "x-amazon-apigateway-integration object"). */
export interface ProxyIntegration {
  type: 'aws_proxy';
  /** Always POST for Lambda, whatever the method. */
  httpMethod: 'POST';
  /** The function's invoke ARN (`arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations`). */
  uri: string;
  passthroughBehavior: 'when_no_match';
  timeoutInMillis: number;
  /**
   * `STREAM` for a streamed route (docs/apigateway-behaviour.md §15.1, §15.2): API Gateway sends the response as the
   * function streams it, and `uri` is the function's response-streaming invocation URI (§15.3). Absent: `BUFFERED`.
   */
  responseTransferMode?: 'STREAM';
}

/** `x-amazon-apigateway-integration` of a CORS preflight the gateway answers itself. */
export interface MockIntegration {
  type: 'mock';
  requestTemplates: Record<string, string>;
  passthroughBehavior: 'when_no_match';
  responses: {
    default: {
      statusCode: string;
      /** `method.response.header.X` → `'static'`. */
      responseParameters: Record<string, string>;
      /** VTL setting Access-Control-Allow-Origin (cors.ts originTemplate). */
      responseTemplates: Record<string, string>;
    };
  };
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  /** Documentation only: API Gateway reads name, in and required (developer guide, "important notes for REST APIs"). */
  schema: Record<string, unknown>;
}

export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: { $ref: string } }>; headers?: Record<string, { schema: { type: 'string' } }> }>;
  /** `[{ api_key: [] }]` when the method requires the key, `cognito_user_pool: [scopes]` in the same object when it requires a token; absent for public methods and preflights. */
  security?: Array<Record<string, string[]>>;
  'x-amazon-apigateway-request-validator'?: string;
  'x-amazon-apigateway-integration': ProxyIntegration | MockIntegration;
}

export interface RequestValidatorRules {
  validateRequestBody: boolean;
  validateRequestParameters: boolean;
}

export interface GatewayResponseDefinition {
  statusCode?: string;
  responseParameters: Record<string, string>;
  responseTemplates: Record<string, string>;
}

/** The `api_key` scheme: the usage plan key in `x-api-key`. */
export interface ApiKeySecurityScheme {
  type: 'apiKey';
  name: string;
  in: 'header';
}

/** A `cognito_user_pools` authorizer (infra/src/core/definition/auth.ts userPoolScheme). */
export interface UserPoolSecurityScheme extends ApiKeySecurityScheme {
  'x-amazon-apigateway-authtype': 'cognito_user_pools';
  'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools'; providerARNs: string[] };
}

export type SecurityScheme = ApiKeySecurityScheme | UserPoolSecurityScheme;

export interface ApiDefinition {
  openapi: '3.0.1';
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    /** The API's models: draft-04 schemas, alphanumeric names. */
    schemas: Record<string, Record<string, unknown>>;
    securitySchemes: Record<string, SecurityScheme>;
  };
  'x-amazon-apigateway-api-key-source': 'HEADER';
  'x-amazon-apigateway-request-validators': Record<string, RequestValidatorRules>;
  'x-amazon-apigateway-gateway-responses': Record<string, GatewayResponseDefinition>;
  /** The media types API Gateway treats as binary (docs/binary.md); absent when the API has none. */
  'x-amazon-apigateway-binary-media-types'?: string[];
  /** The smallest response body in bytes API Gateway compresses (docs/compression.md); absent: compression off. */
  'x-amazon-apigateway-minimum-compression-size'?: number;
}
