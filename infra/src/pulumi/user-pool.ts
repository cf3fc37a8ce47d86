import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { customScopesOf } from '../core/definition/auth';
import type { UserPoolSetting } from '../settings/types';
import type { GatewaySpec } from '../core/plan/types';
import { transform, type KoaGatewayTransforms } from './transform';

/** The user pool behind user-pool routes, as the component deploys it (docs/auth.md). */
export interface UserPoolResources {
  /** The pool's ARN: the `cognito_user_pools` authorizer's provider ARN. */
  arn: pulumi.Output<string>;
  /** e.g. `us-east-1_AbCdEf123`. */
  poolId: pulumi.Output<string>;
  /** The app client this stack's callers sign in with. */
  clientId: pulumi.Output<string>;
  /** `https://cognito-idp.REGION.amazonaws.com/POOL_ID`: the tokens' `iss` claim. */
  issuerUrl: pulumi.Output<string>;
}

/**
 * Creates what user-pool routes need: with `create`, a user pool (email as the username, verified by
 * code); with an existing pool's ARN, nothing but what follows. Then, in that pool, one resource server per
 * custom scope prefix the routes declare (`orders/read` → server `orders`, scope `read`: Cognito developer
 * guide, "Scopes, M2M, and resource servers"), and an app client without a secret that signs in with
 * USER_PASSWORD_AUTH or SRP (so `aws cognito-idp initiate-auth` returns ID and access tokens) and has no
 * OAuth 2.0 flow: those need a domain on the pool, which this stack does not create (docs/auth.md says how
 * to get custom-scope tokens). Resource names are content-derived: the scope prefix, never a position.
 * `transforms` adjusts the pool and the client (KoaGatewayArgs.transform).
 */
export function createUserPool(
  name: string,
  setting: UserPoolSetting,
  spec: GatewaySpec,
  parent: pulumi.Resource,
  transforms: Pick<KoaGatewayTransforms, 'userPool' | 'userPoolClient'> = {},
): UserPoolResources {
  const opts = { parent };
  let arn: pulumi.Output<string>;
  let poolId: pulumi.Output<string>;
  let issuerUrl: pulumi.Output<string>;
  if (setting.mode === 'create') {
    const pool = new aws.cognito.UserPool(
      ...transform(
        transforms.userPool,
        `${name}-user-pool`,
        {
          name: `${name}-users`,
          usernameAttributes: ['email'],
          autoVerifiedAttributes: ['email'],
          passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: false },
          accountRecoverySetting: { recoveryMechanisms: [{ name: 'verified_email', priority: 1 }] },
        },
        { ...opts },
      ),
    );
    arn = pool.arn;
    poolId = pool.id;
    // `endpoint` is `cognito-idp.REGION.amazonaws.com/POOL_ID`: the issuer without its scheme.
    issuerUrl = pulumi.interpolate`https://${pool.endpoint}`;
  } else {
    arn = pulumi.output(setting.arn);
    poolId = pulumi.output(setting.poolId);
    issuerUrl = pulumi.output(`https://cognito-idp.${setting.region}.amazonaws.com/${setting.poolId}`);
  }

  const custom = customScopesOf(spec);
  const servers = Object.entries(custom).map(
    ([identifier, scopes]) =>
      new aws.cognito.ResourceServer(
        `${name}-scopes-${identifier.replace(/[^A-Za-z0-9-]/g, '-')}`,
        {
          userPoolId: poolId,
          identifier,
          name: identifier,
          scopes: scopes.map((scopeName) => ({ scopeName, scopeDescription: `${identifier}/${scopeName}, required by routes of ${name}` })),
        },
        opts,
      ),
  );
  // No OAuth 2.0 flow on the client: the authorization endpoint needs a domain on the pool, which this stack
  // does not create (its prefix is global across AWS), so a code flow and its callback could never be used.
  // Tokens come from initiate-auth (docs/auth.md); custom-scope tokens from a client you add with a domain.
  const client = new aws.cognito.UserPoolClient(
    ...transform(
      transforms.userPoolClient,
      `${name}-user-pool-client`,
      {
        name: `${name}-client`,
        userPoolId: poolId,
        generateSecret: false,
        explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        preventUserExistenceErrors: 'ENABLED',
      },
      // Created after the resource servers, so a client later allowed their scopes finds them.
      { ...opts, dependsOn: servers },
    ),
  );
  return { arn, poolId, clientId: client.id, issuerUrl };
}
