import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Bundle from '../../bundle/bundle';
import { prepareUnlessRefused, type Command } from '../command';
import { parseCommandLine } from '../command-line';

const USAGE = 'Usage: koa-apigateway build (no arguments; KOA_APIGATEWAY_BUNDLE_DIR chooses the folder)';

/** `koa-apigateway build`: writes dist/lambda/index.mjs (+ .map) and prints its size. */
async function run(args: string[]): Promise<void> {
  parseCommandLine({}, args);
  // Loaded here: esbuild and the bundler's plugins are not needed for `--help` or a mistyped flag.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { bundleDirFromEnv, bundleLambda } = require('../../bundle/bundle') as typeof Bundle;
  // KOA_APIGATEWAY_BUNDLE_DIR, as USAGE says (it was read by start and dev only, so build wrote dist/lambda anyway).
  const { file } = await bundleLambda({ outDir: bundleDirFromEnv() });
  const code = readFileSync(file);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`${path.relative(process.cwd(), file)}  ${kb(code.length)} (gzip ${kb(gzipSync(code).length)})`);
}

/** Loads the bundler before tsx is registered (Command.prepare), unless the command line is wrong. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const prepare = prepareUnlessRefused((args) => parseCommandLine({}, args), () => require('../../bundle/bundle'));

export const command: Command = { usage: USAGE, prepare, run };
