import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localBasePath } from '../../../infra/src/local/start';
import { LocalStartError } from '../../../infra/src/errors';
import { parseSettings } from '../../../infra/src/settings/parse';
import { copyFixture, PARCELS } from '../../support/apps';
import { startProcess, stopAll, type Started, CLI } from '../../support/process';

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

/** Runs `npm start`'s entry (infra/src/cli/commands/start.ts) in the project `cwd` (default: the parcels project) with `env`, bundling into its own directory, in its own process group. */
function start(env: Record<string, string>, cwd = PARCELS.dir): Run {
  const bundleDir = path.join(cwd, 'dist', 'test-bundles', `base-path-${process.pid}-${runs++}`);
  bundleDirs.push(bundleDir);
  const started = startProcess(process.execPath, [CLI, 'start'], { cwd, env: { ...process.env, API_KEY: KEY, HOST: '127.0.0.1', PORT: '0', KOA_APIGATEWAY_BUNDLE_DIR: bundleDir, ...env } });
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
  // The function routes a base-path-mapped event on its resource (infra/src/lambda/event-path.ts).
  it('serves the real function under /v1, links carrying the public path', { timeout: 120_000 }, async () => {
    const base = await ready(start({ BASE_PATH: '/v1' }));
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const created = await fetch(`${base}/parcels`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ recipient: 'mapped' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(/^(http:\/\/127\.0\.0\.1:\d+)?\/v1\/parcels\/[^/]+$/);
    const list = await fetch(`${base}/parcels`, { headers: { 'x-api-key': KEY } });
    expect(list.status).toBe(200);
    expect((await fetch(base.replace(/\/v1$/, '/v2/health'))).status).toBe(403);
    // The docs page's document offers the mapped URL as a server, beside the stage URL.
    const openapi = (await (await fetch(base.replace(/\/v1$/, '/openapi.json'))).json()) as { servers: { url: string }[] };
    expect(openapi.servers.map((s) => s.url)).toEqual(expect.arrayContaining([base, base.replace(/\/v1$/, '/dev')]));
  });

  it('refuses a base path of two segments before building anything, naming BASE_PATH', { timeout: 60_000 }, async () => {
    const run = start({ BASE_PATH: '/api/v1' });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('koa-apigateway start: BASE_PATH=/api/v1 is not a base path: expected one path segment such as /v1');
  });
});

describe('STACK=<stack> npm start with a custom domain in the stack', () => {
  const stack = 'v3';
  let copy: string;
  beforeAll(async () => {
    // A copy of the project, whose second stack (versions side by side) is what `pulumi config set` writes.
    copy = copyFixture(PARCELS, 'base-path-stack');
    await writeFile(path.join(copy, `Pulumi.${stack}.yaml`), 'config:\n  koa-apigateway:domainName: api.example.org\n  koa-apigateway:domainOwner: "false"\n  koa-apigateway:basePath: v3\n');
  });
  afterAll(async () => {
    await stopAll();
    await rm(copy, { recursive: true, force: true });
  });

  it('serves the stage at the stack\'s basePath, as the deployed mapping does', { timeout: 120_000 }, async () => {
    const run = start({ STACK: stack }, copy);
    const base = await ready(run);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v3$/);
    expect(run.stdout()).toContain(`(basePath of stack ${stack})`);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

describe('the local base path: BASE_PATH, else the stack\'s basePath', () => {
  const mapped = parseSettings({ domainName: 'api.example.org', domainOwner: 'false', basePath: 'v3' });
  it('BASE_PATH wins over the stack\'s basePath; without a domain nor BASE_PATH only the stage URL serves', () => {
    expect(localBasePath('/v4', mapped, 'v3stack')).toEqual({ basePath: 'v4', source: 'BASE_PATH' });
    expect(localBasePath(undefined, mapped, 'v3stack')).toEqual({ basePath: 'v3', source: 'basePath of stack v3stack' });
    expect(localBasePath(undefined, parseSettings({}), 'dev').basePath).toBeUndefined();
    // A stack owning the domain with an empty basePath maps the whole host.
    expect(localBasePath(undefined, parseSettings({ domainName: 'api.example.org', hostedZoneId: 'Z0123456789ABCDEFGHIJ' }), 'dev').basePath).toBe('');
  });

  it.each(['/docs', 'docs/', '/openapi.json'])('refuses BASE_PATH=%s, which the local pages answer first', (value) => {
    expect(() => localBasePath(value, parseSettings({}), 'dev')).toThrow(LocalStartError);
    expect(() => localBasePath(value, parseSettings({}), 'dev')).toThrow(`BASE_PATH=${value} overlaps the local gateway's own page /`);
  });

  it('refuses a stack basePath of docs, naming the stack and the BASE_PATH override', () => {
    const docs = parseSettings({ domainName: 'api.example.org', domainOwner: 'false', basePath: 'docs' });
    expect(() => localBasePath(undefined, docs, 'v2')).toThrow(/The basePath "docs" of stack v2 \(Pulumi\.v2\.yaml\) overlaps .*Fix: .*BASE_PATH overrides/);
    expect(localBasePath('/v2', docs, 'v2').basePath).toBe('v2');
  });

  it('npm start refuses BASE_PATH=/docs before building anything', { timeout: 60_000 }, async () => {
    const run = start({ BASE_PATH: '/docs' });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('koa-apigateway start: BASE_PATH=/docs overlaps the local gateway\'s own page /docs');
  });
});
