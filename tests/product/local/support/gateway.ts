import { binaryMediaTypesOf } from '../../../../infra/src/core/plan/binary';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../../../../infra/src/core/definition';
import type { ApiDefinition } from '../../../../infra/src/core/definition/types';
import { parseSettings } from '../../../../infra/src/settings/parse';
import { type GatewaySettings } from '../../../../infra/src/settings/types';
import { createGateway, type GatewayOptions, type LambdaHandler } from '../../../../infra/src/local';
import type { GatewaySpec, MethodSpec, ModelSpec } from '../../../../infra/src/core/plan/types';

export const API_KEY = 'TestKey0123456789abcdefXYZ';

/** Returns settings as Pulumi would read them from `config` (keys without the project prefix). */
export function settingsOf(config: Record<string, string> = {}): GatewaySettings {
  return parseSettings(config);
}

/** Returns a method spec for `METHOD /path`, key required unless told otherwise. */
export function method(httpMethod: MethodSpec['method'], resourcePath: string, extra: Partial<MethodSpec> = {}): MethodSpec {
  return {
    key: `${httpMethod}-${resourcePath.replace(/[^A-Za-z0-9]+/g, '-')}`,
    method: httpMethod,
    resourcePath,
    koaPath: resourcePath.replace(/\{(\w+)\+?\}/g, ':$1'),
    operationId: `${httpMethod.toLowerCase()}${resourcePath.replace(/[^A-Za-z0-9]+/g, '')}`,
    function: 'default',
    apiKeyRequired: true,
    requestParameters: Object.fromEntries([...resourcePath.matchAll(/\{(\w+)\+?\}/g)].map((m) => [`method.request.path.${m[1]}`, true])),
    requestModels: {},
    validator: null,
    responses: {},
    schemas: {},
    ...extra,
  };
}

/** Returns a hand-made gateway spec: the contract the emulator reads, without Koa. */
export function specOf(methods: MethodSpec[], models: ModelSpec[] = []): GatewaySpec {
  const groups = [...new Set(methods.map((m) => m.function))].sort();
  const functions = groups.map((name) => ({ name, routes: methods.filter((m) => m.function === name).map((m) => `${m.method} ${m.resourcePath}`).sort() }));
  return { resources: [], methods, models, validators: [], functions, hash: 'testhash0000' };
}

export interface Started {
  /** The stage's base URL, e.g. `http://127.0.0.1:40123/dev`. */
  url: string;
  /** The server's root URL. */
  root: string;
  /** Access-log lines written so far. */
  logs: string[];
  errors: string[];
  reload(): void;
  close(): Promise<void>;
}

/** Returns the API definition Pulumi would deploy for a spec and settings (the function's ARN aside): what the local gateway reads. */
export function definitionOf(spec: GatewaySpec, settings: GatewaySettings = settingsOf()): ApiDefinition {
  // The API's binary media types, as the chain (core/build-api.ts) deploys them: the routes' and the setting's.
  const binaryMediaTypes = binaryMediaTypesOf(spec, settings.binaryMediaTypes);
  return buildApiDefinition(spec, { corsOrigins: settings.corsOrigins, ...(binaryMediaTypes.length > 0 ? { binaryMediaTypes } : {}) }, LOCAL_INVOKE_ARN);
}

/** Starts a gateway on a random loopback port, reading the definition of `spec` under the settings given (defaults otherwise). */
export async function startGateway(options: Partial<GatewayOptions> & { spec: GatewaySpec; handler?: LambdaHandler }): Promise<Started> {
  const logs: string[] = [];
  const errors: string[] = [];
  const { spec, ...rest } = options;
  const settings = options.settings ?? settingsOf();
  const gateway = createGateway({
    settings,
    definition: definitionOf(spec, settings),
    apiKey: API_KEY,
    log: (line) => logs.push(line),
    logError: (line) => errors.push(line),
    ...rest,
  });
  const { url, stageUrl } = await gateway.listen(0, '127.0.0.1');
  return { url: stageUrl, root: url, logs, errors, reload: () => gateway.reload(), close: () => gateway.close() };
}

/** A handler that answers 200 with the event it received as JSON, and remembers it. */
export function echoHandler(): { handler: LambdaHandler; events: any[] } {
  const events: any[] = [];
  return {
    events,
    handler: async (event) => {
      events.push(event);
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true }) };
    },
  };
}

/**
 * Returns a fresh directory for a test's own bundle, inside the project (dist/, ignored by git):
 * `@aws-sdk/*` stays external in the bundle, as the Lambda runtime provides it, so the bundle must
 * sit where Node resolves it from this project's node_modules.
 */
export async function bundleDir(name: string): Promise<string> {
  const { mkdir, mkdtemp } = await import('node:fs/promises');
  const path = await import('node:path');
  const base = path.resolve(__dirname, '../../../../dist/test-bundles');
  await mkdir(base, { recursive: true });
  return mkdtemp(path.join(base, `${name}-`));
}
