import { rm } from 'node:fs/promises';
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { bundleHandlerLoader } from '../../../infra/src/local/integration';
import { createParcelsApp } from '../../support/apps/parcels/app';
import { createLibraryApp } from '../../support/apps/library/app';
import { LIBRARY, loadFixture } from '../../support/apps';
import type { LambdaHandler } from '../../../infra/src/local';
import { API_KEY, bundleDir, settingsOf, startGateway, type Started } from '../local/support/gateway';
import { apiEvent, type ProxyHandler } from '../../support/events';
import { builtHandler } from '../../support/lambda';

/**
 * The gateway is never stricter than the service (SECURITY.md): one request is sent both ways, over
 * HTTP through the local gateway and as the API Gateway event straight to the handler, and whatever
 * the service alone accepts must pass the gateway too; whatever the gateway refuses, the service
 * refuses. Bodies and header sets are generated.
 */
let handler: ProxyHandler;
let gw: Started;
let existingId: string;

interface Reply {
  status: number;
  gatewayMade: boolean;
  text: string;
}

function overHttp(method: string, rawPath: string, headers: Array<[string, string]>, body: Buffer, through: Started = gw): Promise<Reply> {
  const { hostname, port, pathname } = new URL(through.url);
  const flat = ['host', `${hostname}:${port}`, 'x-api-key', API_KEY, ...headers.flat(), 'content-length', String(body.length)];
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method, path: `${pathname}${rawPath}`, headers: flat }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, gatewayMade: res.headers['x-amzn-errortype'] !== undefined, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The event API Gateway sends for the same request: every header line in multiValueHeaders, the last in headers (docs/apigateway-behaviour.md §5.4). */
async function straight(method: string, rawPath: string, resource: string, headers: Array<[string, string]>, body: Buffer): Promise<Reply> {
  const event = apiEvent(method, rawPath, { resource });
  const multi: Record<string, string[]> = { ...event.multiValueHeaders };
  const single: Record<string, string> = { ...event.headers };
  delete multi['Content-Type'];
  delete single['Content-Type'];
  for (const [name, value] of headers) {
    (multi[name] ??= []).push(value);
    single[name] = value;
  }
  event.multiValueHeaders = multi;
  event.headers = single;
  event.body = body.length === 0 ? null : body.toString('utf8');
  if (resource.includes('{id}')) event.pathParameters = { id: existingId };
  const res = await handler(event, {});
  return { status: res.statusCode, gatewayMade: false, text: res.body };
}

beforeAll(async () => {
  handler = await builtHandler();
  // The gateway invokes the same instance of the built bundle: one memory, so one parcel exists both ways.
  gw = await startGateway({ spec: buildGatewaySpec(createParcelsApp()), settings: settingsOf({ rateLimit: '100000', burstLimit: '100000', stageRateLimit: '100000', stageBurstLimit: '100000', quotaLimit: '1000000' }), handler: handler as LambdaHandler });
  existingId = JSON.parse((await handler(apiEvent('POST', '/parcels', { body: { recipient: 'x' } }), {})).body).id;
});
afterAll(async () => {
  await gw?.close();
});

const BOM = '\uFEFF';
const mediaType: fc.Arbitrary<string> = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON', 'text/plain', 'application/merge-patch+json', 'application/x-www-form-urlencoded', '');
const contentTypes = fc.oneof(
  fc.constant<string[]>([]),
  fc.array(mediaType, { minLength: 1, maxLength: 3 }),
);
const parcelLike = fc.record(
  {
    recipient: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constant(''), fc.integer()),
    size: fc.constantFrom('S', 'M', 'L', 'XL'),
    express: fc.oneof(fc.boolean(), fc.constant('yes')),
    note: fc.oneof(fc.string({ maxLength: 10 }), fc.constant(null)),
  },
  { requiredKeys: [] },
);
const bodyText = fc.oneof(
  parcelLike.map((v) => JSON.stringify(v)),
  fc.json({ maxDepth: 2 }),
  fc.constantFrom('', '{', '{"recipient":"x"', 'null', '[]', '{"recipient":"a","recipient":"b"}'),
);
const request = fc.record({
  prefix: fc.constantFrom('', BOM, ' ', '\n', `${BOM} `),
  body: bodyText,
  contentTypes,
  target: fc.constantFrom(
    { method: 'POST', path: '/parcels', resource: '/parcels' },
    { method: 'PATCH', path: '/parcels/{id}', resource: '/parcels/{id}' },
  ),
});

