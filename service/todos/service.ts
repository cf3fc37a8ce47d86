import { createHash, randomUUID } from 'node:crypto';
import { HttpError, notFound } from 'koa-apigateway/route';
import { formatETag, ifMatchAccepts } from './etag';
import {
  InvalidCursorError,
  StorageUnavailableError,
  TodoExistsError,
  TodoNotFoundError,
  VersionConflictError,
  type TodoFilter,
  type TodoPage,
  type TodoRepository,
  type VersionedTodo,
  attachmentKey,
} from './repository';
import type { Attachment, Todo, TodoCreate, TodoPatch, TodoReplace } from './schemas';

/** An attachment to store: its bytes, name and media type. */
export interface AttachmentUpload {
  name: string;
  mediaType: string;
  bytes: Buffer;
}

/** Preconditions a write may carry. */
export interface WriteConditions {
  /** The request's `If-Match` header: the write applies only if the todo is still at one of these ETags. */
  ifMatch?: string;
}

/** Read-modify-write attempts before giving up when other writers keep changing the same todo. */
const MAX_WRITE_ATTEMPTS = 8;

/**
 * The todo use cases: ids and timestamps are assigned here, storage is the repository's.
 * Every write is conditional on the version it read, so concurrent writers never overwrite each other
 * silently: with `If-Match` a lost race is a 412; without it the change is re-applied to the newer version.
 */
export class TodoService {
  constructor(
    private readonly repository: TodoRepository,
    private readonly now: () => Date = () => new Date(),
    private readonly newId: () => string = randomUUID,
  ) {}

  /** Returns the created todo with its version. */
  async create(input: TodoCreate): Promise<VersionedTodo> {
    const todo = this.newTodo(input, this.newId());
    return guard(() => this.repository.create(todo));
  }

  /** Returns the todo `input` creates under `id`: the defaults applied, created and updated now. */
  private newTodo(input: TodoCreate, id: string): Todo {
    const timestamp = this.now().toISOString();
    return {
      id,
      title: input.title,
      description: input.description ?? null,
      priority: input.priority ?? 'medium',
      completed: input.completed ?? false,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
  }

  /**
   * Creates the todo once per `idempotencyKey` (draft-ietf-httpapi-idempotency-key-header): the todo's id is
   * derived from the key, so a retry of a create that was applied (its answer lost, or a 503 after the write
   * reached storage) finds the todo the first attempt made. Returns it with `replayed: true` when it existed;
   * throws 422 naming the header when the key was first used with another body (compared while the todo is at
   * version 1: once changed, the todo as it is now is the answer). Keys are never forgotten, but a deleted todo
   * frees its key.
   */
  async createOnce(input: TodoCreate, idempotencyKey: string): Promise<{ todo: VersionedTodo; replayed: boolean }> {
    const todo = this.newTodo(input, idFromIdempotencyKey(idempotencyKey));
    try {
      return { todo: await guard(() => this.repository.create(todo)), replayed: false };
    } catch (err) {
      if (!(err instanceof TodoExistsError)) throw err;
    }
    const existing = await guard(() => this.repository.get(todo.id));
    // Deleted between the two calls: the key is free again, and this create is the one that counts.
    if (!existing) return this.createOnce(input, idempotencyKey);
    const same = existing.title === todo.title && existing.description === todo.description && existing.priority === todo.priority && existing.completed === todo.completed;
    if (existing.version === 1 && !same) {
      throw new HttpError(422, 'Idempotency-Key was already used with another request body', {
        errors: [{ path: '/idempotency-key', message: 'was first used to create a todo with another body: send a new key for a new todo', in: 'header' }],
      });
    }
    return { todo: existing, replayed: true };
  }

  /** Returns the todo with its version, or throws 404. */
  async get(id: string): Promise<VersionedTodo> {
    const todo = await guard(() => this.repository.get(id));
    if (!todo) throw todoNotFound(id);
    return todo;
  }

  /** Returns the todo after replacing every writable field, or throws 404 / 412. */
  async replace(id: string, input: TodoReplace, conditions: WriteConditions = {}): Promise<VersionedTodo> {
    return this.update(id, conditions, (existing) => ({
      ...existing,
      title: input.title,
      description: input.description ?? null,
      priority: input.priority ?? 'medium',
      completed: input.completed ?? false,
    }));
  }

  /** Returns the todo after changing only the given fields, or throws 404 / 412. */
  async patch(id: string, input: TodoPatch, conditions: WriteConditions = {}): Promise<VersionedTodo> {
    return this.update(id, conditions, (existing) => ({
      ...existing,
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.priority !== undefined && { priority: input.priority }),
      ...(input.completed !== undefined && { completed: input.completed }),
    }));
  }

