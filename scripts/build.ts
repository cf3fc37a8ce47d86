import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleLambda } from '../infra/bundle';

/** `npm run build`: writes dist/lambda/index.mjs (+ .map) and prints its size. */
async function main(): Promise<void> {
  const { file } = await bundleLambda();
  const code = readFileSync(file);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`${path.relative(process.cwd(), file)}  ${kb(code.length)} (gzip ${kb(gzipSync(code).length)})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
