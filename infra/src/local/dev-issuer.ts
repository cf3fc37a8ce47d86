import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JSONWebKeySet } from 'jose';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { issuerOf, type UserPoolKeys } from './authorizer';

/** The user pool the local definition's authorizer trusts: no such pool exists in AWS ("local" is no region). */
export const LOCAL_USER_POOL_ID = 'local_DevIssuer';
export const LOCAL_USER_POOL_ARN = `arn:aws:cognito-idp:local:000000000000:userpool/${LOCAL_USER_POOL_ID}`;
/** The local app client: the `aud` of ID tokens and `client_id` of access tokens the development issuer signs. */
export const LOCAL_CLIENT_ID = 'localdevclient0000000000000';
/** The development issuer's file under `.local/`: its RSA private key (JWK), mode 0600. */
export const DEV_ISSUER_FILE = 'dev-issuer.json';

export interface DevIssuer {
  /** `https://cognito-idp.local.amazonaws.com/local_DevIssuer`: the `iss` of its tokens, derived from the pool ARN as Cognito's are. */
  issuer: string;
  /** The public key set, as a pool publishes at `/.well-known/jwks.json`. */
  jwks: JSONWebKeySet;
  /** What the local gateway needs to verify its tokens (GatewayOptions.userPools). */
  userPools: Record<string, UserPoolKeys>;
  /** Returns a signed token (see TokenRequest). */
  sign(request?: TokenRequest): Promise<string>;
}

export interface TokenRequest {
  /** Scopes: given, an access token (`token_use: access`, `scope`); none, an ID token (`token_use: id`, `aud`). */
  scopes?: readonly string[];
  /** `sub` (default a fixed development user id). */
  sub?: string;
  username?: string;
  email?: string;
  /** Lifetime in seconds (default 3600, Cognito's default token validity); negative for an expired token (tests). */
  expiresInSeconds?: number;
  /** Issue for another client than the local one (tests of a foreign token). */
  clientId?: string;
  /** The clock (seconds since the epoch). */
  now?: number;
}

/**
 * Returns the development issuer kept in `<dir>/dev-issuer.json`: an RS256 key pair made with `jose`
 * (generated on first use, written 0600), signing tokens shaped as Cognito's (ID token claims `sub`,
 * `aud`, `cognito:username`, `email`, `token_use: id`; access token claims `sub`, `client_id`, `username`,
 * `scope`, `token_use: access`: Cognito developer guide, "Understanding the identity (ID) token" and
 * "Understanding the access token"), issued by the local pool's issuer.
 */
export async function loadDevIssuer(dir: string): Promise<DevIssuer> {
  const file = path.join(dir, DEV_ISSUER_FILE);
  let privateJwk: JWK;
  if (existsSync(file)) {
    privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(privateJwk)}\n`, { mode: 0o600 });
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const jwks: JSONWebKeySet = { keys: [publicJwk] };
  const key = await importJWK(privateJwk, 'RS256');
  const issuer = issuerOf(LOCAL_USER_POOL_ARN);
  return {
    issuer,
    jwks,
    userPools: { [LOCAL_USER_POOL_ARN]: { jwks, clientIds: [LOCAL_CLIENT_ID] } },
    sign: (request = {}) => signToken(key, privateJwk.kid!, issuer, request),
  };
}

/** Returns a signed Cognito-shaped token (see TokenRequest). */
async function signToken(key: Awaited<ReturnType<typeof importJWK>>, kid: string, issuer: string, request: TokenRequest): Promise<string> {
  const now = request.now ?? Math.floor(Date.now() / 1000);
  const sub = request.sub ?? '00000000-0000-4000-8000-000000000001';
  const username = request.username ?? 'dev-user';
  const clientId = request.clientId ?? LOCAL_CLIENT_ID;
  const scopes = request.scopes ?? [];
  const access = scopes.length > 0;
  const claims = access
    ? { sub, client_id: clientId, username, scope: scopes.join(' '), token_use: 'access', auth_time: now, jti: randomUUID() }
    : { sub, aud: clientId, 'cognito:username': username, email: request.email ?? 'dev-user@example.com', email_verified: true, token_use: 'id', auth_time: now, jti: randomUUID() };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.expiresInSeconds ?? 3600))
    .sign(key);
}
