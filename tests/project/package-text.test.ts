import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { typeScriptSources } from '../support/files';

/**
 * The package runs in a user's project, not in this repository: what it prints names its own commands
 * (`koa-apigateway start`), never this repository's npm scripts (`npm run openapi`) or files (`infra/...`,
 * `runtime/...`, `scripts/...`); a config key is named in the running project's namespace (its Pulumi.yaml
 * `name`), never `koa-apigateway:`; and it finds its own files from package-files.ts only, never by walking
 * up from `__dirname` to some root. Checked on every string the package's source holds (its literals and
 * template parts, read with TypeScript's parser), so a message in any file is covered.
 */
const SRC = path.resolve(__dirname, '../../infra/src');

/** The component's Pulumi type token: a resource type, `<package>:<module>:<type>`, not a config namespace. */
const TYPE_TOKEN = 'koa-apigateway:gateway:KoaGateway';

/** What a string of the package may not say, with why. */
export const RULES: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  { pattern: /\bnpm (?:run|start|test)\b/, why: "names this repository's npm scripts: name the package's command (koa-apigateway start)" },
  { pattern: /(?:^|[\s(`'"])(?:infra|runtime|scripts)\/[\w.-]/, why: "names a path of this repository: a user's project has no such file" },
  { pattern: /\bkoa-apigateway:(?=\w|$)/, why: "names the config namespace koa-apigateway: name the running project's (Pulumi.yaml name, pulumi.getProject())" },
  {
    pattern: /\b(?:on|at|the|a|fails?|before|after|every|next)\s+(?:destroy|preview|up|deploy)\b/i,
    why: 'names a Pulumi operation by a bare word ("on destroy", "the preview"): name the command the user runs (pulumi destroy, pulumi preview, pulumi up)',
  },
];

/**
 * Text that is an AWS resource's own attribute, not a message: changing it would update the resource on every
 * stack's next pulumi up (the account's CloudWatch role is shared by the region's APIs), so the rules above do
 * not apply to it.
 */
export const RESOURCE_TEXT = new Set(['Lets API Gateway write execution and access logs for this account and region (kept on destroy: other APIs rely on it).']);

/**
 * Modules whose strings name the npm scripts of the user's own package.json, which `koa-apigateway init` writes
 * (`npm start`, `npm run synth`, and `koa-apigateway:<command>` as a script name when `start` is taken): the
 * first and third rules do not apply to them.
 */
export const USER_SCRIPT_MODULES = new Set(['init/package-json.ts']);

/** One string of a source file: its line and its text (a literal's value, or a template's literal part). */
export interface SourceString {
  line: number;
  text: string;
}

/** Returns the strings of `source` a user may read: literals and template parts, not module specifiers (imports, `require`). */
export function stringsOf(source: string): SourceString[] {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  const out: SourceString[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isImportTypeNode(node)) return;
    if (ts.isCallExpression(node) && (node.expression.getText(file) === 'require' || node.expression.kind === ts.SyntaxKind.ImportKeyword)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      out.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, text: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** Returns `file:line why` for every string of `source` that breaks a rule. */
export function violations(file: string, source: string): string[] {
  const found: string[] = [];
  for (const { line, text } of stringsOf(source)) {
    if (RESOURCE_TEXT.has(text)) continue;
    const checked = text.split(TYPE_TOKEN).join('');
    for (const rule of RULES) if (!(USER_SCRIPT_MODULES.has(file) && rule !== RULES[1]) && rule.pattern.test(checked)) found.push(`${file}:${line} ${rule.why}: ${JSON.stringify(text.slice(0, 120))}`);
  }
  return found;
}

/** Returns `file:line` for every use of `__dirname` in `source` (a path found by walking up from the module). */
export function dirnameUses(file: string, source: string): string[] {
  const found: string[] = [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === '__dirname') found.push(`${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe("the package's text is about the user's project, not this repository (infra/src)", () => {
  const files = typeScriptSources(SRC);

  it('reads every module', () => {
    expect(files.length).toBeGreaterThan(80);
  });

  it('no string names an npm script of this repository, a repository path, or the koa-apigateway: config namespace', () => {
    expect(files.flatMap(([file, text]) => violations(file, text))).toEqual([]);
  });

  it('only package-files.ts finds a file from __dirname (the package finds a project from its root, projectRoot)', () => {
    expect(files.flatMap(([file, text]) => dirnameUses(file, text))).toEqual(['package-files.ts:11']);
  });
});

describe('the check catches what it names (self-test)', () => {
  it.each([
    ['an npm script in a message', 'throw new Error(`Fix: PORT=3001 npm start`);'],
    ['npm run in a usage line', "const USAGE = 'Usage: npm run openapi';"],
    ['a repository path in a template part', 'const m = `update ${x} in infra/src/bundle/koa.ts`;'],
    ['a runtime/ path', "const m = 'written into runtime/validators.ts';"],
    ['the config namespace', 'const m = `Config "koa-apigateway:${key}" is bad`;'],
    ['the config namespace in a literal', "const m = 'Unknown config key \"koa-apigateway:rateLimt\"';"],
    ['a bare "on destroy"', "const m = 'the role is kept on destroy.';"],
    ['a bare "the preview"', 'const m = `a missing role fails the preview`;'],
  ])('catches %s', (_, source) => {
    expect(violations('x.ts', source)).toHaveLength(1);
  });

  it("passes the package's commands, the component's type token, module specifiers and comments", () => {
    const source = [
      "import { x } from '../infra/src/x';",
      "const y = require('scripts/build.cjs');",
      '// npm run openapi used to write infra/openapi.json',
      "const usage = 'Usage: koa-apigateway start (PORT=3001 npx koa-apigateway start)';",
      "const type = 'koa-apigateway:gateway:KoaGateway';",
      "const unknown = 'koa-apigateway: unknown command';",
      "const kept = 'kept on pulumi destroy; fails pulumi preview and pulumi up';",
      'const key = `Config "${project}:rateLimit"`;',
    ].join('\n');
    expect(violations('x.ts', source)).toEqual([]);
  });

  it('finds __dirname wherever it is used', () => {
    expect(dirnameUses('x.ts', "const a = 1;\nconst root = path.resolve(__dirname, '..', '..');")).toEqual(['x.ts:2']);
    expect(dirnameUses('x.ts', "const file = require.resolve('x');")).toEqual([]);
  });
});
