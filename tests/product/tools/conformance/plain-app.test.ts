import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedApp } from '../../../../infra/src/app/descriptor';
import { loadAppFile } from '../../../../infra/src/app/load';
import { startLocal, type RunningLocal } from '../../../../infra/src/local/start';
import { readStackSettings } from '../../../../infra/src/app/load-stack';
import { buildApiDocument } from '../../../../infra/src/tools/conformance/document';
import { runConformance, type Report } from '../../../../infra/src/tools/conformance/run';
import { PLAIN } from '../../../support/apps';
import { CLI, runProcess } from '../../../support/process';
import { failures } from './support';

/**
 * A Koa app written the plain way (tests/support/apps/plain: @koa/bodyparser, its own error handler, plain
 * router.get/post), adopted route by route: one route declared with `route()`, one public plain route
 * declared only in the descriptor. Served by the product's own `start` path (startLocal) and tested by the
 * conformance suite with the product's own document, it must pass: its 400s name the field through its own
 * error handler, and are declared (issue 21 item 4: 6 cases failed for such an app).
 */
const KEY = 'PlainAppTestKey0123456789abcdef';

describe('the conformance suite against a plain Koa app adopted route by route, on the local gateway', () => {
  let app: LoadedApp;
  let local: RunningLocal;
  let report: Report;
  const bundleDir = mkdtempSync(path.join(tmpdir(), 'plain-app-bundle-'));

  beforeAll(async () => {
    app = loadAppFile(PLAIN.descriptor);
    local = await startLocal({ root: PLAIN.dir, app, env: { PORT: '0', HOST: '127.0.0.1', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir }, out: () => {}, err: () => {}, accessLog: () => {} });
    const settings = readStackSettings({ root: PLAIN.dir, app: app.settings ?? {} });
    report = await runConformance({ document: buildApiDocument(app, settings), target: { baseUrl: local.stageUrl, apiKey: KEY, local: true }, corsOrigins: settings.corsOrigins, rate: 1000 });
  }, 120_000);
  afterAll(async () => {
    await local?.stop();
    rmSync(bundleDir, { recursive: true, force: true });
  });

  it('passes every case', () => {
    expect(failures(report)).toEqual({});
    expect(report.counts).toEqual({ pass: report.results.length, fail: 0, known: 0, skip: 0 });
  });

  it("reaches the app's own error handler with the service's 400, which names the field and is declared", () => {
    const notify = report.results.find((r) => r.id === 'createNote.query.notify.invalid');
    expect(notify).toMatchObject({ outcome: 'pass', got: [400] });
    // No gateway validator checks an optional query's form: the 400 is the service's alone, and declared.
    expect(report.results.find((r) => r.id === 'listNotes.query.limit.invalid')).toMatchObject({ outcome: 'pass', got: [400] });
    expect(report.results.filter((r) => r.operationId === 'createNote' && r.group === 'near-miss').map((r) => r.id).sort()).toEqual([
      'createNote.body.malformed-json',
      'createNote.body.missing-required',
      'createNote.body.unknown-property',
      'createNote.body.wrong-type',
      'createNote.query.notify.invalid',
    ]);
  });

  it("serves GET /status without a key, as the descriptor's routes entry says; GET /notes/count still needs it", () => {
    expect(report.results.find((r) => r.id === 'status.valid')).toMatchObject({ title: 'valid request, no key (public)', outcome: 'pass', got: [200] });
    expect(report.results.some((r) => r.id === 'status.no-key')).toBe(false);
    expect(report.results.find((r) => r.id === 'getNotesCount.no-key')).toMatchObject({ outcome: 'pass', got: [403] });
  });

  it('takes a valid POST through the app\'s body parser: 201 with the defaults filled', async () => {
    const res = await fetch(`${local.stageUrl}/notes`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: '{"title":"Adopt route by route"}' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ title: 'Adopt route by route', pinned: false });
  });
});

describe("the descriptor's routes entries in the other consumers of the plain app", () => {
  const out = mkdtempSync(path.join(tmpdir(), 'plain-app-'));
  const env: NodeJS.ProcessEnv = { ...process.env, KOA_APIGATEWAY_BUNDLE_DIR: path.join(out, 'bundle') };
  delete env.INIT_CWD;
  delete env.KOA_APIGATEWAY_APP;
  delete env.STACK;
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('koa-apigateway openapi: GET /status needs no key and carries its summary and operationId; POST /notes declares its 400', async () => {
    const run = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: PLAIN.dir, env: { ...env, OUT: path.join(out, 'openapi.json') } });
    expect(run.status, run.stderr).toBe(0);
    type Op = { operationId: string; summary?: string; security: unknown[]; responses: Record<string, unknown> };
    const doc = JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, Op>> };
    expect(doc.paths['/status']!.get).toMatchObject({ operationId: 'status', summary: 'Health', security: [] });
    expect(doc.paths['/notes/count']!.get!.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/notes']!.get!.responses['400']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } });
    expect(doc.paths['/notes']!.post!.responses['400']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } });
  }, 60_000);

  it('koa-apigateway synth (the Pulumi program as pulumi up loads it): the deployed GET /status needs no key', async () => {
    const run = await runProcess(process.execPath, [CLI, 'synth', '--json', '--out', path.join(out, 'plan.json')], { cwd: PLAIN.dir, env, timeoutMs: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(out, 'plan.json'), 'utf8')) as { resources: { type: string; inputs: Record<string, unknown> }[] };
    const api = plan.resources.find((r) => r.type === 'aws:apigateway/restApi:RestApi')!;
    const body = JSON.parse(api.inputs.body as string) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    expect(body.paths['/status']!.get!.security ?? []).toEqual([]);
    expect(body.paths['/notes/count']!.get!.security).toEqual([{ api_key: [] }]);
  }, 150_000);
});

