import path from 'node:path';
import { bundleLambda, PROJECT_ROOT } from '../bundle';
import { readStackConfig, readStackSettings, settingsWarnings, type GatewaySettings } from '../settings';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../definition';
import type { ApiDefinition } from '../definition/types';
import { buildOpenApi } from '../openapi';
import { createApp } from '../../service/app';
import { buildGatewaySpec } from '../spec';
import type { GatewaySpec } from '../spec/types';
import { resolveApiKey } from './api-key';
import { createGateway, normaliseBasePath, type Gateway } from './index';
import { WAF_NOT_EMULATED } from './waf';

export interface LocalOptions {
  env?: NodeJS.ProcessEnv;
  /** Where messages go (default stdout / stderr). */
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** Where the access log goes, one line per request (default stdout). */
  accessLog?: (line: string) => void;
}

export interface RunningLocal {
  gateway: Gateway;
  url: string;
  stageUrl: string;
  /** With BASE_PATH: where the base-path mapping serves the API (`http://127.0.0.1:3000/v1`). */
  customUrl?: string;
  apiKey: string;
  stop(): Promise<void>;
}

/**
 * Builds the bundle and the spec, starts the local gateway and prints the route table, the key and
 * a curl line; the last line, with the base URL, means "ready". Rejects with a readable message
 * (no stack) when something is misconfigured or the port is taken.
 */
export async function startLocal(options: LocalOptions = {}): Promise<RunningLocal> {
  const env = options.env ?? process.env;
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const host = env.HOST || '127.0.0.1';
  const port = parsePort(env.PORT);
  const stack = env.STACK || 'dev';
  let basePath: string | undefined;
  try {
    basePath = normaliseBasePath(env.BASE_PATH);
  } catch (e) {
    throw new LocalStartError((e as Error).message);
  }

  const settings = readStackSettings({ stack });
  for (const warning of settingsWarnings(settings)) err(`warning: ${warning}`);
  const spec = loadSpec();
  const region = readStackConfig({ stack }).all['aws:region'];
  const key = resolveApiKey({ env: env.API_KEY, dir: path.join(PROJECT_ROOT, '.local') });

  // The function's environment, as the deployed stack sets it (the bundle runs in this process).
  env.STAGE_NAME ??= settings.stageName;
  env.STORAGE ??= settings.storage;
  env.CORS_ORIGINS ??= settings.corsOrigins.join(',');

  const started = Date.now();
  // BUNDLE_DIR: build elsewhere than dist/lambda (tests running several gateways at once). Keep it inside
  // the project: @aws-sdk/* is left to the Lambda runtime, so locally it resolves from node_modules.
  const bundle = await bundleLambda(env.BUNDLE_DIR ? { outDir: path.resolve(env.BUNDLE_DIR) } : {});
  const bytes = Object.values(bundle.metafile.outputs).reduce((sum, o) => sum + (o.bytes ?? 0), 0);
  out(`Built ${path.relative(PROJECT_ROOT, bundle.file).startsWith('..') ? bundle.file : path.relative(PROJECT_ROOT, bundle.file)} (${Math.round(bytes / 1024)} KB with its map) in ${Date.now() - started} ms`);

  // The document Pulumi deploys as the RestApi body (the function's ARN aside): the local gateway reads it.
  const definition: ApiDefinition = buildApiDefinition(spec, { corsOrigins: settings.corsOrigins, title: 'koa-apigateway' }, LOCAL_INVOKE_ARN);
  const gateway = createGateway({
    definition,
    settings,
    apiKey: key.key,
    bundleFile: bundle.file,
    ...(basePath !== undefined ? { basePath } : {}),
    ...(options.accessLog ? { log: options.accessLog } : {}),
    openapi: (baseUrl) =>
      buildOpenApi(definition, {
        title: 'koa-apigateway',
        version: '0.1.0',
        stageName: settings.stageName,
        region,
        extraServers: [
          { url: `${baseUrl}/${settings.stageName}`, description: 'This machine (local emulator)' },
          ...(basePath !== undefined ? [{ url: `${baseUrl}${basePath === '' ? '' : `/${basePath}`}`, description: `This machine, as the custom domain's base-path mapping (BASE_PATH)` }] : []),
        ],
      }),
  });
  let address: { url: string; stageUrl: string; customUrl?: string };
  try {
    address = await gateway.listen(port, host);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new LocalStartError(`Port ${port} on ${host} is already in use (another npm start?). Stop that process or choose another port: PORT=${port + 1} npm start`);
    if (code === 'EACCES') throw new LocalStartError(`Not allowed to listen on ${host}:${port}. Choose a port above 1024: PORT=3000 npm start`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new LocalStartError(`HOST=${host} is not an address of this machine. Use HOST=127.0.0.1 (or 0.0.0.0 for every interface).`);
    throw e;
  }

  printBanner(out, { spec, settings, stageUrl: address.stageUrl, customUrl: address.customUrl, url: address.url, apiKey: key.key, keySource: key.source === 'environment' ? 'from API_KEY' : `kept in ${path.relative(PROJECT_ROOT, key.file!)}; set API_KEY to choose one` });
  return { gateway, url: address.url, stageUrl: address.stageUrl, ...(address.customUrl ? { customUrl: address.customUrl } : {}), apiKey: key.key, stop: () => gateway.close() };
}

/** A start-up failure whose message is the whole story: printed without a stack trace. */
export class LocalStartError extends Error {
  override name = 'LocalStartError';
}

function loadSpec(): GatewaySpec {
  // A route API Gateway cannot express fails here, with the spec's message naming the route.
  return buildGatewaySpec(createApp());
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return 3000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LocalStartError(`PORT=${text} is not a port number (0-65535).`);
  return port;
}

function printBanner(
  out: (line: string) => void,
  info: { spec: GatewaySpec; settings: GatewaySettings; url: string; stageUrl: string; customUrl?: string; apiKey: string; keySource: string },
): void {
  const rows = info.spec.methods.map((m) => [m.method, `${info.stageUrl}${m.resourcePath}`, m.apiKeyRequired ? 'x-api-key' : 'public', m.operationId]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  out('');
  out(`Routes (stage "${info.settings.stageName}", as \`pulumi up\` deploys them):`);
  for (const r of rows) out(`  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${r[3]}`);
  out('');
  out(`API key: ${info.apiKey}  (${info.keySource})`);
  out(`Usage plan: ${info.settings.throttle.rateLimit} req/s, burst ${info.settings.throttle.burstLimit}, ${info.settings.quota.limit} per ${info.settings.quota.period}`);
  const sample = info.spec.methods.find((m) => m.apiKeyRequired && m.method === 'GET' && !m.resourcePath.includes('{')) ?? info.spec.methods[0];
  if (sample) out(`Try:     curl -H "x-api-key: ${info.apiKey}" ${info.stageUrl}${sample.resourcePath}`);
  if (info.customUrl) out(`Base path: ${info.customUrl}/... serves the stage as the custom domain's mapping does (BASE_PATH); ${info.stageUrl}/... too`);
  if (info.settings.waf.enabled) {
    out(`WAF:     ${info.settings.waf.rateLimit} requests per 5 minutes per IP, then 403 (the web ACL's rate rule)`);
    out(`         not emulated: ${WAF_NOT_EMULATED.map((item) => item.split(':')[0]).join('; ')}`);
  }
  out(`Docs:    ${info.url}/docs   OpenAPI: ${info.url}/openapi.json`);
  out(`Local API Gateway listening on ${info.stageUrl}  (Ctrl-C to stop)`);
}
