import Router from '@koa/router';
import * as pulumi from '@pulumi/pulumi';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../infra/src/core/definition/types';
import type { RecordingMocks } from '../../../infra/src/tools/synth/mocks';
import { resolve } from '../../support/outputs';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { addRoute } from '../../../infra/src/route/route';
import { RouteError } from '../../../infra/src/errors';
import { createParcelsApp } from '../../support/apps/parcels/app';
import { runGateway } from '../../support/pulumi-harness';

const T = {
  pool: 'aws:cognito/userPool:UserPool',
  client: 'aws:cognito/userPoolClient:UserPoolClient',
  server: 'aws:cognito/resourceServer:ResourceServer',
  restApi: 'aws:apigateway/restApi:RestApi',
  fn: 'aws:lambda/function:Function',
};
const EXISTING = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123';

/** The parcels app's routes with its token routes, plus one that needs two custom scopes. */
function scopedSpec() {
  const app = createParcelsApp({ userPool: true });
  const router = new Router();
  addRoute(router, { method: 'GET', path: '/reports', operationId: 'reports', auth: { userPool: { scopes: ['parcels/read', 'parcels/admin'] } } }, () => undefined);
  const extra = new Koa();
  extra.middleware.push(...app.middleware, router.routes() as Koa.Middleware);
  return buildGatewaySpec(extra);
}

const bodyOf = (mocks: RecordingMocks): ApiDefinition => JSON.parse(mocks.ofType(T.restApi)[0]!.inputs.body as string) as ApiDefinition;

