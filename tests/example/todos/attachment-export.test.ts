import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_LIMIT_BYTES } from '../../../service/todos/schemas';
import { createClient } from '../../../service/conformance/client';
import { ROOT as PROJECT_ROOT } from '../../support/files';
import { startProcess, type Started, CLI } from '../../support/process';

const KEY = 'AttachmentStartKey0123456789abc';
const PNG = readFileSync(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'attachment.png'));
const EVERY_BYTE = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Parses RFC 4180 CSV (section 2): CRLF-terminated records, fields in double quotes when they hold a comma, a quote
 * (doubled) or a line break. Throws on a record not ended by CRLF, so a bare LF between records fails the test.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      for (i++; ; i++) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') (field += '"'), i++;
        else if (text[i] === '"') break;
        else field += text[i];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') field += text[i++];
    }
    record.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) (records.push(record), (record = []), (i += 2));
    else throw new Error(`expected , or CRLF at ${i}: ${JSON.stringify(text.slice(i, i + 10))}`);
  }
  if (record.length > 0) throw new Error('last record not ended by CRLF');
  return records;
}

/**
 * Attachments and the CSV export through `npm start`: real HTTP through the local gateway, which passes a body as
 * bytes when its Content-Type is a binary media type and decodes a binary answer only when the first Accept type is
 * one (docs/apigateway-behaviour.md §5.5, §6.8), to the function processes of the example's groups, on the local
 * DynamoDB (dynalite).
 */
