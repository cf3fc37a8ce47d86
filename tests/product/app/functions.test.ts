import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AppDescriptor } from '../../../infra/src/app/descriptor';
import { checkApp } from '../../../infra/src/app/load';
import { AppDescriptorError } from '../../../infra/src/errors';
import { PING } from '../../support/apps';

/** The descriptor's `functions` (issue 24), checked when read: each bad value fails naming its key and the fix. */
const valid: AppDescriptor = { name: 'ping', title: 'ping-api', version: '1.0.0', createApp: () => { throw new Error('not called'); }, lambda: 'lambda.ts', watch: ['.'] };
const check = (functions: unknown) => () => checkApp({ ...valid, functions } as AppDescriptor, PING.descriptor, 'app.config.ts');
const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(AppDescriptorError);
    return (err as Error).message;
  }
  throw new Error('did not throw');
};

describe('checkApp: the descriptor\'s functions', () => {
  it('accepts named groups with every field, and per-route; resolves each group\'s own entry', () => {
    const app = checkApp(
      {
        ...valid,
        functions: {
          read: { routes: ['GET /ping', '* /health', 'GET /api/v1/*', 'GET /items/{id}'], memorySize: 256, timeoutSeconds: 10, architecture: 'x86_64', reservedConcurrency: 5, environment: { MODE: 'read' }, description: 'reads' },
          write: { lambda: 'lambda.ts' },
        },
      },
      PING.descriptor,
    );
    expect(app.functionEntries).toEqual({ write: path.join(PING.dir, 'lambda.ts') });
    expect(checkApp({ ...valid, functions: 'per-route' }, PING.descriptor).functionEntries).toEqual({});
    expect(checkApp(valid, PING.descriptor).functionEntries).toEqual({});
  });

  it("leaves the total of reserved concurrency to the plan, which counts the groups deployed (a group's routes may be mounted only in some stacks)", () => {
    expect(() => check({ account: { routes: ['GET /me'], reservedConcurrency: 500 }, read: { routes: ['GET /ping'], reservedConcurrency: 500 } })()).not.toThrow();
  });

  it.each([
    ['not an object', 'all', '"functions"', "'per-route'"],
    ['a bad group name', { Write: {} }, '"functions.Write" is not a group name', 'lower-case letters'],
    ['a group name over 20 characters', { 'a-very-long-group-name': {} }, '"functions.a-very-long-group-name"', 'at most 20 characters'],
    ['a group that is no object', { write: true }, '"functions.write" is true, not an object', 'make it an object'],
    ['an unknown field', { write: { memory: 512 } }, '"functions.write.memory" is not a field', 'memorySize'],
    ['routes not a list', { write: { routes: 'POST /items' } }, '"functions.write.routes"', 'list the routes'],
    ['a pattern that is not METHOD /path', { write: { routes: ['post /items'] } }, '"functions.write.routes" has "post /items"', 'method in capitals'],
    ['memory as a string', { write: { memorySize: '1024' } }, '"functions.write.memorySize" is "1024"', 'from 128 to 10240'],
    ['memory below Lambda\'s 128 MB', { write: { memorySize: 64 } }, '"functions.write.memorySize" is 64, not a whole number of MB from 128 to 10240 (Lambda quotas: "Function memory allocation', 'from 128 to 10240'],
    ['a timeout over 900 s', { write: { timeoutSeconds: 901 } }, '"functions.write.timeoutSeconds" is 901', 'from 1 to 900'],
    ['a fractional timeout', { write: { timeoutSeconds: 2.5 } }, '"functions.write.timeoutSeconds" is 2.5, not a whole number', 'from 1 to 900'],
    ['an architecture Lambda has not', { write: { architecture: 'arm' } }, '"functions.write.architecture" is "arm"', "'arm64' or 'x86_64'"],
    ['reserved concurrency as a string', { write: { reservedConcurrency: '5' } }, '"functions.write.reservedConcurrency" is "5"', 'from 1 to 900'],
    ['reserved concurrency 0', { write: { reservedConcurrency: 0 } }, '"functions.write.reservedConcurrency" is 0', 'from 1 to 900'],
    ['a variable Lambda reserves', { write: { environment: { AWS_REGION: 'eu-west-1' } } }, '"functions.write.environment.AWS_REGION" is reserved by Lambda', 'another name'],
    ['a variable Lambda reserves (the code path)', { write: { environment: { LAMBDA_TASK_ROOT: '/tmp' } } }, '"functions.write.environment.LAMBDA_TASK_ROOT" is reserved', 'another name'],
    ['an environment value that is no string', { write: { environment: { LIMIT: 5 } } }, '"functions.write.environment.LIMIT" is 5, not a string', 'as a string'],
    ['an environment name Lambda refuses', { write: { environment: { 'MY-VAR': 'x' } } }, '"functions.write.environment.MY-VAR"', 'letters, digits and _'],
    ['a lambda entry that is no string', { write: { lambda: 5 } }, '"functions.write.lambda" is 5', "Lambda entry"],
    ['a lambda entry that does not exist', { write: { lambda: 'missing.ts' } }, '"functions.write.lambda" names missing.ts, which does not exist', 'relative to the descriptor'],
  ])('refuses %s, naming the key and the fix', (_what, functions, problem, fix) => {
    const message = messageOf(check(functions));
    expect(message).toContain('App descriptor app.config.ts');
    expect(message).toContain(problem);
    expect(message).toMatch(/Fix: /);
    expect(message.split('Fix: ')[1]).toContain(fix);
  });

  it("refuses a group's lambda naming a directory: it says so, and that it must name a module file exporting handler", () => {
    // A project with a src/ folder: `lambda: 'src'` names the folder, not the module in it.
    const project = mkdtempSync(path.join(tmpdir(), 'functions-lambda-dir-'));
    try {
      mkdirSync(path.join(project, 'src'));
      writeFileSync(path.join(project, 'lambda.ts'), 'export const handler = () => undefined;\n');
      const message = messageOf(() => checkApp({ ...valid, functions: { g: { routes: ['GET /x'], lambda: 'src' } } } as AppDescriptor, path.join(project, 'app.config.ts'), 'app.config.ts'));
      expect(message).toContain(`App descriptor app.config.ts: "functions.g.lambda" names src, which is a directory (${path.join(project, 'src')}), not a module file.`);
      expect(message).not.toContain('does not exist');
      expect(message.split('Fix: ')[1]).toMatch(/^name the module file exporting the group's Lambda `handler` \(e\.g\. src\/lambda\.ts\), relative to the descriptor/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
