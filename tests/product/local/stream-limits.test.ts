import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppFile } from '../../../infra/src/app/load';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { streamingLambdaHandler } from '../../../infra/src/lambda/streaming';
import type { LambdaHandler } from '../../../infra/src/local';
import { awslambda, installAwsLambdaGlobal } from '../../../infra/src/local/lambda-runtime';
import { STREAMS } from '../../support/apps';
import { createStreamsApp } from '../../support/apps/streams/app';
import { bundleDir, method, specOf, startGateway, type Started } from './support/gateway';

/** A loopback server that never answers until closed: the gated route's handler waits on it for good. */
async function neverGate(): Promise<{ url: string; close(): Promise<void> }> {
  const held: http.ServerResponse[] = [];
  const server = http.createServer((_req, res) => void held.push(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => {
      for (const res of held) res.end('late\n');
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** GETs `url`; resolves with the status, the body received and whether it ended complete. */
function get(url: string): Promise<{ status: number; body: string; complete: boolean; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) =>
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        const done = (complete: boolean) => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), complete, ms: Date.now() - started });
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => done(res.complete));
        res.once('aborted', () => done(false));
        res.once('error', () => done(false));
      })
      .on('error', reject),
  );
}

const spec = specOf([method('GET', '/live/gated', { apiKeyRequired: false, stream: true }), method('GET', '/bulk', { apiKeyRequired: false, stream: true })]);

/** An app streaming 30 chunks of 1,000 bytes at once (GET /bulk), and the streams app's routes. */
function bulkApp(): Koa {
  const app = createStreamsApp();
  app.use((ctx, next) => {
    if (ctx.path !== '/bulk') return next();
    ctx.type = 'application/octet-stream';
    ctx.body = Readable.from(Array.from({ length: 30 }, () => Buffer.alloc(1000, 97)));
    return undefined;
  });
  return app;
}

describe("the local gateway keeps a streamed response within API Gateway's stream limits (docs/apigateway-behaviour.md §15.8, §15.9)", () => {
  let gw: Started;
  let gate: Awaited<ReturnType<typeof neverGate>>;
  beforeAll(async () => {
    installAwsLambdaGlobal();
    gate = await neverGate();
    gw = await startGateway({ spec, handler: streamingLambdaHandler(bulkApp()) as unknown as LambdaHandler, streamLimits: { idleTimeoutMs: 300, unthrottledBytes: 10_000, throttledBytesPerSecond: 50_000 } });
  });
  afterAll(async () => {
    await gw?.close();
    await gate?.close();
  });

  it('ends a stream idle past the idle timeout: the client has the first chunk, then an incomplete response', async () => {
    const res = await get(`${gw.url}/live/gated?gate=${encodeURIComponent(gate.url)}`);
    expect(res.status).toBe(200);
    expect(res.body).toBe('first\n');
    expect(res.complete).toBe(false);
    expect(gw.errors.join('\n')).toMatch(/The streamed response ended early: no payload for 300 ms: the stream's idle timeout/);
  });

  it('sends the first bytes unthrottled, the rest at the throttled rate', async () => {
    const res = await get(`${gw.url}/bulk`);
    expect(res.complete).toBe(true);
    expect(res.body.length).toBe(30_000);
    // 20,000 bytes past the first 10,000 at 50,000 B/s: at least 400 ms.
    expect(res.ms).toBeGreaterThanOrEqual(390);
  });
});

describe('a streamed function past its own timeout, in its own process', () => {
  let gw: Started;
  let gate: Awaited<ReturnType<typeof neverGate>>;
  beforeAll(async () => {
    gate = await neverGate();
    const { file } = await bundleLambda({ app: loadAppFile(STREAMS.descriptor), outDir: await bundleDir('streams-timeout') });
    gw = await startGateway({ spec, functions: { local: { group: 'default', bundleFile: file, memorySize: 256, timeoutSeconds: 1, stream: true } } });
  }, 120_000);
  afterAll(async () => {
    await gw?.close();
    await gate?.close();
  });

  it('ends the response early, after the chunks written, and logs Task timed out', async () => {
    const res = await get(`${gw.url}/live/gated?gate=${encodeURIComponent(gate.url)}`);
    expect(res.status).toBe(200);
    expect(res.body).toBe('first\n');
    expect(res.complete).toBe(false);
    expect(gw.errors.join('\n')).toMatch(/Task timed out after 1\.00 seconds/);
  }, 30_000);
});

describe('a streaming function that fails before its metadata (docs/apigateway-behaviour.md §15.13)', () => {
  let gw: Started;
  beforeAll(async () => {
    installAwsLambdaGlobal();
    const failing = awslambda.streamifyResponse(async () => {
      throw new Error('failed before the metadata');
    });
    gw = await startGateway({ spec, handler: failing as unknown as LambdaHandler });
  });
  afterAll(() => gw?.close());

  it('answers the buffered integration failure, 502 Internal server error, and logs the error', async () => {
    const res = await get(`${gw.url}/bulk`);
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body)).toEqual({ message: 'Internal server error' });
    expect(gw.errors.join('\n')).toMatch(/failed before the metadata/);
  });
});