describe('attachments and the CSV export through npm start', () => {
  let started: Started;
  let stageUrl = '';
  let bundleDir = '';
  const api = (p: string, init: RequestInit = {}) => fetch(`${stageUrl}${p}`, { ...init, headers: { 'x-api-key': KEY, ...(init.headers as Record<string, string>) } });
  const createTodo = async (body: object) => {
    const res = await api('/api/v1/todos', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; title: string; description: string | null; priority: string; completed: boolean; createdAt: string; updatedAt: string };
  };

  beforeAll(async () => {
    bundleDir = path.join(PROJECT_ROOT, 'dist', 'test-bundles', `attachments-${process.pid}`);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir };
    delete env.TODOS_TABLE;
    delete env.AWS_ENDPOINT_URL_DYNAMODB;
    delete env.STORAGE;
    started = startProcess(process.execPath, [CLI, 'start'], { cwd: PROJECT_ROOT, env });
    stageUrl = (await started.waitFor(/Local API Gateway listening on (http:\/\/\S+)/, 120_000))[1]!;
  }, 180_000);
  afterAll(async () => {
    await started?.stop('SIGINT');
    await rm(bundleDir, { recursive: true, force: true });
  });

  it('a PNG uploaded and downloaded is byte-identical, with its media type and file name', async () => {
    const todo = await createTodo({ title: 'with a picture' });
    const put = await api(`/api/v1/todos/${todo.id}/attachment?filename=${encodeURIComponent('photo é.png')}`, { method: 'PUT', headers: { 'content-type': 'image/png', accept: 'application/json' }, body: PNG });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ id: todo.id, attachment: { name: 'photo é.png', mediaType: 'image/png', size: PNG.length, sha256: sha256(PNG) } });
    expect(put.headers.get('etag')).toBe('"2"');

    const got = await api(`/api/v1/todos/${todo.id}/attachment`, { headers: { accept: 'image/png' } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="photo _.png"; filename*=UTF-8''photo%20%C3%A9.png`);
    const bytes = Buffer.from(await got.arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(PNG));
    expect(bytes.equals(PNG)).toBe(true);

    // Without a binary first Accept API Gateway answers the base64 text, as deployed (§6.8).
    const text = await api(`/api/v1/todos/${todo.id}/attachment`, { headers: { accept: '*/*' } });
    expect(await text.text()).toBe(PNG.toString('base64'));
  }, 60_000);

  it('every byte value 0x00–0xFF survives upload and download as application/octet-stream; removal forgets it', async () => {
    const todo = await createTodo({ title: 'with bytes' });
    const put = await api(`/api/v1/todos/${todo.id}/attachment?filename=bytes.bin`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: EVERY_BYTE });
    expect(put.status).toBe(200);
    const got = await api(`/api/v1/todos/${todo.id}/attachment`, { headers: { accept: 'application/octet-stream' } });
    expect(Buffer.from(await got.arrayBuffer()).equals(EVERY_BYTE)).toBe(true);

    const removed = await api(`/api/v1/todos/${todo.id}/attachment`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(await removed.json()).not.toHaveProperty('attachment');
    const gone = await api(`/api/v1/todos/${todo.id}/attachment`, { headers: { accept: 'application/octet-stream' } });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ message: `Todo ${todo.id} has no attachment` });
  }, 60_000);

  it('refuses a file over the limit (413 naming it) and a media type not declared (415), in the error shape', async () => {
    const todo = await createTodo({ title: 'too big' });
    const big = await api(`/api/v1/todos/${todo.id}/attachment`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(ATTACHMENT_LIMIT_BYTES + 1, 7) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ message: `Request body exceeds the limit of ${ATTACHMENT_LIMIT_BYTES} bytes` });
    const exact = await api(`/api/v1/todos/${todo.id}/attachment`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(ATTACHMENT_LIMIT_BYTES, 7) });
    expect(exact.status).toBe(200);
    const text = await api(`/api/v1/todos/${todo.id}/attachment`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ message: expect.stringContaining('Unsupported Media Type'), errors: [{ path: '/content-type', in: 'header' }] });
  }, 60_000);

  it("the example's typed client uploads bytes and answers the download as a Blob of the same bytes, the streamed export as a stream of its text", async () => {
    const client = createClient({ baseUrl: stageUrl, apiKey: KEY });
    const { body: todo } = await client.createTodo({ body: { title: 'through the client' } });
    const put = await client.putTodoAttachment({ path: { id: todo.id }, query: { filename: 'photo.png' }, body: new Blob([PNG], { type: 'image/png' }) });
    expect(put.body.attachment).toEqual({ name: 'photo.png', mediaType: 'image/png', size: PNG.length, sha256: sha256(PNG) });
    const got = await client.getTodoAttachment({ path: { id: todo.id } });
    expect(got.body).toBeInstanceOf(Blob);
    expect(sha256(new Uint8Array(await got.body.arrayBuffer()))).toBe(sha256(PNG));
    await client.putTodoAttachment({ path: { id: todo.id }, body: EVERY_BYTE });
    const bytes = await client.getTodoAttachment({ path: { id: todo.id } });
    expect(Buffer.from(await bytes.body.arrayBuffer()).equals(EVERY_BYTE)).toBe(true);
    expect(bytes.headers.get('content-type')).toBe('application/octet-stream');
    const csv = await client.exportTodos();
    expect(csv.body).toBeInstanceOf(ReadableStream);
    expect(await new Response(csv.body).text()).toContain(`${todo.id},through the client,`);
  }, 60_000);

  it('exports the todos as RFC 4180 CSV that parses back to them: commas, quotes, line breaks and non-ASCII text', async () => {
    const tricky = [
      await createTodo({ title: 'Milk, eggs, "good" bread', description: 'line one\nline two\r\nline three', priority: 'high' }),
      await createTodo({ title: 'Café ☕ 日本語 😀', description: ' leading and trailing ' }),
      await createTodo({ title: '"quoted"', completed: true, priority: 'low' }),
    ];
    const res = await api('/api/v1/todos.csv', { headers: { accept: 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="todos.csv"; filename*=UTF-8''todos.csv`);
    // Streamed (the export group's `stream: true`, docs/streaming.md): the gateway sends the rows as the function writes
    // them, chunked, where a buffered answer has its whole length first.
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    const records = parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(await res.arrayBuffer()));
    expect(records[0]).toEqual(['id', 'title', 'description', 'priority', 'completed', 'createdAt', 'updatedAt', 'attachment']);
    const rows = new Map(records.slice(1).map((r) => [r[0], r]));
    for (const todo of tricky) {
      expect(rows.get(todo.id)).toEqual([todo.id, todo.title, todo.description ?? '', todo.priority, String(todo.completed), todo.createdAt, todo.updatedAt, '']);
    }
    // Every todo of the store, each once, in list order (earlier tests' included).
    const listed = (await (await api('/api/v1/todos?limit=100')).json()) as { items: Array<{ id: string }> };
    expect(records.slice(1).map((r) => r[0])).toEqual(listed.items.map((t) => t.id));

    const filtered = parseCsv(await (await api('/api/v1/todos.csv?completed=true&priority=low', { headers: { accept: 'text/csv' } })).text());
    expect(filtered.slice(1).map((r) => r[0])).toEqual([tricky[2]!.id]);
  }, 60_000);
});
