import Router from '@koa/router';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { authorizationOf, buildApiDefinition, customScopesOf, LOCAL_INVOKE_ARN, USER_POOL_SCHEME } from '../../../../infra/src/core/definition';
import { generateCases } from '../../../../infra/src/tools/conformance/cases';
import type { OpenApiDocument } from '../../../../infra/src/tools/conformance/document';
import { schemaChecker } from '../../../../infra/src/tools/conformance/schemas';
import { buildOpenApi } from '../../../../infra/src/core/openapi/build';
import { validateOpenApi } from '../../../../infra/src/core/openapi/validate';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { addRoute, type RouteSchemas } from '../../../../infra/src/route/route';
import { createParcelsApp as createApp } from '../../../support/apps/parcels/app';

const POOL = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123';

/** An app whose routes are declared with the given auth fields. */
function appWith(routes: Array<Partial<RouteSchemas<undefined, undefined, undefined, undefined>> & { path: string }>): Koa {
  const router = new Router();
  for (const r of routes) addRoute(router, { method: 'GET', ...r } as RouteSchemas<undefined, undefined, undefined, undefined>, () => undefined);
  const app = new Koa();
  app.use(router.routes());
  return app;
}

const app = appWith([
  { path: '/key', operationId: 'key' },
  { path: '/open', operationId: 'open', auth: 'public' },
  { path: '/legacy-open', operationId: 'legacyOpen', public: true },
  { path: '/me', operationId: 'me', auth: { userPool: {} } },
  { path: '/reports', operationId: 'reports', auth: { userPool: { scopes: ['todos/read', 'todos/admin', 'todos/read'] }, apiKey: true } },
  { path: '/profile', operationId: 'profile', auth: { userPool: { scopes: ['openid'] } } },
]);
const spec = buildGatewaySpec(app);
const byPath = (p: string) => spec.methods.find((m) => m.resourcePath === p)!;

describe('routes declare how they are authorized, as data the plan reads', () => {
  it('the key by default, nothing for public routes, a user pool token with sorted distinct scopes, optionally with the key', () => {
    expect(byPath('/key')).toMatchObject({ apiKeyRequired: true });
    expect(byPath('/key').userPool).toBeUndefined();
    expect(byPath('/open')).toMatchObject({ apiKeyRequired: false });
    expect(byPath('/legacy-open')).toMatchObject({ apiKeyRequired: false });
    expect(byPath('/me')).toMatchObject({ apiKeyRequired: false, userPool: { scopes: [] } });
    expect(byPath('/reports')).toMatchObject({ apiKeyRequired: true, userPool: { scopes: ['todos/admin', 'todos/read'] } });
  });

  it('changing a route’s scopes changes the spec’s hash (so the stage redeploys)', () => {
    const other = buildGatewaySpec(appWith([{ path: '/reports', operationId: 'reports', auth: { userPool: { scopes: ['todos/write'] } } }]));
    const same = buildGatewaySpec(appWith([{ path: '/reports', operationId: 'reports', auth: { userPool: { scopes: ['todos/read'] } } }]));
    expect(other.hash).not.toBe(same.hash);
  });

  it.each([
    ['public: true with a user pool auth', { path: '/x', public: true, auth: { userPool: {} } }, /GET \/x is marked public: true.*Fix/],
    ['a scope with a space', { path: '/x', auth: { userPool: { scopes: ['todos read'] } } }, /GET \/x requires the scope "todos read".*Fix/],
    ['a scope with an empty resource server', { path: '/x', auth: { userPool: { scopes: ['/read'] } } }, /GET \/x requires the scope "\/read", which is a custom scope with an empty resource server.*Fix/],
    ['a scope with an empty name', { path: '/x', auth: { userPool: { scopes: ['todos/'] } } }, /GET \/x requires the scope "todos\/", which is a custom scope with an empty scope name.*Fix/],
    ['an unknown auth', { path: '/x', auth: 'iam' as never }, /GET \/x declares auth "iam".*Fix: use 'apiKey', 'public'/],
  ])('refuses %s, naming the route and the fix', (_label, route, message) => {
    expect(() => buildGatewaySpec(appWith([route]))).toThrow(message);
  });
});

