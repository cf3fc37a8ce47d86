import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { loadAppFile } from '../../../infra/src/app/load';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { VisibleError } from '../../../infra/src/errors';
import { initProject, lambdaField } from '../../../infra/src/init/init';
import { formatReport } from '../../../infra/src/cli/commands/init';
import { InitError, installLine, planScripts, projectNames } from '../../../infra/src/init/package-json';
import { PLAIN_PACKAGE_NAME, PLAIN_PROJECT_NAME, plainKoaAppFiles, PLAIN_ROUTES, writeFiles } from '../../support/plain-koa-app';
import { CLI, ROOT, runProcess } from '../../support/process';

/**
 * `koa-apigateway init` on small Koa projects written into temporary folders (infra/src/init/init.ts): what it
 * writes, what it never touches, what it finds of the app, and what it asks the user to fill in and install.
 */
let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A temporary project holding `files`; `linked` links this repository's node_modules in (the package and its peers installed). */
function project(files: Record<string, string>, options: { linked?: boolean } = {}): string {
  root = mkdtempSync(path.join(tmpdir(), 'init-'));
  writeFiles(root, files);
  if (options.linked) symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

const read = (file: string) => readFileSync(path.join(root!, file), 'utf8');
const packageJson = () => JSON.parse(read('package.json')) as { scripts: Record<string, string> };

/** Every file of the project but node_modules, with its text and modification time. */
function snapshot(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const file = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.name === 'node_modules') continue;
    if (entry.isDirectory()) Object.assign(out, snapshot(dir, file));
    else out[file] = `${statSync(path.join(dir, file)).mtimeMs} ${readFileSync(path.join(dir, file), 'utf8')}`;
  }
  return out;
}

const FACTORY = "import Koa from 'koa';\nexport function createApp() {\n  const app = new Koa();\n  return app;\n}\n";
const PACKAGE = `${JSON.stringify({ name: 'shop', version: '2.0.0' })}\n`;

