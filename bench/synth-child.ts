/**
 * One synthesis run, in its own process: builds a generated service of N routes, derives its gateway
 * spec and runs the Pulumi program (as index.ts composes it) under Pulumi's mocks. Prints one JSON line
 * with timings, peak RSS and every registered resource (type, name, inputs hash), so the parent can
 * count what an edit changes. Usage: tsx bench/synth-child.ts <routes> [edited-group]
 */
import Router from '@koa/router';
import * as pulumi from '@pulumi/pulumi';
import Koa from 'koa';
import Type from 'typebox';
import { KoaGateway } from '../infra/src/pulumi';
import { installMocks, settle } from '../infra/src/tools/synth/mocks';
import { hashOf } from '../infra/src/core/plan/hash';
import { parseSettings } from '../infra/src/settings/parse';
import { buildGatewaySpec } from '../infra/src/core/plan';
import { exampleSettings, EXAMPLE_SETTINGS } from '../service/infra/settings';
import { TodoStorage } from '../service/infra/storage';
import { addRoute } from '../infra/src/route/route';

/**
 * Returns a Koa app with `routes` routes, four per group of resources (`/api/v1/r<k>` list and create,
 * `/api/v1/r<k>/:id` get and patch), each with its own TypeBox schemas and models. The create body of
 * group `edited` gets one changed keyword (a longer maximum title), as a developer's edit would.
 */
export function generatedApp(routes: number, edited?: number): Koa {
  const router = new Router();
  const noop = (ctx: Koa.Context) => {
    ctx.body = {};
  };
  for (let k = 0, added = 0; added < routes; k++) {
    const Item = Type.Object({ id: Type.String({ format: 'uuid' }), title: Type.String(), done: Type.Boolean() }, { $id: `R${k}Item`, additionalProperties: false });
    const Create = Type.Object(
      { title: Type.String({ minLength: 1, maxLength: k === edited ? 201 : 200 }), done: Type.Optional(Type.Boolean({ default: false })) },
      { $id: `R${k}Create`, additionalProperties: false },
    );
    const Patch = Type.Object({ title: Type.Optional(Type.String({ minLength: 1 })), done: Type.Optional(Type.Boolean()) }, { $id: `R${k}Patch`, additionalProperties: false, minProperties: 1 });
    const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });
    const Query = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) });
    const base = `/api/v1/r${k}`;
    const group = [
      () => addRoute(router, { method: 'GET', path: base, operationId: `list${k}`, query: Query, responses: { 200: Type.Array(Item) } }, noop),
      () => addRoute(router, { method: 'POST', path: base, operationId: `create${k}`, body: Create, responses: { 201: Item } }, noop),
      () => addRoute(router, { method: 'GET', path: `${base}/:id`, operationId: `get${k}`, params: Params, responses: { 200: Item } }, noop),
      () => addRoute(router, { method: 'PATCH', path: `${base}/:id`, operationId: `patch${k}`, params: Params, body: Patch, responses: { 200: Item } }, noop),
    ];
    for (const add of group) if (added < routes) (add(), added++);
  }
  const app = new Koa();
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

async function main(): Promise<void> {
  const routes = Number(process.argv[2]);
  const edited = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  // performance.now() counts from the process' start: Node, tsx and loading @pulumi/* and the program's modules.
  const started = performance.now();
  const spec = buildGatewaySpec(generatedApp(routes, edited));
  const specMs = performance.now() - started;

  const mocks = await installMocks();
  const settings = parseSettings({}, EXAMPLE_SETTINGS);
  const example = exampleSettings(settings.app);
  const code = new pulumi.asset.AssetArchive({ 'index.mjs': new pulumi.asset.StringAsset('export const handler = async () => ({ statusCode: 200 });') });
  const storage = example?.storage === 'dynamodb' ? new TodoStorage('todo', { settings: example.table }) : undefined;
  const gateway = new KoaGateway('todo', { spec, settings, code, ...(storage && { environment: storage.environment, policies: { storage: storage.policy } }) });
  await settle();
  await new Promise<void>((done) => pulumi.all([gateway.url, gateway.apiKeyId, gateway.urn]).apply(() => done()));
  await settle();
  const totalMs = performance.now() - started;

  const resources = mocks.resources.map((r) => ({ key: `${r.type}::${r.name}`, inputs: hashOf(r.inputs) }));
  const line = JSON.stringify({ routes, loadMs: started, methods: spec.methods.length, apiResources: spec.resources.length, models: spec.models.length, specMs, programMs: totalMs - specMs, totalMs, peakRssKB: process.resourceUsage().maxRSS, resources });
  // Pulumi's mock monitor keeps the event loop alive after the run; exit once the (piped, asynchronous) line is out.
  process.stdout.write(`${line}\n`, () => process.exit(0));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
