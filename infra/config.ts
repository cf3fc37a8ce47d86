import * as pulumi from '@pulumi/pulumi';
import { parseSettings, type GatewaySettings } from './settings';

/**
 * Returns the settings of the running Pulumi stack: every config key of this project (so a mistyped key
 * fails here, at preview, as it does in `npm start` and `npm run synth`), defaults applied, checked
 * (errors name the key and the fix: infra/settings.ts).
 */
export function readPulumiSettings(): GatewaySettings {
  const prefix = `${pulumi.getProject()}:`;
  const raw: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
  return parseSettings(raw);
}
