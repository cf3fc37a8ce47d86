/**
 * The local gateway as `npm start` composes it (infra/src/local/start.ts: the app's descriptor, the stack's
 * settings, the spec of its routes, the real bundle, the function's environment as deployed), but with the
 * stage throttle raised, so a load test measures the server rather than the deployed 100 req/s limit. No
 * local services: the example then keeps its todos in memory. Prints `READY <stage url>` when listening.
 * Usage: tsx bench/emulator-child.ts <port> (KOA_APIGATEWAY_APP names another descriptor, as for every script)
 */
import { loadApp } from '../infra/src/app/load';
import { bundleDirFromEnv, bundleLambda } from '../infra/src/bundle/bundle';
import { createGateway } from '../infra/src/local';
import { functionEnvironment } from '../infra/src/pulumi/function-environment';
import { readStackSettings } from '../infra/src/app/load-stack';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../infra/src/core/definition';
import { buildGatewaySpec } from '../infra/src/core/plan';

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  const app = loadApp();
  const settings = readStackSettings({ app: app.settings ?? {}, overrides: { rateLimit: '1000000', burstLimit: '1000000', stageRateLimit: '1000000', stageBurstLimit: '1000000' } });
  // The function's environment, as the gateway component deploys it (the bundle runs in this process).
  for (const [name, value] of Object.entries(functionEnvironment(settings))) process.env[name] ??= value;
  const spec = buildGatewaySpec(app.createApp({ userPool: false }));
  const { file } = await bundleLambda({ app, outDir: bundleDirFromEnv() });
  const definition = buildApiDefinition(spec, { corsOrigins: settings.corsOrigins, title: app.title, version: app.version }, LOCAL_INVOKE_ARN);
  const gateway = createGateway({ definition, settings, apiKey: 'benchmarkKey0123456789abcdef', bundleFile: file });
  const { stageUrl } = await gateway.listen(port, '127.0.0.1');
  process.stdout.write(`READY ${stageUrl}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
