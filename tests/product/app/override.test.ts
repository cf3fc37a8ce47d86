import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, LIBRARY, PING } from '../../support/apps';
import { runProcess, startProcess, type Started, CLI } from '../../support/process';
import { projectEnv } from './support/project-env';

/**
 * KOA_APIGATEWAY_APP points every command and the Pulumi program of a project at another app descriptor than its
 * own app.config.ts, without editing a file of the product: here the one-route ping app (tests/support/apps/ping),
 * copied into `ping/` of a copy of the library project, whose dev stack sets the ping app's own key (what
 * `pulumi config set greeting HOWDY` writes); its Pulumi.yaml and index.ts as they are.
 */
const DEV_STACK = 'config:\n  aws:region: us-east-1\n  koa-apigateway:greeting: HOWDY\n';

describe('KOA_APIGATEWAY_APP: every script serves the app its descriptor names', () => {
  let copy: string;
  let gateway: Started | undefined;
  const env = projectEnv('PingTestKey0123456789abcdef', 'ping/app.config.ts');

  beforeAll(() => {
    copy = copyFixture(LIBRARY, 'app-override');
    cpSync(PING.dir, path.join(copy, 'ping'), { recursive: true });
    writeFileSync(path.join(copy, 'Pulumi.dev.yaml'), DEV_STACK);
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop('SIGTERM');
    rmSync(copy, { recursive: true, force: true });
    rmSync(env.KOA_APIGATEWAY_BUNDLE_DIR!, { recursive: true, force: true });
  });

  it("refuses a stack value left from another app, which the served descriptor does not declare, with a fix that works", async () => {
    writeFileSync(path.join(copy, 'Pulumi.dev.yaml'), `${DEV_STACK}  koa-apigateway:storage: memory\n`);
    const refused = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: copy, env: { ...env, OUT: 'openapi.json' } });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Unknown config key "koa-apigateway:storage"');
    expect(refused.stderr).toContain('Fix: pulumi config rm storage (or edit the stack');
    // The fix, as `pulumi config rm storage` does it: the line leaves the stack file.
    writeFileSync(path.join(copy, 'Pulumi.dev.yaml'), DEV_STACK);
    const fixed = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: copy, env: { ...env, OUT: 'openapi.json' } });
    expect(fixed.status, fixed.stderr).toBe(0);
  }, 60_000);

  it('npm run openapi documents its routes, title and version', async () => {
    const run = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: copy, env: { ...env, OUT: 'openapi.json' } });
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(copy, 'openapi.json'), 'utf8')) as { info: { title: string; version: string }; paths: Record<string, unknown> };
    expect(doc.info).toMatchObject({ title: 'ping-api', version: '2.3.4' });
    expect(Object.keys(doc.paths)).toEqual(['/ping']);
  }, 60_000);

  it('npm run synth runs the program on it: resources named after it, its routes, none of the project’s own app', async () => {
    const run = await runProcess(process.execPath, [CLI, 'synth', '--json', '--out', 'plan.json'], { cwd: copy, env, timeoutMs: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(copy, 'plan.json'), 'utf8')) as { resources: { type: string; name: string }[]; outputs: Record<string, unknown> };
    expect(plan.resources.find((r) => r.type === 'aws:apigateway/restApi:RestApi')?.name).toBe('ping-api');
    expect(plan.outputs.routes).toEqual(['GET /ping']);
    expect(JSON.stringify(plan).toLowerCase()).not.toContain('library');
  }, 150_000);

  it("npm start serves it, with its setting and its local services (stopped with the gateway)", async () => {
    gateway = startProcess(process.execPath, [CLI, 'start'], { cwd: copy, env });
    const stageUrl = (await gateway.waitFor(/Local API Gateway listening on (http:\/\/\S+)/, 90_000))[1]!;
    expect(gateway.stdout()).toContain('ping: greeting howdy');
    expect(gateway.stdout()).toMatch(new RegExp(`GET\\s+${stageUrl}/ping\\s+x-api-key\\s+ping`));
    const res = await fetch(`${stageUrl}/ping`, { headers: { 'x-api-key': env.API_KEY! } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ greeting: 'howdy' });
    expect(await gateway.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(gateway.stdout()).toContain('ping: closed');
  }, 120_000);
});
