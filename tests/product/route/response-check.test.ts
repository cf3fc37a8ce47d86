import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorMiddleware } from '../../../infra/src/route/error-middleware';
import { PRODUCTION_SAMPLE_EVERY, responseCheckMode } from '../../../infra/src/route/response-check';
import { addRoute } from '../../../infra/src/route/route';
import { serve } from '../../support/http';

const Item = Type.Object({ id: Type.String(), count: Type.Integer() }, { additionalProperties: false });

/** An app with one route declaring `200: Item`, whose handler answers `body` with `status`. */
function appAnswering(body: unknown, status = 200): { app: Koa; logged: Array<Record<string, unknown>> } {
  const logged: Array<Record<string, unknown>> = [];
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  addRoute(router, { method: 'GET', path: '/item', operationId: 'getItem', responses: { 200: Item, 204: null } }, (ctx) => {
    ctx.status = status;
    ctx.body = body;
  });
  app.use(errorMiddleware({ error: (message, details) => logged.push({ message, ...details }) }));
  app.use(router.routes());
  return { app, logged };
}

async function get(app: Koa): Promise<{ status: number; body: string }> {
  const server = await serve(app);
  try {
    const res = await fetch(`${server.url}/item`);
    return { status: res.status, body: await res.text() };
  } finally {
    await server.close();
  }
}

describe('responses are checked against the route’s declared schema', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['RESPONSE_VALIDATION', 'NODE_ENV', 'AWS_LAMBDA_FUNCTION_NAME']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    vi.restoreAllMocks();
  });

  it('is strict in development and tests, logs only in production and inside Lambda', () => {
    expect(responseCheckMode({})).toBe('strict');
    expect(responseCheckMode({ NODE_ENV: 'test' })).toBe('strict');
    expect(responseCheckMode({ NODE_ENV: 'production' })).toBe('log');
    expect(responseCheckMode({ AWS_LAMBDA_FUNCTION_NAME: 'todos' })).toBe('log');
    expect(responseCheckMode({ AWS_LAMBDA_FUNCTION_NAME: 'todos', RESPONSE_VALIDATION: 'strict' })).toBe('strict');
  });

  it('in development a body that breaks the schema fails loudly: a 500, logged with the field and the route', async () => {
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    delete process.env.NODE_ENV;
    const { app, logged } = appAnswering({ id: 'a', count: 'three' });
    const res = await get(app);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ message: 'Internal server error' });
    expect(String((logged[0]?.error as { message?: string })?.message)).toMatch(/Response of getItem \(200\) does not match its declared schema: \/count/);
  });

  it('in development an undeclared success status fails too', async () => {
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    delete process.env.NODE_ENV;
    const { app, logged } = appAnswering({ id: 'a', count: 1 }, 201);
    expect((await get(app)).status).toBe(500);
    expect(String((logged[0]?.error as { message?: string })?.message)).toMatch(/status 201 is not declared/);
  });

  it('a body that matches passes untouched', async () => {
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    const { app, logged } = appAnswering({ id: 'a', count: 1 });
    const res = await get(app);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ id: 'a', count: 1 });
    expect(logged).toEqual([]);
  });

  it('in production the response is sent and the mismatch only logged, without the body', async () => {
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'todos';
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    const { app } = appAnswering({ id: 'secret-value', count: 'three', extra: true });
    const res = await get(app);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ count: 'three' });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { message: string; operation: string; status: number; problems: string[] };
    expect(entry).toMatchObject({ message: 'Response does not match its declared schema', operation: 'getItem', status: 200 });
    expect(entry.problems.join(' ')).toMatch(/\/count/);
    expect(lines[0]).not.toContain('secret-value');
  });

  it('in production checks the first response of a route and then one in PRODUCTION_SAMPLE_EVERY, so the check costs little', async () => {
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'todos';
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    const { app } = appAnswering({ id: 'a', count: 'three' });
    const server = await serve(app);
    try {
      for (let i = 0; i < 2 * PRODUCTION_SAMPLE_EVERY + 1; i++) expect((await fetch(`${server.url}/item`)).status).toBe(200);
    } finally {
      await server.close();
    }
    // Responses 1, 101 and 201 were checked: three mismatches logged, not 201.
    expect(lines).toHaveLength(3);
  });

  it('in development every response is checked', async () => {
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    delete process.env.NODE_ENV;
    const { app } = appAnswering({ id: 'a', count: 'three' });
    const server = await serve(app);
    try {
      for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/item`)).status).toBe(500);
    } finally {
      await server.close();
    }
  });
});
