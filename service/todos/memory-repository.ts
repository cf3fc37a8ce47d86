import type { Todo } from './schemas';
import { InvalidCursorError, TodoExistsError, type TodoFilter, type TodoPage, type TodoRepository } from './repository';

interface CursorKey {
  createdAt: string;
  id: string;
}

/** Keeps todos in this process's memory: for tests and local runs (a Lambda loses it on cold start). */
export class MemoryTodoRepository implements TodoRepository {
  private readonly todos = new Map<string, Todo>();

  async create(todo: Todo): Promise<Todo> {
    if (this.todos.has(todo.id)) throw new TodoExistsError(todo.id);
    this.todos.set(todo.id, structuredClone(todo));
    return structuredClone(todo);
  }

  async get(id: string): Promise<Todo | undefined> {
    const todo = this.todos.get(id);
    return todo && structuredClone(todo);
  }

  async replace(todo: Todo): Promise<Todo | undefined> {
    if (!this.todos.has(todo.id)) return undefined;
    this.todos.set(todo.id, structuredClone(todo));
    return structuredClone(todo);
  }

  async delete(id: string): Promise<boolean> {
    return this.todos.delete(id);
  }

  async list(filter: TodoFilter, page: { limit: number; cursor?: string }): Promise<TodoPage> {
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    const matching = [...this.todos.values()]
      .filter((t) => (filter.completed === undefined || t.completed === filter.completed) && (filter.priority === undefined || t.priority === filter.priority))
      .sort(compareKeys)
      .filter((t) => after === undefined || compareKeys(t, after) > 0);
    const items = matching.slice(0, page.limit);
    const last = items[items.length - 1];
    const nextCursor = matching.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null;
    return { items: items.map((t) => structuredClone(t)), nextCursor };
  }
}

function compareKeys(a: CursorKey, b: CursorKey): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString('base64url');
}

function decodeCursor(cursor: string): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor issued by this API');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
    throw new InvalidCursorError('not a cursor issued by this API');
  }
  return { createdAt: parsed[0], id: parsed[1] };
}
