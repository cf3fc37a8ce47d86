import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Returns the environment a command of a project runs with here: a random loopback port, the local API key
 * `apiKey`, a bundle folder of its own (a fresh temporary one: the project's dist/lambda is what other tests read),
 * and, when `app` is given, KOA_APIGATEWAY_APP pointing at that descriptor (relative to the project) instead of the
 * project's own app.config.ts; without the npm and stack variables of the test run itself, so each command reads
 * the project it runs in.
 */
export function projectEnv(apiKey: string, app?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    API_KEY: apiKey,
    KOA_APIGATEWAY_BUNDLE_DIR: mkdtempSync(path.join(tmpdir(), 'project-bundle-')),
  };
  if (app) env.KOA_APIGATEWAY_APP = app;
  else delete env.KOA_APIGATEWAY_APP;
  delete env.INIT_CWD;
  delete env.STACK;
  return env;
}
