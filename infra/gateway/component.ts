import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { GATEWAY_TIMEOUT_SECONDS, settingsWarnings, type GatewaySettings } from '../settings';
import { hashOf } from '../spec/hash';
import { slugOfPath } from '../spec/paths';
import type { GatewaySpec, MethodSpec, ValidatorKind } from '../spec/types';
import { functionEnvironment } from './function-environment';
import { planGatewayResponses, planPreflights, type GatewayResponseSpec, type PreflightSpec } from './responses';

export interface KoaGatewayArgs {
  /** What to deploy: the gateway spec of the app (`buildGatewaySpec(createApp())`). */
  spec: GatewaySpec;
  /** Stage, throttling, Lambda and logging settings (`parseSettings(...)`). */
  settings: GatewaySettings;
  /** The Lambda code: an archive holding `index.mjs` (and its source map). Taken as an input so tests never bundle. */
  code: pulumi.Input<pulumi.asset.Archive>;
  /** The Lambda handler, default `index.handler`. */
  handler?: string;
  /** Extra environment variables for the function. */
  environment?: Record<string, pulumi.Input<string>>;
  /** Extra inline policies (name → JSON document) for the function's role, e.g. the storage table's; the function is created after them. */
  policies?: Record<string, pulumi.Input<string>>;
}

/** JSON access log line: one line, `$context` variables only, with the request id API Gateway requires. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  apiKeyId: '$context.identity.apiKeyId',
  integrationLatency: '$context.integrationLatency',
  responseLatency: '$context.responseLatency',
  errorType: '$context.error.responseType',
  error: '$context.error.message',
});

const VALIDATOR_FLAGS: Record<ValidatorKind, { validateRequestBody: boolean; validateRequestParameters: boolean; slug: string }> = {
  BODY: { validateRequestBody: true, validateRequestParameters: false, slug: 'body' },
  PARAMS: { validateRequestBody: false, validateRequestParameters: true, slug: 'params' },
  BODY_AND_PARAMS: { validateRequestBody: true, validateRequestParameters: true, slug: 'body-and-params' },
};

/**
 * A Koa service behind API Gateway (REST): one Lambda function, and a REST API whose resources,
 * methods, models and validators are exactly those of the spec, with an API key, a usage plan,
 * logging and metrics. Only loops over the spec: every decision was made when the spec was planned.
 */
export class KoaGateway extends pulumi.ComponentResource {
  /** The stage's invoke URL, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com/dev`. */
  readonly url: pulumi.Output<string>;
  /** The API key's value, as a secret. */
  readonly apiKey: pulumi.Output<string>;
  readonly apiKeyId: pulumi.Output<string>;
  readonly restApiId: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  /** The function's log group. */
  readonly logGroupName: pulumi.Output<string>;
  readonly accessLogGroupName: pulumi.Output<string>;
  /** The Deployment's trigger: changes exactly when the deployed API definition changes. */
  readonly deploymentHash: string;

  readonly api: aws.apigateway.RestApi;
  readonly fn: aws.lambda.Function;
  readonly stage: aws.apigateway.Stage;

