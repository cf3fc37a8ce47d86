import http from 'node:http';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningLocal } from '../../../infra/src/local/start';
import { loadFixture, PARCELS, STREAMS } from '../../support/apps';
import { gate } from '../../support/gate';

const KEY = 'StreamingLocalKey0123456789abcdef';

/** GETs `url` with the key; resolves once the status and headers came, with the response to read chunk by chunk. */
function open(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => http.get(url, { headers: { 'x-api-key': KEY } }, resolve).on('error', reject));
}

/** The next chunk of `res`. */
function nextChunk(res: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    res.once('data', (chunk: Buffer) => {
      res.pause();
      resolve(chunk);
    });
    res.once('error', reject);
    res.resume();
  });
}

/** The rest of `res`, and whether it ended complete (`end`) or was cut (`aborted`/`error`: the chunked body's last chunk never came). */
function rest(res: http.IncomingMessage): Promise<{ body: Buffer; complete: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('end', () => resolve({ body: Buffer.concat(chunks), complete: res.complete }));
    res.once('error', () => resolve({ body: Buffer.concat(chunks), complete: false }));
    res.once('aborted', () => resolve({ body: Buffer.concat(chunks), complete: false }));
    res.resume();
  });
}

/**
 * `npm start` (startLocal) on the streams app (tests/support/apps/streams): its `stream: true` routes, in the group `live`,
 * run in a function process of their own that streams; the local gateway writes each chunk to the client as it comes
 * (docs/streaming.md, docs/apigateway-behaviour.md §15).
 */
describe('npm start streams a streamed route to the client chunk by chunk', () => {
  let local: RunningLocal;
  const bundleDir = path.join(PARCELS.dir, 'dist', 'test-bundles', `streaming-${process.pid}`);
  beforeAll(async () => {
    local = await startLocal({ root: PARCELS.dir, app: loadFixture(STREAMS), env: { PORT: '0', HOST: '127.0.0.1', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir }, out: () => {}, err: () => {}, accessLog: () => {} });
  }, 120_000);
  afterAll(async () => {
    await local?.stop();
    await rm(bundleDir, { recursive: true, force: true });
  });

  it('the client reads the status, the headers and the first chunk while the handler is still blocked before its last write', async () => {
    const g = await gate();
    try {
      const res = await open(`${local.stageUrl}/live/gated?gate=${encodeURIComponent(g.url)}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['x-live']).toBe('yes');
      // Chunked by the gateway, never a Content-Length (the length is not known yet), never compressed (§15.10).
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.headers['content-encoding']).toBeUndefined();
      const first = await nextChunk(res);
      expect(first.toString()).toBe('first\n');
      // The handler is waiting on the gate, which has not answered: its last chunk is not written yet.
      await g.requested;
      g.release('second\n');
      const tail = await rest(res);
      expect(tail.complete).toBe(true);
      expect(Buffer.concat([first, tail.body]).toString()).toBe('first\nsecond\nlast\n');
    } finally {
      await g.close();
    }
  }, 60_000);

  it('a handler writing ctx.res directly: its status, both cookies, and its body', async () => {
    const res = await open(`${local.stageUrl}/live/raw`);
    expect(res.statusCode).toBe(201);
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(res.headers['content-type']).toBe('text/csv');
    const { body, complete } = await rest(res);
    expect(complete).toBe(true);
    expect(body.toString()).toBe('id,name\r\n1,alpha\r\n');
  }, 60_000);

  it('a body that fails mid-stream: the client gets what was written, then the response ends incomplete (§15.12)', async () => {
    const res = await open(`${local.stageUrl}/live/broken`);
    expect(res.statusCode).toBe(200);
    const { body, complete } = await rest(res);
    expect(body.toString()).toBe('partial\n');
    expect(complete).toBe(false);
  }, 60_000);

  it('a buffered route of the same app is unchanged: a Content-Length, the whole body at once', async () => {
    const res = await open(`${local.stageUrl}/csv/raw`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe('26');
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect((await rest(res)).body.toString()).toBe('id,name\r\n1,alpha\r\n2,beta\r\n');
  }, 60_000);
});
