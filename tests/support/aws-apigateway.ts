import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiDefinition, Operation } from '../../infra/src/core/definition/types';
import { functionOfInvokeArn, streamingInvokeArn } from '../../infra/src/core/definition/document';

/**
 * API Gateway's control-plane answers for a deployed API definition, shaped as API Gateway returns them, and a
 * loopback server that serves them as its REST API does (`koa-apigateway verify` reads them through the AWS
 * SDK). Every shape follows a recording of AWS or its documentation; tests/fixtures/apigateway-export/README.md
 * names the source of each, and tests/product/core/verify/compare.test.ts holds this module's output to the
 * reviewed files there (so this stays what AWS returns, not what the comparison expects).
 */

/** Where the API is deployed: what the stack's `url` output names, and the ARNs the deployment created. */
export interface Deployment {
  restApiId: string;
  region: string;
  stage: string;
  /** The function's invoke URI in every proxy integration (but those of the groups {@link invokeArns} names). */
  invokeArn: string;
  /** Each function group's invoke URI, by the function its placeholder names (`local`, `local-write`: functionOfInvokeArn). */
  invokeArns?: Record<string, string>;
  /** The user pool of the `cognito_user_pools` authorizer (when the document has one). */
  userPoolArn?: string;
}

/** The wire bodies of GetExport (oas30, extensions=apigateway), GetModels, GetRequestValidators, GetGatewayResponses, GetAuthorizers, GetStage and GetRestApi. */
export interface ApiGatewayResponses {
  export: Record<string, unknown>;
  models: { item: Array<Record<string, unknown>> };
  requestValidators: { item: Array<Record<string, unknown>> };
  gatewayResponses: { item: Array<Record<string, unknown>> };
  authorizers: { item: Array<Record<string, unknown>> };
  stage: Record<string, unknown>;
  restApi: Record<string, unknown>;
}

/** Every gateway response type with its default status (docs/apigateway-behaviour.md §2.1); DEFAULT_4XX/5XX have none. */
const RESPONSE_TYPES: Record<string, string | undefined> = {
  ACCESS_DENIED: '403',
  API_CONFIGURATION_ERROR: '500',
  AUTHORIZER_CONFIGURATION_ERROR: '500',
  AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_BODY: '400',
  BAD_REQUEST_PARAMETERS: '400',
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  EXPIRED_TOKEN: '403',
  INTEGRATION_FAILURE: '504',
  INTEGRATION_TIMEOUT: '504',
  INVALID_API_KEY: '403',
  INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403',
  QUOTA_EXCEEDED: '429',
  REQUEST_TOO_LARGE: '413',
  RESOURCE_NOT_FOUND: '404',
  THROTTLED: '429',
  UNAUTHORIZED: '401',
  UNSUPPORTED_MEDIA_TYPE: '415',
  WAF_FILTERED: '403',
};

