import type { Contract } from 'koa-apigateway';

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/**
 * The parcels app's conformance contract: what it promises beyond its schemas, as a flow (create → get →
 * update with If-Match → a stale If-Match is 412 → delete → 404). `npm run conformance` runs it after the
 * generated cases; each response is also checked against the document.
 */
export const parcelsContract: Contract = {
  name: 'parcels',
  operations: ['createParcel', 'getParcel', 'updateParcel', 'deleteParcel'],
  plannedRequests: 6,
  async run(ctx) {
    const call = (method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) =>
      ctx.fetch(`${ctx.baseUrl}${path}`, {
        method,
        headers: { 'x-api-key': ctx.apiKey, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
    let id = '';
    let etag = '';
    let stale = '';

    await ctx.step('create returns 201 with Location and ETag', async () => {
      const res = await call('POST', '/parcels', { body: { recipient: 'conformance', size: 'S' } });
      assert(res.status === 201, `status ${res.status}`);
      const parcel = (await res.json()) as { id: string; recipient: string; size: string; express: boolean };
      assert(parcel.recipient === 'conformance' && parcel.size === 'S' && parcel.express === false, `unexpected parcel ${JSON.stringify(parcel)}`);
      id = parcel.id;
      etag = res.headers.get('etag') ?? '';
      assert(etag, 'no ETag header');
      const location = res.headers.get('location') ?? '';
      assert(location.endsWith(`/parcels/${id}`), `Location ${JSON.stringify(location)} does not name the new parcel`);
    });
    if (!id) return;

    await ctx.step('get returns the same parcel and ETag', async () => {
      const res = await call('GET', `/parcels/${id}`);
      assert(res.status === 200, `status ${res.status}`);
      assert(((await res.json()) as { id: string }).id === id, 'another parcel');
      assert(res.headers.get('etag') === etag, `ETag ${res.headers.get('etag')} differs from ${etag}`);
    });

    await ctx.step('update with the current If-Match applies and changes the ETag', async () => {
      const res = await call('PATCH', `/parcels/${id}`, { body: { status: 'shipped' }, headers: { 'if-match': etag } });
      assert(res.status === 200, `status ${res.status}`);
      assert(((await res.json()) as { status: string }).status === 'shipped', 'status not set');
      stale = etag;
      etag = res.headers.get('etag') ?? '';
      assert(etag && etag !== stale, `the ETag did not change (${etag})`);
    });

    await ctx.step('update with a stale If-Match is 412 Precondition Failed', async () => {
      const res = await call('PATCH', `/parcels/${id}`, { body: { note: 'lost update' }, headers: { 'if-match': stale } });
      assert(res.status === 412, `status ${res.status}`);
      await res.text();
    });

    await ctx.step('delete, then get is 404', async () => {
      const deleted = await call('DELETE', `/parcels/${id}`);
      assert(deleted.status === 204, `status ${deleted.status}`);
      const gone = await call('GET', `/parcels/${id}`);
      assert(gone.status === 404, `status ${gone.status} after delete`);
      await gone.text();
    });
  },
};
