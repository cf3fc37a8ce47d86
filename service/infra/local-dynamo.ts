import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { fork, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
  /**
   * The bound on dynalite's resident memory, in MB: past it the process finishes the requests in flight and
   * a fresh one takes over on the same port and folder (data kept). Only with `dataDir` (in memory, a fresh
   * process would start empty). Default `DEFAULT_MAX_MEMORY_MB`; 0 for no bound.
   */
  maxMemoryMb?: number;
  /** How often the bound is checked, in ms (default 1000). */
  checkEveryMs?: number;
  /** Where the supervisor says what happened to the process (recycled, exited, restarted); default stderr. */
  log?: (line: string) => void;
}

/** The default bound on the local DynamoDB's memory, in MB (`DYNAMODB_MAX_MEMORY_MB`). */
export const DEFAULT_MAX_MEMORY_MB = 256;

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
  /** The process dynalite runs in now (not the caller's: its memory grows with use); changes when it is replaced. */
  readonly pid: number;
  /** How many times the process was replaced (recycled at its memory bound, or restarted after it died). */
  readonly restarts: number;
  /** Stops the server and closes the data folder; no process is started after. */
  close(): Promise<void>;
}

/**
 * Starts dynalite (a DynamoDB-protocol server on LevelDB) on loopback in a child process
 * (service/infra/dynalite-process.cjs), creates the todos table if it is missing, and returns where it listens.
 * In its own process, dynalite's ever-growing memory is not the gateway's, and the child ends with its
 * parent. The child is supervised: past `maxMemoryMb` it is recycled, and when it dies (killed, crashed) a
 * new one starts on the same port and folder, each said in one `log` line, so `npm start` never answers 503
 * in silence. Used by `STORAGE=dynamodb npm start` and the storage tests. Rejects with the listen error
 * (its `code`, e.g. EADDRINUSE, kept) when the server cannot start.
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const tableName = options.tableName ?? 'todos';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (options.dataDir) {
    // The folder holds the user's data: private to the user, as dynalite's files inside it are (umask 077).
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    await chmod(options.dataDir, 0o700);
    await assertDataDirFree(options.dataDir);
    // Files written before (by an older version, or the check above) are made private too.
    for (const entry of await readdir(options.dataDir, { withFileTypes: true })) if (entry.isFile()) await chmod(path.join(options.dataDir, entry.name), 0o600);
  }
  const maxMemoryMb = options.dataDir ? (options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB) : 0;
  const startOptions = { path: options.dataDir, maxRssBytes: maxMemoryMb * 1024 * 1024, checkEveryMs: options.checkEveryMs };
  let child = await startStandby(await forkStandby(), startOptions);
  // The next process, booted before it is needed (only when a handover can happen: a bound, or to restart after a death).
  let standby: Promise<ChildProcess> | undefined;
  const nextStandby = () => {
    standby = forkStandby();
    standby.catch(() => {});
  };

  // The endpoint is the parent's own HTTP server, each request forwarded to the current process: while one
  // process hands over to the next, requests wait here (none is refused or cut), so a recycle costs a pause.
  let ready = true;
  let recycling = false;
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  const agent = new http.Agent({ keepAlive: true });
  const front = http.createServer((req, res) => {
    const forward = () => {
      // A request whose client gave up while it waited is never sent: a write answered as failed (the service's
      // 503 after its timeout) must not be applied later.
      if (req.destroyed || res.destroyed) return;
      inFlight++;
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        inFlight--;
        if (recycling && inFlight === 0) child.process.kill('SIGTERM');
      };
      const upstream = http.request({ host: '127.0.0.1', port: child.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
        answer.once('end', done);
        answer.once('error', done);
        res.once('close', done);
      });
      upstream.on('error', () => {
        done();
        // The process died under the request: DynamoDB's own 500 shape, which the SDK retries (whether the
        // write was applied is unknown, as after any network error).
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'The local DynamoDB process went away' }));
        else res.destroy();
      });
      req.pipe(upstream);
    };
    if (ready) forward();
    else waiting.push(forward);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    await stopChild(child.process);
    throw err;
  }
  const port = (front.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { TODOS_TABLE: tableName, AWS_ENDPOINT_URL_DYNAMODB: endpoint };
  let closing = false;
  let restarts = 0;

  const supervise = (current: Spawned) => {
    current.process.on('message', (m: { recycling?: unknown }) => {
      if (!m.recycling || current !== child) return;
      ready = false;
      recycling = true;
      if (inFlight === 0) current.process.kill('SIGTERM');
    });
    current.process.once('exit', (code, signal) => {
      ready = false;
      if (closing) return;
      const where = options.dataDir ? `data kept in ${options.dataDir}` : 'in memory: its data is gone';
      if (recycling) log(`Local DynamoDB (dynalite) passed its ${maxMemoryMb} MB memory bound (DYNAMODB_MAX_MEMORY_MB): replaced on ${endpoint}, ${where}`);
      else log(`Local DynamoDB (dynalite) exited unexpectedly (${signal ?? `code ${code}`}): restarting it on ${endpoint}, ${where}`);
      recycling = false;
      void restart(1);
    });
  };
  const restart = async (attempt: number): Promise<void> => {
    try {
      const next = standby ? await standby.catch(() => forkStandby()) : await forkStandby();
      standby = undefined;
      child = await startStandby(next, startOptions);
    } catch (err) {
      if (closing) return;
      if (attempt >= 3) {
        log(`Local DynamoDB (dynalite) could not be restarted (${(err as Error).message}): requests answer 503. Fix: stop npm start and start it again.`);
        ready = true;
        for (const forward of waiting.splice(0)) forward();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      return restart(attempt + 1);
    }
    if (closing) return void (await stopChild(child.process));
    restarts++;
    supervise(child);
    ready = true;
    for (const forward of waiting.splice(0)) forward();
    nextStandby();
  };
  const close = async () => {
    closing = true;
    waiting.length = 0;
    front.closeAllConnections();
    await new Promise<void>((resolve) => front.close(() => resolve()));
    agent.destroy();
    await stopChild(child.process);
    const spare = await standby?.catch(() => undefined);
    if (spare) await stopChild(spare);
  };

  try {
    await ensureTable(endpoint, tableName);
  } catch (err) {
    await close();
    throw err;
  }
  supervise(child);
  nextStandby();
  return {
    endpoint,
    tableName,
    env,
    get pid() {
      return child.process.pid!;
    },
    get restarts() {
      return restarts;
    },
    close,
  };
}

interface Spawned {
  process: ChildProcess;
  port: number;
}

/** Forks dynalite-process.cjs and resolves once it is on standby: Node booted, dynalite loaded, no folder open. */
async function forkStandby(): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, 'dynalite-process.cjs'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Not the parent's loaders (tsx): the child is plain CommonJS.
    execArgv: [],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`dynalite exited with code ${code} before it was ready`)));
    child.once('error', reject);
  });
  return child;
}

