/**
 * `npm run openapi`: writes openapi.json (OpenAPI 3.1) derived from the API definition (the RestApi
 * body, AWS extensions removed), and checks it against the official OpenAPI 3.1 schema.
 * OUT=path to write elsewhere; STACK for the settings (dev).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../service/app';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../infra/definition';
import { buildOpenApi } from '../infra/openapi';
import { validateOpenApi } from '../infra/openapi/validate';
import { readStackConfig, readStackSettings } from '../infra/settings';
import { buildGatewaySpec } from '../infra/plan';
import { describeFailure } from '../infra/errors';
import { parseCommandLine, UsageError } from './command-line';

const USAGE = 'Usage: npm run openapi (no arguments; OUT=path writes elsewhere, STACK=name reads that stack\'s settings)';

async function main(): Promise<void> {
  parseCommandLine({});
  const stack = process.env.STACK || 'dev';
  const settings = readStackSettings({ stack });
  const spec = buildGatewaySpec(createApp());
  const definition = buildApiDefinition(spec, { corsOrigins: settings.corsOrigins, title: 'koa-apigateway' }, LOCAL_INVOKE_ARN);
  const doc = buildOpenApi(definition, { title: 'koa-apigateway', version: '0.1.0', stageName: settings.stageName, region: readStackConfig({ stack }).all['aws:region'] });
  const result = await validateOpenApi(doc);
  if (!result.valid) {
    process.stderr.write(`openapi.json is not valid OpenAPI 3.1:\n${JSON.stringify(result.errors, null, 2)}\n`);
    process.exit(1);
  }
  const out = path.resolve(process.env.OUT || path.join(__dirname, '..', 'openapi.json'));
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  process.stdout.write(`Wrote ${path.relative(process.cwd(), out) || out}: ${spec.methods.length} operations, valid OpenAPI 3.1.\n`);
}

main().catch((err: unknown) => {
  // A user error (a setting, a route API Gateway cannot deploy) in one line; a bug with its stack.
  process.stderr.write(`npm run openapi: ${describeFailure(err)}\n${err instanceof UsageError ? `\n${USAGE}\n` : ''}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
