/**
 * `npm run client -- --out client.ts [--openapi openapi.json] [--stack dev]`: writes the typed,
 * dependency-free TypeScript client of the API (infra/client/generate.ts). Without --out, prints it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateClient } from '../infra/client/generate';
import { loadApiDocument } from '../infra/conformance/document';

async function main(): Promise<void> {
  // node:util parseArgs: the platform's own, well-kept argument parser; no dependency for three flags.
  const { values } = parseArgs({
    options: { out: { type: 'string', short: 'o' }, openapi: { type: 'string' }, stack: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('Usage: npm run client -- --out client.ts [--openapi openapi.json] [--stack dev]\n');
    return;
  }
  const source = await generateClient(loadApiDocument({ file: values.openapi, stack: values.stack }));
  if (!values.out) {
    process.stdout.write(source);
    return;
  }
  const out = path.resolve(values.out);
  writeFileSync(out, source);
  process.stderr.write(`Wrote ${path.relative(process.cwd(), out) || out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`npm run client: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
