import { buildApi, type ApiOptions, type BuiltApi } from '../core/build-api';
import { parseSettings } from '../settings/parse';
import { readStackConfig, type ReadStackOptions } from '../settings/stack-files';
import type { GatewaySettings } from '../settings/types';
import type { LoadedApp } from './descriptor';
import { loadApp } from './load';

/**
 * The file side of the chain (core/build-api.ts is the pure side): the app descriptor and a stack's settings,
 * read from the project's files as the commands need them (`start`, `openapi`, `conformance`, `client`).
 * `pulumi up` reads the same settings from Pulumi's config instead (infra/src/pulumi/config.ts).
 */

export interface LoadStackOptions {
  /** The stack whose `Pulumi.<stack>.yaml` is read (default `dev`). */
  stack?: string;
  /** The app (default: the descriptor loadApp reads: KOA_APIGATEWAY_APP, else app.config.ts at the project root). */
  app?: LoadedApp;
  /** The environment loadApp reads KOA_APIGATEWAY_APP from (default the process's). */
  env?: NodeJS.ProcessEnv;
  /** The folder of Pulumi.yaml (default: the project root). */
  root?: string;
  /** Values that win over both files (key without the project prefix). */
  overrides?: Record<string, string>;
}

/** An app and one stack's settings, as read from the project's files. */
export interface LoadedStack {
  app: LoadedApp;
  stack: string;
  /** The Pulumi project's name (Pulumi.yaml `name`): the namespace of its config keys in messages. */
  project: string;
  settings: GatewaySettings;
  /** Every config key of the stack, namespaced (`aws:region`, `<project>:rateLimit`), values as strings. */
  config: Record<string, string>;
  /** The stack's `aws:region`, when set. */
  region: string | undefined;
}

/**
 * Returns the app and its stack's checked settings (the descriptor's own keys included): one read of
 * Pulumi.yaml and `Pulumi.<stack>.yaml`. Throws AppDescriptorError, UnknownStackError, UnknownSettingError or
 * SettingsError, each naming the fix (see readStackConfig, parseSettings).
 */
export function loadStack(options: LoadStackOptions = {}): LoadedStack {
  const app = options.app ?? loadApp(options.env);
  const declarations = app.settings ?? {};
  const stack = options.stack ?? 'dev';
  const config = readStackConfig({
    stack,
    app: declarations,
    ...(options.root ? { root: options.root } : {}),
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  const settings = parseSettings(config.project, declarations, config.name);
  return { app, stack, project: config.name, settings, config: config.all, region: config.all['aws:region'] };
}

/**
 * Returns {@link loadStack}'s app and settings with the chain's documents built from them (buildApi): what
 * `koa-apigateway openapi` writes and the conformance suite tests, the region from the stack.
 */
export function loadApi(options: LoadStackOptions & Omit<ApiOptions, 'region'> = {}): LoadedStack & BuiltApi {
  const { invokeArn, userPoolArn, servers, ...load } = options;
  const loaded = loadStack(load);
  const api: ApiOptions = {
    ...(invokeArn ? { invokeArn } : {}),
    ...(userPoolArn ? { userPoolArn } : {}),
    ...(servers ? { servers } : {}),
    ...(loaded.region ? { region: loaded.region } : {}),
  };
  return { ...loaded, ...buildApi(loaded.app, loaded.settings, api) };
}

/**
 * Returns the settings of a stack read from its files (see readStackConfig), the app's own keys checked
 * against `app` (default: those the app's descriptor declares, loadApp). Throws UnknownStackError,
 * UnknownSettingError or SettingsError, each naming the fix.
 */
export function readStackSettings(options: ReadStackOptions = {}): GatewaySettings {
  const app = options.app ?? loadApp().settings ?? {};
  const config = readStackConfig({ ...options, app });
  return parseSettings(config.project, app, config.name);
}
