import { RouteError } from '../../errors';
import type { GatewaySpec, MethodSpec } from '../plan/types';
import type { SecurityScheme, UserPoolSecurityScheme } from './types';

/** The security scheme (and so the API Gateway authorizer) name of the user pool: what `security` requirements refer to. */
export const USER_POOL_SCHEME = 'cognito_user_pool';

/** The request header API Gateway reads the token from (the scheme's `name`; developer guide, "x-amazon-apigateway-authorizer object"). */
export const TOKEN_HEADER = 'Authorization';

/**
 * Returns the `cognito_user_pools` authorizer as an OpenAPI 3.0 security scheme: `type: apiKey` in the
 * `Authorization` header, `x-amazon-apigateway-authtype: cognito_user_pools`, and
 * `x-amazon-apigateway-authorizer` `{type: cognito_user_pools, providerARNs}` (API Gateway developer guide,
 * "x-amazon-apigateway-authorizer object": REST APIs take `token`, `request` and `cognito_user_pools`;
 * "x-amazon-apigateway-authtype property": it applies to the apiKey type security scheme).
 */
export function userPoolScheme(providerArns: readonly string[]): UserPoolSecurityScheme {
  return {
    type: 'apiKey',
    name: TOKEN_HEADER,
    in: 'header',
    'x-amazon-apigateway-authtype': 'cognito_user_pools',
    'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [...providerArns] },
  };
}

/**
 * Returns the operation's security requirement: ONE requirement object, so every scheme in it is
 * required together (OpenAPI 3.0.1 "Security Requirement Object"): `{api_key: []}`, `{cognito_user_pool:
 * [scopes]}` or both. The scopes of a `cognito_user_pools` requirement become the method's
 * authorizationScopes on import (developer guide, "x-amazon-apigateway-authorizer object", user pool example
 * with per-operation scopes). Undefined for a public method.
 */
export function securityOf(method: Pick<MethodSpec, 'apiKeyRequired' | 'userPool'>, apiKeyScheme: string): Array<Record<string, string[]>> | undefined {
  const requirement: Record<string, string[]> = {};
  if (method.apiKeyRequired) requirement[apiKeyScheme] = [];
  if (method.userPool) requirement[USER_POOL_SCHEME] = [...method.userPool.scopes];
  return Object.keys(requirement).length > 0 ? [requirement] : undefined;
}

/**
 * Returns the security schemes of the definition: the key's always, the user pool's when a method
 * needs it. Throws, naming the routes and the fix, when methods need a user pool and none is configured.
 */
export function securitySchemesOf(spec: GatewaySpec, apiKeyScheme: string, apiKey: SecurityScheme, userPoolArn: string | undefined): Record<string, SecurityScheme> {
  const schemes: Record<string, SecurityScheme> = { [apiKeyScheme]: apiKey };
  if (!checkUserPool(spec, userPoolArn !== undefined && userPoolArn !== '')) return schemes;
  schemes[USER_POOL_SCHEME] = userPoolScheme([userPoolArn!]);
  return schemes;
}

/**
 * Returns true when some route requires a user pool token. Throws, naming the routes and the fix, when
 * one does and no user pool is configured (the component calls it first, so the preview fails).
 */
export function checkUserPool(spec: GatewaySpec, configured: boolean): boolean {
  const needing = spec.methods.filter((m) => m.userPool).map((m) => `${m.method} ${m.koaPath}`);
  if (needing.length === 0) return false;
  if (!configured) {
    throw new RouteError(
      `Route${needing.length > 1 ? 's' : ''} ${needing.join(', ')} require${needing.length > 1 ? '' : 's'} a user pool token, but no user pool is configured. ` +
        'Fix: pulumi config set userPool create (or an existing pool ARN), or give the route another auth.',
    );
  }
  return true;
}

/** Returns the custom scopes (`resource-server/name`) the spec's routes require, by resource server identifier, sorted. */
export function customScopesOf(spec: GatewaySpec): Record<string, string[]> {
  const byServer: Record<string, Set<string>> = {};
  for (const m of spec.methods) {
    for (const scope of m.userPool?.scopes ?? []) {
      const slash = scope.lastIndexOf('/');
      // Standard scopes (openid, email, aws.cognito.signin.user.admin, ...) need no resource server.
      if (slash <= 0) continue;
      (byServer[scope.slice(0, slash)] ??= new Set()).add(scope.slice(slash + 1));
    }
  }
  return Object.fromEntries(Object.keys(byServer).sort().map((id) => [id, [...byServer[id]!].sort()]));
}

/**
 * Returns how each route is authorized, `METHOD /path` → `api key` | `public` | `user pool token[ (scope or scope)][ + api key]`,
 * sorted by route: the `authorization` stack output, so `pulumi preview` and `npm run synth` show which routes need a token.
 */
export function authorizationOf(spec: GatewaySpec): Record<string, string> {
  const entries = spec.methods.map((m): [string, string] => {
    const token = m.userPool ? `user pool token${m.userPool.scopes.length ? ` (${m.userPool.scopes.join(' or ')})` : ''}` : undefined;
    const kind = token ? `${token}${m.apiKeyRequired ? ' + api key' : ''}` : m.apiKeyRequired ? 'api key' : 'public';
    return [`${m.method} ${m.resourcePath}`, kind];
  });
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
