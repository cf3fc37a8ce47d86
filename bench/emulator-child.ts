/**
 * The local gateway as `npm start` composes it (infra/emulator/cli.ts: the stack's settings, the spec
 * of the service, the real bundle, memory storage), but with the stage throttle raised, so a load test
 * measures the server rather than the deployed 100 req/s limit. Prints `READY <stage url>` when listening.
 * Usage: tsx bench/emulator-child.ts <port>
 */
import { bundleLambda } from '../infra/bundle';
import { createGateway } from '../infra/emulator';
import { readStackSettings } from '../infra/settings';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../infra/definition';
import { buildGatewaySpec } from '../infra/plan';
import { createApp } from '../service/app';

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  const settings = readStackSettings({ overrides: { rateLimit: '1000000', burstLimit: '1000000' } });
  // The function's environment, as startLocal sets it.
  process.env.STAGE_NAME ??= settings.stageName;
  process.env.STORAGE = 'memory';
  process.env.CORS_ORIGINS ??= settings.corsOrigins.join(',');
  const spec = buildGatewaySpec(createApp());
  const { file } = await bundleLambda();
  const definition = buildApiDefinition(spec, { corsOrigins: settings.corsOrigins }, LOCAL_INVOKE_ARN);
  const gateway = createGateway({ definition, settings, apiKey: 'benchmarkKey0123456789abcdef', bundleFile: file });
  const { stageUrl } = await gateway.listen(port, '127.0.0.1');
  process.stdout.write(`READY ${stageUrl}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
