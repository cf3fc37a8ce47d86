import type { AppSettingDeclarations } from 'koa-apigateway';
import type { TodoStorageSettings } from './storage';

/**
 * The example's own Pulumi config keys (`koa-apigateway:<key>`), declared to the product through the app
 * descriptor (app.config.ts `settings`), so the gateway's strict reader checks them with its own. Their
 * defaults and descriptions live here only, not in Pulumi.yaml: another app served through KOA_APIGATEWAY_APP
 * reads Pulumi.yaml unchanged. A stack sets them as usual (`pulumi config set storage memory`).
 * Plain data: the descriptor, and so every script, reads it without loading Pulumi.
 */
export const EXAMPLE_SETTINGS = {
  storage: {
    description: 'Where todos live: dynamodb (a table; service/infra/storage.ts, docs/storage.md) or memory (lost on every cold start).',
    default: 'dynamodb',
    values: ['memory', 'dynamodb'],
  },
  tableDeletionProtection: {
    description: 'DynamoDB deletion protection on the todos table: AWS refuses to delete it while true.',
    default: 'false',
    values: ['true', 'false'],
  },
  tableRetainOnDestroy: {
    description: '`pulumi destroy` leaves the todos table and its data in AWS.',
    default: 'true',
    values: ['true', 'false'],
  },
} as const satisfies AppSettingDeclarations;

/** How the example keeps its todos, typed: from `settings.app` (values already checked against EXAMPLE_SETTINGS). */
export interface ExampleSettings {
  /** `dynamodb` (default): the stack provisions a table; `memory` survives no cold start and is not shared between instances. */
  storage: 'memory' | 'dynamodb';
  /** The DynamoDB table, when `storage` is `dynamodb`. */
  table: TodoStorageSettings;
}

/**
 * Returns the example's settings from the app's settings (`GatewaySettings.app`, parsed by infra/src/settings/parse.ts),
 * or undefined when the app served declares none of them (the program serves another app's descriptor,
 * KOA_APIGATEWAY_APP): then the example's infrastructure is not created.
 */
export function exampleSettings(app: Readonly<Record<string, string>>): ExampleSettings | undefined {
  if (app.storage === undefined) return undefined;
  const value = (key: keyof typeof EXAMPLE_SETTINGS) => app[key] ?? EXAMPLE_SETTINGS[key].default;
  return {
    storage: value('storage') === 'memory' ? 'memory' : 'dynamodb',
    table: { deletionProtection: value('tableDeletionProtection') === 'true', retainOnDestroy: value('tableRetainOnDestroy') === 'true' },
  };
}
