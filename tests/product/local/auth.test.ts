import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApiDefinition, LOCAL_INVOKE_ARN } from '../../../infra/src/core/definition';
import { DEV_ISSUER_FILE, loadDevIssuer, LOCAL_CLIENT_ID, LOCAL_USER_POOL_ARN, type DevIssuer } from '../../../infra/src/local/dev-issuer';
import { createGateway, type LambdaHandler } from '../../../infra/src/local';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { createParcelsApp } from '../../support/apps/parcels/app';
import { API_KEY, echoHandler, method, settingsOf, specOf } from './support/gateway';
import { tempDir } from '../../support/files';

/** Starts a local gateway reading the definition of `spec` with the development issuer's pool as its authorizer. */
async function start(spec: ReturnType<typeof specOf>, handler: LambdaHandler, issuer: DevIssuer, config: Record<string, string> = {}) {
  const logs: string[] = [];
  const errors: string[] = [];
  const settings = settingsOf(config);
  const gateway = createGateway({
    settings,
    definition: buildApiDefinition(spec, { corsOrigins: [], userPoolArn: LOCAL_USER_POOL_ARN }, LOCAL_INVOKE_ARN),
    apiKey: API_KEY,
    userPools: issuer.userPools,
    handler,
    log: (line) => logs.push(line),
    logError: (line) => errors.push(line),
  });
  const { stageUrl } = await gateway.listen(0, '127.0.0.1');
  return { url: stageUrl, logs, errors, close: () => gateway.close() };
}

let issuer: DevIssuer;
let foreign: DevIssuer;
let issuerDir: string;
beforeAll(async () => {
  issuerDir = tempDir('i15-issuer-');
  issuer = await loadDevIssuer(issuerDir);
  // Another key pair under the same issuer name: a token it signs is not the pool's.
  foreign = await loadDevIssuer(tempDir('i15-foreign-'));
});

