/**
 * `npm run openapi`: writes openapi.json (OpenAPI 3.1) derived from the API definition (the RestApi
 * body, AWS extensions removed), and checks it against the official OpenAPI 3.1 schema.
 * OUT=path to write elsewhere; STACK for the settings (dev); KOA_APIGATEWAY_APP for another app descriptor.
 * The title and version are the app descriptor's (app.config.ts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadApp } from '../../app/load';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../../core/definition';
import { buildOpenApi } from '../../core/openapi/build';
import { validateOpenApi } from '../../core/openapi/validate';
import { readStackConfig, readStackSettings } from '../../settings/settings';
import { buildGatewaySpec } from '../../core/plan';
import { modelFormats } from '../../core/plan/formats';
import type { Command } from '../command';
import { parseCommandLine } from '../command-line';
import { projectRoot } from '../../project';

const USAGE = 'Usage: koa-apigateway openapi (no arguments; OUT=path writes elsewhere, STACK=name reads that stack\'s settings)';

async function run(args: string[]): Promise<void> {
  parseCommandLine({}, args);
  const stack = process.env.STACK || 'dev';
  const app = loadApp();
  const settings = readStackSettings({ stack, app: app.settings ?? {} });
  const spec = buildGatewaySpec(app.createApp({ userPool: settings.userPool !== undefined }));
  const definition = buildApiDefinition(spec, { corsOrigins: settings.corsOrigins, title: app.title, version: app.version }, LOCAL_INVOKE_ARN);
  const doc = buildOpenApi(definition, {
    title: app.title,
    version: app.version,
    stageName: settings.stageName,
    region: readStackConfig({ stack, app: app.settings ?? {} }).all['aws:region'],
    formats: modelFormats(spec),
  });
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
export const command: Command = { run, ending: { usage: USAGE } };
