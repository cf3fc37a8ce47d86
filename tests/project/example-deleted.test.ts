import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
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

  it(`passes there the product tests most tied to the repository's layout (${LAYOUT_SENSITIVE.join(', ')})`, { timeout: 600_000 }, async () => {
    const run = await inCopy(copy, 'vitest/vitest.mjs', ['run', ...LAYOUT_SENSITIVE], 600_000);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/Test Files\s+\d+ passed \(\d+\)/);
  });
});
