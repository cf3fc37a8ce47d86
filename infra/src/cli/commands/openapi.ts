/**
 * `koa-apigateway openapi`: writes openapi.json (OpenAPI 3.1) derived from the API definition (the RestApi
 * body, AWS extensions removed), and checks it against the official OpenAPI 3.1 schema. Built by the chain
 * every document comes from (core/build-api.ts), from the app descriptor and the stack's settings
 * (app/load-stack.ts): its title, version, operations and security schemes are the deployed body's.
 * `--out FILE` (or OUT=FILE) to write elsewhere; `--stack NAME` (or STACK=NAME) for the settings (dev), as `synth`
 * takes them; KOA_APIGATEWAY_APP for another app descriptor.
 */
import path from 'node:path';
import { loadApi } from '../../app/load-stack';
import { validateOpenApi } from '../../core/openapi/validate';
import type { Command } from '../command';
import { parseCommandLine, refuseEmptyOut, writeOutput } from '../command-line';
import { projectRoot } from '../../project';

const USAGE = 'Usage: koa-apigateway openapi [--out FILE] [--stack NAME]   (or OUT=FILE, STACK=NAME; default: openapi.json beside Pulumi.yaml, the dev stack)';

/**
 * Returns where to write the document and which stack's settings build it: `--out FILE` (relative to the directory
 * npm was run from, INIT_CWD, as synth's), else OUT (relative to `cwd`), else openapi.json in the project root
 * (the folder of Pulumi.yaml at or above `cwd`); `--stack NAME`, else STACK, else dev. Throws a UsageError on an
 * unknown argument or a missing value.
 */
export function parseOpenApiArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { out: string; stack: string; outFrom: '--out' | 'OUT' | 'default' } {
  const values = parseCommandLine({ out: { type: 'string' }, stack: { type: 'string' } }, argv);
  refuseEmptyOut(values.out);
  const out =
    values.out !== undefined
      ? path.resolve(env.INIT_CWD ?? cwd, values.out)
      : path.resolve(cwd, env.OUT || path.join(projectRoot(cwd), 'openapi.json'));
  return { out, stack: values.stack ?? (env.STACK || 'dev'), outFrom: values.out !== undefined ? '--out' : env.OUT ? 'OUT' : 'default' };
}

async function run(args: string[]): Promise<void> {
  const { out, stack, outFrom } = parseOpenApiArgs(args);
  const { spec, openapi: doc } = loadApi({ stack });
  const result = await validateOpenApi(doc);
  if (!result.valid) {
    process.stderr.write(`openapi.json is not valid OpenAPI 3.1:\n${JSON.stringify(result.errors, null, 2)}\n`);
    process.exit(1);
  }
  writeOutput(out, `${JSON.stringify(doc, null, 2)}\n`, outFrom === 'default' ? '--out' : outFrom);
  process.stdout.write(`Wrote ${out}: ${spec.methods.length} operations, valid OpenAPI 3.1.\n`);
}

// A user error (a setting, a route API Gateway cannot deploy) in one line; a bug with its stack.
export const command: Command = { usage: USAGE, run };
