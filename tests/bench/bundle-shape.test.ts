import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The globalSetup built it: what is measured in BENCHMARKS.md is what these tests read.
const BUNDLE = path.resolve(__dirname, '../../dist/lambda/index.mjs');

/** Returns the module specifiers of the bundle's static `import ... from "x"` statements. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/(?:^|[;\n])import\s*(?:[\w$]+|\{[^}]*\}|\*\s*as\s*[\w$]+)(?:\s*,\s*(?:\{[^}]*\}|\*\s*as\s*[\w$]+))?\s*from\s*["']([^"']+)["']/g)].map((m) => m[1]!);
}

describe('the Lambda bundle, shaped for cold start', () => {
  it('imports no Node built-in as an ES module but node:module (importing http that way loads undici)', async () => {
    const code = await readFile(BUNDLE, 'utf8');
    const builtins = staticImports(code).filter((s) => !s.startsWith('@aws-sdk/'));
    expect(builtins).toEqual(['node:module']);
  });

  it('serves health and a JSON create without loading undici (Node loads it on the first read of global Response)', () => {
    // A fresh process: this test runner has long since loaded undici itself.
    const script = `
      const { restEvent, lambdaContext } = await import(${JSON.stringify(pathToFileURL(path.resolve(__dirname, '../../bench/events.mjs')).href)});
      const { handler } = await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});
      const statuses = [await handler(restEvent('GET', '/health'), lambdaContext), await handler(restEvent('POST', '/api/v1/todos', { title: 'x' }), lambdaContext)].map((r) => r.statusCode);
      console.log(JSON.stringify({ statuses, undici: process.moduleLoadList.some((m) => m.includes('undici')) }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', TODOS_TABLE: '' } });
    expect(JSON.parse(out)).toEqual({ statuses: [200, 201], undici: false });
  });

  it('carries no full MIME database (only the JSON API entries)', async () => {
    const code = await readFile(BUNDLE, 'utf8');
    expect(code).toContain('"application/json"');
    expect(code).not.toContain('"image/png"');
    expect(code).not.toContain('"application/vnd.ms-excel"');
  });
});
