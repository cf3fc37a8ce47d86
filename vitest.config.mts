import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds dist/lambda once, so bundle tests exercise the real artifact.
    globalSetup: ['tests/global-setup.ts'],
    // Stops every process group a test file started, when the file ends (tests/support/process.ts).
    setupFiles: ['tests/support/process-cleanup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
