import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VisibleError } from '../../../infra/src/errors';
import { startLocalDynamo, startLocalStorage, type LocalDynamo } from '../../../service/infra/local-dynamo';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientConfigFromEnvironment, DynamoTodoRepository } from '../../../service/todos/dynamo-repository';

describe('STORAGE=dynamodb npm start: startLocalStorage', () => {
  const started: LocalDynamo[] = [];
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'local-dynamo-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const s of started.splice(0)) await s.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it.each([{}, { STORAGE: '' }, { STORAGE: 'memory' }])('by default (%j): one table in memory that every function process shares, nothing written to disk', async (vars) => {
    const env: NodeJS.ProcessEnv = { ...vars };
    const dataDir = await tempDir();
    const lines: string[] = [];
    const local = await startLocalStorage(env, { dataDir, out: (line) => lines.push(line) });
    started.push(local);
    expect(env.TODOS_TABLE).toBe('todos');
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBe(local.endpoint);
    expect(lines.join('\n')).toContain('in memory: shared by the functions');
    // Two clients, as two function processes (the write group's, the read group's) would be: one sees the other's write.
    const writer = DynamoTodoRepository.fromEnvironment(env);
    const reader = DynamoTodoRepository.fromEnvironment(env);
    const now = new Date().toISOString();
    await writer.create({ id: 'shared-1', title: 'seen by the other process', description: null, priority: 'medium', completed: false, createdAt: now, updatedAt: now });
    expect((await reader.get('shared-1'))?.title).toBe('seen by the other process');
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('refuses an unknown backend or a port that is none as user errors (VisibleError: one line, no stack), naming the variable', async () => {
    const backend = startLocalStorage({ STORAGE: 's3' }, { dataDir: await tempDir() });
    await expect(backend).rejects.toThrow('STORAGE=s3 is not a storage backend: use STORAGE=memory (default) or STORAGE=dynamodb');
    await expect(backend).rejects.toBeInstanceOf(VisibleError);
    const port = startLocalStorage({ STORAGE: 'dynamodb', DYNAMODB_PORT: 'abc' }, { dataDir: await tempDir() });
    await expect(port).rejects.toThrow('DYNAMODB_PORT=abc is not a port number (0-65535)');
    await expect(port).rejects.toBeInstanceOf(VisibleError);
  });

  it('with dynamodb: starts dynalite on the data folder and points the bundle at it through the environment only', async () => {
    const env: NodeJS.ProcessEnv = { STORAGE: 'dynamodb' };
    const lines: string[] = [];
    const local = (await startLocalStorage(env, { dataDir: await tempDir(), out: (l) => lines.push(l) }))!;
    started.push(local);
    expect(env).toEqual({ STORAGE: 'dynamodb', TODOS_TABLE: 'todos', AWS_ENDPOINT_URL_DYNAMODB: local.endpoint });
    expect(lines.join('\n')).toContain(local.endpoint);
    const repo = DynamoTodoRepository.fromEnvironment(env);
    expect((await repo.list({}, { limit: 1 })).items).toEqual([]);
  });

  it('a data folder already in use is a readable error, not a crash of the process', async () => {
    const dataDir = await tempDir();
    started.push((await startLocalStorage({ STORAGE: 'dynamodb' }, { dataDir, out: () => {} }))!);
    const second = startLocalStorage({ STORAGE: 'dynamodb' }, { dataDir, out: () => {} });
    await expect(second).rejects.toThrow(/is another STORAGE=dynamodb npm start running\?.*in use by another process/);
    await expect(second).rejects.toBeInstanceOf(VisibleError);
  });

  it('keeps the table and its todos across restarts on the same folder', async () => {
    const dataDir = await tempDir();
    const first = await startLocalDynamo({ dataDir });
    const todo = { id: '00000000-0000-4000-8000-000000000001', title: 't', description: null, priority: 'low' as const, completed: false, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
    await DynamoTodoRepository.fromEnvironment(first.env).create(todo);
    await first.close();
    const second = await startLocalDynamo({ dataDir });
    started.push(second);
    expect(await DynamoTodoRepository.fromEnvironment(second.env).get(todo.id)).toEqual({ ...todo, version: 1 });
  });

  const todoNumbered = (n: number) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, title: `t${n}`, description: null, priority: 'low' as const, completed: false, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
  const waitFor = async (what: () => boolean, ms = 15_000) => {
    const until = Date.now() + ms;
    while (!what()) {
      if (Date.now() > until) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('the data folder and the files dynalite writes in it are private to the user (0700, 0600), even a folder made 0755 before', async () => {
    const dataDir = await tempDir();
    await chmod(dataDir, 0o755);
    const local = await startLocalDynamo({ dataDir });
    started.push(local);
    await DynamoTodoRepository.fromEnvironment(local.env).create(todoNumbered(1));
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    const files = await readdir(dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(((await stat(path.join(dataDir, f))).mode & 0o077).toString(8), f).toBe('0');
  });

  it('killed, it is restarted on the same port with its data, and says so in one line: npm start never answers 503 in silence', async () => {
    const dataDir = await tempDir();
    const lines: string[] = [];
    const local = await startLocalDynamo({ dataDir, log: (l) => lines.push(l) });
    started.push(local);
    const repo = DynamoTodoRepository.fromEnvironment(local.env);
    await repo.create(todoNumbered(2));
    const first = local.pid;
    process.kill(first, 'SIGKILL');
    await waitFor(() => local.restarts === 1);
    expect(local.pid).not.toBe(first);
    expect(lines.join('\n')).toMatch(/Local DynamoDB \(dynalite\) exited unexpectedly \(SIGKILL\): restarting it on http:\/\/127\.0\.0\.1:\d+, data kept in /);
    expect(await DynamoTodoRepository.fromEnvironment(local.env).get(todoNumbered(2).id)).toMatchObject({ title: 't2' });
  });

  it('past its memory bound it is replaced by a fresh process, writes meanwhile wait instead of failing, the data is kept, and no process is started after close', async () => {
    const dataDir = await tempDir();
    const lines: string[] = [];
    // A 1 MB bound: every dynalite process is past it at once, so each is recycled within checkEveryMs.
    const local = await startLocalDynamo({ dataDir, maxMemoryMb: 1, checkEveryMs: 300, log: (l) => lines.push(l) });
    // Generous timeouts: the claim is that no write fails during a handover, however long a loaded machine makes it.
    const config = clientConfigFromEnvironment({ AWS_ENDPOINT_URL_DYNAMODB: local.endpoint });
    const repo = new DynamoTodoRepository({ tableName: local.tableName, callTimeoutMs: 60_000, client: () => new DynamoDBClient({ ...config, requestHandler: { connectionTimeout: 30_000, requestTimeout: 30_000 } }) });
    await repo.create(todoNumbered(3));
    // Writes go on while the process hands over: each waits at the endpoint instead of failing.
    let n = 100;
    do await repo.create(todoNumbered(n++));
    while (local.restarts < 1);
    expect(lines[0]).toMatch(/passed its 1 MB memory bound \(DYNAMODB_MAX_MEMORY_MB\): replaced on http:\/\/127\.0\.0\.1:\d+, data kept in /);
    expect(await repo.get(todoNumbered(3).id)).toMatchObject({ title: 't3' });
    await local.close();
    const last = local.pid;
    await new Promise((r) => setTimeout(r, 800));
    expect(local.pid).toBe(last);
    expect(() => process.kill(last, 0)).toThrow();
  });

  it('refuses a DYNAMODB_MAX_MEMORY_MB that is no whole number, naming the variable', async () => {
    const bad = startLocalStorage({ STORAGE: 'dynamodb', DYNAMODB_MAX_MEMORY_MB: '1.5GB' }, { dataDir: await tempDir() });
    await expect(bad).rejects.toThrow('DYNAMODB_MAX_MEMORY_MB=1.5GB is not a whole number of MB');
    await expect(bad).rejects.toBeInstanceOf(VisibleError);
  });
});
