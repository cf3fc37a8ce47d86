import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { buildApi } from '../../../../infra/src/core/build-api';
import { UNDECLARED_RESPONSE } from '../../../../infra/src/core/openapi/build';
import { UNDECLARED_PLACEHOLDER } from '../../../../infra/src/core/definition/document';
import { validateOpenApi } from '../../../../infra/src/core/openapi/validate';
import { route } from '../../../../infra/src/route/route-middleware';

const Note = Type.Object({ id: Type.String(), text: Type.String() }, { $id: 'Note' });
const NoteImport = Type.Object({ text: Type.String() }, { $id: 'NoteImport' });

/** Plain routes (one made public by a descriptor entry), one declaring only its body, one declaring its responses. */
function createApp(): Koa {
  const app = new Koa();
  const router = new Router();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.post('/notes', (ctx) => {
    ctx.status = 201;
  });
  router.post('/imports', route({ operationId: 'importNote', body: NoteImport }), (ctx) => {
    ctx.status = 202;
  });
  router.get('/notes/:id', route({ operationId: 'getNote', responses: { 200: Note } }), (ctx) => {
    ctx.body = { id: ctx.params.id, text: '' };
  });
  app.use(router.routes());
  return app;
}

const built = buildApi(
  { title: 'notes', createApp, routes: { 'GET /health': { auth: 'public', summary: 'Health' } } },
  { stageName: 'dev', corsOrigins: [] },
);
type Responses = Record<string, { description?: string; content?: unknown; $ref?: string }>;
const responsesOf = (path: string, verb: string) => ((built.openapi.paths as Record<string, Record<string, { responses: Responses }>>)[path]![verb]!).responses;

/**
 * A route that declares none of its responses (a plain router call, a descriptor entry, a declaration without
 * `responses`) has an unknown contract. The public document says so with OpenAPI's `default` response ("any
 * status not listed": OpenAPI 3.1 §4.8.16) and how to declare them, instead of the `200` it used to invent;
 * a declared route's responses are its own.
 */
describe('the public document of routes that declare no responses', () => {
  it('the plan marks them: plain routes and a declaration without responses, not a route with responses', () => {
    const flags = Object.fromEntries(built.spec.methods.map((m) => [`${m.method} ${m.resourcePath}`, m.responsesUndeclared]));
    expect(flags).toEqual({ 'GET /health': true, 'POST /imports': true, 'GET /notes/{id}': undefined, 'POST /notes': true });
  });

  it('a plain route has the `default` response saying so and how to declare them, and no invented 200', () => {
    for (const [path, verb] of [['/health', 'get'], ['/notes', 'post']] as const) {
      const responses = responsesOf(path, verb);
      expect(responses.default, path).toEqual(UNDECLARED_RESPONSE);
      expect(responses['200'], path).toBeUndefined();
      expect(Object.keys(responses).filter((s) => /^[1-3]/.test(s)), path).toEqual([]);
    }
    expect(UNDECLARED_RESPONSE.description).toMatch(/declares none of its responses/);
    expect(UNDECLARED_RESPONSE.description).toMatch(/route\(\{ responses/);
    expect(UNDECLARED_RESPONSE.description).toMatch(/addRoute/);
    // The gateway's own answers are still listed: the key's 403 where one is required, throttling, integration failures.
    expect(Object.keys(responsesOf('/notes', 'post')).sort()).toEqual(['403', '429', '502', '504', 'default']);
    expect(Object.keys(responsesOf('/health', 'get')).sort()).toEqual(['429', '502', '504', 'default']);
  });

  it('a route declaring only its body keeps its 400 and says the rest is undeclared', () => {
    const responses = responsesOf('/imports', 'post');
    expect(responses['400']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } });
    expect(responses.default).toEqual({ description: expect.stringMatching(/^Not declared: this route declares none of its responses/) });
    expect(responses['200']).toBeUndefined();
  });

  it('a route with declared responses has exactly those (and the gateway’s), no `default`', () => {
    const responses = responsesOf('/notes/{id}', 'get');
    expect(responses['200']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } } });
    expect(responses.default).toBeUndefined();
  });

  it('the deployed definition keeps its placeholder 200 (method responses do not shape a proxy response: apigateway-behaviour.md §6.12)', () => {
    const op = (path: string, verb: string) => built.definition.paths[path]![verb]!;
    expect(op('/health', 'get').responses).toEqual({ '200': UNDECLARED_PLACEHOLDER });
    expect(op('/notes', 'post').responses).toEqual({ '200': UNDECLARED_PLACEHOLDER });
    expect(Object.keys(op('/imports', 'post').responses)).toEqual(['400']);
  });

  it('is valid OpenAPI 3.1', async () => {
    const result = await validateOpenApi(built.openapi);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });
});
