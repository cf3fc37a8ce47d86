import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWithoutExample, EXAMPLE_PATHS, inCopy } from '../support/without-example';

/**
 * What runs in the copy: the product tests that depend most on where they run — the default descriptor, stack files
 * and KOA_APIGATEWAY_APP read from the current directory (app.test.ts, settings.test.ts), the commands `openapi`,
 * `synth` and `start` run in a fixture project (library-project.test.ts) — and the rule that holds every product test
 * to fixture apps, on the copy's own files. With the global setup (which builds a fixture's bundle) and the suite's
 * config, that is all that could reach for the example at run time beyond what the rule reads in the source. The
 * whole product suite in such a copy is `npm run test:product-alone` (docs/development.md "Tests" says why not here).
 */
const LAYOUT_SENSITIVE = ['tests/product/app/app.test.ts', 'tests/product/settings/settings.test.ts', 'tests/product/app/library-project.test.ts', 'tests/project/product-independence.test.ts'];

/** Every test file under `dir`, relative to `root`. */
function testFiles(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `${dir}/${f}`)
    .sort();
}

/**
 * The relative module specifiers of every TypeScript file under `root` that resolve to no file: node_modules, built
 * output and the files tsconfig.json excludes aside (templates copied beside a generated module before they compile).
 */
export function unresolvedImports(root: string): string[] {
  const out: string[] = [];
  const excluded = new Set((JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as { exclude?: string[] }).exclude ?? []);
  const exists = (file: string) => existsSync(file) && statSync(file).isFile();
  const resolves = (from: string, spec: string): boolean => {
    const base = path.resolve(path.dirname(from), spec);
    const stem = base.replace(/\.[cm]?js$/, '');
    return [base, `${stem}.ts`, `${stem}.mts`, `${stem}.cts`, `${base}.js`, `${base}.json`, path.join(base, 'index.ts'), path.join(base, 'index.js')].some(exists);
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!['node_modules', 'dist', '.git', '.local'].includes(entry.name)) walk(rel);
      } else if (/\.[cm]?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !excluded.has(rel)) {
        const file = path.join(root, rel);
        // TypeScript's own scan: imports, exports, require() and import(), not module names inside strings.
        for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
          if (fileName.startsWith('.') && !resolves(file, fileName)) out.push(`${rel}: ${fileName}`);
        }
      }
    }
  };
  walk('');
  return out.sort();
}

describe('the product stands without the example: a copy of the repository with the example and its tests deleted', () => {
  let copy: string;
  beforeAll(() => {
    copy = copyWithoutExample('example-deleted');
  }, 120_000);
  afterAll(() => {
    rmSync(copy, { recursive: true, force: true });
  });

  it('has none of the example, and every product test file', () => {
    for (const example of EXAMPLE_PATHS) expect(existsSync(path.join(copy, example)), example).toBe(false);
    expect(testFiles(copy, 'tests/product')).toEqual(testFiles(path.resolve(__dirname, '../..'), 'tests/product'));
  });

  it('no file left imports one of the example (a bench or test of it left behind would not compile)', () => {
    expect(unresolvedImports(copy), 'delete these with the example (EXAMPLE_PATHS, tests/support/without-example.ts), or make them not need it').toEqual([]);
    // The check itself: the repository's own tests/example files import the example.
    expect(unresolvedImports(path.resolve(__dirname, '../..'))).toEqual([]);
  });

  it(`passes there the product tests most tied to the repository's layout (${LAYOUT_SENSITIVE.join(', ')})`, { timeout: 600_000 }, async () => {
    const run = await inCopy(copy, 'vitest/vitest.mjs', ['run', ...LAYOUT_SENSITIVE], 600_000);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/Test Files\s+\d+ passed \(\d+\)/);
  });
});
