import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { KoaGateway } from '../../../infra/src/pulumi';
import { installMocks, settle, type RecordedResource, type RecordingMocks } from '../../../infra/src/tools/synth/mocks';
import { resolve } from '../../support/outputs';
import { parseSettings } from '../../../infra/src/settings/parse';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { exampleSettings, EXAMPLE_SETTINGS } from '../../../service/infra/settings';
import { tableAccessPolicy, TodoStorage, type TodoStorageSettings } from '../../../service/infra/storage';
import { createApp } from '../../../service/app';
import { todosCreateTableInput, TODOS_TABLE_ACTIONS } from '../../../service/todos/dynamo-table';

const TABLE = 'aws:dynamodb/table:Table';

interface StorageRun {
  mocks: RecordingMocks;
  storage: TodoStorage;
  gateway: KoaGateway;
  /** The resource options each child of the storage component was registered with. */
  childOptions: Map<string, pulumi.CustomResourceOptions>;
}

/** Runs the storage component and the gateway wired as index.ts wires them, under Pulumi's mocks. */
async function runStorage(config: Record<string, string> = {}): Promise<StorageRun> {
  const mocks = await installMocks();
  const settings = parseSettings(config, EXAMPLE_SETTINGS);
  const childOptions = new Map<string, pulumi.CustomResourceOptions>();
  // A transformation sees every child's options, including retainOnDelete, which the mock monitor is not sent.
  const storage = new TodoStorage('todo', { settings: exampleSettings(settings.app)!.table }, { transformations: [(a) => (childOptions.set(a.name, a.opts), undefined)] });
  const code = new pulumi.asset.AssetArchive({ 'index.mjs': new pulumi.asset.StringAsset('export const handler = async () => ({ statusCode: 200 });') });
  const gateway = new KoaGateway('todo', { spec: buildGatewaySpec(createApp()), settings, code, environment: storage.environment, policies: { storage: storage.policy } });
  await settle();
  await resolve(pulumi.all([storage.tableName, storage.policy, gateway.url, gateway.functionName]));
  await settle();
  return { mocks, storage, gateway, childOptions };
}

