import type { Todo } from './schemas';

export interface TodoFilter {
  completed?: boolean;
  priority?: Todo['priority'];
}

export interface TodoPage {
  items: Todo[];
  /** Opaque; `null` on the last page. */
  nextCursor: string | null;
}

/** Thrown by `list` when a cursor was not issued by this repository. */
export class InvalidCursorError extends Error {
  constructor(reason: string) {
    super(`Invalid cursor: ${reason}`);
    this.name = 'InvalidCursorError';
  }
}

/** Thrown by `create` when the id is taken. */
export class TodoExistsError extends Error {
  constructor(id: string) {
    super(`Todo ${id} already exists`);
    this.name = 'TodoExistsError';
  }
}

/**
 * Where todos live. Every write is all-or-nothing: an implementation never leaves a half-written todo.
 * Listing is in a stable order (createdAt, then id), so pages neither repeat nor skip items.
 */
export interface TodoRepository {
  /** Stores a new todo; throws TodoExistsError rather than overwrite. */
  create(todo: Todo): Promise<Todo>;
  /** Returns the todo, or undefined. */
  get(id: string): Promise<Todo | undefined>;
  /** Replaces an existing todo; returns undefined (and writes nothing) when it does not exist. */
  replace(todo: Todo): Promise<Todo | undefined>;
  /** Deletes; returns false when it did not exist. */
  delete(id: string): Promise<boolean>;
  /** Returns one page of todos matching `filter`, after `cursor`. */
  list(filter: TodoFilter, page: { limit: number; cursor?: string }): Promise<TodoPage>;
}
