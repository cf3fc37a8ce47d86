import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const TSX = require.resolve('tsx/cli');
const KEY = 'StartTestKey0123456789abcdef';

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const runs: Run[] = [];
const bundleDirs: string[] = [];
afterEach(async () => {
  for (const r of runs.splice(0)) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  for (const dir of bundleDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Runs `npm start`'s entry (scripts/start.ts) with `env`. */
function start(env: Record<string, string>): Run {
  // Its own bundle directory: parallel test files must not rewrite a bundle another gateway is importing.
  const bundleDir = path.join(ROOT, 'dist', 'test-bundles', `start-${process.pid}-${runs.length}`);
  bundleDirs.push(bundleDir);
  const child = spawn(process.execPath, [TSX, path.join(ROOT, 'scripts/start.ts')], { cwd: ROOT, env: { ...process.env, API_KEY: KEY, HOST: '127.0.0.1', BUNDLE_DIR: bundleDir, ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const run = { child, stdout: () => out, stderr: () => err, exited };
  runs.push(run);
  return run;
}

/** Resolves with the stage URL once the "listening" line (the ready line) is printed. */
async function ready(run: Run): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const m = /Local API Gateway listening on (http:\/\/\S+)/.exec(run.stdout());
    if (m) return m[1]!;
    if (run.child.exitCode !== null) throw new Error(`npm start exited: ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`npm start never became ready:\n${run.stdout()}\n${run.stderr()}`);
}

describe('npm start', () => {
  it('prints the route table, the key and a curl line, serves the API, and stops cleanly on Ctrl-C', async () => {
    const run = start({ PORT: '0' });
    const stageUrl = await ready(run);
    const out = run.stdout();
    expect(out).toMatch(/GET\s+http:\/\/127\.0\.0\.1:\d+\/dev\/health\s+public/);
    expect(out).toMatch(/POST\s+http:\/\/127\.0\.0\.1:\d+\/dev\/api\/v1\/todos\s+x-api-key/);
    expect(out).toContain(`API key: ${KEY}  (from API_KEY)`);
    expect(out).toContain(`curl -H "x-api-key: ${KEY}" ${stageUrl}/api/v1/todos`);
    // The ready line is the last thing printed before requests.
    expect(out.trim().split('\n').at(-1)).toContain(`listening on ${stageUrl}`);

    const res = await fetch(`${stageUrl}/api/v1/todos`, { headers: { 'x-api-key': KEY } });
    expect(res.status).toBe(200);
    await res.text();
    await new Promise((r) => setTimeout(r, 100));
    const logLine = run.stdout().split('\n').find((l) => l.includes('"GET /dev/api/v1/todos" 200'));
    expect(logLine).toMatch(/[0-9a-f-]{36} 127\.0\.0\.1 "GET \/dev\/api\/v1\/todos" 200 \d+\.\dms/);
    expect(logLine).not.toContain(KEY);

    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toContain('SIGINT: stopping the local gateway');
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  });

  it('explains a port in use in one line, without a stack trace, and exits 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const run = start({ PORT: String(port) });
      expect((await run.exited).code).toBe(1);
      expect(run.stderr()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(run.stderr()).toContain(`PORT=${port + 1} npm start`);
      expect(run.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('refuses an API_KEY that API Gateway would refuse, naming the rule', async () => {
    const run = start({ PORT: '0', API_KEY: 'short' });
    expect((await run.exited).code).toBe(1);
    expect(run.stderr()).toContain('API_KEY must be 20-128 letters and digits');
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  });
});
