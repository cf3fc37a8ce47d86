import { originsOfTemplate, type GatewayResponseSpec, type PreflightOrigins } from '../core/definition/cors';
import type { ApiDefinition, MockIntegration, Operation, ProxyIntegration, SecurityScheme } from '../core/definition/types';
import type { UserPoolAuthorizer } from './authorizer';
import { functionOfInvokeArn } from '../core/definition/document';

/** One method of the deployed REST API, as the local gateway serves it: read from the API definition. */
export interface DeployedMethod {
  /** `GET`, `POST`, … (upper case). */
  method: string;
  /** API Gateway resource path, e.g. `/api/v1/orders/{id}`. */
  resourcePath: string;
  /** `METHOD /path`: unique per method. */
  key: string;
  operationId?: string;
  /** True when the operation carries the `api_key` security requirement. */
  apiKeyRequired: boolean;
  /** The operation's `cognito_user_pools` authorizer and scopes, when its security requirement names one. */
  authorizer?: UserPoolAuthorizer;
  /** `method.request.{path|querystring|header}.name` → required, as API Gateway names request parameters. */
  requestParameters: Record<string, boolean>;
  /** Content type → model name (`components.schemas`). */
  requestModels: Record<string, string>;
  /** The rules of the operation's request validator; none: nothing is validated. */
  validates: { body: boolean; parameters: boolean };
  /**
   * A Lambda proxy integration, with the name of the function its `uri` invokes (infra/src/core/definition/document.ts functionOfInvokeArn; absent when the
   * uri is not a Lambda invoke ARN), or a MOCK CORS preflight with its static headers and the origins its VTL lets through.
   */
  integration: { type: 'aws_proxy'; functionName?: string; stream?: true; timeoutMs?: number } | { type: 'mock'; headers: Record<string, string>; origins: PreflightOrigins };
}

/** What the local gateway serves, all of it read from the one API definition. */
export interface DeployedApi {
  methods: DeployedMethod[];
  /** Model name → draft-04 schema. */
  models: Record<string, Record<string, unknown>>;
  gatewayResponses: GatewayResponseSpec[];
}

const HTTP_METHODS = new Set(['get', 'head', 'post', 'put', 'patch', 'delete', 'options']);

/**
 * Returns the REST API a definition deploys, as API Gateway imports it: one method per operation
 * (Lambda proxy or MOCK), the key requirement from `security`, required request parameters, body
 * models, the validator's rules, and the gateway responses. Throws, naming the operation, for what
 * this project never writes (another integration type, a validator or model the document lacks).
 */
export function readDefinition(definition: ApiDefinition): DeployedApi {
  const validators = definition['x-amazon-apigateway-request-validators'] ?? {};
  const models = definition.components?.schemas ?? {};
  const methods: DeployedMethod[] = [];
  for (const [resourcePath, operations] of Object.entries(definition.paths)) {
    for (const [verb, op] of Object.entries(operations)) {
      if (!HTTP_METHODS.has(verb)) continue;
      methods.push(readOperation(verb.toUpperCase(), resourcePath, op, validators, models, definition.components?.securitySchemes ?? {}));
    }
  }
  const gatewayResponses = Object.entries(definition['x-amazon-apigateway-gateway-responses'] ?? {}).map(([type, r]) => ({
    type,
    ...(r.statusCode ? { statusCode: r.statusCode } : {}),
    headers: r.responseParameters ?? {},
    templates: r.responseTemplates ?? {},
  }));
  return { methods, models, gatewayResponses };
}

