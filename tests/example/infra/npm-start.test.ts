import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT as PROJECT_ROOT } from '../../support/files';
import { startProcess, TSX, type Started, CLI } from '../../support/process';

const KEY = 'StorageStartKey0123456789abcdef';

/** Runs `npm start`'s entry with STORAGE=dynamodb on `dataDir`; resolves once it is ready, with its stage URL. */
async function startWithDynamo(dataDir: string, bundleDir: string): Promise<{ child: Started; stageUrl: string; stdout: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, STORAGE: 'dynamodb', DYNAMODB_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir };
  delete env.TODOS_TABLE;
  delete env.AWS_ENDPOINT_URL_DYNAMODB;
  const child = startProcess(process.execPath, [CLI, 'start'], { cwd: PROJECT_ROOT, env });
  try {
    const m = await child.waitFor(/Local API Gateway listening on (http:\/\/\S+)/);
    return { child, stageUrl: m[1]!, stdout: child.stdout };
  } catch (e) {
    await child.stop('SIGKILL');
    throw e;
  }
}

/** Ctrl-C, as a terminal sends it (to the whole process group); resolves with the exit code. */
async function stop(child: Started): Promise<number | null> {
  return (await child.stop('SIGINT')).code;
}

describe('STORAGE=dynamodb npm start', () => {
  let dataDir: string;
  let bundleDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'npm-start-dynamo-'));
    bundleDir = path.join(PROJECT_ROOT, 'dist', 'test-bundles', `storage-start-${process.pid}`);
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(bundleDir, { recursive: true, force: true });
  });

  it('serves todos from the local DynamoDB through the gateway, and they survive a restart', async () => {
    const first = await startWithDynamo(dataDir, bundleDir);
    expect(first.stdout()).toMatch(/Local DynamoDB \(dynalite\) on http:\/\/127\.0\.0\.1:\d+, table "todos"/);
    const created = await fetch(`${first.stageUrl}/api/v1/todos`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: '{"title":"kept"}' });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const todo = (await created.json()) as { id: string };
    expect(await stop(first.child)).toBe(0);

    const second = await startWithDynamo(dataDir, bundleDir);
    try {
      const res = await fetch(`${second.stageUrl}/api/v1/todos/${todo.id}`, { headers: { 'x-api-key': KEY } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(todo);
      const stale = await fetch(`${second.stageUrl}/api/v1/todos/${todo.id}`, { method: 'DELETE', headers: { 'x-api-key': KEY, 'if-match': '"9"' } });
      expect(stale.status).toBe(412);
      expect(await stale.json()).toMatchObject({ message: expect.stringContaining('Precondition Failed'), errors: [{ path: '/if-match', in: 'header' }] });
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
    // Two starts, each bundling five function entries (the export group's included): beyond 30 s on a loaded machine.
  }, 90_000);
});