const one = (mocks: RecordingMocks, type: string): RecordedResource => {
  const found = mocks.ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

describe('the todos table under Pulumi mocks', async () => {
  const run = await runStorage();
  const table = one(run.mocks, TABLE);
  const tableArn = (await resolve(run.storage.tableArn)).value;

  it('is on-demand, with point-in-time recovery and server-side encryption', () => {
    expect(table.inputs).toMatchObject({ billingMode: 'PAY_PER_REQUEST', pointInTimeRecovery: { enabled: true }, serverSideEncryption: { enabled: true } });
    expect(table.inputs).not.toHaveProperty('readCapacity');
    expect(table.parent).toBe('todo');
  });

  it('has the keys and index the repository queries: the same as the local table dynalite gets', () => {
    const local = todosCreateTableInput('x');
    expect(table.inputs.hashKey).toBe(local.KeySchema[0]!.AttributeName);
    expect(table.inputs.attributes).toEqual(local.AttributeDefinitions.map((a) => ({ name: a.AttributeName, type: a.AttributeType })));
    const [gsi] = local.GlobalSecondaryIndexes;
    expect(table.inputs.globalSecondaryIndexes).toEqual([
      {
        name: gsi!.IndexName,
        projectionType: gsi!.Projection.ProjectionType,
        keySchemas: gsi!.KeySchema.map((k) => ({ attributeName: k.AttributeName, keyType: k.KeyType })),
      },
    ]);
  });

  it('by default: no deletion protection, and retained on pulumi destroy', () => {
    expect(table.inputs.deletionProtectionEnabled).toBe(false);
    expect(run.childOptions.get('todo-todos')?.retainOnDelete).toBe(true);
  });

  it('gives the function the table name as TODOS_TABLE', async () => {
    const fn = one(run.mocks, 'aws:lambda/function:Function').inputs as { environment: { variables: Record<string, string> } };
    expect(fn.environment.variables.TODOS_TABLE).toBe((await resolve(run.storage.tableName)).value);
    expect(fn.environment.variables.TODOS_TABLE).toMatch(/^todo-todos-/);
  });

  it("attaches the table policy to the function's own role", () => {
    const role = run.mocks.ofType('aws:iam/role:Role').find((r) => r.name === 'todo-fn-role')!;
    const policy = run.mocks.ofType('aws:iam/rolePolicy:RolePolicy').find((p) => p.name === 'todo-fn-storage-policy');
    expect(policy?.inputs.role).toBe(`${role.name}-id`);
    expect(JSON.parse(String(policy?.inputs.policy))).toEqual(tableAccessPolicy(tableArn));
  });

  it('grants only the actions the repository uses, on this table and its index: no * anywhere', async () => {
    const document = JSON.parse((await resolve(run.storage.policy)).value) as ReturnType<typeof tableAccessPolicy>;
    const actions = document.Statement.flatMap((s) => s.Action);
    const resources = document.Statement.flatMap((s) => s.Resource);
    expect(actions.sort()).toEqual([...TODOS_TABLE_ACTIONS].sort());
    expect(resources.sort()).toEqual([tableArn, `${tableArn}/index/byStatus`].sort());
    expect(JSON.stringify(document)).not.toContain('*');
    expect(document.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
  });
});

/** Every DynamoDB action that changes data or the table (access level Write in "Actions defined by Amazon DynamoDB", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html). */
const WRITE_ACTIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems', 'PartiQLInsert', 'PartiQLUpdate', 'PartiQLDelete', 'CreateTable', 'UpdateTable', 'DeleteTable', 'RestoreTableFromBackup', 'ImportTable'].map((a) => `dynamodb:${a}`);

describe("the function groups' table policies under Pulumi mocks", async () => {
  const run = await runStorage();
  const tableArn = (await resolve(run.storage.tableArn)).value;
  const documentOf = async (policy: pulumi.Output<string>) => JSON.parse((await resolve(policy)).value) as ReturnType<typeof tableAccessPolicy>;

  it('the read policy (read and account groups) grants GetItem on the table and Query on its index, and no write action', async () => {
    const document = await documentOf(run.storage.readPolicy);
    expect(document.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      [['dynamodb:GetItem'], [tableArn]],
      [['dynamodb:Query'], [`${tableArn}/index/byStatus`]],
    ]);
    const actions = document.Statement.flatMap((s) => s.Action);
    expect(actions.filter((a) => WRITE_ACTIONS.includes(a))).toEqual([]);
    expect(JSON.stringify(document)).not.toContain('*');
  });

  it('the write policy (write group) grants the item writes and the reads they make, on the table only: no Query, no index', async () => {
    const document = await documentOf(run.storage.writePolicy);
    expect(document.Statement.map((s) => [s.Action, s.Resource])).toEqual([[['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], [tableArn]]]);
    expect(JSON.stringify(document)).not.toContain('*');
  });

  it('together they grant what the whole-app policy grants, no more', async () => {
    const union = new Set([...(await documentOf(run.storage.readPolicy)).Statement, ...(await documentOf(run.storage.writePolicy)).Statement].flatMap((s) => s.Action));
    expect([...union].sort()).toEqual([...TODOS_TABLE_ACTIONS].sort());
  });
});

describe.each<[string, Record<string, string>, TodoStorageSettings]>([
  ['protected and retained', { tableDeletionProtection: 'true', tableRetainOnDestroy: 'true' }, { deletionProtection: true, retainOnDestroy: true }],
  ['unprotected and deleted with the stack', { tableDeletionProtection: 'false', tableRetainOnDestroy: 'false' }, { deletionProtection: false, retainOnDestroy: false }],
])('a table %s', (_, config, expected) => {
  it('follows the settings', async () => {
    const run = await runStorage(config);
    expect(one(run.mocks, TABLE).inputs.deletionProtectionEnabled).toBe(expected.deletionProtection);
    expect(run.childOptions.get('todo-todos')?.retainOnDelete ?? false).toBe(expected.retainOnDestroy);
  });
});

describe('tableAccessPolicy (no mocks)', () => {
  it('splits item actions on the table from Query on the index', () => {
    expect(tableAccessPolicy('arn:aws:dynamodb:eu-west-1:1:table/t')).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'TodoItems', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: ['arn:aws:dynamodb:eu-west-1:1:table/t'] },
        { Sid: 'TodoListIndex', Effect: 'Allow', Action: ['dynamodb:Query'], Resource: ['arn:aws:dynamodb:eu-west-1:1:table/t/index/byStatus'] },
      ],
    });
  });
});
