import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { SynthResult } from '../../../infra/src/tools/synth/synth';
import { adoptedProject, tree, userEnv } from '../../support/adoption';
import { PLAIN_ROUTES, plainKoaAppFiles, writeFiles } from '../../support/plain-koa-app';
import { ROOT, runProcess } from '../../support/process';

/**
 * Issue 21's "done when", for an ES module project: the plain Koa app of adoption.test.ts with `"type": "module"`
 * and nodenext, in a folder of that test's project using its install (tests/support/adoption.ts: the run's one
 * `npm install` of the packed package, shared, so the two files run side by side). init's files type-check with
 * the project's tsc, synth plans it and its program loads as `pulumi up` loads it (through tsx); with the
 * extensionless imports init wrote before, Pulumi's runner fails and synth refuses it too.
 */
describe('a plain Koa app as an ES module project ("type": "module", nodenext) adopts the packed package: init, tsc, synth, pulumi up’s loading', () => {
  // A second project beside adoption.test.ts's, in a folder of it: Node, tsc and tsx find the install in the
  // parent's node_modules, so one install serves both. The bin is run by its path (npx would look in this folder's own).
  let project: string;
  let packageFiles: Record<string, string>;
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

  beforeAll(async () => {
    ({ project, packageFiles } = await adoptedProject());
    expect(path.relative(ROOT, project).startsWith('..')).toBe(true);
  }, 900_000);

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

  it('no file of the package was touched', () => {
    expect(tree(path.join(project, 'node_modules', 'koa-apigateway'))).toEqual(packageFiles);
  });
});
