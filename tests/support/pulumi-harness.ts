import * as pulumi from '@pulumi/pulumi';
import { KoaGateway, type KoaGatewayArgs } from '../../infra/src/pulumi';
import { installMocks, settle, type AccountState, type RecordingMocks } from '../../infra/src/tools/synth/mocks';
import { parseSettings } from '../../infra/src/settings/parse';
import { buildGatewaySpec } from '../../infra/src/core/plan';
import type { GatewaySpec } from '../../infra/src/core/plan/types';
import type { ZoneRecordSet } from '../../infra/src/pulumi/edge';
import { createParcelsApp } from './apps/parcels/app';

export interface GatewayRun {
  mocks: RecordingMocks;
  gateway: KoaGateway;
  spec: GatewaySpec;
}

/**
 * Runs the component under Pulumi's mocks with the parcels app's spec (or `spec`) and settings
 * from `config` (raw keys, defaults applied), and waits until every resource is registered.
 * `account` is what the read of the account's API Gateway settings finds (default `fresh`: no
 * CloudWatch role); `suffix` the mocks' physical-name suffix (another one models a replaced function).
 * `region` is the stack's `aws:region` (unset by default, as the provider would then read AWS_REGION).
 * `dns` is what the custom domain's hosted zone already holds (default: nothing).
 * `name` is the component's (default `parcels`, the app's descriptor name). The Lambda code is a tiny in-memory archive:
 * infra tests never bundle. `args`: more of the component's arguments (policies, environment, functions, code).
 */
export async function runGateway(
  options: {
    name?: string;
    title?: string;
    version?: string;
    config?: Record<string, string>;
    spec?: GatewaySpec;
    account?: AccountState;
    suffix?: string;
    region?: string;
    dns?: readonly ZoneRecordSet[];
    args?: Partial<Omit<KoaGatewayArgs, 'spec' | 'settings'>>;
  } = {},
): Promise<GatewayRun> {
  const mocks = await installMocks({
    ...(options.account ? { account: options.account } : {}),
    ...(options.dns ? { dns: options.dns } : {}),
    ...(options.suffix ? { suffix: options.suffix } : {}),
    ...(options.region ? { region: options.region, config: { 'aws:region': options.region } } : {}),
  });
  // Default: the parcels app without a user pool, as deployApp plans it for a stack without `userPool`.
  const spec = options.spec ?? buildGatewaySpec(createParcelsApp({ userPool: false }));
  const settings = parseSettings(options.config ?? {});
  const code = new pulumi.asset.AssetArchive({ 'index.mjs': new pulumi.asset.StringAsset('export const handler = async () => ({ statusCode: 200 });') });
  const gateway = new KoaGateway(options.name ?? 'parcels', {
    spec,
    settings,
    code,
    ...(options.title ? { title: options.title } : {}),
    ...(options.version ? { version: options.version } : {}),
    ...(options.args ?? {}),
  });
  await settle();
  await new Promise<void>((done) => pulumi.all([gateway.url, gateway.apiKeyId, gateway.logGroupName, gateway.body, gateway.urn]).apply(() => done()));
  await settle();
  return { mocks, gateway, spec };
}
