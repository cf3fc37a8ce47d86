import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../infra/src/core/definition/types';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { createMediaApp } from '../../support/apps/media/app';
import { runGateway } from '../../support/pulumi-harness';

const REST_API = 'aws:apigateway/restApi:RestApi';
const FUNCTION = 'aws:lambda/function:Function';

/** The component under Pulumi's mocks with the media app (tests/support/apps/media): its binary media types are deployed (docs/binary.md). */
describe('KoaGateway under mocks: binary media types', async () => {
  const { mocks } = await runGateway({ name: 'media', spec: buildGatewaySpec(createMediaApp()), config: { binaryMediaTypes: 'application/pdf, image/png' } });
  const api = mocks.ofType(REST_API);
  const body = JSON.parse(api[0]!.inputs.body as string) as ApiDefinition;

  it("writes the routes' types and the stack's setting into the body as x-amazon-apigateway-binary-media-types, once each, sorted", () => {
    expect(body['x-amazon-apigateway-binary-media-types']).toEqual(['application/octet-stream', 'application/pdf', 'image/*', 'image/png']);
  });

  it('gives the RestApi no binaryMediaTypes argument, which would override the body’s list', () => {
    expect(api[0]!.inputs.binaryMediaTypes).toBeUndefined();
  });

  it('tells the function the same types (BINARY_MEDIA_TYPES), so it sends those responses base64-encoded', () => {
    const fn = mocks.ofType(FUNCTION);
    expect((fn[0]!.inputs.environment as { variables: Record<string, string> }).variables.BINARY_MEDIA_TYPES).toBe('application/octet-stream,application/pdf,image/*,image/png');
  });

  it('lists the binary response among the operation’s responses, without content (no model applies to bytes)', () => {
    expect(body.paths['/logo']!.get!.responses).toEqual({ '200': { description: 'OK' } });
    expect(body.paths['/blobs']!.post!.requestBody).toBeUndefined();
  });
});

describe('KoaGateway under mocks: an app without binary routes', async () => {
  const { mocks } = await runGateway();
  it('deploys no binary media types: the body has no extension and the function no variable', () => {
    const body = JSON.parse(mocks.ofType(REST_API)[0]!.inputs.body as string) as ApiDefinition;
    expect(body['x-amazon-apigateway-binary-media-types']).toBeUndefined();
    expect((mocks.ofType(FUNCTION)[0]!.inputs.environment as { variables: Record<string, string> }).variables.BINARY_MEDIA_TYPES).toBeUndefined();
  });
});

describe('KoaGateway under mocks: a binary media type covering JSON', () => {
  it('warns at preview, through Pulumi, naming the setting', async () => {
    const warnings: string[] = [];
    const original = pulumi.log.warn;
    pulumi.log.warn = (message: string) => {
      warnings.push(message);
      return Promise.resolve();
    };
    try {
      await runGateway({ name: 'media', spec: buildGatewaySpec(createMediaApp()), config: { binaryMediaTypes: '*/*' } });
    } finally {
      pulumi.log.warn = original;
    }
    expect(warnings).toContainEqual(expect.stringMatching(/binaryMediaTypes" names "\*\/\*"\. API Gateway applies binary media types to the whole API/));
  });
});
