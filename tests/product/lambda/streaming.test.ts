import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Koa from 'koa';
import { lambdaHandler, streamingLambdaHandler } from '../../../infra/src/lambda';
import { awslambda, DELIMITER_LENGTH, HTTP_INTEGRATION_RESPONSE, installAwsLambdaGlobal, isStreamingHandler, runStreamingHandler } from '../../../infra/src/local/lambda-runtime';
import { createStreamsApp } from '../../support/apps/streams/app';
import { apiEvent } from '../../support/events';

const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => 29_000 };

/** Runs a streaming handler under the local runtime; returns each write's bytes, the content type and how it ended. */
async function invoke(handler: unknown, event: unknown) {
  const writes: Buffer[] = [];
  const outcome = await runStreamingHandler(handler as never, event, context, (chunk) => void writes.push(chunk));
  const all = Buffer.concat(writes);
  const at = all.indexOf(Buffer.alloc(DELIMITER_LENGTH));
  return { outcome, writes, metadata: JSON.parse(all.subarray(0, at).toString()) as Record<string, unknown>, payload: all.subarray(at + DELIMITER_LENGTH) };
}

describe('streamingLambdaHandler under the awslambda runtime contract (docs/apigateway-behaviour.md §15.4, §15.5)', () => {
  const saved = (globalThis as { awslambda?: unknown }).awslambda;
  beforeAll(() => installAwsLambdaGlobal());
  afterAll(() => ((globalThis as { awslambda?: unknown }).awslambda = saved));

  it('writes the metadata JSON, 8 null bytes, then the body as the app wrote it, with the integration-response content type', async () => {
    const handler = streamingLambdaHandler(createStreamsApp());
    expect(isStreamingHandler(handler)).toBe(true);
    const { outcome, metadata, payload, writes } = await invoke(handler, apiEvent('GET', '/live/raw', { public: true }));
    expect(outcome).toEqual({ kind: 'ended', contentType: HTTP_INTEGRATION_RESPONSE });
    // The metadata and the delimiter are the stream's first two writes, before any payload byte.
    expect(JSON.parse(writes[0]!.toString())).toEqual(metadata);
    expect(writes[1]).toEqual(Buffer.alloc(DELIMITER_LENGTH));
    expect(metadata).toEqual({ statusCode: 201, headers: { 'content-type': 'text/csv' }, multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] } });
    expect(payload.toString()).toBe('id,name\r\n1,alpha\r\n');
  });

  it('sends the status and headers before the body is produced (a stream body), and no framing headers', async () => {
    const app = new Koa();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.use((ctx) => {
      ctx.type = 'text/event-stream';
      ctx.set('Transfer-Encoding', 'chunked');
      ctx.body = Readable.from(
        (async function* () {
          yield 'data: one\n\n';
          await gate;
          yield 'data: two\n\n';
        })(),
      );
    });
    const writes: Buffer[] = [];
    let sawFirstChunk!: () => void;
    const firstChunk = new Promise<void>((resolve) => (sawFirstChunk = resolve));
    const running = runStreamingHandler(streamingLambdaHandler(app) as never, apiEvent('GET', '/events', { public: true }), context, (chunk) => {
      writes.push(chunk);
      if (chunk.toString() === 'data: one\n\n') sawFirstChunk();
    });
    await firstChunk;
    // The handler is still blocked on the gate: the metadata, the delimiter and the first event are out.
    const metadata = JSON.parse(writes[0]!.toString()) as { statusCode: number; headers: Record<string, string> };
    expect(metadata.statusCode).toBe(200);
    expect(metadata.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(metadata.headers).not.toHaveProperty('transfer-encoding');
    release();
    expect((await running).kind).toBe('ended');
    expect(Buffer.concat(writes.slice(2)).toString()).toBe('data: one\n\ndata: two\n\n');
  });

  it('reads the request as lambdaHandler does: method, path, query, headers, a base64 body', async () => {
    const app = new Koa();
    app.use(async (ctx) => {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      ctx.body = { method: ctx.method, path: ctx.path, query: ctx.query, header: ctx.get('x-test'), requestId: ctx.get('x-amzn-requestid'), body: Buffer.concat(chunks).toString('hex') };
    });
    const event = apiEvent('POST', '/things?a=1&b=2', { public: true, headers: { 'x-test': 'yes' }, body: 'hé', base64: true });
    const { metadata, payload } = await invoke(streamingLambdaHandler(app), event);
    expect(metadata.statusCode).toBe(200);
    expect(JSON.parse(payload.toString())).toMatchObject({ method: 'POST', path: '/things', query: { a: '1', b: '2' }, header: 'yes', body: Buffer.from('hé').toString('hex') });
  });

  it('drops the Content-Encoding of a request body API Gateway already decompressed, as lambdaHandler does (serverless-http#194)', async () => {
    const app = new Koa();
    app.use((ctx) => {
      ctx.body = { encoding: ctx.get('content-encoding') || null };
    });
    const gzip = apiEvent('POST', '/things', { public: true, headers: { 'content-type': 'application/json', 'Content-Encoding': 'gzip' }, body: '{}' });
    expect(JSON.parse((await invoke(streamingLambdaHandler(app), gzip)).payload.toString())).toEqual({ encoding: null });
    // A coding API Gateway does not undo stays for the app to see.
    const br = apiEvent('POST', '/things', { public: true, headers: { 'content-type': 'application/json', 'Content-Encoding': 'br' }, body: '{}' });
    expect(JSON.parse((await invoke(streamingLambdaHandler(app), br)).payload.toString())).toEqual({ encoding: 'br' });
  });

  it("keeps an awslambda the AWS SDK created first (@aws/lambda-invoke-store's { InvokeStore }) and adds the runtime's members to it", async () => {
    const holder = globalThis as { awslambda?: Record<string, unknown> };
    const before = holder.awslambda;
    const store = { marker: 'invoke-store' };
    try {
      holder.awslambda = { InvokeStore: store };
      installAwsLambdaGlobal();
      expect(holder.awslambda.InvokeStore).toBe(store);
      const { metadata, payload } = await invoke(streamingLambdaHandler(createStreamsApp()), apiEvent('GET', '/live/raw', { public: true }));
      expect([metadata.statusCode, payload.toString()]).toEqual([201, 'id,name\r\n1,alpha\r\n']);
      // An awslambda without the runtime's members: the error says what is missing, not "streamifyResponse is not a function".
      holder.awslambda = { InvokeStore: store };
      expect(() => streamingLambdaHandler(createStreamsApp())).toThrow(/the awslambda global of Lambda's Node.js runtime is missing/);
    } finally {
      holder.awslambda = before;
    }
  });

  it('rejects when the body fails after the headers went out: the stream ends early (§15.12)', async () => {
    const { outcome, payload } = await invoke(streamingLambdaHandler(createStreamsApp()), apiEvent('GET', '/live/broken', { public: true })).catch(() => ({ outcome: { kind: 'threw' }, payload: Buffer.alloc(0) }));
    expect(outcome.kind).toBe('error');
    expect(payload.toString()).toBe('partial\n');
  });

  it('lambdaHandler returns the streaming handler in a function deployed with RESPONSE_TRANSFER_MODE=STREAM, the buffered one otherwise', () => {
    process.env.RESPONSE_TRANSFER_MODE = 'STREAM';
    try {
      expect(isStreamingHandler(lambdaHandler(createStreamsApp()))).toBe(true);
    } finally {
      delete process.env.RESPONSE_TRANSFER_MODE;
    }
    expect(isStreamingHandler(lambdaHandler(createStreamsApp()))).toBe(false);
  });

  it('HttpResponseStream.from writes the metadata even when nothing else is written', async () => {
    const handler = awslambda.streamifyResponse(async (_event: never, stream, _context: never) => {
      awslambda.HttpResponseStream.from(stream, { statusCode: 204, headers: {}, multiValueHeaders: {} }).end();
    });
    const { metadata, payload } = await invoke(handler, {});
    expect(metadata).toEqual({ statusCode: 204, headers: {}, multiValueHeaders: {} });
    expect(payload.length).toBe(0);
  });
});
