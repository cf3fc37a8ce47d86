import { randomUUID } from 'node:crypto';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { comparePositions, decodeCursor, encodeCursor, type CursorPosition } from './cursor';
import { TODOS_TABLE } from './dynamo-table';
import {
  StorageUnavailableError,
  TodoExistsError,
  TodoNotFoundError,
  VersionConflictError,
  type TodoFilter,
  type TodoPage,
  type TodoRepository,
  type VersionedTodo,
} from './repository';
import type { Todo } from './schemas';

export interface DynamoTodoRepositoryOptions {
  tableName: string;
  /**
   * The DynamoDB client, or a function that makes it (called on the first command); by default one
   * built from the standard AWS environment (see `clientConfigFromEnvironment`).
   */
  client?: DynamoDBClient | (() => DynamoDBClient);
  /** Longest one call may take, the SDK's retries included, before it is a 503 (ms). Default `CALL_TIMEOUT_MS`. */
  callTimeoutMs?: number;
}

/**
 * Client timeouts (ms). DynamoDB answers in milliseconds; a connection not made in 1 s or a response
 * not started in 2 s is a fault the SDK retries (TimeoutError is transient; without
 * `throwOnRequestTimeout` the SDK's handler would only log a warning and keep waiting). A whole call,
 * retries included, is cut at 5 s: a DynamoDB that accepts connections
 * and never answers is a 503 with Retry-After after about 5 s, well within API Gateway's 29 s and the
 * function's default timeout (29 s), rather than the gateway's 504 after 29 s.
 */
export const CONNECTION_TIMEOUT_MS = 1000;
export const REQUEST_TIMEOUT_MS = 2000;
export const CALL_TIMEOUT_MS = 5000;

/** Attribute holding the token of the write that produced the item (see `create`/`replace`). */
const WRITE_TOKEN = 'writeToken';

const COMPLETED_VALUES = [false, true] as const;
const PRIORITY_VALUES = ['low', 'medium', 'high'] as const;

/**
 * Errors after which a retry is likely to succeed: DynamoDB is throttling us or briefly failing. The
 * names, codes and statuses are the SDK's own retry classification (@smithy/core/retry
 * service-error-classification: THROTTLING_ERROR_CODES, TRANSIENT_ERROR_CODES, TRANSIENT_ERROR_STATUS_CODES,
 * NODEJS_TIMEOUT_ERROR_CODES, NODEJS_NETWORK_ERROR_CODES); tests/example/todos/faults.test.ts checks them against it.
 */
