import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PARCELS } from '../../support/apps';
import { CLI, ROOT, runProcess } from '../../support/process';

/**
 * How the `koa-apigateway` command loads code (infra/src/cli/main.ts registerTypeScript, infra/bin/koa-apigateway.cjs):
 * the project's TypeScript and JavaScript through tsx, a dependency's JavaScript through Node's own loader (tsx
 * scanning every file of Pulumi's was a sixth of a synth's CPU), and V8's compiled code kept in Node's compile cache.
 * Each module below records whether tsx's require hook evaluated it: its stack then passes through tsx's dist.
 */
const VIA_TSX = "/[\\\\/]tsx[\\\\/]dist[\\\\/]/.test(new Error().stack)";

describe('the command loads a project’s code through tsx and its dependencies’ through Node', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-loading-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a CommonJS or ES module dependency skips tsx; the project’s .ts, and its .js with ES module syntax, still go through it', { timeout: 60_000 }, async () => {
    const files: Record<string, string> = {
      'node_modules/cjs-dep/package.json': '{ "name": "cjs-dep", "main": "index.js" }',
      'node_modules/cjs-dep/index.js': `exports.viaTsx = ${VIA_TSX};`,
      'node_modules/esm-dep/package.json': '{ "name": "esm-dep", "type": "module", "exports": "./index.js" }',
      'node_modules/esm-dep/index.js': `export const viaTsx = ${VIA_TSX};`,
      'node_modules/mjs-dep/package.json': '{ "name": "mjs-dep", "exports": "./index.mjs" }',
      'node_modules/mjs-dep/index.mjs': `export const viaTsx = ${VIA_TSX};`,
      'package.json': '{ "name": "project" }',
      // ES module syntax in a .js file of a CommonJS project: only tsx's transform lets `require` load it as it did.
      'src/own.js': `export const viaTsx = ${VIA_TSX};`,
      'src/app.ts': `import { viaTsx as own } from './own';\nconst viaTsx: boolean = ${VIA_TSX};\nexport const loaded = { ts: viaTsx, own, cjsDep: require('cjs-dep').viaTsx, esmDep: require('esm-dep').viaTsx, mjsDep: require('mjs-dep').viaTsx };\n`,
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const script = `require(${JSON.stringify(path.join(ROOT, 'infra', 'dist', 'cli', 'main.js'))}).registerTypeScript(); console.log(JSON.stringify(require('./src/app.ts').loaded));`;
    const run = await runProcess(process.execPath, ['-e', script], { cwd: dir, timeoutMs: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ ts: true, own: true, cjsDep: false, esmDep: false, mjsDep: false });
  });

  it('runs where tsx registers its ES module hooks with module.register: Node.js 22.12 to 22.22.2, or a NODE_OPTIONS --import of a .ts file', { timeout: 60_000 }, async () => {
    // tsx 4.23.15 uses module.registerHooks from Node.js 22.22.3 on, unless NODE_OPTIONS imports a TypeScript file;
    // through module.register its CommonJS API named a hooks module that does not exist, and every command failed.
    writeFileSync(path.join(dir, 'preload.ts'), 'export {};\n');
    const out = path.join(dir, 'openapi.json');
    const env = { ...process.env, NODE_OPTIONS: `--import ${path.join(dir, 'preload.ts')}`, OUT: out };
    const run = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: PARCELS.dir, env, timeoutMs: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND/);
    expect(run.stdout).toMatch(/valid OpenAPI 3\.1/);
  });

  it('a command’s own modules load before tsx is registered (TypeBox’s ES modules and Pulumi’s then load without tsx’s hooks), and a wrong command line loads none of them', { timeout: 90_000 }, async () => {
    // Records, when each watched module of the package is evaluated, whether tsx's require hook for .ts is in place yet.
    const probeFile = path.join(dir, 'probe.cjs');
    const probe = [
      "const Module = require('node:module');",
      "const { sep } = require('node:path');",
      "const watched = ['/cli/commands/openapi.js', '/tools/synth/synth.js', '/local/start.js', '/tools/client/generate.js', '/bundle/bundle.js', '/tools/conformance/run.js'];",
      'const load = Module._load;',
      'Module._load = function (request, parent, ...rest) {',
      '  const loaded = load.call(this, request, parent, ...rest);',
      "  const file = Module._resolveFilename(request, parent).split(sep).join('/');",
      "  const hit = watched.find((w) => file.endsWith(w));",
      "  if (hit && !Module._probed?.has(hit)) { (Module._probed ??= new Set()).add(hit); process.stderr.write(`${hit} loaded with tsx registered: ${'.ts' in Module._extensions}${String.fromCharCode(10)}`); }",
      '  return loaded;',
      '};',
    ].join('\n');
    writeFileSync(probeFile, probe);
    const env = { ...process.env, NODE_OPTIONS: `--require ${probeFile}`, OUT: path.join(dir, 'probe-openapi.json'), KOA_APIGATEWAY_BUNDLE_DIR: path.join(dir, 'probe-bundle') };
    const openapi = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: PARCELS.dir, env, timeoutMs: 60_000 });
    expect(openapi.status, openapi.stderr).toBe(0);
    expect(openapi.stderr).toContain('/cli/commands/openapi.js loaded with tsx registered: false');
    expect(openapi.stdout).toMatch(/valid OpenAPI 3\.1/);
    const synth = await runProcess(process.execPath, [CLI, 'synth', '--json'], { cwd: PARCELS.dir, env, timeoutMs: 60_000 });
    expect(synth.status, synth.stderr).toBe(0);
    expect(synth.stderr).toContain('/tools/synth/synth.js loaded with tsx registered: false');
    expect(JSON.parse(synth.stdout)).toHaveProperty('resources');
    // A mistyped flag is told without loading what the command would run with.
    for (const [command, heavy] of [['synth', '/tools/synth/synth.js'], ['start', '/local/start.js'], ['client', '/tools/client/generate.js'], ['build', '/bundle/bundle.js'], ['conformance', '/tools/conformance/run.js']]) {
      const wrong = await runProcess(process.execPath, [CLI, command!, '--bogus'], { cwd: PARCELS.dir, env, timeoutMs: 60_000 });
      expect(wrong.stderr, command).toMatch(/Unknown argument "--bogus"/);
      expect(wrong.stderr, command).not.toContain(heavy!);
    }
  });

  it('the bin keeps V8’s compiled code in Node’s compile cache (under the temporary folder), and NODE_DISABLE_COMPILE_CACHE turns it off', { timeout: 60_000 }, async () => {
    for (const disabled of [false, true]) {
      const tmp = mkdtempSync(path.join(dir, 'tmp-'));
      const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
      delete env.NODE_COMPILE_CACHE;
      delete env.NODE_DISABLE_COMPILE_CACHE;
      if (disabled) env.NODE_DISABLE_COMPILE_CACHE = '1';
      const run = await runProcess(process.execPath, [CLI, '--help'], { cwd: dir, env, timeoutMs: 60_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(readdirSync(tmp).includes('node-compile-cache'), disabled ? 'disabled' : 'enabled').toBe(!disabled);
    }
  });
});