  constructor(name: string, args: KoaGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('koa-apigateway:gateway:KoaGateway', name, {}, opts);
    const { spec, settings } = args;
    for (const warning of settingsWarnings(settings)) pulumi.log.warn(warning, this);

    const preflights = planPreflights(spec, settings);
    const gatewayResponses = planGatewayResponses(settings);
    this.deploymentHash = deploymentHash(spec, preflights, gatewayResponses);

    const fn = this.createFunction(name, args);
    this.fn = fn.fn;
    this.api = new aws.apigateway.RestApi(`${name}-api`, { description: `${name}: routes of the Koa service`, apiKeySource: 'HEADER', endpointConfiguration: { types: 'REGIONAL' } }, { parent: this });
    const resourceIds = this.createResources(name, spec);
    const models = this.createModels(name, spec);
    const validators = this.createValidators(name, spec);
    const methods = spec.methods.map((m) => this.createMethod(name, m, resourceIds, models, validators, fn.fn));
    const preflightResources = preflights.map((p) => this.createPreflight(name, p, resourceIds));
    const responses = gatewayResponses.map((r) => this.createGatewayResponse(name, r));

    const permission = new aws.lambda.Permission(
      `${name}-invoke`,
      {
        action: 'lambda:InvokeFunction',
        function: fn.fn.name,
        principal: 'apigateway.amazonaws.com',
        // Only this API (any stage, method and path) may invoke the function.
        sourceArn: pulumi.interpolate`${this.api.executionArn}/*/*`,
      },
      { parent: this },
    );

    const deployment = new aws.apigateway.Deployment(
      `${name}-deployment`,
      { restApi: this.api.id, description: `spec ${this.deploymentHash.slice(0, 12)}`, triggers: { redeployment: this.deploymentHash } },
      // A deployment snapshots the API: it must come after every method, integration and response.
      { parent: this, dependsOn: [...methods.flat(), ...preflightResources.flat(), ...responses] },
    );

    const account = this.createAccountLogging(name, settings);
    const logs = this.createStageLogGroups(name, settings);
    this.stage = new aws.apigateway.Stage(
      `${name}-stage`,
      {
        restApi: this.api.id,
        deployment: deployment.id,
        stageName: settings.stageName,
        accessLogSettings: { destinationArn: logs.access.arn, format: ACCESS_LOG_FORMAT },
      },
      { parent: this, dependsOn: [permission, logs.execution, ...account] },
    );
    new aws.apigateway.MethodSettings(
      `${name}-method-settings`,
      {
        restApi: this.api.id,
        stageName: this.stage.stageName,
        methodPath: '*/*',
        settings: {
          metricsEnabled: settings.metricsEnabled,
          loggingLevel: settings.loggingLevel,
          dataTraceEnabled: settings.dataTraceEnabled,
          throttlingRateLimit: settings.throttle.rateLimit,
          throttlingBurstLimit: settings.throttle.burstLimit,
        },
      },
      { parent: this, dependsOn: account },
    );

    const key = this.createApiKey(name, settings);
    this.url = this.stage.invokeUrl;
    this.apiKey = pulumi.secret(key.value);
    this.apiKeyId = key.id;
    this.restApiId = this.api.id;
    this.functionName = fn.fn.name;
    this.logGroupName = fn.logGroup.name;
    this.accessLogGroupName = logs.access.name;
    this.registerOutputs({
      url: this.url,
      apiKey: this.apiKey,
      apiKeyId: this.apiKeyId,
      restApiId: this.restApiId,
      functionName: this.functionName,
      logGroupName: this.logGroupName,
      accessLogGroupName: this.accessLogGroupName,
    });
  }

