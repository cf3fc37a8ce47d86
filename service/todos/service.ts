import { randomUUID } from 'node:crypto';
import { HttpError, notFound } from '../http/errors';
import { InvalidCursorError, type TodoFilter, type TodoPage, type TodoRepository } from './repository';
import type { Todo, TodoCreate, TodoPatch, TodoReplace } from './schemas';

/** The todo use cases: ids and timestamps are assigned here, storage is the repository's. */
export class TodoService {
  constructor(
    private readonly repository: TodoRepository,
    private readonly now: () => Date = () => new Date(),
    private readonly newId: () => string = randomUUID,
  ) {}

  /** Returns the created todo. */
  async create(input: TodoCreate): Promise<Todo> {
    const timestamp = this.now().toISOString();
    return this.repository.create({
      id: this.newId(),
      title: input.title,
      description: input.description ?? null,
      priority: input.priority ?? 'medium',
      completed: input.completed ?? false,
      createdAt: timestamp,
      updatedAt: timestamp,
    });
  }

  /** Returns the todo or throws 404. */
  async get(id: string): Promise<Todo> {
    const todo = await this.repository.get(id);
    if (!todo) throw todoNotFound(id);
    return todo;
  }

  /** Returns the todo after replacing every writable field, or throws 404. */
  async replace(id: string, input: TodoReplace): Promise<Todo> {
    const existing = await this.get(id);
    const replaced = await this.repository.replace({
      ...existing,
      title: input.title,
      description: input.description ?? null,
      priority: input.priority ?? 'medium',
      completed: input.completed ?? false,
      updatedAt: this.now().toISOString(),
    });
    if (!replaced) throw todoNotFound(id);
    return replaced;
  }

  /** Returns the todo after changing only the given fields, or throws 404. */
  async patch(id: string, input: TodoPatch): Promise<Todo> {
    const existing = await this.get(id);
    const patched = await this.repository.replace({
      ...existing,
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.priority !== undefined && { priority: input.priority }),
      ...(input.completed !== undefined && { completed: input.completed }),
      updatedAt: this.now().toISOString(),
    });
    if (!patched) throw todoNotFound(id);
    return patched;
  }

  /** Deletes the todo or throws 404. */
  async delete(id: string): Promise<void> {
    if (!(await this.repository.delete(id))) throw todoNotFound(id);
  }

  /** Returns one page of todos; a cursor this API did not issue is a 400 naming `cursor`. */
  async list(filter: TodoFilter, page: { limit: number; cursor?: string }): Promise<TodoPage> {
    try {
      return await this.repository.list(filter, page);
    } catch (err) {
      if (err instanceof InvalidCursorError) {
        throw new HttpError(400, 'Invalid request parameters', { errors: [{ path: '/cursor', message: 'is not a cursor issued by this API', in: 'query' }] });
      }
      throw err;
    }
  }
}

function todoNotFound(id: string): HttpError {
  return notFound(`Todo ${id} not found`);
}
