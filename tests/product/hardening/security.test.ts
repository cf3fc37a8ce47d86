import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { fakeApiKey } from '../../../infra/src/tools/synth/mocks';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { loadFixture, PARCELS } from '../../support/apps';
import { createParcelsApp, type StoredParcel } from '../../support/apps/parcels/app';
import { serve } from '../../support/http';
import { runProcess, CLI } from '../../support/process';
import { API_KEY, bundleDir, settingsOf, startGateway } from '../local/support/gateway';

interface Plan {
  resources: { type: string; name: string; inputs: Record<string, any> }[];
  outputs: Record<string, unknown>;
}

/**
 * Returns `npm run synth -- --json` of the parcels project with the defaults a new stack gets: the dev stack with
 * its one setting (dataTraceEnabled) set back to the default. (An unknown stack is refused: infra/src/cli/commands/synth.ts.)
 */
async function synth(config: string[] = []): Promise<{ plan: Plan }> {
  const bundleTo = mkdtempSync(path.join(tmpdir(), 'sec-bundle-'));
  try {
    const args = [CLI, 'synth', '--json', '--stack', 'dev', '--config', 'dataTraceEnabled=false', ...config.flatMap((c) => ['--config', c])];
    const child = await runProcess(process.execPath, args, { cwd: PARCELS.dir, env: { ...process.env, KOA_APIGATEWAY_BUNDLE_DIR: bundleTo }, timeoutMs: 120_000 });
    expect(child.status, child.stderr).toBe(0);
    return { plan: JSON.parse(child.stdout) as Plan };
  } finally {
    rmSync(bundleTo, { recursive: true, force: true });
  }
}

/** Every IAM statement in the plan: role policies, trust policies. */
function statements(plan: Plan): { resource: string; Action: string | string[]; Resource?: string | string[] }[] {
  const out = [];
  for (const r of plan.resources) {
    for (const key of ['policy', 'assumeRolePolicy']) {
      const doc = r.inputs[key];
      if (typeof doc === 'string') for (const s of JSON.parse(doc).Statement) out.push({ resource: r.name, ...s });
    }
  }
  return out;
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe('the generated stack, least privilege (npm run synth under mocks)', () => {
  let plan: Plan;
  beforeAll(async () => {
    ({ plan } = await synth());
  }, 120_000);

  it('has no IAM statement with a * action or a * resource', () => {
    const all = statements(plan);
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const s of all) {
      for (const a of list(s.Action)) expect(a, s.resource).not.toMatch(/(^\*$|:\*$)/);
      for (const r of list(s.Resource)) expect(r, s.resource).not.toBe('*');
    }
  });

  it("scopes the function's rights to this stack's own log group (an app's own resources are its policies': program.test.ts)", () => {
    const resources = statements(plan).flatMap((s) => list(s.Resource));
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) expect(r).toMatch(/^arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/lambda\/parcels-/);
  });

  it("lets only this API's execution ARN invoke the function", () => {
    const permissions = plan.resources.filter((r) => r.type === 'aws:lambda/permission:Permission');
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.inputs).toMatchObject({ principal: 'apigateway.amazonaws.com', sourceArn: expect.stringMatching(/^arn:aws:execute-api:us-east-1:123456789012:parcels-api-id\//) });
  });

  it('requires the key on every method but the public health check (the RestApi body, the only API definition)', () => {
    const api = plan.resources.find((r) => r.type === 'aws:apigateway/restApi:RestApi')!;
    const body = JSON.parse(api.inputs.body as string) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const operations = Object.entries(body.paths).flatMap(([path, ops]) => Object.entries(ops).map(([verb, op]) => ({ id: `${verb.toUpperCase()} ${path}`, op })));
    expect(operations.length).toBeGreaterThanOrEqual(6);
    expect(operations.filter(({ op }) => !op.security?.length).map((o) => o.id)).toEqual(['GET /health']);
    expect(plan.resources.filter((r) => r.type === 'aws:apigateway/method:Method')).toEqual([]);
  });

  it('keeps data trace (which logs bodies) off for a stack that does not turn it on', () => {
    const settings = plan.resources.find((r) => r.type === 'aws:apigateway/methodSettings:MethodSettings')!;
    expect(settings.inputs.settings.dataTraceEnabled).toBe(false);
  });

  it('never prints the API key: the output is masked and no key value appears', () => {
    expect(plan.outputs.apiKey).toBe('[secret]');
    const key = plan.resources.find((r) => r.type === 'aws:apigateway/apiKey:ApiKey')!;
    expect(key.inputs.value ?? '[secret]').toBe('[secret]');
    expect(JSON.stringify(plan)).not.toContain(fakeApiKey('parcels-key'));
  });

  it('with CORS and the CloudWatch role created (manageCloudWatchRole true): still no * action written by us', async () => {
    const { plan: withAll } = await synth(['corsOrigins=https://app.example.com', 'manageCloudWatchRole=true']);
    for (const s of statements(withAll)) for (const a of list(s.Action)) expect(a, s.resource).not.toMatch(/(^\*$|:\*$)/);
    // The role API Gateway needs for logs is AWS's own managed policy, attached, not written here.
    const attachments = withAll.resources.filter((r) => r.type === 'aws:iam/rolePolicyAttachment:RolePolicyAttachment');
    expect(attachments).toHaveLength(1);
    for (const a of attachments) expect(a.inputs.policyArn).toBe('arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs');
  }, 120_000);
});

describe('logs carry neither the API key nor request bodies', () => {
  const MARKER = 'body-marker-7f3a';
  let dir: string;
  beforeAll(async () => {
    dir = await bundleDir('security');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("the local gateway's access log and error log", async () => {
    const { file } = await bundleLambda({ app: loadFixture(PARCELS), outDir: dir });
    const logs: string[] = [];
    const gw = await startGateway({ spec: buildGatewaySpec(createParcelsApp()), bundleFile: file, settings: settingsOf(), log: (l) => logs.push(l), logError: (l) => logs.push(l) });
    try {
      const headers = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
      await fetch(`${gw.url}/parcels`, { method: 'POST', headers, body: JSON.stringify({ recipient: MARKER }) });
      await fetch(`${gw.url}/parcels`, { method: 'POST', headers, body: JSON.stringify({ recipient: '', note: MARKER }) });
      await fetch(`${gw.url}/parcels?q=${MARKER}`, { headers });
      await fetch(`${gw.url}/parcels`, { headers: { 'x-api-key': `${API_KEY}x` } });
    } finally {
      await gw.close();
    }
    expect(logs.length).toBeGreaterThanOrEqual(4);
    const all = logs.join('\n');
    expect(all).not.toContain(API_KEY);
    expect(all).not.toContain(MARKER);
  });

  it("the service's error log on an unexpected failure", async () => {
    const logged: string[] = [];
    // A store that fails on write, as an unreachable database would.
    const store = new (class extends Map<string, StoredParcel> {
      override set(): this {
        throw new Error('storage down');
      }
    })();
    const server = await serve(createParcelsApp({ store, logger: { error: (m, d) => logged.push(JSON.stringify({ m, d })) } }));
    try {
      const res = await fetch(`${server.url}/parcels`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify({ recipient: MARKER }) });
      expect(res.status).toBe(500);
    } finally {
      await server.close();
    }
    expect(logged.join('\n')).toContain('storage down');
    expect(logged.join('\n')).not.toContain(MARKER);
    expect(logged.join('\n')).not.toContain(API_KEY);
  });
});
