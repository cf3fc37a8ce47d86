/**
 * Compile-time checks of the plain app's generated client (tests/support/apps/plain: `koa-apigateway client` in its
 * project), compiled with strict tsc beside that client by tests/product/tools/client/client.test.ts, which writes it
 * as `./client.ts` next to a copy of this file. Not part of the repository's own type-check (tsconfig.json excludes
 * it: its `./client` exists only there). Never run: the calls would need a server.
 */
import { createClient, postNotesImport, type PostNotesImportInput } from './client';

/** True only for `unknown` itself (`any` and every other type give false). */
type IsUnknown<T> = unknown extends T ? ([keyof T] extends [never] ? true : false) : false;

export async function plainTypeChecks(): Promise<void> {
  const api = createClient({ baseUrl: 'http://127.0.0.1:1/dev', apiKey: 'k' });

  // POST /notes/import declares no body schema: it takes any body, or none.
  await api.postNotesImport({ body: ['first', 'second'] });
  await api.postNotesImport({ body: { anything: true } });
  await postNotesImport({ baseUrl: '' });
  // The body is `unknown` (optional), not `any` nor `never`.
  const isUnknown: IsUnknown<PostNotesImportInput['body']> = true;
  void isUnknown;

  // @ts-expect-error a declared body is still typed: title must be a string
  await api.createNote({ body: { title: 42 } });
}
