import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../infra/src/core/definition/types';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { parseSettings } from '../../../infra/src/settings/parse';
import { formatPlan } from '../../../infra/src/tools/synth/synth';
import { createMediaApp } from '../../support/apps/media/app';
import { runGateway } from '../../support/pulumi-harness';

const REST_API = 'aws:apigateway/restApi:RestApi';

/** The component under Pulumi's mocks: the stack's minimumCompressionSize is deployed in the definition (docs/compression.md). */
describe('KoaGateway under mocks: minimumCompressionSize', async () => {
  const { mocks } = await runGateway({ name: 'media', spec: buildGatewaySpec(createMediaApp()), config: { minimumCompressionSize: '1024' } });
  const api = mocks.ofType(REST_API)[0]!;
  const body = JSON.parse(api.inputs.body as string) as ApiDefinition;

  it('writes it into the body as x-amazon-apigateway-minimum-compression-size, a number of bytes', () => {
    expect(body['x-amazon-apigateway-minimum-compression-size']).toBe(1024);
  });

  it('gives the RestApi no minimumCompressionSize argument, which would override the body’s value', () => {
    expect(api.inputs.minimumCompressionSize).toBeUndefined();
  });

  it('synth prints it under the RestApi', () => {
    const text = formatPlan({ project: 'media', resources: [{ type: api.type, name: api.name, parent: null, inputs: api.inputs }], outputs: {} }, 'dev');
    expect(text).toContain('    minimumCompressionSize (from the body): 1024 bytes\n');
  });
});

describe('KoaGateway under mocks: compression off (the default)', async () => {
  const { mocks } = await runGateway();
  it('writes no extension: API Gateway compresses nothing', () => {
    const body = JSON.parse(mocks.ofType(REST_API)[0]!.inputs.body as string) as ApiDefinition;
    expect(body['x-amazon-apigateway-minimum-compression-size']).toBeUndefined();
  });
});

describe('the minimumCompressionSize setting', () => {
  it('takes 0 to 10485760 bytes; empty is off', () => {
    expect(parseSettings({ minimumCompressionSize: '0' }).minimumCompressionSize).toBe(0);
    expect(parseSettings({ minimumCompressionSize: '10485760' }).minimumCompressionSize).toBe(10485760);
    expect(parseSettings({}).minimumCompressionSize).toBeUndefined();
    expect(parseSettings({ minimumCompressionSize: '' }).minimumCompressionSize).toBeUndefined();
  });

  it('refuses anything else at preview, naming the setting and the fix', () => {
    for (const bad of ['-1', '10485761', '1.5', '1k', 'on']) {
      expect(() => parseSettings({ minimumCompressionSize: bad }), bad).toThrow(/Config "minimumCompressionSize" is ".*": expected a whole number of bytes from 0 to 10485760.*Fix: pulumi config set minimumCompressionSize 1024/);
    }
  });
});
