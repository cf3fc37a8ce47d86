import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateOpenApi } from '../../../infra/src/core/openapi/validate';
import type { Report } from '../../../infra/src/tools/conformance/run';
import type { SynthResult } from '../../../infra/src/tools/synth/synth';
import { PLAIN_PROJECT_NAME, PLAIN_ROUTES, plainKoaAppFiles, writeFiles } from '../../support/plain-koa-app';
import { ROOT, runProcess, startProcess, type Started } from '../../support/process';

/**
 * Issue 21's "done when": a Koa team adopts the package with nothing of this repository but its tarball. In a
 * folder outside the repository, a small Koa app written the plain way (tests/support/plain-koa-app.ts: its own
 * error handler, @koa/bodyparser, plain router calls; it imports nothing of ours), `npm pack` of the package and
 * `npm install` of the tarball with its peers, `npx koa-apigateway init`; then the commands init wrote serve it
 * behind the local gateway, plan it (and its program loads as `pulumi up` loads it), write its OpenAPI document
 * and check it for conformance, with no file of the package touched or copied. The same app as an ES module project
 * (`"type": "module"`, nodenext), in a folder of the first using its install: init's files type-check with the
 * project's tsc, synth plans it and its program loads as `pulumi up` loads it (through tsx); with the extensionless
 * imports init wrote before, Pulumi's runner fails and synth refuses it too.
 *
 * The install takes its packages from npm's cache (filled by the repository's `npm ci`), else the registry:
 * the peers are pinned to the versions the repository's lock file tests. One installed project serves every case.
 */
const LOCK = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };

/** `name@version` as the repository's lock file has it (what the suite tests), else `name@fallback`. */
function pinned(name: string, fallback: string): string {
  const version = LOCK.packages[`node_modules/${name}`]?.version;
  return `${name}@${version ?? fallback}`;
}

/**
 * The plain app's routes declare nothing, so the document says their responses are undeclared (a `default`
 * response) and the suite checks only that their valid requests reach the app and are answered below 500: POST
 * /notes gets the app's own 400 `{"error"}` (the suite sends no body, as none is declared), GET and DELETE
 * /notes/{id} its 404 for an id the suite cannot know. The app stays as plain as a team has it before adopting.
 */
const ANSWERED_BY_THE_APP = { 'deleteNotesId.valid': 404, 'getNotesId.valid': 404, 'postNotes.valid': 400 };

/** The environment of a user's shell: none of the test run's npm, vitest or koa-apigateway variables. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|KOA_APIGATEWAY_)/i.test(key) || ['INIT_CWD', 'STACK', 'NODE_OPTIONS', 'NODE_ENV', 'PORT', 'API_KEY', 'OUT'].includes(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** sha256 of every file under `dir`, by relative path. */
function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const file = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, tree(dir, file));
    else if (entry.isFile()) out[file] = createHash('sha256').update(readFileSync(path.join(dir, file))).digest('hex');
  }
  return out;
}

