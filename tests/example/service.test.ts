import { describe, expect, it } from 'vitest';
import { HttpError } from '../../infra/src/route/http-error';
import { MemoryTodoRepository } from '../../service/todos/memory-repository';
import { TodoService } from '../../service/todos/service';

function fixture() {
  let tick = 0;
  let n = 0;
  const now = () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++));
  const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  return new TodoService(new MemoryTodoRepository(), now, newId);
}

describe('TodoService', () => {
  it('assigns the id and both timestamps on create', async () => {
    const todo = await fixture().create({ title: 'a' });
    expect(todo).toMatchObject({
      id: '00000000-0000-4000-8000-000000000001',
      title: 'a',
      description: null,
      priority: 'medium',
      completed: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('keeps createdAt and moves updatedAt on replace and patch', async () => {
    const todos = fixture();
    const todo = await todos.create({ title: 'a', description: 'd', priority: 'high', completed: true });
    const replaced = await todos.replace(todo.id, { title: 'b' });
    expect(replaced).toMatchObject({ title: 'b', description: null, priority: 'medium', completed: false, createdAt: todo.createdAt, updatedAt: '2026-01-01T00:00:01.000Z' });
    const patched = await todos.patch(todo.id, { priority: 'low' });
    expect(patched).toMatchObject({ title: 'b', priority: 'low', createdAt: todo.createdAt, updatedAt: '2026-01-01T00:00:02.000Z' });
  });

  it.each(['get', 'delete'] as const)('%s of an unknown id is a 404 HttpError', async (op) => {
    await expect(fixture()[op]('00000000-0000-4000-8000-00000000dead')).rejects.toMatchObject({ status: 404 });
  });

  it('a forged cursor is a 400 naming cursor, not a 500', async () => {
    const err = await fixture().list({}, { limit: 5, cursor: 'Zm9yZ2Vk' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 400, errors: [{ path: '/cursor', in: 'query' }] });
  });

  it('lists in creation order', async () => {
    const todos = fixture();
    for (const title of ['a', 'b', 'c']) await todos.create({ title });
    expect((await todos.list({}, { limit: 10 })).items.map((t) => t.title)).toEqual(['a', 'b', 'c']);
  });
});
