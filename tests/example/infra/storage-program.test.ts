import { describe, expect, it, vi } from 'vitest';
import { installMocks, settle } from '../../../infra/src/tools/synth/mocks';
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

describe('index.ts wires storage from the `storage` setting', () => {
  it('by default (dynamodb): a table, TODOS_TABLE for the function, its policy, and the tableName output', async () => {
    const { mocks, program } = await runProgram({});
    const tables = mocks.ofType('aws:dynamodb/table:Table');
    expect(tables).toHaveLength(1);
    const tableName = (await resolve(program.tableName!)).value;
    expect(tableName).toMatch(/^todo-todos-/);
    const fn = mocks.ofType('aws:lambda/function:Function')[0]!.inputs as { environment: { variables: Record<string, string> } };
    expect(fn.environment.variables).toMatchObject({ TODOS_TABLE: tableName });
    // Only what some code reads: the function never got a use for STORAGE or STAGE_NAME.
    expect(fn.environment.variables).not.toHaveProperty('STORAGE');
    expect(fn.environment.variables).not.toHaveProperty('STAGE_NAME');
    expect(mocks.resources.map((r) => r.name)).toContain('todo-fn-storage-policy');
  });

  it('with storage memory: no table, no TODOS_TABLE, no table policy, no tableName output', async () => {
    const { mocks, program } = await runProgram({ 'koa-apigateway:storage': 'memory' });
    expect(mocks.ofType('aws:dynamodb/table:Table')).toHaveLength(0);
    const fn = mocks.ofType('aws:lambda/function:Function')[0]!.inputs as { environment: { variables: Record<string, string> } };
    expect(fn.environment.variables).not.toHaveProperty('TODOS_TABLE');
    expect(mocks.resources.map((r) => r.name)).not.toContain('todo-fn-storage-policy');
    expect(program.tableName).toBeUndefined();
  });
});
