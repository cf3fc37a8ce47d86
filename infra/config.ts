import * as pulumi from '@pulumi/pulumi';
import { parseSettings, SETTING_KEYS, type GatewaySettings } from './settings';

/** Returns the settings of the running Pulumi stack: its config, defaults applied, checked (errors name the key). */
export function readPulumiSettings(): GatewaySettings {
  const config = new pulumi.Config();
  const raw: Record<string, string | undefined> = {};
  for (const key of SETTING_KEYS) raw[key] = config.get(key);
  return parseSettings(raw);
}
