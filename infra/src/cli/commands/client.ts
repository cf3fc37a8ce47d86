/**
 * `koa-apigateway client --out client.ts [--openapi openapi.json] [--stack dev]`: writes the typed,
 * dependency-free TypeScript client of the API (infra/src/tools/client/generate.ts). Without --out, prints it.
 * A relative --out is relative to the directory npm was run from (INIT_CWD), not the project root.
 * Exit code 0: written; 2: usage, document or stack error (its message, no stack trace; the usage after a
 * mistake on the command line).
 */
import path from 'node:path';
import type * as Generate from '../../tools/client/generate';
import { loadApiDocument } from '../../tools/conformance/document';
import { assertStackExists } from '../../settings/stack-files';
import { VisibleError } from '../../errors';
import { prepareUnlessRefused, type Command } from '../command';
import { parseCommandLine, refuseEmptyOut, writeOutput } from '../command-line';

const USAGE = `Usage: koa-apigateway client [--out client.ts] [--openapi openapi.json] [--stack dev]
  --out FILE, -o FILE   write the client to FILE (relative to where you run npm); omitted: print it
  --openapi FILE        read the API document from FILE instead of building it from the routes
  --stack NAME          the Pulumi stack whose settings the document describes (default: dev, or STACK)`;

/** The command's flags, for node:util parseArgs (infra/src/cli/command-line.ts). */
const FLAGS = { out: { type: 'string', short: 'o' }, openapi: { type: 'string' }, stack: { type: 'string' } } as const;

async function run(args: string[]): Promise<void> {
  // node:util parseArgs (infra/src/cli/command-line.ts): the platform's own, well-kept argument parser; no dependency for three flags.
  const values = parseCommandLine(FLAGS, args);
  refuseEmptyOut(values.out);
  const stack = values.stack ?? process.env.STACK ?? 'dev';
  assertStackExists(stack);
  // Loaded here: the generator takes a second to load, which `--help` and a mistyped flag need not wait for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateClient } = require('../../tools/client/generate') as typeof Generate;
  const source = await generateClient(loadApiDocument({ file: values.openapi && path.resolve(userCwd(), values.openapi), stack }));
  if (!values.out) {
    process.stdout.write(source);
    return;
  }
  const out = path.resolve(userCwd(), values.out);
  writeOutput(out, source);
  process.stderr.write(`Wrote ${out}\n`);
}

/** The directory the user ran `npm run` from: npm sets INIT_CWD and runs the script in the project root. */
function userCwd(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** Loads the generator before tsx is registered (Command.prepare), unless a flag is wrong. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const prepare = prepareUnlessRefused((args) => parseCommandLine(FLAGS, args), () => require('../../tools/client/generate'));

// Every user error (a stack, a document, an argument) exits 2, a bug 1 with its stack; the usage follows a
// mistake on the command line only (a UsageError, the default), not a stack or a document it names.
export const command: Command = { usage: USAGE, prepare, run, ending: { exitCode: (err) => (err instanceof VisibleError ? 2 : 1) } };
