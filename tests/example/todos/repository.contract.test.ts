import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../service/todos/cursor';
import { attachmentKey, InvalidCursorError, TodoExistsError, TodoNotFoundError, VersionConflictError, type TodoFilter, type TodoRepository } from '../../../service/todos/repository';
import type { Todo } from '../../../service/todos/schemas';
import { backends } from './support/backends';

const PRIORITIES = ['low', 'medium', 'high'] as const;

/** Returns a todo with a deterministic id and timestamp: `n` orders them. */
function todo(n: number, fields: Partial<Todo> = {}): Todo {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    title: `todo ${n}`,
    description: null,
    priority: 'medium',
    completed: false,
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

/** Returns every item of the listing, page by page, and the size of each page. */
async function listAll(repo: TodoRepository, filter: TodoFilter, limit: number): Promise<{ ids: string[]; pageSizes: number[] }> {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 500; pages++) {
    const page = await repo.list(filter, { limit, cursor });
    ids.push(...page.items.map((t) => t.id));
    pageSizes.push(page.items.length);
    if (page.nextCursor === null) return { ids, pageSizes };
    cursor = page.nextCursor;
  }
  throw new Error('listing never ended');
}

describe.each(backends())('the $name repository honours the TodoRepository contract', (backend) => {
  let repo: TodoRepository;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    repo = await backend.fresh();
  });

  describe('create and get', () => {
    it('stores a new todo at version 1 and returns exactly what it stored', async () => {
      const created = await repo.create(todo(1, { description: 'd', priority: 'high', completed: true }));
      expect(created).toEqual({ ...todo(1, { description: 'd', priority: 'high', completed: true }), version: 1 });
      expect(await repo.get(todo(1).id)).toEqual(created);
    });

    it('keeps a null description as null', async () => {
      await repo.create(todo(1));
      expect((await repo.get(todo(1).id))?.description).toBeNull();
    });

    it('never overwrites: creating a taken id throws TodoExistsError and keeps the original', async () => {
      await repo.create(todo(1, { title: 'original' }));
      await expect(repo.create(todo(1, { title: 'intruder' }))).rejects.toBeInstanceOf(TodoExistsError);
      expect((await repo.get(todo(1).id))?.title).toBe('original');
    });

    it('returns undefined for an unknown id', async () => {
      expect(await repo.get(todo(404).id)).toBeUndefined();
    });
  });

  describe('replace', () => {
    it('writes when the version matches and returns the todo at the next version', async () => {
      await repo.create(todo(1));
      const replaced = await repo.replace(todo(1, { title: 'new', completed: true }), 1);
      expect(replaced).toEqual({ ...todo(1, { title: 'new', completed: true }), version: 2 });
      expect(await repo.get(todo(1).id)).toEqual(replaced);
    });

    it('writes nothing and names both versions when the version is stale', async () => {
      await repo.create(todo(1));
      await repo.replace(todo(1, { title: 'first' }), 1);
      const err = await repo.replace(todo(1, { title: 'second' }), 1).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VersionConflictError);
      expect(err).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      expect(await repo.get(todo(1).id)).toMatchObject({ title: 'first', version: 2 });
    });

    it('throws TodoNotFoundError and creates nothing for an unknown id', async () => {
      await expect(repo.replace(todo(7), 1)).rejects.toBeInstanceOf(TodoNotFoundError);
      expect(await repo.get(todo(7).id)).toBeUndefined();
    });
  });

  describe('attachments', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const meta = { name: 'a.bin', mediaType: 'application/octet-stream', size: 256, sha256: 'a'.repeat(64) };

    it('keeps the bytes exactly under their key, and deletes them', async () => {
      const key = attachmentKey(todo(1).id, meta.sha256);
      await repo.putAttachment(key, bytes);
      expect((await repo.getAttachment(key))?.equals(bytes)).toBe(true);
      await repo.deleteAttachment(key);
      expect(await repo.getAttachment(key)).toBeUndefined();
      await repo.deleteAttachment(key);
    });

    it("keeps a todo's attachment metadata through replace, and lists it; the bytes are never a list item", async () => {
      await repo.create(todo(1));
      await repo.putAttachment(attachmentKey(todo(1).id, meta.sha256), bytes);
      const replaced = await repo.replace(todo(1, { attachment: meta }), 1);
      expect(replaced).toEqual({ ...todo(1, { attachment: meta }), version: 2 });
      expect(await repo.get(todo(1).id)).toEqual(replaced);
      const page = await repo.list({}, { limit: 10 });
      expect(page.items).toEqual([todo(1, { attachment: meta })]);
      expect(await repo.replace(todo(1), 2)).toEqual({ ...todo(1), version: 3 });
      expect(await repo.get(todo(1).id)).not.toHaveProperty('attachment');
    });
  });

  describe('delete', () => {
    it('deletes unconditionally without a version', async () => {
      await repo.create(todo(1));
      await repo.delete(todo(1).id);
      expect(await repo.get(todo(1).id)).toBeUndefined();
    });

    it('deletes when the version matches, and keeps the todo when it is stale', async () => {
      await repo.create(todo(1));
      await repo.replace(todo(1, { title: 'v2' }), 1);
      await expect(repo.delete(todo(1).id, 1)).rejects.toMatchObject({ name: 'VersionConflictError', actualVersion: 2 });
      expect(await repo.get(todo(1).id)).toBeDefined();
      await repo.delete(todo(1).id, 2);
      expect(await repo.get(todo(1).id)).toBeUndefined();
    });

    it.each([undefined, 1])('throws TodoNotFoundError for an unknown id (version %s)', async (version) => {
      await expect(repo.delete(todo(9).id, version)).rejects.toBeInstanceOf(TodoNotFoundError);
    });
  });

  describe('list', () => {
    it('orders by createdAt, then id, whatever the insertion order, and sends no version', async () => {
      const sameInstant = '2026-01-01T00:00:05.000Z';
      const inserted = [todo(3), todo(12, { createdAt: sameInstant }), todo(1), todo(11, { createdAt: sameInstant }), todo(2)];
      for (const t of inserted) await repo.create(t);
      const { items, nextCursor } = await repo.list({}, { limit: 10 });
      expect(items.map((t) => t.id)).toEqual([todo(1), todo(2), todo(3), todo(11), todo(12)].map((t) => t.id));
      expect(items[0]).toEqual(todo(1));
      expect(nextCursor).toBeNull();
    });

    it('returns an empty last page for an empty store', async () => {
      expect(await repo.list({}, { limit: 5 })).toEqual({ items: [], nextCursor: null });
    });

    it.each<[string, TodoFilter]>([
      ['completed', { completed: true }],
      ['not completed', { completed: false }],
      ['a priority', { priority: 'high' }],
      ['both', { completed: false, priority: 'low' }],
    ])('filters by %s', async (_, filter) => {
      const all = Array.from({ length: 24 }, (_, i) => todo(i + 1, { completed: i % 2 === 0, priority: PRIORITIES[i % 3]! }));
      for (const t of all) await repo.create(t);
      const expected = all.filter((t) => (filter.completed === undefined || t.completed === filter.completed) && (filter.priority === undefined || t.priority === filter.priority));
      const { items } = await repo.list(filter, { limit: 100 });
      expect(items).toEqual(expected);
    });

    it('moves a todo between filters when it is replaced', async () => {
      await repo.create(todo(1, { completed: false, priority: 'low' }));
      await repo.replace(todo(1, { completed: true, priority: 'high' }), 1);
      expect((await repo.list({ completed: false }, { limit: 10 })).items).toEqual([]);
      expect((await repo.list({ priority: 'low' }, { limit: 10 })).items).toEqual([]);
      expect((await repo.list({ completed: true, priority: 'high' }, { limit: 10 })).items.map((t) => t.id)).toEqual([todo(1).id]);
    });

    describe('pagination', () => {
      const all = Array.from({ length: 47 }, (_, i) => todo(i + 1, { completed: i % 3 === 0, priority: PRIORITIES[(i * 7) % 3]! }));
      beforeEach(async () => {
        // Insert out of order: the listing order must come from the data, not from insertion.
        for (const t of [...all].reverse()) await repo.create(t);
      });

      it.each<[number, TodoFilter]>([
        [1, {}],
        [5, {}],
        [10, {}],
        [47, {}],
        [100, {}],
        [4, { completed: true }],
        [6, { priority: 'medium' }],
        [3, { completed: false, priority: 'high' }],
      ])('walks every page with limit %i and filter %j: no duplicates, no gaps, full pages until the last', async (limit, filter) => {
        const expected = all.filter((t) => (filter.completed === undefined || t.completed === filter.completed) && (filter.priority === undefined || t.priority === filter.priority)).map((t) => t.id);
        const { ids, pageSizes } = await listAll(repo, filter, limit);
        expect(ids).toEqual(expected);
        expect(new Set(ids).size).toBe(ids.length);
        expect(pageSizes.slice(0, -1).every((n) => n === limit)).toBe(true);
        expect(pageSizes.length).toBe(Math.max(1, Math.ceil(expected.length / limit)));
      });

      it('is not disturbed by writes between pages: deleted items are not re-sent, newer ones come later', async () => {
        const first = await repo.list({}, { limit: 10 });
        await repo.delete(all[0]!.id);
        await repo.create(todo(100));
        const ids: string[] = [];
        for (let cursor = first.nextCursor; cursor !== null; ) {
          const page = await repo.list({}, { limit: 10, cursor });
          ids.push(...page.items.map((t) => t.id));
          cursor = page.nextCursor;
        }
        expect(ids).toEqual([...all.slice(10).map((t) => t.id), todo(100).id]);
      });

      it('accepts a cursor issued for a position, whichever filter the next page uses', async () => {
        const cursor = encodeCursor(all[19]!);
        const { items } = await repo.list({ completed: true }, { limit: 100, cursor });
        expect(items.map((t) => t.id)).toEqual(all.slice(20).filter((t) => t.completed).map((t) => t.id));
      });
    });

    it.each([
      ['not base64url', '%%%'],
      ['base64 of plain text', 'Zm9yZ2Vk'],
      ['a JSON object', Buffer.from('{"id":"x"}').toString('base64url')],
      ['a date that is not an ISO instant', Buffer.from('["yesterday","00000000-0000-4000-8000-000000000001"]').toString('base64url')],
      ['an id that is not a UUID', Buffer.from('["2026-01-01T00:00:00.000Z","1 OR 1=1"]').toString('base64url')],
      ['a DynamoDB key', Buffer.from(JSON.stringify({ id: { S: 'x' }, listKey: { S: 'open#low' }, sortKey: { S: 'z' } })).toString('base64url')],
      ['an extra element', Buffer.from('["2026-01-01T00:00:00.000Z","00000000-0000-4000-8000-000000000001",1]').toString('base64url')],
    ])('refuses a forged cursor (%s) with InvalidCursorError', async (_, cursor) => {
      await repo.create(todo(1));
      await expect(repo.list({}, { limit: 5, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
});
