import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployApp } from '../../../infra/src/pulumi';
import { installMocks, settle, type RecordingMocks } from '../../../infra/src/tools/synth/mocks';
import { readStackConfig } from '../../../infra/src/settings/stack-files';
import { AppDescriptorError, SettingsError } from '../../../infra/src/errors';
import { copyFixture, PARCELS } from '../../support/apps';
import { resolve } from '../../support/outputs';
import { runProcess } from '../../support/process';
import { tempDir } from '../../support/files';

const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const PARCELS_ROUTES = ['DELETE /parcels/{id}', 'GET /health', 'GET /parcels', 'GET /parcels/{id}', 'PATCH /parcels/{id}', 'POST /parcels'];

/**
 * `deployApp()` (koa-apigateway/pulumi) is a project's whole program: the descriptor, the stack's settings, the
 * plan, the bundle, the app's own resources and the gateway, under Pulumi's mocks.
 */
describe("deployApp with the app's own resources", () => {
  const bundleDir = tempDir('deploy-app-');
  const saved = process.env.KOA_APIGATEWAY_BUNDLE_DIR;
  let mocks: RecordingMocks;
  let deployed: ReturnType<typeof deployApp<{ eventsTable: pulumi.Output<string> }>>;
  let seen: { name: string; rateLimit: number } | undefined;

  beforeAll(async () => {
    // The bundle goes to a folder of its own: other tests read the parcels project's dist/lambda meanwhile.
    process.env.KOA_APIGATEWAY_BUNDLE_DIR = bundleDir;
    mocks = await installMocks({ config: { 'koa-apigateway:rateLimit': '7' } });
    deployed = deployApp<{ eventsTable: pulumi.Output<string> }>({
      app: PARCELS.descriptor,
      resources: ({ name, settings }) => {
        seen = { name, rateLimit: settings.throttle.rateLimit };
        const table = new aws.dynamodb.Table(`${name}-events`, { attributes: [{ name: 'pk', type: 'S' }], hashKey: 'pk', billingMode: 'PAY_PER_REQUEST' });
        return {
          environment: { EVENTS_TABLE: table.name },
          policies: { events: pulumi.jsonStringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: [table.arn] }] }) },
          outputs: { eventsTable: table.name },
        };
      },
    });
    await resolve(deployed.url);
    await settle();
  }, 120_000);
  afterAll(() => {
    if (saved === undefined) delete process.env.KOA_APIGATEWAY_BUNDLE_DIR;
    else process.env.KOA_APIGATEWAY_BUNDLE_DIR = saved;
    rmSync(bundleDir, { recursive: true, force: true });
  });

  it("calls resources once with the app's name and the stack's settings", () => {
    expect(seen).toEqual({ name: 'parcels', rateLimit: 7 });
  });

  it('gives the function their environment and their policies, and returns their outputs beside its own', async () => {
    const table = (await resolve(deployed.eventsTable!)).value;
    expect(table).toMatch(/^parcels-events-/);
    const fn = mocks.ofType('aws:lambda/function:Function')[0]!;
    expect((fn.inputs.environment as { variables: Record<string, string> }).variables).toMatchObject({ EVENTS_TABLE: table });
    const policy = mocks.resources.find((r) => r.name === 'parcels-fn-events-policy')!;
    expect(JSON.parse(policy.inputs.policy as string).Statement[0].Resource).toEqual([`arn:aws:dynamodb:us-east-1:123456789012:table/${table}`]);
    // The function waits for the policies it needs.
    expect(fn.options.dependsOn).toContain('parcels-fn-events-policy');
  });

  it("deploys the descriptor's app: its routes, title and version, the bundle of its Lambda entry", async () => {
    expect(deployed.routes).toEqual(PARCELS_ROUTES);
    const body = JSON.parse(mocks.ofType('aws:apigateway/restApi:RestApi')[0]!.inputs.body as string) as { info: unknown };
    expect(body.info).toMatchObject({ title: 'parcels-api', version: '1.4.0' });
    expect(readFileSync(path.join(bundleDir, 'index.mjs'), 'utf8')).toMatch(/export\s*\{[^}]*\bhandler\b/);
  });
});

/**
 * Our user errors cross into Pulumi as pulumi.RunError, which `pulumi up` prints as its message alone, any other
 * error with its stack (@pulumi/pulumi cmd/run/run.js; infra/src/pulumi/run-error.ts): the message names the
 * field and the fix, the original error is its `cause`.
 */
