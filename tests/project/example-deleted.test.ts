import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWithoutExample, EXAMPLE_PATHS, inCopy } from '../support/without-example';

/**
 * The product tests that depend most on where they run: commands (`openapi`, `synth`, `start`) in the fixture
 * projects and in copies of them, KOA_APIGATEWAY_APP, the default descriptor and stack files read from the current
 * directory, the rule that holds the product's tests to fixture apps. The whole product suite in such a copy is
 * `npm run test:product-alone` (docs/development.md "Tests" says why the suite runs only these).
 */
const LAYOUT_SENSITIVE = ['tests/product/app', 'tests/product/settings/settings.test.ts', 'tests/product/local/start.test.ts', 'tests/project/product-independence.test.ts'];

/** Every test file under `dir`, relative to `root`. */
function testFiles(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `${dir}/${f}`)
    .sort();
}

describe('the product stands without the example: a copy of the repository with the example and its tests deleted', () => {
  let copy: string;
  const out = mkdtempSync(path.join(tmpdir(), 'example-deleted-'));
  beforeAll(() => {
    copy = copyWithoutExample('example-deleted');
  }, 120_000);
  afterAll(() => {
    rmSync(copy, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('has none of the example, and every product test file', () => {
    for (const example of EXAMPLE_PATHS) expect(existsSync(path.join(copy, example)), example).toBe(false);
    expect(testFiles(copy, 'tests/product')).toEqual(testFiles(path.resolve(__dirname, '../..'), 'tests/product'));
  });

  it('loads every test file of tests/product/ there: vitest collects them all, running each module and describe block', { timeout: 600_000 }, async () => {
    const report = path.join(out, 'list.json');
    const run = await inCopy(copy, 'vitest/vitest.mjs', ['list', '--staticParse=false', `--json=${report}`, 'tests/product'], 600_000);
    expect(run.status, run.output).toBe(0);
    const listed = JSON.parse(readFileSync(report, 'utf8')) as Array<{ file: string }>;
    const files = [...new Set(listed.map((t) => path.relative(copy, t.file)))].sort();
    // A file whose collection failed lists no test: each one must be there (the browser test lists none when its
    // describe is skipped for want of Chromium: tests/product/local/docs.browser.test.ts).
    const browserSkipped = !existsSync('/usr/bin/chromium');
    expect(files).toEqual(testFiles(copy, 'tests/product').filter((f) => !(browserSkipped && f.endsWith('.browser.test.ts'))));
    expect(listed.length).toBeGreaterThan(500);
  });

  it(`passes there the product tests most tied to the repository's layout (${LAYOUT_SENSITIVE.join(', ')})`, { timeout: 600_000 }, async () => {
    const run = await inCopy(copy, 'vitest/vitest.mjs', ['run', ...LAYOUT_SENSITIVE], 600_000);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/Test Files\s+\d+ passed \(\d+\)/);
  });
});
