import Router from '@koa/router';
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { KoaGateway } from '../../../infra/gateway';
import { fakeApiKey, installMocks, resolve, settle, RecordingMocks, type RecordedResource } from '../../../infra/gateway/mocks';
import { parseSettings } from '../../../infra/settings';
import { buildGatewaySpec } from '../../../infra/spec';
import { createApp } from '../../../service/app';
import { runGateway } from '../harness';

const T = {
  method: 'aws:apigateway/method:Method',
  integration: 'aws:apigateway/integration:Integration',
  resource: 'aws:apigateway/resource:Resource',
  model: 'aws:apigateway/model:Model',
  validator: 'aws:apigateway/requestValidator:RequestValidator',
  deployment: 'aws:apigateway/deployment:Deployment',
  stage: 'aws:apigateway/stage:Stage',
  methodSettings: 'aws:apigateway/methodSettings:MethodSettings',
  usagePlan: 'aws:apigateway/usagePlan:UsagePlan',
  usagePlanKey: 'aws:apigateway/usagePlanKey:UsagePlanKey',
  apiKey: 'aws:apigateway/apiKey:ApiKey',
  response: 'aws:apigateway/response:Response',
  fn: 'aws:lambda/function:Function',
  permission: 'aws:lambda/permission:Permission',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  account: 'aws:apigateway/account:Account',
  restApi: 'aws:apigateway/restApi:RestApi',
};

