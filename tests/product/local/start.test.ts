import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { PARCELS } from '../../support/apps';
import { createParcelsApp } from '../../support/apps/parcels/app';
import { startProcess, stopAll, type Started, CLI } from '../../support/process';

const KEY = 'StartTestKey0123456789abcdef';

let runs = 0;
const bundleDirs: string[] = [];
afterEach(async () => {
  await stopAll();
  for (const dir of bundleDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Runs `npm start`'s entry (infra/src/cli/commands/start.ts) in the parcels project with `env`, in its own process group. */
function start(env: Record<string, string>): Started {
  // Its own bundle directory: parallel test files must not rewrite a bundle another gateway is importing.
  const bundleDir = path.join(PARCELS.dir, 'dist', 'test-bundles', `start-${process.pid}-${runs++}`);
  bundleDirs.push(bundleDir);
  return startProcess(process.execPath, [CLI, 'start'], { cwd: PARCELS.dir, env: { ...process.env, API_KEY: KEY, HOST: '127.0.0.1', KOA_APIGATEWAY_BUNDLE_DIR: bundleDir, ...env } });
}

/** Resolves with the stage URL once the "listening" line (the ready line) is printed. */
async function ready(run: Started): Promise<string> {
  return (await run.waitFor(/Local API Gateway listening on (http:\/\/\S+)/))[1]!;
}

describe('npm start', () => {
  it('prints the route table, the key and a curl line, serves the API, and stops cleanly on Ctrl-C', async () => {
    const run = start({ PORT: '0' });
    const stageUrl = await ready(run);
    const out = run.stdout();
    // One row per method the app declares (whatever its routes are), with its auth.
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const methods = buildGatewaySpec(createParcelsApp()).methods;
    expect(methods.length).toBeGreaterThan(0);
    for (const m of methods) expect(out).toMatch(new RegExp(`${m.method}\\s+${escape(stageUrl + m.resourcePath)}\\s+${m.apiKeyRequired ? 'x-api-key' : 'public'}\\s+${m.operationId}`));
    expect(out).toContain(`API key: ${KEY}  (from API_KEY)`);
    // The bundle is built where KOA_APIGATEWAY_BUNDLE_DIR says, as `pulumi up` builds it.
    expect(out).toMatch(new RegExp(`Built ${escape(path.relative(PARCELS.dir, path.join(bundleDirs.at(-1)!, 'index.mjs')))} `));
    // The Try line is a curl with the key to one of the listed routes, and it works as printed.
    const tryUrl = new RegExp(`Try:\\s+curl -H "x-api-key: ${KEY}" (${escape(stageUrl)}/\\S*)`).exec(out)?.[1];
    expect(tryUrl, out).toBeDefined();
    expect(methods.map((m) => `${stageUrl}${m.resourcePath}`)).toContain(tryUrl);
    // The ready line is the last thing printed before requests.
    expect(out.trim().split('\n').at(-1)).toContain(`listening on ${stageUrl}`);

    const res = await fetch(tryUrl!, { headers: { 'x-api-key': KEY } });
    expect(res.status).toBe(200);
    await res.text();
    const requestPath = new URL(tryUrl!).pathname;
    const logLine = (await run.waitFor(new RegExp(`.*"GET ${escape(requestPath)}" 200.*`)))[0];
    expect(logLine).toMatch(new RegExp(`[0-9a-f-]{36} 127\\.0\\.0\\.1 "GET ${escape(requestPath)}" 200 \\d+\\.\\dms`));
    expect(logLine).not.toContain(KEY);

    expect(await run.stop('SIGINT')).toEqual({ code: 0, signal: null });
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
      expect(run.stderr()).toContain(`PORT=${port + 1} npx koa-apigateway start`);
      expect(run.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('refuses an unknown stack in one line naming the fix, instead of serving the defaults', async () => {
    const run = start({ PORT: '0', STACK: 'prod' });
    expect((await run.exited).code).toBe(1);
    expect(run.stderr()).toContain('koa-apigateway start: Unknown stack "prod": there is no Pulumi.prod.yaml beside Pulumi.yaml (stacks here: dev)');
    expect(run.stderr()).toContain('Fix:');
    expect(run.stderr()).not.toMatch(/\n\s+at /);
    expect(run.stdout()).not.toContain('listening');
  });

  it('refuses an API_KEY that API Gateway would refuse, naming the rule', async () => {
    const run = start({ PORT: '0', API_KEY: 'short' });
    expect((await run.exited).code).toBe(1);
    expect(run.stderr()).toContain('API_KEY must be 20-128 letters and digits');
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  });
});
