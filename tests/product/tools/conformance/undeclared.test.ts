import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { planApi, type ApiSource } from '../../../../infra/src/core/build-api';
import type { GatewaySpec } from '../../../../infra/src/core/plan/types';
import { lambdaHandler } from '../../../../infra/src/lambda';
import type { LambdaHandler } from '../../../../infra/src/local';
import { route } from '../../../../infra/src/route/route-middleware';
import { buildApiDocument } from '../../../../infra/src/tools/conformance/document';
import { formatTable } from '../../../../infra/src/tools/conformance/report';
import { runConformance, type Report } from '../../../../infra/src/tools/conformance/run';
import { API_KEY, settingsOf, startGateway } from '../../local/support/gateway';
import { failures } from './support';

const Thing = Type.Object({ id: Type.String(), text: Type.String() }, { $id: 'Thing' });

/** What each variant of the app does differently. */
interface Variant {
  /** GET /things/:id throws a 500 instead of answering its own 404. */
  boom?: boolean;
  /** GET /declared answers its own 404 `{error}`, which its declaration does not list. */
  declaredBreaks?: boolean;
}

/**
 * A Koa app written the plain way (its own error handler answering `{"error": ...}`, @koa/bodyparser, plain
 * router calls): three routes that declare nothing, whose valid requests the suite cannot guess right (a random
 * id is the app's 404, no body is its 400, a PUT creates: 201), and one route declared with route().
 */
function createApp(variant: Variant = {}): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const e = err as { status?: number; message?: string };
      ctx.status = e.status ?? 500;
      ctx.body = { error: e.message };
    }
  });
  app.use(bodyParser());
  const router = new Router();
  router.get('/things/:id', (ctx) => {
    if (variant.boom) throw new Error('the database is down');
    ctx.throw(404, 'thing not found');
  });
  router.post('/things', (ctx) => {
    const { text } = (ctx.request.body ?? {}) as { text?: unknown };
    if (typeof text !== 'string') ctx.throw(400, 'text is required');
    ctx.status = 201;
    ctx.body = { id: '1', text };
  });
  router.put('/things/:id', (ctx) => {
    ctx.status = 201;
    ctx.body = { id: ctx.params.id, text: 'put' };
  });
  router.get('/declared', route({ operationId: 'getDeclared', responses: { 200: Thing } }), (ctx) => {
    if (variant.declaredBreaks) ctx.throw(404, 'nothing declared here');
    ctx.body = { id: '1', text: 'declared' };
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/**
 * Runs the suite, with the document of the app's own routes, against the local gateway serving the app through
 * the product's Lambda adapter; `plant` changes what the gateway deploys (a fault the document does not show).
 */
async function run(variant: Variant = {}, plant?: (spec: GatewaySpec) => GatewaySpec): Promise<Report> {
  const settings = settingsOf();
  const source: ApiSource = { title: 'undeclared', createApp: () => createApp(variant) };
  const spec = planApi(source, settings);
  const gateway = await startGateway({ spec: plant ? plant(structuredClone(spec)) : spec, settings, handler: lambdaHandler(createApp(variant)) as LambdaHandler });
  try {
    return await runConformance({ document: buildApiDocument(source, settings), target: { baseUrl: gateway.url, apiKey: API_KEY, local: true }, corsOrigins: [], rate: 1000 });
  } finally {
    await gateway.close();
  }
}

const UNDECLARED = ['getThingsId', 'postThings', 'putThingsId'];

/**
 * A route registered without declaring its responses (a plain router call, or a descriptor entry) has an unknown
 * contract: the document says so (`default`), and the suite checks only what the document declares of it. Its
 * valid request must reach the function (no gateway response) and be answered below 500, whatever the status
 * and body; its key is still checked by the gateway. Before, such a route failed with "status 404 is not
 * declared" and "error body is not {message, errors?}" for an app that is right.
 */
describe('the conformance suite on routes that declare no responses', () => {
  it('passes when they answer their own 404, 400 or 201 with their own error body; the key cases still run', async () => {
    const report = await run();
    expect(failures(report)).toEqual({});
    expect(report.counts.fail).toBe(0);
    const valid = (id: string) => report.results.find((r) => r.id === `${id}.valid`)!;
    expect(valid('getThingsId')).toMatchObject({ outcome: 'pass', got: [404] });
    expect(valid('postThings')).toMatchObject({ outcome: 'pass', got: [400] });
    expect(valid('putThingsId')).toMatchObject({ outcome: 'pass', got: [201] });
    for (const id of UNDECLARED) {
      expect(valid(id).note, id).toBe('undeclared: declare its body and responses with route() to test more');
      expect(valid(id).expected, id).toMatch(/the function, below 500/);
      // The gateway still checks the key: those cases are the document's security, not the route's contract.
      expect(report.results.find((r) => r.id === `${id}.no-key`), id).toMatchObject({ outcome: 'pass', got: [403] });
      expect(report.results.find((r) => r.id === `${id}.wrong-key`), id).toMatchObject({ outcome: 'pass', got: [403] });
      // No schema, so no near-miss of one.
      expect(report.results.filter((r) => r.operationId === id).map((r) => r.group).sort(), id).toEqual(['auth', 'auth', 'valid']);
    }
    // The table's notes say it once, naming the operations.
    expect(formatTable(report)).toContain('\nNotes:\n  - undeclared: declare its body and responses with route() to test more (postThings, getThingsId, putThingsId)\n');
    // The declared route is checked as before: its declared 200 and schema.
    expect(valid('getDeclared')).toMatchObject({ outcome: 'pass', got: [200] });
    expect(valid('getDeclared').note).toBeUndefined();
  });

  it('fails when one answers 500', async () => {
    const failed = failures(await run({ boom: true }));
    expect(Object.keys(failed)).toEqual(['getThingsId.valid']);
    expect(failed['getThingsId.valid']!.join('\n')).toMatch(/status: expected the function to answer below 500, got 500/);
  });

  it('fails when the gateway answers instead of the function (a validator the document does not show)', async () => {
    const failed = failures(
      await run({}, (spec) => ({
        ...spec,
        methods: spec.methods.map((m) => (m.operationId === 'getThingsId' ? { ...m, validator: 'PARAMS', requestParameters: { ...m.requestParameters, 'method.request.querystring.token': true } } : m)),
      })),
    );
    expect(Object.keys(failed)).toEqual(['getThingsId.valid']);
    expect(failed['getThingsId.valid']!.join('\n')).toMatch(/source: expected the function to answer, but API Gateway did \(x-amzn-ErrorType BadRequestException\)/);
  });

  it('still holds a declared route to its statuses and the error shape', async () => {
    const failed = failures(await run({ declaredBreaks: true }));
    expect(Object.keys(failed)).toEqual(['getDeclared.valid']);
    const findings = failed['getDeclared.valid']!.join('\n');
    expect(findings).toMatch(/status: expected a declared success or resource status, got 404/);
    expect(findings).toMatch(/shape: status 404 is not declared for getDeclared/);
    expect(findings).toMatch(/shape: error body is not \{"message", "errors"\?\}/);
  });
});
