import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, startProcess, stopAll, TSX, type Started } from '../support/process';

const KEY = 'BasePathKey0123456789abcdef';

interface Run {
  child: Started['child'];
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

let runs = 0;
const bundleDirs: string[] = [];
afterEach(async () => {
  // Every process group these tests started (tests/support/process.ts).
  await stopAll();
  for (const dir of bundleDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Runs `npm start`'s entry (scripts/start.ts) with `env`, bundling into its own directory, in its own process group. */
function start(env: Record<string, string>): Run {
  const bundleDir = path.join(ROOT, 'dist', 'test-bundles', `base-path-${process.pid}-${runs++}`);
  bundleDirs.push(bundleDir);
  const started = startProcess(process.execPath, [TSX, path.join(ROOT, 'scripts/start.ts')], { cwd: ROOT, env: { ...process.env, API_KEY: KEY, HOST: '127.0.0.1', PORT: '0', STORAGE: 'memory', BUNDLE_DIR: bundleDir, ...env } });
  return { child: started.child, stdout: started.stdout, stderr: started.stderr, exited: started.exited.then((r) => r.code) };
}

/** Resolves with the base-path URL the banner prints once the gateway is ready. */
async function ready(run: Run): Promise<string> {
  for (let i = 0; i < 600; i++) {
    if (/Local API Gateway listening on/.test(run.stdout())) {
      const m = /Base path: (http:\/\/\S+)\/\.\.\./.exec(run.stdout());
      if (!m) throw new Error(`no base path line in the banner:\n${run.stdout()}`);
      return m[1]!;
    }
    if (run.child.exitCode !== null) throw new Error(`npm start exited: ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`npm start never became ready:\n${run.stdout()}\n${run.stderr()}`);
}

describe('BASE_PATH=/v1 npm start', () => {
  // The function routes a base-path-mapped event on its resource (service/http/event-path.ts).
  it('serves the real function under /v1, links carrying the public path', { timeout: 120_000 }, async () => {
    const base = await ready(start({ BASE_PATH: '/v1' }));
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const created = await fetch(`${base}/api/v1/todos`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'mapped' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(/^(http:\/\/127\.0\.0\.1:\d+)?\/v1\/api\/v1\/todos\/[^/]+$/);
    const list = await fetch(`${base}/api/v1/todos`, { headers: { 'x-api-key': KEY } });
    expect(list.status).toBe(200);
    expect((await fetch(base.replace(/\/v1$/, '/v2/health'))).status).toBe(403);
    // The docs page's document offers the mapped URL as a server, beside the stage URL.
    const openapi = (await (await fetch(base.replace(/\/v1$/, '/openapi.json'))).json()) as { servers: { url: string }[] };
    expect(openapi.servers.map((s) => s.url)).toEqual(expect.arrayContaining([base, base.replace(/\/v1$/, '/dev')]));
  });

  it('refuses a base path of two segments before building anything, naming BASE_PATH', { timeout: 60_000 }, async () => {
    const run = start({ BASE_PATH: '/api/v1' });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('npm start: BASE_PATH=/api/v1 is not a base path: expected one path segment such as /v1');
  });
});
