import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../infra/src/core/definition/types';
import type { RecordingMocks } from '../../../infra/src/tools/synth/mocks';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { addRoute } from '../../../infra/src/route/route';
import { runGateway, type GatewayRun } from '../../support/pulumi-harness';

/**
 * The deploy lifecycle as versions: the program runs for app version A, then for version B, and B's
 * definition and graph are asserted. Under Pulumi's engine the graph is what `pulumi up` diffs: a
 * resource whose name is in both runs is updated in place, one only in B is created, one only in A
 * deleted. With one API definition the graph never changes with the routes, and the RestApi's body
 * (imported in put mode overwrite) carries every route change at once.
 */

const noop = () => undefined;

interface Version {
  /** Route path variable name for the item routes. */
  idName?: string;
  /** maxLength of the create body's title. */
  titleMax?: number;
  withDelete?: boolean;
  withCreate?: boolean;
  /** Register the routes in reverse order. */
  reversed?: boolean;
}

/** A small app: list, create (a body model), get, optionally delete, and a public health check. */
function appOf(v: Version = {}): Koa {
  const id = v.idName ?? 'id';
  const routes: Array<(r: Router) => void> = [
    (r) => addRoute(r, { method: 'GET', path: '/items', operationId: 'listItems' }, noop),
    (r) => addRoute(r, { method: 'GET', path: `/items/:${id}`, operationId: 'getItem', params: Type.Object({ [id]: Type.String() }) }, noop),
    (r) => addRoute(r, { method: 'GET', path: '/health', operationId: 'health', public: true }, noop),
  ];
  if (v.withCreate ?? true) {
    const body = Type.Object({ title: Type.String({ maxLength: v.titleMax ?? 100 }) }, { $id: 'ItemCreate', additionalProperties: false });
    routes.push((r) => addRoute(r, { method: 'POST', path: '/items', operationId: 'createItem', body }, noop));
  }
  if (v.withDelete) routes.push((r) => addRoute(r, { method: 'DELETE', path: `/items/:${id}`, operationId: 'deleteItem' }, noop));
  const router = new Router();
  for (const add of v.reversed ? [...routes].reverse() : routes) add(router);
  const app = new Koa();
  app.use(router.routes());
  return app;
}

async function run(v: Version = {}, options: { config?: Record<string, string>; suffix?: string } = {}): Promise<GatewayRun> {
  return runGateway({ spec: buildGatewaySpec(appOf(v)), ...options });
}

const definitionOf = (mocks: RecordingMocks): ApiDefinition => JSON.parse(bodyOf(mocks)) as ApiDefinition;
const bodyOf = (mocks: RecordingMocks): string => mocks.ofType('aws:apigateway/restApi:RestApi')[0]!.inputs.body as string;
const triggerOf = (mocks: RecordingMocks): string => (mocks.ofType('aws:apigateway/deployment:Deployment')[0]!.inputs.triggers as { redeployment: string }).redeployment;
/** The graph: every resource the program creates, by type and name (what Pulumi's diff keys on). */
const graphOf = (mocks: RecordingMocks): string[] => mocks.created().map((r) => `${r.type}::${r.name}`).sort();
const operationsOf = (d: ApiDefinition): string[] => Object.entries(d.paths).flatMap(([path, ops]) => Object.keys(ops).map((verb) => `${verb.toUpperCase()} ${path}`)).sort();

