import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiEvent } from '../../support/events';
import { runProcess } from '../../support/process';

// The globalSetup built it: what is measured in BENCHMARKS.md is what these tests read.
const BUNDLE = path.resolve(__dirname, '../../../dist/lambda/index.mjs');

/** Returns the module specifiers of the bundle's static `import ... from "x"` statements. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/(?:^|[;\n])import\s*(?:[\w$]+|\{[^}]*\}|\*\s*as\s*[\w$]+)(?:\s*,\s*(?:\{[^}]*\}|\*\s*as\s*[\w$]+))?\s*from\s*["']([^"']+)["']/g)].map((m) => m[1]!);
}

describe('the Lambda bundle, shaped for cold start', () => {
  it('imports no Node built-in as an ES module but node:module (importing http that way loads undici)', async () => {
    const code = await readFile(BUNDLE, 'utf8');
    expect(staticImports(code)).toEqual(['node:module']);
  });

  it('serves health and a JSON create without loading undici (Node loads it on the first read of global Response) or the AWS SDK', async () => {
    // A fresh process: this test runner has long since loaded undici itself.
    const script = `
      const events = ${JSON.stringify([apiEvent('GET', '/health'), apiEvent('POST', '/api/v1/todos', { body: { title: 'x' } })])};
      const { handler } = await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});
      const statuses = [];
      for (const event of events) statuses.push((await handler(event, { awsRequestId: 'test' })).statusCode);
      const { createRequire } = await import('node:module');
      const sdk = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('@aws-sdk'));
      console.log(JSON.stringify({ statuses, undici: process.moduleLoadList.some((m) => m.includes('undici')), sdk }));`;
    const run = await runProcess(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, NODE_OPTIONS: '', TODOS_TABLE: '' } });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ statuses: [200, 201], undici: false, sdk: false });
  });

  it('with DynamoDB storage, answers /health without loading the AWS SDK; the first request that needs the table loads it', async () => {
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});
      const { createRequire } = await import('node:module');
      const sdkLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('@aws-sdk'));
      const health = (await handler(${JSON.stringify(apiEvent('GET', '/health'))}, { awsRequestId: 'test' })).statusCode;
      const afterHealth = sdkLoaded();
      await handler(${JSON.stringify(apiEvent('GET', '/api/v1/todos/3fa85f64-5717-4562-b3fc-2c963f66afa6'))}, { awsRequestId: 'test' });
      console.log(JSON.stringify({ health, afterHealth, afterRead: sdkLoaded() }));`;
    // Nothing listens on port 9: the read fails, after loading the SDK.
    const env = { ...process.env, NODE_OPTIONS: '', TODOS_TABLE: 'todos', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' };
    const run = await runProcess(process.execPath, ['--input-type=module', '-e', script], { env, timeoutMs: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ health: 200, afterHealth: false, afterRead: true });
  });

  it('with memory storage, never loads the AWS SDK (it is imported lazily: DynamoDB storage loads it on first use)', async () => {
    const code = await readFile(BUNDLE, 'utf8');
    expect(staticImports(code).filter((s) => s.startsWith('@aws-sdk/'))).toEqual([]);
    // Minified, `require` is renamed: the call is still there, behind a getter.
    expect(code).toMatch(/\(\s*"@aws-sdk\/client-dynamodb"\s*\)/);
  });

  it('carries no full MIME database (only the JSON API entries)', async () => {
    const code = await readFile(BUNDLE, 'utf8');
    expect(code).toContain('"application/json"');
    expect(code).not.toContain('"image/png"');
    expect(code).not.toContain('"application/vnd.ms-excel"');
  });
});
