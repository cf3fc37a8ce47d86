import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiEvent } from '../../support/events';
import { PARCELS } from '../../support/apps';
import { BUILT_LAMBDA as BUNDLE } from '../../support/lambda';
import { runProcess } from '../../support/process';

// The globalSetup built it (the parcels app's, with bundleLambda as deployed). The SDK's lazy loading is
// lazy-externals.test.ts's; the example's bundle with DynamoDB storage is tests/example/lambda-bundle.test.ts's.

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
      const events = ${JSON.stringify([apiEvent('GET', '/health'), apiEvent('POST', '/parcels', { body: { recipient: 'x' } })])};
      const { handler } = await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});
      const statuses = [];
      for (const event of events) statuses.push((await handler(event, { awsRequestId: 'test' })).statusCode);
      const { createRequire } = await import('node:module');
      const sdk = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('@aws-sdk'));
      console.log(JSON.stringify({ statuses, undici: process.moduleLoadList.some((m) => m.includes('undici')), sdk }));`;
    const run = await runProcess(process.execPath, ['--input-type=module', '-e', script], { cwd: PARCELS.dir, env: { ...process.env, NODE_OPTIONS: '' } });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ statuses: [200, 201], undici: false, sdk: false });
  });

  it('carries no full MIME database (only the JSON API entries)', async () => {
    const code = await readFile(BUNDLE, 'utf8');
    expect(code).toContain('"application/json"');
    expect(code).not.toContain('"image/png"');
    expect(code).not.toContain('"application/vnd.ms-excel"');
  });
});
