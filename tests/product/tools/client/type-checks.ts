/**
 * Compile-time checks of the generated client (service/conformance/client.ts): compiled with
 * strict tsc by tests/product/tools/client/client.test.ts (and by `npx tsc --noEmit -p .`). Every
 * `@ts-expect-error` must be an error: if the client's types loosen, the directive itself fails.
 * Never run: the calls would need a server.
 */
import { createClient, createTodo, deleteTodo, listTodos, type ApiResponse, type Todo } from '../../../../service/conformance/client';

export async function typeChecks(): Promise<void> {
  const api = createClient({ baseUrl: 'http://127.0.0.1:1/dev', apiKey: 'k' });

  // A valid body: only the required field, defaults are optional.
  const created = await api.createTodo({ body: { title: 'x' } });
  const status: 201 = created.status;
  const todo: Todo = created.body;
  void status;
  void todo.id.toUpperCase();

  // @ts-expect-error a wrong body: title must be a string
  await api.createTodo({ body: { title: 42 } });
  // @ts-expect-error a wrong body: the required title is missing
  await api.createTodo({ body: { priority: 'high' } });
  // @ts-expect-error a wrong body: an unknown property
  await api.createTodo({ body: { title: 'x', colour: 'red' } });
  // @ts-expect-error a wrong body: priority is an enum
  await api.createTodo({ body: { title: 'x', priority: 'urgent' } });
  // @ts-expect-error the body is required
  await createTodo({ baseUrl: '' }, {});
  // @ts-expect-error the path parameter is required
  await api.getTodo({});
  // @ts-expect-error query values are typed: limit is a number
  await listTodos({ baseUrl: '' }, { query: { limit: 'ten' } });
  // @ts-expect-error a 204 has no body
  const deleted: ApiResponse<204, Todo> = await deleteTodo({ baseUrl: '' }, { path: { id: 'x' } });
  void deleted;

  // Headers are typed too: If-Match is an optional string.
  await api.updateTodo({ path: { id: 'x' }, headers: { 'if-match': '"v1"' }, body: { completed: true } });
  const page = await api.listTodos({ query: { limit: 2 } });
  const next: string | null = page.body.nextCursor;
  void next;
  // Public operations take no input.
  await api.health();
}
