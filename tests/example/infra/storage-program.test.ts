import { describe, expect, it, vi } from 'vitest';
import { installMocks, settle, type RecordingMocks } from '../../../infra/src/tools/synth/mocks';
import { resolve } from '../../support/outputs';

/** Runs index.ts (the real Pulumi program) under mocks with `config`, and returns what it registered and exported. */
async function runProgram(config: Record<string, string>) {
  vi.resetModules();
  const mocks = await installMocks({ config });
  const program = (await import('../../../index.js')) as typeof import('../../../index.js');
  await resolve(program.url);
  await settle();
  return { mocks, program };
}

type Env = { environment: { variables: Record<string, string> } };

/** The function of `group` (`todo-<group>-fn`), its environment, and the DynamoDB actions its role's inline policies grant. */
function groupFunction(mocks: RecordingMocks, group: string) {
  const fn = mocks.ofType('aws:lambda/function:Function').find((f) => f.name === `todo-${group}-fn`);
  const role = `todo-${group}-fn-role`;
  const policies = mocks.ofType('aws:iam/rolePolicy:RolePolicy').filter((p) => p.inputs.role === `${role}-id`);
  const statements = policies.flatMap((p) => (JSON.parse(String(p.inputs.policy)) as { Statement: { Action: string[]; Resource: string[] }[] }).Statement);
  return {
    fn,
    variables: (fn?.inputs as Env | undefined)?.environment.variables ?? {},
    tableActions: statements.flatMap((s) => s.Action).filter((a) => a.startsWith('dynamodb:')).sort(),
  };
}

describe('index.ts wires storage per function group from the `storage` setting', () => {
  it('by default (dynamodb, no user pool): health, read, write and export functions; the table and its rights only where used', async () => {
    const { mocks, program } = await runProgram({});
    expect(mocks.ofType('aws:dynamodb/table:Table')).toHaveLength(1);
    const tableName = (await resolve(program.tableName!)).value;
    expect(tableName).toMatch(/^todo-todos-/);
    expect(mocks.ofType('aws:lambda/function:Function').map((f) => f.name).sort()).toEqual(['todo-export-fn', 'todo-health-fn', 'todo-read-fn', 'todo-write-fn']);

    const health = groupFunction(mocks, 'health');
    expect(health.variables).not.toHaveProperty('TODOS_TABLE');
    expect(health.tableActions).toEqual([]);
    expect(health.fn?.inputs.memorySize).toBe(128);

    const read = groupFunction(mocks, 'read');
    expect(read.variables).toMatchObject({ TODOS_TABLE: tableName });
    expect(read.tableActions).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);

    const write = groupFunction(mocks, 'write');
    expect(write.variables).toMatchObject({ TODOS_TABLE: tableName });
    expect(write.tableActions).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem']);

    // The CSV export pages through the list index: the read-only rights.
    const exporter = groupFunction(mocks, 'export');
    expect(exporter.variables).toMatchObject({ TODOS_TABLE: tableName });
    expect(exporter.tableActions).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    // Only what some code reads: no function got a use for STORAGE or STAGE_NAME.
    for (const g of [health, read, write, exporter]) {
      expect(g.variables).not.toHaveProperty('STORAGE');
      expect(g.variables).not.toHaveProperty('STAGE_NAME');
    }
    // Five bundles (the whole app's and four groups') under mocks: beyond the default 30 s on a loaded machine.
  }, 90_000);

  it('with a user pool: the account function too, with the read-only rights', async () => {
    const { mocks } = await runProgram({ 'koa-apigateway:userPool': 'create' });
    expect(mocks.ofType('aws:lambda/function:Function').map((f) => f.name).sort()).toEqual(['todo-account-fn', 'todo-export-fn', 'todo-health-fn', 'todo-read-fn', 'todo-write-fn']);
    const account = groupFunction(mocks, 'account');
    expect(account.variables).toHaveProperty('TODOS_TABLE');
    expect(account.tableActions).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
  }, 90_000);

  it('with storage memory: no table, no TODOS_TABLE, no table policy, no tableName output', async () => {
    const { mocks, program } = await runProgram({ 'koa-apigateway:storage': 'memory' });
    expect(mocks.ofType('aws:dynamodb/table:Table')).toHaveLength(0);
    for (const group of ['health', 'read', 'write', 'export']) {
      const g = groupFunction(mocks, group);
      expect(g.fn, group).toBeDefined();
      expect(g.variables).not.toHaveProperty('TODOS_TABLE');
      expect(g.tableActions).toEqual([]);
    }
    expect(program.tableName).toBeUndefined();
  });
});