describe('the deploy lifecycle, version A then B', async () => {
  const a = await run();
  const graphA = graphOf(a.mocks);

  /** B's graph is A's: no resource created or deleted; the trigger changes exactly when the body does. */
  function expectSameGraphAndTriggerFollowsBody(b: GatewayRun): void {
    expect(graphOf(b.mocks)).toEqual(graphA);
    expect(triggerOf(b.mocks) !== triggerOf(a.mocks)).toBe(bodyOf(b.mocks) !== bodyOf(a.mocks));
  }

  it('A: one operation per route, in one RestApi body', () => {
    expect(operationsOf(definitionOf(a.mocks))).toEqual(['GET /health', 'GET /items', 'GET /items/{id}', 'POST /items']);
    expect(a.gateway.routes).toEqual(['GET /health', 'GET /items', 'GET /items/{id}', 'POST /items']);
  });

  it('nothing changed: the same body, the same trigger, the same graph', async () => {
    const b = await run();
    expect(bodyOf(b.mocks)).toBe(bodyOf(a.mocks));
    expect(triggerOf(b.mocks)).toBe(triggerOf(a.mocks));
    expect(graphOf(b.mocks)).toEqual(graphA);
  });

  it('routes registered in another order: the same body and names (nothing depends on route order)', async () => {
    const b = await run({ reversed: true });
    expect(bodyOf(b.mocks)).toBe(bodyOf(a.mocks));
    expect(graphOf(b.mocks)).toEqual(graphA);
  });

  it('a route added: in the definition and the routes output, a new trigger, no new resource', async () => {
    const b = await run({ withDelete: true });
    expect(operationsOf(definitionOf(b.mocks))).toContain('DELETE /items/{id}');
    expect(b.gateway.routes).toContain('DELETE /items/{id}');
    expect(triggerOf(b.mocks)).not.toBe(triggerOf(a.mocks));
    expectSameGraphAndTriggerFollowsBody(b);
  });

  it('a route removed: gone from the definition with the model only it used, a new trigger, no resource left to delete', async () => {
    const b = await run({ withCreate: false });
    const d = definitionOf(b.mocks);
    expect(operationsOf(d)).not.toContain('POST /items');
    expect(Object.keys(d.components.schemas)).not.toContain('ItemCreate');
    expect(d['x-amazon-apigateway-request-validators']).toEqual({});
    expect(triggerOf(b.mocks)).not.toBe(triggerOf(a.mocks));
    expectSameGraphAndTriggerFollowsBody(b);
  });

  it('a path variable renamed (:id → :itemId): only {itemId} in the definition, no sibling left to collide with', async () => {
    const b = await run({ idName: 'itemId' });
    const d = definitionOf(b.mocks);
    expect(Object.keys(d.paths)).toContain('/items/{itemId}');
    expect(Object.keys(d.paths)).not.toContain('/items/{id}');
    expect(d.paths['/items/{itemId}']!.get!.parameters).toContainEqual(expect.objectContaining({ name: 'itemId', in: 'path', required: true }));
    expectSameGraphAndTriggerFollowsBody(b);
    expect(triggerOf(b.mocks)).not.toBe(triggerOf(a.mocks));
  });

  it('a schema changed: the model in the definition changes, and the trigger with it', async () => {
    const b = await run({ titleMax: 50 });
    expect(definitionOf(b.mocks).components.schemas.ItemCreate).toMatchObject({ properties: { title: { maxLength: 50 } } });
    expect(definitionOf(a.mocks).components.schemas.ItemCreate).toMatchObject({ properties: { title: { maxLength: 100 } } });
    expect(triggerOf(b.mocks)).not.toBe(triggerOf(a.mocks));
    expectSameGraphAndTriggerFollowsBody(b);
  });

  it('CORS turned on then off: preflights and CORS gateway responses come and go with the body', async () => {
    const on = await run({}, { config: { corsOrigins: 'https://app.example' } });
    const withCors = definitionOf(on.mocks);
    expect(operationsOf(withCors)).toEqual(['GET /health', 'GET /items', 'GET /items/{id}', 'OPTIONS /health', 'OPTIONS /items', 'OPTIONS /items/{id}', 'POST /items']);
    expect(Object.keys(withCors['x-amazon-apigateway-gateway-responses'])).toContain('DEFAULT_4XX');
    expect(graphOf(on.mocks)).toEqual(graphA);
    expect(triggerOf(on.mocks)).not.toBe(triggerOf(a.mocks));

    const off = await run();
    const withoutCors = definitionOf(off.mocks);
    expect(operationsOf(withoutCors).filter((o) => o.startsWith('OPTIONS'))).toEqual([]);
    expect(Object.keys(withoutCors['x-amazon-apigateway-gateway-responses'])).toEqual(['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS']);
    expect(JSON.stringify(withoutCors)).not.toContain('Access-Control');
    expect(triggerOf(off.mocks)).toBe(triggerOf(a.mocks));
  });

  it('the stage renamed: the definition and the trigger stay, the stage and usage plan follow', async () => {
    const b = await run({}, { config: { stageName: 'prod' } });
    expect(bodyOf(b.mocks)).toBe(bodyOf(a.mocks));
    expectSameGraphAndTriggerFollowsBody(b);
    expect(b.mocks.ofType('aws:apigateway/stage:Stage')[0]!.inputs.stageName).toBe('prod');
    expect(b.mocks.ofType('aws:apigateway/usagePlan:UsagePlan')[0]!.inputs.apiStages).toEqual([{ apiId: 'parcels-api-id', stage: 'prod' }]);
  });

  it('the function replaced (a new ARN): the integrations point at it and the stage is redeployed', async () => {
    const b = await run({}, { suffix: '7654321' });
    const uris = Object.values(definitionOf(b.mocks).paths).flatMap((ops) => Object.values(ops).map((op) => (op['x-amazon-apigateway-integration'] as { uri: string }).uri));
    for (const uri of uris) expect(uri).toContain('function:parcels-fn-7654321/invocations');
    expect(triggerOf(b.mocks)).not.toBe(triggerOf(a.mocks));
    expectSameGraphAndTriggerFollowsBody(b);
  });
});

