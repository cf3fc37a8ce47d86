import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The product's tests (tests/product/) never use the repository's example as their subject: their subjects are the
 * fixture apps (tests/support/apps/). So no file of tests/product/, nor of tests/support/ that they import, imports
 * or names the example (service/, the root's app.config.ts and index.ts, tests/example/), and every command they
 * start runs in a fixture project, never in the repository root, whose app is the example. Deleting the example
 * then leaves the product's suite whole (tests/project/example-deleted.test.ts).
 */

/** True when `file` (absolute) is part of the example: service/, the root's app.config and index, or its tests. */
export function isExamplePath(file: string): boolean {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  return rel === 'service' || rel.startsWith('service/') || /^(app\.config|index)(\.[cm]?[jt]s)?$/.test(rel) || rel === 'tests/example' || rel.startsWith('tests/example/');
}

/**
 * The product's functions that read the project in the current directory (its Pulumi.yaml, stack files and
 * app.config.ts: the repository root's, the example, when tests run) unless a call says which: the option keys of
 * argument `argument` that make it say so (any one group, all its keys). A call may be exempted by a comment
 * `example-free: <why>` on its line or the line above (a test that first moves into a fixture project).
 */
const CWD_DEFAULTS: Record<string, { argument: number; keys: string[][] }> = {
  loadApp: { argument: 0, keys: [['APP_VARIABLE'], ["'KOA_APIGATEWAY_APP'"], ['KOA_APIGATEWAY_APP']] },
  readStackSettings: { argument: 0, keys: [['root', 'app']] },
  readStackConfig: { argument: 0, keys: [['root']] },
  loadStack: { argument: 0, keys: [['root', 'app']] },
  loadApi: { argument: 0, keys: [['root', 'app']] },
  bundleLambda: { argument: 0, keys: [['app'], ['root']] },
  loadApiDocument: { argument: 0, keys: [['file'], ['root', 'app']] },
  startLocal: { argument: 0, keys: [['root', 'app']] },
  deployApp: { argument: 0, keys: [['app']] },
  projectRoot: { argument: 0, keys: [] },
  defaultAppFile: { argument: 0, keys: [] },
  projectDeclaredKeys: { argument: 0, keys: [] },
  assertStackExists: { argument: 1, keys: [] },
};

/** The support modules whose `ROOT` export is the repository root. */
const ROOT_EXPORTERS = ['tests/support/process.ts', 'tests/support/files.ts'].map((f) => path.join(ROOT, f));

/**
 * Returns what `file` (absolute; `source` its text) does with the example, one line per finding
 * (`<file>:<line>: <what>`): an import of it (`from`, `export from`, `require`, `import()`, `vi.mock`), a path that
 * names it (a relative literal, a `path.join`/`path.resolve` of known parts, a literal such as 'service/app.ts'), or
 * a process started through tests/support/process.ts (`startProcess`, `runProcess`) without a `cwd`, or in the
 * repository root (`ROOT`, `process.cwd()`, `path.resolve(__dirname, '../..')`...). `checkSpawns` false skips the
 * last check (for the process helper itself).
 */
export function exampleUses(file: string, source: string, checkSpawns = true): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const dir = path.dirname(file);
  const found = new Set<string>();
  const at = (node: ts.Node, what: string) => found.add(`${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}: ${what}`);

  // What the file's identifiers stand for: `const X = <expression>`, and `ROOT` imported from the support modules.
  const bindings = new Map<string, ts.Expression>();
  const rootNames = new Set<string>();
  /** Local name → exported name of the product's functions the file imports (from infra/src or koa-apigateway). */
  const productFunctions = new Map<string, string>();
  const collect = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && !bindings.has(node.name.text)) bindings.set(node.name.text, node.initializer);
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.importClause?.namedBindings && ts.isNamedImports(node.importClause.namedBindings)) {
      const specifier = node.moduleSpecifier.text;
      const target = resolveModule(dir, specifier);
      for (const e of node.importClause.namedBindings.elements) {
        if (target && ROOT_EXPORTERS.includes(target) && (e.propertyName ?? e.name).text === 'ROOT') rootNames.add(e.name.text);
        const fromProduct = specifier.startsWith('koa-apigateway') || (target !== undefined && target.startsWith(path.join(ROOT, 'infra', 'src') + path.sep));
        if (fromProduct) productFunctions.set(e.name.text, (e.propertyName ?? e.name).text);
      }
    }
    ts.forEachChild(node, collect);
  };
  collect(sf);

  /** The string `node` evaluates to, when it is made of literals, `__dirname`, the root and known bindings only. */
  const evaluate = (node: ts.Expression, depth = 0): string | undefined => {
    if (depth > 20) return undefined;
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) return evaluate(node.expression, depth + 1);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isIdentifier(node)) {
      if (node.text === '__dirname') return dir;
      if (rootNames.has(node.text)) return ROOT;
      const bound = bindings.get(node.text);
      return bound ? evaluate(bound, depth + 1) : undefined;
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(sf);
      if (callee === 'process.cwd' && node.arguments.length === 0) return ROOT; // the tests run in the repository root
      const fn = { 'path.join': path.join, 'path.resolve': (...parts: string[]) => path.resolve(ROOT, ...parts), 'path.dirname': path.dirname }[callee];
      if (!fn) return undefined;
      const parts = node.arguments.map((a) => evaluate(a, depth + 1));
      return parts.every((p): p is string => p !== undefined) ? (fn as (...p: string[]) => string)(...parts) : undefined;
    }
    return undefined;
  };

  const checkModule = (node: ts.Node, specifier: ts.Expression | undefined) => {
    const text = specifier && evaluate(specifier);
    if (text === undefined) return;
    const target = text.startsWith('.') ? path.resolve(dir, text) : path.isAbsolute(text) ? text : undefined;
    if (target && isExamplePath(target)) at(node, `imports the example (${text})`);
  };

  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) checkModule(node, node.moduleSpecifier);
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(sf);
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword || callee === 'require' || callee === 'vi.mock' || callee === 'require.resolve') checkModule(node, node.arguments[0]);
      else if (callee === 'path.join' || callee === 'path.resolve') {
        const value = evaluate(node);
        if (value !== undefined && isExamplePath(value)) at(node, `names the example (${path.relative(ROOT, value)})`);
      } else if (checkSpawns && (callee === 'startProcess' || callee === 'runProcess')) checkSpawn(node);
      else if (ts.isIdentifier(node.expression) && productFunctions.has(callee)) checkDefault(node, productFunctions.get(callee)!);
    }
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && !isModuleSpecifier(node) && !isEvaluatedPathPart(node)) {
      const text = node.text;
      if (/^\.\.?\//.test(text) && isExamplePath(path.resolve(dir, text))) at(node, `names the example (${text})`);
      else if (/^(?:\.\/)?(?:service\/|tests\/example(?:\/|$))/.test(text)) at(node, `names the example (${text})`);
    }
    ts.forEachChild(node, visit);
  };

  /** A call of the product that reads the project in the current directory unless told which (see CWD_DEFAULTS). */
  const checkDefault = (call: ts.CallExpression, name: string) => {
    const needs = CWD_DEFAULTS[name];
    if (!needs) return;
    const line = sf.getLineAndCharacterOfPosition(call.getStart(sf)).line;
    if (source.split('\n').slice(Math.max(0, line - 1), line + 1).some((l) => l.includes('example-free:'))) return;
    const options = call.arguments[needs.argument];
    if (needs.keys.length === 0) {
      if (!options) at(call, `calls ${name} without its root: it would read the project in the current directory (the repository root, whose app is the example)`);
      return;
    }
    const keys = options && ts.isObjectLiteralExpression(options) ? options.properties.map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : p.name && ts.isComputedPropertyName(p.name) ? p.name.expression.getText(sf) : '')) : undefined;
    if (options && !keys) return at(call, `calls ${name} with options not written out: write which project or app it reads in the call`);
    if (!keys || !needs.keys.some((group) => group.every((k) => keys.includes(k)))) {
      at(call, `calls ${name} without ${needs.keys.map((g) => g.join(' and ')).join(' or ')}: it would read the project in the current directory (the repository root, whose app is the example)`);
    }
  };

  /** True for a part of a `path.join`/`path.resolve` the check above evaluates whole (reported once, as the call). */
  const isEvaluatedPathPart = (node: ts.Node) =>
    ts.isCallExpression(node.parent) && ['path.join', 'path.resolve'].includes(node.parent.expression.getText(sf)) && evaluate(node.parent) !== undefined;

  const checkSpawn = (call: ts.CallExpression) => {
    const options = call.arguments[2];
    if (!options) return at(call, 'starts a process without a cwd: it would run in the repository root, whose app is the example');
    if (!ts.isObjectLiteralExpression(options)) return at(call, 'starts a process with options not written out: write its cwd (a fixture project) in the call');
    const cwd = options.properties.find((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'cwd');
    if (!cwd) return at(call, 'starts a process without a cwd: it would run in the repository root, whose app is the example');
    const value = ts.isPropertyAssignment(cwd) ? evaluate(cwd.initializer) : ts.isShorthandPropertyAssignment(cwd) ? evaluate(cwd.name) : undefined;
    if (value !== undefined && path.resolve(ROOT, value) === ROOT) at(call, 'starts a process in the repository root, whose app is the example: run it in a fixture project');
  };

  visit(sf);
  return [...found];
}

