import Router from '@koa/router';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { buildGatewaySpec, type FunctionGroups } from '../../../../infra/src/core/plan';
import { buildApiDefinition } from '../../../../infra/src/core/definition';
import { functionOfInvokeArn, localInvokeArn, streamingInvokeArn } from '../../../../infra/src/core/definition/document';
import { RouteError } from '../../../../infra/src/errors';
import { addRoute, route } from '../../../../infra/src/route';
import type { RouteOverride } from '../../../../infra/src/route/declaration';
import { createStreamsApp } from '../../../support/apps/streams/app';

const noop = () => undefined;

/** An app of a buffered list, a chat stream and an export stream, the streams declared as `declare` says. */
function chatApp(declare: { chat?: Record<string, unknown>; export?: Record<string, unknown> } = {}): Koa {
  const router = new Router();
  addRoute(router, { method: 'GET', path: '/messages', operationId: 'listMessages' }, noop);
  router.get('/chat', route({ operationId: 'chat', ...declare.chat }), noop);
  addRoute(router, { method: 'GET', path: '/export', operationId: 'exportAll', ...declare.export }, noop);
  const app = new Koa();
  app.use(router.routes());
  return app;
}

const plan = (app: Koa, functions?: FunctionGroups, overrides?: Record<string, RouteOverride>) => buildGatewaySpec(app, overrides, functions);

describe('stream: true (docs/streaming.md)', () => {
  it('marks the streamed methods and their function, from route(), addRoute and a descriptor routes entry alike', () => {
    const spec = plan(chatApp({ chat: { stream: true, function: 'live' } }), undefined, { 'GET /export': { stream: true, function: 'live' } });
    expect(spec.methods.map((m) => [m.operationId, m.function, m.stream ?? false])).toEqual([
      ['chat', 'live', true],
      ['exportAll', 'live', true],
      ['listMessages', 'default', false],
    ]);
    expect(spec.functions).toEqual([
      { name: 'default', routes: ['GET /messages'] },
      { name: 'live', routes: ['GET /chat', 'GET /export'], stream: true },
    ]);
  });

  it('a group the descriptor marks stream: true streams every route it serves', () => {
    const spec = plan(chatApp(), { live: { routes: ['GET /chat', 'GET /export'], stream: true } });
    expect(spec.methods.filter((m) => m.stream).map((m) => m.operationId)).toEqual(['chat', 'exportAll']);
    expect(spec.functions.find((f) => f.name === 'live')).toEqual({ name: 'live', routes: ['GET /chat', 'GET /export'], stream: true });
  });

  it('leaves an app without streamed routes exactly as it was planned (no stream field, same hash)', () => {
    const spec = plan(chatApp());
    expect(spec.methods.some((m) => 'stream' in m)).toBe(false);
    expect(spec.functions).toEqual([{ name: 'default', routes: ['GET /chat', 'GET /export', 'GET /messages'] }]);
  });

  it('refuses a group mixing streamed and buffered routes, naming the routes, the group and the fix', () => {
    const attempt = () => plan(chatApp({ chat: { stream: true } }));
    expect(attempt).toThrow(RouteError);
    expect(attempt).toThrow(/Function group "default" serves the streamed route GET \/chat \(stream: true\), but GET \/messages, GET \/export do not stream: a Lambda function's handler either streams its response or returns it whole\. Fix: give the streamed route a group of its own \(e\.g\. function: 'live' on it, or functions: \{ live: \{ routes: \['GET \/chat'\], stream: true \} \} in the app descriptor\)/);
    expect(attempt).toThrow(/functions\.default\.stream: true\); `pulumi preview`\/`pulumi up` refuse the app until then\./);
  });

  it('refuses a route saying stream: false in a group marked stream: true, and a stream that is not a boolean', () => {
    expect(() => plan(chatApp({ chat: { stream: false, function: 'live' }, export: { function: 'live' } }), { live: { stream: true } })).toThrow(/functions\.live\.stream is true but GET \/chat says stream: false/);
    expect(() => plan(chatApp({ chat: { stream: 'yes', function: 'live' } }))).toThrow(/Route GET \/chat sets stream: "yes"\. Fix: write stream: true/);
    expect(() => plan(chatApp(), { live: { routes: ['GET /chat'], stream: 'yes' as never } })).toThrow(/functions\.live\.stream" is "yes", not true or false/);
  });
});

describe('the definition of a streamed method (docs/apigateway-behaviour.md §15.2, §15.3, §15.7)', () => {
  const spec = buildGatewaySpec(createStreamsApp());
  const definition = buildApiDefinition(spec, { title: 'streams-api', version: '1.0.0', corsOrigins: [] }, localInvokeArn);

  it('integrates it with STREAM, the response-streaming invocation URI and 15 minutes; a buffered one as before', () => {
    const live = definition.paths['/live/gated']!.get!['x-amazon-apigateway-integration'];
    expect(live).toEqual({
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: 'arn:aws:apigateway:local:lambda:path/2021-11-15/functions/arn:aws:lambda:local:000000000000:function:local-live/response-streaming-invocations',
      passthroughBehavior: 'when_no_match',
      timeoutInMillis: 900_000,
      responseTransferMode: 'STREAM',
    });
    const buffered = definition.paths['/csv/raw']!.get!['x-amazon-apigateway-integration'];
    expect(buffered).not.toHaveProperty('responseTransferMode');
    expect((buffered as { uri: string }).uri).toMatch(/\/2015-03-31\/functions\/.*:function:local\/invocations$/);
  });

  it('reads the function back from either URI', () => {
    const arn = 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:shop-live-fn-1a2b/invocations';
    expect(streamingInvokeArn(arn)).toBe('arn:aws:apigateway:eu-west-1:lambda:path/2021-11-15/functions/arn:aws:lambda:eu-west-1:111122223333:function:shop-live-fn-1a2b/response-streaming-invocations');
    expect(functionOfInvokeArn(streamingInvokeArn(arn))).toBe('shop-live-fn-1a2b');
    expect(functionOfInvokeArn(arn)).toBe('shop-live-fn-1a2b');
  });
});