  /** Deletes the todo (and its attachment's bytes) or throws 404 / 412. */
  async delete(id: string, conditions: WriteConditions = {}): Promise<void> {
    await guard(async () => {
      try {
        // `*` only requires that the todo exists: the same condition as no If-Match. The read finds the attachment
        // whose bytes go too (one replaced in between stays unreferenced: a cost, never a wrong answer).
        if (conditions.ifMatch === undefined || isWildcard(conditions.ifMatch)) {
          const existing = await this.repository.get(id);
          await this.repository.delete(id);
          if (existing?.attachment) await this.forget(id, existing.attachment);
          return;
        }
        const existing = await this.get(id);
        checkIfMatch(id, conditions.ifMatch, existing.version);
        await this.repository.delete(id, existing.version);
        if (existing.attachment) await this.forget(id, existing.attachment);
      } catch (err) {
        if (err instanceof TodoNotFoundError) throw todoNotFound(id);
        if (err instanceof VersionConflictError) throw preconditionFailed(id, err.actualVersion);
        throw err;
      }
    });
  }

  /**
   * Attaches a file to the todo, replacing the one it had, and returns the todo (its `attachment` shows the new
   * one). The bytes are stored first, under their own key (attachmentKey), then the todo is changed to name them
   * (conditional on its version, as every write): a todo never names bytes that are not stored. The bytes it named
   * before are deleted afterwards; a failure there leaves them unreferenced, never a todo without its bytes.
   * Throws 404 / 412 as `patch` does.
   */
  async attach(id: string, upload: AttachmentUpload, conditions: WriteConditions = {}): Promise<VersionedTodo> {
    await this.get(id);
    const attachment: Attachment = { name: upload.name, mediaType: upload.mediaType, size: upload.bytes.length, sha256: createHash('sha256').update(upload.bytes).digest('hex') };
    await guard(() => this.repository.putAttachment(attachmentKey(id, attachment.sha256), upload.bytes));
    let previous: Attachment | undefined;
    let todo: VersionedTodo;
    try {
      todo = await this.update(id, conditions, (existing) => {
        previous = existing.attachment;
        return { ...existing, attachment };
      });
    } catch (err) {
      // Not named (404, 412, 503): the bytes just stored go, unless the todo names the same bytes (the same file,
      // uploaded before). When that cannot be read, they stay: unreferenced bytes cost storage, never an answer.
      const current = await this.repository.get(id).then((t) => ({ named: t?.attachment?.sha256 }), () => undefined);
      if (current && current.named !== attachment.sha256) await this.forget(id, attachment);
      throw err;
    }
    if (previous && previous.sha256 !== attachment.sha256) await this.forget(id, previous);
    return todo;
  }

  /** Returns the todo's attachment and its bytes, or throws 404 (no such todo, or it has no attachment). */
  async attachment(id: string): Promise<{ attachment: Attachment; bytes: Buffer }> {
    const { attachment } = await this.get(id);
    if (!attachment) throw notFound(`Todo ${id} has no attachment`);
    const bytes = await guard(() => this.repository.getAttachment(attachmentKey(id, attachment.sha256)));
    // Replaced between the two reads (its bytes deleted once the new ones were named): the client may read again.
    if (!bytes) throw new HttpError(503, `The attachment of todo ${id} is being replaced; retry`, { headers: { 'Retry-After': '1' } });
    return { attachment, bytes };
  }

