/**
 * Compile-time checks of a generated client (the parcels app's: `koa-apigateway client` in its project), compiled
 * with strict tsc beside that client by tests/product/tools/client/client.test.ts, which writes it as `./client.ts`
 * next to a copy of this file. Not part of the repository's own type-check (tsconfig.json excludes it: its
 * `./client` exists only there). Every `@ts-expect-error` must be an error: if the client's types loosen, the
 * directive itself fails. Never run: the calls would need a server.
 */
import { createClient, createParcel, deleteParcel, listParcels, type ApiResponse, type Parcel } from './client';

export async function typeChecks(): Promise<void> {
  const api = createClient({ baseUrl: 'http://127.0.0.1:1/dev', apiKey: 'k' });

  // A valid body: only the required field, defaults are optional.
  const created = await api.createParcel({ body: { recipient: 'x' } });
  const status: 201 = created.status;
  const parcel: Parcel = created.body;
  void status;
  void parcel.id.toUpperCase();

  // @ts-expect-error a wrong body: recipient must be a string
  await api.createParcel({ body: { recipient: 42 } });
  // @ts-expect-error a wrong body: the required recipient is missing
  await api.createParcel({ body: { size: 'L' } });
  // @ts-expect-error a wrong body: an unknown property
  await api.createParcel({ body: { recipient: 'x', colour: 'red' } });
  // @ts-expect-error a wrong body: size is an enum
  await api.createParcel({ body: { recipient: 'x', size: 'XL' } });
  // @ts-expect-error the body is required
  await createParcel({ baseUrl: '' }, {});
  // @ts-expect-error the path parameter is required
  await api.getParcel({});
  // @ts-expect-error query values are typed: limit is a number
  await listParcels({ baseUrl: '' }, { query: { limit: 'ten' } });
  // @ts-expect-error a 204 has no body
  const deleted: ApiResponse<204, Parcel> = await deleteParcel({ baseUrl: '' }, { path: { id: 'x' } });
  void deleted;

  // Headers are typed too: If-Match is an optional string.
  await api.updateParcel({ path: { id: 'x' }, headers: { 'if-match': '"v1"' }, body: { express: true } });
  const page = await api.listParcels({ query: { limit: 2 } });
  const total: number = page.body.total;
  void total;
  // Public operations take no input.
  await api.health();
}
