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

/**
 * A todo as stored, with its version: 1 when created, +1 on every write. The version is what
 * optimistic concurrency compares (and what the API sends as the `ETag`, never in the body), so two
 * writers that read the same version cannot both succeed.
 */
export type VersionedTodo = Todo & { version: number };

/** Returns the todo without its version: the API body. */
export function withoutVersion(todo: VersionedTodo): Todo {
  const { version: _version, ...rest } = todo;
  return rest;
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

/** Thrown by `replace` and `delete` when the todo does not exist. */
export class TodoNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`Todo ${id} not found`);
    this.name = 'TodoNotFoundError';
  }
}

/** Thrown by `replace` and `delete` when the stored version is not the expected one: someone else wrote first. */
export class VersionConflictError extends Error {
  constructor(
    readonly id: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`Todo ${id} is at version ${actualVersion}, not ${expectedVersion}`);
    this.name = 'VersionConflictError';
  }
}

/**
 * Thrown when the store cannot serve the request right now (throttled, unreachable) and a retry
 * later may succeed. `retryAfterSeconds` is a hint for the client.
 */
export class StorageUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/**
 * Where todos live. Every write is all-or-nothing: an implementation never leaves a half-written todo.
 * Listing is in a stable order (createdAt, then id), so pages neither repeat nor skip items.
 * Implementations behave identically; the contract suite in tests/example/todos runs against each.
 */
export interface TodoRepository {
  /** Stores a new todo at version 1; throws TodoExistsError rather than overwrite. */
  create(todo: Todo): Promise<VersionedTodo>;
  /** Returns the todo and its version, or undefined. */
  get(id: string): Promise<VersionedTodo | undefined>;
  /**
   * Replaces an existing todo only if it is still at `expectedVersion`, and returns it at the next version.
   * Throws TodoNotFoundError (nothing written) or VersionConflictError (nothing written).
   */
  replace(todo: Todo, expectedVersion: number): Promise<VersionedTodo>;
  /**
   * Deletes the todo; with `expectedVersion`, only if it is still at that version.
   * Throws TodoNotFoundError or VersionConflictError.
   */
  delete(id: string, expectedVersion?: number): Promise<void>;
  /** Returns one page of todos matching `filter`, after `cursor`. */
  list(filter: TodoFilter, page: { limit: number; cursor?: string }): Promise<TodoPage>;
  /**
   * Stores an attachment's bytes under `key` (attachmentKey: the todo's id and the bytes' SHA-256), replacing what
   * was there. Kept apart from the todo, so a list never reads them; the todo names them by its `attachment`.
   */
  putAttachment(key: string, bytes: Buffer): Promise<void>;
  /** Returns the bytes stored under `key`, or undefined. */
  getAttachment(key: string): Promise<Buffer | undefined>;
  /** Deletes the bytes stored under `key`; nothing when there are none. */
  deleteAttachment(key: string): Promise<void>;
}

/**
 * Returns where an attachment's bytes are kept: `<todo id>#attachment#<sha256>`. Content-addressed, so two uploads
 * racing each write their own bytes, and the todo's `attachment` (whichever write won) names exactly its own.
 */
export function attachmentKey(todoId: string, sha256: string): string {
  return `${todoId}#attachment#${sha256}`;
}