const THROTTLING = new Set([
  'BandwidthLimitExceeded', 'EC2ThrottledException', 'LimitExceededException', 'PriorRequestNotComplete', 'ProvisionedThroughputExceededException',
  'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ThrottledException', 'Throttling', 'ThrottlingException',
  'TooManyRequestsException', 'TransactionInProgressException',
]);
const TRANSIENT = new Set(['InternalServerError', 'ServiceUnavailable', 'TransactionConflictException', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_HTTP2_STREAM_ERROR']);

/**
 * Keeps todos in a DynamoDB table (layout and the reasons for it: dynamo-table.ts), so they survive
 * cold starts and every Lambda instance sees the same data. Writes are conditional on the version
 * read, so concurrent writers cannot overwrite each other. Listing reads the `byStatus` index, which
 * is eventually consistent: a todo written a moment ago may be missing from a list for a moment.
 */
export class DynamoTodoRepository implements TodoRepository {
  private readonly tableName: string;
  private readonly makeClient: () => DynamoDBClient;
  private client?: DynamoDBDocumentClient;
  private readonly callTimeoutMs: number;

  constructor(options: DynamoTodoRepositoryOptions) {
    this.tableName = options.tableName;
    this.callTimeoutMs = options.callTimeoutMs ?? CALL_TIMEOUT_MS;
    const { client } = options;
    this.makeClient = typeof client === 'function' ? client : () => client ?? new DynamoDBClient({});
  }

  /**
   * The document client, made on the first command: the AWS SDK (loaded on first use, see
   * infra/src/bundle/lazy-externals.ts) is then loaded by the first request that needs the table, not by
   * the cold start, so `/health` never pays for it (about 60-100 ms of CPU here). No network either way.
   */
  private get documents(): DynamoDBDocumentClient {
    return (this.client ??= DynamoDBDocumentClient.from(this.makeClient(), { marshallOptions: { removeUndefinedValues: true } }));
  }

  /** Returns a repository for the table named by `TODOS_TABLE`, configured from the standard AWS variables. */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): DynamoTodoRepository {
    const tableName = env.TODOS_TABLE;
    if (!tableName) throw new Error('TODOS_TABLE is not set: it names the DynamoDB table that keeps the todos');
    return new DynamoTodoRepository({ tableName, client: () => new DynamoDBClient(clientConfigFromEnvironment(env)) });
  }

  /**
   * Every write carries a fresh token on the item. When a response is lost the SDK retries the same
   * conditional write, which then fails against the item its own first attempt wrote: finding its
   * token there, the write knows it succeeded. (DynamoDB's ReturnValuesOnConditionCheckFailure would
   * save the read, but dynalite ignores it; the read happens only on a failed condition.)
   */
  async create(todo: Todo): Promise<VersionedTodo> {
    const stored: VersionedTodo = { ...pickTodo(todo), version: 1 };
    const token = randomUUID();
    try {
      await this.send((d, abortSignal) =>
        d.send(new PutCommand({ TableName: this.tableName, Item: { ...toItem(stored), [WRITE_TOKEN]: token }, ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': 'id' } }), { abortSignal }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      if ((await this.getItem(todo.id))?.[WRITE_TOKEN] === token) return stored;
      throw new TodoExistsError(todo.id);
    }
    return stored;
  }

  async get(id: string): Promise<VersionedTodo | undefined> {
    // Strongly consistent: a client that just wrote must read its own write (and its new ETag).
    const item = await this.getItem(id);
    return item ? fromItem(item) : undefined;
  }

  /** Returns the stored item as it is (write token included), read strongly consistently, or undefined. */
  private async getItem(id: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.send((d, abortSignal) => d.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }), { abortSignal }));
    return Item;
  }

  async replace(todo: Todo, expectedVersion: number): Promise<VersionedTodo> {
    const stored: VersionedTodo = { ...pickTodo(todo), version: expectedVersion + 1 };
    const token = randomUUID();
    try {
      // A missing item has no version, so one condition covers both "exists" and "unchanged".
      await this.send((d, abortSignal) =>
        d.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...toItem(stored), [WRITE_TOKEN]: token },
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
          { abortSignal },
        ),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      // Our own earlier attempt, whose response was lost (see `create`)?
      const current = await this.getItem(todo.id);
      if (current?.[WRITE_TOKEN] === token) return stored;
      throw current ? new VersionConflictError(todo.id, expectedVersion, fromItem(current).version) : new TodoNotFoundError(todo.id);
    }
    return stored;
  }

  /**
   * A deleted item keeps no token, so a lost response is recognised by the SDK's attempt count instead:
   * when the condition fails on a retry (not on the first attempt) and the todo is gone, the first
   * attempt deleted it (or another delete did: either way the request's effect holds, RFC 9110 §9.2.2).
   */
  async delete(id: string, expectedVersion?: number): Promise<void> {
    try {
      await this.send((d, abortSignal) =>
        d.send(new DeleteCommand({
          TableName: this.tableName,
          Key: { id },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_exists(#id)', ExpressionAttributeNames: { '#id': 'id' } }
            : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }), { abortSignal }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      const retried = ((err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1;
      const current = await this.get(id);
      if (!current) {
        if (retried) return;
        throw new TodoNotFoundError(id);
      }
      throw expectedVersion === undefined ? new TodoNotFoundError(id) : new VersionConflictError(id, expectedVersion, current.version);
    }
  }

  /**
   * Queries each `byStatus` partition the filter selects for its next `limit + 1` todos after the
   * cursor, and merges them by (createdAt, id). Any todo among the first `limit + 1` of the merged
   * order is among the first `limit + 1` of its own partition, so the page is exact and "is there a
   * next page" needs no extra read. The cursor is the last todo's position, which is what DynamoDB's
   * LastEvaluatedKey would hold for one partition; a key condition `sortKey > position` (rather than
   * ExclusiveStartKey) lets one cursor resume every partition, and means a client can only ever name
   * a position, never a raw key DynamoDB would reject.
   */
  async list(filter: TodoFilter, page: { limit: number; cursor?: string }): Promise<TodoPage> {
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    const partitions = listKeysFor(filter);
    const perPartition = await Promise.all(partitions.map((listKey) => this.queryPartition(listKey, after, page.limit + 1)));
    const merged = perPartition.flat().sort(comparePositions);
    const items = merged.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items: items.map(({ version: _version, ...todo }) => todo), nextCursor: merged.length > page.limit && last ? encodeCursor(last) : null };
  }

  /** Returns up to `count` todos of one index partition after `after`, in order (following DynamoDB's 1 MB pages). */
  private async queryPartition(listKey: string, after: CursorPosition | undefined, count: number): Promise<VersionedTodo[]> {
    const { partitionKey, sortKey, name } = TODOS_TABLE.listIndex;
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: name,
      KeyConditionExpression: after ? '#pk = :pk AND #sk > :after' : '#pk = :pk',
      ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
      ExpressionAttributeValues: { ':pk': listKey, ...(after && { ':after': sortKeyOf(after) }) },
      ScanIndexForward: true,
    };
    if (!after) delete input.ExpressionAttributeNames!['#sk'];
    const found: VersionedTodo[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.send((d, abortSignal) => d.send(new QueryCommand({ ...input, Limit: count - found.length, ExclusiveStartKey: startKey }), { abortSignal }));
      found.push(...(result.Items ?? []).map(fromItem));
      startKey = result.LastEvaluatedKey;
    } while (startKey && found.length < count);
    return found;
  }

  /**
   * An attachment is an item of its own, `id` = its key (attachmentKey), the bytes in `data` (binary): no
   * `listKey`, so the list index never holds it (a sparse index) and a page stays light. DynamoDB's 400 KB item
   * size bounds it; the route's limit (schemas.ts ATTACHMENT_LIMIT_BYTES) is below.
   */
  async putAttachment(key: string, bytes: Buffer): Promise<void> {
    await this.send((d, abortSignal) => d.send(new PutCommand({ TableName: this.tableName, Item: { id: key, data: new Uint8Array(bytes) } }), { abortSignal }));
  }

  async getAttachment(key: string): Promise<Buffer | undefined> {
    const item = await this.getItem(key);
    const data = item?.data;
    return data instanceof Uint8Array ? Buffer.from(data) : undefined;
  }

  async deleteAttachment(key: string): Promise<void> {
    await this.send((d, abortSignal) => d.send(new DeleteCommand({ TableName: this.tableName, Key: { id: key } }), { abortSignal }));
  }

  /**
   * Returns the call's result, turning throttling and transient failures into StorageUnavailableError.
   * The call gets an abort signal that fires after `callTimeoutMs`, the SDK's retries included.
   */
  private async send<T>(call: (documents: DynamoDBDocumentClient, abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await call(this.documents, AbortSignal.timeout(this.callTimeoutMs));
    } catch (err) {
      throw translateError(err);
    }
  }
}

/**
 * Returns the client settings for this environment. The SDK itself reads `AWS_ENDPOINT_URL_DYNAMODB`
 * (and region, credentials) from the environment; a loopback endpoint (dynalite, DynamoDB Local)
 * needs neither a real region nor real credentials, so placeholders are supplied when none are set,
 * rather than letting the SDK probe ~/.aws and the instance metadata service for them.
 */
export function clientConfigFromEnvironment(env: NodeJS.ProcessEnv = process.env): DynamoDBClientConfig {
  // Without these the SDK waits for a silent connection forever (its defaults are 0: no timeout).
  const timeouts: DynamoDBClientConfig = { requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true } };
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
  if (!endpoint || !isLoopback(endpoint)) return timeouts;
  return {
    ...timeouts,
    endpoint,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(!env.AWS_ACCESS_KEY_ID && { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

/** Returns the error to throw for a failed DynamoDB call: retryable ones become StorageUnavailableError. */
export function translateError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const name = err.name;
  const code = (err as { code?: string }).code;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const retryable = (err as { $retryable?: { throttling?: boolean } }).$retryable;
  if (THROTTLING.has(name) || status === 429 || retryable?.throttling) return new StorageUnavailableError('DynamoDB is throttling requests', 1, { cause: err });
  // Any 5xx: from DynamoDB or from anything between (a load balancer's 502 has no DynamoDB error type).
  if (TRANSIENT.has(name) || retryable !== undefined || (code !== undefined && NETWORK_CODES.has(code)) || (status !== undefined && status >= 500)) {
    return new StorageUnavailableError('DynamoDB is unavailable', 1, { cause: err });
  }
  if (err.cause instanceof Error && translateError(err.cause) instanceof StorageUnavailableError) return new StorageUnavailableError('DynamoDB is unavailable', 1, { cause: err });
  return err;
}

function isConditionalFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

/** Returns the index partitions (`listKey`s) holding the todos that match `filter`. */
function listKeysFor(filter: TodoFilter): string[] {
  const completed = filter.completed === undefined ? COMPLETED_VALUES : [filter.completed];
  const priorities = filter.priority === undefined ? PRIORITY_VALUES : [filter.priority];
  return completed.flatMap((c) => priorities.map((p) => listKeyOf(c, p)));
}

function listKeyOf(completed: boolean, priority: Todo['priority']): string {
  return `${completed ? 'done' : 'open'}#${priority}`;
}

function sortKeyOf(position: CursorPosition): string {
  return `${position.createdAt}#${position.id}`;
}

function pickTodo(todo: Todo): Todo {
  const { id, title, description, priority, completed, createdAt, updatedAt, attachment } = todo;
  const picked: Todo = { id, title, description, priority, completed, createdAt, updatedAt };
  if (attachment) picked.attachment = { name: attachment.name, mediaType: attachment.mediaType, size: Number(attachment.size), sha256: attachment.sha256 };
  return picked;
}

function toItem(todo: VersionedTodo): Record<string, unknown> {
  return { ...todo, listKey: listKeyOf(todo.completed, todo.priority), sortKey: sortKeyOf(todo) };
}

function fromItem(item: Record<string, unknown>): VersionedTodo {
  return { ...pickTodo(item as unknown as Todo), version: Number(item.version) };
}
