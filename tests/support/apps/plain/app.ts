import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { route } from 'koa-apigateway/route';

const NoteCreate = Type.Object({ title: Type.String({ minLength: 1, maxLength: 100 }), pinned: Type.Optional(Type.Boolean({ default: false })) }, { $id: 'NoteCreate', additionalProperties: false });
const Note = Type.Object({ id: Type.Integer(), title: Type.String(), pinned: Type.Boolean() }, { $id: 'Note' });
const NotifyQuery = Type.Object({ notify: Type.Optional(Type.Boolean()) });
const ListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })) });

/**
 * Returns a Koa app written the plain way, as most Koa apps are before they meet this product (issue 21
 * item 4): `@koa/bodyparser`, its own error handler (not the product's errorMiddleware), plain
 * `router.get/post` handlers reading `ctx.request.body` and `ctx.params`. Adopted route by route:
 * - `POST /notes` and `GET /notes` gained a declaration as middleware, `route({...})`, their handlers
 *   unchanged but for reading the validated query; the list's query is checked by the service alone
 *   (API Gateway checks only that required parameters are present), so its 400 comes through the app's handler;
 * - `GET /status` is made public by its descriptor (app.config.ts `routes`), its code untouched;
 * - `GET /notes/count` stays as it was: deployed behind the API key, without validation;
 * - `POST /notes/import` too: a body nobody declared (a list of titles), read from `ctx.request.body` as the
 *   app's body parser left it; the typed client takes any body for it (`body?: unknown`).
 */
export function createPlainApp(): Koa {
  const app = new Koa();
  app.silent = true;
  const notes: Array<{ id: number; title: string; pinned: boolean }> = [];

  // The error handler such apps write by hand: the status of an HTTP error, its message.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const e = err as { status?: number; expose?: boolean; message?: string };
      ctx.status = e.status ?? 500;
      ctx.body = { message: e.expose ? e.message : 'Internal server error' };
    }
  });
  app.use(bodyParser());

  const router = new Router();
  router.get('/status', (ctx) => {
    ctx.body = { ok: true };
  });
  const list = route({ operationId: 'listNotes', query: ListQuery, responses: { 200: Type.Array(Note) } });
  router.get('/notes', list, (ctx) => {
    ctx.body = notes.slice(0, list.input(ctx).query.limit);
  });
  router.get('/notes/count', (ctx) => {
    ctx.body = { count: notes.length };
  });
  router.post('/notes/import', (ctx) => {
    const titles: unknown = ctx.request.body;
    const imported = Array.isArray(titles) ? titles.filter((t): t is string => typeof t === 'string' && t !== '') : [];
    for (const title of imported) notes.push({ id: notes.length + 1, title, pinned: false });
    ctx.body = { imported: imported.length };
  });
  router.post('/notes', route({ operationId: 'createNote', summary: 'Create a note', body: NoteCreate, query: NotifyQuery, responses: { 201: Note } }), (ctx) => {
    const { title, pinned } = ctx.request.body as { title: string; pinned: boolean };
    const note = { id: notes.length + 1, title, pinned };
    notes.push(note);
    ctx.status = 201;
    ctx.body = note;
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
