import * as pulumi from '@pulumi/pulumi';
import { assertKnownKeys, assertProjectNamespace, parseSettings, projectDeclaredKeys, type AppSettingDeclarations, type GatewaySettings } from '../settings/settings';

/**
 * Returns the settings of the running Pulumi stack: every config key of this project (so a mistyped key
 * fails here, at preview, as it does in `npm start` and `npm run synth`), defaults applied, checked
 * (errors name the key and the fix: infra/src/settings/settings.ts). `app`: the app's own keys (its descriptor's `settings`).
 */
export function readPulumiSettings(app: AppSettingDeclarations = {}): GatewaySettings {
  const prefix = `${pulumi.getProject()}:`;
  const config = pulumi.runtime.allConfig();
  // `koa-apigatway:rateLimit` would otherwise be read by no one and rateLimit silently be its default.
  assertProjectNamespace(Object.keys(config), pulumi.getProject());
  const raw: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(config)) if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
  // Pulumi hands the program Pulumi.yaml's defaults with the stack's values: the fix of an unknown key says
  // which file to edit (a declaration in Pulumi.yaml is no `pulumi config rm` away).
  const declared = new Set(projectDeclaredKeys());
  assertKnownKeys(Object.keys(raw), app, (key) => ({ declaredInProject: declared.has(key), setInStack: declared.has(key) ? undefined : true }));
  return parseSettings(raw, app);
}