describe('KoaGateway with userPool create, under mocks', async () => {
  const { mocks, gateway } = await runGateway({ config: { userPool: 'create' }, spec: scopedSpec() });

  it('creates a user pool, one app client in it, and a resource server per scope prefix', () => {
    expect(mocks.ofType(T.pool)).toHaveLength(1);
    const [client] = mocks.ofType(T.client);
    expect(client!.inputs).toMatchObject({
      userPoolId: 'parcels-user-pool-id',
      generateSecret: false,
      explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    // No OAuth flow: without a domain on the pool nothing could use it, and its callback would lead nowhere.
    for (const key of ['allowedOauthFlows', 'allowedOauthFlowsUserPoolClient', 'allowedOauthScopes', 'callbackUrls']) expect(client!.inputs[key], key).toBeUndefined();
    const servers = mocks.ofType(T.server);
    expect(servers.map((s) => s.inputs)).toEqual([
      expect.objectContaining({ userPoolId: 'parcels-user-pool-id', identifier: 'parcels', scopes: [expect.objectContaining({ scopeName: 'admin' }), expect.objectContaining({ scopeName: 'read' })] }),
    ]);
    expect(client!.options.dependsOn).toContain(servers[0]!.name);
    for (const r of [...mocks.ofType(T.pool), client!, ...servers]) expect(r.parent, r.name).toBe('parcels');
  });

  it('deploys the authorizer on the routes that need it: the pool’s ARN as provider, the scopes per operation', () => {
    const body = bodyOf(mocks);
    const pool = mocks.ofType(T.pool)[0]!;
    expect(body.components.securitySchemes.cognito_user_pool).toMatchObject({ 'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [pool.outputs.arn] } });
    expect(body.paths['/me']!.get!.security).toEqual([{ api_key: [], cognito_user_pool: [] }]);
    expect(body.paths['/reports']!.get!.security).toEqual([{ cognito_user_pool: ['parcels/admin', 'parcels/read'] }]);
    expect(body.paths['/parcels']!.get!.security).toEqual([{ api_key: [] }]);
  });

  it('outputs the pool id, the client id and the issuer URL; the function knows the pool', async () => {
    expect((await resolve(gateway.userPool!.poolId)).value).toBe('parcels-user-pool-id');
    expect((await resolve(gateway.userPool!.clientId)).value).toBe('parcels-user-pool-client-id');
    expect((await resolve(gateway.userPool!.issuerUrl)).value).toMatch(/^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_\w+$/);
    expect((mocks.ofType(T.fn)[0]!.inputs.environment as { variables: Record<string, string> }).variables.USER_POOL_ID).toBe('parcels-user-pool-id');
  });
});

describe('KoaGateway with an existing pool ARN, under mocks', async () => {
  const { mocks, gateway } = await runGateway({ config: { userPool: EXISTING }, region: 'eu-west-1', spec: buildGatewaySpec(createParcelsApp({ userPool: true })) });

  it('creates no pool: the client goes into the given one, the authorizer trusts its ARN, the issuer comes from the ARN', async () => {
    expect(mocks.ofType(T.pool)).toHaveLength(0);
    expect(mocks.ofType(T.client)[0]!.inputs).toMatchObject({ userPoolId: 'eu-west-1_AbCdEf123' });
    expect(mocks.ofType(T.client)[0]!.inputs.allowedOauthFlows).toBeUndefined();
    // GET /courier/parcels needs parcels/read: its resource server goes into the given pool too.
    expect(mocks.ofType(T.server).map((r) => r.inputs)).toEqual([expect.objectContaining({ userPoolId: 'eu-west-1_AbCdEf123', identifier: 'parcels', scopes: [expect.objectContaining({ scopeName: 'read' })] })]);
    expect(bodyOf(mocks).components.securitySchemes.cognito_user_pool).toMatchObject({ 'x-amazon-apigateway-authorizer': { providerARNs: [EXISTING] } });
    expect((await resolve(gateway.userPool!.issuerUrl)).value).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123');
  });
});

describe('KoaGateway with an existing pool ARN in another region than the stack', () => {
  it('fails at preview, naming the setting, both regions and the fix, before any Cognito resource is registered', async () => {
    await expect(runGateway({ config: { userPool: EXISTING }, region: 'us-east-1', spec: buildGatewaySpec(createParcelsApp({ userPool: true })) })).rejects.toThrow(
      /userPool.*eu-west-1.*the stack deploys to us-east-1.*Fix/,
    );
  });
});

describe('KoaGateway without userPool', () => {
  it('creates no Cognito resource for an app without token routes mounted', async () => {
    const { mocks, gateway } = await runGateway();
    expect(mocks.created().filter((r) => r.type.startsWith('aws:cognito/'))).toEqual([]);
    expect(gateway.userPool).toBeUndefined();
  });

  it('fails at preview when a route needs a token, naming the route and the fix', async () => {
    await expect(runGateway({ spec: buildGatewaySpec(createParcelsApp({ userPool: true })) })).rejects.toThrow(/GET \/courier\/parcels, GET \/me require a user pool token.*Fix: pulumi config set userPool create/);
  });

  it('throws it to Pulumi as a RunError (printed without a stack by `pulumi up`), the RouteError as its cause', async () => {
    const err = (await runGateway({ spec: buildGatewaySpec(createParcelsApp({ userPool: true })) }).catch((e: unknown) => e)) as Error;
    expect(pulumi.RunError.isInstance(err)).toBe(true);
    expect(err.cause).toBeInstanceOf(RouteError);
    expect(err.message).toBe((err.cause as Error).message);
  });
});

describe('turning userPool on redeploys the stage with the authorizer; turning it off leaves no authorizer behind', () => {
  it('A (no pool) → B (create): a new definition hash, B’s body has the authorizer and GET /me; A’s has neither', async () => {
    const a = await runGateway();
    const hashA = (await resolve(a.gateway.deploymentHash)).value;
    const bodyA = bodyOf(a.mocks);
    const b = await runGateway({ config: { userPool: 'create' }, spec: buildGatewaySpec(createParcelsApp({ userPool: true })) });
    const hashB = (await resolve(b.gateway.deploymentHash)).value;
    expect(hashB).not.toBe(hashA);
    expect(Object.keys(bodyA.components.securitySchemes)).toEqual(['api_key']);
    expect(bodyA.paths['/me']).toBeUndefined();
    expect(Object.keys(bodyOf(b.mocks).components.securitySchemes).sort()).toEqual(['api_key', 'cognito_user_pool']);
    expect(b.gateway.routes).toContain('GET /me');
  });
});
