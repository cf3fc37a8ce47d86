import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { GatewayError } from './errors';
import { gatewayErrors } from './errors';

/** A method's `cognito_user_pools` authorizer, as read from the API definition. */
export interface UserPoolAuthorizer {
  /** The security scheme's name (the authorizer's name on the API). */
  name: string;
  /** The request header holding the token (`Authorization`). */
  header: string;
  /** `arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID`, one or more. */
  providerArns: string[];
  /** The method's authorization scopes; empty: an ID token is expected. */
  scopes: string[];
}

/** What the local gateway knows of a user pool: its public keys (the pool's JWKS) and its app clients. */
export interface UserPoolKeys {
  jwks: JSONWebKeySet;
  /** The pool's app client ids: a token for any other client is not the pool's. */
  clientIds: string[];
}

export type AuthorizerOutcome = { ok: true; claims: Record<string, string> } | { ok: false; error: GatewayError };

/** Returns the issuer of a pool's tokens from its ARN: `https://cognito-idp.REGION.amazonaws.com/POOL_ID` (Cognito developer guide, "Verifying a JSON Web Token"). */
export function issuerOf(providerArn: string): string {
  const match = /^arn:aws[a-z-]*:cognito-idp:([^:]+):\d+:userpool\/(.+)$/.exec(providerArn);
  if (!match) throw new Error(`"${providerArn}" is not a Cognito user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID).`);
  return `https://cognito-idp.${match[1]}.amazonaws.com/${match[2]}`;
}

/**
 * Returns the local verifier of `cognito_user_pools` authorizers: for a request's token, the claims
 * API Gateway passes to the integration, or the gateway error it answers (docs/apigateway-behaviour.md
 * §12.1–§12.7). It checks what API Gateway and the Cognito developer guide ("Verifying a JSON Web Token") check:
 * - the token is present (else 401 `{"message":"Unauthorized"}`, gateway response UNAUTHORIZED, default 401:
 *   developer guide "Gateway response types for API Gateway");
 * - the token as sent or after exactly `Bearer ` (§12.1), its header naming a key of the pool's JWKS (`kid`),
 * - its signature against that key (RS256), its `iss` is the pool's issuer, `sub` is present (every Cognito token has it),
 *   `exp` has not passed (an expired token: 401 `{"message":"The incoming token has expired"}`, the body
 *   recorded in aws-amplify/amplify-js#6060), `token_use` is `id` or `access`, and the token was issued to a
 *   client of the pool (`aud` for ID tokens, `client_id` for access tokens);
 * - no scopes on the method: an ID token is required; scopes: an access token carrying at least one of them
 *   (developer guide "Integrate a REST API with an Amazon Cognito user pool"; an ID token or a token without
 *   the scope answers 401 Unauthorized: AWS Knowledge Center "api-gateway-cognito-401-unauthorized". The REST
 *   JWT authorizer answers 403 for missing scopes; for Cognito authorizers the 401 is UNCONFIRMED by a recording).
 * The token and its claims are never logged.
 */
export function createUserPoolVerifier(pools: Record<string, UserPoolKeys>, now: () => number = Date.now) {
  const keySets = new Map(Object.entries(pools).map(([arn, pool]) => [arn, { keys: createLocalJWKSet(pool.jwks), kids: new Set(pool.jwks.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string')), issuer: issuerOf(arn), clientIds: pool.clientIds }]));

  /** Throws, naming the ARN, when the definition names a pool the local gateway has no keys for. */
  function check(authorizer: UserPoolAuthorizer): void {
    for (const arn of authorizer.providerArns) {
      if (!keySets.has(arn)) throw new Error(`The API definition's authorizer "${authorizer.name}" trusts the user pool ${arn}, whose keys the local gateway does not have. Fix: build the local definition with the development issuer's pool ARN (LOCAL_USER_POOL_ARN, as koa-apigateway start does).`);
    }
  }

  async function verify(authorizer: UserPoolAuthorizer, headerValue: string | undefined): Promise<AuthorizerOutcome> {
    const unauthorized = { ok: false as const, error: gatewayErrors.unauthorized() };
    if (headerValue === undefined || headerValue.trim() === '') return unauthorized;
    // The token as sent, or after exactly "Bearer ": the one prefix the sources show API Gateway reading
    // (docs/apigateway-behaviour.md §12.1: the Cognito developer guide "Accessing resources with API Gateway after
    // sign-in", and a recorded deployment, NX828). Other spellings ("bearer ", "Bearer  ") are not read as a token:
    // what AWS does with them is UNCONFIRMED, and refusing is the side that never lets in what AWS might refuse.
    const trimmed = headerValue.trim();
    const token = trimmed.startsWith('Bearer ') ? trimmed.slice('Bearer '.length) : trimmed;
    if (!isCanonicalCompactJws(token)) return unauthorized;
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      return unauthorized;
    }
    const pool = authorizer.providerArns.map((arn) => keySets.get(arn)!).find((p) => p.issuer === unverified.iss);
    if (!pool) return unauthorized;
    // Cognito signs with a key it names: the header's kid must be one of the pool's JWKS keys (Cognito developer
    // guide, "Verifying a JSON Web Token": "match the kid of the JWT to a kid in the JWKS"). jose alone would try
    // the pool's only key for a token without kid.
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return unauthorized;
    }
    if (typeof kid !== 'string' || !pool.kids.has(kid)) return unauthorized;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, pool.keys, { issuer: pool.issuer, algorithms: ['RS256'], currentDate: new Date(now()), requiredClaims: ['exp', 'token_use', 'sub'] }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) return { ok: false, error: gatewayErrors.expiredToken() };
      return unauthorized;
    }
    const tokenUse = payload.token_use;
    const client = tokenUse === 'id' ? (Array.isArray(payload.aud) ? payload.aud[0] : payload.aud) : payload.client_id;
    if (typeof client !== 'string' || !pool.clientIds.includes(client)) return unauthorized;
    if (authorizer.scopes.length === 0) {
      if (tokenUse !== 'id') return unauthorized;
    } else {
      if (tokenUse !== 'access') return unauthorized;
      const granted = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      if (!authorizer.scopes.some((s) => granted.includes(s))) return unauthorized;
    }
    return { ok: true, claims: claimsForEvent(payload) };
  }

  return { check, verify };
}

/**
 * True when `token` is three base64url segments, each in its one canonical spelling: the alphabet of RFC
 * 4648 §5 without padding (RFC 7515 §2, "Base64url Encoding": "with all trailing '=' characters omitted")
 * and unused trailing bits zero (RFC 4648 §3.5: encoders set them to zero; decoders MAY reject otherwise).
 * Node's decoder ignores those bits, so a signature respelled in them would verify as the original: one
 * token would have many spellings. A strict parser refuses them; so does the local gateway (what AWS's
 * verifier does is UNCONFIRMED).
 */
export function isCanonicalCompactJws(token: string): boolean {
  const parts = token.split('.');
  return parts.length === 3 && parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part) && Buffer.from(part, 'base64url').toString('base64url') === part);
}

/**
 * Returns the claims as the proxy event carries them in `requestContext.authorizer.claims`: every value a
 * string (arrays joined with `,`, objects as JSON), and `exp`/`iat` as Java's `Date.toString()` in UTC
 * (`Sun Nov 29 15:00:00 UTC 2026`), as recorded events show them. The string formatting is UNCONFIRMED
 * against an AWS document; the Lambda developer guide only names the map.
 */
export function claimsForEvent(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') out[name] = javaDate(value);
    else if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.map(String).join(',');
    else if (typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}

function javaDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