const one = (mocks: RecordingMocks, type: string): RecordedResource => {
  const found = mocks.ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const named = (mocks: RecordingMocks, name: string): RecordedResource => {
  const found = mocks.resources.find((r) => r.name === name);
  expect(found, name).toBeDefined();
  return found!;
};

describe('KoaGateway under mocks, with the todo service', async () => {
  const { mocks, gateway, spec } = await runGateway();

  it('creates a Method and an AWS_PROXY POST Integration to the function for every route', () => {
    const fn = one(mocks, T.fn);
    for (const m of spec.methods) {
      const method = named(mocks, `todo-${m.key}`);
      expect(method.inputs).toMatchObject({ httpMethod: m.method, authorization: 'NONE', resourceId: m.resourcePath === '/' ? 'todo-api-root-id' : expect.stringMatching(/^todo-res-/) });
      const integration = named(mocks, `todo-${m.key}-integration`);
      expect(integration.inputs).toMatchObject({ type: 'AWS_PROXY', integrationHttpMethod: 'POST', httpMethod: m.method, resourceId: method.inputs.resourceId });
      expect(integration.inputs.uri).toContain(`functions/arn:aws:lambda:us-east-1:123456789012:function:${fn.name}`);
    }
    expect(mocks.ofType(T.method)).toHaveLength(spec.methods.length);
    expect(mocks.ofType(T.integration)).toHaveLength(spec.methods.length);
  });

  it('requires the API key on every method unless the route is public', () => {
    const required = Object.fromEntries(mocks.ofType(T.method).map((m) => [m.name, m.inputs.apiKeyRequired]));
    expect(required['todo-GET-health']).toBe(false);
    for (const [name, value] of Object.entries(required)) if (name !== 'todo-GET-health') expect(value, name).toBe(true);
    expect(one(mocks, T.restApi).inputs.apiKeySource).toBe('HEADER');
  });

  it('creates one Resource per path part, each under its parent', () => {
    const resources = mocks.ofType(T.resource);
    expect(resources.map((r) => r.inputs.pathPart).sort()).toEqual(spec.resources.map((r) => r.pathPart).sort());
    expect(named(mocks, 'todo-res-api').inputs.parentId).toBe('todo-api-root-id');
    // The mocks give a resource named N the id `N-id`: {id}'s parent is the `todos` resource.
    expect(named(mocks, 'todo-res-api-v1-todos-id').inputs).toMatchObject({ pathPart: '{id}', parentId: 'todo-res-api-v1-todos' + '-id' });
    expect(named(mocks, 'todo-res-api-v1-todos').inputs).toMatchObject({ pathPart: 'todos', parentId: 'todo-res-api-v1-id' });
  });

  it('attaches models and validators: body models by name, validator ids, request parameters', () => {
    const models = mocks.ofType(T.model);
    expect(models.map((m) => m.inputs.name).sort()).toEqual(spec.models.map((m) => m.name).sort());
    const create = JSON.parse(named(mocks, 'todo-model-TodoCreate').inputs.schema as string) as Record<string, unknown>;
    expect(create.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(named(mocks, 'todo-POST-api-v1-todos').inputs).toMatchObject({ requestModels: { 'application/json': 'TodoCreate' }, requestValidatorId: 'todo-validator-body-id' });
    expect(named(mocks, 'todo-GET-api-v1-todos-id').inputs).toMatchObject({ requestParameters: { 'method.request.path.id': true } });
    expect(named(mocks, 'todo-GET-api-v1-todos-id').inputs.requestValidatorId).toBeUndefined();
    expect(mocks.ofType(T.validator).map((v) => v.inputs)).toEqual([{ name: 'todo-body', restApi: 'todo-api-id', validateRequestBody: true, validateRequestParameters: false }]);
  });

  it('sets the usage plan: rate 100, burst 200, 10,000 per DAY, on this stage, with the key', () => {
    expect(one(mocks, T.usagePlan).inputs).toMatchObject({
      throttleSettings: { rateLimit: 100, burstLimit: 200 },
      quotaSettings: { limit: 10000, period: 'DAY' },
      apiStages: [{ apiId: 'todo-api-id', stage: 'dev' }],
    });
    expect(one(mocks, T.usagePlanKey).inputs).toEqual({ keyId: 'todo-key-id', keyType: 'API_KEY', usagePlanId: 'todo-usage-plan-id' });
  });

  it('sets stage method settings */*: metrics, logging level, data trace, throttling; and JSON access logs', () => {
    expect(one(mocks, T.methodSettings).inputs).toEqual({
      restApi: 'todo-api-id',
      stageName: 'dev',
      methodPath: '*/*',
      settings: { metricsEnabled: true, loggingLevel: 'INFO', dataTraceEnabled: false, throttlingRateLimit: 100, throttlingBurstLimit: 200 },
    });
    const stage = one(mocks, T.stage).inputs as { accessLogSettings: { destinationArn: string; format: string }; deployment: string; stageName: string };
    expect(stage.stageName).toBe('dev');
    expect(stage.deployment).toBe('todo-deployment-id');
    expect(stage.accessLogSettings.destinationArn).toMatch(/^arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/apigateway\/todo-access-/);
    expect(JSON.parse(stage.accessLogSettings.format)).toMatchObject({ requestId: '$context.requestId' });
  });

  it('keeps every log group 7 days, the execution log group included', () => {
    const groups = mocks.ofType(T.logGroup);
    expect(groups.map((g) => g.name).sort()).toEqual(['todo-access-logs', 'todo-execution-logs', 'todo-fn-logs']);
    for (const g of groups) expect(g.inputs.retentionInDays, g.name).toBe(7);
    expect(named(mocks, 'todo-execution-logs').inputs.name).toBe('API-Gateway-Execution-Logs_todo-api-id/dev');
  });

  it('runs the function on nodejs22.x, arm64, 512 MB, 29 s, without --enable-source-maps (maps are read when an error is logged), with its own log group', () => {
    const fn = one(mocks, T.fn).inputs as Record<string, unknown> & { environment: { variables: Record<string, string> } };
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], memorySize: 512, timeout: 29, handler: 'index.handler' });
    expect(fn.environment.variables).not.toHaveProperty('NODE_OPTIONS');
    expect(fn.environment.variables).toMatchObject({ STAGE_NAME: 'dev', CORS_ORIGINS: '' });
    expect(fn.loggingConfig).toMatchObject({ logGroup: expect.stringMatching(/^\/aws\/lambda\/todo-/) });
    expect(fn.role).toBe(`arn:aws:iam::123456789012:role/todo-fn-role-1234567`);
  });

  it('gives the function role only the right to write its own logs', () => {
    const trust = JSON.parse(named(mocks, 'todo-fn-role').inputs.assumeRolePolicy as string) as { Statement: { Principal: unknown }[] };
    expect(trust.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' })]);
    const policy = JSON.parse(one(mocks, T.rolePolicy).inputs.policy as string) as { Statement: { Action: string[]; Resource: string[] }[] };
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]!.Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    for (const r of policy.Statement[0]!.Resource) expect(r).toMatch(/^arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/lambda\/todo-/);
    expect(mocks.ofType('aws:iam/rolePolicyAttachment:RolePolicyAttachment')).toEqual([]);
  });

  it('lets only this API invoke the function', () => {
    expect(one(mocks, T.permission).inputs).toEqual({
      action: 'lambda:InvokeFunction',
      function: 'todo-fn-1234567',
      principal: 'apigateway.amazonaws.com',
      sourceArn: 'arn:aws:execute-api:us-east-1:123456789012:todo-api-id/*/*',
    });
  });

  it('returns validation failures in our error shape with the validator detail', () => {
    const body = named(mocks, 'todo-response-bad-request-body').inputs as { responseType: string; statusCode: string; responseTemplates: Record<string, string> };
    expect(body.responseType).toBe('BAD_REQUEST_BODY');
    expect(body.statusCode).toBe('400');
    expect(body.responseTemplates['application/json']).toContain('"message":$context.error.messageString');
    expect(body.responseTemplates['application/json']).toContain('$context.error.validationErrorString');
    expect(named(mocks, 'todo-response-bad-request-parameters').inputs.responseType).toBe('BAD_REQUEST_PARAMETERS');
    // No CORS configured: no OPTIONS methods and no DEFAULT_4XX/5XX customisation.
    expect(mocks.ofType(T.response)).toHaveLength(2);
    expect(mocks.ofType(T.method).filter((m) => m.inputs.httpMethod === 'OPTIONS')).toEqual([]);
  });

  it('redeploys on the spec hash', () => {
    expect(one(mocks, T.deployment).inputs.triggers).toEqual({ redeployment: gateway.deploymentHash });
    expect(gateway.deploymentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('parents every resource to the component', () => {
    for (const r of mocks.resources) if (r.type !== 'koa-apigateway:gateway:KoaGateway') expect(r.parent, r.name).toBe('todo');
  });

  it('leaves the account CloudWatch role alone by default', () => {
    expect(mocks.ofType(T.account)).toEqual([]);
  });

  it('outputs the stage URL, the key as a secret, and the ids', async () => {
    expect(await resolve(gateway.url)).toEqual({ value: 'https://todo-api-id.execute-api.us-east-1.amazonaws.com/dev', secret: false });
    expect(await resolve(gateway.apiKey)).toEqual({ value: fakeApiKey('todo-key'), secret: true });
    expect((await resolve(gateway.apiKeyId)).value).toBe('todo-key-id');
    expect((await resolve(gateway.restApiId)).value).toBe('todo-api-id');
    expect((await resolve(gateway.functionName)).value).toBe('todo-fn-1234567');
    expect((await resolve(gateway.logGroupName)).value).toMatch(/^\/aws\/lambda\/todo-/);
  });
});

describe('KoaGateway settings', () => {
  it('applies configured throttling, quota, Lambda and logging settings', async () => {
    const { mocks } = await runGateway({
      config: { stageName: 'prod', rateLimit: '5', burstLimit: '10', quotaLimit: '100', quotaPeriod: 'MONTH', lambdaMemorySize: '1024', lambdaTimeout: '10', lambdaArchitecture: 'x86_64', logRetentionDays: '30', loggingLevel: 'ERROR', dataTraceEnabled: 'true' },
    });
    expect(one(mocks, T.usagePlan).inputs).toMatchObject({ throttleSettings: { rateLimit: 5, burstLimit: 10 }, quotaSettings: { limit: 100, period: 'MONTH' }, apiStages: [{ stage: 'prod' }] });
    expect(one(mocks, T.fn).inputs).toMatchObject({ memorySize: 1024, timeout: 10, architectures: ['x86_64'] });
    expect(one(mocks, T.methodSettings).inputs).toMatchObject({ stageName: 'prod', settings: { loggingLevel: 'ERROR', dataTraceEnabled: true, throttlingRateLimit: 5 } });
    for (const g of mocks.ofType(T.logGroup)) expect(g.inputs.retentionInDays).toBe(30);
  });

  it('with CORS origins: an OPTIONS preflight without key on every resource with methods, and CORS headers on gateway errors', async () => {
    const { mocks, spec } = await runGateway({ config: { corsOrigins: 'https://app.example' } });
    const paths = [...new Set(spec.methods.map((m) => m.resourcePath))];
    const options = mocks.ofType(T.method).filter((m) => m.inputs.httpMethod === 'OPTIONS');
    expect(options).toHaveLength(paths.length);
    for (const o of options) expect(o.inputs.apiKeyRequired).toBe(false);
    const preflight = named(mocks, 'todo-OPTIONS-api-v1-todos-id-integration-response').inputs as { responseParameters: Record<string, string>; responseTemplates: Record<string, string> };
    expect(preflight.responseParameters['method.response.header.Access-Control-Allow-Methods']).toBe("'GET,PUT,PATCH,DELETE,OPTIONS'");
    expect(preflight.responseTemplates['application/json']).toContain('"https://app.example"');
    expect(named(mocks, 'todo-OPTIONS-api-v1-todos-id-integration').inputs).toMatchObject({ type: 'MOCK' });
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX', 'BAD_REQUEST_BODY']) {
      const response = mocks.ofType(T.response).find((r) => r.inputs.responseType === type)!;
      expect(response.inputs.responseParameters, type).toMatchObject({ 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example'" });
    }
  });

  it('creates and sets the account CloudWatch role only when asked to', async () => {
    const { mocks } = await runGateway({ config: { manageCloudWatchRole: 'true' } });
    const account = one(mocks, T.account);
    expect(account.inputs.cloudwatchRoleArn).toMatch(/role\/todo-apigw-cloudwatch-role/);
    const trust = JSON.parse(named(mocks, 'todo-apigw-cloudwatch-role').inputs.assumeRolePolicy as string) as { Statement: { Principal: unknown }[] };
    expect(trust.Statement[0]!.Principal).toEqual({ Service: 'apigateway.amazonaws.com' });
    expect(named(mocks, 'todo-apigw-cloudwatch-policy').inputs.policyArn).toBe('arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs');
  });
});

describe('redeployment', () => {
  const byName = (resources: RecordedResource[]) => new Map(resources.map((r) => [r.name, JSON.stringify(r.inputs)]));

  it('the same app twice gives identical resources and the same trigger', async () => {
    const a = byName((await runGateway()).mocks.resources);
    const b = byName((await runGateway()).mocks.resources);
    expect(b).toEqual(a);
  });

  it('adding a route changes the deployment trigger and adds its resources, and nothing unrelated', async () => {
    const before = await runGateway();
    const app = createApp();
    const extra = new Router();
    extra.get('/api/v1/stats', (ctx) => {
      ctx.body = {};
    });
    app.use(extra.routes());
    const after = await runGateway({ spec: buildGatewaySpec(app) });

    const a = byName(before.mocks.resources);
    const b = byName(after.mocks.resources);
    const changed = [...a.keys()].filter((name) => b.get(name) !== a.get(name));
    const added = [...b.keys()].filter((name) => !a.has(name));
    expect(changed).toEqual(['todo-deployment']);
    expect(added.sort()).toEqual(['todo-GET-api-v1-stats', 'todo-GET-api-v1-stats-integration', 'todo-res-api-v1-stats']);
  });

  it('changing CORS origins (part of the deployed API) changes the trigger', async () => {
    const plain = await runGateway();
    const cors = await runGateway({ config: { corsOrigins: '*' } });
    expect(cors.gateway.deploymentHash).not.toBe(plain.gateway.deploymentHash);
  });
});

describe('the mocks', () => {
  it('refuse an unexpected resource type', async () => {
    const mocks = await installMocks();
    expect(() => mocks.newResource({ type: 'aws:s3/bucket:Bucket', name: 'b', inputs: {} })).toThrow(/Unexpected resource type aws:s3\/bucket:Bucket/);
  });

  it('refuse any provider call', async () => {
    const mocks = await installMocks();
    expect(() => mocks.call({ token: 'aws:index/getRegion:getRegion', inputs: {} })).toThrow(/Unexpected provider call aws:index\/getRegion/);
  });

  it('warn, through Pulumi, when the Lambda timeout exceeds the gateway timeout', async () => {
    await installMocks();
    const warnings: string[] = [];
    const original = pulumi.log.warn;
    pulumi.log.warn = (message: string) => {
      warnings.push(message);
      return Promise.resolve();
    };
    try {
      const code = new pulumi.asset.AssetArchive({});
      new KoaGateway('warn', { spec: buildGatewaySpec(createApp()), settings: parseSettings({ lambdaTimeout: '60' }), code });
      await settle();
    } finally {
      pulumi.log.warn = original;
    }
    expect(warnings).toEqual([expect.stringMatching(/lambdaTimeout" is 60s but API Gateway stops waiting after 29s/)]);
  });
});
