/**
 * The example's contract: what the todo API promises beyond its schemas (create → get → update with
 * If-Match → stale If-Match 412 → delete; pagination). Example-specific on purpose, and apart from the
 * generic generator in ../cases.ts. It calls the API through the typed client generated from the
 * document (./client.ts, `npm run client`), so the client is exercised on every run.
 */
import { randomBytes } from 'node:crypto';
import type { Contract } from 'koa-apigateway';
import { createClient, NotFoundError, PreconditionFailedError, BadRequestError, type Todo } from './client';

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Returns the request that must fail with `Class`, and the error; throws when it succeeds or fails otherwise. */
async function rejects<E extends Error>(promise: Promise<unknown>, Class: new (...args: never[]) => E, what: string): Promise<E> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Class) return err;
    throw new Error(`${what}: expected ${Class.name}, got ${(err as Error).message}`);
  }
  throw new Error(`${what}: expected ${Class.name}, but it succeeded`);
}

export const todoContract: Contract = {
  name: 'todos',
  operations: ['createTodo', 'getTodo', 'updateTodo', 'deleteTodo', 'listTodos'],
  // 6 for the lifecycle, 3 creates + up to 4 first-page reads + 1 second page + 1 bad cursor + 3 deletes for pagination.
  plannedRequests: 18,
  async run(ctx) {
    const api = createClient({ baseUrl: ctx.baseUrl, apiKey: ctx.apiKey, fetch: ctx.fetch });
    const tag = `conformance-${randomBytes(4).toString('hex')}`;
    let todo: Todo | undefined;
    let etag = '';
    let staleEtag = '';

    await ctx.step('create returns 201 with Location and ETag', async () => {
      const created = await api.createTodo({ body: { title: `${tag} lifecycle`, priority: 'low' } });
      assert(created.status === 201, `status ${created.status}`);
      todo = created.body;
      assert(todo.title === `${tag} lifecycle` && todo.priority === 'low' && todo.completed === false, `unexpected todo ${JSON.stringify(todo)}`);
      etag = created.headers.get('etag') ?? '';
      assert(etag, 'no ETag header');
      const location = created.headers.get('location') ?? '';
      assert(location.endsWith(`/api/v1/todos/${todo.id}`), `Location ${JSON.stringify(location)} does not name the new todo`);
    });
    if (!todo) return;
    const id = todo.id;

    await ctx.step('get returns the same todo and ETag', async () => {
      const got = await api.getTodo({ path: { id } });
      assert(JSON.stringify(got.body) === JSON.stringify(todo), `got ${JSON.stringify(got.body)}`);
      assert(got.headers.get('etag') === etag, `ETag ${got.headers.get('etag')} differs from ${etag}`);
    });

    await ctx.step('update with the current If-Match applies and changes the ETag', async () => {
      const updated = await api.updateTodo({ path: { id }, headers: { 'if-match': etag }, body: { completed: true } });
      assert(updated.body.completed === true, 'completed not set');
      staleEtag = etag;
      etag = updated.headers.get('etag') ?? '';
      assert(etag && etag !== staleEtag, `the ETag did not change (${etag})`);
    });

    await ctx.step('update with a stale If-Match is 412 Precondition Failed', async () => {
      const error = await rejects(api.updateTodo({ path: { id }, headers: { 'if-match': staleEtag }, body: { title: 'lost update' } }), PreconditionFailedError, 'stale If-Match');
      assert(error.source === 'service', 'the 412 must come from the function');
    });

    await ctx.step('delete with the current If-Match, then get is 404', async () => {
      const deleted = await api.deleteTodo({ path: { id }, headers: { 'if-match': etag } });
      assert(deleted.status === 204, `status ${deleted.status}`);
      await rejects(api.getTodo({ path: { id } }), NotFoundError, 'get after delete');
    });

    const made: string[] = [];
    try {
      await ctx.step('pagination: limit=2 gives pages of 2 with a cursor, no item twice', async () => {
        for (let i = 0; i < 3; i++) made.push((await api.createTodo({ body: { title: `${tag} page ${i}` } })).body.id);
        // On a deployed stage the list reads a DynamoDB global secondary index, which is eventually
        // consistent (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Reads):
        // todos created a moment ago may not be listed yet. So the first page is read again, at most
        // 4 times, 0.5 s, 1 s, 1.5 s apart (bounded: counted in plannedRequests), until it is full.
        let first = await api.listTodos({ query: { limit: 2 } });
        for (let attempt = 1; attempt < 4 && (first.body.items.length < 2 || typeof first.body.nextCursor !== 'string'); attempt++) {
          await new Promise((r) => setTimeout(r, 500 * attempt));
          first = await api.listTodos({ query: { limit: 2 } });
        }
        assert(first.body.items.length === 2, `first page has ${first.body.items.length} items after 4 reads over 3 s, expected 2 (at least 3 exist)`);
        assert(typeof first.body.nextCursor === 'string', 'no nextCursor although more todos exist');
        const second = await api.listTodos({ query: { limit: 2, cursor: first.body.nextCursor } });
        // Only what holds under eventual consistency: at most `limit` items, none repeated from the first page.
        assert(second.body.items.length <= 2, `second page has ${second.body.items.length} items, more than limit=2`);
        const firstIds = new Set(first.body.items.map((t) => t.id));
        assert(!second.body.items.some((t) => firstIds.has(t.id)), 'an item appears on both pages');
      });
      await ctx.step('a cursor the API did not issue is 400 naming "cursor"', async () => {
        const error = await rejects(api.listTodos({ query: { cursor: 'not-a-cursor' } }), BadRequestError, 'forged cursor');
        assert(JSON.stringify(error.body).includes('cursor'), `the error does not name "cursor": ${JSON.stringify(error.body)}`);
      });
    } finally {
      await ctx.step('delete the pagination todos', async () => {
        for (const made1 of made) await api.deleteTodo({ path: { id: made1 } });
      });
    }
  },
};
