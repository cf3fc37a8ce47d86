/**
 * `npm run test:product-alone`: the whole product suite in a copy of the repository without the example
 * (tests/support/without-example.ts) — the package and the tests type-checked alone, then every test of
 * tests/product/ and the product's repository rules. Prints each step; exits with the first failure's status and
 * keeps that copy for a look, else removes it. Takes as long as the product suite itself.
 */
import { rmSync } from 'node:fs';
import { copyWithoutExample, EXAMPLE_PATHS, inCopy, productSuiteArgs } from './without-example';

async function main(): Promise<void> {
  const started = Date.now();
  const copy = copyWithoutExample('product-alone');
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`A copy of the repository without the example (${EXAMPLE_PATHS.join(', ')} deleted): ${copy}`);
  const steps: Array<[string, string, string[]]> = [
    ['type-check of the package and the tests', 'typescript/bin/tsc', ['--noEmit', '-p', 'tsconfig.product.json']],
    ['the product suite', 'vitest/vitest.mjs', productSuiteArgs()],
  ];
  for (const [what, bin, args] of steps) {
    say(`\n== ${what}: ${bin.split('/')[0]} ${args.join(' ')}`);
    const run = await inCopy(copy, bin, args, 3_600_000);
    say(run.output.trimEnd());
    if (run.status !== 0) {
      say(`\ntest:product-alone: ${what} failed (exit ${run.status}); the copy is kept for a look: ${copy}`);
      process.exit(run.status ?? 1);
    }
  }
  rmSync(copy, { recursive: true, force: true });
  say(`\ntest:product-alone: the product suite passes without the example (${Math.round((Date.now() - started) / 1000)} s).`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
