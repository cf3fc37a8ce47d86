/**
 * The DynamoDB table behind DynamoTodoRepository, as plain data: the repository, the Pulumi table
 * (service/infra/storage.ts) and the local table (service/infra/local-dynamo.ts) all read it, so they cannot drift.
 *
 * Keys, and why:
 * - Partition key `id`: every single-todo operation (get, conditional put, conditional delete) is one
 *   key lookup, and ids are random UUIDs, so writes spread evenly over partitions.
 * - Listing must be in a stable order (createdAt, then id) with optional `completed` / `priority` filters.
 *   A Scan has no order and reads the whole table; a FilterExpression still pays for the items it drops.
 *   So one global secondary index, `byStatus`, keys every todo by its filter values and its position:
 *     `listKey` = `open#low` … `done#high` (the 6 combinations of completed × priority),
 *     `sortKey` = `<createdAt>#<id>` (ISO instants are fixed-width, so string order is time order).
 *   A query with both filters reads one partition; one filter reads 2 or 3; no filter reads all 6, and
 *   the repository merges them by sortKey. Every item read is an item that matches: no wasted reads,
 *   and writes are spread over 6 index partitions instead of one hot "all todos" key.
 *   The index projects ALL attributes so a page needs no second read per item.
 */
export const TODOS_TABLE = {
  partitionKey: 'id',
  listIndex: { name: 'byStatus', partitionKey: 'listKey', sortKey: 'sortKey' },
  /** Every attribute used as a key anywhere; all strings. */
  keyAttributes: ['id', 'listKey', 'sortKey'],
} as const;

/** The DynamoDB actions DynamoTodoRepository calls: the whole app's IAM policy grants exactly these. */
export const TODOS_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'] as const;

/**
 * The DynamoDB actions each kind of route makes DynamoTodoRepository call, on the table's items and on its list
 * index; the per-function policies (service/infra/storage.ts) grant exactly these.
 * - `read` (`GET /api/v1/todos`, `GET /api/v1/todos/:id`, the user pool's `GET /api/v1/reader/todos`): `get` is one
 *   GetItem, `list` one Query per index partition. Nothing else: no Scan, no BatchGetItem, no write.
 * - `write` (`POST`, `PUT`, `PATCH`, `DELETE`, the attachment's `PUT` and `DELETE`): PutItem and DeleteItem, conditional
 *   on the version read, and the GetItem those reads are (read-modify-write, If-Match, an idempotent create's replay,
 *   the check after a failed condition); an attachment's bytes are an item of the same table (PutItem, DeleteItem).
 *   No write lists, so no Query.
 * - The attachment's download (`read`) is two GetItems (the todo, its bytes); the CSV export (`export`, the read
 *   policy) Queries the list index a page at a time.
 */
export const TODOS_TABLE_ACCESS = {
  read: { items: ['dynamodb:GetItem'], listIndex: ['dynamodb:Query'] },
  write: { items: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], listIndex: [] },
} as const satisfies Record<string, { items: readonly (typeof TODOS_TABLE_ACTIONS)[number][]; listIndex: readonly (typeof TODOS_TABLE_ACTIONS)[number][] }>;

/** Returns the CreateTable input for the todos table (on-demand billing), for local servers and tests. */
export function todosCreateTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: TODOS_TABLE.keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [{ AttributeName: TODOS_TABLE.partitionKey, KeyType: 'HASH' as const }],
    GlobalSecondaryIndexes: [
      {
        IndexName: TODOS_TABLE.listIndex.name,
        KeySchema: [
          { AttributeName: TODOS_TABLE.listIndex.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: TODOS_TABLE.listIndex.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
  };
}
