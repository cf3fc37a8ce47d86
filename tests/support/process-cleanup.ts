import { afterAll } from 'vitest';
import { removeTempDirs } from './files';
import { stopAll } from './process';

// A vitest setup file: runs in every test file, so whatever a file started is stopped when the file
// ends, whether its tests passed, failed or timed out (tests/support/process.ts), and then the folders it made
// with tempDir (tests/support/files.ts) are removed. vitest runs after-hooks in reverse order of registration
// (sequence.hooks 'stack'): the file's own afterAll first, then stopAll, then removeTempDirs.
afterAll(removeTempDirs);
afterAll(stopAll);
