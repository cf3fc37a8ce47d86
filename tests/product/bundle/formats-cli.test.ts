import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProxyHandler } from '../../../infra/src/lambda/proxy-event';
import { apiEvent, json } from '../../support/events';
import { FORMATS } from '../../support/apps';
import { CLI, ROOT, runProcess } from '../../support/process';

// Commands run in the formats project (its Pulumi.yaml and dev stack), the descriptor named absolutely.
const APP = FORMATS.descriptor;
const UNREGISTERED = path.join(FORMATS.dir, 'unregistered.config.ts');

/**
 * Through the bin, as a user runs it: the CLI loads the app through tsx, which gives the app a copy of TypeBox of its
 * own, so the format the app registers (`Format.Set('contact-tag', ...)`) is not in the package's copy. Before, the
 * build's validators compiled that format to `true` (never checked in the Lambda), and a format nobody registered
 * went out unchecked without a word.
 */
describe('formats through the CLI (the app in its own copy of TypeBox)', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'formats-cli-'));
  const env = (app: string): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, KOA_APIGATEWAY_APP: app, KOA_APIGATEWAY_BUNDLE_DIR: path.join(out, 'lambda'), OUT: path.join(out, 'openapi.json') };
    delete e.INIT_CWD;
    delete e.STACK;
    return e;
  };
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('koa-apigateway build: the Lambda checks the app’s own format', async () => {
    const run = await runProcess(process.execPath, [CLI, 'build'], { cwd: FORMATS.dir, env: env(APP), timeoutMs: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const { handler } = (await import(pathToFileURL(path.join(out, 'lambda', 'index.mjs')).href)) as { handler: ProxyHandler };
    const body = {
      name: 'Ada',
      email: 'ada@example.org',
      homepage: 'https://example.org/ada',
      avatar: 'https://cdn.example.org/avatars/ada.png',
      workEmail: 'ada@example.org',
      born: '1815-12-10',
      lastSeen: '2024-02-29T12:30:00Z',
      wakeUp: '07:00:00Z',
      host: 'ada.example.org',
      ipv4: '192.0.2.1',
      ipv6: '2001:db8::1',
    };
    const create = (tag: string) => handler(apiEvent('POST', '/contacts', { body: { ...body, tag }, headers: { 'content-type': 'application/json', 'x-request-id': '3fa85f64-5717-4562-b3fc-2c963f66afa6' } }), {} as never);
    expect((await create('#friends'))!.statusCode).toBe(201);
    const refused = (await create('friends'))!;
    expect(refused.statusCode).toBe(400);
    expect(json(refused)).toMatchObject({ errors: [{ path: '/tag', in: 'body' }] });
  }, 150_000);

  it('koa-apigateway openapi: the plan knows the app’s format, and the document carries every format', async () => {
    const run = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: FORMATS.dir, env: env(APP), timeoutMs: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8')) as { components: { schemas: Record<string, { properties: Record<string, { format?: string }> }> } };
    expect(doc.components.schemas.ContactCreate!.properties.tag).toEqual({ type: 'string', format: 'contact-tag' });
    expect(doc.components.schemas.ContactCreate!.properties.homepage).toEqual({ type: 'string', format: 'uri' });
  }, 90_000);

  it('whatever loads first: a process that loaded the package’s route kit before the app still knows the app’s format', async () => {
    // The app then shares that route kit (Node's module cache) but gets its own TypeBox from tsx: its Format.Set
    // lands in a registry no route kit recorded. The app loader records the app's own (infra/src/app/load.ts).
    const dist = (file: string) => JSON.stringify(path.join(ROOT, 'infra', 'dist', file));
    const script = [
      `require(${dist('route/index.js')});`,
      `const { loadAppFile } = require(${dist('app/load.js')});`,
      `const { buildGatewaySpec } = require(${dist('core/plan/index.js')});`,
      `const app = loadAppFile(${JSON.stringify(APP)});`,
      `const spec = buildGatewaySpec(app.createApp({ userPool: false }));`,
      `console.log(JSON.stringify(spec.models.find((m) => m.name === 'ContactCreate').formats['/properties/tag']));`,
    ].join('\n');
    const run = await runProcess(process.execPath, ['-e', script], { cwd: FORMATS.dir, env: env(APP), timeoutMs: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('"contact-tag"');
  }, 90_000);

  it('a format nobody registered: the command stops, one line naming the route, the field, the format and the fix', async () => {
    const run = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: FORMATS.dir, env: env(UNREGISTERED), timeoutMs: 60_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`Route PUT /contacts/:id/phone: its body field /phone declares format "phone", which no validator knows`);
    expect(run.stderr).toContain(`Fix: register it with Format.Set('phone', (value) => ...) from 'typebox/format'`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }, 90_000);
});
