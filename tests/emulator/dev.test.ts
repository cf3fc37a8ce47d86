import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/** Resolves when `read()` matches `re` `count` times; rejects after `ms`. */
async function waitFor(read: () => string, re: RegExp, count: number, ms = 60_000): Promise<void> {
  const start = Date.now();
  while ((read().match(new RegExp(re.source, 'g')) ?? []).length < count) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${re} x${count}:\n${read()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm run dev', () => {
  it('restarts the gateway (bundle rebuilt) when a watched file changes, and stops cleanly on Ctrl-C', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dev-watch-'));
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(ROOT, 'scripts/dev.ts')], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', API_KEY: 'DevTestKey0123456789abcdef', WATCH_DIR: dir, BUNDLE_DIR: path.join(ROOT, 'dist', 'test-bundles', `dev-${path.basename(dir)}`) },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => out, /Local API Gateway listening on/, 1);
      await writeFile(path.join(dir, 'changed.ts'), 'export {};\n');
      await waitFor(() => out, /changed: rebuilding the bundle and restarting/, 1);
      await waitFor(() => out, /Built \S*index\.mjs/, 2);
      await waitFor(() => out, /Local API Gateway listening on/, 2);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toContain('SIGINT: stopping the local gateway');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
      await rm(path.join(ROOT, 'dist', 'test-bundles', `dev-${path.basename(dir)}`), { recursive: true, force: true });
    }
  }, 120_000);
});
