import Router from '@koa/router';
import * as pulumi from '@pulumi/pulumi';
import Koa from 'koa';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { planApi } from '../../../infra/src/core/build-api';
import type { ApiDefinition } from '../../../infra/src/core/definition/types';
import { buildGatewaySpec, type FunctionGroups } from '../../../infra/src/core/plan';
import { addRoute } from '../../../infra/src/route/route';
import { functionGroup } from '../../../infra/src/route/function-group';
import { settle, type RecordedResource, type RecordingMocks } from '../../../infra/src/tools/synth/mocks';
import { parseSettings } from '../../../infra/src/settings/parse';
import { createLibraryApp } from '../../support/apps/library/app';
import { LIBRARY_ROUTES } from '../../support/apps/library/expected';
import { resolve } from '../../support/outputs';
import { runGateway } from '../../support/pulumi-harness';

const T = {
  fn: 'aws:lambda/function:Function',
  permission: 'aws:lambda/permission:Permission',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  restApi: 'aws:apigateway/restApi:RestApi',
};
const noop = () => undefined;
const EXECUTION_ARN = 'arn:aws:execute-api:us-east-1:123456789012:stock-api-id';

/** A stock-keeping app of three groups: the public health check (its router's group), reads, writes (the descriptor's patterns). */
function stockApp(): Koa {
  const api = new Router({ prefix: '/api' });
  const id = Type.Object({ sku: Type.String() });
  addRoute(api, { method: 'GET', path: '/items', operationId: 'listItems' }, noop);
  addRoute(api, { method: 'GET', path: '/items/:sku', operationId: 'getItem', params: id }, noop);
  addRoute(api, { method: 'POST', path: '/items', operationId: 'createItem' }, noop);
  addRoute(api, { method: 'DELETE', path: '/items/:sku', operationId: 'deleteItem', params: id }, noop);
  addRoute(api, { method: 'PUT', path: '/items/:sku/stock', operationId: 'setStock', params: id }, noop);
  const health = new Router();
  functionGroup(health, 'health');
  addRoute(health, { method: 'GET', path: '/health', operationId: 'health', public: true }, noop);
  const app = new Koa();
  app.use(api.routes());
  app.use(health.routes());
  return app;
}

const GROUPS: FunctionGroups = {
  read: { routes: ['GET /api/*', 'GET /api/items'], memorySize: 256, timeoutSeconds: 5, reservedConcurrency: 20, environment: { MODE: 'read' } },
  write: { routes: ['POST /api/items', 'DELETE /api/items/:sku', 'PUT /api/items/{sku}/stock'], memorySize: 1024, timeoutSeconds: 15, architecture: 'x86_64', environment: { MODE: 'write' } },
  health: { memorySize: 128 },
};
const policy = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [action], Resource: ['arn:aws:dynamodb:us-east-1:123456789012:table/stock'] }] });

const byName = (mocks: RecordingMocks, name: string): RecordedResource => {
  const found = mocks.resources.find((r) => r.name === name);
  expect(found, name).toBeDefined();
  return found!;
};
/** The policies attached to a role, by the role's resource name: the documents' actions. */
const actionsOf = (mocks: RecordingMocks, roleName: string): string[] => {
  const role = byName(mocks, roleName);
  const roleId = `${role.name}-id`;
  return mocks
    .ofType(T.rolePolicy)
    .filter((p) => p.inputs.role === roleId)
    .flatMap((p) => (JSON.parse(p.inputs.policy as string) as { Statement: { Action: string[] }[] }).Statement.flatMap((s) => s.Action))
    .sort();
};

