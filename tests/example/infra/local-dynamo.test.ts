import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VisibleError } from '../../../infra/src/errors';
import { startLocalDynamo, startLocalStorage, type LocalDynamo } from '../../../service/infra/local-dynamo';
import { DynamoTodoRepository } from '../../../service/todos/dynamo-repository';

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

  it.each([{}, { STORAGE: '' }, { STORAGE: 'memory' }])('keeps memory by default (%j): starts nothing, changes no variable', async (vars) => {
    const env: NodeJS.ProcessEnv = { ...vars };
    expect(await startLocalStorage(env, { dataDir: await tempDir() })).toBeUndefined();
    expect(env).toEqual(vars);
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
});
