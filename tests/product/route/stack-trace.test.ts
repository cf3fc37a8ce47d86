import { build } from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapStackTrace } from '../../../infra/src/route/stack-trace';
import { runProcess } from '../../support/process';

// A TypeScript module bundled as the Lambda is (esbuild, ESM, minified, map beside it), run without
// --enable-source-maps: its stack names index.mjs until mapStackTrace reads the map.
const SOURCE = ['export interface Input { n: number }', '', 'export function explode(input: Input): never {', "  throw new Error(`boom ${input.n}`);", '}', ''].join('\n');

let dir: string;
let stack: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stack-trace-'));
  await writeFile(path.join(dir, 'thrower.ts'), SOURCE);
  await build({ entryPoints: [path.join(dir, 'thrower.ts')], outfile: path.join(dir, 'out', 'index.mjs'), bundle: true, format: 'esm', minify: true, sourcemap: true, sourcesContent: false, logLevel: 'silent' });
  // A fresh process: this test runner maps stacks itself.
  const script = `const { explode } = await import(${JSON.stringify(pathToFileURL(path.join(dir, 'out', 'index.mjs')).href)}); try { explode({ n: 1 }); } catch (err) { console.log(JSON.stringify(err.stack)); }`;
  const run = await runProcess(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' } });
  if (run.status !== 0) throw new Error(run.stderr);
  stack = JSON.parse(run.stdout) as string;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('mapStackTrace: stack traces of the bundle name the TypeScript source when an error is logged', () => {
  it('maps a bundled frame to the original file, line and column (1-based)', () => {
    expect(stack).toContain(`${pathToFileURL(path.join(dir, 'out', 'index.mjs')).href}:1:`);
    expect(stack).not.toContain('thrower.ts');
    const mapped = mapStackTrace(stack);
    // Line 4, column 9: the `new Error` of `throw new Error(...)` (V8 points at the constructor call).
    expect(mapped.split('\n')[1]).toContain(`${pathToFileURL(path.join(dir, 'thrower.ts')).href}:4:9`);
    expect(mapped.split('\n')[0]).toBe('Error: boom 1');
  });

  it('leaves frames without a map beside their file as they are', () => {
    const mapped = mapStackTrace(stack).split('\n');
    const original = stack.split('\n');
    const unbundled = original.map((line, i) => [line, mapped[i]] as const).filter(([line]) => !line.includes('/out/index.mjs'));
    expect(unbundled.length).toBeGreaterThan(1);
    for (const [line, after] of unbundled) expect(after).toBe(line);
  });
});
