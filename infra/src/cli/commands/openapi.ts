/**
 * `koa-apigateway openapi`: writes openapi.json (OpenAPI 3.1) derived from the API definition (the RestApi
 * body, AWS extensions removed), and checks it against the official OpenAPI 3.1 schema. Built by the chain
 * every document comes from (core/build-api.ts), from the app descriptor and the stack's settings
 * (app/load-stack.ts): its title, version, operations and security schemes are the deployed body's.
 * OUT=path to write elsewhere; STACK for the settings (dev); KOA_APIGATEWAY_APP for another app descriptor.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadApi } from '../../app/load-stack';
import { validateOpenApi } from '../../core/openapi/validate';
import type { Command } from '../command';
import { parseCommandLine } from '../command-line';
import { projectRoot } from '../../project';

const USAGE = 'Usage: koa-apigateway openapi (no arguments; OUT=path writes elsewhere, STACK=name reads that stack\'s settings)';

async function run(args: string[]): Promise<void> {
  parseCommandLine({}, args);
  const { spec, openapi: doc } = loadApi({ stack: process.env.STACK || 'dev' });
  const result = await validateOpenApi(doc);
  if (!result.valid) {
    process.stderr.write(`openapi.json is not valid OpenAPI 3.1:\n${JSON.stringify(result.errors, null, 2)}\n`);
    process.exit(1);
  }
  const out = path.resolve(process.env.OUT || path.join(projectRoot(), 'openapi.json'));
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  process.stdout.write(`Wrote ${path.relative(process.cwd(), out) || out}: ${spec.methods.length} operations, valid OpenAPI 3.1.\n`);
}

// A user error (a setting, a route API Gateway cannot deploy) in one line; a bug with its stack.
export const command: Command = { usage: USAGE, run };
