import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleLambda } from '../infra/bundle';
import { parseCommandLine, runScript } from './command-line';

const USAGE = 'Usage: npm run build (no arguments; KOA_APIGATEWAY_BUNDLE_DIR chooses the folder)';

/** `npm run build`: writes dist/lambda/index.mjs (+ .map) and prints its size. */
async function main(): Promise<void> {
  parseCommandLine({});
  const { file } = await bundleLambda();
  const code = readFileSync(file);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`${path.relative(process.cwd(), file)}  ${kb(code.length)} (gzip ${kb(gzipSync(code).length)})`);
}

runScript('npm run build', main, { usage: USAGE });
