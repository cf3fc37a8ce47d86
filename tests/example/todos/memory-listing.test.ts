import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePositions } from '../../../service/todos/cursor';
import { MemoryTodoRepository } from '../../../service/todos/memory-repository';
import { withoutVersion, type TodoFilter } from '../../../service/todos/repository';
import type { Todo } from '../../../service/todos/schemas';

const PRIORITIES = ['low', 'medium', 'high'] as const;

/** A todo whose position is (second `at`, id `n`): few distinct seconds, so ties on createdAt are common. */
function todo(n: number, at: number, priority: Todo['priority'], completed: boolean): Todo {
  const createdAt = new Date(Date.UTC(2026, 0, 1, 0, 0, at)).toISOString();
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, title: `t${n}`, description: null, priority, completed, createdAt, updatedAt: createdAt };
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), n: fc.integer({ min: 0, max: 40 }), at: fc.integer({ min: 0, max: 5 }), priority: fc.constantFrom(...PRIORITIES), completed: fc.boolean() }),
  fc.record({ kind: fc.constant('replace' as const), n: fc.integer({ min: 0, max: 40 }), at: fc.integer({ min: 0, max: 5 }), priority: fc.constantFrom(...PRIORITIES), completed: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), n: fc.integer({ min: 0, max: 40 }) }),
);
const filter = fc.record({ completed: fc.option(fc.boolean(), { nil: undefined }), priority: fc.option(fc.constantFrom(...PRIORITIES), { nil: undefined }) });

describe('the memory repository lists from its ordered index as a full sort would', () => {
  it('every page, filter and cursor, after any creates, replaces (even of createdAt) and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), filter, fc.integer({ min: 1, max: 7 }), async (ops, f: TodoFilter, limit) => {
        const repo = new MemoryTodoRepository();
        const reference = new Map<string, Todo>();
        for (const o of ops) {
          const id = `00000000-0000-4000-8000-${String(o.n).padStart(12, '0')}`;
          if (o.kind === 'delete') {
            if (reference.delete(id)) await repo.delete(id);
          } else if (o.kind === 'create' && !reference.has(id)) {
            reference.set(id, todo(o.n, o.at, o.priority, o.completed));
            await repo.create(reference.get(id)!);
          } else if (o.kind === 'replace' && reference.has(id)) {
            reference.set(id, todo(o.n, o.at, o.priority, o.completed));
            await repo.replace(reference.get(id)!, (await repo.get(id))!.version);
          }
        }
        const expected = [...reference.values()]
          .filter((t) => (f.completed === undefined || t.completed === f.completed) && (f.priority === undefined || t.priority === f.priority))
          .sort(comparePositions)
          .map((t) => t.id);
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 100; pages++) {
          const page = await repo.list(f, { limit, cursor });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items.map((t) => t.id));
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        expect(seen).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the memory repository shares no object with its callers', () => {
  it('keeps what it stored whatever the caller does to what it passed in or got back (create, get, list, replace)', async () => {
    const repo = new MemoryTodoRepository();
    const input = todo(1, 0, 'low', false);
    const created = await repo.create(input);
    input.title = 'changed input';
    created.title = 'changed result';
    const got = (await repo.get(input.id))!;
    expect(got.title).toBe('t1');
    got.title = 'changed get';
    const [listed] = (await repo.list({}, { limit: 5 })).items;
    expect(listed!.title).toBe('t1');
    // The same fields in the same order as the stored todo without its version: the same JSON body.
    expect(JSON.stringify(listed)).toBe(JSON.stringify(withoutVersion((await repo.get(input.id))!)));
    listed!.title = 'changed list';
    const replacement = { ...todo(1, 0, 'high', true), title: 'replaced' };
    const replaced = await repo.replace(replacement, 1);
    replacement.title = 'changed replacement';
    replaced.title = 'changed replaced';
    expect(await repo.get(input.id)).toMatchObject({ title: 'replaced', priority: 'high', version: 2 });
    expect((await repo.list({ priority: 'high' }, { limit: 5 })).items.map((t) => t.title)).toEqual(['replaced']);
  });
});