/** True for the string of an import, export, require or dynamic import (checked as a module, not as a path). */
function isModuleSpecifier(node: ts.Node): boolean {
  const parent = node.parent;
  if ((ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) && parent.moduleSpecifier === node) return true;
  return ts.isCallExpression(parent) && parent.arguments[0] === node && (parent.expression.kind === ts.SyntaxKind.ImportKeyword || ['require', 'vi.mock', 'require.resolve'].includes(parent.expression.getText()));
}

/** The file a relative module specifier names from `dir` (TypeScript's resolution of `./x`, `./x.js`, `./x/index`), or undefined. */
function resolveModule(dir: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(dir, specifier);
  const candidates = [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), `${base}.mts`, `${base}.cts`, path.join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** The product's test files, and the files of tests/support/ they import, directly or not. */
function productTestFiles(): string[] {
  const files = new Set<string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(?:[cm]?ts|[cm]?js)$/.test(entry.name)) files.add(full);
    }
  };
  walk(path.join(ROOT, 'tests/product'));
  // What runs around every test file of the suite: the global setup and the setup file.
  for (const f of ['tests/global-setup.ts', 'tests/support/process-cleanup.ts']) files.add(path.join(ROOT, f));
  const queue = [...files];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const specifiers: string[] = [];
    const find = (node: ts.Node) => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
      if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || node.expression.getText(sf) === 'require') && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) specifiers.push(node.arguments[0].text);
      ts.forEachChild(node, find);
    };
    find(sf);
    for (const specifier of specifiers) {
      const target = resolveModule(path.dirname(file), specifier);
      if (target && target.startsWith(path.join(ROOT, 'tests/support') + path.sep) && !files.has(target)) {
        files.add(target);
        queue.push(target);
      }
    }
  }
  return [...files].sort();
}

