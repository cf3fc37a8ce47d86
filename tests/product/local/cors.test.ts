import { request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, echoHandler, method, settingsOf, specOf, startGateway, type Started } from './support/gateway';
import type { ModelSpec } from '../../../infra/src/core/plan/types';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { createParcelsApp } from '../../support/apps/parcels/app';

const Item: ModelSpec = { name: 'Item', contentType: 'application/json', schema: { type: 'object', required: ['title'] } };
const spec = specOf(
  [method('GET', '/items'), method('POST', '/items', { requestModels: { 'application/json': 'Item' }, validator: 'BODY' }), method('GET', '/items/{id}')],
  [Item],
);
/** A GET whose header names go on the wire exactly as given (node:http keeps the casing of setHeader). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    req.on('error', reject);
    req.end();
  });
}

const preflight = (url: string, origin: string) =>
  fetch(url, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-api-key' } });

describe('CORS with two configured origins (docs/apigateway-behaviour.md §8)', () => {
  let gw: Started;
  beforeAll(async () => {
    gw = await startGateway({ spec, handler: echoHandler().handler, settings: settingsOf({ corsOrigins: 'https://app.example.com,http://localhost:5173' }) });
  });
  afterAll(() => gw.close());

  it('answers a preflight from a listed origin itself (MOCK OPTIONS), without the API key', async () => {
    const res = await preflight(`${gw.url}/items`, 'http://localhost:5173');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-api-key');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(await res.text()).toBe('{}');
  });

  it('lists the methods of the resource asked about', async () => {
    expect((await preflight(`${gw.url}/items/1`, 'https://app.example.com')).headers.get('access-control-allow-methods')).toBe('GET,OPTIONS');
  });

  it('gives an unlisted origin no Access-Control-Allow-Origin, so the browser refuses', async () => {
    const res = await preflight(`${gw.url}/items`, 'https://evil.example');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    ['403 Forbidden (no key)', 'GET', '/items', {}, 403],
    ['403 Missing Authentication Token', 'GET', '/nowhere', {}, 403],
    ['400 body validation', 'POST', '/items', { 'x-api-key': API_KEY, 'content-type': 'application/json' }, 400],
  ])('puts CORS headers on gateway errors: %s (§8.4, §8.5)', async (_name, httpMethod, path, headers, status) => {
    const res = await fetch(`${gw.url}${path}`, { method: httpMethod, headers: { Origin: 'https://app.example.com', ...headers }, ...(httpMethod === 'POST' ? { body: '{}' } : {}) });
    expect(res.status).toBe(status);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toBeTruthy();
  });

  // A browser sends `Origin` over HTTP/1.1 and `origin` over HTTP/2; API Gateway reads header names
  // case-sensitively, so a gateway response echoing one spelling misses the other (§8.5). Sent on the wire with
  // each spelling (node:http keeps the name as set; fetch would lower-case it).
  it.each(['Origin', 'origin', 'ORIGIN'])('gives a gateway error CORS headers whatever the spelling of the header: %s (§8.5)', async (spelling) => {
    const { status, headers } = await rawGet(`${gw.url}/items`, { [spelling]: 'http://localhost:5173' });
    expect(status).toBe(403);
    expect(headers['access-control-allow-origin']).toBe('*');
  });

  it('adds nothing to the function’s own responses: the function decides (§8.3)', async () => {
    const res = await fetch(`${gw.url}/items`, { headers: { Origin: 'https://app.example.com', 'x-api-key': API_KEY } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS headers come from the routes (the parcels app)', () => {
  it('a preflight for a conditional write allows If-Match, so a browser may send it; a resource without it does not list it', async () => {
    const gw = await startGateway({ spec: buildGatewaySpec(createParcelsApp()), handler: echoHandler().handler, settings: settingsOf({ corsOrigins: 'https://app.example.com' }) });
    try {
      const ask = (path: string) =>
        fetch(`${gw.url}${path}`, { method: 'OPTIONS', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'if-match,x-api-key' } });
      const item = await ask('/parcels/0b6f3a52-6f0c-4a8e-9a53-3c1a2f0e9b11');
      const allowed = (item.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',');
      expect(allowed).toEqual(expect.arrayContaining(['if-match', 'x-api-key', 'content-type']));
      expect((await ask('/parcels')).headers.get('access-control-allow-headers')?.toLowerCase()).not.toContain('if-match');
    } finally {
      await gw.close();
    }
  });
});

describe('CORS with "*"', () => {
  it('allows any origin on preflights and gateway errors', async () => {
    const gw = await startGateway({ spec, handler: echoHandler().handler, settings: settingsOf({ corsOrigins: '*' }) });
    try {
      expect((await preflight(`${gw.url}/items`, 'https://anything.example')).headers.get('access-control-allow-origin')).toBe('*');
      expect((await fetch(`${gw.url}/items`, { headers: { Origin: 'https://anything.example' } })).headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await gw.close();
    }
  });
});

describe('without CORS origins (the default)', () => {
  it('has no OPTIONS methods (403) and no CORS headers on errors (§8.1, §8.4)', async () => {
    const gw = await startGateway({ spec, handler: echoHandler().handler });
    try {
      const res = await preflight(`${gw.url}/items`, 'https://app.example.com');
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await gw.close();
    }
  });
});