  /** The function, its log group (explicit, with retention) and a role that may only write to it. */
  private createFunction(name: string, args: KoaGatewayArgs) {
    const { settings } = args;
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-fn-logs`, { namePrefix: `/aws/lambda/${name}-`, retentionInDays: settings.logRetentionDays }, { parent: this });
    const role = new aws.iam.Role(
      `${name}-fn-role`,
      {
        description: `Runs the ${name} function: writes its own logs, plus only what the policies given to the component grant.`,
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      },
      { parent: this },
    );
    // Basic execution rights, scoped to the function's own log group rather than every log group.
    const policy = new aws.iam.RolePolicy(
      `${name}-fn-logs-policy`,
      {
        role: role.id,
        policy: logGroup.arn.apply((arn) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [arn, `${arn}:*`] }],
          }),
        ),
      },
      { parent: this },
    );
    const extraPolicies = Object.entries(args.policies ?? {}).map(
      ([policyName, document]) => new aws.iam.RolePolicy(`${name}-fn-${policyName}-policy`, { role: role.id, policy: document }, { parent: this }),
    );
    const fn = new aws.lambda.Function(
      `${name}-fn`,
      {
        description: `${name}: the Koa service behind API Gateway`,
        code: args.code,
        handler: args.handler ?? 'index.handler',
        runtime: settings.lambda.runtime,
        architectures: [settings.lambda.architecture],
        memorySize: settings.lambda.memorySize,
        timeout: settings.lambda.timeoutSeconds,
        role: role.arn,
        loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
        environment: {
          // The same variables `npm run bench` runs the bundle with (function-environment.ts).
          variables: { ...functionEnvironment(settings), ...args.environment },
        },
      },
      { parent: this, dependsOn: [policy, ...extraPolicies] },
    );
    return { fn, logGroup, role };
  }

  /** One Resource per path part; returns resource path → id (the root included). */
  private createResources(name: string, spec: GatewaySpec): Map<string, pulumi.Output<string>> {
    const ids = new Map<string, pulumi.Output<string>>([['/', this.api.rootResourceId]]);
    // Sorted by path, so a parent always comes before its children.
    for (const r of spec.resources) {
      const parentId = ids.get(r.parentPath);
      if (!parentId) throw new Error(`Resource ${r.path} has no parent ${r.parentPath} in the spec: the spec is inconsistent; rebuild it with buildGatewaySpec.`);
      const resource = new aws.apigateway.Resource(`${name}-res-${slugOfPath(r.path)}`, { restApi: this.api.id, parentId, pathPart: r.pathPart }, { parent: this });
      ids.set(r.path, resource.id);
    }
    return ids;
  }

  private createModels(name: string, spec: GatewaySpec): Map<string, aws.apigateway.Model> {
    const models = new Map<string, aws.apigateway.Model>();
    for (const m of spec.models) {
      models.set(
        m.name,
        new aws.apigateway.Model(`${name}-model-${m.name}`, { restApi: this.api.id, name: m.name, contentType: m.contentType, schema: JSON.stringify(m.schema) }, { parent: this }),
      );
    }
    return models;
  }

  /** At most three validators: body, parameters, both; only those some method uses. */
  private createValidators(name: string, spec: GatewaySpec): Map<ValidatorKind, aws.apigateway.RequestValidator> {
    const validators = new Map<ValidatorKind, aws.apigateway.RequestValidator>();
    for (const kind of spec.validators) {
      const { slug, ...flags } = VALIDATOR_FLAGS[kind];
      validators.set(kind, new aws.apigateway.RequestValidator(`${name}-validator-${slug}`, { restApi: this.api.id, name: `${name}-${slug}`, ...flags }, { parent: this }));
    }
    return validators;
  }

  private createMethod(
    name: string,
    m: MethodSpec,
    resourceIds: Map<string, pulumi.Output<string>>,
    models: Map<string, aws.apigateway.Model>,
    validators: Map<ValidatorKind, aws.apigateway.RequestValidator>,
    fn: aws.lambda.Function,
  ): pulumi.CustomResource[] {
    const resourceId = resourceIds.get(m.resourcePath);
    if (!resourceId) throw new Error(`Method ${m.method} ${m.resourcePath} has no resource in the spec: the spec is inconsistent; rebuild it with buildGatewaySpec.`);
    const requestModels = Object.values(m.requestModels).map((modelName) => {
      const model = models.get(modelName);
      if (!model) throw new Error(`Method ${m.method} ${m.resourcePath} uses model ${modelName}, which the spec does not define: rebuild the spec with buildGatewaySpec.`);
      return model;
    });
    const validator = m.validator ? validators.get(m.validator) : undefined;
    const method = new aws.apigateway.Method(
      `${name}-${m.key}`,
      {
        restApi: this.api.id,
        resourceId,
        httpMethod: m.method,
        authorization: 'NONE',
        apiKeyRequired: m.apiKeyRequired,
        operationName: m.operationId,
        requestParameters: m.requestParameters,
        requestModels: m.requestModels,
        ...(validator ? { requestValidatorId: validator.id } : {}),
      },
      // Request models are referenced by name: the models must exist first.
      { parent: this, dependsOn: requestModels },
    );
    const integration = new aws.apigateway.Integration(
      `${name}-${m.key}-integration`,
      {
        restApi: this.api.id,
        resourceId,
        httpMethod: method.httpMethod,
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: fn.invokeArn,
        timeoutMilliseconds: GATEWAY_TIMEOUT_SECONDS * 1000,
      },
      { parent: this },
    );
    return [method, integration];
  }

  /** An OPTIONS method answered by the gateway (MOCK), without the API key: browsers never send it on preflight. */
  private createPreflight(name: string, p: PreflightSpec, resourceIds: Map<string, pulumi.Output<string>>): pulumi.CustomResource[] {
    const resourceId = resourceIds.get(p.resourcePath)!;
    const method = new aws.apigateway.Method(
      `${name}-${p.key}`,
      { restApi: this.api.id, resourceId, httpMethod: 'OPTIONS', authorization: 'NONE', apiKeyRequired: false },
      { parent: this },
    );
    const integration = new aws.apigateway.Integration(
      `${name}-${p.key}-integration`,
      { restApi: this.api.id, resourceId, httpMethod: method.httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      { parent: this },
    );
    const headerNames = Object.fromEntries([...Object.keys(p.headers), 'method.response.header.Access-Control-Allow-Origin'].map((h) => [h, false]));
    const response = new aws.apigateway.MethodResponse(
      `${name}-${p.key}-response`,
      { restApi: this.api.id, resourceId, httpMethod: method.httpMethod, statusCode: '200', responseParameters: headerNames, responseModels: { 'application/json': 'Empty' } },
      { parent: this },
    );
    const integrationResponse = new aws.apigateway.IntegrationResponse(
      `${name}-${p.key}-integration-response`,
      {
        restApi: this.api.id,
        resourceId,
        httpMethod: method.httpMethod,
        statusCode: response.statusCode,
        responseParameters: p.headers,
        responseTemplates: { 'application/json': p.responseTemplate },
      },
      { parent: this, dependsOn: [integration] },
    );
    return [method, integration, response, integrationResponse];
  }

  private createGatewayResponse(name: string, r: GatewayResponseSpec): aws.apigateway.Response {
    return new aws.apigateway.Response(
      `${name}-response-${r.type.toLowerCase().replace(/_/g, '-')}`,
      {
        restApiId: this.api.id,
        responseType: r.type,
        ...(r.statusCode ? { statusCode: r.statusCode } : {}),
        responseParameters: r.headers,
        responseTemplates: r.templates,
      },
      { parent: this },
    );
  }

  /**
   * Stage logging needs an account-level (per region) CloudWatch role, which one setting holds for
   * every API in the region. Created and set only when `manageCloudWatchRole` is on (off by default),
   * and then announced at every preview: setting it replaces whatever role another stack set.
   */
  private createAccountLogging(name: string, settings: GatewaySettings): pulumi.Resource[] {
    if (!settings.manageCloudWatchRole) return [];
    pulumi.log.warn(
      "manageCloudWatchRole is true: this stack sets API Gateway's account-wide CloudWatch role for this region, replacing any role set before. " +
        'If another stack or team manages it, run: pulumi config set manageCloudWatchRole false (their role serves this stack too).',
      this,
    );
    const role = new aws.iam.Role(
      `${name}-apigw-cloudwatch-role`,
      {
        description: 'Lets API Gateway write execution and access logs for this account and region.',
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      },
      { parent: this },
    );
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-apigw-cloudwatch-policy`,
      { role: role.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs' },
      { parent: this },
    );
    const account = new aws.apigateway.Account(`${name}-account`, { cloudwatchRoleArn: role.arn }, { parent: this, dependsOn: [attachment] });
    return [account];
  }

