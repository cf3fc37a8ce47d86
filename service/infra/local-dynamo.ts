import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { VisibleError } from 'koa-apigateway';
import { todosCreateTableInput } from '../todos/dynamo-table';

/** The repository root (`.local/` lives there). */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface LocalDynamoOptions {
  /** LevelDB folder, so data survives restarts (e.g. `.local/dynamodb`); in memory when omitted. */
  dataDir?: string;
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
  /** The todos table, created when missing. Default `todos`. */
  tableName?: string;
}

export interface LocalDynamo {
  /** e.g. `http://127.0.0.1:54321`. */
  endpoint: string;
  tableName: string;
  /**
   * The environment that points the Lambda bundle at this server: `TODOS_TABLE` and
   * `AWS_ENDPOINT_URL_DYNAMODB`. No credentials needed: for a loopback endpoint the repository uses
   * placeholders (dynalite checks no signature), and real AWS variables in the shell are left alone.
   */
  env: { TODOS_TABLE: string; AWS_ENDPOINT_URL_DYNAMODB: string };
  /** The process dynalite runs in (not the caller's: its memory grows with use). */
  pid: number;
  /** Stops the server and closes the data folder. */
  close(): Promise<void>;
}

/**
 * Starts dynalite (a DynamoDB-protocol server on LevelDB) on loopback in a child process
 * (service/infra/dynalite-process.cjs), creates the todos table if it is missing, and returns where it listens.
 * In its own process, dynalite's ever-growing heap is not the gateway's, and the child ends with its
 * parent. Used by `STORAGE=dynamodb npm start` and the storage tests. Rejects with the listen error
 * (its `code`, e.g. EADDRINUSE, kept) when the server cannot start.
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const tableName = options.tableName ?? 'todos';
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    await assertDataDirFree(options.dataDir);
  }
  const child = fork(path.join(__dirname, 'dynalite-process.cjs'), [JSON.stringify({ path: options.dataDir, port: options.port ?? 0 })], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Not the parent's loaders (tsx): the child is plain CommonJS.
    execArgv: [],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port?: number; error?: { code?: string; message: string } }) => {
      if (m.port) return resolve(m.port);
      reject(Object.assign(new Error(m.error?.message ?? 'dynalite failed to start'), { code: m.error?.code }));
    });
    child.once('exit', (code) => reject(new Error(`dynalite exited with code ${code} before listening`)));
    child.once('error', reject);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { TODOS_TABLE: tableName, AWS_ENDPOINT_URL_DYNAMODB: endpoint };
  const close = () => stopChild(child);

  try {
    await ensureTable(endpoint, tableName);
  } catch (err) {
    await close();
    throw err;
  }
  return { endpoint, tableName, env, pid: child.pid!, close };
}

/** Stops the dynalite process and resolves once it has exited (its data folder is then free). */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Throws a readable error when another process holds the LevelDB folder. dynalite itself would
 * accept the folder and then crash the whole process on its first request ("Database is closed").
 */
async function assertDataDirFree(dataDir: string): Promise<void> {
  // dynalite's own `level`, whichever node_modules folder it was installed in.
  const { Level } = createRequire(createRequire(__filename).resolve('dynalite'))('level') as { Level: new (dir: string) => { open(): Promise<void>; close(): Promise<void> } };
  const db = new Level(dataDir);
  try {
    await db.open();
  } catch (err) {
    const locked = (err as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED';
    throw new Error(locked ? `${dataDir} is in use by another process (another local DynamoDB?)` : `Cannot open ${dataDir}: ${(err as Error).message}`, { cause: err });
  }
  await db.close();
}

/** Creates the todos table at `endpoint` unless it exists (a data folder from an earlier run keeps it). */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
      await client.send(new CreateTableCommand(todosCreateTableInput(tableName)));
    }
    // A new table is CREATING for a moment (even with createTableMs 0); writes to it fail until ACTIVE.
    for (let attempt = 0; ; attempt++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') return;
      if (attempt >= 200) throw new Error(`Table ${tableName} is still ${Table?.TableStatus ?? 'missing'} after 2 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    client.destroy();
  }
}

/** Where `STORAGE=dynamodb npm start` keeps its data: survives restarts, ignored by git. */
export const LOCAL_DYNAMO_DIR = path.join(PROJECT_ROOT, '.local', 'dynamodb');

/**
 * For `npm start`: when `env.STORAGE` is `dynamodb`, starts dynalite on `.local/dynamodb` (or
 * `DYNAMODB_DATA_DIR`; port `DYNAMODB_PORT`, default a free one), creates the table, and sets `TODOS_TABLE` and
 * `AWS_ENDPOINT_URL_DYNAMODB` in `env` so the bundle, loaded later in this process, uses it.
 * Returns undefined (and changes nothing) otherwise: memory stays the local default.
 * Must run before anything defaults `env.STORAGE` from the stack settings (deployed default: dynamodb).
 * Throws a VisibleError (printed by `npm start` in one line) for a STORAGE that is no backend, a DYNAMODB_PORT
 * that is no port or is taken, and a local DynamoDB that cannot start (its cause attached).
 */
export async function startLocalStorage(
  env: NodeJS.ProcessEnv,
  options: { dataDir?: string; out?: (line: string) => void } = {},
): Promise<LocalDynamo | undefined> {
  const dataDir = options.dataDir ?? (env.DYNAMODB_DATA_DIR ? path.resolve(env.DYNAMODB_DATA_DIR) : LOCAL_DYNAMO_DIR);
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const storage = env.STORAGE?.trim().toLowerCase();
  if (storage === undefined || storage === '' || storage === 'memory') return undefined;
  if (storage !== 'dynamodb') throw new VisibleError(`STORAGE=${env.STORAGE} is not a storage backend: use STORAGE=memory (default) or STORAGE=dynamodb`);
  const port = env.DYNAMODB_PORT ? Number(env.DYNAMODB_PORT) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new VisibleError(`DYNAMODB_PORT=${env.DYNAMODB_PORT} is not a port number (0-65535)`);
  let local: LocalDynamo;
  try {
    local = await startLocalDynamo({ dataDir, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new VisibleError(`DYNAMODB_PORT=${port} is already in use: choose another, or leave DYNAMODB_PORT unset for a free one`);
    throw new VisibleError(`Could not start the local DynamoDB (is another STORAGE=dynamodb npm start running?): ${(err as Error).message}`, { cause: err });
  }
  Object.assign(env, local.env);
  out(`Local DynamoDB (dynalite) on ${local.endpoint}, table "${local.tableName}", data in ${path.relative(PROJECT_ROOT, dataDir)}/ (delete it to start empty)`);
  return local;
}
