import { describe, expect, it } from 'vitest';
import type { ApiDefinition, ProxyIntegration } from '../../../infra/src/core/definition/types';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { createStreamsApp } from '../../support/apps/streams/app';
import { runGateway } from '../../support/pulumi-harness';

const REST_API = 'aws:apigateway/restApi:RestApi';
const FUNCTION = 'aws:lambda/function:Function';
const PERMISSION = 'aws:lambda/permission:Permission';

/**
 * The component under Pulumi's mocks with the streams app (tests/support/apps/streams): its `stream: true` routes, in
 * the group `live`, deploy with responseTransferMode STREAM and the response-streaming invocation URI
 * (docs/apigateway-behaviour.md §15.2, §15.3); its other routes stay buffered.
 */
describe('KoaGateway under mocks: streamed routes (docs/streaming.md)', async () => {
  const { mocks, gateway } = await runGateway({ name: 'streams', spec: buildGatewaySpec(createStreamsApp()) });
  const body = JSON.parse(mocks.ofType(REST_API)[0]!.inputs.body as string) as ApiDefinition;
  const integration = (path: string) => body.paths[path]!.get!['x-amazon-apigateway-integration'] as ProxyIntegration;

  it.each(['/live/gated', '/live/broken', '/live/raw'])('%s: STREAM, the live function’s response-streaming invocation URI, 15 minutes (§15.2, §15.3, §15.7)', (path) => {
    const i = integration(path);
    expect(i.responseTransferMode).toBe('STREAM');
    expect(i.uri).toMatch(/^arn:aws:apigateway:[a-z0-9-]+:lambda:path\/2021-11-15\/functions\/arn:aws:lambda:[a-z0-9-]+:\d{12}:function:streams-live-fn[^/]*\/response-streaming-invocations$/);
    expect(i.timeoutInMillis).toBe(900_000);
  });

  it.each(['/csv/raw', '/stream/bytes'])('%s: buffered as before (no responseTransferMode, the 2015-03-31 invocations URI, 29 s)', (path) => {
    const i = integration(path);
    expect(i.responseTransferMode).toBeUndefined();
    expect(i.uri).toMatch(/\/2015-03-31\/functions\/arn:aws:lambda:[^/]+:function:streams-fn[^/]*\/invocations$/);
    expect(i.timeoutInMillis).toBe(29_000);
  });

  it('tells the streamed group’s function RESPONSE_TRANSFER_MODE=STREAM (lambdaHandler streams then), and no other function', () => {
    const variables = (name: string) => (mocks.ofType(FUNCTION).find((f) => f.name === name)!.inputs.environment as { variables: Record<string, string> }).variables;
    expect(variables('streams-live-fn').RESPONSE_TRANSFER_MODE).toBe('STREAM');
    expect(variables('streams-fn').RESPONSE_TRANSFER_MODE).toBeUndefined();
  });

  it('says which group streams in the functions output', () => {
    expect(gateway.functions.live!.stream).toBe(true);
    expect(gateway.functions.default!.stream).toBeUndefined();
  });

  it('lets API Gateway invoke the streamed function with lambda:InvokeFunction, which covers InvokeWithResponseStream (§15.6)', () => {
    const permissions = mocks.ofType(PERMISSION).filter((p) => p.name.startsWith('streams-live-invoke'));
    expect(permissions.length).toBe(3);
    for (const p of permissions) expect(p.inputs.action).toBe('lambda:InvokeFunction');
  });
});
