import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { startLocal } from '../../../infra/src/local/start';
import { loadAppFile } from '../../../infra/src/app/load';
import { copyFixture, loadFixture, PARCELS, withFunctionGroups } from '../../support/apps';
import { createParcelsApp } from '../../support/apps/parcels/app';

// `npm start` runs the function out of the gateway's process (issue 24; infra/src/local/function-process.ts).

const KEY = 'StartFunctionsKey0123456789abcdef';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The processes whose parent is `parent` and their environment, read from /proc (Linux), as name → value. */
function childrenOf(parent: number): Array<{ pid: number; env: Record<string, string> }> {
  const found: Array<{ pid: number; env: Record<string, string> }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: the command name may hold spaces and parentheses, the last ')' ends it.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent) continue;
      const env = Object.fromEntries(readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      found.push({ pid: Number(entry), env });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

describe('npm start (startLocal)', () => {
  it.runIf(process.platform === 'linux')('runs the function the definition invokes in a process of its own, with Lambda’s variables; stop() ends it', async () => {
    const bundleDir = path.join(PARCELS.dir, 'dist', 'test-bundles', `functions-${process.pid}`);
    const local = await startLocal({ root: PARCELS.dir, app: loadFixture(PARCELS), env: { PORT: '0', HOST: '127.0.0.1', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir }, out: () => {}, err: () => {}, accessLog: () => {} });
    let stopped = false;
    const functionsNow = () => childrenOf(process.pid).filter((c) => c.env.AWS_LAMBDA_FUNCTION_NAME !== undefined);
    try {
      // Started on the first request, not before (a cold start).
      expect(functionsNow()).toEqual([]);
      const target = buildGatewaySpec(createParcelsApp()).methods.find((m) => m.method === 'GET' && !m.resourcePath.includes('{'))!;
      expect((await fetch(`${local.stageUrl}${target.resourcePath}`, { headers: { 'x-api-key': local.apiKey } })).status).toBeLessThan(500);
      const [fn, ...others] = functionsNow();
      expect(others).toEqual([]);
      expect(fn!.env).toMatchObject({ AWS_LAMBDA_FUNCTION_NAME: 'local', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: expect.stringMatching(/^\d+$/), AWS_LAMBDA_FUNCTION_VERSION: '$LATEST', CORS_ORIGINS: expect.any(String) });
      await local.stop();
      stopped = true;
      expect(alive(fn!.pid)).toBe(false);
    } finally {
      if (!stopped) await local.stop();
      await rm(bundleDir, { recursive: true, force: true });
    }
  }, 60_000);

  it.runIf(process.platform === 'linux')(
    'runs each function group as its own function: its own bundle, process and variables; a planted crash in one group is a 502 on its routes only',
    async () => {
      const project = copyFixture(PARCELS, 'start-groups');
      // The health group's entry crashes its process on every invocation (an exit, as an unhandled fault would).
      writeFileSync(path.join(project, 'crash-lambda.ts'), 'export const handler = async () => {\n  process.exit(1);\n};\n');
      const descriptor = withFunctionGroups(
        project,
        `{
    health: { routes: ['GET /health'], lambda: 'crash-lambda.ts' },
    write: { routes: ['POST /parcels', 'PATCH /parcels/:id', 'DELETE /parcels/:id'], memorySize: 1024, environment: { WRITES: 'on' } },
  }`,
      );
      const lines: string[] = [];
      const errors: string[] = [];
      const local = await startLocal({ root: project, app: loadAppFile(descriptor), env: { PORT: '0', HOST: '127.0.0.1', API_KEY: KEY }, out: (l) => lines.push(l), err: (l) => errors.push(l), accessLog: () => {} });
      try {
        const headers = { 'x-api-key': local.apiKey, 'content-type': 'application/json' };
        // The banner names each route's function; the crash entry got its own bundle.
        expect(lines.find((l) => l.includes('/health'))).toMatch(/function health$/);
        expect(lines.find((l) => l.includes('/parcels/{id}') && l.includes('PATCH'))).toMatch(/function write$/);
        expect(lines.some((l) => /^Built .*health.index\.mjs/.test(l))).toBe(true);

        expect((await fetch(`${local.stageUrl}/health`)).status).toBe(502);
        // The other groups' functions still answer: the crash ended the health function's process only.
        expect((await fetch(`${local.stageUrl}/parcels`, { headers })).status).toBe(200);
        const created = await fetch(`${local.stageUrl}/parcels`, { method: 'POST', headers, body: JSON.stringify({ recipient: 'Ada', weightGrams: 500 }) });
        expect(created.status).toBe(201);
        expect((await fetch(`${local.stageUrl}/health`)).status).toBe(502);
        expect(errors.join('\n') + lines.join('\n')).not.toContain('parcels: Runtime exited');

        const fns = childrenOf(process.pid).filter((c) => c.env.AWS_LAMBDA_FUNCTION_NAME !== undefined);
        const byName = Object.fromEntries(fns.map((c) => [c.env.AWS_LAMBDA_FUNCTION_NAME, c.env]));
        // default (GET /parcels) and write (POST /parcels) are alive, each with its own settings; health's process is gone.
        expect(Object.keys(byName).sort()).toEqual(['local', 'local-write']);
        expect(byName['local-write']).toMatchObject({ WRITES: 'on', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024' });
        expect(byName.local!.WRITES).toBeUndefined();
      } finally {
        await local.stop();
        rmSync(project, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
