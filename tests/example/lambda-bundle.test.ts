import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../infra/src/bundle/bundle';
import { apiEvent } from '../support/events';
import { runProcess } from '../support/process';

const ROOT = path.resolve(__dirname, '../..');

/** Returns the module specifiers of the bundle's static `import ... from "x"` statements. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/(?:^|[;\n])import\s*(?:[\w$]+|\{[^}]*\}|\*\s*as\s*[\w$]+)(?:\s*,\s*(?:\{[^}]*\}|\*\s*as\s*[\w$]+))?\s*from\s*["']([^"']+)["']/g)].map((m) => m[1]!);
}

/**
 * The example's Lambda bundle (service/lambda.ts, built as `pulumi up` builds it): its storage backends load the
 * AWS SDK only when DynamoDB is used, and it stays within the size budget BENCHMARKS.md reports on.
 */
describe("the example's Lambda bundle", () => {
  let dir: string;
  let BUNDLE: string;
  beforeAll(async () => {
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    // Inside the project: the bundle resolves the external SDK from its node_modules, as in Lambda.
    dir = await mkdtemp(path.join(ROOT, 'dist', 'example-bundle-'));
    BUNDLE = (await bundleLambda({ root: ROOT, outDir: dir })).file;
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

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

  it('is at most 100 KB gzipped (BENCHMARKS.md has its measured size and what it is made of)', async () => {
    expect(gzipSync(await readFile(BUNDLE)).length).toBeLessThanOrEqual(100 * 1024);
  });
});
