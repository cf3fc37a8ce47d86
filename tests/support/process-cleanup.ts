import { afterAll } from 'vitest';
import { stopAll } from './process';

// A vitest setup file: runs in every test file, so whatever a file started is stopped when the file
// ends, whether its tests passed, failed or timed out (tests/support/process.ts).
afterAll(stopAll);
