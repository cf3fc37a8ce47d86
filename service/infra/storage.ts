import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { TODOS_TABLE, TODOS_TABLE_ACCESS, TODOS_TABLE_ACTIONS } from '../todos/dynamo-table';

/** How the todos table is kept; from the `storage*` settings. */
export interface TodoStorageSettings {
  /** DynamoDB deletion protection: AWS refuses to delete the table while it is on (default false). */
  deletionProtection: boolean;
  /**
   * Leave the table (and its data) in AWS on `pulumi destroy` and when Pulumi would replace it (default true).
   * Pulumi then forgets it: it keeps costing storage until deleted by hand.
   */
  retainOnDestroy: boolean;
}

export interface TodoStorageArgs {
  settings: TodoStorageSettings;
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string[] }[];
}

/**
 * The todos' DynamoDB table: on-demand billing (no capacity to size, scales with traffic), point-in-time
 * recovery (restore to any second of the last 35 days), server-side encryption with the AWS managed key
 * (readable by principals DynamoDB already authorises, so the function needs no KMS grant), and the
 * keys and index the repository relies on (service/todos/dynamo-table.ts). It exposes the functions'
 * environment and least-privilege policies: `policy` for a function serving every route, `readPolicy` and
 * `writePolicy` for the function groups that only read or write (index.ts gives each group its own); the
 * gateway attaches them. A function that never touches the table (the `health` group) gets neither.
 */
export class TodoStorage extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;
  readonly tableName: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;
  /** For the function: `TODOS_TABLE`, which makes the service use DynamoDB. */
  readonly environment: Record<string, pulumi.Output<string>>;
  /**
   * The inline policy for a function serving every route (the whole app, service/lambda.ts): only the repository's
   * actions, only on this table and its index.
   */
  readonly policy: pulumi.Output<string>;
  /** The inline policy for a function serving only reads (the `read` and `account` groups): GetItem and Query, no write. */
  readonly readPolicy: pulumi.Output<string>;
  /** The inline policy for a function serving only writes (the `write` group): GetItem, PutItem, DeleteItem on the items, no Query. */
  readonly writePolicy: pulumi.Output<string>;

  constructor(name: string, args: TodoStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super('koa-apigateway:storage:TodoStorage', name, {}, opts);
    const { settings } = args;
    const index = TODOS_TABLE.listIndex;
    this.table = new aws.dynamodb.Table(
      `${name}-todos`,
      {
        billingMode: 'PAY_PER_REQUEST',
        hashKey: TODOS_TABLE.partitionKey,
        attributes: TODOS_TABLE.keyAttributes.map((attribute) => ({ name: attribute, type: 'S' })),
        globalSecondaryIndexes: [
          {
            name: index.name,
            keySchemas: [
              { attributeName: index.partitionKey, keyType: 'HASH' },
              { attributeName: index.sortKey, keyType: 'RANGE' },
            ],
            projectionType: 'ALL',
          },
        ],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: settings.deletionProtection,
        tags: { 'koa-apigateway:data': 'todos' },
      },
      // retainOnDelete: `pulumi destroy` (or a replacement) removes the table from the stack but not from AWS.
      { parent: this, retainOnDelete: settings.retainOnDestroy },
    );
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
    this.environment = { TODOS_TABLE: this.table.name };
    this.policy = this.table.arn.apply((arn) => JSON.stringify(tableAccessPolicy(arn)));
    this.readPolicy = this.table.arn.apply((arn) => JSON.stringify(tableAccessPolicy(arn, 'read')));
    this.writePolicy = this.table.arn.apply((arn) => JSON.stringify(tableAccessPolicy(arn, 'write')));
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
  }
}

/**
 * Returns the policy letting a function use the todos table: item actions on the table, Query on its list index,
 * nothing else (no Scan, no table management, no other table). `access` says which routes the function serves:
 * `all` (default: the whole app) grants every action the repository calls (TODOS_TABLE_ACTIONS); `read` and
 * `write` grant what those routes make it call (TODOS_TABLE_ACCESS), so a read function cannot write. A statement
 * with no action is left out (IAM refuses an empty `Action`).
 */
export function tableAccessPolicy(tableArn: string, access: 'all' | keyof typeof TODOS_TABLE_ACCESS = 'all'): PolicyDocument {
  const itemActions: readonly string[] = access === 'all' ? TODOS_TABLE_ACTIONS.filter((a) => a !== 'dynamodb:Query') : TODOS_TABLE_ACCESS[access].items;
  const queryActions: readonly string[] = access === 'all' ? TODOS_TABLE_ACTIONS.filter((a) => a === 'dynamodb:Query') : TODOS_TABLE_ACCESS[access].listIndex;
  const statements: PolicyDocument['Statement'] = [
    { Sid: 'TodoItems', Effect: 'Allow', Action: [...itemActions], Resource: [tableArn] },
    { Sid: 'TodoListIndex', Effect: 'Allow', Action: [...queryActions], Resource: [`${tableArn}/index/${TODOS_TABLE.listIndex.name}`] },
  ];
  return { Version: '2012-10-17', Statement: statements.filter((s) => s.Action.length > 0) };
}
