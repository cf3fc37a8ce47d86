import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateOpenApi } from '../../../infra/src/core/openapi/validate';
import type { Report } from '../../../infra/src/tools/conformance/run';
import type { SynthResult } from '../../../infra/src/tools/synth/synth';
import { adoptedProject, tree, userEnv } from '../../support/adoption';
import { PLAIN_PROJECT_NAME, PLAIN_ROUTES } from '../../support/plain-koa-app';
import { ROOT, runProcess, startProcess, type Started } from '../../support/process';

/**
 * Issue 21's "done when": a Koa team adopts the package with nothing of this repository but its tarball. In a
 * folder outside the repository, a small Koa app written the plain way (tests/support/plain-koa-app.ts: its own
 * error handler, @koa/bodyparser, plain router calls; it imports nothing of ours), `npm pack` of the package and
 * `npm install` of the tarball with its peers (tests/support/adoption.ts), `npx koa-apigateway init`; then the
 * commands init wrote serve it behind the local gateway, plan it (and its program loads as `pulumi up` loads it),
 * write its OpenAPI document and check it for conformance, with no file of the package touched or copied. The same
 * app as an ES module project is adoption-esm.test.ts, in a folder of this one using its install: the two files
 * share the run's one install and run side by side.
 *
 * The install takes its packages from npm's cache (filled by the repository's `npm ci`), else the registry:
 * the peers are pinned to the versions the repository's lock file tests.
 */

/**
 * The plain app's routes declare nothing, so the document says their responses are undeclared (a `default`
 * response) and the suite checks only that their valid requests reach the app and are answered below 500: POST
 * /notes gets the app's own 400 `{"error"}` (the suite sends no body, as none is declared), GET and DELETE
 * /notes/{id} its 404 for an id the suite cannot know. The app stays as plain as a team has it before adopting.
 */
const ANSWERED_BY_THE_APP = { 'deleteNotesId.valid': 404, 'getNotesId.valid': 404, 'postNotes.valid': 400 };

