import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { mountableRoutes, planApi } from '../../../../infra/src/core/build-api';
import { buildGatewaySpec, functionLimitProblems, undeclaredFunctionGroups, groupNameOf, perRouteName, resolveFunction, unmatchedFunctionPatterns, type FunctionGroups } from '../../../../infra/src/core/plan';
import { RouteError } from '../../../../infra/src/errors';
import { addRoute, functionGroup, route } from '../../../../infra/src/route';
import { parseSettings } from '../../../../infra/src/settings/parse';
import { createLibraryApp } from '../../../support/apps/library/app';
import { LIBRARY_ROUTES } from '../../../support/apps/library/expected';

const noop = () => undefined;

/** A small app: health, reads, writes, a report, and a user route mounted only with a user pool. */
function shopApp(options: { userPool?: boolean; declare?: (router: Router) => void } = {}): Koa {
  const router = new Router({ prefix: '/api/v1' });
  const params = Type.Object({ id: Type.String() });
  addRoute(router, { method: 'GET', path: '/items', operationId: 'listItems' }, noop);
  addRoute(router, { method: 'GET', path: '/items/:id', operationId: 'getItem', params }, noop);
  addRoute(router, { method: 'POST', path: '/items', operationId: 'createItem' }, noop);
  addRoute(router, { method: 'DELETE', path: '/items/:id', operationId: 'deleteItem', params }, noop);
  addRoute(router, { method: 'GET', path: '/reports/monthly', operationId: 'monthlyReport' }, noop);
  if (options.userPool) addRoute(router, { method: 'GET', path: '/me', operationId: 'me', auth: { userPool: {} } }, noop);
  options.declare?.(router);
  const health = new Router();
  health.get('/health', noop);
  const app = new Koa();
  app.use(router.routes());
  app.use(health.routes());
  return app;
}

const groupsOf = (app: Koa, functions?: FunctionGroups, overrides?: Parameters<typeof buildGatewaySpec>[1]) =>
  Object.fromEntries(buildGatewaySpec(app, overrides, functions).methods.map((m) => [`${m.method} ${m.resourcePath}`, m.function]));
const errorOf = (run: () => unknown): RouteError => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(RouteError);
    return err as RouteError;
  }
  throw new Error('did not throw');
};

