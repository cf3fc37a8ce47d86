import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyProject } from './files';
import { runProcess } from './process';

/**
 * The repository's example, as a user replacing it deletes it (README "Layout"): the todo service, its descriptor
 * and Pulumi program, its tests, and the benchmark, which measures the example's functions (bench/ imports
 * service/functions, and its tests, tests/bench/, the example's app.config.ts). The repository's Pulumi.yaml and
 * Pulumi.dev.yaml stay (the project's files).
 */
export const EXAMPLE_PATHS = ['service', 'app.config.ts', 'index.ts', 'tests/example', 'bench', 'tests/bench'];

/**
 * The repository rules that hold the docs to the example's files (docs/development.md's layout block names
 * service/, app.config.ts and index.ts): a user replacing the example edits those docs too, so without it they
 * fail by design, not because the product needs the example.
 */
export const EXAMPLE_DOC_RULES = ['tests/project/layout-doc.test.ts'];

/**
 * The product's tests and the repository rules about the product (every file of tests/project/ but the rules
 * above and this check itself): the suite that must pass with the example deleted.
 */
export const PRODUCT_SUITE = ['tests/product', 'tests/project'];

/**
 * Returns a copy of the repository without the example (no service/, app.config.ts, index.ts or tests/example/)
 * that runs on its own: its own koa-apigateway, with the package's build copied, not rebuilt (tests/support/files.ts
 * copyProject, `ownPackage`). A type-check config of the product alone is written beside tsconfig.json, as
 * `tsconfig.product.json`. The caller removes the copy.
 */
export function copyWithoutExample(prefix = 'without-example'): string {
  const copy = copyProject(prefix, { without: EXAMPLE_PATHS, ownPackage: true });
  // The package and every test but the example's and the benchmark's (deleted with it).
  const include = ['infra/src/**/*.ts', 'tests/**/*.ts', 'vitest.config.mts'];
  writeFileSync(path.join(copy, 'tsconfig.product.json'), `${JSON.stringify({ extends: './tsconfig.json', include }, null, 2)}\n`);
  return copy;
}

/** Runs `node <copy>/node_modules/<bin> <args>` in the copy, in its own process group; returns status and output. */
export async function inCopy(copy: string, bin: string, args: readonly string[], timeoutMs = 900_000): Promise<{ status: number | null; output: string }> {
  const run = await runProcess(process.execPath, [path.join(copy, 'node_modules', bin), ...args], { cwd: copy, env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', FORCE_COLOR: '0' }, timeoutMs });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The vitest arguments that run the product suite in the copy: PRODUCT_SUITE less EXAMPLE_DOC_RULES and the check of this copy itself. */
export function productSuiteArgs(): string[] {
  return ['run', ...PRODUCT_SUITE, ...[...EXAMPLE_DOC_RULES, 'tests/project/example-deleted.test.ts'].flatMap((f) => ['--exclude', f])];
}
