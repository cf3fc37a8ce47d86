import type { Plugin } from 'esbuild';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleLambda } from '../infra/src/bundle/bundle';
import { ROOT as PROJECT_ROOT } from './repo';

/** One stack under test: its name, what it is, and where its bundle is built. */
export interface Stack {
  id: 'koa' | 'koa-no-sdk' | 'hono' | 'bare';
  label: string;
  /** Entry relative to the project root; undefined for the service itself. */
  entry?: string;
  outDir: string;
  plugins?: Plugin[];
  /** A what-if measurement, not a shipped artifact. */
  diagnostic?: boolean;
}

export const STACKS: readonly Stack[] = [
  { id: 'koa', label: 'this project (Koa + @koa/router + TypeBox + serverless-http)', outDir: path.join(PROJECT_ROOT, 'dist', 'lambda') },
  { id: 'hono', label: 'Hono (hono/aws-lambda) + zod + @hono/zod-validator', entry: 'bench/baselines/hono.ts', outDir: path.join(PROJECT_ROOT, 'dist', 'bench', 'hono') },
  { id: 'bare', label: 'bare hand-written handler (the floor)', entry: 'bench/baselines/bare.ts', outDir: path.join(PROJECT_ROOT, 'dist', 'bench', 'bare') },
];

export interface BuiltStack extends Stack {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** The largest inputs, by package (or source file), bytes in the output. */
  largestInputs: Array<{ input: string; bytes: number }>;
}

/**
 * The service with every `@aws-sdk/*` import replaced by an empty module: what its cold start would be
 * if the SDK (needed only with DynamoDB storage) were loaded on first use instead of at module init.
 * Measured only while the real bundle imports the SDK statically; the benchmark runs with memory storage.
 */
export const KOA_WITHOUT_SDK: Stack = {
  id: 'koa-no-sdk',
  label: 'this project, AWS SDK import stubbed (what-if: SDK loaded lazily)',
  outDir: path.join(PROJECT_ROOT, 'dist', 'bench', 'koa-no-sdk'),
  plugins: [stubModules(/^@aws-sdk\//)],
  diagnostic: true,
};

/** Returns an esbuild plugin that replaces the modules matching `filter` with an empty CommonJS module. */
function stubModules(filter: RegExp): Plugin {
  return {
    name: 'bench-stub',
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'bench-stub' }));
      build.onLoad({ filter: /.*/, namespace: 'bench-stub' }, () => ({ contents: 'module.exports={};', loader: 'js' }));
    },
  };
}

/** Returns true when the bundle statically imports the AWS SDK (so every cold start loads it). */
export async function importsSdkStatically(file: string): Promise<boolean> {
  return /(?:^|[;\n])import[^;]*?from\s*["']@aws-sdk\//.test(await readFile(file, 'utf8'));
}

/** Returns each stack built with the service's own esbuild options (`bundleLambda`), with its sizes. */
export async function buildStacks(stacks: readonly Stack[] = STACKS): Promise<BuiltStack[]> {
  const built: BuiltStack[] = [];
  for (const stack of stacks) {
    const { file: artifact, metafile } = await bundleLambda({ outDir: stack.outDir, entry: stack.entry, plugins: stack.plugins });
    const code = await readFile(artifact);
    // Runs import a private copy: a test run rebuilding dist/lambda meanwhile cannot hand them a half-written file.
    const file = path.join(PROJECT_ROOT, 'dist', 'bench', 'run', stack.id, 'index.mjs');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, code);
    // With its source map beside it, as in the function's archive: with NODE_OPTIONS=--enable-source-maps Node reads it at load.
    await writeFile(`${file}.map`, await readFile(`${artifact}.map`));
    const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined)!;
    built.push({ ...stack, file, bytes: code.length, gzipBytes: gzipSync(code).length, largestInputs: groupInputs(output.inputs).slice(0, 10) });
  }
  return built;
}

/** Returns bytes in the output per package (the innermost `node_modules/<name>`), largest first. */
export function groupInputs(inputs: Record<string, { bytesInOutput: number }>): Array<{ input: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const at = input.lastIndexOf('node_modules/');
    let key = input;
    if (at >= 0) {
      const rest = input.slice(at + 'node_modules/'.length).split('/');
      key = input.slice(0, at) + 'node_modules/' + (rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]);
    }
    totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
  }
  return [...totals].map(([input, bytes]) => ({ input, bytes })).sort((a, b) => b.bytes - a.bytes || a.input.localeCompare(b.input));
}
