import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { brotliCompressSync, deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningLocal } from '../../../infra/src/local/start';
import { copyFixture, loadFixture, MEDIA, PARCELS } from '../../support/apps';
import { PACKED } from '../../support/apps/media/app';
import { runProcess } from '../../support/process';

/**
 * `npm start` serving the media app (tests/support/apps/media) with payload compression on (a stack setting
 * `minimumCompressionSize: 100`) and off (the parcels project's dev stack), over real HTTP: the local gateway
 * compresses as API Gateway does (docs/apigateway-behaviour.md §6.14), and an app that compresses itself reaches
 * every client readable (docs/compression.md).
 */
const MINIMUM = 100;
const project = copyFixture(PARCELS, 'compression');
const bundleDir = path.join(project, 'dist', 'test-bundles', `compression-${process.pid}`);
const KEY = 'CompressKey0123456789abcdef';
let on: RunningLocal;
let off: RunningLocal;

/** One GET over node:http, which decodes nothing: the status, the headers and the bytes as they came. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** What `curl --silent --compressed <url>` prints: curl asks `deflate, gzip, br, zstd` and decodes what comes. */
async function curlCompressed(url: string): Promise<string> {
  const run = await runProcess('curl', ['--silent', '--show-error', '--compressed', url], { cwd: project, timeoutMs: 30_000 });
  expect(run.stderr).toBe('');
  return run.stdout;
}

/** The JSON of `GET /words?size=n`: n + 11 bytes. */
const words = (n: number) => JSON.stringify({ text: 'a'.repeat(n) });

beforeAll(async () => {
  writeFileSync(path.join(project, 'Pulumi.compress.yaml'), `config:\n  aws:region: us-east-1\n  koa-apigateway:minimumCompressionSize: "${MINIMUM}"\n`);
  const quiet = { out: () => {}, err: () => {}, accessLog: () => {} };
  on = await startLocal({ root: project, app: loadFixture(MEDIA), env: { PORT: '0', HOST: '127.0.0.1', STACK: 'compress', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir }, ...quiet });
  off = await startLocal({ root: project, app: loadFixture(MEDIA), env: { PORT: '0', HOST: '127.0.0.1', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: `${bundleDir}-off` }, ...quiet });
}, 180_000);
afterAll(async () => {
  await on?.stop();
  await off?.stop();
  rmSync(project, { recursive: true, force: true });
});

describe('npm start with minimumCompressionSize: the gateway compresses as API Gateway does (§6.14)', () => {
  it('answers gzip to Accept-Encoding: gzip for a body above the threshold, with Content-Encoding and the compressed length', async () => {
    const res = await get(`${on.stageUrl}/words?size=500`, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(gunzipSync(res.body).toString('utf8')).toBe(words(500));
  });

  it('compresses a body of exactly minimumCompressionSize bytes, and not one byte less (≥)', async () => {
    const at = await get(`${on.stageUrl}/words?size=${MINIMUM - 11}`, { 'accept-encoding': 'gzip' });
    expect(at.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(at.body).toString('utf8')).toHaveLength(MINIMUM);
    const below = await get(`${on.stageUrl}/words?size=${MINIMUM - 12}`, { 'accept-encoding': 'gzip' });
    expect(below.headers['content-encoding']).toBeUndefined();
    expect(below.body.toString('utf8')).toBe(words(MINIMUM - 12));
  });

  it('answers deflate (zlib format) when asked for deflate', async () => {
    const res = await get(`${on.stageUrl}/words?size=500`, { 'accept-encoding': 'deflate' });
    expect(res.headers['content-encoding']).toBe('deflate');
    expect(inflateSync(res.body).toString('utf8')).toBe(words(500));
  });

  it('respects q-values: q=0 refuses a coding, the highest weight wins, an unsupported coding on top means none', async () => {
    const coding = async (acceptEncoding: string) => (await get(`${on.stageUrl}/words?size=500`, { 'accept-encoding': acceptEncoding })).headers['content-encoding'];
    expect(await coding('gzip;q=0, deflate')).toBe('deflate');
    expect(await coding('gzip;q=0')).toBeUndefined();
    expect(await coding('deflate;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(await coding('br')).toBeUndefined();
    expect(await coding('br;q=1, gzip;q=0.5')).toBeUndefined();
    expect(await coding('identity')).toBeUndefined();
    expect(await coding('gzip, deflate, br')).toBe('gzip');
  });

  it('does not compress without Accept-Encoding', async () => {
    const res = await get(`${on.stageUrl}/words?size=500`);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString('utf8')).toBe(words(500));
  });

  it('serves `curl --compressed` the right bytes', async () => {
    expect(await curlCompressed(`${on.stageUrl}/words?size=500`)).toBe(words(500));
  });

  it('an app that compresses itself: the client gets its JSON, compressed again by the gateway for the client’s Accept-Encoding', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await get(`${on.stageUrl}/packed?encoding=${encoding}`, { accept: '*/*', 'accept-encoding': 'gzip' });
      expect([encoding, res.status, res.headers['content-encoding']]).toEqual([encoding, 200, 'gzip']);
      expect(JSON.parse(gunzipSync(res.body).toString('utf8'))).toEqual(PACKED);
    }
    expect(JSON.parse(await curlCompressed(`${on.stageUrl}/packed?encoding=gzip`))).toEqual(PACKED);
  });
});

