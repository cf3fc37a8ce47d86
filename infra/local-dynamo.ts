import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { todosCreateTableInput } from '../service/todos/dynamo-table';

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
   * The environment that points the Lambda bundle at this server: `TODOS_TABLE`,
   * `AWS_ENDPOINT_URL_DYNAMODB`, and a placeholder region and credentials (dynalite checks no signature).
   */
  env: Record<string, string>;
  /** Stops the server and closes the data folder. */
  close(): Promise<void>;
}

/**
 * Starts dynalite (a DynamoDB-protocol server on LevelDB) on loopback, creates the todos table if it
 * is missing, and returns where it listens. Used by `STORAGE=dynamodb npm start` and the storage tests.
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const tableName = options.tableName ?? 'todos';
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // Tables become ACTIVE at once: nothing to wait for locally.
  const server = dynalite({ ...(options.dataDir && { path: options.dataDir }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { TODOS_TABLE: tableName, AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

  const close = () =>
    new Promise<void>((resolve, reject) => {
      // SDK clients keep sockets alive; without this, close waits for them to idle out.
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    });

  try {
    await ensureTable(endpoint, tableName);
  } catch (err) {
    await close();
    throw err;
  }
  return { endpoint, tableName, env, close };
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