describe('deployApp: a bad descriptor or setting is a pulumi.RunError naming the field', () => {
  const thrown = (run: () => unknown): Error => {
    try {
      run();
    } catch (err) {
      return err as Error;
    }
    throw new Error('expected a failure');
  };

  it('a bad config value: a RunError naming the key, the SettingsError as its cause', async () => {
    await installMocks({ config: { 'koa-apigateway:rateLimit': 'fast' } });
    const err = thrown(() => deployApp({ app: PARCELS.descriptor }));
    expect(pulumi.RunError.isInstance(err)).toBe(true);
    expect(err.message).toContain('Config "koa-apigateway:rateLimit" is "fast"');
    expect(err.cause).toBeInstanceOf(SettingsError);
    expect(err.message).toBe((err.cause as Error).message);
  });

  it('a bad descriptor field: a RunError naming the file, the field and the fix, the AppDescriptorError as its cause', async () => {
    const copy = copyFixture(PARCELS, 'bad-descriptor');
    try {
      writeFileSync(
        path.join(copy, 'bad.config.ts'),
        "import { defineApp } from 'koa-apigateway';\nimport { createParcelsApp } from './app';\n" +
          "export default defineApp({ name: 'parcels', title: 'parcels-api', version: '1.0.0', createApp: () => createParcelsApp(), lambda: 'handler.ts', watch: ['.'] });\n",
      );
      await installMocks({ config: {} });
      const err = thrown(() => deployApp({ app: path.join(copy, 'bad.config.ts') }));
      expect(pulumi.RunError.isInstance(err)).toBe(true);
      expect(err.message).toMatch(/^App descriptor bad\.config\.ts: "lambda" names handler\.ts, which does not exist .*Fix: /);
      expect(err.cause).toBeInstanceOf(AppDescriptorError);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

/**
 * Runs the project's index.ts through Pulumi's own entry point (ts-node, CommonJS) in a fresh Node process, under mocks,
 * with PULUMI_NODEJS_TRANSPILE_ONLY=true (Pulumi's own switch, which `pulumi up` honours): ts-node compiles the program
 * and does not type-check it. Type-checking this fixture cost 16 s of CPU a run in a fresh /tmp (Pulumi's and AWS's
 * declarations), and it did not report a type error appended to index.ts (tried 2026-12-07): ts-node's type check of a
 * program is held by the adoption test (a user's project with its own tsconfig.json, the package from its tarball).
 */
async function runLikePulumi(root: string, config: Record<string, string>) {
  const resultFile = path.join(tempDir('pulumi-load-'), 'result.json');
  const child = await runProcess(process.execPath, [path.join(__dirname, '../../support/run-like-pulumi.cjs'), root, resultFile], {
    cwd: root,
    // The bundle goes to a temporary directory: other tests read the project's dist/lambda while this one runs.
    env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config), NODE_OPTIONS: '', KOA_APIGATEWAY_BUNDLE_DIR: path.dirname(resultFile), PULUMI_NODEJS_TRANSPILE_ONLY: 'true' },
    timeoutMs: 240_000,
  });
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as { resources: { type: string; name: string }[]; calls: string[]; outputs: Record<string, unknown>; loadedTsNode: boolean };
  return { result, stderr: `${child.stdout}${child.stderr}`, status: child.status };
}

// Each run is a process of its own with its own result and bundle folder: they run side by side (concurrent).
describe.concurrent("a project's index.ts (deployApp) loads the way Pulumi's Node.js language host loads it", () => {
  it('compiles with ts-node (CommonJS, typebox through require(esm)) and registers the whole graph with its outputs', { timeout: 240_000 }, async ({ expect }) => {
    const { result, stderr, status } = await runLikePulumi(PARCELS.dir, readStackConfig({ root: PARCELS.dir, stack: 'dev', app: {} }).all);
    expect(stderr).not.toMatch(/ERR_REQUIRE_ESM|Cannot use import statement|SyntaxError|TSError/);
    expect(status, stderr).toBe(0);
    expect(result.loadedTsNode).toBe(true);
    expect(result.calls).toEqual([]);
    const types = new Set(result.resources.map((r) => r.type));
    for (const t of ['aws:apigateway/restApi:RestApi', 'aws:apigateway/deployment:Deployment', 'aws:apigateway/stage:Stage', 'aws:apigateway/usagePlan:UsagePlan', 'aws:lambda/function:Function']) {
      expect(types, t).toContain(t);
    }
    expect(result.outputs.url).toBe('https://parcels-api-id.execute-api.us-east-1.amazonaws.com/dev');
    // The key leaves the program only as a secret.
    expect(result.outputs.apiKey).toMatchObject({ [SECRET_SIG]: expect.any(String) });
    for (const name of ['apiKeyId', 'restApiId', 'functionName', 'logGroupName']) expect(typeof result.outputs[name], name).toBe('string');
    expect(result.outputs.routes).toEqual(PARCELS_ROUTES);
  });

  it('refuses a mistyped key before creating anything, naming the key and the fix', { timeout: 240_000 }, async ({ expect }) => {
    const { result, stderr, status } = await runLikePulumi(PARCELS.dir, { 'aws:region': 'us-east-1', 'koa-apigateway:rateLimt': '5' });
    expect(status).not.toBe(0);
    expect(stderr).toContain('Unknown config key "koa-apigateway:rateLimt"');
    expect(stderr).toContain('Fix: pulumi config rm rateLimt');
    // Printed as Pulumi prints a RunError: its message alone, not "failed with an unhandled exception" and a stack.
    expect(stderr).toMatch(/^error: \[runtime\] Unknown config key "koa-apigateway:rateLimt"/m);
    expect(stderr).not.toMatch(/unhandled exception|\n\s+at /);
    expect(result.resources.filter((r) => r.type.startsWith('aws:'))).toEqual([]);
  });
});