describe('npm start without minimumCompressionSize (API Gateway’s default: compression off)', () => {
  it('never compresses, whatever Accept-Encoding asks', async () => {
    const res = await get(`${off.stageUrl}/words?size=500`, { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString('utf8')).toBe(words(500));
  });

  it('an app that compresses itself reaches `curl --compressed` and a plain client as its JSON, not base64 text (fastify/fastify-compress#228)', async () => {
    expect(JSON.parse(await curlCompressed(`${off.stageUrl}/packed?encoding=gzip`))).toEqual(PACKED);
    const plain = await get(`${off.stageUrl}/packed?encoding=deflate`, { accept: 'application/json', 'accept-encoding': 'deflate' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString('utf8'))).toEqual(PACKED);
  });

  it('an app that compresses itself, to a client whose first Accept type is binary (image/png): the gzip bytes as the app made them (§6.8)', async () => {
    for (const local of [off, on]) {
      const res = await get(`${local.stageUrl}/packed?encoding=gzip`, { accept: 'image/png', 'accept-encoding': 'gzip' });
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(JSON.parse(gunzipSync(res.body).toString('utf8'))).toEqual(PACKED);
    }
  });
});

describe('npm start: a compressed request body (§6.15)', () => {
  const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const post = (url: string, encoding: string, body: Buffer) =>
    fetch(`${url}/blobs`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/octet-stream', 'content-encoding': encoding }, body });

  it('reaches the function decompressed (gzip, deflate), with or without minimumCompressionSize', async () => {
    const expected = { sha256: createHash('sha256').update(ALL_BYTES).digest('hex'), length: 256, contentType: 'application/octet-stream' };
    for (const local of [on, off]) {
      expect(await (await post(local.stageUrl, 'gzip', gzipSync(ALL_BYTES))).json()).toEqual(expected);
      expect(await (await post(local.stageUrl, 'deflate', deflateSync(ALL_BYTES))).json()).toEqual(expected);
    }
  });

  it('refuses a coding API Gateway does not support, or bytes that are not the coding, with 415', async () => {
    const br = await post(off.stageUrl, 'br', brotliCompressSync(ALL_BYTES));
    expect([br.status, await br.json()]).toEqual([415, { message: 'Unsupported Media Type' }]);
    expect((await post(off.stageUrl, 'gzip', ALL_BYTES)).status).toBe(415);
  });

  it('stops a body that decompresses past the 10 MB payload limit (a small gzip of zeros) with 413, and goes on serving', async () => {
    // 64 MB of zeros is ~64 KB of gzip: inflated whole it would hold the gateway (and its memory) for seconds.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 1 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    for (const [encoding, body] of [['gzip', bomb], ['deflate', deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: 1 })]] as const) {
      const refused = await post(off.stageUrl, encoding, body);
      expect([refused.status, await refused.json()]).toEqual([413, { message: 'Request Too Long' }]);
    }
    // Exactly at the limit still passes through the decompression (the function's own bodyLimit then answers).
    expect((await post(off.stageUrl, 'gzip', gzipSync(ALL_BYTES))).status).toBe(200);
  });
});