describe('a plain Koa app adopts the packed package: install, init, start, synth, openapi, conformance', () => {
  let project: string;
  let packageFiles: Record<string, string>;
  const started = Date.now();
  const npm = (args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}) =>
    runProcess('npm', args, { cwd: project, env: userEnv(options.env), timeoutMs: options.timeoutMs ?? 180_000 });

  beforeAll(async () => {
    project = mkdtempSync(path.join(tmpdir(), 'adoption-'));
    expect(path.relative(ROOT, project).startsWith('..')).toBe(true);
    writeFiles(project, plainKoaAppFiles());
    const packDir = path.join(project, '.pack');
    mkdirSync(packDir);
    const pack = await runProcess('npm', ['pack', '--pack-destination', packDir], { cwd: path.join(ROOT, 'infra'), env: userEnv(), timeoutMs: 180_000 });
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
    const installStarted = Date.now();
    const install = await npm(
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        tarball,
        ...['koa', '@koa/router', 'typebox', '@pulumi/pulumi', '@pulumi/aws', '@types/koa'].map((name) => pinned(name, 'latest')),
        pinned('@koa/bodyparser', '^6'),
        pinned('typescript', '5'),
      ],
      { timeoutMs: 600_000 },
    );
    expect(install.status, install.stderr).toBe(0);
    process.stderr.write(`adoption: npm install of the tarball and its peers took ${((Date.now() - installStarted) / 1000).toFixed(1)} s\n`);
    packageFiles = tree(path.join(project, 'node_modules', 'koa-apigateway'));
  }, 900_000);

  // The installed project holds @pulumi/aws and the package's dependencies (the AWS SDK's API Gateway client among
  // them, 3,000 files): its removal took over a minute on the loaded 2-core machine.
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
    process.stderr.write(`adoption: the whole test took ${((Date.now() - started) / 1000).toFixed(1)} s, the project's removal included\n`);
    // Removing node_modules took over the default 60 s on the 2-core machine under other suites' load.
  }, 300_000);

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

  describe('the same app as an ES module project ("type": "module", nodenext), in a folder of the project using its install', () => {
    // A second project beside the first, in a folder of it: Node, tsc and tsx find the install in the parent's
    // node_modules, so one install serves both. The bin is run by its path (npx would look in this folder's own).
    let esm: string;
    const bin = () => path.join(project, 'node_modules', 'koa-apigateway', 'bin', 'koa-apigateway.cjs');
    const inEsm = (command: string, args: string[], timeoutMs = 180_000, env: Record<string, string> = {}) => runProcess(command, args, { cwd: esm, env: userEnv(env), timeoutMs });
    const runLikePulumi = async () => {
      const result = path.join(esm, 'run-like-pulumi.json');
      rmSync(result, { force: true });
      const config = (parseYaml(readFileSync(path.join(esm, 'Pulumi.dev.yaml'), 'utf8')) as { config: Record<string, string> }).config;
      // node <nodeargs> <runner>, as the Pulumi CLI starts its runner (and its cwd: tsx resolves from the project).
      const runtime = (parseYaml(readFileSync(path.join(esm, 'Pulumi.yaml'), 'utf8')) as { runtime: { options: { nodeargs?: string } } }).runtime;
      const nodeargs = (runtime.options.nodeargs ?? '').split(/\s+/).filter(Boolean);
      const run = await inEsm(process.execPath, [...nodeargs, path.join(ROOT, 'tests', 'support', 'run-like-pulumi.cjs'), esm, result], 240_000, { PULUMI_CONFIG: JSON.stringify(config) });
      return { run, output: `${run.stdout}${run.stderr}`, result };
    };

    it('init writes imports by their .js file and a Pulumi.yaml loading the program through tsx; the project’s tsc type-checks all of it', { timeout: 240_000 }, async () => {
      esm = path.join(project, '.pack', 'esm');
      const dependencies = Object.fromEntries(['koa-apigateway', 'koa', '@koa/router', 'typebox', '@pulumi/pulumi', '@pulumi/aws', '@koa/bodyparser', 'typescript', '@types/koa', 'tsx'].map((name) => [name, '*']));
      writeFiles(esm, plainKoaAppFiles({ esm: { dependencies } }));
      const init = await inEsm(process.execPath, [bin(), 'init']);
      expect(init.status, init.stderr).toBe(0);
      expect(init.stdout).toContain('an ES module loaded through tsx: nodeargs --import tsx');
      expect(init.stdout).not.toContain('Install what is missing');
      expect(readFileSync(path.join(esm, 'app.config.ts'), 'utf8')).toContain("import { createApp } from './src/app.js';");
      expect(readFileSync(path.join(esm, 'src', 'lambda.ts'), 'utf8')).toContain("import { createApp } from './app.js';");
      expect((parseYaml(readFileSync(path.join(esm, 'Pulumi.yaml'), 'utf8')) as { runtime: { options: Record<string, unknown> } }).runtime.options).toMatchObject({ typescript: false, nodeargs: '--import tsx' });
      // The project's own build: tsc with its nodenext tsconfig over every file, index.ts and app.config.ts included.
      const build = await inEsm('npm', ['run', 'build']);
      expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
      expect(statSync(path.join(esm, 'build', 'app.config.js')).isFile()).toBe(true);
    });

    it('synth plans it, and its program loads as pulumi up loads it: node --import tsx, Pulumi’s ts-node off', { timeout: 300_000 }, async () => {
      const synth = await inEsm('npm', ['run', 'synth', '--', '--json', '--out', 'plan.json']);
      expect(synth.status, synth.stderr).toBe(0);
      expect((JSON.parse(readFileSync(path.join(esm, 'plan.json'), 'utf8')) as SynthResult).outputs.routes).toEqual(PLAIN_ROUTES);
      const { run, output, result } = await runLikePulumi();
      expect(run.status, output).toBe(0);
      const loaded = JSON.parse(readFileSync(result, 'utf8')) as { loadedTsNode: boolean; execArgv: string[]; resources: { type: string }[]; outputs: { routes: string[]; url: string } };
      expect(loaded.execArgv).toEqual(['--import', 'tsx']);
      expect(loaded.loadedTsNode).toBe(false);
      expect(loaded.resources.map((r) => r.type)).toContain('aws:lambda/function:Function');
      expect(loaded.outputs.routes).toEqual(PLAIN_ROUTES);
      expect(loaded.outputs.url).toBe('https://notes-api-api-id.execute-api.us-east-1.amazonaws.com/dev');
    });

    it('with the imports init wrote before (./src/app) and Pulumi’s ts-node: pulumi up’s runner fails on TS2835, and synth now refuses it too, naming the file and the fix', { timeout: 300_000 }, async () => {
      const config = path.join(esm, 'app.config.ts');
      writeFileSync(config, readFileSync(config, 'utf8').replace("'./src/app.js'", "'./src/app'"));
      const pulumiYaml = path.join(esm, 'Pulumi.yaml');
      writeFileSync(pulumiYaml, readFileSync(pulumiYaml, 'utf8').replace('typescript: false', 'typescript: true').replace(/^\s+nodeargs:.*\n/m, ''));
      const { run, output } = await runLikePulumi();
      expect(run.status, output).not.toBe(0);
      // TS2834, or TS2835 when TypeScript also suggests the name.
      expect(output).toMatch(/app\.config\.ts\(7,27\): error TS283[45]: Relative import paths need explicit file extensions/);
      const synth = await inEsm('npm', ['run', 'synth']);
      expect(synth.status, synth.stdout).toBe(1);
      expect(synth.stderr).toContain("synth failed: pulumi up could not load index.ts: app.config.ts:7 imports './src/app', without its file extension.");
      expect(synth.stderr).toContain("Fix: write './src/app.js'");
    });
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