describe('a plain Koa app adopts the packed package: install, init, start, synth, openapi, conformance', () => {
  let project: string;
  let packageFiles: Record<string, string>;
  const npm = (args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}) =>
    runProcess('npm', args, { cwd: project, env: userEnv(options.env), timeoutMs: options.timeoutMs ?? 180_000 });

  beforeAll(async () => {
    ({ project, packageFiles } = await adoptedProject());
    expect(path.relative(ROOT, project).startsWith('..')).toBe(true);
  }, 900_000);

  it('every entry point loads in plain Node, by require and by import, and the bin answers', { timeout: 60_000 }, async () => {
    const entries = JSON.stringify(['koa-apigateway', 'koa-apigateway/route', 'koa-apigateway/lambda', 'koa-apigateway/pulumi']);
    const required = await runProcess(process.execPath, ['-e', `for (const e of ${entries}) console.log(e, Object.keys(require(e)).sort().join(','))`], { cwd: project, env: userEnv(), timeoutMs: 60_000 });
    expect(required.status, required.stderr).toBe(0);
    expect(required.stdout).toMatch(/^koa-apigateway .*defineApp/m);
    expect(required.stdout).toMatch(/^koa-apigateway\/route .*addRoute/m);
    expect(required.stdout).toMatch(/^koa-apigateway\/lambda .*lambdaHandler/m);
    expect(required.stdout).toMatch(/^koa-apigateway\/pulumi .*deployApp/m);
    const imported = await runProcess(process.execPath, ['--input-type=module', '-e', `for (const e of ${entries}) await import(e);`], { cwd: project, env: userEnv(), timeoutMs: 60_000 });
    expect(imported.status, imported.stderr).toBe(0);
    const version = await runProcess('npx', ['koa-apigateway', '--version'], { cwd: project, env: userEnv(), timeoutMs: 60_000 });
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(ROOT, 'infra', 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('npx koa-apigateway init finds the app, writes the project’s files and scripts, and leaves nothing to install', { timeout: 120_000 }, async () => {
    const run = await runProcess('npx', ['koa-apigateway', 'init'], { cwd: project, env: userEnv(), timeoutMs: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Found createApp (src/app.ts:11): it builds your Koa app.');
    expect(run.stdout).not.toContain('FILL IN');
    expect(run.stdout).not.toContain('Install what is missing');
    const scripts = (JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    // The app's own start and build stay; the gateway's are beside them.
    expect(scripts).toMatchObject({ start: 'node build/server.js', build: 'tsc', 'gateway:start': 'koa-apigateway start', synth: 'koa-apigateway synth', 'gateway:build': 'koa-apigateway build' });
    expect((parseYaml(readFileSync(path.join(project, 'Pulumi.yaml'), 'utf8')) as { name: string }).name).toBe(PLAIN_PROJECT_NAME);
  });

  it("the project's own build (tsc, CommonJS with Node's classic resolution) still compiles, init's Lambda entry included", { timeout: 120_000 }, async () => {
    const run = await npm(['run', 'build']);
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    expect(statSync(path.join(project, 'build', 'lambda.js')).isFile()).toBe(true);
  });

  it('npm run gateway:start serves the app behind the local gateway: 200 with the printed key, 403 without; the body parser’s POST works', { timeout: 120_000 }, async () => {
    let gateway: Started | undefined;
    try {
      gateway = startProcess('npm', ['run', 'gateway:start'], { cwd: project, env: userEnv({ PORT: '0', HOST: '127.0.0.1' }) });
      const base = (await gateway.waitFor(/Local API Gateway listening on (http:\/\/\S+)/, 90_000))[1]!;
      const key = /API key: (\S+)/.exec(gateway.output())![1]!;
      const health = await fetch(`${base}/health`, { headers: { 'x-api-key': key } });
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const denied = await fetch(`${base}/health`);
      expect(denied.status).toBe(403);
      expect(await denied.json()).toEqual({ message: 'Forbidden' });
      const created = await fetch(`${base}/notes`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'adopted' }) });
      expect(created.status).toBe(201);
      const note = (await created.json()) as { id: string; text: string };
      expect(note.text).toBe('adopted');
      const got = await fetch(`${base}/notes/${note.id}`, { headers: { 'x-api-key': key } });
      expect(await got.json()).toEqual(note);
    } finally {
      await gateway?.stop('SIGINT');
    }
  });

  it('npm run synth plans it: the project’s name, its routes, the gateway’s resources', { timeout: 180_000 }, async () => {
    const run = await npm(['run', 'synth', '--', '--json', '--out', 'plan.json']);
    expect(run.status, run.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(project, 'plan.json'), 'utf8')) as SynthResult;
    expect(plan.project).toBe(PLAIN_PROJECT_NAME);
    expect(plan.outputs.routes).toEqual(PLAIN_ROUTES);
    const types = plan.resources.map((r) => r.type);
    for (const type of ['aws:apigateway/restApi:RestApi', 'aws:apigateway/stage:Stage', 'aws:apigateway/usagePlan:UsagePlan', 'aws:lambda/function:Function']) expect(types).toContain(type);
    expect(plan.resources.find((r) => r.type === 'aws:apigateway/restApi:RestApi')!.name).toBe('notes-api-api');
  });

  it('its program loads as pulumi up loads it: @pulumi/pulumi/cmd/run, ts-node with the project’s CommonJS tsconfig, the project’s name', { timeout: 240_000 }, async () => {
    const result = path.join(project, '.pack', 'run-like-pulumi.json');
    const config = (parseYaml(readFileSync(path.join(project, 'Pulumi.dev.yaml'), 'utf8')) as { config: Record<string, string> }).config;
    const run = await runProcess(process.execPath, [path.join(ROOT, 'tests', 'support', 'run-like-pulumi.cjs'), project, result], {
      cwd: project,
      env: userEnv({ PULUMI_CONFIG: JSON.stringify(config) }),
      timeoutMs: 240_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(output, output).not.toMatch(/TSError|ERR_REQUIRE_ESM|Cannot find module|SyntaxError/);
    expect(run.status, output).toBe(0);
    const loaded = JSON.parse(readFileSync(result, 'utf8')) as { project: string; loadedTsNode: boolean; calls: string[]; resources: { type: string }[]; outputs: { routes: string[]; url: string } };
    expect(loaded.project).toBe(PLAIN_PROJECT_NAME);
    expect(loaded.loadedTsNode).toBe(true);
    expect(loaded.resources.map((r) => r.type)).toContain('aws:lambda/function:Function');
    expect(loaded.outputs.routes).toEqual(PLAIN_ROUTES);
    expect(loaded.outputs.url).toBe('https://notes-api-api-id.execute-api.us-east-1.amazonaws.com/dev');
  });

  it('npm run openapi writes a valid OpenAPI 3.1 document of its routes, titled from package.json', { timeout: 120_000 }, async () => {
    const run = await npm(['run', 'openapi']);
    expect(run.status, run.stderr).toBe(0);
    type Op = { responses: Record<string, { description?: string }> };
    const doc = JSON.parse(readFileSync(path.join(project, 'openapi.json'), 'utf8')) as { info: { title: string; version: string }; paths: Record<string, Record<string, Op>> };
    expect((await validateOpenApi(doc)).valid).toBe(true);
    expect(doc.info).toMatchObject({ title: 'Notes_API', version: '1.4.0' });
    expect(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort()).toEqual(PLAIN_ROUTES);
    // Its routes declare no responses, and the document says so instead of inventing a 200.
    for (const op of Object.values(doc.paths).flatMap((ops) => Object.values(ops))) {
      expect(op.responses.default?.description).toMatch(/^Not declared: this route declares none of its responses/);
      expect(op.responses['200']).toBeUndefined();
    }
  });

  it('npm run conformance checks it against the local gateway and passes: exit 0, no case failed', { timeout: 240_000 }, async () => {
    const run = await npm(['run', 'conformance', '--', '--json'], { timeoutMs: 240_000 });
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as Report;
    expect(report.local).toBe(true);
    expect(report.results.filter((r) => r.outcome === 'fail').map((r) => `${r.id}: ${r.findings.join('; ')}`), run.stderr).toEqual([]);
    expect(report.counts).toMatchObject({ fail: 0, known: 0, skip: 0 });
    expect(report.counts.pass).toBeGreaterThanOrEqual(17);
    for (const [id, status] of Object.entries(ANSWERED_BY_THE_APP)) {
      expect(report.results.find((r) => r.id === id), id).toMatchObject({ outcome: 'pass', got: [status], note: expect.stringMatching(/^undeclared: declare its body and responses with route\(\)/) });
    }
    // The key is still the gateway's to check, route by route.
    expect(report.results.filter((r) => r.group === 'auth').every((r) => r.outcome === 'pass' && r.got[0] === 403)).toBe(true);
    expect(run.status, run.stderr).toBe(0);
  });

  it('no file of the package was touched, and none copied into the project', () => {
    // The installed package holds the pages its README links to (prepack's copy of docs/).
    expect(Object.keys(packageFiles)).toEqual(expect.arrayContaining(['README.md', 'docs/adopting.md', 'docs/configuration.md', 'docs/troubleshooting.md']));
    expect(tree(path.join(project, 'node_modules', 'koa-apigateway'))).toEqual(packageFiles);
    const own = readdirSync(project).filter((f) => f !== 'node_modules' && f !== '.pack');
    expect(own.sort()).toEqual(
      ['.gitignore', '.local', 'Pulumi.dev.yaml', 'Pulumi.yaml', 'app.config.ts', 'build', 'dist', 'index.ts', 'openapi.json', 'package-lock.json', 'package.json', 'plan.json', 'src', 'tsconfig.json', 'tsconfig.pulumi.json'].sort(),
    );
    expect(readdirSync(path.join(project, 'src')).sort()).toEqual(['app.ts', 'lambda.ts', 'server.ts']);
    expect(statSync(path.join(project, 'dist', 'lambda', 'index.mjs')).isFile()).toBe(true);
  });
});
