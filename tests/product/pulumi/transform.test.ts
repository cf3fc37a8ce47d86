import * as pulumi from '@pulumi/pulumi';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planApi } from '../../../infra/src/core/build-api';
import { deployApp, KoaGateway, type KoaGatewayTransforms } from '../../../infra/src/pulumi';
import { transform } from '../../../infra/src/pulumi/transform';
import { settingsWithDefaults } from '../../../infra/src/settings/parse';
import type { GatewaySettingsInput } from '../../../infra/src/settings/types';
import { installMocks, settle, type RecordingMocks } from '../../../infra/src/tools/synth/mocks';
import { createShopApp } from '../../support/apps/shop/app';
import { SHOP } from '../../support/apps/shop/copy';

/** A gateway with every optional child: a created user pool, a custom domain with its certificate issued, WAF, access logs. */
const EVERYTHING: GatewaySettingsInput = {
  userPool: { mode: 'create' },
  domain: { name: 'api.example.org', basePath: 'v1', certificate: 'issue', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
  waf: { enabled: true },
  accessLogs: true,
};

/** Runs the component under Pulumi's mocks with the shop's routes and returns what it registered. */
async function gatewayWith(options: { settings?: GatewaySettingsInput; transform?: KoaGatewayTransforms } = {}): Promise<RecordingMocks> {
  const mocks = await installMocks({ region: 'us-east-1', config: { 'aws:region': 'us-east-1' } });
  const settings = settingsWithDefaults(options.settings);
  const spec = planApi({ createApp: createShopApp }, settings);
  const code = new pulumi.asset.AssetArchive({ 'index.mjs': new pulumi.asset.StringAsset('export const handler = async () => ({ statusCode: 200 });') });
  const gateway = new KoaGateway('shop', { spec, code, ...(options.settings ? { settings: options.settings } : {}), ...(options.transform ? { transform: options.transform } : {}) });
  await new Promise<void>((done) => pulumi.all([gateway.url, gateway.body, gateway.urn]).apply(() => done()));
  await settle();
  return mocks;
}

const named = (mocks: RecordingMocks, name: string) => {
  const found = mocks.resources.find((r) => r.name === name && !r.read);
  expect(found, name).toBeDefined();
  return found!;
};

/**
 * What a run registered, as comparable data: type, name, parent, inputs and options of each resource, by type and name
 * (the claim is the same resources, not the order in which Pulumi’s runtime settles their registrations).
 */
const registered = (mocks: RecordingMocks) =>
  mocks.resources
    .map((r) => ({ type: r.type, name: r.name, parent: r.parent, inputs: r.inputs, options: r.options, read: r.read }))
    .sort((a, b) => `${a.type} ${a.name} ${a.read ?? false}`.localeCompare(`${b.type} ${b.name} ${b.read ?? false}`));

describe('transform (SST style): args merged over the child’s, or a function changing them in place', () => {
  it('returns the child’s own args, unchanged, without a transform', () => {
    const args = { a: 1 };
    const opts = { protect: false };
    const [name, out, outOpts] = transform<{ a: number }>(undefined, 'x', args, opts);
    expect([name, out, outOpts]).toEqual(['x', { a: 1 }, { protect: false }]);
    expect(out).toBe(args);
  });

  it('merges args given as an object over the child’s (a key given replaces the child’s value)', () => {
    expect(transform<{ a: number; b?: { c: number } }>({ b: { c: 2 } }, 'x', { a: 1, b: { c: 1 } }, {})[1]).toEqual({ a: 1, b: { c: 2 } });
  });

  it('calls a function with the args, the options and the child’s name, keeping what it changed', () => {
    const seen: string[] = [];
    const [, args, opts] = transform<{ a: number }>(
      (a, o, name) => {
        a.a = 2;
        o.retainOnDelete = true;
        seen.push(name);
      },
      'x',
      { a: 1 },
      {},
    );
    expect(args).toEqual({ a: 2 });
    expect(opts).toEqual({ retainOnDelete: true });
    expect(seen).toEqual(['x']);
  });
});

describe('KoaGateway transform, under Pulumi’s mocks: a user adjusts a child without forking the component', () => {
  it('args given for a child reach its inputs, the rest of its inputs kept', async () => {
    const mocks = await gatewayWith({ transform: { function: { memorySize: 2048, tracingConfig: { mode: 'Active' } }, stage: { xrayTracingEnabled: true } } });
    const fn = named(mocks, 'shop-fn').inputs;
    expect(fn.memorySize).toBe(2048);
    expect(fn.tracingConfig).toEqual({ mode: 'Active' });
    expect(fn.handler).toBe('index.handler');
    expect(fn.runtime).toBe('nodejs22.x');
    expect(named(mocks, 'shop-stage').inputs).toMatchObject({ xrayTracingEnabled: true, stageName: 'dev' });
  });

  it('a function transform changes the inputs and the resource options in place', async () => {
    const mocks = await gatewayWith({
      transform: {
        logGroup: (args) => {
          args.retentionInDays = 365;
        },
        api: (args, opts) => {
          args.description = 'orders, adjusted';
          opts.retainOnDelete = true;
        },
      },
    });
    expect(named(mocks, 'shop-fn-logs').inputs.retentionInDays).toBe(365);
    expect(named(mocks, 'shop-api').inputs.description).toBe('orders, adjusted');
    expect(named(mocks, 'shop-api').options.retainOnDelete).toBe(true);
    // The body is still the component's: a transform of other args leaves the definition alone.
    expect(String(named(mocks, 'shop-api').inputs.body)).toContain('"operationId":"listItems"');
  });

  it('every transform key reaches the child it names', async () => {
    const keys: Record<keyof KoaGatewayTransforms, string> = {
      api: 'shop-api',
      deployment: 'shop-deployment',
      stage: 'shop-stage',
      methodSettings: 'shop-method-settings',
      function: 'shop-fn',
      role: 'shop-fn-role',
      logGroup: 'shop-fn-logs',
      permission: 'shop-invoke',
      accessLog: 'shop-access-logs',
      executionLog: 'shop-execution-logs',
      usagePlan: 'shop-usage-plan',
      apiKey: 'shop-key',
      usagePlanKey: 'shop-usage-plan-key',
      userPool: 'shop-user-pool',
      userPoolClient: 'shop-user-pool-client',
      domainName: 'shop-domain',
      webAcl: 'shop-web-acl',
    };
    const called: Record<string, string> = {};
    const marking = Object.fromEntries(
      Object.keys(keys).map((key) => [
        key,
        (_args: unknown, opts: pulumi.CustomResourceOptions, name: string) => {
          called[key] = name;
          // A mark none of these children has of its own (the provider keeps only the args it knows, so the
          // mark is an option): the registered resource shows this very transform reached it.
          opts.retainOnDelete = true;
        },
      ]),
    ) as KoaGatewayTransforms;
    const mocks = await gatewayWith({ settings: EVERYTHING, transform: marking });
    expect(called).toEqual(keys);
    for (const name of Object.values(keys)) expect(named(mocks, name).options.retainOnDelete, name).toBe(true);
    const plain = await gatewayWith({ settings: EVERYTHING });
    for (const name of Object.values(keys)) expect(named(plain, name).options.retainOnDelete, name).toBe(false);
  });

  it('without a transform, or with empty ones, the component registers exactly the same resources', async () => {
    const plain = registered(await gatewayWith({ settings: EVERYTHING }));
    const keys = ['api', 'deployment', 'stage', 'methodSettings', 'function', 'role', 'logGroup', 'permission', 'accessLog', 'executionLog', 'usagePlan', 'apiKey', 'usagePlanKey', 'userPool', 'userPoolClient', 'domainName', 'webAcl'];
    const empty = registered(await gatewayWith({ settings: EVERYTHING, transform: Object.fromEntries(keys.map((k) => [k, {}])) }));
    const noop = registered(await gatewayWith({ settings: EVERYTHING, transform: Object.fromEntries(keys.map((k) => [k, () => undefined])) }));
    expect(plain.length).toBeGreaterThan(25);
    expect(empty).toEqual(plain);
    expect(noop).toEqual(plain);
  });
});

describe('KoaGateway settings are optional, each with its key’s default', () => {
  it('without settings: the key table’s defaults (stage dev, 100 req/s, burst 200, 10000 per DAY, 512 MB arm64)', async () => {
    const mocks = await gatewayWith();
    expect(named(mocks, 'shop-stage').inputs.stageName).toBe('dev');
    expect(named(mocks, 'shop-usage-plan').inputs).toMatchObject({ throttleSettings: { rateLimit: 100, burstLimit: 200 }, quotaSettings: { limit: 10000, period: 'DAY' } });
    expect(named(mocks, 'shop-fn').inputs).toMatchObject({ memorySize: 512, architectures: ['arm64'], timeout: 29 });
  });

  it('a partial group keeps the defaults of the fields it leaves out', async () => {
    const mocks = await gatewayWith({ settings: { stageName: 'prod', throttle: { rateLimit: 5 }, lambda: { memorySize: 1024 } } });
    expect(named(mocks, 'shop-stage').inputs.stageName).toBe('prod');
    expect(named(mocks, 'shop-usage-plan').inputs).toMatchObject({ throttleSettings: { rateLimit: 5, burstLimit: 200 } });
    expect(named(mocks, 'shop-fn').inputs).toMatchObject({ memorySize: 1024, architectures: ['arm64'], runtime: 'nodejs22.x' });
  });
});

describe('deployApp({ transform }) hands the transforms to the component', () => {
  it('a Pulumi program adjusts the function through deployApp', async () => {
    const bundleDir = mkdtempSync(path.join(tmpdir(), 'transform-bundle-'));
    const previous = process.env.KOA_APIGATEWAY_BUNDLE_DIR;
    process.env.KOA_APIGATEWAY_BUNDLE_DIR = bundleDir;
    try {
      const mocks = await installMocks({ region: 'us-east-1', config: { 'aws:region': 'us-east-1' } });
      const deployed = deployApp({ app: path.join(SHOP, 'app.config.ts'), transform: { function: { reservedConcurrentExecutions: 5 } } });
      await new Promise<void>((done) => pulumi.all([deployed.url, deployed.functionName]).apply(() => done()));
      await settle();
      expect(named(mocks, 'shop-fn').inputs.reservedConcurrentExecutions).toBe(5);
      expect(deployed.routes).toEqual(['GET /health', 'GET /items', 'POST /items']);
    } finally {
      if (previous === undefined) delete process.env.KOA_APIGATEWAY_BUNDLE_DIR;
      else process.env.KOA_APIGATEWAY_BUNDLE_DIR = previous;
      rmSync(bundleDir, { recursive: true, force: true });
    }
  }, 120_000);
});
