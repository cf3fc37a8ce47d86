import { describe, expect, it } from 'vitest';
import { createRouter } from '../../../infra/src/local/router';

const route = (methods: Array<[string, string]>) => createRouter(methods.map(([method, resourcePath]) => ({ method, resourcePath })));

describe('routing on resource + method, as API Gateway REST APIs do (docs/apigateway-behaviour.md §1)', () => {
  // §1.3: /{proxy+} ANY, /jobs without methods, /jobs/{op} GET, /cors_only OPTIONS only.
  const jobs = route([
    ['ANY', '/{proxy+}'],
    ['GET', '/jobs/{op}'],
    ['OPTIONS', '/cors_only'],
  ]);
  it.each([
    ['GET', '/jobs', '/{proxy+}', { proxy: 'jobs' }],
    ['POST', '/jobs', '/{proxy+}', { proxy: 'jobs' }],
    ['POST', '/jobs/reboot', '/{proxy+}', { proxy: 'jobs/reboot' }],
    ['GET', '/cors_only', '/{proxy+}', { proxy: 'cors_only' }],
    ['GET', '/jobs/reboot', '/jobs/{op}', { op: 'reboot' }],
  ])('a resource wins only if it has the method: %s %s → %s', (httpMethod, path, resource, params) => {
    const found = jobs(httpMethod, path);
    expect(found?.resourcePath).toBe(resource);
    expect(found?.pathParameters).toEqual(params);
  });

  // §1.4: literal siblings beat greedy at the same level; backtracking to a greedy ancestor.
  const parts = route([
    ['GET', '/part1'],
    ['GET', '/part1/hardcoded-value'],
    ['GET', '/{param+}'],
  ]);
  it.each([
    ['/part1/random-value', '/{param+}'],
    ['/part1/hardcoded-value', '/part1/hardcoded-value'],
    ['/part1', '/part1'],
  ])('literal beats greedy: GET %s → %s', (path, resource) => {
    expect(parts('GET', path)?.resourcePath).toBe(resource);
  });

  it('a literal beats {param}, which beats {proxy+}', () => {
    const r = route([
      ['GET', '/todos/new'],
      ['GET', '/todos/{id}'],
      ['GET', '/todos/{rest+}'],
    ]);
    expect(r('GET', '/todos/new')?.resourcePath).toBe('/todos/new');
    expect(r('GET', '/todos/42')?.resourcePath).toBe('/todos/{id}');
    expect(r('GET', '/todos/42/x')?.resourcePath).toBe('/todos/{rest+}');
  });

  it('{proxy+} never matches the root; / needs its own method (§1.5)', () => {
    expect(route([['ANY', '/{proxy+}']])('GET', '/')).toBeNull();
    expect(route([['GET', '/']])('GET', '/')?.resourcePath).toBe('/');
  });

  it('no method on a matching resource is no match (§1.2), and GET does not serve HEAD (§1.10)', () => {
    const r = route([['GET', '/existing']]);
    expect(r('POST', '/existing')).toBeNull();
    expect(r('HEAD', '/existing')).toBeNull();
  });

  it('ANY serves the seven methods, and no others', () => {
    const r = route([['ANY', '/x']]);
    for (const m of ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']) expect(r(m, '/x')?.resourcePath).toBe('/x');
    expect(r('TRACE', '/x')).toBeNull();
  });

  it('a trailing slash matches, and the greedy value drops it (§1.11)', () => {
    expect(route([['ANY', '/{proxy+}']])('GET', '/proxy-value/')?.pathParameters).toEqual({ proxy: 'proxy-value' });
    expect(route([['GET', '/hardcoded']])('GET', '/hardcoded/')?.resourcePath).toBe('/hardcoded');
  });

  it('double slashes: ignored for literals, kept inside a greedy value (§1.12)', () => {
    const r = route([
      ['GET', '/hardcoded'],
      ['ANY', '/{proxy+}'],
    ]);
    expect(r('GET', '//hardcoded')?.resourcePath).toBe('/hardcoded');
    expect(r('GET', '/proxy-value//double-slash')?.pathParameters).toEqual({ proxy: 'proxy-value//double-slash' });
  });

  it('path values keep percent-encoding and + exactly as sent (§1.14)', () => {
    const path = '/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com';
    expect(route([['ANY', '/{proxy+}']])('GET', path)?.pathParameters).toEqual({ proxy: path.slice(1) });
  });

  it('matching is case-sensitive (§1.13, UNCONFIRMED)', () => {
    expect(route([['GET', '/pets']])('GET', '/Pets')).toBeNull();
  });
});
