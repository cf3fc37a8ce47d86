import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../infra/src/bundle/bundle';
import { handler as sourceHandler } from '../../service/lambda';
import { apiEvent, base64Fixture, fixture, json, proxyFixture, type ProxyEvent } from '../support/events';
import { lazyHandler } from '../support/lambda';

const ROOT = path.resolve(__dirname, '../..');

// The example's bundle, built as `pulumi up` builds it, in a folder of its own inside the project (dist/).
let bundleDir = '';
let bundleFile = '';
beforeAll(async () => {
  await mkdir(path.join(ROOT, 'dist'), { recursive: true });
  bundleDir = await mkdtemp(path.join(ROOT, 'dist', 'example-lambda-'));
  bundleFile = (await bundleLambda({ root: ROOT, outDir: bundleDir })).file;
}, 120_000);
afterAll(() => rm(bundleDir, { recursive: true, force: true }));


const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => 29_000 };

describe.each([
  ['the source', sourceHandler],
  ['the built bundle', lazyHandler(() => bundleFile)],
])('the Lambda handler (%s) fed API Gateway REST events', (_name, handler) => {
  const invoke = (event: ProxyEvent) => handler(event, context);

  it('serves the seed sequence: health, create, list', async () => {
    const health = await invoke(apiEvent('GET', '/health'));
    expect(health.statusCode).toBe(200);
    expect(json(health)).toMatchObject({ status: 'healthy' });

    const created = await invoke(apiEvent('POST', '/api/v1/todos', { body: { title: 'Test from API Gateway', priority: 'high' }, headers: { 'Content-Type': 'application/json' } }));
    expect(created.statusCode).toBe(201);
    const todo = json(created);
    expect(todo).toMatchObject({ title: 'Test from API Gateway', priority: 'high', completed: false, description: null });
    // requestContext.path carries the stage: the Location a client can follow.
    expect(created.headers?.location).toBe(`/dev/api/v1/todos/${todo.id}`);

    const list = await invoke(apiEvent('GET', '/api/v1/todos?limit=100'));
    expect(list.statusCode).toBe(200);
    expect(json(list).items).toContainEqual(todo);
  });

  it('returns a well-formed proxy response', async () => {
    const res = await invoke(apiEvent('GET', '/health'));
    expect(typeof res.body).toBe('string');
    expect(res.isBase64Encoded).toBe(false);
    expect(res.headers?.['content-type']).toMatch(/^application\/json/);
  });

  it('serves every route with its status codes', async () => {
    const created = json(await invoke(apiEvent('POST', '/api/v1/todos', { body: { title: 'x' } })));
    const id = created.id as string;
    const cases: Array<[string, string, object | undefined, number]> = [
      ['GET', `/api/v1/todos/${id}`, undefined, 200],
      ['PUT', `/api/v1/todos/${id}`, { title: 'y' }, 200],
      ['PATCH', `/api/v1/todos/${id}`, { completed: true }, 200],
      ['DELETE', `/api/v1/todos/${id}`, undefined, 204],
      ['GET', `/api/v1/todos/${id}`, undefined, 404],
      ['GET', '/api/v1/todos/not-a-uuid', undefined, 400],
      ['POST', '/api/v1/todos', { title: '' }, 400],
      ['DELETE', '/api/v1/todos', undefined, 405],
    ];
    for (const [method, p, body, status] of cases) {
      const res = await invoke(apiEvent(method, p, { body }));
      expect({ method, p, status: res.statusCode }).toEqual({ method, p, status });
      if (status >= 400) expect(json(res)).toMatchObject({ message: expect.any(String) });
    }
  });

  it('reads multi-value query strings (a repeated single-valued key is a 400, not a guess)', async () => {
    const event = apiEvent('GET', '/api/v1/todos?limit=1&limit=2');
    expect(event.multiValueQueryStringParameters).toEqual({ limit: ['1', '2'] });
    const res = await invoke(event);
    expect(res.statusCode).toBe(400);
    expect(json(res).errors).toContainEqual(expect.objectContaining({ path: '/limit', in: 'query' }));
  });

  it('reads filters from queryStringParameters and multiValueQueryStringParameters alike', async () => {
    await invoke(apiEvent('POST', '/api/v1/todos', { body: { title: 'done', completed: true } }));
    const res = await invoke(apiEvent('GET', '/api/v1/todos?completed=true&limit=100'));
    expect(res.statusCode).toBe(200);
    expect(json(res).items.every((t: { completed: boolean }) => t.completed)).toBe(true);
  });

  it('reads a header sent with several values through multiValueHeaders', async () => {
    const event = apiEvent('POST', '/api/v1/todos', { body: { title: 'multi' } });
    event.multiValueHeaders = { ...event.multiValueHeaders, 'Content-Type': ['application/json'], Accept: ['application/json', 'text/plain'] };
    expect((await invoke(event)).statusCode).toBe(201);
  });

  it.each(['TRACE', 'FOO'])('a %s on a known path is a 405 with Allow, not a 501', async (method) => {
    const res = await invoke(apiEvent(method, '/api/v1/todos'));
    expect(res.statusCode).toBe(405);
    expect(res.headers?.allow).toContain('GET');
  });

  it('decodes an isBase64Encoded body', async () => {
    const res = await invoke(apiEvent('POST', '/api/v1/todos', { body: { title: 'from base64' }, base64: true }));
    expect(res.statusCode).toBe(201);
    expect(json(res).title).toBe('from base64');
  });

  it('serves the base64 fixture as it is (base64 body, CloudFront headers, null maps)', async () => {
    const res = await invoke(fixture('rest-base64-body-post.json'));
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ title: 'fixture', completed: false });
    expect(res.headers?.location).toMatch(/^\/dev\/api\/v1\/todos\/[0-9a-f-]{36}$/);
  });

  it('serves a base64 event aimed at another body', async () => {
    const event = base64Fixture({ body: Buffer.from('{"title":"b64"}').toString('base64'), resource: '/api/v1/todos', path: '/api/v1/todos', method: 'POST' });
    const res = await invoke(event);
    expect(res.statusCode).toBe(201);
    expect(json(res).title).toBe('b64');
  });

  it('answers the multi-value fixture as it is (priority sent twice is a 400 naming it, not a guess)', async () => {
    const event = fixture('rest-multivalue-get.json');
    expect(event.multiValueQueryStringParameters?.priority).toEqual(['low', 'high']);
    const res = await invoke(event);
    expect(res.statusCode).toBe(400);
    expect(json(res).errors).toContainEqual(expect.objectContaining({ path: '/priority', in: 'query' }));
  });

  it('answers the greedy-proxy fixture as it is (POST /hello/world is no route: 404 JSON)', async () => {
    const res = await invoke(proxyFixture());
    expect(res.statusCode).toBe(404);
    expect(json(res)).toEqual({ message: 'Not Found' });
  });

  it('tolerates the nulls API Gateway sends: no headers, no body, no identity', async () => {
    const event = { ...apiEvent('GET', '/health'), headers: null, multiValueHeaders: null, body: null };
    event.requestContext = { ...event.requestContext, identity: undefined as never };
    expect((await invoke(event)).statusCode).toBe(200);
    const post = { ...apiEvent('POST', '/api/v1/todos'), body: null };
    const res = await invoke(post);
    expect(res.statusCode).toBe(400);
    expect(json(res).message).toBe('Request body is required');
  });

  it('rejects a body that claims base64 but is not JSON once decoded', async () => {
    const res = await invoke({ ...apiEvent('POST', '/api/v1/todos', { body: 'not base64 at all!' }), isBase64Encoded: true });
    expect(res.statusCode).toBe(400);
  });
});
