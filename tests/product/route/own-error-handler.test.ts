import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMiddleware } from '../../../infra/src/route/error-middleware';
import { HttpError } from '../../../infra/src/route/http-error';
import { addRoute } from '../../../infra/src/route/route';
import { route } from '../../../infra/src/route/route-middleware';
import { serve, type TestServer } from '../../support/http';

/**
 * Apps that have their own error handler (or none) and not errorMiddleware still answer a validation
 * failure with a 400 that names the field: the route kit throws a Koa-conventional HTTP error (`status`,
 * `statusCode`, `expose`, as `http-errors` makes them) whose `message` names the failing fields.
 */
const Book = Type.Object({ title: Type.String(), pages: Type.Optional(Type.Integer()) });
const Paging = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1 })) });

/** The handler most Koa apps write by hand (Koa's wiki, "Error Handling"). */
const handWritten: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const e = err as { status?: number; message: string };
    ctx.status = e.status || 500;
    ctx.body = { error: e.message };
  }
};

const HANDLERS = {
  'a hand-written handler': handWritten,
  "none (Koa's own)": undefined,
  errorMiddleware: errorMiddleware({ error: () => undefined }),
} as const;

function appWith(handler: Middleware | undefined): Koa {
  const app = new Koa();
  app.silent = true;
  if (handler) app.use(handler);
  app.use(bodyParser());
  const router = new Router();
  const create = route({ body: Book, query: Paging });
  router.post('/books', create, (ctx) => {
    ctx.status = 201;
    ctx.body = create.input(ctx).body;
  });
  addRoute(router, { method: 'POST', path: '/v1/books', body: Book, query: Paging }, (ctx, { body }) => {
    ctx.status = 201;
    ctx.body = body;
  });
  app.use(router.routes());
  return app;
}

describe.each(Object.entries(HANDLERS))('validation failures with error handler: %s', (name, handler) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve(appWith(handler));
  });
  afterAll(async () => server?.close());

  const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it.each(['/books', '/v1/books'])('%s: a wrong body field is a 400 naming it', async (path) => {
    const res = await post(path, { title: 7 });
    expect(res.status).toBe(400);
    const text = await res.text();
    if (name === 'errorMiddleware') {
      // Unchanged for apps that use it: the message, and the field errors apart.
      expect(JSON.parse(text)).toEqual({ message: 'Invalid request body', errors: [{ path: '/title', message: 'must be string', in: 'body' }] });
    } else if (name === 'a hand-written handler') {
      expect(JSON.parse(text)).toEqual({ error: 'Invalid request body: /title must be string' });
    } else {
      // Koa answers an exposed error's message as text (koa/lib/context.js, onerror).
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(text).toBe('Invalid request body: /title must be string');
    }
  });

  it.each(['/books', '/v1/books'])('%s: a wrong query parameter is a 400 naming it and where it was', async (path) => {
    const res = await post(`${path}?limit=0`, { title: 'Emma' });
    expect(res.status).toBe(400);
    const text = await res.text();
    const expected = 'Invalid request parameters: query /limit must be >= 1';
    if (name === 'errorMiddleware') expect(JSON.parse(text)).toEqual({ message: 'Invalid request parameters', errors: [{ path: '/limit', message: 'must be >= 1', in: 'query' }] });
    else if (name === 'a hand-written handler') expect(JSON.parse(text)).toEqual({ error: expected });
    else expect(text).toBe(expected);
  });

  it('a valid request still passes', async () => {
    const res = await post('/books?limit=2', { title: 'Emma' });
    expect([res.status, await res.json()]).toEqual([201, { title: 'Emma' }]);
  });
});

describe('HttpError, as Koa and http-errors shape an HTTP error', () => {
  it('carries status and statusCode, is exposed below 500, and its message names the fields while its body keeps them apart', () => {
    const err = new HttpError(400, 'Invalid request body', { errors: [{ path: '/title', message: 'must be string', in: 'body' }, { path: '', message: 'whole', in: 'body' }] });
    expect([err.status, err.statusCode, err.expose, err.message]).toEqual([400, 400, true, 'Invalid request body: /title must be string']);
    expect(err.toBody()).toEqual({ message: 'Invalid request body', errors: [{ path: '/title', message: 'must be string', in: 'body' }, { path: '', message: 'whole', in: 'body' }] });
    expect(new HttpError(503, 'Service unavailable').expose).toBe(false);
    expect(new HttpError(404, 'No book').message).toBe('No book');
  });

  it('names at most five fields in its message; the body lists every one', () => {
    const errors = Array.from({ length: 7 }, (_, i) => ({ path: `/f${i}`, message: 'is required', in: 'header' as const }));
    const err = new HttpError(400, 'Invalid request parameters', { errors });
    expect(err.message).toBe('Invalid request parameters: header /f0 is required; header /f1 is required; header /f2 is required; header /f3 is required; header /f4 is required (and 2 more)');
    expect(err.toBody().errors).toHaveLength(7);
  });
});