describe('KoaGateway under mocks, with three function groups', async () => {
  const spec = buildGatewaySpec(stockApp(), undefined, GROUPS);
  const { mocks, gateway } = await runGateway({
    name: 'stock',
    spec,
    args: {
      policies: { shared: policy('xray:PutTraceSegments') },
      environment: { SHARED: 'yes' },
      functions: {
        read: { policies: { 'table-read': policy('dynamodb:GetItem') }, environment: { TABLE: 'stock' } },
        write: { policies: { 'table-write': policy('dynamodb:PutItem') }, environment: { TABLE: 'stock' } },
        unused: { policies: { x: policy('s3:GetObject') } },
      },
    },
  });
  const fnOf = (group: string) => byName(mocks, `stock-${group}-fn`).inputs as Record<string, unknown> & { environment: { variables: Record<string, string> } };

  it('creates one function, role and log group per group with routes, none for default (no routes)', () => {
    expect(mocks.ofType(T.fn).map((r) => r.name).sort()).toEqual(['stock-health-fn', 'stock-read-fn', 'stock-write-fn']);
    expect(mocks.ofType(T.role).map((r) => r.name).filter((n) => n.endsWith('-fn-role')).sort()).toEqual(['stock-health-fn-role', 'stock-read-fn-role', 'stock-write-fn-role']);
    expect(mocks.ofType(T.logGroup).map((r) => r.name).filter((n) => n.includes('-fn-')).sort()).toEqual(['stock-health-fn-logs', 'stock-read-fn-logs', 'stock-write-fn-logs']);
    expect(byName(mocks, 'stock-read-fn-logs').inputs.namePrefix).toBe('/aws/lambda/stock-read-');
  });

  it('gives each function its own memory, timeout, architecture, reserved concurrency and environment, over the stack\'s', () => {
    expect(fnOf('read')).toMatchObject({ memorySize: 256, timeout: 5, architectures: ['arm64'], reservedConcurrentExecutions: 20 });
    expect(fnOf('write')).toMatchObject({ memorySize: 1024, timeout: 15, architectures: ['x86_64'] });
    expect(fnOf('write')).not.toHaveProperty('reservedConcurrentExecutions');
    expect(fnOf('health')).toMatchObject({ memorySize: 128, timeout: 29, architectures: ['arm64'] });
    expect(fnOf('read').environment.variables).toEqual({ CORS_ORIGINS: '', SHARED: 'yes', MODE: 'read', TABLE: 'stock' });
    expect(fnOf('write').environment.variables).toEqual({ CORS_ORIGINS: '', SHARED: 'yes', MODE: 'write', TABLE: 'stock' });
    expect(fnOf('health').environment.variables).toEqual({ CORS_ORIGINS: '', SHARED: 'yes' });
  });

  it("gives each role only its logs, the shared policies and its group's own", () => {
    expect(actionsOf(mocks, 'stock-read-fn-role')).toEqual(['dynamodb:GetItem', 'logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments']);
    expect(actionsOf(mocks, 'stock-write-fn-role')).toEqual(['dynamodb:PutItem', 'logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments']);
    expect(actionsOf(mocks, 'stock-health-fn-role')).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments']);
    expect(mocks.resources.some((r) => r.name.includes('unused'))).toBe(false);
    // Each logs policy names its own log group only.
    const logs = JSON.parse(byName(mocks, 'stock-write-fn-logs-policy').inputs.policy as string) as { Statement: { Resource: string[] }[] };
    for (const r of logs.Statement[0]!.Resource) expect(r).toMatch(/log-group:\/aws\/lambda\/stock-write-/);
  });

  it("lets each function be invoked only through its group's methods: one permission per method, the path's variables as *", () => {
    const permissions = mocks.ofType(T.permission).map((p) => p.inputs as { function: string; sourceArn: string; principal: string });
    for (const p of permissions) expect(p.principal).toBe('apigateway.amazonaws.com');
    const sources = (fn: string) => permissions.filter((p) => p.function === `stock-${fn}-fn-1234567`).map((p) => p.sourceArn.slice(EXECUTION_ARN.length)).sort();
    expect(sources('read')).toEqual(['/*/GET/api/items', '/*/GET/api/items/*']);
    expect(sources('write')).toEqual(['/*/DELETE/api/items/*', '/*/POST/api/items', '/*/PUT/api/items/*/stock']);
    expect(sources('health')).toEqual(['/*/GET/health']);
    expect(permissions).toHaveLength(spec.methods.length);
    expect(permissions.some((p) => p.sourceArn.endsWith('/*/*'))).toBe(false);
    expect(byName(mocks, 'stock-write-invoke-PUT-api-items-sku-stock').inputs.sourceArn).toBe(`${EXECUTION_ARN}/*/PUT/api/items/*/stock`);
  });

  it("points each operation of the body at its group's function", () => {
    const body = JSON.parse(mocks.ofType(T.restApi)[0]!.inputs.body as string) as ApiDefinition;
    const fnOfOperation = (path: string, verb: string) => /function:([^/]+)\/invocations$/.exec((body.paths[path] as Record<string, { 'x-amazon-apigateway-integration': { uri: string } }>)[verb]!['x-amazon-apigateway-integration'].uri)![1];
    expect(fnOfOperation('/api/items', 'get')).toBe('stock-read-fn-1234567');
    expect(fnOfOperation('/api/items/{sku}', 'get')).toBe('stock-read-fn-1234567');
    expect(fnOfOperation('/api/items', 'post')).toBe('stock-write-fn-1234567');
    expect(fnOfOperation('/api/items/{sku}/stock', 'put')).toBe('stock-write-fn-1234567');
    expect(fnOfOperation('/health', 'get')).toBe('stock-health-fn-1234567');
  });

  it('outputs the functions by group (name, routes, memory, timeout); functionName is the first group\'s without a default one', async () => {
    const outputs = Object.fromEntries(await Promise.all(Object.entries(gateway.functions).map(async ([g, f]) => [g, { ...f, functionName: (await resolve(f.functionName)).value }] as const)));
    expect(outputs).toEqual({
      health: { functionName: 'stock-health-fn-1234567', routes: ['GET /health'], memorySize: 128, timeoutSeconds: 29 },
      read: { functionName: 'stock-read-fn-1234567', routes: ['GET /api/items', 'GET /api/items/{sku}'], memorySize: 256, timeoutSeconds: 5 },
      write: { functionName: 'stock-write-fn-1234567', routes: ['DELETE /api/items/{sku}', 'POST /api/items', 'PUT /api/items/{sku}/stock'], memorySize: 1024, timeoutSeconds: 15 },
    });
    expect((await resolve(gateway.functionName)).value).toBe('stock-health-fn-1234567');
  });
});