  /** Access logs, and the execution log group API Gateway would otherwise create without retention. */
  private createStageLogGroups(name: string, settings: GatewaySettings) {
    const access = new aws.cloudwatch.LogGroup(`${name}-access-logs`, { namePrefix: `/aws/apigateway/${name}-access-`, retentionInDays: settings.logRetentionDays }, { parent: this });
    const execution = new aws.cloudwatch.LogGroup(
      `${name}-execution-logs`,
      { name: pulumi.interpolate`API-Gateway-Execution-Logs_${this.api.id}/${settings.stageName}`, retentionInDays: settings.logRetentionDays },
      { parent: this },
    );
    return { access, execution };
  }

  /** The API key and a usage plan (throttle + quota) on this stage. */
  private createApiKey(name: string, settings: GatewaySettings): aws.apigateway.ApiKey {
    const key = new aws.apigateway.ApiKey(`${name}-key`, { description: `${name} clients`, enabled: true }, { parent: this });
    const plan = new aws.apigateway.UsagePlan(
      `${name}-usage-plan`,
      {
        description: `${settings.throttle.rateLimit} req/s, burst ${settings.throttle.burstLimit}, ${settings.quota.limit} per ${settings.quota.period}`,
        apiStages: [{ apiId: this.api.id, stage: this.stage.stageName }],
        throttleSettings: { rateLimit: settings.throttle.rateLimit, burstLimit: settings.throttle.burstLimit },
        quotaSettings: { limit: settings.quota.limit, period: settings.quota.period },
      },
      { parent: this },
    );
    new aws.apigateway.UsagePlanKey(`${name}-usage-plan-key`, { keyId: key.id, keyType: 'API_KEY', usagePlanId: plan.id }, { parent: this });
    return key;
  }
}

/** Returns the Deployment trigger: the spec's hash plus everything else the deployment snapshots. */
export function deploymentHash(spec: GatewaySpec, preflights: readonly PreflightSpec[], responses: readonly GatewayResponseSpec[]): string {
  return hashOf({ spec: spec.hash, preflights, responses });
}