describe('init in a plain Koa project', () => {
  it('writes Pulumi.yaml (named from package.json, its program, TypeScript, no config block), the dev stack and the program', () => {
    const dir = project(plainKoaAppFiles());
    const report = initProject(dir);
    expect(report.unchanged).toBe(false);
    const pulumi = parseYaml(read('Pulumi.yaml')) as Record<string, unknown>;
    // Its tsconfig.json says "module": "commonjs": Pulumi compiles with a tsconfig of its own (below).
    expect(pulumi).toEqual({ name: PLAIN_PROJECT_NAME, description: 'Notes, a small Koa API', main: 'index.ts', runtime: { name: 'nodejs', options: { typescript: true, tsconfig: 'tsconfig.pulumi.json', packagemanager: 'npm' } } });
    // No defaults frozen in the user's file: the package's settings table applies them; the comment says where they are.
    expect(read('Pulumi.yaml')).toContain('docs/configuration.md');
    expect(read('Pulumi.yaml')).toContain(`${PLAIN_PROJECT_NAME}:rateLimit`);
    expect(parseYaml(read('Pulumi.dev.yaml'))).toEqual({ config: { 'aws:region': 'us-east-1' } });
    expect(read('index.ts')).toContain("import { deployApp } from 'koa-apigateway/pulumi';");
    expect(read('index.ts')).toContain('export const { url, apiKey, routes, authorization, functions } = deployApp();');
  });

  it('writes app.config.ts calling the factory it found, and the Lambda entry beside it', () => {
    const dir = project(plainKoaAppFiles());
    const report = initProject(dir);
    const config = read('app.config.ts');
    expect(config).toContain("import { defineApp } from 'koa-apigateway';");
    expect(config).toContain("import { createApp } from './src/app';");
    expect(config).toContain("name: 'notes-api',");
    expect(config).toContain("title: 'Notes_API',");
    expect(config).toContain("version: '1.4.0',");
    expect(config).toContain('createApp: () => createApp(),');
    expect(config).toContain("lambda: 'src/lambda.ts',");
    expect(config).toContain("watch: ['src'],");
    expect(read('src/lambda.ts')).toContain("import { lambdaHandler } from 'koa-apigateway/lambda';\nimport { createApp } from './app';\n\nexport const handler = lambdaHandler(createApp());");
    expect(report.findings).toEqual(['Found createApp (src/app.ts:11): it builds your Koa app. app.config.ts and the Lambda entry call it.']);
    expect(report.fillIns).toEqual([]);
    // The module that listens is the project's own entry, which nothing loaded by koa-apigateway imports: no warning.
    expect(report.findings.join('\n')).not.toContain('server.ts');
  });

  it('the descriptor it writes loads, and its app serves the project’s routes', () => {
    const dir = project(plainKoaAppFiles({ bodyParser: false }), { linked: true });
    initProject(dir);
    const app = loadAppFile(path.join(dir, 'app.config.ts'));
    expect(app).toMatchObject({ name: 'notes-api', title: 'Notes_API', version: '1.4.0', lambdaEntry: path.join(dir, 'src/lambda.ts'), watchDirs: [path.join(dir, 'src')] });
    expect(buildGatewaySpec(app.createApp({ userPool: false })).methods.map((m) => `${m.method} ${m.resourcePath}`).sort()).toEqual(PLAIN_ROUTES);
  });

  it('adds the npm scripts; a name the project uses (its start, its build) keeps its script, and ours goes under gateway:<name>', () => {
    const dir = project(plainKoaAppFiles());
    const report = initProject(dir);
    expect(packageJson().scripts).toEqual({
      build: 'tsc',
      start: 'node build/server.js',
      'gateway:start': 'koa-apigateway start',
      dev: 'koa-apigateway dev',
      synth: 'koa-apigateway synth',
      openapi: 'koa-apigateway openapi',
      conformance: 'koa-apigateway conformance',
      verify: 'koa-apigateway verify',
      client: 'koa-apigateway client',
      token: 'koa-apigateway token',
      'gateway:build': 'koa-apigateway build',
    });
    expect(report.actions).toContain('  "start" is the project\'s own (node build/server.js): koa-apigateway\'s is "gateway:start" (npm run gateway:start)');
    expect(report.actions).toContain('  "build" is the project\'s own (tsc): koa-apigateway\'s is "gateway:build" (npm run gateway:build)');
    expect(report.next[0]).toMatch(/^npm run gateway:start: /);
    // package.json keeps its fields, their order and its indentation.
    expect(read('package.json')).toMatch(/^\{\n {2}"name": "@acme\/Notes_API",\n {2}"version"/);
  });

  it('adds .local/ and dist/ to .gitignore, keeping what it holds', () => {
    project(plainKoaAppFiles());
    initProject(root!);
    expect(read('.gitignore')).toBe("node_modules/\nbuild/\n# koa-apigateway: the local gateway's keys, the Lambda bundle\n.local/\ndist/\n");
  });

  it('run twice, changes nothing the second time and says so', () => {
    const dir = project(plainKoaAppFiles());
    initProject(dir);
    const before = snapshot(dir);
    const again = initProject(dir);
    expect(snapshot(dir)).toEqual(before);
    expect(again.unchanged).toBe(true);
    expect(again.actions).toEqual(['kept Pulumi.yaml', 'kept tsconfig.pulumi.json', 'kept Pulumi.dev.yaml', 'kept index.ts', 'kept app.config.ts', 'kept src/lambda.ts (the Lambda entry app.config.ts names)', 'kept the npm scripts (every command has one)', 'kept .gitignore (it ignores .local/ and dist/)']);
  });
});

describe('init never overwrites a file', () => {
  it('keeps every file that exists (prints kept <file>), and adds only what .gitignore misses', () => {
    const dir = project({ 'package.json': PACKAGE, 'src/app.ts': FACTORY, 'Pulumi.dev.yaml': 'config:\n  aws:region: eu-west-1\n', 'app.config.ts': '// mine\n', '.gitignore': '/dist\n' });
    const report = initProject(dir);
    expect(report.actions).toContain('kept Pulumi.dev.yaml');
    expect(report.actions).toContain('kept app.config.ts');
    expect(read('Pulumi.dev.yaml')).toBe('config:\n  aws:region: eu-west-1\n');
    expect(read('app.config.ts')).toBe('// mine\n');
    // With the descriptor the project's own, init writes no Lambda entry for it.
    expect(existsSync(path.join(dir, 'src/lambda.ts'))).toBe(false);
    expect(read('.gitignore')).toBe("/dist\n# koa-apigateway: the local gateway's keys, the Lambda bundle\n.local/\n");
  });

  it("an index.ts of the project's own stays: the program is written as infra.ts, and Pulumi.yaml runs that", () => {
    const dir = project({ 'package.json': PACKAGE, 'index.ts': "export * from './src/app';\n", 'src/app.ts': FACTORY });
    initProject(dir);
    expect(read('index.ts')).toBe("export * from './src/app';\n");
    expect(read('infra.ts')).toContain('deployApp()');
    expect((parseYaml(read('Pulumi.yaml')) as { main: string }).main).toBe('infra.ts');
  });

  it('a Pulumi.yaml of the project’s own whose program is not the gateway’s: kept, and the report says what to change', () => {
    const dir = project({ 'package.json': `${JSON.stringify({ name: 'shop', main: 'src/server.ts' })}\n`, 'Pulumi.yaml': 'name: shop\nruntime: nodejs\n', 'src/app.ts': FACTORY, 'src/server.ts': "import { createApp } from './app';\ncreateApp().listen(3000);\n" });
    const report = initProject(dir);
    expect(read('Pulumi.yaml')).toBe('name: shop\nruntime: nodejs\n');
    // Pulumi runs package.json's main when Pulumi.yaml names none, as the Pulumi CLI does.
    expect(report.findings).toContain(
      'Pulumi.yaml runs src/server.ts, which does not deploy the app. Fix: make it the program (export const { url, apiKey } = deployApp(); from koa-apigateway/pulumi), or set `main: index.ts` in Pulumi.yaml and write index.ts so.',
    );
  });

  it("an app.config.ts of the project's own, no descriptor: kept, and the report says how to make room", () => {
    const dir = project({ 'package.json': PACKAGE, 'src/app.ts': FACTORY, 'app.config.ts': 'export const port = 3000;\n' });
    expect(initProject(dir).findings).toContain(
      "app.config.ts is the project's own (it does not call defineApp), and koa-apigateway reads its app descriptor from that name. Fix: rename yours (and its imports), then run koa-apigateway init again; or write the descriptor in another file and set KOA_APIGATEWAY_APP=<that file> for every command and for pulumi up.",
    );
    expect(read('app.config.ts')).toBe('export const port = 3000;\n');
  });

  it('a lambda.ts of another kind beside the factory stays: the entry is written as gateway-lambda.ts', () => {
    const dir = project({ 'package.json': PACKAGE, 'src/app.ts': FACTORY, 'src/lambda.ts': "import serverless from 'serverless-http';\nimport { createApp } from './app';\nexport const handler = serverless(createApp());\n" });
    initProject(dir);
    expect(read('src/lambda.ts')).toContain('serverless(createApp())');
    expect(read('src/gateway-lambda.ts')).toContain('export const handler = lambdaHandler(createApp());');
    expect(read('app.config.ts')).toContain("lambda: 'src/gateway-lambda.ts',");
  });

  it('uses a Lambda entry the project has already', () => {
    const dir = project({
      'package.json': PACKAGE,
      'src/app.ts': FACTORY,
      'src/handler.ts': "import { lambdaHandler } from 'koa-apigateway/lambda';\nimport { createApp } from './app';\nexport const handler = lambdaHandler(createApp());\n",
    });
    const report = initProject(dir);
    expect(read('app.config.ts')).toContain("lambda: 'src/handler.ts',");
    expect(existsSync(path.join(dir, 'src/lambda.ts'))).toBe(false);
    expect(report.actions).toContain("kept src/handler.ts (the project's Lambda entry: app.config.ts names it)");
  });

  it('run again after the Lambda entry was deleted: writes nothing, and says the entry app.config.ts names is missing and the fix', () => {
    const dir = project(plainKoaAppFiles());
    initProject(dir);
    rmSync(path.join(dir, 'src/lambda.ts'));
    const again = initProject(dir);
    expect(again.unchanged).toBe(true);
    expect(again.actions.filter((a) => a.includes('lambda'))).toEqual([]);
    expect(again.findings).toEqual([
      'app.config.ts names src/lambda.ts as the Lambda entry ("lambda"), which does not exist: build, synth and pulumi up would fail. Fix: write it (export const handler = lambdaHandler(createApp()), lambdaHandler from koa-apigateway/lambda), or point "lambda" at your entry.',
    ]);
    expect(formatReport(again).split('\n')[0]).toBe('koa-apigateway init: no file written; see below.');
  });
});

describe("lambdaField: the descriptor's own lambda, not a function group's", () => {
  it('takes the least indented lambda: field, whatever comes first', () => {
    expect(lambdaField("export default defineApp({\n  functions: {\n    admin: { routes: ['GET /a'], lambda: 'src/admin.ts' },\n  },\n  lambda: 'src/lambda.ts',\n});\n")).toBe('src/lambda.ts');
    expect(lambdaField('export default defineApp({\n  lambda: "src/handler.ts",\n});\n')).toBe('src/handler.ts');
    expect(lambdaField('export default defineApp({ name: "x" });\n')).toBeUndefined();
  });
});

describe("the tsconfig Pulumi compiles the program with (Pulumi's runner sets module and moduleResolution nodenext under the project's own)", () => {
  const tsconfig = (compilerOptions: Record<string, string> | undefined) =>
    project({ 'package.json': PACKAGE, 'src/app.ts': FACTORY, ...(compilerOptions ? { 'tsconfig.json': `{\n  // a comment, as tsconfig files have\n  "compilerOptions": ${JSON.stringify(compilerOptions)},\n}\n` } : {}) });

  it.each([
    ['"module": "commonjs" without moduleResolution (TypeScript refuses commonjs with nodenext resolution)', { module: 'commonjs', strict: 'true' }, '"module": "commonjs"'],
    ['"module": "esnext" with "moduleResolution": "bundler"', { module: 'esnext', moduleResolution: 'bundler' }, '"module": "esnext" and "moduleResolution": "bundler"'],
    ['"moduleResolution": "node10" alone (Pulumi\'s module nodenext refuses it)', { moduleResolution: 'node10' }, '"moduleResolution": "node10"'],
  ])('%s: a tsconfig.pulumi.json extending it, named in Pulumi.yaml with the reason', (_, options, reason) => {
    const report = initProject(tsconfig(options));
    expect(read('tsconfig.pulumi.json')).toContain('"extends": "./tsconfig.json",\n  "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext" }');
    expect((parseYaml(read('Pulumi.yaml')) as { runtime: { options: { tsconfig: string } } }).runtime.options.tsconfig).toBe('tsconfig.pulumi.json');
    expect(read('Pulumi.yaml')).toContain(`# tsconfig.json's ${reason} cannot pair with the nodenext module settings`);
    expect(report.actions).toContain(`wrote tsconfig.pulumi.json (tsconfig.json with module nodenext, for Pulumi: its ${reason} would make pulumi up fail)`);
  });

  it.each([
    ['no tsconfig.json', undefined],
    ['"module": "nodenext"', { module: 'nodenext' }],
    ['"module": "node16" and "moduleResolution": "node16"', { module: 'node16', moduleResolution: 'node16' }],
    ['no module settings', { target: 'ES2022' }],
  ])('%s: the project’s own serves, nothing more is written', (_, options) => {
    initProject(tsconfig(options));
    expect(existsSync(path.join(root!, 'tsconfig.pulumi.json'))).toBe(false);
    expect((parseYaml(read('Pulumi.yaml')) as { runtime: { options: Record<string, unknown> } }).runtime.options).not.toHaveProperty('tsconfig');
  });

  it('a Pulumi.yaml of the project’s own that names no tsconfig: the report says to add it', () => {
    const dir = project({ 'package.json': PACKAGE, 'src/app.ts': FACTORY, 'tsconfig.json': '{ "compilerOptions": { "module": "commonjs" } }', 'Pulumi.yaml': 'name: shop\nmain: index.ts\nruntime:\n  name: nodejs\n' });
    expect(initProject(dir).findings).toContain(
      'tsconfig.json\'s "module": "commonjs" cannot pair with the nodenext module settings of Pulumi\'s TypeScript compile, so pulumi up would fail (TypeScript refuses the mix). Fix: add `tsconfig: tsconfig.pulumi.json` under runtime.options in Pulumi.yaml.',
    );
  });
});

describe('the app’s factory, however the project writes it', () => {
  it('a default export is imported under its own name; a factory at the root is watched from the root', () => {
    project({ 'package.json': PACKAGE, 'app.ts': "import Koa from 'koa';\nexport default function buildApi() {\n  return new Koa();\n}\n" });
    initProject(root!);
    expect(read('app.config.ts')).toContain("import buildApi from './app';");
    expect(read('app.config.ts')).toContain('createApp: () => buildApi(),');
    expect(read('app.config.ts')).toContain("watch: ['.'],");
    expect(read('lambda.ts')).toContain("import buildApi from './app';");
  });

  it('a factory with required parameters is called with a marked argument list, and the report lists both places', () => {
    project({ 'package.json': PACKAGE, 'src/app.ts': "import Koa from 'koa';\nexport function createApp(config: { db: string }) {\n  return new Koa();\n}\n" });
    const report = initProject(root!);
    expect(read('app.config.ts')).toContain('createApp: () => createApp(/* FILL IN: the arguments createApp needs */),');
    expect(report.fillIns.map((f) => `${f.file}:${f.line}`)).toEqual([`app.config.ts:${lineOf('app.config.ts', 'FILL IN')}`, `src/lambda.ts:${lineOf('src/lambda.ts', 'FILL IN')}`]);
    expect(report.next[0]).toBe(
      `first fill in app.config.ts (line ${lineOf('app.config.ts', 'FILL IN')}) and src/lambda.ts (line ${lineOf('src/lambda.ts', 'FILL IN')}), marked FILL IN: pass the arguments createApp needs where they call it.`,
    );
  });
});

/** The 1-based line of the first line of `file` (in the current project) containing `text`. */
function lineOf(file: string, text: string): number {
  return read(file).split('\n').findIndex((l) => l.includes(text)) + 1;
}

describe('where init cannot find the factory, it marks the place and says exactly what to fill in', () => {
  const fillInCase = (files: Record<string, string>) => {
    const dir = project({ 'package.json': PACKAGE, ...files }, { linked: true });
    const report = initProject(dir);
    expect(read('app.config.ts')).toContain('// FILL IN: import the function that returns your Koa app');
    // The entry goes in the folder dev watches (src/), where app.config.ts names it, so editing it restarts dev.
    expect(read('src/lambda.ts')).toContain('// FILL IN: return your Koa app here');
    expect(read('app.config.ts')).toContain("lambda: 'src/lambda.ts',");
    expect(read('app.config.ts')).toContain("watch: ['src'],");
    expect(report.fillIns.map((f) => f.file)).toEqual(['app.config.ts', 'app.config.ts', 'src/lambda.ts', 'src/lambda.ts']);
    for (const f of report.fillIns) expect(read(f.file).split('\n')[f.line - 1]).toContain('FILL IN');
    // What to do next starts with those places, by file and line, and what goes there; then the commands.
    const lines = (file: string) => report.fillIns.filter((f) => f.file === file).map((f) => f.line).join(', ');
    expect(report.next[0]).toMatch(new RegExp(`^first fill in app\\.config\\.ts \\(lines ${lines('app.config.ts')}\\) and src/lambda\\.ts \\(lines ${lines('src/lambda.ts')}\\), marked FILL IN: .+\\. Until then every command below stops at createApp\\.$`));
    expect(report.next[1]).toMatch(/^npm start: /);
    return report;
  };

  it('none: the descriptor still loads, and a command using it fails in one line naming app.config.ts and the fix', async () => {
    const report = fillInCase({ 'src/routes.ts': "export const routes = [];\n" });
    expect(report.findings[0]).toMatch(/^Found no exported function that builds your Koa app \(new Koa\(\) inside it\)\. Fix: export one/);
    expect(report.next[0]).toContain(': export a function that builds your Koa app and returns it without listening (export function createApp() { const app = new Koa(); ...; return app; }), then import it in both files and return its app there.');
    expect(loadAppFile(path.join(root!, 'app.config.ts')).watch).toEqual(['src']);
    // Through the bin, as the user meets it (the descriptor's VisibleError is the installed package's class).
    const run = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: root!, env: { ...process.env, OUT: path.join(root!, 'openapi.json') }, timeoutMs: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^koa-apigateway openapi: app\.config\.ts: createApp is not filled in\. Fix: import the function that returns your Koa app/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('several: each is named with its file and line', () => {
    const report = fillInCase({ 'src/app.ts': FACTORY, 'src/admin.ts': FACTORY.replace('createApp', 'createAdminApp') });
    expect(report.findings[0]).toBe('Several functions build a Koa app: createAdminApp (src/admin.ts:2), createApp (src/app.ts:2). Choose the one to deploy where app.config.ts and the Lambda entry are marked FILL IN.');
    expect(read('app.config.ts')).toContain('// koa-apigateway init found several functions that build a Koa app: createAdminApp (src/admin.ts:2), createApp (src/app.ts:2).');
    expect(report.next[0]).toContain(': import the one to deploy (createAdminApp or createApp) in both files and return its app there.');
  });

  it('a factory whose module listens when imported: named, with the line of the listen and what to do', () => {
    const report = fillInCase({ 'src/app.ts': `${FACTORY}\ncreateApp().listen(3000);\n` });
    expect(report.findings).toContain('createApp (src/app.ts:2) builds your app, but its module calls listen when imported (line 7): move the listen out (below), then return createApp() from createApp in app.config.ts.');
    expect(report.findings.some((f) => f.startsWith('src/app.ts:7 calls listen when the module is imported. koa-apigateway imports your app to read its routes'))).toBe(true);
    expect(report.next[0]).toContain(': make createApp usable as said above, then import it in both files and return its app there.');
  });

  it('an async factory: createApp must return the app itself', () => {
    const report = fillInCase({ 'src/app.ts': FACTORY.replace('export function', 'export async function') });
    expect(report.findings).toContain(
      'createApp (src/app.ts:2) is async: createApp must return the app itself, not a promise (the routes are read synchronously). Fix: build the app synchronously, and open connections on the first request or in the Lambda entry.',
    );
  });

  it('an app built at import and exported as a value', () => {
    const report = fillInCase({ 'src/app.ts': "import Koa from 'koa';\nconst app = new Koa();\nexport default app;\n" });
    expect(report.findings).toContain('src/app.ts:2 exports a Koa app built when the module is imported, not a function that builds one: wrap it (export function createApp() { const app = new Koa(); ...; return app; }) so every use gets a fresh app.');
  });
});

describe('init in an ES module project ("type": "module"): imports Node can resolve, and a program Pulumi loads through tsx', () => {
  const ESM = { dependencies: { 'koa-apigateway': '^0.2.0', tsx: '^4.0.0' } };

  it('app.config.ts and the Lambda entry import the factory by its .js file name; Pulumi.yaml loads the program through tsx, ts-node off, no tsconfig of its own', () => {
    const report = initProject(project(plainKoaAppFiles({ esm: ESM })));
    expect(read('app.config.ts')).toContain("import { createApp } from './src/app.js';");
    expect(read('src/lambda.ts')).toContain("import { lambdaHandler } from 'koa-apigateway/lambda';\nimport { createApp } from './app.js';\n");
    expect((parseYaml(read('Pulumi.yaml')) as { runtime: unknown }).runtime).toEqual({ name: 'nodejs', options: { typescript: false, nodeargs: '--import tsx', packagemanager: 'npm' } });
    expect(read('Pulumi.yaml')).toContain('# This package is an ES module ("type": "module" in package.json)');
    expect(existsSync(path.join(root!, 'tsconfig.pulumi.json'))).toBe(false);
    expect(report.actions).toContain('wrote Pulumi.yaml (project notes-api, program index.ts, an ES module loaded through tsx: nodeargs --import tsx)');
  });

  it('what it writes type-checks under the project’s nodenext tsconfig (TS2835 refused ./src/app)', { timeout: 120_000 }, () => {
    const dir = project(plainKoaAppFiles({ esm: ESM }), { linked: true });
    initProject(dir);
    const files = ['app.config.ts', 'src/lambda.ts'].map((f) => path.join(dir, f));
    const program = ts.createProgram(files, { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true, types: [] });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(dir, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(errors).toEqual([]);
  });

  it('the descriptor it writes loads, and its app serves the project’s routes', () => {
    const dir = project(plainKoaAppFiles({ bodyParser: false, esm: ESM }), { linked: true });
    initProject(dir);
    const app = loadAppFile(path.join(dir, 'app.config.ts'));
    expect(buildGatewaySpec(app.createApp({ userPool: false })).methods.map((m) => `${m.method} ${m.resourcePath}`).sort()).toEqual(PLAIN_ROUTES);
  });

  it('a factory to fill in: the example import names its .js file', () => {
    project({ 'package.json': `${JSON.stringify({ name: 'shop', type: 'module' })}\n`, 'src/routes.ts': 'export const routes = [];\n' });
    initProject(root!);
    expect(read('app.config.ts')).toContain("// FILL IN: import the function that returns your Koa app, e.g. import { createApp } from './src/app.js';");
  });

  it('tsx must be the project’s own (pnpm does not hoist koa-apigateway’s): on the install line until package.json has it', () => {
    const report = initProject(project({ 'package.json': `${JSON.stringify({ name: 'shop', type: 'module', dependencies: { 'koa-apigateway': '^0.2.0' } })}\n`, 'src/app.ts': FACTORY }, { linked: true }));
    expect(report.install).toBe('npm install --save-dev tsx');
    expect(report.installReasons).toEqual(['not in package.json: tsx']);
    rmSync(root!, { recursive: true, force: true });
    expect(initProject(project(plainKoaAppFiles({ esm: ESM }), { linked: true })).install).toBeUndefined();
  });

  it.each([
    ['Pulumi’s own TypeScript support', "runtime:\n  name: nodejs\n  options:\n    typescript: true\n", "with Pulumi's own TypeScript support (ts-node)"],
    ['another loader', "runtime:\n  name: nodejs\n  options:\n    nodeargs: --loader ts-node/esm\n", 'through its own nodeargs (--loader ts-node/esm)'],
  ])('a Pulumi.yaml of the project’s own loading the program with %s: kept, and the report says how to load it through tsx', (_, runtime, how) => {
    const dir = project({ ...plainKoaAppFiles({ esm: ESM }), 'Pulumi.yaml': `name: notes\nmain: index.ts\n${runtime}` });
    const finding = initProject(dir).findings.find((f) => f.startsWith('package.json says "type": "module"'));
    expect(finding).toContain(`and Pulumi.yaml loads index.ts ${how}, not through tsx as koa-apigateway synth and the other commands do`);
    expect(finding).toMatch(/Fix: under runtime\.options in Pulumi\.yaml, set `typescript: false` and `nodeargs: --import tsx` \(as init writes it; tsx is then a devDependency\)\.$/);
    rmSync(root!, { recursive: true, force: true });
    project({ ...plainKoaAppFiles({ esm: ESM }), 'Pulumi.yaml': 'name: notes\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    nodeargs: --import tsx\n' });
    expect(initProject(root!).findings.filter((f) => f.startsWith('package.json says'))).toEqual([]);
  });
});

describe('what the project must install: one command line', () => {
  it('everything missing: the package, its peers, TypeScript 5 and Koa’s types', () => {
    const report = initProject(project({ 'package.json': PACKAGE, 'src/app.ts': FACTORY }));
    expect(report.install).toBe('npm install koa-apigateway koa @koa/router typebox @pulumi/pulumi @pulumi/aws && npm install --save-dev typescript@5 @types/koa');
  });

  it('installed but for koa-apigateway, run through npx and in no package.json field: that one', () => {
    const report = initProject(project({ 'package.json': PACKAGE, 'src/app.ts': FACTORY }, { linked: true }));
    expect(report.install).toBe('npm install koa-apigateway');
    expect(report.installReasons).toEqual(['not in package.json: koa-apigateway']);
  });

  it('nothing missing: no line', () => {
    const report = initProject(project({ 'package.json': `${JSON.stringify({ name: 'shop', dependencies: { 'koa-apigateway': '^0.2.0' } })}\n`, 'src/app.ts': FACTORY }, { linked: true }));
    expect(report.install).toBeUndefined();
  });

  it('TypeScript 7, which Pulumi’s ts-node cannot compile with: typescript@5', () => {
    const dir = project({ 'package.json': `${JSON.stringify({ name: 'shop', dependencies: { 'koa-apigateway': '^0.2.0' } })}\n`, 'src/app.ts': FACTORY });
    for (const name of ['koa-apigateway', 'koa', '@koa/router', 'typebox', '@pulumi/pulumi', '@pulumi/aws', '@types/koa', 'typescript']) {
      mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
      writeFileSync(path.join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: name === 'typescript' ? '7.0.2' : '1.0.0' }));
    }
    const report = initProject(dir);
    expect(report.install).toBe('npm install --save-dev typescript@5');
    expect(report.installReasons).toEqual(["7.0.2 installed; Pulumi's ts-node needs TypeScript below 7: typescript"]);
  });

  it('in the project’s package manager (its lock file)', () => {
    expect(installLine([{ name: 'koa', spec: 'koa', dev: false, reason: '' }, { name: '@types/koa', spec: '@types/koa', dev: true, reason: '' }], 'pnpm')).toBe('pnpm add koa && pnpm add -D @types/koa');
    const dir = project({ 'package.json': PACKAGE, 'yarn.lock': '', 'src/app.ts': FACTORY });
    expect(initProject(dir).install).toMatch(/^yarn add koa-apigateway .* && yarn add -D typescript@5 @types\/koa$/);
    expect(read('Pulumi.yaml')).toContain('packagemanager: yarn');
  });
});

describe('names and scripts', () => {
  it('the Pulumi project and the descriptor are named from package.json, made valid', () => {
    expect(projectNames({ name: '@acme/Notes_Service' }, '/x')).toEqual({ project: 'notes-service', app: 'notes-service', title: 'Notes_Service' });
    expect(projectNames({ name: '3d-printer.api' }, '/x')).toEqual({ project: 'app-3d-printer-api', app: 'app-3d-printer-api', title: '3d-printer.api' });
    expect(projectNames({ name: 'a-rather-long-service-name-for-orders' }, '/x').app).toBe('a-rather-long-service-na');
    expect(projectNames({}, '/home/me/My Shop')).toEqual({ project: 'my-shop', app: 'my-shop', title: 'My Shop' });
  });

  it('a script already calling the command is left as it is, wherever it is', () => {
    expect(planScripts({ start: 'koa-apigateway start', 'gateway:build': 'koa-apigateway build', build: 'tsc' }).filter((s) => s.kind === 'present').map((s) => s.name)).toEqual(['start', 'gateway:build']);
    expect(planScripts({ start: 'a', 'gateway:start': 'b' })[0]).toEqual({ kind: 'renamed', name: 'koa-apigateway:start', command: 'koa-apigateway start', taken: 'start', theirs: 'a' });
  });
});

describe('a project init cannot read: an InitError (a VisibleError) naming the fix', () => {
  it.each([
    ['no package.json', {}, /^There is no package\.json in .*\. Fix: run koa-apigateway init in your Koa project's folder/],
    ['package.json that is not JSON', { 'package.json': '{ name: shop }' }, /^package\.json is not valid JSON \(.*\)\. Fix: correct it/],
    ['package.json that is an array', { 'package.json': '[]' }, /^package\.json is not a JSON object\. Fix: /],
  ])('%s', (_, files, message) => {
    const dir = project(files);
    let error: unknown;
    try {
      initProject(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InitError);
    expect(error).toBeInstanceOf(VisibleError);
    expect((error as Error).message).toMatch(message);
    expect(readdirSync(dir)).toEqual(Object.keys(files));
  });
});

// The names init derives from the plain app, as its tests expect them.
it('the plain app is named as its package says', () => {
  expect(projectNames({ name: PLAIN_PACKAGE_NAME }, '/x').project).toBe(PLAIN_PROJECT_NAME);
});
