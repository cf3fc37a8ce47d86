import { defineConfig } from 'vitest/config';

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
  },
});
