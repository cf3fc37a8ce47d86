/**
 * The example's attachment and export contract: a file uploaded to a todo comes back byte for byte (every byte value,
 * under its media type and file name), the todo names it, the CSV export streams the todo, and a removed attachment
 * is gone. The generic cases cannot check this: their valid request names a todo id they cannot know (a 404).
 * Through the typed client (./client.ts), as the todo contract.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Contract } from 'koa-apigateway';
import { createClient, NotFoundError } from './client';

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Every byte value 0x00–0xFF: decoded as text anywhere on the way, the file does not come back. */
const EVERY_BYTE = new Uint8Array(Array.from({ length: 256 }, (_, i) => i));

export const attachmentContract: Contract = {
  name: 'attachments',
  operations: ['createTodo', 'putTodoAttachment', 'getTodoAttachment', 'getTodo', 'exportTodos', 'deleteTodoAttachment', 'deleteTodo'],
  // create, upload, download, get, export, remove, download (404), get for the ETag, delete.
  plannedRequests: 9,
  async run(ctx) {
    const api = createClient({ baseUrl: ctx.baseUrl, apiKey: ctx.apiKey, fetch: ctx.fetch });
    const tag = `conformance-${randomBytes(4).toString('hex')}`;
    const sha256 = createHash('sha256').update(EVERY_BYTE).digest('hex');
    const { body: todo } = await api.createTodo({ body: { title: `${tag} attachment` } });
    const id = todo.id;
    try {
      await ctx.step('an uploaded file comes back byte for byte, with its media type and file name', async () => {
        const put = await api.putTodoAttachment({ path: { id }, query: { filename: `${tag}.bin` }, body: EVERY_BYTE, contentType: 'application/octet-stream' });
        assert(put.body.attachment?.sha256 === sha256 && put.body.attachment.size === 256, `attachment ${JSON.stringify(put.body.attachment)}`);
        const got = await api.getTodoAttachment({ path: { id } });
        const bytes = new Uint8Array(await got.body.arrayBuffer());
        assert(bytes.length === 256 && bytes.every((b, i) => b === i), `downloaded ${bytes.length} bytes that differ from the upload`);
        assert(got.headers.get('content-type') === 'application/octet-stream', `Content-Type ${got.headers.get('content-type')}`);
        assert((got.headers.get('content-disposition') ?? '').includes(`${tag}.bin`), `Content-Disposition ${got.headers.get('content-disposition')}`);
        assert((await api.getTodo({ path: { id } })).body.attachment?.name === `${tag}.bin`, 'the todo does not name its attachment');
      });

      await ctx.step('the CSV export streams the todo with its attachment', async () => {
        const csv = await new Response((await api.exportTodos()).body).text();
        const row = csv.split('\r\n').find((line) => line.startsWith(`${id},`));
        assert(row !== undefined && row.includes(`${tag} attachment`) && row.includes(`${tag}.bin`), `no row for ${id} naming its attachment`);
      });

      await ctx.step('a removed attachment is gone (404)', async () => {
        const removed = await api.deleteTodoAttachment({ path: { id } });
        assert(removed.status === 200, `status ${removed.status}`);
        try {
          await api.getTodoAttachment({ path: { id } });
        } catch (error) {
          if (error instanceof NotFoundError) return;
          throw error;
        }
        throw new Error('the removed attachment was still served');
      });
    } finally {
      const etag = (await api.getTodo({ path: { id } })).headers.get('etag') ?? '';
      await api.deleteTodo({ path: { id }, headers: { 'if-match': etag } });
    }
  },
};