describe('the local gateway and the service agree on bodies and header sets', () => {
  it('whatever the service alone accepts passes the gateway; whatever the gateway refuses, the service refuses', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ prefix, body, contentTypes: types, target }) => {
        const bytes = Buffer.from(prefix + body, 'utf8');
        const headers = types.map((t) => ['Content-Type', t] as [string, string]);
        const p = target.path.replace('{id}', existingId);
        const service = await straight(target.method, p, target.resource, headers, bytes);
        const gateway = await overHttp(target.method, p, headers, bytes);
        const label = `${target.method} ${JSON.stringify(types)} ${JSON.stringify(prefix + body)}: service ${service.status} ${service.text.slice(0, 120)} / gateway ${gateway.status} ${gateway.text.slice(0, 120)}`;
        if (service.status < 300) expect(gateway.status, label).toBe(service.status);
        if (gateway.gatewayMade && gateway.status === 400) expect(service.status, label).toBeGreaterThanOrEqual(400);
        expect(service.status, label).toBeLessThan(500);
        expect(gateway.status, label).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  it('a UTF-8 byte-order mark before a valid JSON body is accepted both ways', async () => {
    const bytes = Buffer.from(`${BOM}{"recipient":"bom"}`, 'utf8');
    const headers: Array<[string, string]> = [['Content-Type', 'application/json']];
    expect((await straight('POST', '/parcels', '/parcels', headers, bytes)).status).toBe(201);
    expect((await overHttp('POST', '/parcels', headers, bytes)).status).toBe(201);
  });

  it('two different media types in Content-Type are refused both ways, naming the header and both types; the same type twice is one type', async () => {
    const bytes = Buffer.from('{"recipient":"two"}');
    // Two lines, either order, and one line holding a list: the service sees the same joined value.
    for (const lines of [['application/json', 'text/plain'], ['text/plain', 'application/json'], ['application/json, text/plain']]) {
      const headers = lines.map((t) => ['Content-Type', t] as [string, string]);
      for (const reply of [await straight('POST', '/parcels', '/parcels', headers, bytes), await overHttp('POST', '/parcels', headers, bytes)]) {
        expect(reply.status, reply.text).toBe(415);
        const body = JSON.parse(reply.text) as { message: string; errors: unknown };
        expect(body.errors).toEqual([{ path: '/content-type', message: 'must name one media type', in: 'header' }]);
        // It says what is wrong: two media types, named; not "given 2 times", which a single line is not.
        expect(body.message).toMatch(/2 different media types \((application\/json, text\/plain|text\/plain, application\/json)\)/);
      }
    }
    // The same media type is one type, whatever its case or parameters (RFC 9110 §8.3.1).
    for (const lines of [['application/json', 'application/json'], ['application/json', 'application/json; charset=utf-8'], ['Application/JSON; charset=utf-8', 'application/json']]) {
      const headers = lines.map((t) => ['Content-Type', t] as [string, string]);
      expect((await straight('POST', '/parcels', '/parcels', headers, bytes)).status, JSON.stringify(lines)).toBe(201);
      expect((await overHttp('POST', '/parcels', headers, bytes)).status, JSON.stringify(lines)).toBe(201);
    }
  });
});

/**
 * A body's properties with a `default` may be left out, at the top level and nested: the service fills them in
 * before it validates, so the gateway's model must not require them (infra/src/core/plan/models.ts). The library
 * app's loan (tests/support/apps/library/schemas.ts: `days`, `reminder.channel`, `reminder.daysBefore`), sent
 * through the local gateway and straight to the same bundle as the API Gateway event.
 */
describe('the local gateway and the service agree on a body whose defaulted properties are left out', () => {
  let library: Started;
  let lend: ProxyHandler;
  let dir: string;
  const card: Array<[string, string]> = [['X-Library-Card', '12345678']];
  const loans = '/branches/central/loans';

  beforeAll(async () => {
    dir = await bundleDir('agreement-library');
    const bundle = await bundleLambda({ app: loadFixture(LIBRARY), outDir: dir });
    // One instance both ways: a book lent one way is returned before the other way lends it.
    const loaded = bundleHandlerLoader(bundle.file).handler;
    lend = loaded as unknown as ProxyHandler;
    library = await startGateway({ spec: buildGatewaySpec(createLibraryApp()), handler: loaded });
  });
  afterAll(async () => {
    await library?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const json: Array<[string, string]> = [['Content-Type', 'application/json'], ...card];
  async function both(body: object): Promise<{ service: Reply; gateway: Reply }> {
    const bytes = Buffer.from(JSON.stringify(body));
    const event = apiEvent('POST', loans, { resource: '/branches/{branchId}/loans', pathParameters: { branchId: 'central' }, headers: Object.fromEntries(json), body: bytes.toString('utf8') });
    const res = await lend(event, {});
    const service = { status: res.statusCode, gatewayMade: false, text: res.body };
    await giveBack(service);
    const gateway = await overHttp('POST', loans, json, bytes, library);
    await giveBack(gateway);
    return { service, gateway };
  }
  async function giveBack(reply: Reply): Promise<void> {
    if (reply.status !== 201) return;
    const { loanId } = JSON.parse(reply.text) as { loanId: string };
    expect((await overHttp('DELETE', `${loans}/${loanId}`, card, Buffer.alloc(0), library)).status).toBe(204);
  }

  it.each([
    ['days left out (top level)', { isbn: '9780141439518' }, { days: 14 }],
    ['both reminder fields left out (nested)', { isbn: '9780141439518', reminder: {} }, { days: 14, reminder: { channel: 'email', daysBefore: 2 } }],
    ['one reminder field left out (nested)', { isbn: '9780141439518', days: 7, reminder: { channel: 'sms' } }, { days: 7, reminder: { channel: 'sms', daysBefore: 2 } }],
  ])('%s: 201 both ways, the defaults filled in', async (_name, body, filled) => {
    const { service, gateway } = await both(body);
    expect(service.status, service.text).toBe(201);
    expect(gateway.status, gateway.text).toBe(201);
    for (const reply of [service, gateway]) expect(JSON.parse(reply.text)).toMatchObject(filled);
  });

  it('a defaulted field sent with a wrong value is still refused both ways, naming it', async () => {
    const { service, gateway } = await both({ isbn: '9780141439518', reminder: { channel: 'fax' } });
    expect(service.status).toBe(400);
    expect(gateway.status).toBe(400);
    expect(gateway.gatewayMade).toBe(true);
    expect(service.text).toContain('channel');
  });
});
