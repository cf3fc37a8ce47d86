import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { koaBody } from 'koa-body';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaHandler } from '../../../infra/src/lambda/handler';
import { errorMiddleware } from '../../../infra/src/route/error-middleware';
import { addRoute } from '../../../infra/src/route/route';
import { route } from '../../../infra/src/route/route-middleware';
import { apiEvent, json } from '../../support/events';
import { serve, type TestServer } from '../../support/http';

/**
 * Most Koa apps mount a body parser (`@koa/bodyparser`, `koa-body`) before their routes. It reads the
 * request stream into `ctx.request.body`; a declared route must use that, not read the stream again
 * (which found it empty: 400 "Request body is required" for a valid POST). Through real HTTP and through
 * the Lambda adapter with events shaped as API Gateway sends them (serverless-http gives `req.body` as a Buffer).
 */
const BookCreate = Type.Object({ title: Type.String({ minLength: 1 }), copies: Type.Optional(Type.Integer({ minimum: 1, default: 1 })) }, { additionalProperties: false });

const PARSERS = {
  none: undefined,
  '@koa/bodyparser': () => bodyParser(),
  'koa-body': () => koaBody(),
} as const;

type Form = 'addRoute' | 'route()';

/** An app with `parser` mounted (as the app's own, before the routes) and POST /books declared in `form`, 1 KiB body limit. */
function appWith(parser: keyof typeof PARSERS, form: Form): Koa {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  if (form === 'addRoute') {
    addRoute(router, { method: 'POST', path: '/books', body: BookCreate, bodyLimit: 1024 }, (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = { got: body, requestBody: ctx.request.body };
    });
  } else {
    const create = route({ body: BookCreate, bodyLimit: 1024 });
    router.post('/books', create, (ctx) => {
      ctx.status = 201;
      ctx.body = { got: create.input(ctx).body, requestBody: ctx.request.body };
    });
  }
  app.use(errorMiddleware({ error: () => undefined }));
  const mount = PARSERS[parser];
  if (mount) app.use(mount());
  app.use(router.routes());
  return app;
}

interface Answer {
  status: number;
  body: unknown;
}

type Send = (body: string | undefined, contentType?: string) => Promise<Answer>;

const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => 29_000 };

const deep = `${'['.repeat(70)}${']'.repeat(70)}`;

describe.each(['addRoute', 'route()'] as const)('a JSON body declared with %s', (form) => {
  describe.each(Object.keys(PARSERS) as Array<keyof typeof PARSERS>)('behind body parser: %s', (parser) => {
    let server: TestServer;
    let handler: ReturnType<typeof lambdaHandler>;
    beforeAll(async () => {
      server = await serve(appWith(parser, form));
      handler = lambdaHandler(appWith(parser, form));
    });
    afterAll(async () => server?.close());

    const http: Send = async (body, contentType = 'application/json') => {
      const res = await fetch(`${server.url}/books`, { method: 'POST', headers: body === undefined ? {} : { 'content-type': contentType }, ...(body === undefined ? {} : { body }) });
      return { status: res.status, body: await res.json() };
    };
    const lambda: Send = async (body, contentType = 'application/json') => {
      const res = await handler(apiEvent('POST', '/books', { ...(body === undefined ? {} : { body, headers: { 'content-type': contentType } }) }), context);
      return { status: res.statusCode, body: json(res) };
    };

    describe.each([
      ['real HTTP', () => http],
      ['the Lambda adapter', () => lambda],
    ] as const)('through %s', (_, sender) => {
      it('takes a valid body once, defaults filled, and hands it to the handler and to ctx.request.body', async () => {
        const answer = await sender()('{"title":"Emma"}');
        expect(answer).toEqual({ status: 201, body: { got: { title: 'Emma', copies: 1 }, requestBody: { title: 'Emma', copies: 1 } } });
      });

      it('answers an invalid body with the field named, as without a parser', async () => {
        const answer = await sender()('{"title":""}');
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({ message: 'Invalid request body', errors: [{ path: '/title', message: expect.stringContaining('1'), in: 'body' }] });
      });

      it('answers an empty body with "Request body is required"', async () => {
        const required = { status: 400, body: { message: 'Request body is required', errors: [{ path: '', message: 'is required', in: 'body' }] } };
        expect(await sender()(undefined)).toEqual(required);
        // Sent as JSON with no content: the parsers make that `{}`; it is still no body.
        expect(await sender()('')).toEqual(required);
      });

      it('keeps the body limit (413) and the depth limit (400)', async () => {
        const big = await sender()(JSON.stringify({ title: 'x'.repeat(2000) }));
        expect(big.status).toBe(413);
        const nested = await sender()(`{"title":"a","x":${deep}}`);
        expect(nested).toEqual({ status: 400, body: { message: 'Invalid request body', errors: [{ path: '', message: 'is nested deeper than 64 levels', in: 'body' }] } });
      });

      it('answers a body that is not JSON with 415, naming the header', async () => {
        const answer = await sender()('title=Emma', 'application/x-www-form-urlencoded');
        expect(answer).toEqual({ status: 415, body: { message: expect.stringContaining('expected application/json'), errors: [{ path: '/content-type', message: 'must be application/json', in: 'header' }] } });
      });
    });
  });
});

describe('a body koa-body parsed from a chunked request (no content-length, no raw text kept)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve(appWith('koa-body', 'route()'));
  });
  afterAll(async () => server?.close());

  const chunked = async (text: string) => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    });
    const res = await fetch(`${server.url}/books`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    return { status: res.status, body: await res.json() };
  };

  it('is measured by its parsed value: over the limit is 413, too deep is 400, a valid one passes', async () => {
    expect((await chunked(JSON.stringify({ title: 'x'.repeat(2000) }))).status).toBe(413);
    expect(await chunked(`{"title":"a","x":${deep}}`)).toEqual({ status: 400, body: { message: 'Invalid request body', errors: [{ path: '', message: 'is nested deeper than 64 levels', in: 'body' }] } });
    expect((await chunked('{"title":"Emma"}')).status).toBe(201);
  });
});
