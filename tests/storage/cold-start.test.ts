import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda, PROJECT_ROOT } from '../../infra/bundle';
import { startLocalDynamo, type LocalDynamo } from '../../service/infra/local-dynamo';
import { runProcess } from '../support/process';

const INVOKER = path.join(__dirname, 'support', 'invoke-bundle.mjs');

interface ProxyResult {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

/** Returns a minimal API Gateway REST (payload 1.0) proxy event, as the stage `dev` sends it. */
function restEvent(method: string, pathWithQuery: string, body?: unknown) {
  const [p, q] = pathWithQuery.split('?') as [string, string | undefined];
  return {
    resource: p,
    path: p,
    httpMethod: method,
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    multiValueHeaders: null,
    queryStringParameters: q ? Object.fromEntries(new URLSearchParams(q)) : null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { stage: 'dev', path: `/dev${p}`, httpMethod: method, requestId: 'cold-start-test', identity: { sourceIp: '127.0.0.1' } },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

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
      restEvent('POST', '/api/v1/todos', { title: 'first', priority: 'high' }),
      restEvent('POST', '/api/v1/todos', { title: 'second', completed: true }),
    ]);
    expect(created.map((r) => r.statusCode)).toEqual([201, 201]);
    const todos = created.map((r) => JSON.parse(r.body) as { id: string });
    const patched = await invokeFresh(bundle, envFor(dynamo), [restEvent('PATCH', `/api/v1/todos/${todos[0]!.id}`, { description: 'kept' })]);
    expect(patched[0]!.statusCode).toBe(200);

    await dynamo.close();
    dynamo = await startLocalDynamo({ dataDir });

    const [one, list] = await invokeFresh(bundle, envFor(dynamo), [restEvent('GET', `/api/v1/todos/${todos[0]!.id}`), restEvent('GET', '/api/v1/todos?limit=10')]);
    expect(one!.statusCode).toBe(200);
    expect(JSON.parse(one!.body)).toEqual({ ...JSON.parse(patched[0]!.body) });
    expect(Object.entries(one!.headers ?? {}).find(([k]) => k.toLowerCase() === 'etag')?.[1]).toBe('"2"');
    expect(JSON.parse(list!.body).items.map((t: { title: string }) => t.title)).toEqual(['first', 'second']);
  });

  it('without TODOS_TABLE the bundle keeps todos in memory, so a fresh process sees none (the contrast)', async () => {
    const [created] = await invokeFresh(bundle, {}, [restEvent('POST', '/api/v1/todos', { title: 'lost' })]);
    expect(created!.statusCode).toBe(201);
    const [list] = await invokeFresh(bundle, {}, [restEvent('GET', '/api/v1/todos')]);
    expect(JSON.parse(list!.body).items).toEqual([]);
  });
});
