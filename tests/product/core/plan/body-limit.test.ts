import Router from '@koa/router';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { addRoute } from 'koa-apigateway/route';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { createMediaApp, NAMED_BLOB_LIMIT } from '../../../support/apps/media/app';

/** The spec carries each route's declared `bodyLimit` (the web ACL's body-limit rules read it: docs/edge.md). */
describe('the plan: bodyLimit', () => {
  it('is on the method of a route that declares it, and absent elsewhere', () => {
    const methods = buildGatewaySpec(createMediaApp()).methods;
    expect(methods.find((m) => m.method === 'PUT' && m.resourcePath === '/blobs/{name}')!.bodyLimit).toBe(NAMED_BLOB_LIMIT);
    expect(methods.filter((m) => m.bodyLimit !== undefined)).toHaveLength(1);
  });

  it('refuses a bodyLimit that is no positive integer, naming the route and the fix', () => {
    for (const bodyLimit of [0, -1, 1.5, '1024']) {
      const app = new Koa();
      const router = new Router();
      addRoute(router, { method: 'POST', path: '/up', operationId: 'up', bodyLimit: bodyLimit as number }, (ctx) => {
        ctx.body = {};
      });
      app.use(router.routes());
      expect(() => buildGatewaySpec(app), String(bodyLimit)).toThrow(/Route POST \/up sets bodyLimit: .*Fix: write a positive integer/);
    }
  });
});
