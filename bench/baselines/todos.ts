import { randomUUID } from 'node:crypto';

/** The todo the baselines store: the same fields and defaults as the service's. */
export interface Todo {
  id: string;
  title: string;
  description: string | null;
  priority: 'low' | 'medium' | 'high';
  completed: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TodoInput {
  title: string;
  description?: string | null;
  priority?: Todo['priority'];
  completed?: boolean;
}

/**
 * Returns a minimal in-memory todo store shared by the baselines, so the benchmark compares the HTTP
 * layers (framework, routing, validation, body parsing) and not the storage code.
 */
export function createTodoStore() {
  const todos = new Map<string, Todo>();
  return {
    create(input: TodoInput): Todo {
      const now = new Date().toISOString();
      const todo: Todo = {
        id: randomUUID(),
        title: input.title,
        description: input.description ?? null,
        priority: input.priority ?? 'medium',
        completed: input.completed ?? false,
        createdAt: now,
        updatedAt: now,
      };
      todos.set(todo.id, todo);
      return todo;
    },
    get(id: string): Todo | undefined {
      return todos.get(id);
    },
    list(filter: { completed?: boolean; priority?: string }, limit: number): { items: Todo[]; nextCursor: null } {
      const items: Todo[] = [];
      for (const todo of todos.values()) {
        if (items.length >= limit) break;
        if (filter.completed !== undefined && todo.completed !== filter.completed) continue;
        if (filter.priority !== undefined && todo.priority !== filter.priority) continue;
        items.push(todo);
      }
      return { items, nextCursor: null };
    },
    /** Returns the todo with `change` applied (`replace` resets omitted fields to their defaults), or undefined. */
    update(id: string, change: TodoInput | Partial<TodoInput>, replace: boolean): Todo | undefined {
      const existing = todos.get(id);
      if (!existing) return undefined;
      const next: Todo = replace
        ? { ...existing, title: (change as TodoInput).title, description: change.description ?? null, priority: change.priority ?? 'medium', completed: change.completed ?? false }
        : { ...existing, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) };
      next.updatedAt = new Date().toISOString();
      todos.set(id, next);
      return next;
    },
    delete(id: string): boolean {
      return todos.delete(id);
    },
  };
}

export const SERVICE_VERSION = '0.1.0';