describe('GET /me through the local gateway: the app reads the caller from the token (ID token + API key)', () => {
  let gw: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    // The real Lambda entry, with the token routes mounted as the stack mounts them (USER_POOL_ID set).
    process.env.USER_POOL_ID = 'local_DevIssuer';
    // Evaluated afresh: test files share a worker's modules (vitest.config.mts isolate: false), and another may
    // have loaded the entry without USER_POOL_ID, with no token routes mounted.
    vi.resetModules();
    const { handler } = await import('../../support/apps/parcels/lambda.js');
    delete process.env.USER_POOL_ID;
    const spec = buildGatewaySpec(createParcelsApp({ userPool: true }));
    gw = await start(spec, handler as LambdaHandler, issuer, { quotaLimit: '3' });
  });
  afterAll(() => gw.close());

  it('a valid ID token and the key: 200, the claims reach the app through requestContext.authorizer.claims and ctx.state', async () => {
    const token = await issuer.sign({ sub: 'user-42', username: 'ada', email: 'ada@example.com' });
    const res = await fetch(`${gw.url}/me`, { headers: { authorization: token, 'x-api-key': API_KEY } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-42', username: 'ada', email: 'ada@example.com', tokenUse: 'id', scopes: [], clientId: LOCAL_CLIENT_ID });
  });

  it('GET /courier/parcels: an access token with parcels/read (as npm run token -- --scope parcels/read prints) lists the parcels without a key', async () => {
    const res = await fetch(`${gw.url}/courier/parcels?limit=5`, { headers: { authorization: await issuer.sign({ scopes: ['parcels/read'] }) } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ items: expect.any(Array) });
  });

  it.each([
    ['an ID token', async () => issuer.sign()],
    ['an access token with another scope', async () => issuer.sign({ scopes: ['parcels/write'] })],
  ])('GET /courier/parcels with %s: 401 Unauthorized', async (_label, token) => {
    const res = await fetch(`${gw.url}/courier/parcels`, { headers: { authorization: await token() } });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('{"message":"Unauthorized"}');
  });

  it('the token is never written to the access log', async () => {
    const token = await issuer.sign();
    await fetch(`${gw.url}/me`, { headers: { authorization: token, 'x-api-key': API_KEY } });
    expect([...gw.logs, ...gw.errors].join('\n')).not.toContain(token.split('.')[1]);
  });

  it('a valid token without the key: 403 Forbidden (both are required)', async () => {
    const res = await fetch(`${gw.url}/me`, { headers: { authorization: await issuer.sign() } });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('{"message":"Forbidden"}');
  });

  it('the key without a token: 401 Unauthorized, before the key is looked at', async () => {
    const res = await fetch(`${gw.url}/me`, { headers: { 'x-api-key': 'wrong' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
    expect(await res.text()).toBe('{"message":"Unauthorized"}');
  });

  it('the usage plan still meters the caller: past the quota, 429 Limit Exceeded even with a valid token', async () => {
    // quotaLimit 3: two requests above plus this loop use it up.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${gw.url}/me`, { headers: { authorization: await issuer.sign(), 'x-api-key': API_KEY } });
      statuses.push(res.status);
      if (res.status === 429) expect(await res.text()).toBe('{"message":"Limit Exceeded"}');
    }
    expect(statuses).toContain(429);
  });
});

describe('the cognito_user_pools authorizer of the local gateway refuses each bad token as API Gateway does', () => {
  let gw: Awaited<ReturnType<typeof start>>;
  const echo = echoHandler();
  const spec = specOf([
    method('GET', '/profile', { apiKeyRequired: false, userPool: { scopes: [] } }),
    method('GET', '/reports', { apiKeyRequired: false, userPool: { scopes: ['todos/admin', 'todos/read'] } }),
  ]);
  beforeAll(async () => {
    gw = await start(spec, echo.handler, issuer);
  });
  afterAll(() => gw.close());

  const call = async (p: string, authorization?: string) => {
    const res = await fetch(`${gw.url}${p}`, { headers: authorization === undefined ? {} : { authorization } });
    return { status: res.status, body: await res.text() };
  };
  const unauthorized = { status: 401, body: '{"message":"Unauthorized"}' };

  /** A token signed by the pool's own key with the given header and claims (what the development issuer would sign, minus or plus something). */
  async function signRaw(header: { kid?: string }, claims: JWTPayload): Promise<string> {
    const jwk = JSON.parse(readFileSync(path.join(issuerDir, DEV_ISSUER_FILE), 'utf8')) as { kid: string };
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ token_use: 'id', aud: LOCAL_CLIENT_ID, ...claims })
      .setProtectedHeader({ alg: 'RS256', ...header })
      .setIssuer(issuer.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(await importJWK(jwk, 'RS256'));
  }

  it('an access token carrying one of the scopes: 200, claims as strings in requestContext.authorizer.claims', async () => {
    const before = echo.events.length;
    const res = await call('/reports', await issuer.sign({ scopes: ['todos/read', 'openid'], now: 1_800_000_000 - 10, expiresInSeconds: 10 ** 6 }));
    expect(res.status).toBe(200);
    const claims = echo.events[before].requestContext.authorizer.claims;
    expect(claims).toMatchObject({ token_use: 'access', scope: 'todos/read openid', client_id: LOCAL_CLIENT_ID, iss: issuer.issuer });
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
    expect(claims.iat).toBe('Fri Jan 15 07:59:50 UTC 2027');
  });

  it('"Bearer <token>" is read too', async () => {
    expect((await call('/profile', `Bearer ${await issuer.sign()}`)).status).toBe(200);
  });

  it.each([
    ['missing', async () => undefined],
    ['empty', async () => ''],
    ['malformed (not a JWT)', async () => 'not-a-token'],
    ['signed by another key (foreign)', async () => foreign.sign()],
    ['with a tampered payload', async () => {
      const [h, , s] = (await issuer.sign()).split('.');
      return `${h}.${Buffer.from(JSON.stringify({ sub: 'x', token_use: 'id', aud: LOCAL_CLIENT_ID, iss: issuer.issuer, exp: 9e9 })).toString('base64url')}.${s}`;
    }],
    ['issued to another app client', async () => issuer.sign({ clientId: 'someotherclient' })],
    ['an access token where an ID token is expected (no scopes on the method)', async () => issuer.sign({ scopes: ['todos/read'] })],
    // Cognito always names its signing key: a token whose header has no kid, or a kid the JWKS lacks, is not the pool's
    // (Cognito developer guide, "Verifying a JSON Web Token": match the kid to a key of the pool's JWKS).
    ['signed by the pool key but with no kid', async () => signRaw({}, { sub: 'user-1' })],
    ['signed by the pool key under a kid the JWKS lacks', async () => signRaw({ kid: 'not-a-pool-kid' }, { sub: 'user-1' })],
    // Every Cognito ID and access token carries sub ("Understanding the identity (ID) token" / "the access token").
    ['without sub', async () => signRaw({ kid: (JSON.parse(readFileSync(path.join(issuerDir, DEV_ISSUER_FILE), 'utf8')) as { kid: string }).kid }, {})],
    // Only "Bearer " as recorded is read (docs/apigateway-behaviour.md §12.1); other spellings are not a token.
    ['behind a lowercase "bearer " prefix', async () => `bearer ${await issuer.sign()}`],
  ])('/profile with a token %s: 401 {"message":"Unauthorized"}', async (_label, token) => {
    expect(await call('/profile', await token())).toEqual(unauthorized);
  });

  it('an expired token: 401 {"message":"The incoming token has expired"}', async () => {
    expect(await call('/profile', await issuer.sign({ expiresInSeconds: -60 }))).toEqual({ status: 401, body: '{"message":"The incoming token has expired"}' });
  });

  it.each([
    ['an ID token on a method with scopes', async () => issuer.sign()],
    ['an access token without any of the scopes (under-scoped)', async () => issuer.sign({ scopes: ['todos/write'] })],
  ])('/reports with %s: 401 Unauthorized', async (_label, token) => {
    expect(await call('/reports', await token())).toEqual(unauthorized);
  });

  /** Returns `segment` with the unused low bits of its last base64url character set: the same bytes, written non-canonically (RFC 4648 §3.5). */
  const nonCanonical = (segment: string): string => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const unused = [0, 0, 4, 2][segment.length % 4]!;
    const last = alphabet.indexOf(segment.at(-1)!);
    const changed = alphabet[(last & ~((1 << unused) - 1)) | ((last + 1) & ((1 << unused) - 1))]!;
    expect(Buffer.from(segment.slice(0, -1) + changed, 'base64url')).toEqual(Buffer.from(segment, 'base64url'));
    return segment.slice(0, -1) + changed;
  };

  it.each([
    ['its signature', 2],
    ['its payload', 1],
  ] as const)('a valid token with %s in non-canonical base64url (same bytes, other unused bits): 401, as a strict JWS parser refuses it', async (_label, part) => {
    let token = await issuer.sign();
    for (let n = 0; n < 20 && [0, 0, 4, 2][token.split('.')[part]!.length % 4] === 0; n++) token = await issuer.sign({ sub: `user-${'x'.repeat(n)}` });
    const parts = token.split('.');
    expect([0, 0, 4, 2][parts[part]!.length % 4], 'the segment has unused bits').toBeGreaterThan(0);
    parts[part] = nonCanonical(parts[part]!);
    expect(await call('/profile', token)).toMatchObject({ status: 200 });
    expect(await call('/profile', parts.join('.'))).toEqual(unauthorized);
  });

  it.each([
    ['the valid token first', (good: string) => [good, 'garbage']],
    ['the valid token last', (good: string) => ['garbage', good]],
    ['the same valid token twice', (good: string) => [good, good]],
  ])('two Authorization lines (%s): 401, never one verified and the other passed on', async (_label, lines) => {
    const good = await issuer.sign();
    const before = echo.events.length;
    const { hostname, port, pathname } = new URL(`${gw.url}/profile`);
    const status = await new Promise<number>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname);
      let out = '';
      socket.on('data', (c: Buffer) => (out += c.toString('latin1')));
      socket.on('error', reject);
      socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0)));
      const auth = lines(good).map((v) => `Authorization: ${v}\r\n`).join('');
      socket.end(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${auth}Connection: close\r\n\r\n`);
    });
    expect(status).toBe(401);
    expect(echo.events.length).toBe(before);
  });

  it('a refused token never reaches the function', async () => {
    const before = echo.events.length;
    await call('/reports', 'garbage');
    expect(echo.events.length).toBe(before);
  });
});

describe('the local gateway refuses to start with an authorizer whose pool it has no keys for', () => {
  it('names the pool ARN and the fix', () => {
    const spec = specOf([method('GET', '/profile', { userPool: { scopes: [] } })]);
    expect(() =>
      createGateway({
        settings: settingsOf(),
        definition: buildApiDefinition(spec, { corsOrigins: [], userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc' }, LOCAL_INVOKE_ARN),
        apiKey: API_KEY,
        handler: async () => ({ statusCode: 200 }),
      }),
    ).toThrow(/us-east-1_Abc.*Fix/);
  });
});
