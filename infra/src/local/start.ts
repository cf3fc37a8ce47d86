import path from 'node:path';
import { bundleDirFromEnv, type BundleResult } from '../bundle/bundle';
import { bundleFunctionGroups } from '../bundle/groups';
import { functionOfInvokeArn, localInvokeArn } from '../core/definition/document';
import { DEFAULT_FUNCTION, resolveFunction } from '../core/plan/functions';
import { projectRoot } from '../project';
import { settingsWarnings } from '../settings/parse';
import type { GatewaySettings } from '../settings/types';
import { defineApi, documentApi, planApi } from '../core/build-api';
import type { ApiDefinition } from '../core/definition/types';
import { type LoadedApp, type LocalServices } from '../app/descriptor';
import { loadStack } from '../app/load-stack';
import type { GatewaySpec } from '../core/plan/types';
import { resolveApiKey } from './api-key-store';
import { loadDevIssuer, LOCAL_USER_POOL_ARN, LOCAL_USER_POOL_ID } from './dev-issuer';
import { readDefinition } from './definition';
import type { LocalFunction } from './function-process';
import { BINARY_MEDIA_TYPES_VARIABLE } from '../lambda/binary';
import { binaryMediaTypeWarnings } from '../core/plan/binary';
import { createGateway, normaliseBasePath, type Gateway } from './index';
import { WAF_NOT_EMULATED } from './waf';
import { bodyLimitRules } from '../core/waf-body-limits';
import { LocalStartError } from '../errors';

/** The local pages of the gateway (infra/src/local/index.ts localPage): a base path there would be shadowed by them. */
const LOCAL_PAGES = ['docs', 'openapi.json'];

/**
 * Returns the base path `koa-apigateway start` serves the stage at, besides `/<stage>`, and where it came from:
 * `BASE_PATH` when set (it wins), else the stack's `basePath` when the stack has a custom domain
 * (`domainName`; '' maps the whole host, as the deployed domain does), else undefined (stage URL only).
 * Throws a VisibleError naming BASE_PATH for a path that is not one segment (normaliseBasePath), and a
 * LocalStartError naming BASE_PATH or the stack's basePath for one of the local pages (`/docs`, `/openapi.json`), which answer first.
 */
