import path from 'node:path';
import { expect, it } from 'vitest';
import { bundleLambda } from '../../infra/src/bundle/bundle';
import { createApp } from '../../service/app';
import { apiEvent } from '../support/events';
import { buildOpenApi } from '../../infra/src/core/openapi/build';
import { buildGatewaySpec } from '../../infra/src/core/plan';
import { modelContracts } from '../../infra/src/core/plan/formats';
import { definitionOf } from '../product/local/support/gateway';
import { describeDeployedModels } from '../product/hardening/deployed-models-suite';

const ROOT = path.resolve(__dirname, '../..');

// The differential of tests/product/hardening/deployed-models-suite.ts on the example, with the example's own cases.
describeDeployedModels({
  name: 'the example (todos)',
  koa: () => createApp(),
  bundle: async (outDir) => (await bundleLambda({ root: ROOT, outDir })).file,
  // GET /health answers the process's uptime: the gateway's function process and the handler here started apart.
  mask: (text) => text.replace(/"uptimeSeconds":\d+/g, '"uptimeSeconds":<n>'),
}, ({ overHttp, handler: handlerOf }) => {
  it('PATCH /api/v1/todos/{id} with {} reaches the function, which answers its own 400 (minProperties is not enforced by API Gateway)', async () => {
    const id = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
    const local = await overHttp('PATCH', `/api/v1/todos/${id}`, { 'Content-Type': 'application/json' }, '{}');
    expect(local.gatewayMade, local.text).toBe(false);
    expect(local.status).toBe(400);
    const direct = await handlerOf()(apiEvent('PATCH', `/api/v1/todos/${id}`, { resource: '/api/v1/todos/{id}', pathParameters: { id }, body: '{}', headers: { 'Content-Type': 'application/json' } }), {});
    expect(local.text).toBe(direct.body);
    expect((JSON.parse(local.text) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
  });

  it('a body the model refuses is a gateway 400 naming the field in the words of API Gateway’s validator, valid JSON whatever the name', async () => {
    const missing = await overHttp('POST', '/api/v1/todos', { 'Content-Type': 'application/json' }, '{"priority":"low"}');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text)).toEqual({ message: 'Invalid request body', detail: '[object has missing required properties (["title"])]' });
    const odd = await overHttp('POST', '/api/v1/todos', { 'Content-Type': 'application/json' }, JSON.stringify({ title: 'x', 'say "hi"\\': 1, zz: 2 }));
    expect(JSON.parse(odd.text)).toEqual({ message: 'Invalid request body', detail: '[object instance has properties which are not allowed by the schema: ["say \\"hi\\"\\\\","zz"]]' });
    const both = await overHttp('POST', '/api/v1/todos', { 'Content-Type': 'application/json' }, JSON.stringify({ title: 7, extra: true }));
    // The object's own failure first, then its members' (the validator's walk; the order is UNCONFIRMED on AWS beyond docs/apigateway-behaviour.md §2.10's).
    expect(JSON.parse(both.text).detail).toBe('[object instance has properties which are not allowed by the schema: ["extra"], instance type (integer) does not match any allowed primitive type (allowed: ["string"])]');
  });

});

it('the todo PATCH keeps minProperties in the document and leaves it out of the deployed model', () => {
  const spec = buildGatewaySpec(createApp());
  const definition = definitionOf(spec);
  expect(definition.components.schemas.TodoPatch).not.toHaveProperty('minProperties');
  const doc = buildOpenApi(definition, { stageName: 'dev', contracts: modelContracts(spec) }) as { components: { schemas: Record<string, Record<string, unknown>> } };
  expect(doc.components.schemas.TodoPatch).toMatchObject({ minProperties: 1, additionalProperties: false });
});
