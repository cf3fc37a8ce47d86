import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, PARCELS } from '../../support/apps';
import { startProcess, CLI } from '../../support/process';

const READY = /Local API Gateway listening on/;
const RESTART = /changed: rebuilding the bundle and restarting/;

/** Saves `file` the way `sed -i`, vim (default) and JetBrains' safe write do: a new file renamed over the old. */
async function renameSave(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp${Math.random().toString(36).slice(2)}`);
  await writeFile(temp, text);
  await rename(temp, file);
}

// The two runs watch folders of their own (a temporary one, a copy of the project) and bundle into folders of
// their own: they run side by side (concurrent).
describe.concurrent('npm run dev', () => {
  it('restarts the gateway (bundle rebuilt) on every save, in-place or by rename, and stops cleanly on Ctrl-C', async ({ expect }) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dev-watch-'));
    const bundleDir = path.join(PARCELS.dir, 'dist', 'test-bundles', `dev-${path.basename(dir)}`);
    await mkdir(path.join(dir, 'todos'));
    await writeFile(path.join(dir, 'app.ts'), 'export const a = 1;\n');
    await writeFile(path.join(dir, 'todos', 'routes.ts'), 'export const b = 1;\n');
    const dev = startProcess(process.execPath, [CLI, 'dev'], {
      cwd: PARCELS.dir,
      env: { ...process.env, PORT: '0', API_KEY: 'DevTestKey0123456789abcdef', WATCH_DIR: dir, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir },
    });
    try {
      await dev.waitFor(READY);
      // An in-place write.
      await writeFile(path.join(dir, 'app.ts'), 'export const a = 2;\n');
      await dev.waitFor(RESTART, 60_000, 1);
      await dev.waitFor(READY, 60_000, 2);
      // Rename-saves, twice on the same file (a watcher holding the replaced file misses the second),
      // and in a subfolder.
      await renameSave(path.join(dir, 'app.ts'), 'export const a = 3;\n');
      await dev.waitFor(RESTART, 60_000, 2);
      await dev.waitFor(READY, 60_000, 3);
      await renameSave(path.join(dir, 'app.ts'), 'export const a = 4;\n');
      await dev.waitFor(RESTART, 60_000, 3);
      await dev.waitFor(READY, 60_000, 4);
      await renameSave(path.join(dir, 'todos', 'routes.ts'), 'export const b = 2;\n');
      await dev.waitFor(/todos\/routes\.ts changed: rebuilding/, 60_000, 1);
      await dev.waitFor(READY, 60_000, 5);
      expect(dev.output().match(/Built \S*index\.mjs/g)?.length).toBe(5);
      // Editor temp files alone do not restart.
      expect(dev.output()).not.toMatch(/\.tmp\w* changed/);

      expect(await dev.stop('SIGINT')).toEqual({ code: 0, signal: null });
      expect(dev.output()).toContain('SIGINT: stopping the local gateway');
    } finally {
      await dev.stop('SIGKILL');
      await rm(dir, { recursive: true, force: true });
      await rm(bundleDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('recovers from a settings error when Pulumi.<stack>.yaml is fixed, and reports a syntax error as esbuild does, without its stack', async ({ expect }) => {
    // A copy of the parcels project: its settings and sources are edited.
    const copy = copyFixture(PARCELS, 'dev-settings');
    const stackFile = path.join(copy, 'Pulumi.dev.yaml');
    const good = readFileSync(stackFile, 'utf8');
    await writeFile(stackFile, `${good.trimEnd()}\n  koa-apigateway:rateLimit: fast\n`);
    const dev = startProcess(process.execPath, [CLI, 'dev'], { cwd: copy, env: { ...process.env, PORT: '0', API_KEY: 'DevTestKey0123456789abcdef' } });
    try {
      await dev.waitFor(/"koa-apigateway:rateLimit" is "fast"/, 90_000);
      await dev.waitFor(/the gateway exited \(1\); waiting for a change .*Pulumi/, 30_000);
      await renameSave(stackFile, good);
      await dev.waitFor(/Pulumi\.dev\.yaml changed: rebuilding/, 30_000);
      await dev.waitFor(READY, 90_000);

      const app = path.join(copy, 'app.ts');
      await writeFile(app, `${readFileSync(app, 'utf8')}\nconst broken = ;\n`);
      await dev.waitFor(/the gateway exited \(1\)/, 90_000, 2);
      expect(dev.output()).toMatch(/(?:^|[\s/])app\.ts:\d+:\d+: ERROR: Unexpected ";"/m);
      expect(dev.output()).not.toMatch(/at failureErrorWithLog|node_modules\/esbuild\/lib\/main\.js/);
    } finally {
      await dev.stop('SIGKILL');
      await rm(copy, { recursive: true, force: true });
    }
  }, 240_000);
});
