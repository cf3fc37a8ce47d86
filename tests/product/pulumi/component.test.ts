import * as pulumi from '@pulumi/pulumi';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildApiDefinition, serializeDefinition } from '../../../infra/src/core/definition';
import type { ApiDefinition } from '../../../infra/src/core/definition/types';
import { KOA_GATEWAY_TYPE, KoaGateway } from '../../../infra/src/pulumi';
import { fakeApiKey, installMocks, MOCK_ACCOUNT_ROLE_ARN, settle, RecordingMocks, unexpectedResource, type RecordedResource } from '../../../infra/src/tools/synth/mocks';
import { resolve } from '../../support/outputs';
import { parseSettings } from '../../../infra/src/settings/parse';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { createParcelsApp } from '../../support/apps/parcels/app';
import { runGateway } from '../../support/pulumi-harness';
import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { ImportWarningError } from '../../../infra/src/errors';
import { addRoute } from '../../../infra/src/route/route';

const T = {
  deployment: 'aws:apigateway/deployment:Deployment',
  stage: 'aws:apigateway/stage:Stage',
  methodSettings: 'aws:apigateway/methodSettings:MethodSettings',
  usagePlan: 'aws:apigateway/usagePlan:UsagePlan',
  usagePlanKey: 'aws:apigateway/usagePlanKey:UsagePlanKey',
  apiKey: 'aws:apigateway/apiKey:ApiKey',
  rolePolicyAttachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
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

/** The RestApi's body, parsed. */
const bodyOf = (mocks: RecordingMocks): ApiDefinition => JSON.parse(one(mocks, T.restApi).inputs.body as string) as ApiDefinition;

describe('KoaGateway under mocks, with the parcels app', async () => {
  const { mocks, gateway, spec } = await runGateway();

  it('creates one RestApi whose body is the API definition, imported in put mode overwrite, and no per-route API Gateway resource', () => {
    const fn = one(mocks, T.fn);
    const api = one(mocks, T.restApi).inputs;
    expect(api).toMatchObject({ putRestApiMode: 'overwrite', failOnWarnings: true, apiKeySource: 'HEADER', endpointConfiguration: { types: 'REGIONAL' } });
    const invokeArn = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn.name}-1234567/invocations`;
    expect(api.body).toBe(serializeDefinition(buildApiDefinition(spec, { corsOrigins: [], title: 'parcels' }, invokeArn)));
    const apiGatewayTypes = [...new Set(mocks.created().map((r) => r.type).filter((t) => t.startsWith('aws:apigateway/')))].sort();
    expect(apiGatewayTypes).toEqual([T.account, T.apiKey, T.deployment, T.methodSettings, T.restApi, T.stage, T.usagePlan, T.usagePlanKey].sort());
  });

  it('integrates every operation with the function (aws_proxy, POST) and requires the key on every one but the public health check', () => {
    const body = bodyOf(mocks);
    const fn = one(mocks, T.fn);
    const operations = Object.entries(body.paths).flatMap(([path, ops]) => Object.entries(ops).map(([verb, op]) => ({ id: `${verb.toUpperCase()} ${path}`, op })));
    expect(operations.map((o) => o.id).sort()).toEqual(gateway.routes);
    for (const { id, op } of operations) {
      expect(op['x-amazon-apigateway-integration'], id).toMatchObject({ type: 'aws_proxy', httpMethod: 'POST', uri: expect.stringContaining(`function:${fn.name}-1234567/invocations`) });
      expect(op.security, id).toEqual(id === 'GET /health' ? undefined : [{ api_key: [] }]);
    }
    expect(body['x-amazon-apigateway-api-key-source']).toBe('HEADER');
  });

  it('outputs the routes, sorted METHOD /path', () => {
    expect(gateway.routes).toEqual(['DELETE /parcels/{id}', 'GET /health', 'GET /parcels', 'GET /parcels/{id}', 'PATCH /parcels/{id}', 'POST /parcels']);
  });

  it('sets the usage plan: rate 100, burst 200, 10,000 per DAY, on this stage, with the key', () => {
    expect(one(mocks, T.usagePlan).inputs).toMatchObject({
      throttleSettings: { rateLimit: 100, burstLimit: 200 },
      quotaSettings: { limit: 10000, period: 'DAY' },
      apiStages: [{ apiId: 'parcels-api-id', stage: 'dev' }],
    });
    expect(one(mocks, T.usagePlanKey).inputs).toEqual({ keyId: 'parcels-key-id', keyType: 'API_KEY', usagePlanId: 'parcels-usage-plan-id' });
  });

  it('sets stage method settings */*: metrics, logging level, data trace, the stage throttle (not the plan\'s per-key one); and JSON access logs', () => {
    expect(one(mocks, T.methodSettings).inputs).toEqual({
      restApi: 'parcels-api-id',
      stageName: 'dev',
      methodPath: '*/*',
      settings: { metricsEnabled: true, loggingLevel: 'INFO', dataTraceEnabled: false, throttlingRateLimit: 1000, throttlingBurstLimit: 1000 },
    });
    const stage = one(mocks, T.stage).inputs as { accessLogSettings: { destinationArn: string; format: string }; deployment: string; stageName: string };
    expect(stage.stageName).toBe('dev');
    expect(stage.deployment).toBe('parcels-deployment-id');
    expect(stage.accessLogSettings.destinationArn).toMatch(/^arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/apigateway\/parcels-access-/);
    expect(JSON.parse(stage.accessLogSettings.format)).toMatchObject({ requestId: '$context.requestId' });
  });

  it('keeps every log group 7 days, the execution log group included', () => {
    const groups = mocks.ofType(T.logGroup);
    expect(groups.map((g) => g.name).sort()).toEqual(['parcels-access-logs', 'parcels-execution-logs', 'parcels-fn-logs']);
    for (const g of groups) expect(g.inputs.retentionInDays, g.name).toBe(7);
    expect(named(mocks, 'parcels-execution-logs').inputs.name).toBe('API-Gateway-Execution-Logs_parcels-api-id/dev');
  });

  it('runs the function on nodejs22.x, arm64, 512 MB, 29 s, without --enable-source-maps (maps are read when an error is logged), with its own log group', () => {
    const fn = one(mocks, T.fn).inputs as Record<string, unknown> & { environment: { variables: Record<string, string> } };
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], memorySize: 512, timeout: 29, handler: 'index.handler' });
    expect(fn.environment.variables).not.toHaveProperty('NODE_OPTIONS');
    expect(fn.environment.variables).toEqual({ CORS_ORIGINS: '' });
    expect(fn.loggingConfig).toMatchObject({ logGroup: expect.stringMatching(/^\/aws\/lambda\/parcels-/) });
    expect(fn.role).toBe(`arn:aws:iam::123456789012:role/parcels-fn-role-1234567`);
  });

  it('gives the function role only the right to write its own logs', () => {
    const trust = JSON.parse(named(mocks, 'parcels-fn-role').inputs.assumeRolePolicy as string) as { Statement: { Principal: unknown }[] };
    expect(trust.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' })]);
    const policy = JSON.parse(one(mocks, T.rolePolicy).inputs.policy as string) as { Statement: { Action: string[]; Resource: string[] }[] };
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]!.Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    for (const r of policy.Statement[0]!.Resource) expect(r).toMatch(/^arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/lambda\/parcels-/);
  });

  it('lets only this API invoke the function', () => {
    expect(one(mocks, T.permission).inputs).toEqual({
      action: 'lambda:InvokeFunction',
      function: 'parcels-fn-1234567',
      principal: 'apigateway.amazonaws.com',
      sourceArn: 'arn:aws:execute-api:us-east-1:123456789012:parcels-api-id/*/*',
    });
  });

  it('redeploys on the hash of the whole body (the function ARN included), after the import', async () => {
    const deployment = one(mocks, T.deployment);
    const body = one(mocks, T.restApi).inputs.body as string;
    expect(deployment.inputs.triggers).toEqual({ redeployment: createHash('sha256').update(body).digest('hex') });
    expect((await resolve(gateway.deploymentHash)).value).toBe((deployment.inputs.triggers as { redeployment: string }).redeployment);
    expect(deployment.options.dependsOn).toContain('parcels-api');
  });

  it('parents every resource to the component', () => {
    for (const r of mocks.resources) if (r.type !== 'koa-apigateway:gateway:KoaGateway') expect(r.parent, r.name).toBe('parcels');
  });

  it('outputs the stage URL, the key as a secret, and the ids', async () => {
    expect(await resolve(gateway.url)).toEqual({ value: 'https://parcels-api-id.execute-api.us-east-1.amazonaws.com/dev', secret: false });
    expect(await resolve(gateway.apiKey)).toEqual({ value: fakeApiKey('parcels-key'), secret: true });
    expect((await resolve(gateway.apiKeyId)).value).toBe('parcels-key-id');
    expect((await resolve(gateway.restApiId)).value).toBe('parcels-api-id');
    expect((await resolve(gateway.functionName)).value).toBe('parcels-fn-1234567');
    expect((await resolve(gateway.logGroupName)).value).toMatch(/^\/aws\/lambda\/parcels-/);
  });
});

describe('the key never travels in plain text', async () => {
  const { mocks, gateway } = await runGateway();
  const key = fakeApiKey('parcels-key');

  it('no registered resource takes the key as an input', () => {
    for (const r of mocks.resources) expect(JSON.stringify(r.inputs), r.name).not.toContain(key);
  });

  it('every resource whose state holds the key (the ApiKey and the UsagePlanKey) declares that output secret', async () => {
    const holders = mocks.resources.filter((r) => JSON.stringify(r.outputs).includes(key));
    expect(holders.map((r) => r.type).sort()).toEqual([T.apiKey, T.usagePlanKey]);
    for (const r of holders) {
      const fields = Object.entries(r.outputs).filter(([, v]) => JSON.stringify(v)?.includes(key)).map(([k]) => k);
      for (const field of fields) expect(r.options.additionalSecretOutputs, `${r.name}.${field}`).toContain(field);
    }
    // The engine, not the mock monitor, applies additionalSecretOutputs: the declaration above is what is asserted.
    expect((await resolve(gateway.apiKey)).secret).toBe(true);
  });
});

// § numbers: docs/apigateway-behaviour.md.
describe('KoaGateway settings', () => {
  it('applies configured throttling, quota, Lambda and logging settings', async () => {
    const { mocks } = await runGateway({
      config: { stageName: 'prod', rateLimit: '5', burstLimit: '10', quotaLimit: '100', quotaPeriod: 'MONTH', lambdaMemorySize: '1024', lambdaTimeout: '10', lambdaArchitecture: 'x86_64', logRetentionDays: '30', loggingLevel: 'ERROR', dataTraceEnabled: 'true' },
    });
    expect(one(mocks, T.usagePlan).inputs).toMatchObject({ throttleSettings: { rateLimit: 5, burstLimit: 10 }, quotaSettings: { limit: 100, period: 'MONTH' }, apiStages: [{ stage: 'prod' }] });
    expect(one(mocks, T.fn).inputs).toMatchObject({ memorySize: 1024, timeout: 10, architectures: ['x86_64'] });
    expect(one(mocks, T.methodSettings).inputs).toMatchObject({ stageName: 'prod', settings: { loggingLevel: 'ERROR', dataTraceEnabled: true, throttlingRateLimit: 1000, throttlingBurstLimit: 1000 } });
    for (const g of mocks.ofType(T.logGroup)) expect(g.inputs.retentionInDays).toBe(30);
  });

  it('throttles the stage (all clients) and each key (the usage plan) with their own numbers (§3.17)', async () => {
    const { mocks } = await runGateway({ config: { rateLimit: '20', burstLimit: '40', stageRateLimit: '300', stageBurstLimit: '500' } });
    expect(one(mocks, T.usagePlan).inputs).toMatchObject({ throttleSettings: { rateLimit: 20, burstLimit: 40 } });
    expect(one(mocks, T.methodSettings).inputs).toMatchObject({ methodPath: '*/*', settings: { throttlingRateLimit: 300, throttlingBurstLimit: 500 } });
  });

  it('with CORS origins: a MOCK OPTIONS preflight without key on every resource, allowing the declared headers, and CORS headers on gateway errors', async () => {
    const { mocks, spec } = await runGateway({ config: { corsOrigins: 'https://app.example' } });
    const body = bodyOf(mocks);
    const paths = [...new Set(spec.methods.map((m) => m.resourcePath))];
    for (const path of paths) {
      const options = body.paths[path]!.options!;
      expect(options.security, path).toBeUndefined();
      expect(options['x-amazon-apigateway-integration'].type).toBe('mock');
    }
    const preflight = body.paths['/parcels/{id}']!.options!['x-amazon-apigateway-integration'] as { responses: { default: { responseParameters: Record<string, string>; responseTemplates: Record<string, string> } } };
    expect(preflight.responses.default.responseParameters['method.response.header.Access-Control-Allow-Methods']).toBe("'GET,PATCH,DELETE,OPTIONS'");
    expect(preflight.responses.default.responseParameters['method.response.header.Access-Control-Allow-Headers']).toContain('If-Match');
    expect(preflight.responses.default.responseTemplates['application/json']).toContain('"https://app.example"');
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX', 'BAD_REQUEST_BODY']) {
      expect(body['x-amazon-apigateway-gateway-responses'][type]!.responseParameters, type).toMatchObject({ 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example'" });
    }
  });
});

describe("the account's CloudWatch role (manageCloudWatchRole)", () => {
  const created = (mocks: RecordingMocks) => mocks.created().filter((r) => [T.account, T.rolePolicyAttachment].includes(r.type) || r.name === 'parcels-apigw-cloudwatch-role');

  it('auto (default), on a fresh account: reads the setting, creates the role and sets it, both kept on destroy', async () => {
    const { mocks, gateway } = await runGateway();
    expect(mocks.resources.filter((r) => r.read).map((r) => [r.type, r.name])).toEqual([[T.account, 'parcels-account-settings']]);
    const account = one(mocks, T.account);
    expect(account.inputs.cloudwatchRoleArn).toBe('arn:aws:iam::123456789012:role/apigw-logs-koa-apigateway-dev-parcels-1234567');
    const trust = JSON.parse(named(mocks, 'parcels-apigw-cloudwatch-role').inputs.assumeRolePolicy as string) as { Statement: { Principal: unknown }[] };
    expect(trust.Statement[0]!.Principal).toEqual({ Service: 'apigateway.amazonaws.com' });
    expect(named(mocks, 'parcels-apigw-cloudwatch-policy').inputs.policyArn).toBe('arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs');
    for (const r of created(mocks)) expect(r.options.retainOnDelete, r.name).toBe(true);
    expect(created(mocks)).toHaveLength(3);
    expect(one(mocks, T.stage).options.dependsOn).toContain('parcels-account');
    expect((await resolve(gateway.accountLogging)).value).toBe('created');
  });

  it('auto, where the role this stack created is set (the next pulumi up): declares the same role and setting, so nothing changes', async () => {
    const first = await runGateway();
    const arn = one(first.mocks, T.account).inputs.cloudwatchRoleArn as string;
    const next = await runGateway({ account: { cloudwatchRoleArn: arn } });
    expect(created(next.mocks).map((r) => [r.name, JSON.stringify(r.inputs)])).toEqual(created(first.mocks).map((r) => [r.name, JSON.stringify(r.inputs)]));
  });

  it('auto, after a pulumi destroy that kept the role and the setting: adopts the kept role (import), no second role', async () => {
    const first = await runGateway();
    const keptArn = one(first.mocks, T.account).inputs.cloudwatchRoleArn as string;
    const kept = keptArn.slice(keptArn.lastIndexOf('/') + 1);
    // The state is empty again (another suffix: a new role would get another name); the role and the setting were kept.
    const next = await runGateway({ account: { cloudwatchRoleArn: keptArn }, suffix: '7654321' });
    const role = named(next.mocks, 'parcels-apigw-cloudwatch-role');
    expect(role.options.import).toBe(kept);
    expect(role.options.retainOnDelete).toBe(true);
    expect(one(next.mocks, T.account).inputs.cloudwatchRoleArn).toBe(keptArn);
    expect(next.mocks.ofType(T.role).map((r) => r.name).sort()).toEqual(['parcels-apigw-cloudwatch-role', 'parcels-fn-role']);
    expect((await resolve(next.gateway.accountLogging)).value).toBe('created');
  });

  it("auto, where another component's role of a longer name is set (…-parcels2-…): uses it, a prefix is matched whole", async () => {
    const { mocks, gateway } = await runGateway({ account: { cloudwatchRoleArn: 'arn:aws:iam::123456789012:role/apigw-logs-koa-apigateway-dev-parcels2-20260101' } });
    expect(created(mocks)).toEqual([]);
    expect((await resolve(gateway.accountLogging)).value).toBe('existing');
  });

  it('auto, where a role is set: creates nothing and uses it', async () => {
    const { mocks, gateway } = await runGateway({ account: 'role-set' });
    expect(created(mocks)).toEqual([]);
    expect(mocks.resources.find((r) => r.read)?.outputs.cloudwatchRoleArn).toBe(MOCK_ACCOUNT_ROLE_ARN);
    expect((await resolve(gateway.accountLogging)).value).toBe('existing');
  });

  it("true: creates and sets its own role where another stack's is set, kept on destroy", async () => {
    const { mocks } = await runGateway({ config: { manageCloudWatchRole: 'true' }, account: 'role-set' });
    expect(created(mocks)).toHaveLength(3);
    for (const r of created(mocks)) expect(r.options.retainOnDelete, r.name).toBe(true);
    expect(named(mocks, 'parcels-apigw-cloudwatch-role').options.import).toBeUndefined();
    expect(one(mocks, T.account).inputs.cloudwatchRoleArn).toBe('arn:aws:iam::123456789012:role/apigw-logs-koa-apigateway-dev-parcels-1234567');
  });

  it('true, after a pulumi destroy that kept the role and the setting: adopts it too', async () => {
    const kept = 'apigw-logs-koa-apigateway-dev-parcels-20260101000000000000000001';
    const { mocks } = await runGateway({ config: { manageCloudWatchRole: 'true' }, account: { cloudwatchRoleArn: `arn:aws:iam::123456789012:role/${kept}` } });
    expect(named(mocks, 'parcels-apigw-cloudwatch-role').options.import).toBe(kept);
    expect(one(mocks, T.account).inputs.cloudwatchRoleArn).toBe(`arn:aws:iam::123456789012:role/${kept}`);
  });

  it('false, where a role is set: creates nothing', async () => {
    const { mocks, gateway } = await runGateway({ config: { manageCloudWatchRole: 'false' }, account: 'role-set' });
    expect(created(mocks)).toEqual([]);
    expect((await resolve(gateway.accountLogging)).value).toBe('existing');
  });

  // false on a fresh account fails the run (an error thrown where the read resolves): tested through
  // `npm run synth` in a child process (tests/product/tools/synth/synth.test.ts), as the failure ends the program.

  it('logs fully off (loggingLevel OFF, accessLogs false): no read, no role, no access log', async () => {
    const { mocks, gateway } = await runGateway({ config: { loggingLevel: 'OFF', accessLogs: 'false', manageCloudWatchRole: 'false' } });
    expect(mocks.resources.filter((r) => r.read)).toEqual([]);
    expect(created(mocks)).toEqual([]);
    expect(one(mocks, T.stage).inputs.accessLogSettings).toBeUndefined();
    expect(mocks.ofType(T.logGroup).map((g) => g.name).sort()).toEqual(['parcels-execution-logs', 'parcels-fn-logs']);
    expect((await resolve(gateway.accountLogging)).value).toBe('not needed');
  });
});

describe('what the import would warn about (failOnWarnings) fails the preview, before any resource (§14)', () => {
  it('a route whose definition is not valid OpenAPI 3.0: the component refuses it at construction, naming the route', async () => {
    const mocks = await installMocks();
    const router = new Router();
    addRoute(router, { method: 'GET', path: '/things', responses: { 600: Type.Object({ a: Type.String() }, { $id: 'Thing' }) } } as never, () => undefined);
    const app = new Koa();
    app.use(router.routes());
    const build = () => new KoaGateway('warned', { spec: buildGatewaySpec(app), code: new pulumi.asset.AssetArchive({}) });
    // The component throws our user errors to Pulumi as a pulumi.RunError (printed without a stack), the
    // ImportWarningError its cause.
    let thrown: unknown;
    try { build(); } catch (err) { thrown = err; }
    expect(pulumi.RunError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).cause).toBeInstanceOf(ImportWarningError);
    expect(build).toThrow(/^Route GET \/things: the API definition is not valid OpenAPI 3\.0 at \/paths\/~1things\/get\/responses/);
    await settle();
    expect(mocks.resources.filter((r) => r.type !== KOA_GATEWAY_TYPE)).toEqual([]);
  });
});

describe('the mocks', () => {
  it("refuse a cloud resource the gateway component should not create, whatever the user's program registers", () => {
    const gateway = `urn:pulumi:dev::koa-apigateway::${KOA_GATEWAY_TYPE}::api`;
    // A per-route resource the one-document definition replaced, or anything the mocks do not model, under the component.
    expect(unexpectedResource('aws:apigateway/method:Method', true, 'get-parcels', gateway)).toMatch(/^Unexpected resource type aws:apigateway\/method:Method \(get-parcels\) in the gateway component/);
    expect(unexpectedResource('aws:s3/bucket:Bucket', true, 'b', `urn:pulumi:dev::koa-apigateway::${KOA_GATEWAY_TYPE}$my:nested:Part::inner`)).toBeDefined();
    expect(unexpectedResource('aws:lambda/function:Function', true, 'api-fn', gateway)).toBeUndefined();
    // The user's own components and what they hold (a second app's bucket), and top-level resources, are the program's.
    expect(unexpectedResource('files-app:storage:Files', false, 'files', undefined)).toBeUndefined();
    expect(unexpectedResource('aws:s3/bucket:Bucket', true, 'b', 'urn:pulumi:dev::koa-apigateway::files-app:storage:Files::files')).toBeUndefined();
    expect(unexpectedResource('aws:s3/bucket:Bucket', true, 'b', undefined)).toBeUndefined();
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
      new KoaGateway('warn', { spec: buildGatewaySpec(createParcelsApp()), settings: parseSettings({ lambdaTimeout: '60' }), code });
      await settle();
    } finally {
      pulumi.log.warn = original;
    }
    expect(warnings).toEqual([expect.stringMatching(/lambdaTimeout" is 60s but API Gateway stops waiting after 29s/)]);
  });
});