export function localBasePath(envBasePath: string | undefined, settings: Pick<GatewaySettings, 'domain'>, stack: string): { basePath: string | undefined; source: string } {
  const fromEnv = envBasePath !== undefined && envBasePath !== '';
  const source = fromEnv ? 'BASE_PATH' : `basePath of stack ${stack}`;
  // normaliseBasePath throws a VisibleError naming BASE_PATH.
  const basePath = fromEnv ? normaliseBasePath(envBasePath) : settings.domain?.basePath;
  if (basePath !== undefined && LOCAL_PAGES.includes(basePath)) {
    const named = fromEnv ? `BASE_PATH=${envBasePath}` : `The basePath "${basePath}" of stack ${stack} (Pulumi.${stack}.yaml)`;
    throw new LocalStartError(
      `${named} overlaps the local gateway's own page /${basePath} (the pages /docs and /openapi.json answer before the API). ` +
        `Fix: serve the mapping under another segment locally, e.g. BASE_PATH=/v1 npx koa-apigateway start${fromEnv ? '' : ` (BASE_PATH overrides the stack's basePath)`}.`,
    );
  }
  return { basePath, source };
}

export interface LocalOptions {
  /** The app to serve (default: the descriptor `loadApp(env)` reads: KOA_APIGATEWAY_APP, else app.config.ts). */
  app?: LoadedApp;
  /** The project served: its stack files and `.local/` (default: projectRoot(), found from the current directory). */
  root?: string;
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
  /** With BASE_PATH or a stack with a custom domain: where the base-path mapping serves the API (`http://127.0.0.1:3000/v1`). */
  customUrl?: string;
  apiKey: string;
  stop(): Promise<void>;
}

/**
 * Starts the app's local services (its descriptor's `localServices`), builds the bundle and the spec,
 * starts the local gateway (each function the definition invokes in a process of its own, running the bundle:
 * localFunctionsOf) and prints the route table, the key and a curl line; the last line, with the
 * base URL, means "ready". Rejects with a readable message (a VisibleError, no stack) when something is
 * misconfigured or the port is taken, and with the error itself (stack kept) for anything else, such as a
 * bug in the app's `localServices`; `stop()` stops the gateway, then the local services.
 */
export async function startLocal(options: LocalOptions = {}): Promise<RunningLocal> {
  const env = options.env ?? process.env;
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const host = env.HOST || '127.0.0.1';
  const port = parsePort(env.PORT);
  const stack = env.STACK || 'dev';
  const root = options.root ?? projectRoot();

  // USER_POOL=create koa-apigateway start: token routes locally without touching the stack's config (docs/auth.md).
  const { app, settings, project, region } = loadStack({ stack, env, root, ...(options.app ? { app: options.app } : {}), ...(env.USER_POOL ? { overrides: { userPool: env.USER_POOL } } : {}) });
  const { basePath, source: basePathSource } = localBasePath(env.BASE_PATH, settings, stack);
  for (const warning of settingsWarnings(settings, project)) err(`warning: ${warning}`);
  // A route API Gateway cannot express fails here, with the spec's message naming the route.
  const spec = planApi(app, settings);
  // A binary media type covering JSON changes every route (docs/binary.md): said here as `pulumi preview` says it.
  for (const warning of binaryMediaTypeWarnings(spec.methods, settings.binaryMediaTypes, `${project}:binaryMediaTypes`)) err(`warning: ${warning}`);
  // Locally, user-pool routes trust the development issuer (keys in .local/, tokens from `koa-apigateway token`).
  const devIssuer = settings.userPool ? await loadDevIssuer(path.join(root, '.local')) : undefined;
  const key = resolveApiKey({ env: env.API_KEY, dir: path.join(root, '.local') });

  // The function's environment, as the deployed stack sets it (each function's process gets it: ./function-process.ts).
  env.CORS_ORIGINS ??= settings.corsOrigins.join(',');
  if (devIssuer) env.USER_POOL_ID ??= LOCAL_USER_POOL_ID;

  // What the app needs beside it (a local database): before the bundle loads, which reads what it sets in env.
  // A user error there is a VisibleError from its source (printed in one line); anything else is a bug of the
  // app's and propagates unchanged, stack and all.
  const services: LocalServices | undefined = await app.localServices?.({ env, settings: settings.app, out });
  try {
    return await serve({ root, app, env, out, host, port, settings, basePath, basePathSource, spec, devIssuer, region, key, accessLog: options.accessLog, services });
  } catch (e) {
    await services?.close();
    throw e;
  }
}

/** The second half of startLocal: bundle, definition, gateway, banner. */
async function serve(s: {
  root: string;
  app: LoadedApp;
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  host: string;
  port: number;
  settings: GatewaySettings;
  basePath: string | undefined;
  basePathSource: string;
  spec: GatewaySpec;
  devIssuer: Awaited<ReturnType<typeof loadDevIssuer>> | undefined;
  region: string | undefined;
  key: ReturnType<typeof resolveApiKey>;
  accessLog: ((line: string) => void) | undefined;
  services: LocalServices | undefined;
}): Promise<RunningLocal> {
  const { root, app, env, out, host, port, settings, basePath, basePathSource, spec, devIssuer, region, key } = s;
  const started = Date.now();
  // One bundle per distinct entry of the function groups, as `pulumi up` builds them (infra/src/bundle/groups.ts);
  // KOA_APIGATEWAY_BUNDLE_DIR: build elsewhere than dist/lambda (tests running several gateways at once).
  const groups = spec.functions.length > 0 ? spec.functions.map((f) => f.name) : [DEFAULT_FUNCTION];
  const routes = Object.fromEntries(spec.functions.map((f) => [f.name, f.routes]));
  const pending = bundleFunctionGroups({ root, app, groups, outDir: bundleDirFromEnv(env) ?? path.join(root, 'dist', 'lambda'), routes });
  const bundles: Record<string, BundleResult> = {};
  const reported = new Set<string>();
  for (const group of groups) {
    const bundle = (bundles[group] = await pending[group]!);
    if (reported.has(bundle.file)) continue;
    reported.add(bundle.file);
    const bytes = Object.values(bundle.metafile.outputs).reduce((sum, o) => sum + (o.bytes ?? 0), 0);
    const shown = path.relative(root, bundle.file).startsWith('..') ? bundle.file : path.relative(root, bundle.file);
    const served = groups.filter((g) => pending[g] === pending[group]);
    out(`Built ${shown} (${Math.round(bytes / 1024)} KB with its map) in ${Date.now() - started} ms${groups.length > 1 || group !== DEFAULT_FUNCTION ? ` for ${served.length > 1 ? 'the functions' : 'the function'} ${served.join(', ')}` : ''}`);
  }

  // The document Pulumi deploys as the RestApi body (the function's and the pool's ARNs aside): the local gateway reads it.
  const definition: ApiDefinition = defineApi(spec, app, settings, devIssuer ? { userPoolArn: LOCAL_USER_POOL_ARN } : {});
  // Each function group runs its own bundle in a process of its own, with its own memory, timeout and variables
  // (resolveFunction: the group's settings over the stack's), over the variables every deployed function gets
  // (set above; the process environment under them), as `pulumi up` configures each function.
  // The API's binary media types, read from the definition as API Gateway reads them from the imported body (docs/binary.md):
  // the gateway converts by them (createGateway's default, docs/apigateway-behaviour.md §5.5, §6.8) and each function is told them, as `pulumi up` tells it (BINARY_MEDIA_TYPES).
  const binaryMediaTypes = definition['x-amazon-apigateway-binary-media-types'] ?? [];
  const functionVariables: Record<string, string> = {
    CORS_ORIGINS: env.CORS_ORIGINS ?? settings.corsOrigins.join(','),
    ...(binaryMediaTypes.length > 0 ? { [BINARY_MEDIA_TYPES_VARIABLE]: binaryMediaTypes.join(',') } : {}),
    ...(devIssuer ? { USER_POOL_ID: env.USER_POOL_ID ?? LOCAL_USER_POOL_ID } : {}),
  };
  const functions = localFunctionsOf(
    definition,
    groups.map((group) => {
      const fn = spec.functions.find((f) => f.name === group);
      const resolved = fn ? resolveFunction(fn, settings) : undefined;
      return {
        name: functionOfInvokeArn(localInvokeArn(group))!,
        group,
        bundleFile: bundles[group]!.file,
        environment: { ...functionVariables, ...(resolved?.environment ?? {}) },
        memorySize: resolved?.memorySize ?? settings.lambda.memorySize,
        timeoutSeconds: resolved?.timeoutSeconds ?? settings.lambda.timeoutSeconds,
        ...(resolved?.stream ? { stream: true } : {}),
      };
    }),
  );
  const gateway = createGateway({
    definition,
    settings,
    ...(devIssuer ? { userPools: devIssuer.userPools } : {}),
    apiKey: key.key,
    functions,
    ...(basePath !== undefined ? { basePath } : {}),
    ...(settings.waf.enabled ? { bodyLimits: bodyLimitRules(spec.methods, settings.stageName, basePath !== undefined ? { basePath } : undefined) } : {}),
    ...(s.accessLog ? { log: s.accessLog } : {}),
    openapi: (baseUrl) =>
      documentApi(spec, definition, app, settings, {
        ...(region ? { region } : {}),
        servers: [
          { url: `${baseUrl}/${settings.stageName}`, description: 'This machine (local emulator)' },
          ...(basePath !== undefined ? [{ url: `${baseUrl}${basePath === '' ? '' : `/${basePath}`}`, description: `This machine, as the custom domain's base-path mapping (${basePathSource})` }] : []),
        ],
      }),
  });
  let address: { url: string; stageUrl: string; customUrl?: string };
  try {
    address = await gateway.listen(port, host);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new LocalStartError(`Port ${port} on ${host} is already in use (another koa-apigateway start?). Stop that process or choose another port: PORT=${port + 1} npx koa-apigateway start`);
    if (code === 'EACCES') throw new LocalStartError(`Not allowed to listen on ${host}:${port}. Choose a port above 1024: PORT=3000 npx koa-apigateway start`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new LocalStartError(`HOST=${host} is not an address of this machine. Use HOST=127.0.0.1 (or 0.0.0.0 for every interface).`);
    throw e;
  }

  printBanner(out, { spec, settings, stageUrl: address.stageUrl, customUrl: address.customUrl, basePathSource, url: address.url, apiKey: key.key, keySource: key.source === 'environment' ? 'from API_KEY' : `kept in ${path.relative(root, key.file!)}; set API_KEY to choose one` });
  const stop = async () => {
    await gateway.close();
    await s.services?.close();
  };
  return { gateway, url: address.url, stageUrl: address.stageUrl, ...(address.customUrl ? { customUrl: address.customUrl } : {}), apiKey: key.key, stop };
}

/** One function `startLocal` runs: its name (as the definition's integration uris carry it), its group and bundle, its settings. */
export interface LocalFunctionEntry {
  /** The function name inside the invoke ARN of its methods' integration uri (infra/src/core/definition/document.ts functionOfInvokeArn). */
  name: string;
  /** The route group it serves. */
  group: string;
  /** The esbuild bundle whose `handler` it runs. */
  bundleFile: string;
  /** Its own variables, over the gateway's process environment. */
  environment?: Readonly<Record<string, string>>;
  /** MB. */
  memorySize: number;
  /** Whole seconds. */
  timeoutSeconds: number;
  /** Its routes stream (docs/streaming.md): LocalFunction `stream`. */
  stream?: boolean;
}

/**
 * Returns the names of the functions a definition's Lambda proxy methods invoke (infra/src/core/definition/document.ts functionOfInvokeArn), each once, in the
 * definition's order. Throws a LocalStartError naming the method whose integration uri is not a Lambda invoke ARN.
 */
export function invokedFunctions(definition: ApiDefinition): string[] {
  const names = new Set<string>();
  for (const m of readDefinition(definition).methods) {
    if (m.integration.type !== 'aws_proxy') continue;
    if (m.integration.functionName === undefined) throw new LocalStartError(`The method ${m.key} of the API definition has an integration uri that is not a Lambda invoke ARN: the local gateway cannot tell which function serves it.`);
    names.add(m.integration.functionName);
  }
  return [...names];
}

/**
 * Returns `GatewayOptions.functions` (./pipeline.ts) for `entries`, keyed by function name: what the local gateway
 * runs, each function in a process of its own. Throws a LocalStartError naming the method and its function when
 * the definition invokes a function no entry names, or when two entries share a name; an entry no method invokes
 * (a group without routes) is left out, as `pulumi up` deploys nothing for it.
 */
export function localFunctionsOf(definition: ApiDefinition, entries: readonly LocalFunctionEntry[]): Record<string, LocalFunction> {
  const byName = new Map<string, LocalFunctionEntry>();
  for (const entry of entries) {
    if (byName.has(entry.name)) throw new LocalStartError(`Two local functions are named "${entry.name}" (groups "${byName.get(entry.name)!.group}" and "${entry.group}"): each function needs its own name.`);
    byName.set(entry.name, entry);
  }
  const functions: Record<string, LocalFunction> = {};
  for (const m of readDefinition(definition).methods) {
    if (m.integration.type !== 'aws_proxy' || m.integration.functionName === undefined) continue;
    const entry = byName.get(m.integration.functionName);
    if (!entry) throw new LocalStartError(`The method ${m.key} invokes the function "${m.integration.functionName}", which no local function is named (there are: ${[...byName.keys()].join(', ') || 'none'}).`);
    functions[entry.name] ??= {
      group: entry.group,
      bundleFile: entry.bundleFile,
      ...(entry.environment ? { environment: entry.environment } : {}),
      memorySize: entry.memorySize,
      timeoutSeconds: entry.timeoutSeconds,
      ...(entry.stream ? { stream: true } : {}),
    };
  }
  return functions;
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return 3000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LocalStartError(`PORT=${text} is not a port number (0-65535).`);
  return port;
}

function printBanner(
  out: (line: string) => void,
  info: { spec: GatewaySpec; settings: GatewaySettings; url: string; stageUrl: string; customUrl?: string; basePathSource?: string; apiKey: string; keySource: string },
): void {
  const authOf = (m: GatewaySpec['methods'][number]) =>
    m.userPool ? `token${m.userPool.scopes.length ? ` (${m.userPool.scopes.join(' or ')})` : ''}${m.apiKeyRequired ? ' + x-api-key' : ''}` : m.apiKeyRequired ? 'x-api-key' : 'public';
  const rows = info.spec.methods.map((m) => [m.method, `${info.stageUrl}${m.resourcePath}`, authOf(m), m.operationId]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  out('');
  out(`Routes (stage "${info.settings.stageName}", as \`pulumi up\` deploys them):`);
  // With more than one function group, each route's group (the function serving it) ends its row.
  const grouped = new Set(info.spec.methods.map((m) => m.function)).size > 1;
  const width3 = Math.max(...rows.map((r) => r[3]!.length));
  info.spec.methods.forEach((m, i) => {
    const r = rows[i]!;
    out(`  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${grouped ? `${r[3]!.padEnd(width3)}  function ${m.function}` : r[3]}`);
  });
  out('');
  out(`API key: ${info.apiKey}  (${info.keySource})`);
  out(`Usage plan: ${info.settings.throttle.rateLimit} req/s, burst ${info.settings.throttle.burstLimit}, ${info.settings.quota.limit} per ${info.settings.quota.period} (per key)`);
  out(`Stage:      ${info.settings.stageThrottle.rateLimit} req/s, burst ${info.settings.stageThrottle.burstLimit} per method (all clients)`);
  // A curl that works as printed: a GET that needs no token and no parameter (path parameters are always
  // required), one behind the key first; with none such, no Try line rather than one that answers 400.
  const callable = info.spec.methods.filter((m) => m.method === 'GET' && !m.userPool && !Object.values(m.requestParameters).some(Boolean));
  const sample = callable.find((m) => m.apiKeyRequired) ?? callable[0];
  if (sample) out(`Try:     curl ${sample.apiKeyRequired ? `-H "x-api-key: ${info.apiKey}" ` : ''}${info.stageUrl}${sample.resourcePath}`);
  if (info.spec.methods.some((m) => m.userPool)) out('Tokens:  npx koa-apigateway token (ID token), npx koa-apigateway token --scope <scope> (access token); send as Authorization: <token>');
  if (info.customUrl) out(`Base path: ${info.customUrl}/... serves the stage as the custom domain's mapping does (${info.basePathSource ?? 'BASE_PATH'}); ${info.stageUrl}/... too`);
  if (info.settings.waf.enabled) {
    out(`WAF:     ${info.settings.waf.rateLimit} requests per 5 minutes per IP, then 403 (the web ACL's rate rule)`);
    const limits = bodyLimitRules(info.spec.methods, info.settings.stageName);
    if (limits.length > 0) out(`         body limits by Content-Length, then 413: ${limits.map((r) => `${r.route} ${r.limit} bytes`).join(', ')}`);
    out(`         not emulated: ${WAF_NOT_EMULATED.map((item) => item.split(':')[0]).join('; ')}`);
  }
  out(`Docs:    ${info.url}/docs   OpenAPI: ${info.url}/openapi.json`);
  out(`Local API Gateway listening on ${info.stageUrl}  (Ctrl-C to stop)`);
}
