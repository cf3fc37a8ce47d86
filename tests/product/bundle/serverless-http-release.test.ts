import { build } from 'esbuild';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT as PROJECT_ROOT } from '../../support/files';
import { releaseEventAfterResponse, serverlessHttpReleasesEvent } from '../../../infra/src/bundle/serverless-http';
import { apiEvent } from '../../support/events';

interface Probe {
  handler(event: unknown, context: unknown): Promise<{ statusCode: number; body: string }>;
  seen: Array<{ apiGateway?: unknown; requestContext?: unknown }>;
}

// A Koa app behind serverless-http that reads the event while it handles the request, and keeps the request.
const APP = `
  import Koa from 'koa';
  import serverless from 'serverless-http';
  export const seen = [];
  const app = new Koa();
  app.use((ctx) => {
    seen.push(ctx.req);
    ctx.body = { path: ctx.req.apiGateway.event.path, requestId: ctx.req.requestContext.requestId, stage: ctx.req.requestContext.stage };
  });
  export const handler = serverless(app);`;

let dir: string;
let probe: Probe;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'shttp-'));
  const outfile = path.join(dir, 'probe.mjs');
  await build({
    absWorkingDir: PROJECT_ROOT,
    stdin: { resolveDir: PROJECT_ROOT, contents: APP },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    plugins: [serverlessHttpReleasesEvent()],
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  });
  probe = (await import(pathToFileURL(outfile).href)) as Probe;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('serverless-http in the bundle lets go of each event once its response is out', () => {
  it('applies to the installed serverless-http', async () => {
    const provider = createRequire(path.join(PROJECT_ROOT, 'package.json')).resolve('serverless-http/lib/provider/aws/index.js');
    expect(releaseEventAfterResponse(await readFile(provider, 'utf8')).found).toBe(true);
  });

  it('still gives handlers the event and its requestContext while they run', async () => {
    const event = apiEvent('GET', '/health');
    const res = await probe.handler(event, {});
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ path: '/health', requestId: event.requestContext.requestId, stage: 'dev' });
  });

  it('cuts the request’s links to the event after the response (a dead request no longer keeps the event young)', async () => {
    await probe.handler(apiEvent('POST', '/api/v1/todos', { body: { title: 'x' } }), {});
    const req = probe.seen[probe.seen.length - 1]!;
    expect([req.apiGateway, req.requestContext]).toEqual([undefined, undefined]);
  });
});
