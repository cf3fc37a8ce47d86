import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppFile } from '../../../infra/src/app/load';
import { loadStack } from '../../../infra/src/app/load-stack';
import { SettingsError, UnknownNamespaceError, UnknownSettingError } from '../../../infra/src/errors';
import { settingsWarnings } from '../../../infra/src/settings/parse';
import { CLI, runProcess } from '../../support/process';
import { copyShop } from '../../support/apps/shop/copy';

/**
 * A user's project is named after itself: its config keys are `<its name>:<key>` (Pulumi.yaml `name`), and
 * every message of the package names them so, never `koa-apigateway:` (this repository's name). The shop
 * (tests/support/apps/shop/) is `shop-api`.
 */
const DEV = 'config:\n  aws:region: eu-west-1\n  shop-api:userPool: create\n';

function projectEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['INIT_CWD', 'STACK', 'KOA_APIGATEWAY_APP', 'KOA_APIGATEWAY_BUNDLE_DIR', 'BUNDLE_DIR']) delete env[name];
  return env;
}

describe('a project not named koa-apigateway: its own namespace in every message', () => {
  let copy: string;
  const stack = (extra: string) => writeFileSync(path.join(copy, 'Pulumi.dev.yaml'), `${DEV}${extra}`);
  const load = () => loadStack({ root: copy, app: loadAppFile(path.join(copy, 'app.config.ts')) });
  const failure = (run: () => unknown): Error => {
    try {
      run();
    } catch (err) {
      return err as Error;
    }
    throw new Error('expected a failure');
  };

  beforeAll(() => {
    copy = copyShop();
  });

  afterAll(() => {
    rmSync(copy, { recursive: true, force: true });
  });

  it('reads its keys under its own name', () => {
    stack('  shop-api:rateLimit: 42\n');
    const loaded = load();
    expect(loaded.project).toBe('shop-api');
    expect(loaded.settings.throttle.rateLimit).toBe(42);
    expect(loaded.region).toBe('eu-west-1');
  });

  it('a bad value, an unknown key and a misspelt namespace are named in its namespace', () => {
    stack('  shop-api:rateLimit: fast\n');
    const bad = failure(load);
    expect(bad).toBeInstanceOf(SettingsError);
    expect(bad.message).toContain('Config "shop-api:rateLimit" is "fast"');
    stack('  shop-api:rateLimt: 5\n');
    const unknown = failure(load);
    expect(unknown).toBeInstanceOf(UnknownSettingError);
    expect(unknown.message).toContain('Unknown config key "shop-api:rateLimt" (did you mean "rateLimit"?)');
    stack('  shop-apl:rateLimit: 5\n');
    const namespace = failure(load);
    expect(namespace).toBeInstanceOf(UnknownNamespaceError);
    expect(namespace.message).toContain('(did you mean "shop-api:rateLimit"?)');
    for (const err of [bad, unknown, namespace]) expect(err.message).not.toContain('koa-apigateway:');
  });

  it('warnings name its keys too', () => {
    stack('  shop-api:lambdaTimeout: 60\n');
    const { settings, project } = load();
    expect(settingsWarnings(settings, project)).toEqual([expect.stringContaining('Config "shop-api:lambdaTimeout" is 60s')]);
  });

  it('koa-apigateway synth runs its program as its project: its keys reach the resources, its name heads the plan and its errors', async () => {
    stack('');
    const env = projectEnv();
    const plan = await runProcess(process.execPath, [CLI, 'synth', '--config', 'rateLimit=42', '--out', 'plan.txt'], { cwd: copy, env, timeoutMs: 150_000 });
    expect(plan.status, plan.stderr).toBe(0);
    const text = readFileSync(path.join(copy, 'plan.txt'), 'utf8');
    expect(text).toMatch(/^Stack shop-api\/dev: /);
    // The program reads `shop-api:rateLimit` (pulumi.getProject() is the project's name under the mocks too).
    expect(text).toMatch(/throttleSettings: \{"burstLimit":200,"rateLimit":42\}/);
    const refused = await runProcess(process.execPath, [CLI, 'synth', '--config', 'rateLimit=fast'], { cwd: copy, env, timeoutMs: 150_000 });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Config "shop-api:rateLimit" is "fast"');
    expect(refused.stderr).not.toContain('koa-apigateway:');
  }, 320_000);
});
