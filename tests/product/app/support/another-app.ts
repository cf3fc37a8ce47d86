import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Returns the environment that points every script at the descriptor `app` (relative to the project):
 * KOA_APIGATEWAY_APP, a random loopback port, the local API key `apiKey` and a bundle folder of its own (a
 * fresh temporary one: the scripts run in the real tree and must not rewrite the dist/lambda other tests
 * read); without the npm and stack variables of the test run itself, so each script reads the project it runs in.
 */
export function anotherAppEnv(app: string, apiKey: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KOA_APIGATEWAY_APP: app,
    PORT: '0',
    HOST: '127.0.0.1',
    API_KEY: apiKey,
    KOA_APIGATEWAY_BUNDLE_DIR: mkdtempSync(path.join(tmpdir(), 'another-app-bundle-')),
  };
  delete env.INIT_CWD;
  delete env.STACK;
  return env;
}