/** The process helper itself starts processes with the options it is given. */
const PROCESS_HELPER = path.join(ROOT, 'tests/support/process.ts');

describe('the product’s tests use fixture apps only, never the example', () => {
  const files = productTestFiles();

  it('has the product’s tests and the support files they import to check', () => {
    expect(files.filter((f) => f.includes('/tests/product/')).length).toBeGreaterThan(80);
    expect(files).toContain(path.join(ROOT, 'tests/support/apps/parcels/app.ts'));
    expect(files).toContain(PROCESS_HELPER);
  });

  it('no file of tests/product/ (nor of tests/support/ used by them) imports or names the example, or runs a command in the repository root', () => {
    const findings = files.flatMap((file) => exampleUses(file, readFileSync(file, 'utf8'), file !== PROCESS_HELPER));
    expect(findings, 'use a fixture app (tests/support/apps.ts) and run commands in its project (cwd: PARCELS.dir), or move the test to tests/example/').toEqual([]);
  });

  describe('the check catches each form', () => {
    // A file one level down (tests/), so that these relative paths stay inside the repository from this file too
    // (tests/project/self-contained.test.ts holds every path literal to that).
    const file = path.join(ROOT, 'tests/x.test.ts');
    it.each([
      ["import { createApp } from '../service/app';", 'imports the example (../service/app)'],
      ["export { handler } from '../service/lambda';", 'imports the example'],
      ["import '../app.config';", 'imports the example (../app.config)'],
      ["const m = require('../index.ts');", 'imports the example'],
      ["const m = await import('../service/lambda.js');", 'imports the example'],
      ["vi.mock('../service/todos/repository');", 'imports the example'],
      ["import { x } from './example/todos/support/backends';", 'imports the example'],
      ["const f = path.join(ROOT, 'service', 'app.ts');", 'names the example (service/app.ts)'],
      ["const f = path.resolve(__dirname, '../app.config.ts');", 'names the example'],
      ["const f = path.join(__dirname, '..', 'index.ts');", 'names the example (index.ts)'],
      ["const f = 'service/todos/schemas.ts';", 'names the example (service/todos/schemas.ts)'],
      ["expect(inputs).toContain('tests/example/lambda.test.ts');", 'names the example'],
      ["await runProcess(process.execPath, [CLI, 'synth']);", 'without a cwd'],
      ["startProcess(process.execPath, [CLI, 'start'], { env });", 'without a cwd'],
      ["runProcess(process.execPath, [CLI, 'openapi'], { cwd: ROOT });", 'in the repository root'],
      ["const HERE = path.resolve(__dirname, '..');\nrunProcess(process.execPath, [CLI, 'openapi'], { cwd: HERE });", 'in the repository root'],
      ["const cwd = process.cwd();\nstartProcess(process.execPath, [CLI, 'dev'], { cwd, env });", 'in the repository root'],
      ["runProcess(process.execPath, [CLI, 'synth'], options);", 'options not written out'],
      ["const s = readStackSettings();", 'calls readStackSettings without root and app'],
      ["const s = readStackSettings({ root: PARCELS.dir });", 'calls readStackSettings without root and app'],
      ["const c = readStackConfig({ app: {} });", 'calls readStackConfig without root'],
      ["const app = loadApp();", 'calls loadApp without'],
      ["const app = loadApp({});", 'calls loadApp without'],
      ["await bundleLambda({ outDir: dir });", 'calls bundleLambda without app or root'],
      ["const doc = loadApiDocument();", 'calls loadApiDocument without file'],
      ["await startLocal({ app, env });", 'calls startLocal without root and app'],
      ["deployApp({ resources });", 'calls deployApp without app'],
      ["const root = projectRoot();", 'calls projectRoot without its root'],
      ["assertStackExists('dev');", 'calls assertStackExists without its root'],
    ])('%s', (source, finding) => {
      const product = /\b(readStack|loadApp|bundleLambda|loadApiDocument|startLocal|deployApp|projectRoot|assertStackExists)/.test(source)
        ? "import { readStackSettings } from '../infra/src/app/load-stack';\nimport { readStackConfig } from '../infra/src/settings/stack-files';\nimport { loadApp } from '../infra/src/app/load';\nimport { bundleLambda } from '../infra/src/bundle/bundle';\nimport { loadApiDocument, assertStackExists } from '../infra/src/tools/conformance/document';\nimport { startLocal } from '../infra/src/local/start';\nimport { deployApp } from 'koa-apigateway/pulumi';\nimport { projectRoot } from '../infra/src/project';\n"
        : '';
      const imported = product + (source.includes('ROOT') ? `import { ROOT, CLI, runProcess, startProcess } from './support/process';\n` : '');
      const findings = exampleUses(file, imported + source);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toContain(finding);
    });

    it('and passes what a product test does: fixture apps, their projects, a copy of one, the repository root as a place to resolve packages from', () => {
      const source = [
        "import { ROOT } from './support/files';",
        "import { PARCELS, copyFixture } from './support/apps';",
        "import { createParcelsApp } from './support/apps/parcels/app';",
        "import { handler } from './support/apps/parcels/lambda';",
        "const req = createRequire(path.join(ROOT, 'package.json'));",
        "const mime = path.join(ROOT, 'node_modules', 'mime-db');",
        "runProcess(process.execPath, [CLI, 'synth'], { cwd: PARCELS.dir, env });",
        "const copy = copyFixture(PARCELS, 'x');\nstartProcess(process.execPath, [CLI, 'dev'], { cwd: copy });",
        "checkApp(descriptor, file, 'app.config.ts');",
        "import { readStackSettings } from '../infra/src/app/load-stack';\nimport { bundleLambda } from '../infra/src/bundle/bundle';\nimport { loadApp, APP_VARIABLE } from '../infra/src/app/load';",
        "const s = readStackSettings({ root: PARCELS.dir, app: {} });",
        "await bundleLambda({ app: loadFixture(PARCELS), outDir });",
        "const a = loadApp({ [APP_VARIABLE]: PING.descriptor });",
        "// example-free: the test moved into the parcels project first\nconst b = loadApp({});",
        "const x = 'services/other';",
      ].join('\n');
      expect(exampleUses(file, source)).toEqual([]);
    });
  });
});
