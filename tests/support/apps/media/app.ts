import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import Router from '@koa/router';
import Koa from 'koa';
import Type from 'typebox';
import { addRoute, errorMiddleware } from 'koa-apigateway/route';

/**
 * A 1×1 PNG whose bytes are not valid UTF-8 (the signature starts 0x89, and its IDAT holds 0xff): decoded as text
 * anywhere on the way, it does not come back (serverless-http#122).
 */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4a30000000049454e44ae426082',
  'hex',
);

/** The body of GET /report.csv: RFC 4180 CSV, a quoted field with a comma, a quote and a line break, and non-ASCII text. */
export const REPORT_CSV = 'name,note\r\n"a, ""b""\nc",caf\u00e9 \u2615\r\n';

/** The declared body of GET /report.csv: text in the `text/csv` media type (JSON Schema 2020-12 Validation, section 8.4 `contentMediaType`). */
export const ReportCsv = Type.String({ $id: 'ReportCsv', contentMediaType: 'text/csv', description: 'A CSV report.' });

/** The `bodyLimit` of PUT /blobs/{name}, in bytes: small, so a test crosses it cheaply (the web ACL's body-limit rule, docs/edge.md). */
export const NAMED_BLOB_LIMIT = 1024;

/** The reply of POST /blobs: what the function received, so a test can compare it with what it sent. */
export const BlobReceipt = Type.Object({ sha256: Type.String(), length: Type.Integer(), contentType: Type.String() }, { $id: 'BlobReceipt', additionalProperties: false });

/**
 * The media app (docs/binary.md): binary bodies both ways, declared through the route kit's `binary` option.
 * - `GET /logo` (public) answers {@link PNG} as `image/png` (`binary.responses`);
 * - `POST /blobs` takes `application/octet-stream` or any `image/*` body (`binary.requestBody`) and answers its
 *   sha256 (hex), length in bytes and Content-Type as JSON;
 * - `PUT /blobs/{name}` the same for an `application/octet-stream` body of at most {@link NAMED_BLOB_LIMIT} bytes
 *   (its `bodyLimit`: 413 past it, from the function, and from the web ACL with `waf` on);
 * - `GET /hello` answers JSON, untouched by the binary types;
 * - `GET /words?size=N` (public) answers `{"text":"aaa…"}` with N letters: JSON of N + 11 bytes, for the gateway's
 *   compression threshold (docs/compression.md);
 * - `GET /packed?encoding=gzip|deflate|br` (public) compresses itself, as koa-compress does: its JSON
 *   ({@link PACKED}) goes out as a Buffer of that coding with `Content-Encoding` and `Vary: Accept-Encoding`.

 * - `GET /report.csv` answers {@link REPORT_CSV} as `text/csv` (a string schema with `contentMediaType`: text, not
 *   JSON, not binary), streamed from an async generator.
 */
/** What `GET /packed` answers, before it compresses it: JSON, long enough that compressing it pays. */
export const PACKED = { items: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `item ${i}`, note: 'compressed by the app itself' })) };

const COMPRESS = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;

export function createMediaApp(): Koa {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  addRoute(router, { method: 'GET', path: '/logo', operationId: 'getLogo', public: true, binary: { responses: { 200: ['image/png'] } } }, (ctx) => {
    ctx.type = 'image/png';
    ctx.body = PNG;
  });
  addRoute(
    router,
    { method: 'POST', path: '/blobs', operationId: 'putBlob', binary: { requestBody: ['application/octet-stream', 'image/*'] }, responses: { 200: BlobReceipt } },
    (ctx, input) => {
      const bytes = input.body as unknown as Buffer;
      ctx.body = { sha256: createHash('sha256').update(bytes).digest('hex'), length: bytes.length, contentType: ctx.get('content-type') };
    },
  );
  addRoute(
    router,
    {
      method: 'PUT',
      path: '/blobs/:name',
      operationId: 'putNamedBlob',
      params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9-]+$' }) }),
      binary: { requestBody: ['application/octet-stream'] },
      bodyLimit: NAMED_BLOB_LIMIT,
      responses: { 200: BlobReceipt },
    },
    (ctx, input) => {
      const bytes = input.body as unknown as Buffer;
      ctx.body = { sha256: createHash('sha256').update(bytes).digest('hex'), length: bytes.length, contentType: ctx.get('content-type') };
    },
  );
  addRoute(router, { method: 'GET', path: '/hello', operationId: 'hello', public: true, responses: { 200: Type.Object({ hello: Type.String() }) } }, (ctx) => {
    ctx.body = { hello: 'world' };
  });
  addRoute(router, { method: 'GET', path: '/words', operationId: 'words', public: true, query: Type.Object({ size: Type.Integer({ minimum: 0, maximum: 100000 }) }), responses: { 200: Type.Object({ text: Type.String() }) } }, (ctx, input) => {
    ctx.body = { text: 'a'.repeat(input.query.size) };
  });
  addRoute(
    router,
    { method: 'GET', path: '/packed', operationId: 'packed', public: true, query: Type.Object({ encoding: Type.Union([Type.Literal('gzip'), Type.Literal('deflate'), Type.Literal('br')]) }), responses: { 200: Type.Object({ items: Type.Array(Type.Unknown()) }) } },
    (ctx, input) => {
      ctx.type = 'application/json';
      ctx.set('Content-Encoding', input.query.encoding);
      ctx.vary('Accept-Encoding');
      ctx.body = COMPRESS[input.query.encoding](Buffer.from(JSON.stringify(PACKED)));
    },
  );

  addRoute(router, { method: 'GET', path: '/report.csv', operationId: 'getReport', responses: { 200: ReportCsv } }, (ctx) => {
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = Readable.from((async function* () {
      for (const line of REPORT_CSV.split(/(?<=\r\n)/)) yield line;
    })());
  });
  app.use(errorMiddleware());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
