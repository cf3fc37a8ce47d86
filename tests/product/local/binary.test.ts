import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningLocal } from '../../../infra/src/local/start';
import { loadFixture, MEDIA, PARCELS } from '../../support/apps';
import { PNG } from '../../support/apps/media/app';

/**
 * `npm start` serving the media app (tests/support/apps/media, in the parcels project's stack) over real HTTP: its
 * binary media types come from the definition (`x-amazon-apigateway-binary-media-types`), as API Gateway takes them
 * from the imported body, and reach the function process as BINARY_MEDIA_TYPES (docs/binary.md). Conversions as
 * docs/apigateway-behaviour.md §5.5 (request) and §6.8 (response) describe them.
 */
const KEY = 'BinaryTestKey0123456789abcdef';
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const bundleDir = path.join(PARCELS.dir, 'dist', 'test-bundles', `binary-${process.pid}`);
let local: RunningLocal;

beforeAll(async () => {
  local = await startLocal({ root: PARCELS.dir, app: loadFixture(MEDIA), env: { PORT: '0', HOST: '127.0.0.1', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir }, out: () => {}, err: () => {}, accessLog: () => {} });
}, 120_000);
afterAll(async () => {
  await local?.stop();
  rmSync(bundleDir, { recursive: true, force: true });
});

describe('npm start: binary media types (docs/binary.md)', () => {
  it('downloads the PNG byte for byte when Accept names image/png (§6.8)', async () => {
    const res = await fetch(`${local.stageUrl}/logo`, { headers: { accept: 'image/png' } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('returns the base64 text when the first Accept type is no binary media type, as API Gateway does (§6.8)', async () => {
    const res = await fetch(`${local.stageUrl}/logo`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(PNG.toString('base64'));
  });

  it('passes a 256-byte 0x00-0xFF application/octet-stream upload to the function unchanged (serverless-http#34)', async () => {
    const res = await fetch(`${local.stageUrl}/blobs`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/octet-stream' }, body: ALL_BYTES });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sha256: createHash('sha256').update(ALL_BYTES).digest('hex'), length: 256, contentType: 'application/octet-stream' });
  });

  it('shows the binary bodies in the served OpenAPI document', async () => {
    const doc = (await (await fetch(`${local.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, any>> };
    expect(doc.paths['/logo']!.get.responses['200'].content).toEqual({ 'image/png': { schema: { type: 'string', format: 'binary' } } });
    expect(Object.keys(doc.paths['/blobs']!.post.requestBody.content)).toEqual(['application/octet-stream', 'image/*']);
  });
});
