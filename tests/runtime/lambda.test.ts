import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { lambdaHandler } from '../../runtime/lambda';
import { handler as libraryHandler } from '../support/apps/library/lambda';
import { apiEvent, json, type ProxyResult } from '../support/events';

const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => 29_000 };

describe('lambdaHandler: the product\'s Lambda adapter around any Koa app', () => {
  it('serves an app that is not the example (the library) from API Gateway REST events', async () => {
    const res = (await libraryHandler(apiEvent('GET', '/branches/central/books/9780141439518', { resource: '/branches/{branchId}/books/{isbn}' }), context)) as ProxyResult;
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ title: 'Pride and Prejudice', branchId: 'central' });
  });

  it('normalises what API Gateway sends as null (headers, multiValueHeaders, body) before the app sees it', async () => {
    const app = new Koa();
    app.use((ctx) => {
      ctx.body = { method: ctx.method, path: ctx.path, accept: ctx.get('accept') ?? '' };
    });
    const handler = lambdaHandler(app);
    const event = { ...apiEvent('GET', '/anything'), headers: null, multiValueHeaders: null, body: null };
    const res = (await handler(event, context)) as ProxyResult;
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ method: 'GET', path: '/anything', accept: '' });
  });

  it('routes on the resource\'s own path behind a base-path mapping', async () => {
    const event = apiEvent('GET', '/shop/status', { resource: '/status', public: true });
    const res = (await libraryHandler({ ...event, pathParameters: null }, context)) as ProxyResult;
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ open: true, branches: 2 });
  });
});
