import * as pulumi from '@pulumi/pulumi';
import { assertProjectNamespace } from '../settings/namespace';
import { assertKnownKeys, parseSettings } from '../settings/parse';
import { projectDeclaredKeys } from '../settings/stack-files';
import type { AppSettingDeclarations, GatewaySettings } from '../settings/types';
import { visibleAsRunError } from './run-error';

/**
 * Returns the settings of the running Pulumi stack: every config key of this project (so a mistyped key
 * fails here, at preview, as it does in `koa-apigateway start` and `synth`), defaults applied, checked
 * (errors name the key in the project's own namespace, `pulumi.getProject()`, and the fix: infra/src/settings/parse.ts).
 * `app`: the app's own keys (its descriptor's `settings`).
 * Throws a pulumi.RunError (its `cause` the SettingsError, UnknownSettingError or UnknownNamespaceError), which
 * `pulumi up` prints as its message alone (./run-error.ts).
 */
export function readPulumiSettings(app: AppSettingDeclarations = {}): GatewaySettings {
  return visibleAsRunError(() => readSettings(app));
}

function readSettings(app: AppSettingDeclarations): GatewaySettings {
  const project = pulumi.getProject();
  const prefix = `${project}:`;
  const config = pulumi.runtime.allConfig();
  // `koa-apigatway:rateLimit` would otherwise be read by no one and rateLimit silently be its default.
  assertProjectNamespace(Object.keys(config), project);
  const raw: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(config)) if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
  // Pulumi hands the program Pulumi.yaml's defaults with the stack's values: the fix of an unknown key says
  // which file to edit (a declaration in Pulumi.yaml is no `pulumi config rm` away).
  const declared = new Set(projectDeclaredKeys());
  assertKnownKeys(Object.keys(raw), app, (key) => ({ declaredInProject: declared.has(key), setInStack: declared.has(key) ? undefined : true }), project);
  return parseSettings(raw, app, project);
}
