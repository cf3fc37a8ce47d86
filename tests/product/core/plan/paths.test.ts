import { describe, expect, it } from 'vitest';
import { buildResourceTree, MAX_RESOURCES, slugOfPath, toGatewayPath } from '../../../../infra/src/core/plan/paths';

describe('toGatewayPath', () => {
  it.each([
    ['/', '/', []],
    ['/health', '/health', []],
    ['/api/v1/todos/:id', '/api/v1/todos/{id}', ['id']],
    ['/users/:userId/posts/:postId', '/users/{userId}/posts/{postId}', ['userId', 'postId']],
    ['/files/*path', '/files/{proxy+}', ['proxy']],
    ['/*rest', '/{proxy+}', ['proxy']],
    ['/todos/', '/todos', []],
    ['/v1.2/a_b-c,d', '/v1.2/a_b-c,d', []],
  ])('converts %s to %s', (koa, gateway, variables) => {
    expect(toGatewayPath(koa)).toEqual({ path: gateway, variables, greedy: gateway.includes('+}') });
  });

  it.each([
    ['/files{/:name}', /optional groups/],
    ['/items/(\\d+)', /regular-expression/],
    ['/files/*path/meta', /only possible as the last path part/],
    ['/files/file-:name', /whole path part/],
    ['/a//b', /empty path part/],
    ['/caf\u00e9', /characters API Gateway does not allow/],
    ['/a b', /characters API Gateway does not allow/],
    ['/a/:id/b/:id', /appears twice/],
    ['relative', /does not start with/],
  ])('refuses %s, naming the route and the fix', (koa, reason) => {
    expect(() => toGatewayPath(koa, `GET ${koa}`)).toThrow(reason);
    expect(() => toGatewayPath(koa, `GET ${koa}`)).toThrow(`Route GET ${koa}`);
    expect(() => toGatewayPath(koa, `GET ${koa}`)).toThrow(/Fix: /);
  });
});

describe('buildResourceTree', () => {
  it('lists every path part once, parents before children, the root implicit', () => {
    const tree = buildResourceTree([
      { path: '/api/v1/todos/{id}', route: 'GET /api/v1/todos/:id' },
      { path: '/api/v1/todos', route: 'GET /api/v1/todos' },
      { path: '/', route: 'GET /' },
    ]);
    expect(tree).toEqual([
      { path: '/api', parentPath: '/', pathPart: 'api' },
      { path: '/api/v1', parentPath: '/api', pathPart: 'v1' },
      { path: '/api/v1/todos', parentPath: '/api/v1', pathPart: 'todos' },
      { path: '/api/v1/todos/{id}', parentPath: '/api/v1/todos', pathPart: '{id}' },
    ]);
  });

  it('is the same whatever the order of the routes', () => {
    const paths = ['/b/{x}', '/a', '/b', '/a/c/d'].map((path) => ({ path, route: path }));
    expect(buildResourceTree([...paths].reverse())).toEqual(buildResourceTree(paths));
  });

  it('refuses two different variables at one level, naming both routes', () => {
    expect(() =>
      buildResourceTree([
        { path: '/todos/{id}', route: 'GET /todos/:id' },
        { path: '/todos/{todoId}/tags', route: 'GET /todos/:todoId/tags' },
      ]),
    ).toThrow(/GET \/todos\/:id and GET \/todos\/:todoId\/tags .*one variable path part per level/);
  });

  it(`refuses more than ${MAX_RESOURCES} resources (the root counts)`, () => {
    const paths = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `/r${i}`, route: `GET /r${i}` }));
    expect(buildResourceTree(paths(MAX_RESOURCES - 1))).toHaveLength(MAX_RESOURCES - 1);
    expect(() => buildResourceTree(paths(MAX_RESOURCES))).toThrow(/more than the default limit of 300.*Fix:/);
  });
});

describe('slugOfPath', () => {
  it.each([
    ['/', 'root'],
    ['/api/v1/todos/{id}', 'api-v1-todos-id'],
    ['/files/{proxy+}', 'files-proxy-greedy'],
  ])('names %s %s', (path, slug) => expect(slugOfPath(path)).toBe(slug));
});
