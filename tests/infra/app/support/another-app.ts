import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { EXAMPLE_SETTINGS } from '../../../../service/infra/settings';
import { copyProject } from '../../../support/files';

/**
 * Returns a copy of the project ready to serve another app through KOA_APIGATEWAY_APP: its Pulumi.yaml no
 * longer declares the example's config keys (README "Layout", step 3), and its dev stack file is `devStack`
 * (YAML text). The caller removes it.
 */
export function projectForAnotherApp(prefix: string, devStack = 'config:\n  aws:region: us-east-1\n'): string {
  const copy = copyProject(prefix);
  const project = parse(readFileSync(path.join(copy, 'Pulumi.yaml'), 'utf8')) as { config: Record<string, unknown> };
  for (const key of Object.keys(EXAMPLE_SETTINGS)) delete project.config[key];
  writeFileSync(path.join(copy, 'Pulumi.yaml'), stringify(project));
  writeFileSync(path.join(copy, 'Pulumi.dev.yaml'), devStack);
  return copy;
}

/**
 * Returns the environment that points every script at the descriptor `app` (relative to the project):
 * KOA_APIGATEWAY_APP, a random loopback port and the local API key `apiKey`; without the npm, stack and
 * bundle-folder variables of the test run itself, so each script reads the copy it runs in.
 */
export function anotherAppEnv(app: string, apiKey: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KOA_APIGATEWAY_APP: app, PORT: '0', HOST: '127.0.0.1', API_KEY: apiKey };
  delete env.INIT_CWD;
  delete env.STACK;
  delete env.KOA_APIGATEWAY_BUNDLE_DIR;
  return env;
}
