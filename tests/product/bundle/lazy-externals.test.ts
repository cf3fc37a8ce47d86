import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { importedNames } from '../../../infra/src/bundle/lazy-externals';
import { loadFixture, PARCELS } from '../../support/apps';
import { runProcess } from '../../support/process';

describe('importedNames (which getters a lazy external module needs)', () => {
  it.each([
    ["import { A, type B, C as D } from '@aws-sdk/x';", ['A', 'C']],
    ["import {\n  A,\n  B,\n} from \"@aws-sdk/x\";\nimport { E } from '@aws-sdk/x';", ['A', 'B', 'E']],
    ["import type { T } from '@aws-sdk/x';\nimport { A } from '@aws-sdk/x';", ['A']],
    ["import { A } from '@aws-sdk/xy';", undefined],
    ["import * as X from '@aws-sdk/x';", undefined],
    ["import X from '@aws-sdk/x';", undefined],
    ["import X, { A } from '@aws-sdk/x';", undefined],
  ] as const)('%j', (source, names) => {
    expect(importedNames(source, '@aws-sdk/x')).toEqual(names);
  });
});

/**
 * The Lambda bundle leaves `@aws-sdk/*` to the runtime and loads it on first use (infra/src/bundle/lazy-externals.ts):
 * an app that imports an SDK client pays for it only in the request that uses it. Built by `bundleLambda`, as
 * deployed, from an entry of the parcels app's project that imports the DynamoDB client at the top.
 */
describe('an @aws-sdk import in the bundle', () => {
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    // Inside the project (dist/, ignored): the bundle resolves the external SDK from its node_modules, as in Lambda.
    await mkdir(path.join(PARCELS.dir, 'dist'), { recursive: true });
    dir = await mkdtemp(path.join(PARCELS.dir, 'dist', 'lazy-sdk-'));
    const entry = path.join(dir, 'entry.ts');
    await writeFile(
      entry,
      [
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        'export const handler = async (event: { useSdk?: boolean }) => (event.useSdk ? typeof new DynamoDBClient({ region: "us-east-1" }).send : "no sdk");',
        '',
      ].join('\n'),
    );
    bundle = (await bundleLambda({ app: loadFixture(PARCELS), entry, outDir: path.join(dir, 'out') })).file;
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is no static import: the module is required behind a getter', async () => {
    const code = await readFile(bundle, 'utf8');
    expect(code).not.toMatch(/import\s*[^;]*from\s*["']@aws-sdk\//);
    // Minified, `require` is renamed: the call is still there.
    expect(code).toMatch(/\(\s*"@aws-sdk\/client-dynamodb"\s*\)/);
  });

  it('is not loaded by a request that does not use it; the first request that does loads it', async () => {
    // A fresh process: this test runner may have loaded the SDK itself.
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
      const { createRequire } = await import('node:module');
      const sdkLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('@aws-sdk'));
      const without = await handler({});
      const afterWithout = sdkLoaded();
      const withSdk = await handler({ useSdk: true });
      console.log(JSON.stringify({ without, afterWithout, withSdk, afterWith: sdkLoaded() }));`;
    const run = await runProcess(process.execPath, ['--input-type=module', '-e', script], { cwd: PARCELS.dir, env: { ...process.env, NODE_OPTIONS: '' }, timeoutMs: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ without: 'no sdk', afterWithout: false, withSdk: 'function', afterWith: true });
  });
});
