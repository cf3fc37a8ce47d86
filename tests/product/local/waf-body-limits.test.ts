import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningLocal } from '../../../infra/src/local/start';
import { copyFixture, loadFixture, MEDIA, PARCELS } from '../../support/apps';
import { NAMED_BLOB_LIMIT } from '../../support/apps/media/app';

/**
 * `npm start` serving the media app with `waf` on in the stack, over real HTTP: the web ACL's body-limit rule of
 * `PUT /blobs/{name}` (bodyLimit 1024) answers 413 in the API's error shape from the gateway, before the function,
 * when the Content-Length is past the limit; at the limit the request reaches the function (docs/edge.md).
 */
const project = copyFixture(PARCELS, 'waf-body-limits');
const bundleDir = path.join(project, 'dist', 'test-bundles', `waf-body-limits-${process.pid}`);
const KEY = 'WafBodyLimitKey0123456789abcdef';
let on: RunningLocal;
let off: RunningLocal;

/** One request over node:http with exactly the Content-Length given (the body's length unless `contentLength`). */
function put(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'PUT', headers: { 'x-api-key': KEY, 'content-type': 'application/octet-stream', 'content-length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  writeFileSync(path.join(project, 'Pulumi.waf.yaml'), 'config:\n  aws:region: us-east-1\n  koa-apigateway:waf: "true"\n');
  const quiet = { out: () => {}, err: () => {} };
  on = await startLocal({ root: project, app: loadFixture(MEDIA), env: { PORT: '0', HOST: '127.0.0.1', STACK: 'waf', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir }, ...quiet, accessLog: () => {} });
  off = await startLocal({ root: project, app: loadFixture(MEDIA), env: { PORT: '0', HOST: '127.0.0.1', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: `${bundleDir}-off` }, ...quiet, accessLog: () => {} });
}, 180_000);
afterAll(async () => {
  await on?.stop();
  await off?.stop();
  rmSync(project, { recursive: true, force: true });
});

describe("npm start with waf: the web ACL's body-limit rule", () => {
  const limitBody = '{"message":"Request body exceeds the limit of 1024 bytes"}';

  it('answers 413 with the JSON error naming the limit, from the gateway, when Content-Length is past the bodyLimit', async () => {
    const res = await put(`${on.stageUrl}/blobs/photo`, Buffer.alloc(NAMED_BLOB_LIMIT + 1, 7));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe(limitBody);
    // Not the function's answer: no integration ran, so none of the headers API Gateway adds to one.
    expect(res.headers['x-amzn-trace-id']).toBeUndefined();
  });

  it('lets a body of exactly the limit reach the function', async () => {
    const res = await put(`${on.stageUrl}/blobs/photo`, Buffer.alloc(NAMED_BLOB_LIMIT, 7));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ length: NAMED_BLOB_LIMIT });
  });

  it('reads a zero-padded Content-Length as its number', async () => {
    const body = Buffer.alloc(NAMED_BLOB_LIMIT + 1, 7);
    const res = await put(`${on.stageUrl}/blobs/photo`, body, { 'content-length': `000${body.length}` });
    expect(res.status).toBe(413);
    expect(res.text).toBe(limitBody);
    expect(res.headers['x-amzn-trace-id']).toBeUndefined();
  });

  it('leaves other routes alone (POST /blobs declares no bodyLimit)', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${on.stageUrl}/blobs`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/octet-stream' } }, (r) => {
        r.resume();
        resolve(r.statusCode!);
      });
      req.on('error', reject);
      req.end(Buffer.alloc(NAMED_BLOB_LIMIT * 4, 1));
    });
    expect(res).toBe(200);
  });
});

describe('npm start without waf', () => {
  it('leaves the limit to the function, whose own 413 says the same', async () => {
    const res = await put(`${off.stageUrl}/blobs/photo`, Buffer.alloc(NAMED_BLOB_LIMIT + 1, 7));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({ message: 'Request body exceeds the limit of 1024 bytes' });
    expect(res.headers['x-amzn-trace-id']).toBeDefined();
  });
});
