import { PassThrough, Readable } from 'node:stream';
import Router from '@koa/router';
import Koa from 'koa';
import { route } from 'koa-apigateway/route';

/** The CSV of serverless-http#308's report: its lines end in CRLF, which a chunked-framing parser mistakes for framing. */
export const CSV = 'id,name\r\n1,alpha\r\n2,beta\r\n';

/**
 * The chunks GET /stream/bytes sends: CRLF, NUL, a "€" (e2 82 ac) and a "😀" (f0 9f 98 80) each split across two
 * chunks, and a bare CR then LF in separate chunks. Valid UTF-8 once joined, so it survives a text proxy body.
 */
export const BYTE_CHUNKS: readonly Buffer[] = [
  Buffer.from('a\r\nb\0c'),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xac, 0x0d]),
  Buffer.from([0x0a, 0xf0, 0x9f]),
  Buffer.from([0x98, 0x80, 0x00]),
  Buffer.from('\r\n0\r\n\r\n'),
];

/** The body of GET /stream/large: 1 MiB of CSV lines (more than any single chunk Node or Koa writes). */
export const LARGE = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i % 16 === 14 ? '\r' : i % 16 === 15 ? '\n' : String.fromCharCode(97 + (i % 13)))).join(''));

/** The chunks GET /stream/large and GET /stream/large-chunked stream: LARGE in 64 KiB pieces. */
function largeChunks(): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < LARGE.length; at += 65_536) chunks.push(LARGE.subarray(at, at + 65_536));
  return chunks;
}

/**
 * A Koa app that writes its responses every way Koa allows, for the byte-exactness tests of the Lambda adapter and
 * the local gateway (issue 25, serverless-http#308). Plain routes, no schemas: the route kit is not under test.
 * - GET /csv/chunked: `Transfer-Encoding: chunked` set, the CSV as `ctx.body`;
 * - GET /csv/raw: `ctx.respond = false`, `writeHead`, two `write`s and `end` on `ctx.res` (no Transfer-Encoding);
 * - GET /csv/raw-chunked: the same with `Transfer-Encoding: chunked` in `writeHead`;
 * - GET /csv/piped: a Readable piped into `ctx.res` after `writeHead` with `Transfer-Encoding: chunked`;
 * - GET /stream/bytes: `ctx.body = Readable.from(BYTE_CHUNKS)`;
 * - GET /stream/large: `ctx.body` a Readable of LARGE; GET /stream/large-chunked: LARGE piped into `ctx.res`, chunked.
 * Streamed routes (`stream: true`, in the function group `live`: docs/streaming.md):
 * - GET /live/gated?gate=URL: `text/plain`, `x-live: yes`; writes `first\n`, then waits for a GET of `gate` (a
 *   test's server, which answers once the test has read the first chunk) and writes its answer, then `last\n`;
 * - GET /live/broken: writes `partial\n`, then its body stream fails;
 * - GET /live/raw: 201, `writeHead` and `write` on `ctx.res`, two cookies, then `end`.
 */
export function createStreamsApp(): Koa {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  const piped = (ctx: Koa.Context, chunks: Iterable<string | Buffer>, type: string) => {
    ctx.respond = false;
    ctx.res.writeHead(200, { 'Content-Type': type, 'Transfer-Encoding': 'chunked' });
    return new Promise<void>((resolve, reject) => {
      Readable.from(chunks).on('error', reject).pipe(ctx.res).on('finish', resolve).on('error', reject);
    });
  };
  router.get('/csv/chunked', (ctx) => {
    ctx.set('Transfer-Encoding', 'chunked');
    ctx.type = 'text/csv';
    ctx.body = CSV;
  });
  router.get('/csv/raw', (ctx) => {
    ctx.respond = false;
    ctx.res.writeHead(200, { 'Content-Type': 'text/csv' });
    ctx.res.write('id,name\r\n');
    ctx.res.write('1,alpha\r\n2,beta\r\n');
    ctx.res.end();
  });
  router.get('/csv/raw-chunked', (ctx) => {
    ctx.respond = false;
    ctx.res.writeHead(200, { 'Content-Type': 'text/csv', 'Transfer-Encoding': 'chunked' });
    ctx.res.write('id,name\r\n');
    ctx.res.write('1,alpha\r\n2,beta\r\n');
    ctx.res.end();
  });
  router.get('/csv/piped', (ctx) => piped(ctx, ['id,name\r\n', '1,alpha\r\n', '2,beta\r\n'], 'text/csv'));
  router.get('/stream/bytes', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = Readable.from(BYTE_CHUNKS);
  });
  router.get('/stream/large', (ctx) => {
    ctx.type = 'text/csv';
    ctx.body = Readable.from(largeChunks());
  });
  router.get('/stream/large-chunked', (ctx) => piped(ctx, largeChunks(), 'text/csv'));
  router.get('/live/gated', route({ stream: true, function: 'live' }), (ctx) => {
    const gate = String(ctx.query.gate);
    const body = new PassThrough();
    ctx.type = 'text/plain';
    ctx.set('x-live', 'yes');
    ctx.body = body;
    body.write('first\n');
    void fetch(gate)
      .then((res) => res.text())
      .then((text) => body.end(`${text}last\n`), (error: unknown) => body.destroy(error as Error));
  });
  router.get('/live/broken', route({ stream: true, function: 'live' }), (ctx) => {
    const body = new PassThrough();
    ctx.type = 'text/plain';
    ctx.body = body;
    body.write('partial\n');
    setImmediate(() => body.destroy(new Error('the source failed mid-stream')));
  });
  router.get('/live/raw', route({ stream: true, function: 'live' }), (ctx) => {
    ctx.respond = false;
    ctx.res.writeHead(201, { 'Content-Type': 'text/csv', 'Set-Cookie': ['a=1', 'b=2'] });
    ctx.res.write('id,name\r\n');
    ctx.res.end('1,alpha\r\n');
  });
  app.use(router.routes());
  return app;
}