/** The template of an uncustomised gateway response (§2.2). */
const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** Returns what API Gateway answers about `definition` once imported (put mode overwrite) and deployed to `deployment.stage`. */
export function awsResponsesFor(document: ApiDefinition, deployment: Deployment): ApiGatewayResponses {
  // Answers of their own: a test may plant a difference in them without touching the document.
  const definition = structuredClone(document);
  const buffered = (value: string) => deployment.invokeArns?.[functionOfInvokeArn(value) ?? ''] ?? deployment.invokeArn;
  // A streamed route's placeholder (docs/apigateway-behaviour.md §15.3) becomes its function's response-streaming URI.
  const arn = (value: string) => (!value.includes(':lambda:local:') ? value : value.endsWith('/response-streaming-invocations') ? streamingInvokeArn(buffered(value)) : buffered(value));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(definition.paths)) {
    paths[path] = Object.fromEntries(Object.entries(item).map(([method, op]) => [method, exportedOperation(op, arn)]));
  }
  const schemes: Record<string, unknown> = {};
  for (const [name, scheme] of Object.entries(definition.components.securitySchemes)) {
    schemes[name] =
      'x-amazon-apigateway-authorizer' in scheme
        ? { ...scheme, 'x-amazon-apigateway-authorizer': { ...scheme['x-amazon-apigateway-authorizer'], providerARNs: [deployment.userPoolArn] } }
        : scheme;
  }
  const gatewayResponses: Record<string, unknown> = {};
  for (const [type, r] of Object.entries(definition['x-amazon-apigateway-gateway-responses'])) {
    // The status code as a number, as exports write it.
    gatewayResponses[type] = { ...(r.statusCode ? { statusCode: Number(r.statusCode) } : {}), responseParameters: r.responseParameters, responseTemplates: r.responseTemplates };
  }
  const exported: Record<string, unknown> = {
    openapi: '3.0.1',
    info: { title: definition.info.title, version: definition.info.version },
    servers: [{ url: `https://${deployment.restApiId}.execute-api.${deployment.region}.amazonaws.com/{basePath}`, variables: { basePath: { default: deployment.stage } } }],
    paths,
    components: { schemas: definition.components.schemas, securitySchemes: schemes },
    'x-amazon-apigateway-gateway-responses': gatewayResponses,
    'x-amazon-apigateway-request-validators': definition['x-amazon-apigateway-request-validators'],
    // x-amazon-apigateway-api-key-source: left out, HEADER being the default.
  };

  const id = (prefix: string, i: number) => `${prefix}${(i + 1).toString(36).padStart(5, '0')}`;
  const models = Object.entries(definition.components.schemas).map(([name, schema], i) => {
    // Stored as text; a `required` list comes back sorted, the schema's description is also the model's.
    const stored = JSON.parse(JSON.stringify(schema), (key, value: unknown) => (key === 'required' && Array.isArray(value) ? [...(value as string[])].sort() : value)) as Record<string, unknown>;
    return { id: id('m', i), name, contentType: 'application/json', ...(typeof schema.description === 'string' ? { description: schema.description } : {}), schema: JSON.stringify(stored, null, 2) };
  });
  // What every new API has (§4.12): the import in put mode overwrite replaces the models the document names.
  models.unshift({ id: id('m', models.length), name: 'Empty', contentType: 'application/json', schema: JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', title: 'Empty Schema', type: 'object' }, null, 2) });
  const requestValidators = Object.entries(definition['x-amazon-apigateway-request-validators']).map(([name, rules], i) => ({ id: id('v', i), name, ...rules }));
  const gateway = Object.entries(RESPONSE_TYPES).map(([type, status]) => {
    const own = definition['x-amazon-apigateway-gateway-responses'][type];
    const statusCode = own?.statusCode ?? status;
    return {
      responseType: type,
      ...(statusCode ? { statusCode } : {}),
      responseParameters: own?.responseParameters ?? {},
      responseTemplates: own?.responseTemplates ?? { 'application/json': DEFAULT_TEMPLATE },
      defaultResponse: own === undefined,
    };
  });
  const authorizers = Object.entries(definition.components.securitySchemes)
    .filter(([, scheme]) => 'x-amazon-apigateway-authorizer' in scheme)
    .map(([name, scheme], i) => ({
      id: id('a', i),
      name,
      type: 'COGNITO_USER_POOLS',
      providerARNs: [deployment.userPoolArn],
      authType: 'cognito_user_pools',
      identitySource: `method.request.header.${scheme.name}`,
      authorizerResultTtlInSeconds: 300,
    }));
  return {
    export: exported,
    models: { item: models },
    requestValidators: { item: requestValidators },
    gatewayResponses: { item: gateway },
    authorizers: { item: authorizers },
    stage: {
      deploymentId: 'd3pl0y',
      stageName: deployment.stage,
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
      methodSettings: {},
      tracingEnabled: false,
      createdDate: 1765065600,
      lastUpdatedDate: 1765065600,
    },
    // GetRestApi (API reference, "RestApi"): the imported body's binary media types and minimum compression size, when it has them.
    restApi: {
      id: deployment.restApiId,
      name: definition.info.title,
      version: definition.info.version,
      createdDate: 1765065600,
      apiKeySource: 'HEADER',
      endpointConfiguration: { types: ['REGIONAL'] },
      disableExecuteApiEndpoint: false,
      rootResourceId: 'r00t1d',
      ...(definition['x-amazon-apigateway-binary-media-types'] ? { binaryMediaTypes: definition['x-amazon-apigateway-binary-media-types'] } : {}),
      ...(definition['x-amazon-apigateway-minimum-compression-size'] !== undefined ? { minimumCompressionSize: definition['x-amazon-apigateway-minimum-compression-size'] } : {}),
    },
  };
}

/**
 * An operation as the export writes it: operationId kept; summary, description and tags left out
 * (documentation); each parameter's name, place and `required` only (when true), its schema a string; each
 * response described `<status> response`, with its header names and models (`content: {}` without one);
 * key and authorizer as requirements of their own, the authorizer's first; the proxy integration with the
 * settings API Gateway adds (`responses.default`, `contentHandling`) and without its default timeout.
 */
function exportedOperation(op: Operation, arn: (value: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (op.operationId) out.operationId = op.operationId;
  if (op.parameters?.length) out.parameters = op.parameters.map((p) => ({ name: p.name, in: p.in, ...(p.required ? { required: true } : {}), schema: { type: 'string' } }));
  if (op.requestBody) out.requestBody = { content: op.requestBody.content, required: true };
  out.responses = Object.fromEntries(
    Object.entries(op.responses).map(([status, r]) => [
      status,
      {
        description: `${status} response`,
        ...(r.headers ? { headers: Object.fromEntries(Object.keys(r.headers).map((h) => [h, { schema: { type: 'string' } }])) } : {}),
        content: r.content ?? {},
      },
    ]),
  );
  if (op.security) {
    const [requirement] = op.security;
    const names = Object.keys(requirement ?? {}).sort((a, b) => (a === 'api_key' ? 1 : b === 'api_key' ? -1 : 0));
    out.security = names.map((name) => ({ [name]: requirement![name] }));
  }
  if (op['x-amazon-apigateway-request-validator']) out['x-amazon-apigateway-request-validator'] = op['x-amazon-apigateway-request-validator'];
  const integration = op['x-amazon-apigateway-integration'];
  out['x-amazon-apigateway-integration'] =
    integration.type === 'aws_proxy'
      ? {
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: arn(integration.uri),
          responses: { default: { statusCode: '200' } },
          passthroughBehavior: integration.passthroughBehavior,
          contentHandling: 'CONVERT_TO_TEXT',
          // A streamed integration (§15.2, §15.7): its mode and its timeout, not the default 29 s, exported as imported (UNCONFIRMED: no recorded export).
          ...(integration.responseTransferMode ? { responseTransferMode: integration.responseTransferMode, timeoutInMillis: integration.timeoutInMillis } : {}),
        }
      : { type: 'mock', responses: integration.responses, requestTemplates: integration.requestTemplates, passthroughBehavior: integration.passthroughBehavior };
  return out;
}

/** A loopback stand-in for API Gateway's control plane (`https://apigateway.<region>.amazonaws.com`), serving fixed answers. */
export interface ApiGatewayStub {
  /** The endpoint to give the SDK (`AWS_ENDPOINT_URL_API_GATEWAY`, or verify's `--endpoint`). */
  url: string;
  /** Each request's method, path with query, and `authorization` header (the SDK signs every request). */
  requests: Array<{ method: string; path: string; accept?: string; authorization?: string }>;
  close(): Promise<void>;
}

/**
 * Serves `responses` for `restApiId` and `stage` as API Gateway's REST API does (API reference, "GetExport",
 * "GetModels", ...: `GET /restapis/{id}/stages/{stage}/exports/oas30`, `/restapis/{id}/models`, ...; lists as
 * `{"item": [...]}`); anything else is API Gateway's 404, a `NotFoundException` named in `x-amzn-ErrorType`.
 */
export async function startApiGatewayStub(restApiId: string, stage: string, responses: ApiGatewayResponses): Promise<ApiGatewayStub> {
  const requests: ApiGatewayStub['requests'] = [];
  const routes: Record<string, { body: unknown; headers?: Record<string, string> }> = {
    [`/restapis/${restApiId}/stages/${stage}/exports/oas30`]: {
      body: responses.export,
      headers: { 'content-disposition': `attachment; filename="oas30_${String((responses.export.info as { version?: string } | undefined)?.version ?? 'date')}.json"` },
    },
    [`/restapis/${restApiId}/stages/${stage}`]: { body: responses.stage },
    [`/restapis/${restApiId}/models`]: { body: responses.models },
    [`/restapis/${restApiId}/requestvalidators`]: { body: responses.requestValidators },
    [`/restapis/${restApiId}/gatewayresponses`]: { body: responses.gatewayResponses },
    [`/restapis/${restApiId}/authorizers`]: { body: responses.authorizers },
    [`/restapis/${restApiId}`]: { body: responses.restApi },
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    requests.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, accept: req.headers.accept, authorization: req.headers.authorization });
    const route = req.method === 'GET' ? routes[url.pathname] : undefined;
    res.setHeader('x-amzn-requestid', '4c6a0a4e-0000-4000-8000-000000000000');
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'NotFoundException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/' });
      res.end(JSON.stringify({ message: url.pathname.startsWith(`/restapis/${restApiId}/`) ? 'Invalid stage identifier specified' : 'Invalid API identifier specified 123456789012:' + url.pathname.split('/')[2] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', ...route.headers });
    res.end(JSON.stringify(route.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
