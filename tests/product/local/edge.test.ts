import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basePathRoute, normaliseBasePath } from '../../../infra/src/local';
import { VisibleError } from '../../../infra/src/errors';
import { RateBasedRule } from '../../../infra/src/local/waf';
import { API_KEY, echoHandler, method, settingsOf, specOf, startGateway, type Started } from './support/gateway';

const spec = specOf([method('GET', '/health', { apiKeyRequired: false }), method('GET', '/items'), method('GET', '/items/{id}')]);
const key = { 'x-api-key': API_KEY };

describe("the web ACL's per-IP rate rule (waf true)", () => {
  let gw: Started;
  let clock = Date.UTC(2026, 0, 1);
  const echo = echoHandler();
  beforeAll(async () => {
    gw = await startGateway({ spec, handler: echo.handler, settings: settingsOf({ waf: 'true', wafRateLimit: '10', corsOrigins: 'https://app.example' }), now: () => clock });
  });
  afterAll(() => gw.close());

  it('lets the limit through, then answers 403 as the WAF_FILTERED gateway response without invoking the function', async () => {
    for (let i = 0; i < 10; i++) expect((await fetch(`${gw.url}/health`)).status, `request ${i + 1}`).toBe(200);
    const invoked = echo.events.length;
    const res = await fetch(`${gw.url}/items`, { headers: { ...key, origin: 'https://app.example' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
    expect(await res.text()).toBe('{"message":"Forbidden"}');
    // A gateway response: it carries the DEFAULT_4XX customization the stack deploys (CORS headers here).
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(echo.events.length).toBe(invoked);
    // Every route of the stage is behind the same web ACL, unknown ones too.
    expect((await fetch(`${gw.url}/nowhere`)).status).toBe(403);
    expect(await (await fetch(`${gw.url}/nowhere`)).text()).toBe('{"message":"Forbidden"}');
  });

  it('blocks until the count over the trailing 5 minutes falls under the limit, blocked requests counted', async () => {
    clock += 200_000;
    expect((await fetch(`${gw.url}/health`)).status).toBe(403);
    // 301 s after the first ten: they left the window; the blocked ones (3 so far, within the window) did not.
    clock += 101_000;
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
  });
});

describe('without waf', () => {
  it('never answers WAF_FILTERED, however many requests', async () => {
    const gw = await startGateway({ spec, handler: echoHandler().handler, settings: settingsOf({ wafRateLimit: '10' }), now: () => 0 });
    try {
      const statuses = [];
      for (let i = 0; i < 15; i++) statuses.push((await fetch(`${gw.url}/health`)).status);
      expect(statuses.every((s) => s === 200)).toBe(true);
    } finally {
      await gw.close();
    }
  });
});

describe('RateBasedRule', () => {
  it('counts each IP on its own', () => {
    let now = 0;
    const rule = new RateBasedRule(2, 300, () => now);
    expect([rule.blocks('a'), rule.blocks('a'), rule.blocks('a'), rule.blocks('b')]).toEqual([false, false, true, false]);
    now = 299_999;
    expect(rule.blocks('a')).toBe(true);
    now = 600_000;
    expect(rule.blocks('a')).toBe(false);
  });
});

describe('serving under a base path (BASE_PATH=/v1 npm start)', () => {
  let gw: Started;
  const echo = echoHandler();
  beforeAll(async () => {
    gw = await startGateway({ spec, handler: echo.handler, basePath: 'v1' });
  });
  afterAll(() => gw.close());

  it('serves the stage at /v1, the event carrying the public path with the base path and the resource without it', async () => {
    const res = await fetch(`${gw.root}/v1/items/abc`, { headers: key });
    expect(res.status).toBe(200);
    const event = echo.events.at(-1);
    expect(event).toMatchObject({ resource: '/items/{id}', path: '/v1/items/abc', pathParameters: { id: 'abc' } });
    expect(event.requestContext).toMatchObject({ path: '/v1/items/abc', stage: 'dev', resourcePath: '/items/{id}' });
  });

  it('keeps the stage URL working as the execute-api URL does, with its own event path', async () => {
    expect((await fetch(`${gw.url}/items`, { headers: key })).status).toBe(200);
    expect(echo.events.at(-1)).toMatchObject({ path: '/items', requestContext: { path: '/dev/items' } });
  });

  it('answers 403 Forbidden for another base path and Missing Authentication Token for an unknown route under /v1', async () => {
    for (const path of ['/v2/items', '/v1x/items', '/items']) {
      const res = await fetch(`${gw.root}${path}`, { headers: key });
      expect(res.status, path).toBe(403);
      expect(res.headers.get('x-amzn-errortype'), path).toBe('ForbiddenException');
      expect(await res.text()).toBe('{"message":"Forbidden"}');
    }
    const res = await fetch(`${gw.root}/v1/nowhere`, { headers: key });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

describe('a base path mapping the whole host (BASE_PATH=/)', () => {
  it('serves the API at the root, the event path without stage', async () => {
    const echo = echoHandler();
    const gw = await startGateway({ spec, handler: echo.handler, basePath: '' });
    try {
      expect((await fetch(`${gw.root}/items`, { headers: key })).status).toBe(200);
      expect(echo.events.at(-1)).toMatchObject({ path: '/items', resource: '/items', requestContext: { path: '/items', stage: 'dev' } });
    } finally {
      await gw.close();
    }
  });
});

describe('BASE_PATH and base path routing', () => {
  it('normalises BASE_PATH and refuses what a base path cannot be, naming it', () => {
    expect([normaliseBasePath(undefined), normaliseBasePath(''), normaliseBasePath('/'), normaliseBasePath('/v1/'), normaliseBasePath('v1')]).toEqual([undefined, undefined, '', 'v1', 'v1']);
    expect(() => normaliseBasePath('/api/v1')).toThrow(/^BASE_PATH=\/api\/v1 is not a base path/);
    expect(() => normaliseBasePath('/v 1')).toThrow(/BASE_PATH/);
    // A user error: npm start prints it in one line, no stack.
    expect(() => normaliseBasePath('/api/v1')).toThrow(VisibleError);
  });

  it('routes only paths under the base path, its bare URL to the root', () => {
    expect(basePathRoute('/v1/todos', 'v1')).toBe('/todos');
    expect(basePathRoute('/v1', 'v1')).toBe('/');
    expect(basePathRoute('/v10/todos', 'v1')).toBeUndefined();
    expect(basePathRoute('/todos', undefined)).toBeUndefined();
    expect(basePathRoute('/todos', '')).toBe('/todos');
  });
});
