import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgramLoadError } from '../../../../infra/src/errors';
import { assertPulumiCanLoad, programRuntime, unloadableImports } from '../../../../infra/src/tools/synth/program-load';
import { writeFiles } from '../../../support/plain-koa-app';
import { CLI, ROOT, runProcess } from '../../../support/process';

/**
 * synth loads the program through tsx, which finds `./src/app` in an ES module; pulumi up, with Pulumi's own
 * TypeScript support and no loader of the project's, does not (Node's ES module resolution, ts-node's TS2835), so
 * synth refuses such a program as pulumi up would, naming the file, the line and the fix
 * (infra/src/tools/synth/program-load.ts). tests/product/cli/adoption.test.ts shows the same program failing under
 * @pulumi/pulumi's own runner.
 */
let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

const PULUMI_TS_NODE = 'name: shop\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n';
const PULUMI_TSX = 'name: shop\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    nodeargs: --import tsx\n';

/** A project: an ES module unless `type` says otherwise; its descriptor imports `./src/app` written as `specifier`. */
function project(options: { type?: 'module' | 'commonjs'; pulumi?: string; specifier?: string; files?: Record<string, string> } = {}): string {
  root = mkdtempSync(path.join(tmpdir(), 'program-load-'));
  writeFiles(root, {
    'package.json': `${JSON.stringify({ name: 'shop', type: options.type ?? 'module' })}\n`,
    'Pulumi.yaml': options.pulumi ?? PULUMI_TS_NODE,
    'index.ts': "import { deployApp } from 'koa-apigateway/pulumi';\n\nexport const { url } = deployApp();\n",
    'app.config.ts': `import { defineApp } from 'koa-apigateway';\nimport { createApp } from '${options.specifier ?? './src/app'}';\n\nexport default defineApp({ name: 'shop', title: 'Shop', version: '1.0.0', createApp: () => createApp(), lambda: 'src/lambda.ts', watch: ['src'] });\n`,
    'src/app.ts': "import Koa from 'koa';\nimport { mountRoutes } from './routes/index.js';\n\nexport function createApp(): Koa {\n  const app = new Koa();\n  mountRoutes(app);\n  return app;\n}\n",
    'src/routes/index.ts': "import type Koa from 'koa';\n\nexport function mountRoutes(app: Koa): void {\n  void app;\n}\n",
    'src/lambda.ts': "import { lambdaHandler } from 'koa-apigateway/lambda';\nimport { createApp } from './app';\n\nexport const handler = lambdaHandler(createApp());\n",
    ...options.files,
  });
  return root;
}

const check = (dir: string) => assertPulumiCanLoad(dir, path.join(dir, 'index.ts'), path.join(dir, 'app.config.ts'));

describe('an ES module program loaded by Pulumi’s own TypeScript support', () => {
  it('a relative import without its file name is refused: the file, the line, the import and both fixes', async () => {
    const dir = project();
    const error = await check(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProgramLoadError);
    expect((error as Error).message).toBe(
      "pulumi up could not load index.ts: app.config.ts:2 imports './src/app', without its file extension. " +
        'This package is an ES module ("type": "module" in package.json) and Pulumi.yaml loads the program with Pulumi\'s own TypeScript support (ts-node), where Node finds a relative import only by its full file name and ts-node\'s type-check refuses it (TS2835); synth loads it through tsx, which does not. ' +
        "Fix: write './src/app.js' (TypeScript maps .js to the .ts source), or load the program through tsx: under runtime.options in Pulumi.yaml set `typescript: false` and `nodeargs: --import tsx` (and npm install --save-dev tsx).",
    );
  });

  it('the app’s own imports are read too, through the descriptor: a folder import names its index file; the Lambda entry (bundled by esbuild) is not read', async () => {
    const dir = project({ specifier: './src/app.js', files: { 'src/app.ts': "import Koa from 'koa';\nimport { mountRoutes } from './routes';\n\nexport function createApp(): Koa {\n  mountRoutes();\n  return new Koa();\n}\n", 'src/routes/index.ts': 'export function mountRoutes(): void {}\n' } });
    expect(await unloadableImports(dir, [path.join(dir, 'index.ts'), path.join(dir, 'app.config.ts')])).toEqual([{ file: 'src/app.ts', line: 2, specifier: './routes', fix: './routes/index.js' }]);
  });

  it('full file names pass: .js for a .ts source, and the file’s own name', async () => {
    const dir = project({ specifier: './src/app.js', files: { 'src/extra.ts': 'export const extra = 1;\n', 'index.ts': "import { deployApp } from 'koa-apigateway/pulumi';\nimport { extra } from './src/extra.ts';\n\nexport const { url } = deployApp();\nexport const n = extra;\n" } });
    await expect(check(dir)).resolves.toBeUndefined();
  });
});

describe('programs Pulumi loads some other way are not refused', () => {
  it('loaded through tsx (nodeargs: --import tsx, as init writes it for an ES module): resolved as synth resolves it', async () => {
    expect(programRuntime(project({ pulumi: PULUMI_TSX }))).toEqual({ typescript: false, nodeargs: '--import tsx' });
    await expect(check(root!)).resolves.toBeUndefined();
  });

  it('a CommonJS project: require finds ./src/app', async () => {
    await expect(check(project({ type: 'commonjs' }))).resolves.toBeUndefined();
  });

  it('runtime: nodejs alone is Pulumi’s TypeScript support with no nodeargs', async () => {
    expect(programRuntime(project({ pulumi: 'name: shop\nruntime: nodejs\n' }))).toEqual({ typescript: true, nodeargs: '' });
    await expect(check(root!)).rejects.toBeInstanceOf(ProgramLoadError);
  });
});

describe('koa-apigateway synth refuses it in one line, exit 1, before running the program', () => {
  it('names the import and the fix', { timeout: 60_000 }, async () => {
    const dir = project({ files: { 'Pulumi.dev.yaml': 'config:\n  aws:region: us-east-1\n' } });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const run = await runProcess(process.execPath, [CLI, 'synth'], { cwd: dir, timeoutMs: 60_000 });
    expect(run.status, run.stdout).toBe(1);
    expect(run.stderr.trim()).toMatch(/^synth failed: pulumi up could not load index\.ts: app\.config\.ts:2 imports '\.\/src\/app', without its file extension\. .* Fix: write '\.\/src\/app\.js' /);
  });
});
