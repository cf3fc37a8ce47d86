import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The test files that take longest, longest first (measured: docs/development.md "How long it takes"). With 2 cores
 * the run ends when its last file does, so these start first, each beside the others, instead of when their size
 * places them: in a fresh clone vitest has no durations of a previous run and starts the larger files first, and
 * adoption-esm.test.ts, small but waiting on adoption.test.ts's install, would otherwise start near the end.
 */
export const SLOWEST_FIRST: readonly string[] = [
  'tests/product/cli/adoption.test.ts',
  'tests/product/cli/adoption-esm.test.ts',
  'tests/project/example-deleted.test.ts',
  'tests/product/tools/client/client.test.ts',
  'tests/product/tools/conformance/cli.test.ts',
  'tests/product/tools/verify/cli.test.ts',
  'tests/product/tools/conformance/verify.test.ts',
  // Measured in a fresh clone (bash .ci/run, 2026-12-07): each 19-58 s, and by size vitest started them in the last
  // third of the run, the Pulumi loads last of all (tests/example/program/load.test.ts ended the run).
  'tests/example/program/load.test.ts',
  'tests/product/pulumi/program.test.ts',
  'tests/example/readme-route.test.ts',
  'tests/product/hardening/load.test.ts',
  'tests/example/infra/npm-start-memory.test.ts',
  'tests/product/app/override.test.ts',
];

/** vitest's own order (durations of the previous run, else size), with {@link SLOWEST_FIRST} moved to the front. */
export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = SLOWEST_FIRST.indexOf(path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/'));
      return i === -1 ? SLOWEST_FIRST.length : i;
    };
    // Array.prototype.sort is stable: the other files keep vitest's order.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
