import Koa from 'koa';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lambdaHandler } from '../../../infra/src/lambda/handler';
import { mapProxyResponse } from '../../../infra/src/local/response';
import { handler as libraryHandler } from '../../support/apps/library/lambda';
import { apiEvent, fixture, json } from '../../support/events';

const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => 29_000 };

describe('lambdaHandler: the product\'s Lambda adapter around any Koa app', () => {
  it('serves an app that is not the example (the library) from API Gateway REST events', async () => {
    const res = await libraryHandler(apiEvent('GET', '/branches/central/books/9780141439518', { resource: '/branches/{branchId}/books/{isbn}' }), context);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ title: 'Pride and Prejudice', branchId: 'central' });
  });

  it('serves an event as API Gateway sends it with null headers, multiValueHeaders and body (no maps, no body)', async () => {
    const app = new Koa();
    app.use((ctx) => {
      ctx.body = { method: ctx.method, path: ctx.path, headers: Object.keys(ctx.headers), ip: ctx.request.ip };
    });
    const event = { ...fixture('rest-multivalue-get.json'), headers: null, multiValueHeaders: null, body: null };
    const res = await lambdaHandler(app)(event, context);
    expect(res.statusCode).toBe(200);
    // Only what the adapter adds itself: the body's length and the request id (infra/src/lambda/handler.ts).
    expect(json(res)).toEqual({ method: 'GET', path: event.path, headers: ['content-length', 'x-amzn-requestid'], ip: event.requestContext.identity.sourceIp });
  });

  it('reads a POST whose body is null as an empty body, not as the text "null"', async () => {
    const app = new Koa();
    app.use(async (ctx) => {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      ctx.body = { raw: Buffer.concat(chunks).toString('utf8'), length: ctx.get('content-length') };
    });
    const event = { ...apiEvent('POST', '/anything'), body: null, isBase64Encoded: false };
    const res = await lambdaHandler(app)(event, context);
    expect(json(res)).toEqual({ raw: '', length: '0' });
    // serverless-http fills absent parts in the event it is given: lambdaHandler gives it a copy.
    expect([event.body, event.path]).toEqual([null, '/anything']);
  });

  it('routes on the resource\'s own path behind a base-path mapping', async () => {
    const event = apiEvent('GET', '/shop/status', { resource: '/status', public: true });
    const res = await libraryHandler({ ...event, pathParameters: null }, context);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ open: true, branches: 2 });
  });
});

describe('lambdaHandler: a header the app sets more than once', () => {
  // serverless-http returns such a header twice: joined in `headers` ("a, b") and listed in `multiValueHeaders`
  // (["a", "b"]); API Gateway merges both maps (docs/apigateway-behaviour.md §6.6), so clients received a, b and "a, b"
  // (awslabs/aws-lambda-go-api-proxy#73). Each value must reach the client once.
  const app = new Koa();
  app.use((ctx) => {
    ctx.append('Link', '</a>; rel="next"');
    ctx.append('Link', '</b>; rel="prev"');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ok: true };
  });
  const handler = lambdaHandler(app);

  it('returns it in multiValueHeaders only; a header set once stays in headers', async () => {
    const res = await handler(apiEvent('GET', '/anything', { public: true }), context);
    expect(res.multiValueHeaders?.link).toEqual(['</a>; rel="next"', '</b>; rel="prev"']);
    expect(Object.keys(res.headers ?? {}).map((h) => h.toLowerCase())).not.toContain('link');
    expect(res.headers?.['cache-control']).toBe('no-store');
  });

  it('reaches the client through API Gateway\'s merge with each value once', async () => {
    const res = await handler(apiEvent('GET', '/anything', { public: true }), context);
    const mapped = mapProxyResponse(res, { accept: 'application/json', binaryMediaTypes: [] });
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    const link = Object.entries(mapped.headers).find(([name]) => name.toLowerCase() === 'link')![1];
    expect(link).toEqual(['</a>; rel="next"', '</b>; rel="prev"']);
  });
});

describe('lambdaHandler: a body stream that fails after the headers went out', () => {
  it('ends the invocation at once as a function error (API Gateway answers 502), not at the function timeout', async () => {
    const app = new Koa();
    app.silent = true;
    app.use((ctx) => {
      ctx.body = new Readable({
        read() {
          this.push('partial');
          this.destroy(new Error('disk read failed'));
        },
      });
    });
    const started = Date.now();
    const outcome = await Promise.race([
      lambdaHandler(app)(apiEvent('GET', '/export', { public: true }), context).then(
        () => 'resolved',
        (err: Error) => err.message,
      ),
      new Promise((resolve) => setTimeout(() => resolve('still pending after 5 s'), 5_000)),
    ]);
    expect(outcome).toBe('disk read failed');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
