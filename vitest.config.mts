import { defineConfig } from 'vitest/config';
import { SlowestFirst } from './tests/support/sequencer.mjs';

export default defineConfig({
  // `koa-apigateway/*` resolves to the package's TypeScript source (infra/src), as the repository's tsconfig.json
  // and the bundler resolve it: tests import the same modules the package builds from.
  resolve: { conditions: ['koa-apigateway-source'] },
  ssr: { resolve: { conditions: ['koa-apigateway-source'] } },
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds the package (infra/dist, what the CLI and a Pulumi program load) and dist/lambda once, so tests
    // exercise the real artifacts.
    globalSetup: ['tests/global-setup.ts'],
    // Stops every process group a test file started, when the file ends (tests/support/process.ts).
    setupFiles: ['tests/support/process-cleanup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Speed on the 2-core machine (docs/development.md#tests, measured): most tests wait on processes they
    // start (the bin, servers, npm, tsc), so 4 workers keep both cores busy where 2 left them half idle
    // (6 gained nothing: CPU-bound by then); and test files share a worker's loaded modules instead of each
    // importing TypeBox, Koa and Pulumi again (isolate: false), which cut the suite's CPU time by a third.
    // A test that changes process.env restores it, and one that needs a module evaluated afresh under its own
    // environment calls vi.resetModules() first (tests/product/local/auth.test.ts).
    maxWorkers: 4,
    isolate: false,
    // The slowest files start first (tests/support/sequencer.mts): the run ends when its last file does.
    sequence: { sequencer: SlowestFirst },
  },
});
