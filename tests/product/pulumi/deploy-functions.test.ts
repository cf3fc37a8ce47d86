import * as pulumi from '@pulumi/pulumi';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployApp } from '../../../infra/src/pulumi';
import { installMocks, settle, type RecordingMocks } from '../../../infra/src/tools/synth/mocks';
import { copyFixture, PARCELS, withFunctionGroups } from '../../support/apps';
import { resolve } from '../../support/outputs';

const policy = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [action], Resource: ['*'] }] });

/**
 * deployApp with function groups (issue 24): the descriptor's groups, one bundle per distinct entry (the app's shared
 * by the groups without their own, or naming it), the app's resources by group, the functions output.
 */
describe('deployApp with function groups', () => {
  const project = copyFixture(PARCELS, 'deploy-functions');
  const bundleDir = mkdtempSync(path.join(tmpdir(), 'deploy-functions-bundle-'));
  const saved = process.env.KOA_APIGATEWAY_BUNDLE_DIR;
  let mocks: RecordingMocks;
  let deployed: ReturnType<typeof deployApp>;
  const warnings: string[] = [];

  beforeAll(async () => {
    const descriptor = withFunctionGroups(
      project,
      `{
    write: { routes: ['POST /parcels', 'PATCH /parcels/:id', 'DELETE /parcels/:id'], lambda: 'lambda-without-error-middleware.ts', memorySize: 1024 },
    health: { routes: ['GET /health'], lambda: 'lambda.ts' },
    courier: { routes: ['GET /courier/parcels', 'GET /courier/parcelz'] },
  }`,
    );
    process.env.KOA_APIGATEWAY_BUNDLE_DIR = bundleDir;
    mocks = await installMocks();
    const warn = pulumi.log.warn;
    pulumi.log.warn = async (message: string) => {
      warnings.push(message);
    };
    try {
      deployed = deployApp({
        app: descriptor,
        resources: () => ({ policies: { shared: policy('xray:PutTraceSegments') }, functions: { write: { policies: { table: policy('dynamodb:PutItem') }, environment: { WRITES: 'on' } } } }),
      });
      await resolve(deployed.url);
      await settle();
    } finally {
      pulumi.log.warn = warn;
    }
  }, 240_000);
  afterAll(() => {
    if (saved === undefined) delete process.env.KOA_APIGATEWAY_BUNDLE_DIR;
    else process.env.KOA_APIGATEWAY_BUNDLE_DIR = saved;
    rmSync(bundleDir, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  it('bundles once per distinct entry: the app\'s (shared by default and health, which names it) and write\'s own', async () => {
    expect(existsSync(path.join(bundleDir, 'index.mjs'))).toBe(true);
    expect(existsSync(path.join(bundleDir, 'write', 'index.mjs'))).toBe(true);
    expect(existsSync(path.join(bundleDir, 'health'))).toBe(false);
    // The archive as the mocks hold it: its assets and each asset's path are promised.
    const bundleOf = async (name: string) => {
      const code = mocks.resources.find((r) => r.name === name)!.inputs.code as { assets: Promise<Record<string, { path: Promise<string> }>> };
      return (await code.assets)['index.mjs']!.path;
    };
    expect(await bundleOf('parcels-write-fn')).toBe(path.join(bundleDir, 'write', 'index.mjs'));
    expect(await bundleOf('parcels-health-fn')).toBe(path.join(bundleDir, 'index.mjs'));
    expect(await bundleOf('parcels-fn')).toBe(path.join(bundleDir, 'index.mjs'));
  });

  it("carries in a group's own bundle the validators of its group's routes only; the shared bundle every route's", () => {
    // A generated validator is keyed by its schema's JSON text (infra/src/bundle/validators.ts), a string literal in
    // the bundle: `"description":"..."` with the key quoted (the schema modules themselves ship as object literals).
    const validatorOf = (description: string) => new RegExp(`\\\\?"description\\\\?":\\\\?"${description.replace(/[.]/g, '\\$&')}`);
    const shared = readFileSync(path.join(bundleDir, 'index.mjs'), 'utf8');
    const write = readFileSync(path.join(bundleDir, 'write', 'index.mjs'), 'utf8');
    const listQuery = validatorOf('Part of the recipient.'); // GET /parcels query: the default group's
    const recipient = validatorOf('Who the parcel goes to.'); // POST /parcels and PATCH /parcels/:id bodies: write's
    expect(shared).toMatch(listQuery);
    expect(shared).toMatch(recipient);
    expect(write).toMatch(recipient);
    expect(write).not.toMatch(listQuery);
  });

  it("gives the app's per-group resources to their group only", () => {
    const policies = mocks.ofType('aws:iam/rolePolicy:RolePolicy').map((p) => p.name).sort();
    expect(policies).toEqual([
      'parcels-fn-logs-policy',
      'parcels-fn-shared-policy',
      'parcels-health-fn-logs-policy',
      'parcels-health-fn-shared-policy',
      'parcels-write-fn-logs-policy',
      'parcels-write-fn-shared-policy',
      'parcels-write-fn-table-policy',
    ]);
    const env = (name: string) => (mocks.resources.find((r) => r.name === name)!.inputs.environment as { variables: Record<string, string> }).variables;
    expect(env('parcels-write-fn')).toMatchObject({ WRITES: 'on' });
    expect(env('parcels-fn')).not.toHaveProperty('WRITES');
  });

  it('returns the functions output, and warns about the pattern that matches no route of any stack (a user pool route is none)', async () => {
    expect(Object.keys(deployed.functions).sort()).toEqual(['default', 'health', 'write']);
    expect(deployed.functions.write).toMatchObject({ routes: ['DELETE /parcels/{id}', 'PATCH /parcels/{id}', 'POST /parcels'], memorySize: 1024, timeoutSeconds: 29 });
    expect((await resolve(deployed.functions.write!.functionName)).value).toBe('parcels-write-fn-1234567');
    expect((await resolve(deployed.functionName)).value).toBe('parcels-fn-1234567');
    // GET /courier/parcels is mounted with a user pool only (not in this stack): no typo, no warning.
    expect(warnings.filter((w) => w.includes('matches no route'))).toEqual(["functions.courier.routes 'GET /courier/parcelz' matches no route the app can serve, with or without a user pool: check it for a typo."]);
  });

  it("refuses resources().functions naming no group of the app (a typo would leave the group without its rights), naming it and the groups", () => {
    const run = () => deployApp({ app: path.join(project, 'app.config.ts'), resources: () => ({ functions: { wirte: { policies: { table: policy('dynamodb:PutItem') } }, courier: {} } }) });
    let message = '';
    try {
      run();
    } catch (err) {
      message = (err instanceof pulumi.RunError && err.cause instanceof Error ? err.cause : (err as Error)).message;
    }
    expect(message).toMatch(/^resources\(\)\.functions names "wirte", which is no function group of the app \(its groups: courier, default, health, write\)\. Fix: /);
  });
});