/** Tells a standby process to open `options.path` and listen; resolves with its port (rejects with its listen error). */
async function startStandby(child: ChildProcess, options: { path?: string; maxRssBytes: number; checkEveryMs?: number }): Promise<Spawned> {
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port?: number; error?: { code?: string; message: string } }) => {
      if (m.port) return resolve(m.port);
      reject(Object.assign(new Error(m.error?.message ?? 'dynalite failed to start'), { code: m.error?.code }));
    });
    child.once('exit', (code) => reject(new Error(`dynalite exited with code ${code} before listening`)));
    child.send({ start: options });
  });
  return { process: child, port };
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
 * For `npm start`: starts the todos' local DynamoDB (dynalite) and sets `TODOS_TABLE` and
 * `AWS_ENDPOINT_URL_DYNAMODB` in `env`, so every function group's process (health, read, write, account: each its
 * own process, as each is its own Lambda function) reads and writes the same table, as deployed groups share theirs.
 * - `STORAGE` unset, empty or `memory` (the default): dynalite in memory, gone when `npm start` stops (a dev reload
 *   keeps it). Memory inside the function would not do: a todo created by the write function's process would be
 *   missing from the read function's.
 * - `STORAGE=dynamodb`: dynalite on `.local/dynamodb` (or `DYNAMODB_DATA_DIR`), kept across restarts; its memory bound
 *   `DYNAMODB_MAX_MEMORY_MB`, default 256, 0 for none.
 * Port `DYNAMODB_PORT`, default a free one. Must run before anything defaults `env.STORAGE` from the stack settings
 * (deployed default: dynamodb).
 * Throws a VisibleError (printed by `npm start` in one line) for a STORAGE that is no backend, a DYNAMODB_PORT
 * that is no port or is taken, a DYNAMODB_MAX_MEMORY_MB that is no whole number, and a local DynamoDB that cannot
 * start (its cause attached). What happens to the process later (recycled, died, restarted) goes to `out`.
 */
export async function startLocalStorage(
  env: NodeJS.ProcessEnv,
  options: { dataDir?: string; out?: (line: string) => void } = {},
): Promise<LocalDynamo> {
  const dataDir = options.dataDir ?? (env.DYNAMODB_DATA_DIR ? path.resolve(env.DYNAMODB_DATA_DIR) : LOCAL_DYNAMO_DIR);
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const storage = env.STORAGE?.trim().toLowerCase();
  const inMemory = storage === undefined || storage === '' || storage === 'memory';
  if (!inMemory && storage !== 'dynamodb') throw new VisibleError(`STORAGE=${env.STORAGE} is not a storage backend: use STORAGE=memory (default) or STORAGE=dynamodb`);
  const port = env.DYNAMODB_PORT ? Number(env.DYNAMODB_PORT) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new VisibleError(`DYNAMODB_PORT=${env.DYNAMODB_PORT} is not a port number (0-65535)`);
  const maxMemoryMb = env.DYNAMODB_MAX_MEMORY_MB ? Number(env.DYNAMODB_MAX_MEMORY_MB) : DEFAULT_MAX_MEMORY_MB;
  if (!Number.isInteger(maxMemoryMb) || maxMemoryMb < 0) throw new VisibleError(`DYNAMODB_MAX_MEMORY_MB=${env.DYNAMODB_MAX_MEMORY_MB} is not a whole number of MB: use e.g. 256, or 0 for no bound`);
  let local: LocalDynamo;
  try {
    local = await startLocalDynamo(inMemory ? { port, log: out } : { dataDir, port, maxMemoryMb, log: out });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new VisibleError(`DYNAMODB_PORT=${port} is already in use: choose another, or leave DYNAMODB_PORT unset for a free one`);
    throw new VisibleError(`Could not start the local DynamoDB (is another STORAGE=dynamodb npm start running?): ${(err as Error).message}`, { cause: err });
  }
  Object.assign(env, local.env);
  out(
    inMemory
      ? `Local DynamoDB (dynalite) on ${local.endpoint}, table "${local.tableName}", in memory: shared by the functions, gone when this stops (STORAGE=dynamodb keeps it in .local/dynamodb/)`
      : `Local DynamoDB (dynalite) on ${local.endpoint}, table "${local.tableName}", data in ${path.relative(PROJECT_ROOT, dataDir)}/ (delete it to start empty)`,
  );
  return local;
}
