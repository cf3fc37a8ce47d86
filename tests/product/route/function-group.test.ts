import Router from '@koa/router';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { discoverRoutes } from '../../../infra/src/core/plan';
import { addRoute, functionGroup, route } from '../../../infra/src/route';

const noop = () => undefined;
const groupsOf = (app: Koa) => Object.fromEntries(discoverRoutes(app).map((r) => [`${r.method} ${r.koaPath}`, r.group ?? '-']));

/** functionGroup(router, name): a router's routes in a function group (issue 24), as discovery reads them. */
describe('functionGroup', () => {
  it('puts every route of the router in the group, routes registered before and after the call alike', () => {
    const router = new Router();
    router.get('/before', noop);
    expect(functionGroup(router, 'write')).toBe(router);
    router.post('/after', noop);
    addRoute(router, { method: 'DELETE', path: '/items/:id' }, noop);
    const app = new Koa();
    app.use(router.routes());
    expect(groupsOf(app)).toEqual({ 'GET /before': 'write', 'POST /after': 'write', 'DELETE /items/:id': 'write' });
  });

  it('is inherited by a nested router without its own group, and not by one with its own; a prefix changes nothing', () => {
    const parent = new Router({ prefix: '/api' });
    functionGroup(parent, 'api');
    parent.get('/own', noop);
    const plain = new Router();
    plain.get('/plain', noop);
    const reports = new Router();
    functionGroup(reports, 'reports');
    reports.get('/monthly', noop);
    parent.use('/reports', reports.routes());
    parent.use(plain.routes());
    const other = new Router();
    other.get('/health', noop);
    const app = new Koa();
    app.use(parent.routes());
    app.use(other.routes());
    expect(groupsOf(app)).toEqual({ 'GET /api/own': 'api', 'GET /api/reports/monthly': 'reports', 'GET /api/plain': 'api', 'GET /health': '-' });
  });

  it("leaves the route's own declaration to the plan: discovery reports both", () => {
    const router = new Router();
    functionGroup(router, 'read');
    router.post('/items', route({ function: 'write' }), noop);
    const app = new Koa();
    app.use(router.routes());
    const [found] = discoverRoutes(app);
    expect(found).toMatchObject({ group: 'read', meta: { function: 'write' } });
  });

  it('serves requests as before', async () => {
    const router = new Router();
    functionGroup(router, 'read');
    router.get('/items', (ctx) => {
      ctx.body = { ok: true };
    });
    const app = new Koa();
    app.use(router.routes());
    const { default: request } = await import('node:http');
    const server = app.listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    const port = (server.address() as { port: number }).port;
    const body = await new Promise<string>((done, fail) => {
      request.get(`http://127.0.0.1:${port}/items`, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => done(text));
      }).on('error', fail);
    });
    server.close();
    expect(JSON.parse(body)).toEqual({ ok: true });
  });

  it('refuses what is not a router', () => {
    expect(() => functionGroup({} as object, 'read')).toThrow(/not a @koa\/router Router/);
  });
});