describe('function groups in the plan: which function serves which route', () => {
  it('without functions: one group, default, serving every route', () => {
    const spec = buildGatewaySpec(shopApp());
    expect(new Set(spec.methods.map((m) => m.function))).toEqual(new Set(['default']));
    expect(spec.functions).toEqual([{ name: 'default', routes: spec.methods.map((m) => `${m.method} ${m.resourcePath}`).sort() }]);
  });

  it('assigns by the descriptor\'s patterns (Koa or {} paths, * for any method, /* for every path below); the rest stay in default', () => {
    const groups: FunctionGroups = {
      read: { routes: ['GET /api/v1/items', 'GET /api/v1/items/{id}'], memorySize: 256 },
      write: { routes: ['POST /api/v1/items', 'DELETE /api/v1/items/:id'], timeoutSeconds: 10, environment: { MODE: 'write' } },
      reports: { routes: ['GET /api/v1/reports/*'], reservedConcurrency: 2 },
      health: { routes: ['* /health'] },
    };
    expect(groupsOf(shopApp(), groups)).toEqual({
      'GET /api/v1/items': 'read',
      'GET /api/v1/items/{id}': 'read',
      'POST /api/v1/items': 'write',
      'DELETE /api/v1/items/{id}': 'write',
      'GET /api/v1/reports/monthly': 'reports',
      'GET /health': 'health',
    });
    const spec = buildGatewaySpec(shopApp(), undefined, groups);
    expect(spec.functions).toEqual([
      { name: 'health', routes: ['GET /health'] },
      { name: 'read', routes: ['GET /api/v1/items', 'GET /api/v1/items/{id}'], memorySize: 256 },
      { name: 'reports', routes: ['GET /api/v1/reports/monthly'], reservedConcurrency: 2 },
      { name: 'write', routes: ['DELETE /api/v1/items/{id}', 'POST /api/v1/items'], timeoutSeconds: 10, environment: { MODE: 'write' } },
    ]);
  });

  it('lists only groups with routes: a group whose routes are not mounted deploys nothing, and default with no routes neither', () => {
    const spec = buildGatewaySpec(shopApp(), undefined, { account: { routes: ['GET /api/v1/me'] }, all: { routes: ['* /*'] } });
    expect(spec.functions.map((f) => f.name)).toEqual(['all']);
    expect(buildGatewaySpec(shopApp({ userPool: true }), undefined, { account: { routes: ['GET /api/v1/me'] }, all: { routes: ['GET /api/v1/items'] } }).functions.map((f) => f.name)).toEqual(['account', 'all', 'default']);
  });

  it('takes the group a route or a router names in the code, the route\'s own over its router\'s, and one a descriptor routes entry names', () => {
    const app = shopApp({
      declare: (router) => {
        const admin = new Router();
        functionGroup(admin, 'admin');
        admin.post('/purge', noop);
        admin.post('/rebuild', route({ function: 'batch' }), noop);
        router.use('/admin', admin.routes());
        addRoute(router, { method: 'PUT', path: '/items/:id', operationId: 'putItem', function: 'write', params: Type.Object({ id: Type.String() }) }, noop);
      },
    });
    const groups = groupsOf(app, { write: { routes: ['POST /api/v1/items'] } }, { 'GET /health': { function: 'health' } });
    expect(groups).toMatchObject({ 'POST /api/v1/admin/purge': 'admin', 'POST /api/v1/admin/rebuild': 'batch', 'PUT /api/v1/items/{id}': 'write', 'POST /api/v1/items': 'write', 'GET /health': 'health', 'GET /api/v1/items': 'default' });
  });

  it('accepts a code group agreeing with the descriptor pattern, and a group named only in code (the stack\'s defaults)', () => {
    const app = shopApp({ declare: (router) => addRoute(router, { method: 'PATCH', path: '/items/:id', operationId: 'patchItem', function: 'write', params: Type.Object({ id: Type.String() }) }, noop) });
    expect(groupsOf(app, { write: { routes: ['PATCH /api/v1/items/:id'] } })['PATCH /api/v1/items/{id}']).toBe('write');
    expect(buildGatewaySpec(app).functions.find((f) => f.name === 'write')).toEqual({ name: 'write', routes: ['PATCH /api/v1/items/{id}'] });
  });

  it('refuses a route the code puts in one group and a descriptor pattern in another, naming the route, both groups and the fix', () => {
    const app = shopApp({ declare: (router) => addRoute(router, { method: 'PATCH', path: '/items/:id', operationId: 'patchItem', function: 'write', params: Type.Object({ id: Type.String() }) }, noop) });
    const err = errorOf(() => buildGatewaySpec(app, undefined, { read: { routes: ['* /api/v1/items/{id}'] } }));
    expect(err.message).toContain('Route PATCH /api/v1/items/:id is put in the function group "write" by its declaration');
    expect(err.message).toContain(`and in "read" by functions.read.routes '* /api/v1/items/{id}'`);
    expect(err.message).toMatch(/Fix: say it in one place: remove '\* \/api\/v1\/items\/\{id\}' from functions\.read\.routes, or drop the code's group; `pulumi preview`/);
  });

  it("lets the code's group win over a descriptor's `/*` pattern, and refuses it against a pattern naming the route's own path", () => {
    const app = shopApp({
      declare: (router) => {
        const admin = new Router();
        functionGroup(admin, 'admin');
        admin.post('/purge', noop);
        router.use('/admin', admin.routes());
      },
    });
    expect(groupsOf(app, { write: { routes: ['POST /api/v1/*'] } })).toMatchObject({ 'POST /api/v1/admin/purge': 'admin', 'POST /api/v1/items': 'write' });
    const err = errorOf(() => buildGatewaySpec(app, undefined, { write: { routes: ['POST /api/v1/admin/purge'] } }));
    expect(err.message).toContain(`Route POST /api/v1/admin/purge is put in the function group "admin" by its router (functionGroup(router, 'admin'))`);
    expect(err.message).toContain(`"write" by functions.write.routes 'POST /api/v1/admin/purge'`);
  });

  it('gives a route matched by several groups\' patterns to the most specific one (docs/functions.md: read and reports)', () => {
    const groups: FunctionGroups = { read: { routes: ['GET /api/v1/*'] }, reports: { routes: ['GET /api/v1/reports/*'] }, items: { routes: ['GET /api/v1/items/:id'] } };
    expect(groupsOf(shopApp(), groups)).toMatchObject({ 'GET /api/v1/reports/monthly': 'reports', 'GET /api/v1/items/{id}': 'items', 'GET /api/v1/items': 'read', 'POST /api/v1/items': 'default' });
    // A method over `*`, at the same path.
    expect(groupsOf(shopApp(), { any: { routes: ['* /api/v1/items'] }, create: { routes: ['POST /api/v1/items'] } })).toMatchObject({ 'GET /api/v1/items': 'any', 'POST /api/v1/items': 'create' });
  });

  it('refuses two groups\' patterns equally specific for one route, naming the route and both patterns', () => {
    const err = errorOf(() => buildGatewaySpec(shopApp(), undefined, { read: { routes: ['GET /api/v1/items/:id'] }, items: { routes: ['GET /api/v1/items/{id}'] } }));
    expect(err.message).toContain('Route GET /api/v1/items/:id is matched by');
    expect(err.message).toContain("functions.read.routes 'GET /api/v1/items/:id'");
    expect(err.message).toContain("functions.items.routes 'GET /api/v1/items/{id}'");
    expect(err.message).toContain('equally specific');
    expect(err.message).toContain('Fix: narrow one of the patterns');
  });

  it('refuses a group name in the code that is not one, naming the route', () => {
    const app = shopApp({ declare: (router) => addRoute(router, { method: 'PUT', path: '/x', function: 'Write Path' }, noop) });
    expect(errorOf(() => buildGatewaySpec(app)).message).toMatch(/^Route PUT \/api\/v1\/x is put in the function group "Write Path" by its declaration .* not a group name\. Fix: /);
  });

  it('refuses bad functions handed to the plan directly (not through the loader), naming the key', () => {
    expect(errorOf(() => buildGatewaySpec(shopApp(), undefined, { w: { memorySize: 1 } })).message).toContain('"functions.w.memorySize" is 1');
  });

  it('refuses a descriptor routes entry naming another group than the route\'s declaration', () => {
    const app = shopApp({ declare: (router) => addRoute(router, { method: 'PUT', path: '/x', function: 'write' }, noop) });
    expect(errorOf(() => buildGatewaySpec(app, { 'PUT /api/v1/x': { function: 'read' } })).message).toContain('function: declared "write", entry "read"');
  });

  it('counts the reserved concurrency of the groups deployed only: a group whose routes this stack does not mount reserves nothing', () => {
    const settings = parseSettings({});
    const problemsOf = (app: Koa, functions: FunctionGroups) => functionLimitProblems(buildGatewaySpec(app, undefined, functions).functions.map((f) => resolveFunction(f, settings)));
    const groups: FunctionGroups = { read: { routes: ['GET /api/v1/items'], reservedConcurrency: 500 }, account: { routes: ['GET /api/v1/me'], reservedConcurrency: 500 } };
    // Without a user pool the account group has no route: 500 reserved.
    expect(problemsOf(shopApp(), groups)).toEqual([]);
    // With one, both deploy: 1,000 reserved, over the 900 an account's default quota allows.
    const [problem, ...others] = problemsOf(shopApp({ userPool: true }), groups);
    expect(others).toEqual([]);
    expect(problem).toContain('reserve 1000 concurrent executions together (account 500, read 500)');
    expect(problem).toContain('Fix: reserve less');
  });

  it('per-route: one group per route, named from its operationId, whatever the registration order', () => {
    const spec = planApi({ createApp: () => createLibraryApp(), functions: 'per-route' }, parseSettings({}));
    expect(spec.functions.map((f) => f.routes)).toEqual(expect.arrayContaining(LIBRARY_ROUTES.map((r) => [r])));
    expect(spec.functions).toHaveLength(LIBRARY_ROUTES.length);
    expect(Object.fromEntries(spec.methods.map((m) => [m.operationId, m.function]))).toMatchObject({ getBook: 'get-book', lendBook: 'lend-book', libraryStatus: 'library-status' });
    for (const f of spec.functions) expect(f.name).toMatch(/^[a-z][a-z0-9-]{0,19}$/);
  });

  it('per-route names: kebab-case, cut to 20 characters, made unique', () => {
    expect(groupNameOf('getApiV1ItemsId')).toBe('get-api-v1-items-id');
    expect(groupNameOf('listEveryOverdueLoanOfTheBranch')).toBe('list-every-overdue-l');
    expect(groupNameOf('2fa_verify')).toBe('r-2fa-verify');
    const router = new Router();
    addRoute(router, { method: 'GET', path: '/a', operationId: 'listEveryOverdueLoanA' }, noop);
    addRoute(router, { method: 'GET', path: '/b', operationId: 'listEveryOverdueLoanB' }, noop);
    const app = new Koa();
    app.use(router.routes());
    const names = buildGatewaySpec(app, undefined, 'per-route').functions.map((f) => f.name);
    expect(names).toEqual([perRouteName('listEveryOverdueLoanA'), perRouteName('listEveryOverdueLoanB')].sort());
    expect(names[0]).toMatch(/^list-every-over-[0-9a-f]{4}$/);
    expect(new Set(names).size).toBe(2);
  });

  it("per-route names depend on the route's own operationId only: adding a route renames no other function", () => {
    const appOf = (extra: boolean) => {
      const router = new Router();
      addRoute(router, { method: 'GET', path: '/very/long/path/name/one', operationId: 'getVeryLongPathNameOne' }, noop);
      addRoute(router, { method: 'GET', path: '/very/long/path/name/two', operationId: 'getVeryLongPathNameTwo' }, noop);
      addRoute(router, { method: 'GET', path: '/items', operationId: 'getItems' }, noop);
      if (extra) {
        addRoute(router, { method: 'GET', path: '/very/long/path/name/four', operationId: 'getVeryLongPathNameFour' }, noop);
        addRoute(router, { method: 'GET', path: '/a/items', operationId: 'get_items' }, noop);
      }
      const app = new Koa();
      app.use(router.routes());
      return app;
    };
    const groupOf = (app: Koa) => Object.fromEntries(buildGatewaySpec(app, undefined, 'per-route').methods.map((m) => [m.operationId, m.function]));
    const before = groupOf(appOf(false));
    const after = groupOf(appOf(true));
    expect(after).toMatchObject({ getVeryLongPathNameOne: before.getVeryLongPathNameOne, getVeryLongPathNameTwo: before.getVeryLongPathNameTwo });
    expect(before.getItems).toBe('get-items');
    // A snake_case operationId always ends in a hash of itself: adding get_items leaves getItems's function as it was.
    expect(after.getItems).toBe('get-items');
    expect(after.get_items).toMatch(/^get-items-[0-9a-f]{4}$/);
    expect(new Set(Object.values(after)).size).toBe(5);
    // Two plain names alike (getItems, get-items) both end in a hash: the one case where adding a route renames another.
    expect(perRouteName('get-items', true)).toMatch(/^get-items-[0-9a-f]{4}$/);
    expect(perRouteName('getItems', true)).not.toBe(perRouteName('get-items', true));
  });

  it('changes the hash when a route moves to another group, and gives the same spec for the same groups', () => {
    const a = buildGatewaySpec(shopApp(), undefined, { read: { routes: ['GET /api/v1/items'] } });
    const b = buildGatewaySpec(shopApp(), undefined, { read: { routes: ['GET /api/v1/items/:id'] } });
    expect(a.hash).not.toBe(b.hash);
    expect(buildGatewaySpec(shopApp(), undefined, { read: { routes: ['GET /api/v1/items'] } })).toEqual(a);
  });

  it('warns about a group the code names that the descriptor, which names groups, does not (a typo deploys a new function)', () => {
    const app = shopApp({ declare: (router) => addRoute(router, { method: 'PUT', path: '/x', operationId: 'putX', function: 'raed' }, noop) });
    const groups: FunctionGroups = { read: { routes: ['GET /api/v1/items'], memorySize: 256 } };
    const planned = buildGatewaySpec(app, undefined, groups).functions.map((f) => f.name);
    expect(planned).toEqual(['default', 'raed', 'read']);
    expect(undeclaredFunctionGroups(groups, planned)).toEqual([
      'Function group "raed" is named by the code (a route\'s function, or functionGroup) but not by the app descriptor\'s functions (read): it deploys with the stack\'s defaults. Fix: if it is a typo, correct the route\'s function; else declare it (functions: { raed: {} }).',
    ]);
    expect(undeclaredFunctionGroups({ ...groups, raed: {} }, planned)).toEqual([]);
    // Without named groups in the descriptor, groups in the code are the way to split: no warning.
    expect(undeclaredFunctionGroups(undefined, planned)).toEqual([]);
  });

  it('warns about patterns that match no route (not an error), naming pattern and group', () => {
    const groups: FunctionGroups = { read: { routes: ['GET /api/v1/items', 'GET /api/v1/itemz'] }, account: { routes: ['GET /api/v1/me'] } };
    const spec = buildGatewaySpec(shopApp(), undefined, groups);
    const routes = spec.methods.map((m) => `${m.method} ${m.resourcePath}`);
    expect(unmatchedFunctionPatterns(groups, routes)).toEqual([
      "functions.read.routes 'GET /api/v1/itemz' matches no route the app can serve, with or without a user pool: check it for a typo.",
      "functions.account.routes 'GET /api/v1/me' matches no route the app can serve, with or without a user pool: check it for a typo.",
    ]);
    expect(unmatchedFunctionPatterns(groups, [...routes, 'GET /api/v1/me'])).toHaveLength(1);
    expect(unmatchedFunctionPatterns('per-route', routes)).toEqual([]);
    // What deployApp and synth check the patterns against: the routes of every stack, the user pool's included.
    expect(mountableRoutes({ createApp: ({ userPool }) => shopApp({ userPool }), functions: groups }).routes).toContain('GET /api/v1/me');
    expect(unmatchedFunctionPatterns(groups, mountableRoutes({ createApp: ({ userPool }) => shopApp({ userPool }), functions: groups }).routes)).toHaveLength(1);
  });

  it('resolves a group against the stack\'s Lambda settings', () => {
    const settings = parseSettings({ lambdaMemorySize: '1024', lambdaTimeout: '20', lambdaArchitecture: 'x86_64' });
    expect(resolveFunction({ name: 'read', routes: ['GET /a'], memorySize: 256 }, settings)).toEqual({ name: 'read', routes: ['GET /a'], memorySize: 256, timeoutSeconds: 20, architecture: 'x86_64', environment: {} });
    expect(resolveFunction({ name: 'w', routes: [], timeoutSeconds: 5, architecture: 'arm64', reservedConcurrency: 3, environment: { A: 'b' }, lambda: 'w.ts' }, settings)).toEqual({
      name: 'w', routes: [], lambda: 'w.ts', memorySize: 1024, timeoutSeconds: 5, architecture: 'arm64', reservedConcurrency: 3, environment: { A: 'b' },
    });
  });
});
