import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../../infra/src/tools/conformance/run';
import { bundleHandlerLoader } from '../../../../infra/src/local/integration';
import { readStackSettings } from '../../../../infra/src/app/load-stack';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { loadFixture, PARCELS } from '../../../support/apps';
import { createParcelsApp } from '../../../support/apps/parcels/app';
import { API_KEY, startGateway, type Started } from '../../local/support/gateway';
import { buildBundle } from './support';
import { runProcess, CLI } from '../../../support/process';

/** The project the command runs in: the parcels app's. */
const PROJECT = PARCELS.dir;

/** Runs infra/src/cli/commands/conformance.ts as `npm run conformance` does, in its own process group (tests/support/process.ts). */
async function npmRun(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runProcess(process.execPath, [CLI, 'conformance', ...args], { cwd: PROJECT, env: { ...process.env, ...env }, timeoutMs: 120_000 });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** `npm run conformance` as a user runs it: the command line, its exit codes and its JSON. */
// Each test starts its own process and shares nothing with the others: they run side by side (concurrent), with
// room for that on the loaded 2-core machine (timeout).
describe.concurrent('npm run conformance', { timeout: 120_000 }, () => {
  it('without --url starts the local gateway, announces its request count, and prints a passing JSON report', async ({ expect }) => {
    await mkdir(path.join(PROJECT, 'dist'), { recursive: true });
    const dir = await mkdtemp(path.join(PROJECT, 'dist', 'conformance-cli-'));
    try {
      const run = await npmRun(['--json', '--rate', '200'], { KOA_APIGATEWAY_BUNDLE_DIR: dir, API_KEY: 'CliKey0123456789abcdefXYZ' });
      expect(run.stderr).toMatch(/Conformance: at most \d+ requests to http:\/\/127\.0\.0\.1:\d+\/dev, one at a time, at most 200\/s \(0\.\d% of the usage plan's 10000 per DAY\)/);
      expect(run.code, run.stderr).toBe(0);
      // stdout is the JSON report alone: no banner, no access log.
      const report = JSON.parse(run.stdout) as Report;
      expect(report.local).toBe(true);
      expect(report.counts.fail).toBe(0);
      // Every case of every operation of the parcels app ran: its 6 valid requests and the rest.
      expect(report.results.filter((r) => r.group === 'valid' && r.outcome === 'pass')).toHaveLength(6);
      expect(report.counts.pass).toBeGreaterThan(30);
      // The key is never in the report.
      expect(run.stdout).not.toContain('CliKey0123456789abcdefXYZ');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses --url without a key, with the usage, and exit code 2', async ({ expect }) => {
    const run = await npmRun(['--url', 'http://127.0.0.1:9/dev'], { CONFORMANCE_API_KEY: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--url needs --key/);
    expect(run.stderr).toMatch(/Usage: koa-apigateway conformance/);
  });

  it('refuses to run above --max-requests before sending anything', async ({ expect }) => {
    const run = await npmRun(['--url', 'http://127.0.0.1:9/dev', '--key', 'k', '--max-requests', '5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/would send \d+ requests, more than --max-requests 5/);
  });
});

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.concurrent('npm run conformance: mistakes get one clear message, exit code 2, no stack trace', { timeout: 120_000 }, () => {
  it('an unreachable --url is one line, "cannot connect to <url>: <reason>", not a FAIL row per case', async ({ expect }) => {
    const url = `http://127.0.0.1:${await closedPort()}/dev`;
    const run = await npmRun(['--url', url, '--key', 'k']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^cannot connect to ${url.replace(/[.]/g, '\\.')}: .*ECONNREFUSED`))]);
  });

  it('--openapi naming no file, or a file that is not an OpenAPI document, is named with the fix (no usage: the command line was right)', async ({ expect }) => {
    await mkdir(path.join(PROJECT, 'dist'), { recursive: true });
    const dir = await mkdtemp(path.join(PROJECT, 'dist', 'conformance-doc-'));
    try {
      await writeFile(path.join(dir, 'not-json.json'), 'openapi: 3.1.0');
      await writeFile(path.join(dir, 'not-openapi.json'), '{"swagger":"2.0"}');
      for (const [file, message] of [['/nonexistent.json', /--openapi \/nonexistent\.json: cannot read it \(ENOENT\)/], [path.join(dir, 'not-json.json'), /not-json\.json: not JSON/], [path.join(dir, 'not-openapi.json'), /not-openapi\.json: not an OpenAPI 3\.x document/]] as const) {
        const run = await npmRun(['--openapi', file]);
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toMatch(message);
        expect(run.stderr).not.toMatch(/Usage:/);
        expect(run.stderr).not.toMatch(/^\s+at /m);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('--max-requests under the plan refuses before starting the local gateway', async ({ expect }) => {
    const run = await npmRun(['--max-requests', '10']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/would send \d+ requests, more than --max-requests 10/);
    expect(run.stderr).not.toMatch(/starting the local gateway|Usage:/);
  });

  it('an unknown --stack is refused, naming the stacks there are', async ({ expect }) => {
    const run = await npmRun(['--stack', 'nosuch', '--url', 'http://127.0.0.1:9/dev', '--key', 'k']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown stack "nosuch": there is no Pulumi\.nosuch\.yaml beside Pulumi\.yaml \(stacks here: dev\)/);
    expect(run.stderr).not.toMatch(/Usage:/);
  });

  it('an unknown option prints the usage', async ({ expect }) => {
    const run = await npmRun(['--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown argument "--bogus"[\s\S]*Usage: koa-apigateway conformance/);
  });
});

describe('npm run conformance --url on this machine', () => {
  let bundle: Awaited<ReturnType<typeof buildBundle>>;
  let gw: Started;
  beforeAll(async () => {
    bundle = await buildBundle('conformance-cli-url', loadFixture(PARCELS));
    gw = await startGateway({ spec: buildGatewaySpec(createParcelsApp()), settings: readStackSettings({ root: PARCELS.dir, app: {} }), handler: bundleHandlerLoader(bundle.file).handler });
  });
  afterAll(async () => {
    await gw?.close();
    await bundle?.remove();
  });

  it('a loopback --url (npm start) is the local gateway: labelled so, and known AWS differences do not excuse it', async () => {
    // The text report and the JSON one, side by side.
    const [run, json] = await Promise.all([npmRun(['--url', gw.url, '--key', API_KEY, '--rate', '200']), npmRun(['--url', gw.url, '--key', API_KEY, '--rate', '200', '--json'])]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Target: ${gw.url.replace(/[.]/g, '\\.')} \\(local gateway\\)`));
    expect((JSON.parse(json.stdout) as Report).local).toBe(true);
  }, 120_000);
});
