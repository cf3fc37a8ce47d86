import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStackConfig } from '../../../infra/src/settings/stack-files';
import { runProcess } from '../../support/process';
import { tempDir } from '../../support/files';

const ROOT = path.resolve(__dirname, '../../..');
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

interface Result {
  resources: { type: string; name: string }[];
  calls: string[];
  outputs: Record<string, unknown>;
  loadedTsNode: boolean;
}

/**
 * Runs index.ts through Pulumi's own entry point (ts-node, CommonJS) in a fresh Node process, under mocks.
 * `typeCheck: false` sets PULUMI_NODEJS_TRANSPILE_ONLY=true, which `pulumi up` honours too: ts-node's type check of
 * the example is 15 s of CPU in a fresh /tmp, worth paying once, in the test whose subject it is.
 */
async function runLikePulumi(config: Record<string, string>, { typeCheck }: { typeCheck: boolean }): Promise<{ result: Result; stderr: string; status: number | null }> {
  const resultFile = path.join(tempDir('pulumi-load-'), 'result.json');
  const child = await runProcess(process.execPath, [path.join(__dirname, '..', '..', 'support', 'run-like-pulumi.cjs'), ROOT, resultFile], {
    cwd: ROOT,
    // The bundle goes to a temporary directory: other tests read dist/lambda while this one runs.
    env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config), NODE_OPTIONS: '', KOA_APIGATEWAY_BUNDLE_DIR: path.dirname(resultFile), PULUMI_NODEJS_TRANSPILE_ONLY: typeCheck ? '' : 'true' },
    timeoutMs: 240_000,
  });
  return { result: JSON.parse(readFileSync(resultFile, 'utf8')) as Result, stderr: `${child.stdout}${child.stderr}`, status: child.status };
}

// Each run is a process of its own with its own result and bundle folder: they run side by side (concurrent).
describe.concurrent('the program loads the way Pulumi’s Node.js language host loads it', () => {
  it('declares Node >= 22.12: CommonJS index.ts reaches the ESM-only typebox through require(esm)', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines?: { node?: string }; type?: string; main?: string };
    expect(pkg.engines?.node).toBe('>=22.12');
    expect(pkg.type ?? 'commonjs').toBe('commonjs');
    expect(pkg.main).toBe('index.ts');
  });

  it('compiles and type-checks index.ts with ts-node (CommonJS, typebox through require(esm)) and registers the whole graph with its outputs', { timeout: 240_000 }, async ({ expect }) => {
    const { result, stderr, status } = await runLikePulumi(readStackConfig({ root: ROOT, stack: 'dev' }).all, { typeCheck: true });
    expect(stderr).not.toMatch(/ERR_REQUIRE_ESM|Cannot use import statement|SyntaxError|TSError/);
    expect(status, stderr).toBe(0);
    expect(result.loadedTsNode).toBe(true);
    expect(result.calls).toEqual([]);
    const types = new Set(result.resources.map((r) => r.type));
    for (const t of ['aws:apigateway/restApi:RestApi', 'aws:apigateway/deployment:Deployment', 'aws:apigateway/stage:Stage', 'aws:apigateway/usagePlan:UsagePlan', 'aws:lambda/function:Function']) {
      expect(types, t).toContain(t);
    }
    expect(result.outputs.url).toBe('https://todo-api-id.execute-api.us-east-1.amazonaws.com/dev');
    // The key leaves the program only as a secret.
    expect(result.outputs.apiKey).toMatchObject({ [SECRET_SIG]: expect.any(String) });
    for (const name of ['apiKeyId', 'restApiId', 'functionName', 'logGroupName']) expect(typeof result.outputs[name], name).toBe('string');
    expect(result.outputs.routes).toEqual(expect.arrayContaining(['GET /health', 'POST /api/v1/todos']));
  });

  it('fails before creating anything when a setting is bad, naming the key', { timeout: 240_000 }, async ({ expect }) => {
    const { result, stderr, status } = await runLikePulumi({ 'koa-apigateway:rateLimit': 'fast' }, { typeCheck: false });
    expect(status).not.toBe(0);
    expect(stderr).toContain('"koa-apigateway:rateLimit" is "fast"');
    expect(result.resources.filter((r) => r.type.startsWith('aws:'))).toEqual([]);
  });

  it('refuses a mistyped key as pulumi up runs it, naming the key and the fix', { timeout: 240_000 }, async ({ expect }) => {
    const { result, stderr, status } = await runLikePulumi({ 'aws:region': 'us-east-1', 'koa-apigateway:rateLimt': '5' }, { typeCheck: false });
    expect(status).not.toBe(0);
    expect(stderr).toContain('Unknown config key "koa-apigateway:rateLimt"');
    expect(stderr).toContain('Fix: pulumi config rm rateLimt');
    expect(result.resources.filter((r) => r.type.startsWith('aws:'))).toEqual([]);
  });
});
