import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAppFile } from '../../../infra/src/app/load';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { BYTE_CHUNKS, CSV, LARGE } from '../../support/apps/streams/app';
import { handler as sourceHandler } from '../../support/apps/streams/lambda';
import { apiEvent, type ProxyHandler, type ProxyResult } from '../../support/events';
import { bundleDir } from '../local/support/gateway';

const STREAMS = path.resolve(__dirname, '../../support/apps/streams/app.config.ts');
const context = { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', getRemainingTimeInMillis: () => 29_000 };

/** The bytes a proxy result's body stands for: base64-decoded when it says so, else its UTF-8 text. */
function bodyBytes(result: ProxyResult): Buffer {
  return Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
}

/** Every header name of a proxy result, lower-cased, from both maps. */
function headerNames(result: ProxyResult): string[] {
  return [...Object.keys(result.headers ?? {}), ...Object.keys(result.multiValueHeaders ?? {})].map((name) => name.toLowerCase());
}

let built: ProxyHandler | undefined;
const builtHandler: ProxyHandler = (event, ctx) => built!(event, ctx);

describe.each([
  ['the source', sourceHandler],
  ['the built bundle', builtHandler],
])('whatever a Koa app writes arrives byte-exact in the proxy result (serverless-http#308), through %s', (name, handler) => {
  beforeAll(async () => {
    if (name !== 'the built bundle' || built) return;
    const { file } = await bundleLambda({ app: loadAppFile(STREAMS), outDir: await bundleDir('streams') });
    built = ((await import(pathToFileURL(file).href)) as { handler: ProxyHandler }).handler;
  }, 120_000);
  const get = (route: string) => handler(apiEvent('GET', route, { public: true }), context);

  it.each([
    ['/csv/chunked', '`Transfer-Encoding: chunked` set and the CSV as ctx.body'],
    ['/csv/raw', 'writeHead, write and end on ctx.res'],
    ['/csv/raw-chunked', 'writeHead with `Transfer-Encoding: chunked`, write and end on ctx.res'],
    ['/csv/piped', 'a Readable piped into ctx.res under `Transfer-Encoding: chunked`'],
  ])('%s: %s', async (route) => {
    const res = await get(route);
    expect(res.statusCode).toBe(200);
    expect(bodyBytes(res).toString('latin1')).toBe(Buffer.from(CSV).toString('latin1'));
    // API Gateway frames the response itself: a Lambda's Transfer-Encoding would only come back remapped or refused
    // (developer guide, "Important notes", the headers API Gateway may remap; docs/apigateway-behaviour.md §6.13).
    expect(headerNames(res)).not.toContain('transfer-encoding');
  });

  it('/stream/bytes: ctx.body a Readable of CRLF, NUL and multibyte UTF-8 split across chunks', async () => {
    const res = await get('/stream/bytes');
    expect(res.statusCode).toBe(200);
    expect(bodyBytes(res).equals(Buffer.concat(BYTE_CHUNKS))).toBe(true);
  });

  it.each(['/stream/large', '/stream/large-chunked'])('%s: a 1 MiB body streamed in 64 KiB chunks', async (route) => {
    const res = await get(route);
    expect(res.statusCode).toBe(200);
    const bytes = bodyBytes(res);
    expect(bytes.length).toBe(LARGE.length);
    expect(bytes.equals(LARGE)).toBe(true);
    expect(headerNames(res)).not.toContain('transfer-encoding');
  });
});