function readOperation(
  method: string,
  resourcePath: string,
  op: Operation,
  validators: ApiDefinition['x-amazon-apigateway-request-validators'],
  models: Record<string, unknown>,
  schemes: Record<string, SecurityScheme>,
): DeployedMethod {
  const key = `${method} ${resourcePath}`;
  const authorizer = readAuthorizer(key, op, schemes);
  const requestParameters: Record<string, boolean> = {};
  for (const p of op.parameters ?? []) {
    const location = p.in === 'query' ? 'querystring' : p.in;
    requestParameters[`method.request.${location}.${location === 'header' ? p.name.toLowerCase() : p.name}`] = p.required === true;
  }
  const requestModels: Record<string, string> = {};
  for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
    const name = /^#\/components\/schemas\/([A-Za-z0-9]+)$/.exec(media.schema?.$ref ?? '')?.[1];
    if (!name || !(name in models)) throw new Error(`Operation ${key}: its ${type} body refers to ${media.schema?.$ref ?? 'nothing'}, not a model of components.schemas.`);
    requestModels[type] = name;
  }
  const validatorName = op['x-amazon-apigateway-request-validator'];
  const rules = validatorName === undefined ? undefined : validators[validatorName];
  if (validatorName !== undefined && !rules) throw new Error(`Operation ${key} uses the request validator "${validatorName}", which x-amazon-apigateway-request-validators does not define.`);
  const integration = op['x-amazon-apigateway-integration'];
  return {
    method,
    resourcePath,
    key,
    ...(op.operationId ? { operationId: op.operationId } : {}),
    apiKeyRequired: (op.security ?? []).some((requirement) => 'api_key' in requirement),
    ...(authorizer ? { authorizer } : {}),
    requestParameters,
    requestModels,
    validates: { body: rules?.validateRequestBody === true, parameters: rules?.validateRequestParameters === true },
    integration: integration.type === 'aws_proxy' ? proxyIntegration(integration) : readMock(key, integration),
  };
}

/**
 * Returns the `cognito_user_pools` authorizer an operation's security requirement names, with the
 * requirement's scopes (its authorizationScopes on import); undefined when it names none. Throws for a
 * scheme the document lacks or an authorizer type the local gateway does not run.
 */
function readAuthorizer(key: string, op: Operation, schemes: Record<string, SecurityScheme>): UserPoolAuthorizer | undefined {
  for (const requirement of op.security ?? []) {
    for (const [name, scopes] of Object.entries(requirement)) {
      if (name === 'api_key') continue;
      const scheme = schemes[name];
      if (!scheme) throw new Error(`Operation ${key} requires the security scheme "${name}", which components.securitySchemes does not define.`);
      if (!('x-amazon-apigateway-authorizer' in scheme) || scheme['x-amazon-apigateway-authorizer'].type !== 'cognito_user_pools') {
        throw new Error(`Operation ${key}: the security scheme "${name}" is not a cognito_user_pools authorizer, the only authorizer the local gateway runs.`);
      }
      return { name, header: scheme.name, providerArns: [...scheme['x-amazon-apigateway-authorizer'].providerARNs], scopes: [...scopes] };
    }
  }
  return undefined;
}

/**
 * A Lambda proxy integration: the function its uri names, if it names one; for a streamed one (`responseTransferMode:
 * STREAM`, docs/apigateway-behaviour.md §15.1) `stream` and its own integration timeout (`timeoutInMillis`, §15.7).
 */
function proxyIntegration(integration: ProxyIntegration): DeployedMethod['integration'] {
  const functionName = functionOfInvokeArn(integration.uri);
  return {
    type: 'aws_proxy',
    ...(functionName !== undefined ? { functionName } : {}),
    ...(integration.responseTransferMode === 'STREAM' ? { stream: true as const, timeoutMs: integration.timeoutInMillis } : {}),
  };
}

/** A MOCK preflight: its static `method.response.header` values, and the origins its VTL template allows. */
function readMock(key: string, integration: MockIntegration): DeployedMethod['integration'] {
  if (integration.type !== 'mock') throw new Error(`Operation ${key}: integration type "${(integration as { type: string }).type}" is not one the local gateway runs (aws_proxy, mock).`);
  const response = integration.responses.default;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.responseParameters)) {
    if (/^'.*'$/s.test(value)) headers[name.replace(/^method\.response\.header\./, '')] = value.slice(1, -1);
  }
  const origins = originsOfTemplate(response.responseTemplates['application/json'] ?? '');
  if (!origins) throw new Error(`Operation ${key}: its MOCK response template is not one this project writes; the local gateway cannot tell which origins it allows.`);
  return { type: 'mock', headers, origins };
}
