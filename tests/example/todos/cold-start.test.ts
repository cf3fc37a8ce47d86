import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { ROOT as PROJECT_ROOT } from '../../support/files';
import { startLocalDynamo, type LocalDynamo } from '../../../service/infra/local-dynamo';
import { apiEvent, type ProxyResult } from '../../support/events';
import { runProcess } from '../../support/process';

const INVOKER = path.join(__dirname, 'support/invoke-bundle.mjs');

/** Invokes the bundle in a new `node` process with only `env` (plus PATH): nothing survives from earlier invocations but the store. */
async function invokeFresh(bundle: string, env: Record<string, string>, events: unknown[]): Promise<ProxyResult[]> {
  const { status, stdout, stderr } = await runProcess(process.execPath, [INVOKER, bundle, JSON.stringify(events)], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: PROJECT_ROOT });
  if (status !== 0) throw new Error(`invoke-bundle exited ${status}: ${stderr}`);
  return JSON.parse(stdout) as ProxyResult[];
}

describe('todos survive Lambda cold starts with DynamoDB storage', () => {
  let bundleDir: string;
  let bundle: string;
  let dataDir: string;
  let dynamo: LocalDynamo | undefined;

  beforeAll(async () => {
    // Under the project, not /tmp: the bundle keeps `@aws-sdk/*` external (Lambda provides it), and an
    // ES module resolves packages only from node_modules folders above its own location.
    bundleDir = await mkdtemp(path.join(PROJECT_ROOT, 'dist', 'storage-cold-start-'));
    bundle = (await bundleLambda({ outDir: bundleDir })).file;
    dataDir = await mkdtemp(path.join(tmpdir(), 'todos-dynalite-'));
  });
  afterAll(async () => {
    await dynamo?.close();
    await rm(bundleDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('what one process creates, a fresh process reads, even after the local DynamoDB restarts on its data folder', async () => {
    dynamo = await startLocalDynamo({ dataDir });
    // Only the table and the endpoint: no region or credentials, as `STORAGE=dynamodb npm start` may run it.
    const envFor = (d: LocalDynamo) => ({ TODOS_TABLE: d.tableName, AWS_ENDPOINT_URL_DYNAMODB: d.endpoint });
    const created = await invokeFresh(bundle, envFor(dynamo), [
      apiEvent('POST', '/api/v1/todos', { body: { title: 'first', priority: 'high' } }),
      apiEvent('POST', '/api/v1/todos', { body: { title: 'second', completed: true } }),
    ]);
    expect(created.map((r) => r.statusCode)).toEqual([201, 201]);
    const todos = created.map((r) => JSON.parse(r.body) as { id: string });
    const patched = await invokeFresh(bundle, envFor(dynamo), [apiEvent('PATCH', `/api/v1/todos/${todos[0]!.id}`, { body: { description: 'kept' } })]);
    expect(patched[0]!.statusCode).toBe(200);

    await dynamo.close();
    dynamo = await startLocalDynamo({ dataDir });

    const [one, list] = await invokeFresh(bundle, envFor(dynamo), [apiEvent('GET', `/api/v1/todos/${todos[0]!.id}`), apiEvent('GET', '/api/v1/todos?limit=10')]);
    expect(one!.statusCode).toBe(200);
    expect(JSON.parse(one!.body)).toEqual({ ...JSON.parse(patched[0]!.body) });
    expect(Object.entries(one!.headers ?? {}).find(([k]) => k.toLowerCase() === 'etag')?.[1]).toBe('"2"');
    expect(JSON.parse(list!.body).items.map((t: { title: string }) => t.title)).toEqual(['first', 'second']);
  });

  it('without TODOS_TABLE the bundle keeps todos in memory, so a fresh process sees none (the contrast)', async () => {
    const [created] = await invokeFresh(bundle, {}, [apiEvent('POST', '/api/v1/todos', { body: { title: 'lost' } })]);
    expect(created!.statusCode).toBe(201);
    const [list] = await invokeFresh(bundle, {}, [apiEvent('GET', '/api/v1/todos')]);
    expect(JSON.parse(list!.body).items).toEqual([]);
  });
});
