import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/files';

/**
 * The repository's program is the package's first consumer (issue 21 item 3): index.ts, app.config.ts and
 * service/ import the package by its name, through its entry points, exactly as a user's repository does,
 * and by nothing else: no relative path into infra/, no deep import of the package's files.
 */
const ENTRY_POINTS = new Set(['koa-apigateway', 'koa-apigateway/route', 'koa-apigateway/lambda', 'koa-apigateway/pulumi']);

/** The example's TypeScript files, relative to the root. */
function exampleFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir)).flatMap((name) => {
      const rel = `${dir}/${name}`;
      if (statSync(path.join(ROOT, rel)).isDirectory()) return walk(rel);
      return /\.[cm]?ts$/.test(name) ? [rel] : [];
    });
  return ['index.ts', 'app.config.ts', ...walk('service')];
}

/** Returns every module specifier of `source`: imports, exports, `require()` and `import()` calls. */
export function specifiersOf(source: string): string[] {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    if (ts.isCallExpression(node) && (node.expression.getText(file) === 'require' || node.expression.kind === ts.SyntaxKind.ImportKeyword)) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) out.push(first.text);
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** Returns what is wrong with `file` (relative to the root) importing `specifier`, or undefined when it is a consumer's import. */
export function problemOf(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    if (target === 'infra' || target.startsWith('infra/') || target.startsWith('..')) return `${file} imports ${specifier}: a path into the package's source, not its name`;
    return undefined;
  }
  if (specifier === 'koa-apigateway' || specifier.startsWith('koa-apigateway/')) {
    return ENTRY_POINTS.has(specifier) ? undefined : `${file} imports ${specifier}: not one of the package's entry points (${[...ENTRY_POINTS].join(', ')})`;
  }
  return undefined;
}

describe("the example imports the package by its name only, as a user's project does", () => {
  it('has files to check, the program and the descriptor among them', () => {
    const files = exampleFiles();
    expect(files).toEqual(expect.arrayContaining(['index.ts', 'app.config.ts', 'service/app.ts', 'service/lambda.ts']));
  });

  it('no file of index.ts, app.config.ts or service/ reaches into infra/ or past an entry point', () => {
    const problems = exampleFiles().flatMap((file) =>
      specifiersOf(readFileSync(path.join(ROOT, file), 'utf8')).flatMap((specifier) => {
        const problem = problemOf(file, specifier);
        return problem ? [problem] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('each of them uses the package through an entry point (the program deployApp, the service the route kit)', () => {
    const used = (file: string) => specifiersOf(readFileSync(path.join(ROOT, file), 'utf8')).filter((s) => ENTRY_POINTS.has(s));
    expect(used('index.ts')).toContain('koa-apigateway/pulumi');
    expect(used('app.config.ts')).toContain('koa-apigateway');
    expect(used('service/lambda.ts')).toContain('koa-apigateway/lambda');
    expect(used('service/app.ts')).toContain('koa-apigateway/route');
  });

  it('would catch each way of reaching past the name (self-test)', () => {
    const caught = (file: string, source: string) => specifiersOf(source).flatMap((s) => problemOf(file, s) ?? []);
    expect(caught('service/app.ts', "import { addRoute } from '../infra/src/route';")).toHaveLength(1);
    expect(caught('index.ts', "const m = require('./infra/src/pulumi/program');")).toHaveLength(1);
    expect(caught('service/todos/routes.ts', "export { x } from '../../infra/dist/route/index.js';")).toHaveLength(1);
    expect(caught('service/lambda.ts', "const m = await import('koa-apigateway/src/lambda/handler');")).toHaveLength(1);
    expect(caught('app.config.ts', "import type { X } from 'koa-apigateway/dist/index';")).toHaveLength(1);
    expect(caught('service/app.ts', "import { addRoute } from 'koa-apigateway/route';\nimport { x } from './todos/routes';")).toEqual([]);
  });
});
