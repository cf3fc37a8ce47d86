import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { typeScriptSources } from '../support/files';

/**
 * Two habits of the package's layout (docs/development.md "Layout"), read from its source with TypeScript's
 * parser: an `index.ts` only re-exports (as TypeBox's and Vitest's entry folders do), so a reader finds code
 * in a file named for its job; and the package's user errors are declared in one file, errors.ts (as Fastify
 * keeps its error codes), but for the schema errors built beside their message builders.
 */
const SRC = path.resolve(__dirname, '../../infra/src');

/** Error classes that stay beside the code that builds their messages (errors.ts says so). */
const ERRORS_BESIDE_THEIR_CODE = new Set(['core/plan/models.ts ModelConversionError', 'core/plan/importable.ts ImportableSchemaError', 'tools/conformance/samples.ts SampleError']);

/** Returns the statements of an index.ts that are not re-exports (`export ... from`, `export type * from`), as their first line. */
export function codeIn(source: string): string[] {
  const file = ts.createSourceFile('index.ts', source, ts.ScriptTarget.Latest, true);
  return file.statements.filter((s) => !(ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined)).map((s) => s.getText(file).split('\n')[0]!);
}

/** Returns the classes `source` declares that extend an error class of the package (`... extends XError`, VisibleError included). */
export function errorClassesIn(source: string): string[] {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  return file.statements
    .filter(ts.isClassDeclaration)
    .filter((c) => c.heritageClauses?.some((h) => h.types.some((t) => /(?:^|\.)(?:VisibleError|\w+Error)$/.test(t.expression.getText(file)) && t.expression.getText(file) !== 'Error')))
    .map((c) => c.name?.text ?? '(anonymous)');
}

describe("the package's layout (infra/src)", () => {
  const files = typeScriptSources(SRC);

  it('every index.ts only re-exports', () => {
    const indexes = files.filter(([file]) => file === 'index.ts' || file.endsWith('/index.ts'));
    expect(indexes.length).toBeGreaterThan(5);
    expect(indexes.flatMap(([file, text]) => codeIn(text).map((line) => `${file}: ${line}`))).toEqual([]);
  });

  it('every user error class is declared in errors.ts, but those built beside their message builders', () => {
    const elsewhere = files.filter(([file]) => file !== 'errors.ts').flatMap(([file, text]) => errorClassesIn(text).map((name) => `${file} ${name}`));
    expect(elsewhere.filter((entry) => !ERRORS_BESIDE_THEIR_CODE.has(entry))).toEqual([]);
    expect(errorClassesIn(readFileSync(path.join(SRC, 'errors.ts'), 'utf8'))).toEqual(expect.arrayContaining(['SettingsError', 'UnknownStackError', 'UsageError', 'AppDescriptorError', 'DocumentError']));
  });
});

describe('the layout checks catch what they name (self-test)', () => {
  it('finds code in an index.ts, and lets re-exports and comments pass', () => {
    expect(codeIn("/** Only re-exports. */\nexport { a } from './a';\nexport type * from './types';\nexport * from './b';")).toEqual([]);
    expect(codeIn("export { a } from './a';\nexport const LOCAL = 'x';\nexport function build() {\n  return 1;\n}\nimport { b } from './b';")).toEqual([
      "export const LOCAL = 'x';",
      'export function build() {',
      "import { b } from './b';",
    ]);
  });

  it('finds an error class declared outside errors.ts, whatever error it extends', () => {
    expect(errorClassesIn('export class StartError extends VisibleError {}\nclass Other extends RouteError {}\nclass Plain extends Error {}\nclass Gate extends Base {}')).toEqual(['StartError', 'Other']);
  });
});
