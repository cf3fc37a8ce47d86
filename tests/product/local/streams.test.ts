import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppFile } from '../../../infra/src/app/load';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import type { LambdaHandler } from '../../../infra/src/local';
import { BYTE_CHUNKS, CSV, LARGE } from '../../support/apps/streams/app';
import { handler } from '../../support/apps/streams/lambda';
import { bundleDir, method, specOf, startGateway, type Started } from './support/gateway';

const STREAMS = path.resolve(__dirname, '../../support/apps/streams/app.config.ts');

const ROUTES = ['/csv/chunked', '/csv/raw', '/csv/raw-chunked', '/csv/piped', '/stream/bytes', '/stream/large', '/stream/large-chunked'];

/** GETs `url` over HTTP/1.1 and returns the status, headers and the body's raw bytes (no decoding, no fetch). */
function getBytes(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const spec = specOf(ROUTES.map((route) => method('GET', route, { apiKeyRequired: false })));

describe.each([
  ['the source handler in process', async () => startGateway({ spec, handler: handler as unknown as LambdaHandler })],
  [
    'the built bundle in a process of its own, as npm start runs it',
    async () => {
      const { file } = await bundleLambda({ app: loadAppFile(STREAMS), outDir: await bundleDir('streams-local') });
      return startGateway({ spec, functions: { local: { group: 'default', bundleFile: file, memorySize: 512, timeoutSeconds: 29 } } });
    },
  ],
])('the local gateway delivers whatever a Koa app writes byte-exact, through lambdaHandler (serverless-http#308): %s', (_name, start) => {
  let gw: Started;
  beforeAll(async () => {
    gw = await start();
  }, 120_000);
  afterAll(() => gw?.close());

  it.each(['/csv/chunked', '/csv/raw', '/csv/raw-chunked', '/csv/piped'])('%s: the client receives the CSV with its CRLFs', async (route) => {
    const res = await getBytes(`${gw.url}${route}`);
    expect(res.status).toBe(200);
    expect(res.body.toString('latin1')).toBe(Buffer.from(CSV).toString('latin1'));
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(CSV)));
  });

  it('/stream/bytes: CRLF, NUL and multibyte UTF-8 split across chunks', async () => {
    const res = await getBytes(`${gw.url}/stream/bytes`);
    expect(res.status).toBe(200);
    expect(res.body.equals(Buffer.concat(BYTE_CHUNKS))).toBe(true);
  });

  it.each(['/stream/large', '/stream/large-chunked'])('%s: a 1 MiB body', async (route) => {
    const res = await getBytes(`${gw.url}${route}`);
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(LARGE.length);
    expect(res.body.equals(LARGE)).toBe(true);
  });
});
