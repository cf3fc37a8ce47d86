import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../infra/conformance/run';
import { runProcess } from '../support/process';

const ROOT = path.resolve(__dirname, '../..');

/** Runs scripts/conformance.ts as `npm run conformance` does, in its own process group (tests/support/process.ts). */
async function npmRun(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runProcess(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/conformance.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeoutMs: 120_000 });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** `npm run conformance` as a user runs it: the command line, its exit codes and its JSON. */
describe('npm run conformance', () => {
  it('without --url starts the local gateway, announces its request count, and prints a passing JSON report', async () => {
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    const dir = await mkdtemp(path.join(ROOT, 'dist', 'conformance-cli-'));
    try {
      const run = await npmRun(['--json', '--rate', '200'], { BUNDLE_DIR: dir, API_KEY: 'CliKey0123456789abcdefXYZ' });
      expect(run.stderr).toMatch(/Conformance: at most \d+ requests to http:\/\/127\.0\.0\.1:\d+\/dev, one at a time, at most 200\/s \(0\.\d% of the usage plan's 10000 per DAY\)/);
      expect(run.code, run.stderr).toBe(0);
      // stdout is the JSON report alone: no banner, no access log.
      const report = JSON.parse(run.stdout) as Report;
      expect(report.local).toBe(true);
      expect(report.counts.fail).toBe(0);
      expect(report.counts.pass).toBeGreaterThan(40);
      // The key is never in the report.
      expect(run.stdout).not.toContain('CliKey0123456789abcdefXYZ');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses --url without a key, with the usage, and exit code 2', async () => {
    const run = await npmRun(['--url', 'http://127.0.0.1:9/dev'], { CONFORMANCE_API_KEY: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--url needs --key/);
    expect(run.stderr).toMatch(/Usage: npm run conformance/);
  });

  it('refuses to run above --max-requests before sending anything', async () => {
    const run = await npmRun(['--url', 'http://127.0.0.1:9/dev', '--key', 'k', '--max-requests', '5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/would send \d+ requests, more than --max-requests 5/);
  });
});