describe('KoaGateway under mocks: one function per route (the library app, functions per-route)', async () => {
  const spec = planApi({ createApp: () => createLibraryApp(), functions: 'per-route' }, parseSettings({}));
  const { mocks } = await runGateway({ name: 'library', spec });

  it('deploys one function per route, each invokable only through its route', () => {
    const functions = mocks.ofType(T.fn);
    expect(functions).toHaveLength(LIBRARY_ROUTES.length);
    const permissions = mocks.ofType(T.permission).map((p) => p.inputs as { function: string; sourceArn: string });
    expect(permissions).toHaveLength(LIBRARY_ROUTES.length);
    for (const fn of functions) expect(permissions.filter((p) => p.function === `${fn.name}-1234567`), fn.name).toHaveLength(1);
    const routeOf = (p: { sourceArn: string }) => p.sourceArn.slice('arn:aws:execute-api:us-east-1:123456789012:library-api-id/*/'.length);
    expect(permissions.map(routeOf).sort()).toEqual(LIBRARY_ROUTES.map((r) => r.replace(' ', '').replace(/\{[^}]+\}/g, '*')).sort());
  });
});

describe('KoaGateway under mocks: limits refused at preview', () => {
  const app = () => {
    const router = new Router();
    addRoute(router, { method: 'GET', path: '/a', operationId: 'a' }, noop);
    addRoute(router, { method: 'POST', path: '/b', operationId: 'b' }, noop);
    const koa = new Koa();
    koa.use(router.routes());
    return koa;
  };
  const refusal = async (run: () => Promise<unknown>): Promise<string> => {
    try {
      await run();
    } catch (err) {
      // The component's own registration finishes before the next test installs its mocks.
      await settle().catch(() => undefined);
      return (err instanceof pulumi.RunError && err.cause instanceof Error ? err.cause : (err as Error)).message;
    }
    throw new Error('not refused');
  };

  it("a group serving so many methods that one permission per route would pass Lambda's 20 KB resource-based policy: one per HTTP method, with a warning naming the group and the fix", async () => {
    const router = new Router();
    for (let i = 0; i < 60; i++) addRoute(router, { method: 'GET', path: `/reports/monthly-report-number-${i}/:year/:month`, operationId: `report${i}` }, noop);
    addRoute(router, { method: 'POST', path: '/reports', operationId: 'createReport' }, noop);
    addRoute(router, { method: 'GET', path: '/health', operationId: 'health', function: 'health' }, noop);
    const koa = new Koa();
    koa.use(router.routes());
    const warnings: string[] = [];
    const warn = pulumi.log.warn;
    pulumi.log.warn = async (message: string) => {
      warnings.push(message);
    };
    let mocks: RecordingMocks;
    try {
      ({ mocks } = await runGateway({ name: 'big', spec: buildGatewaySpec(koa) }));
    } finally {
      pulumi.log.warn = warn;
    }
    const permissions = mocks.ofType('aws:lambda/permission:Permission');
    const arnOf = (name: string) => (permissions.find((p) => p.name === name)!.inputs as { sourceArn: string }).sourceArn.replace(/^.*?\/\*\//, '/*/');
    expect(permissions.map((p) => p.name).sort()).toEqual(['big-health-invoke-GET-health', 'big-invoke-method-GET', 'big-invoke-method-POST']);
    expect(arnOf('big-invoke-method-GET')).toBe('/*/GET/*');
    expect(arnOf('big-invoke-method-POST')).toBe('/*/POST/*');
    // The small group keeps its route's own permission.
    expect(arnOf('big-health-invoke-GET-health')).toBe('/*/GET/health');
    const [warning, ...others] = warnings.filter((w) => w.includes('resource-based policy'));
    expect(others).toEqual([]);
    expect(warning).toMatch(/^Function group "default" serves 61 routes: one invoke permission per route would make a resource-based policy of up to \d+ bytes, over Lambda's 20 KB .* one permission per HTTP method \(GET, POST\), each for any path of this API\. Fix, for permissions scoped to its routes: split the group/);
  });

  it("names each scoped permission's statement id within Lambda's 100 characters, a long route path included", async () => {
    const router = new Router();
    const long = '/organizations/:organizationId/projects/:projectId/environments/:environmentId/deployments/:deploymentId/members';
    addRoute(router, { method: 'GET', path: long, operationId: 'listMembers', function: 'read' }, noop);
    addRoute(router, { method: 'GET', path: `${long}/:memberId`, operationId: 'getMember', function: 'read' }, noop);
    addRoute(router, { method: 'GET', path: '/health', operationId: 'health' }, noop);
    const koa = new Koa();
    koa.use(router.routes());
    const { mocks } = await runGateway({ name: 'deep', spec: buildGatewaySpec(koa) });
    const ids = mocks.ofType('aws:lambda/permission:Permission').map((p) => (p.inputs as { statementId?: string }).statementId);
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{1,100}$/);
    expect(new Set(ids).size).toBe(3);
    expect(ids).toContain('deep-invoke-GET-health');
  });

  it("an environment setting a variable Lambda reserves (through the component's functions), naming the group and the variable", async () => {
    const spec = buildGatewaySpec(app(), undefined, { big: { routes: ['GET /a'] } });
    const message = await refusal(() => runGateway({ name: 'reserved', spec, args: { functions: { big: { environment: { AWS_REGION: 'eu-west-1' } } } } }));
    expect(message).toMatch(/^Function group "big": its environment sets AWS_REGION, which Lambda reserves: .*Fix: give the variable another name/);
  });

  it('reserved concurrency over 900 together, of the groups deployed', async () => {
    const spec = buildGatewaySpec(app(), undefined, 'per-route');
    spec.functions = spec.functions.map((f) => ({ ...f, reservedConcurrency: 500 }));
    expect(await refusal(() => runGateway({ name: 'busy', spec }))).toMatch(/reserve 1000 concurrent executions together \(a 500, b 500\), more than the 900 .*Fix: reserve less/);
  });

  it("an environment over Lambda's 4 KB, naming the group", async () => {
    const spec = buildGatewaySpec(app(), undefined, { big: { routes: ['GET /a'], environment: { BLOB: 'x'.repeat(4100) } } });
    expect(await refusal(() => runGateway({ name: 'env', spec }))).toMatch(/^Function group "big": its environment variables make 4\d{3} bytes, over Lambda's 4 KB .*Fix: /);
  });

  it("inline policies over IAM's 10,240 characters per role, naming the group", async () => {
    const spec = buildGatewaySpec(app(), undefined, { big: { routes: ['GET /a'] } });
    const huge = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: Array.from({ length: 500 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) }] });
    const message = await refusal(() => runGateway({ name: 'iam', spec, args: { functions: { big: { policies: { files: huge } } } } }));
    expect(message).toMatch(/^Function group "big": its role's inline policies make \d+ characters, over IAM's 10240 per role \(IAM quotas, "Role policy size"/);
  });
});
