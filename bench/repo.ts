import path from 'node:path';

/** The repository's root: the benchmarks run the example app (app.config.ts) of this repository. */
export const ROOT = path.resolve(__dirname, '..');