/**
 * The lifecycle with function groups (issue 24): version A has groups, B moves, adds or removes a route between
 * them. What `pulumi up` does follows from the graph: only the resources named after the moved route (its invoke
 * permission) and the groups that appear or go change; every other function, role and policy stays.
 */
describe('the deploy lifecycle with function groups, version A then B', async () => {
  const groupsA = { read: { routes: ['GET /items', 'GET /items/:id'] }, write: { routes: ['POST /items'] } };
  const runGroups = (functions: Parameters<typeof buildGatewaySpec>[2], v: Version = {}) => runGateway({ spec: buildGatewaySpec(appOf(v), undefined, functions) });
  const a = await runGroups(groupsA);
  const graphA = graphOf(a.mocks);
  const uriOf = (mocks: RecordingMocks, path: string, verb: string) => (definitionOf(mocks).paths[path] as Record<string, { 'x-amazon-apigateway-integration': { uri: string } }>)[verb]!['x-amazon-apigateway-integration'].uri;
  const diff = (b: GatewayRun) => {
    const graphB = graphOf(b.mocks);
    return { created: graphB.filter((r) => !graphA.includes(r)), deleted: graphA.filter((r) => !graphB.includes(r)) };
  };

  it('A: three functions (default keeps the health check), one permission per method', () => {
    expect(a.mocks.ofType('aws:lambda/function:Function').map((f) => f.name).sort()).toEqual(['parcels-fn', 'parcels-read-fn', 'parcels-write-fn']);
    expect(uriOf(a.mocks, '/items/{id}', 'get')).toContain('function:parcels-read-fn-');
  });

  it('a route moved from read to write: its permission is replaced by one of the write function, its integration follows; nothing else changes', () => {
    return runGroups({ read: { routes: ['GET /items'] }, write: { routes: ['POST /items', 'GET /items/:id'] } }).then((b) => {
      expect(diff(b)).toEqual({
        created: ['aws:lambda/permission:Permission::parcels-write-invoke-GET-items-id'],
        deleted: ['aws:lambda/permission:Permission::parcels-read-invoke-GET-items-id'],
      });
      expect(uriOf(b.mocks, '/items/{id}', 'get')).toContain('function:parcels-write-fn-');
      expect(triggerOf(b.mocks)).not.toBe(triggerOf(a.mocks));
    });
  });

  it('a route added to a group: one permission created, nothing deleted', async () => {
    const b = await runGroups({ ...groupsA, write: { routes: ['POST /items', 'DELETE /items/:id'] } }, { withDelete: true });
    expect(diff(b)).toEqual({ created: ['aws:lambda/permission:Permission::parcels-write-invoke-DELETE-items-id'], deleted: [] });
  });

  it("a group's last route moved away: the group's function, role, logs and permission go; the other groups stay", async () => {
    const b = await runGroups({ read: { routes: ['GET /items', 'GET /items/:id', 'POST /items'] } });
    expect(diff(b).created).toEqual(['aws:lambda/permission:Permission::parcels-read-invoke-POST-items']);
    expect(diff(b).deleted).toEqual(
      [
        'aws:cloudwatch/logGroup:LogGroup::parcels-write-fn-logs',
        'aws:iam/role:Role::parcels-write-fn-role',
        'aws:iam/rolePolicy:RolePolicy::parcels-write-fn-logs-policy',
        'aws:lambda/function:Function::parcels-write-fn',
        'aws:lambda/permission:Permission::parcels-write-invoke-POST-items',
      ].sort(),
    );
  });

  it('back to one function: the groups go, default keeps its names and gets its one /*/* permission back', async () => {
    const b = await runGroups(undefined);
    expect(diff(b).created).toEqual(['aws:lambda/permission:Permission::parcels-invoke']);
    expect(diff(b).deleted.every((r) => /parcels-(read|write)-|parcels-invoke-GET-health/.test(r)), diff(b).deleted.join('\n')).toBe(true);
    expect(b.mocks.ofType('aws:lambda/permission:Permission').map((p) => p.inputs.sourceArn)).toEqual(['arn:aws:execute-api:us-east-1:123456789012:parcels-api-id/*/*']);
  });
});
