import * as pulumi from '@pulumi/pulumi';
import { KoaGateway } from '../../infra/gateway';
import { installMocks, settle, type RecordingMocks } from '../../infra/gateway/mocks';
import { parseSettings } from '../../infra/settings';
import { buildGatewaySpec } from '../../infra/spec';
import type { GatewaySpec } from '../../infra/spec/types';
import { createApp } from '../../service/app';

export interface GatewayRun {
  mocks: RecordingMocks;
  gateway: KoaGateway;
  spec: GatewaySpec;
}

/**
 * Runs the component under Pulumi's mocks with the todo service's spec (or `spec`) and settings
 * from `config` (raw keys, defaults applied), and waits until every resource is registered.
 * The Lambda code is a tiny in-memory archive: infra tests never bundle.
 */
export async function runGateway(options: { config?: Record<string, string>; spec?: GatewaySpec } = {}): Promise<GatewayRun> {
  const mocks = await installMocks();
  const spec = options.spec ?? buildGatewaySpec(createApp());
  const settings = parseSettings(options.config ?? {});
  const code = new pulumi.asset.AssetArchive({ 'index.mjs': new pulumi.asset.StringAsset('export const handler = async () => ({ statusCode: 200 });') });
  const gateway = new KoaGateway('todo', { spec, settings, code });
  await settle();
  await new Promise<void>((done) => pulumi.all([gateway.url, gateway.apiKeyId, gateway.logGroupName, gateway.urn]).apply(() => done()));
  await settle();
  return { mocks, gateway, spec };
}
