import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Runs only the deliberately failing file below, for tests/project/process-groups.test.ts.
export default defineConfig({
  root: path.resolve(__dirname, '../../..'),
  test: {
    include: ['tests/project/leak/*.fixture.ts'],
    setupFiles: ['tests/support/process-cleanup.ts'],
  },
});