  /** Removes the todo's attachment (the todo, then its bytes) and returns the todo, or throws 404 (none) / 412. */
  async detach(id: string, conditions: WriteConditions = {}): Promise<VersionedTodo> {
    let previous: Attachment | undefined;
    const todo = await this.update(id, conditions, (existing) => {
      previous = existing.attachment;
      if (!previous) throw notFound(`Todo ${id} has no attachment`);
      const { attachment: _attachment, ...rest } = existing;
      return rest;
    });
    if (previous) await this.forget(id, previous);
    return todo;
  }

  /** Deletes bytes no todo names any more; a failure leaves them unreferenced (a cost, never a wrong answer). */
  private async forget(id: string, attachment: Attachment): Promise<void> {
    try {
      await this.repository.deleteAttachment(attachmentKey(id, attachment.sha256));
    } catch {
      // Unreferenced bytes are never read: nothing the client sees depends on this delete.
    }
  }

  /** Returns one page of todos; a cursor this API did not issue is a 400 naming `cursor`. */
  async list(filter: TodoFilter, page: { limit: number; cursor?: string }): Promise<TodoPage> {
    try {
      return await guard(() => this.repository.list(filter, page));
    } catch (err) {
      if (err instanceof InvalidCursorError) {
        throw new HttpError(400, 'Invalid request parameters', { errors: [{ path: '/cursor', message: 'is not a cursor issued by this API', in: 'query' }] });
      }
      throw err;
    }
  }

  /** Reads the todo, applies `change`, and writes it back only if nobody wrote in between. */
  private async update(id: string, conditions: WriteConditions, change: (existing: Todo) => Todo): Promise<VersionedTodo> {
    for (let attempt = 1; ; attempt++) {
      const { version, ...existing } = await this.get(id);
      if (conditions.ifMatch !== undefined) checkIfMatch(id, conditions.ifMatch, version);
      const next = { ...change(existing), id, createdAt: existing.createdAt, updatedAt: this.now().toISOString() };
      try {
        return await guard(() => this.repository.replace(next, version));
      } catch (err) {
        if (err instanceof TodoNotFoundError) throw todoNotFound(id);
        if (!(err instanceof VersionConflictError)) throw err;
        // The client named the version it read: that version is gone, so its change must not apply.
        if (conditions.ifMatch !== undefined && !isWildcard(conditions.ifMatch)) throw preconditionFailed(id, err.actualVersion);
        if (attempt >= MAX_WRITE_ATTEMPTS) {
          throw new HttpError(503, `Todo ${id} is being changed by other requests; retry`, { headers: { 'Retry-After': '1' } });
        }
        // A little jitter so writers that collided do not collide again in lockstep.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }
}

/** Runs a repository call, turning "the store is busy or unreachable" into a 503 with Retry-After. */
async function guard<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof StorageUnavailableError) {
      throw new HttpError(503, 'Service Unavailable: storage is busy, retry later', { headers: { 'Retry-After': String(err.retryAfterSeconds) } });
    }
    throw err;
  }
}

function isWildcard(ifMatch: string): boolean {
  return ifMatch.trim() === '*';
}

function checkIfMatch(id: string, ifMatch: string, version: number): void {
  if (!ifMatchAccepts(ifMatch, version)) throw preconditionFailed(id, version);
}

function preconditionFailed(id: string, currentVersion: number): HttpError {
  return new HttpError(412, `Precondition Failed: todo ${id} has changed since the given ETag`, {
    errors: [{ path: '/if-match', message: `does not match the current ETag ${formatETag(currentVersion)}`, in: 'header' }],
    headers: { ETag: formatETag(currentVersion) },
  });
}

function todoNotFound(id: string): HttpError {
  return notFound(`Todo ${id} not found`);
}

/**
 * Returns the todo id for an Idempotency-Key: a UUID version 8 (RFC 9562 §5.8, "custom") made of the key's
 * SHA-256, so the same key always names the same todo and different keys never meet in practice.
 */
export function idFromIdempotencyKey(key: string): string {
  const bytes = createHash('sha256').update(`todos idempotency-key\n${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
