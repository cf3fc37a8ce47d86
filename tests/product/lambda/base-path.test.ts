import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appPath } from '../../../infra/src/lambda/event-path';
import { handler as sourceHandler } from '../../support/apps/parcels/lambda';
import { apiEvent, json, type ProxyEvent } from '../../support/events';
import { lazyBuiltHandler } from '../../support/lambda';


/**
 * Returns the event API Gateway sends through a custom domain whose base-path mapping is `basePath`:
 * `path` and `requestContext.path` carry the base path, `resource` and `pathParameters` do not
 * (CodeGenieApp/serverless-express#216, vincentsarago/lambda-proxy#16).
 */
function behindBasePath(basePath: string, method: string, appRoute: string, resource: string, pathParameters: Record<string, string> | null, body?: object): ProxyEvent {
  return apiEvent(method, appRoute, { resource, body, basePath: basePath.slice(1), ...(pathParameters ? { pathParameters } : {}), headers: { Host: 'api.example.com' } });
}

describe.each([
  ['the source', sourceHandler],
  ['the built bundle', lazyBuiltHandler],
])('behind a custom domain base-path mapping (%s)', (_name, handler) => {
  const invoke = (event: ProxyEvent) => handler(event, {});

  // The last one is also a route's path: the base path is cut once, by the resource, not by its text.
  it.each(['/shop', '/shop/v2', '/api', '/parcels'])('base path %s: the matched routes are served, and Location keeps the base path', async (basePath) => {
    const health = await invoke(behindBasePath(basePath, 'GET', '/health', '/health', null));
    expect(health.statusCode, health.body).toBe(200);

    const created = await invoke(behindBasePath(basePath, 'POST', '/parcels', '/parcels', null, { recipient: 'behind a domain' }));
    expect(created.statusCode, created.body).toBe(201);
    const id = json(created).id as string;
    expect(created.headers?.location).toBe(`${basePath}/parcels/${id}`);

    const read = await invoke(behindBasePath(basePath, 'GET', `/parcels/${id}`, '/parcels/{id}', { id }));
    expect(read.statusCode, read.body).toBe(200);
    expect(json(read).id).toBe(id);
    const list = await invoke(behindBasePath(basePath, 'GET', '/parcels', '/parcels', null));
    expect(list.statusCode).toBe(200);
    const removed = await invoke(behindBasePath(basePath, 'DELETE', `/parcels/${id}`, '/parcels/{id}', { id }));
    expect(removed.statusCode).toBe(204);
  });

  it('without a base path the event path is used as it is (trailing slash kept)', async () => {
    const res = await invoke({ ...apiEvent('GET', '/health/'), resource: '/health' });
    expect(res.statusCode).toBe(200);
  });
});

describe('appPath: the path the app routes on', () => {
  const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/);
  it('is the event path minus any base path, for literal, {param} and {proxy+} resources', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 3 }), fc.array(segment, { minLength: 1, maxLength: 3 }), segment, fc.array(segment, { minLength: 1, maxLength: 3 }), (base, literal, param, rest) => {
        const basePath = base.map((s) => `/${s}`).join('');
        const lit = `/${literal.join('/')}`;
        expect(appPath(`${basePath}${lit}`, lit, null)).toBe(lit);
        expect(appPath(`${basePath}${lit}/${param}`, `${lit}/{id}`, { id: param })).toBe(`${lit}/${param}`);
        expect(appPath(`${basePath}${lit}/${rest.join('/')}`, `${lit}/{proxy+}`, { proxy: rest.join('/') })).toBe(`${lit}/${rest.join('/')}`);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the event path when it already matches (no base path), and when the event has no resource', () => {
    expect(appPath('/a/b/', '/a/b', null)).toBe('/a/b/');
    expect(appPath('/a/%2Bx', '/a/{id}', { id: '%2Bx' })).toBe('/a/%2Bx');
    expect(appPath('/x/y', undefined, null)).toBe('/x/y');
    expect(appPath('/base', '/', null)).toBe('/');
  });
});
