import { comparePositions, decodeCursor, encodeCursor } from './cursor';
import {
  TodoExistsError,
  TodoNotFoundError,
  VersionConflictError,
  withoutVersion,
  type TodoFilter,
  type TodoPage,
  type TodoRepository,
  type VersionedTodo,
} from './repository';
import type { Todo } from './schemas';

/** Keeps todos in this process's memory: for tests and local runs (a Lambda loses it on cold start). */
export class MemoryTodoRepository implements TodoRepository {
  private readonly todos = new Map<string, VersionedTodo>();

  async create(todo: Todo): Promise<VersionedTodo> {
    if (this.todos.has(todo.id)) throw new TodoExistsError(todo.id);
    return this.store({ ...withoutVersion(todo as VersionedTodo), version: 1 });
  }

  async get(id: string): Promise<VersionedTodo | undefined> {
    const todo = this.todos.get(id);
    return todo && structuredClone(todo);
  }

  async replace(todo: Todo, expectedVersion: number): Promise<VersionedTodo> {
    const current = this.current(todo.id, expectedVersion);
    return this.store({ ...withoutVersion(todo as VersionedTodo), version: current.version + 1 });
  }

  async delete(id: string, expectedVersion?: number): Promise<void> {
    this.current(id, expectedVersion);
    this.todos.delete(id);
  }

  async list(filter: TodoFilter, page: { limit: number; cursor?: string }): Promise<TodoPage> {
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    const matching = [...this.todos.values()]
      .filter((t) => (filter.completed === undefined || t.completed === filter.completed) && (filter.priority === undefined || t.priority === filter.priority))
      .sort(comparePositions)
      .filter((t) => after === undefined || comparePositions(t, after) > 0);
    const items = matching.slice(0, page.limit);
    const last = items[items.length - 1];
    const nextCursor = matching.length > page.limit && last ? encodeCursor(last) : null;
    return { items: items.map((t) => withoutVersion(structuredClone(t))), nextCursor };
  }

  /** Returns the stored todo, checking it exists and (when given) is at `expectedVersion`. */
  private current(id: string, expectedVersion: number | undefined): VersionedTodo {
    const current = this.todos.get(id);
    if (!current) throw new TodoNotFoundError(id);
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw new VersionConflictError(id, expectedVersion, current.version);
    return current;
  }

  private store(todo: VersionedTodo): VersionedTodo {
    this.todos.set(todo.id, structuredClone(todo));
    return structuredClone(todo);
  }
}