describe('the API definition carries a cognito_user_pools authorizer', () => {
  const doc = buildApiDefinition(spec, { corsOrigins: [], userPoolArn: POOL }, LOCAL_INVOKE_ARN);

  it('as a security scheme with x-amazon-apigateway-authtype and x-amazon-apigateway-authorizer {type, providerARNs}', () => {
    expect(doc.components.securitySchemes[USER_POOL_SCHEME]).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [POOL] },
    });
  });

  it('per operation: one security requirement holding the scopes, the key in the same requirement when both are needed', () => {
    expect(doc.paths['/key']!.get!.security).toEqual([{ api_key: [] }]);
    expect(doc.paths['/open']!.get!.security).toBeUndefined();
    expect(doc.paths['/me']!.get!.security).toEqual([{ [USER_POOL_SCHEME]: [] }]);
    expect(doc.paths['/reports']!.get!.security).toEqual([{ api_key: [], [USER_POOL_SCHEME]: ['todos/admin', 'todos/read'] }]);
    expect(doc.paths['/profile']!.get!.security).toEqual([{ [USER_POOL_SCHEME]: ['openid'] }]);
  });

  it('is valid OpenAPI 3.0, and its public OpenAPI 3.1 offers the token under Authorize', async () => {
    expect((await validateOpenApi(doc)).errors).toBeUndefined();
    const open = buildOpenApi(doc, { stageName: 'dev' }) as any;
    expect((await validateOpenApi(open)).errors).toBeUndefined();
    expect(open.components.securitySchemes.userPoolToken).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(open.paths['/reports'].get.security).toEqual([{ apiKey: [], userPoolToken: ['todos/admin', 'todos/read'] }]);
    expect(open.paths['/me'].get.security).toEqual([{ userPoolToken: [] }]);
    expect(open.paths['/me'].get.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect(open.paths['/key'].get.security).toEqual([{ apiKey: [] }]);
    expect(JSON.stringify(open)).not.toContain('x-amazon-apigateway');
  });

  it('no user pool scheme when no route needs a token', () => {
    const plain = buildApiDefinition(buildGatewaySpec(createApp()), { corsOrigins: [], userPoolArn: POOL }, LOCAL_INVOKE_ARN);
    expect(Object.keys(plain.components.securitySchemes)).toEqual(['api_key']);
  });

  it('refuses routes that need a token when no user pool is configured, naming them and the fix', () => {
    expect(() => buildApiDefinition(spec, { corsOrigins: [] }, LOCAL_INVOKE_ARN)).toThrow(/Routes GET \/me, GET \/profile, GET \/reports require a user pool token.*Fix: pulumi config set userPool create/);
  });

  it('lists the custom scopes by resource server; standard scopes (openid) need none', () => {
    expect(customScopesOf(spec)).toEqual({ todos: ['admin', 'read'] });
  });
});

describe('an app whose token routes are mounted when createApp gets userPool (the parcels app)', () => {
  it('plans GET /me (token + key) only when a user pool is configured', () => {
    expect(buildGatewaySpec(createApp()).methods.map((m) => m.resourcePath)).not.toContain('/me');
    const me = buildGatewaySpec(createApp({ userPool: true })).methods.find((m) => m.resourcePath === '/me');
    expect(me).toMatchObject({ method: 'GET', apiKeyRequired: true, userPool: { scopes: [] } });
  });

  it('plans GET /courier/parcels (an access token with parcels/read, no key) only when a user pool is configured', () => {
    expect(buildGatewaySpec(createApp()).methods.map((m) => m.resourcePath)).not.toContain('/courier/parcels');
    const courier = buildGatewaySpec(createApp({ userPool: true })).methods.find((m) => m.resourcePath === '/courier/parcels');
    expect(courier).toMatchObject({ method: 'GET', apiKeyRequired: false, userPool: { scopes: ['parcels/read'] } });
  });
});

describe('authorizationOf (the authorization stack output)', () => {
  it('says for each route whether it needs the key, nothing, or a token with its scopes (and the key)', () => {
    expect(authorizationOf(spec)).toEqual({
      'GET /key': 'api key',
      'GET /legacy-open': 'public',
      'GET /me': 'user pool token',
      'GET /open': 'public',
      'GET /profile': 'user pool token (openid)',
      'GET /reports': 'user pool token (todos/admin or todos/read) + api key',
    });
  });
});

describe('the public document of an API with token routes, read by the conformance suite', () => {
  const open = buildOpenApi(buildApiDefinition(buildGatewaySpec(createApp({ userPool: true })), { corsOrigins: [], userPoolArn: POOL }, LOCAL_INVOKE_ARN), { stageName: 'dev' }) as unknown as OpenApiDocument;

  it('conformance skips GET /me (it needs a token, the suite sends only the key) and still tests the key routes', () => {
    const cases = generateCases(open, schemaChecker(open), { corsOrigins: [] });
    const me = cases.filter((c) => c.operationId === 'getCaller');
    expect(me).toHaveLength(1);
    expect(me[0]!.skip).toMatch(/bearer token/);
    expect(cases.some((c) => c.operationId === 'listParcels' && c.id.endsWith('no-key'))).toBe(true);
  });

});
