import { build } from 'esbuild';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type Koa from 'koa';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT as PROJECT_ROOT } from '../../support/files';
import { guardWebBodyChecks, koaLazyWebGlobals, lazyAssertAndV8, lazyDestroy } from '../../../infra/src/bundle/koa';

type KoaClass = new () => Koa;
const requireFromRoot = createRequire(path.join(PROJECT_ROOT, 'package.json'));

/** Every kind of body Koa understands, each set by one path. */
const BODIES: Record<string, () => unknown> = {
  '/response': () => new Response('from a Response', { status: 201, headers: { 'x-from': 'response', 'content-type': 'text/plain' } }),
  '/readable-stream': () => new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('streamed')), c.close()) }),
  '/blob': () => new Blob(['a blob'], { type: 'text/csv' }),
  '/file': () => new File(['a file'], 'f.txt', { type: 'text/plain' }),
  '/object': () => ({ status: 'healthy' }),
  '/string': () => 'plain text',
  '/fake-response': () => ({ [Symbol.toStringTag]: 'Response', status: 299, headers: new Headers() }),
  '/node-stream': () => Readable.from(['a node ', 'stream']),
};

/** Streams a handler replaced by another body: Koa destroys them (through `destroy`, which the bundle requires lazily). */
const replaced: Record<string, Readable> = {};

async function serve(KoaCtor: KoaClass): Promise<{ server: Server; url: string }> {
  const app = new KoaCtor();
  app.use((ctx) => {
    if (ctx.path === '/bad-status') {
      try {
        ctx.status = Number(ctx.query.code);
      } catch (err) {
        ctx.status = 500;
        ctx.body = { name: (err as Error).name, code: (err as { code?: string }).code, message: (err as Error).message };
      }
      return;
    }
    if (ctx.path === '/replaced-stream') {
      const stream = Readable.from(['never sent']);
      replaced[ctx.get('x-stack')] = stream;
      ctx.body = stream;
      ctx.body = 'replaced';
      return;
    }
    ctx.body = BODIES[ctx.path]!();
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function fetchAll(url: string) {
  const out: Record<string, unknown> = {};
  for (const p of Object.keys(BODIES)) {
    const res = await fetch(url + p);
    const headers = Object.fromEntries([...res.headers].filter(([k]) => k !== 'date' && k !== 'keep-alive' && k !== 'connection'));
    out[p] = { status: res.status, headers, body: await res.text() };
  }
  return out;
}

let dir: string;
const servers: Server[] = [];
let original: string;
let bundled: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'koa-'));
  const outfile = path.join(dir, 'koa.mjs');
  await build({
    absWorkingDir: PROJECT_ROOT,
    stdin: { resolveDir: PROJECT_ROOT, contents: "export { default } from 'koa';" },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    plugins: [koaLazyWebGlobals()],
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  });
  const BundledKoa = ((await import(pathToFileURL(outfile).href)) as { default: KoaClass }).default;
  const a = await serve(requireFromRoot('koa') as KoaClass);
  const b = await serve(BundledKoa);
  servers.push(a.server, b.server);
  original = a.url;
  bundled = b.url;
});
afterAll(async () => {
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe("Koa in the bundle, with its web-body checks guarded so JSON bodies don't load undici", () => {
  it('guards both checks in response.js and application.js of the installed Koa', async () => {
    const count = async (file: string) => guardWebBodyChecks(await readFile(path.join(path.dirname(requireFromRoot.resolve('koa')), file), 'utf8')).count;
    expect([await count('response.js'), await count('application.js')]).toEqual([2, 2]);
  });

  it('answers every kind of body (Response, ReadableStream, Blob, File, object, string) exactly as unpatched Koa', async () => {
    const [expected, actual] = [await fetchAll(original), await fetchAll(bundled)];
    expect(actual).toEqual(expected);
    expect(actual['/response']).toMatchObject({ status: 201, body: 'from a Response', headers: { 'x-from': 'response' } });
  });

  it('checks a status as unpatched Koa: node:assert loads only when a check fails, and throws the same AssertionError', async () => {
    const koaDir = path.dirname(requireFromRoot.resolve('koa'));
    expect([lazyAssertAndV8(await readFile(path.join(koaDir, 'response.js'), 'utf8')).found, lazyAssertAndV8(await readFile(path.join(koaDir, 'application.js'), 'utf8')).found]).toEqual([true, true]);
    for (const code of ['abc', '1000', '204']) {
      const [expected, actual] = await Promise.all([original, bundled].map(async (url) => {
        const res = await fetch(`${url}/bad-status?code=${code}`);
        return { status: res.status, body: await res.text() };
      }));
      expect(actual, code).toEqual(expected);
    }
    const res = await fetch(`${bundled}/bad-status?code=abc`);
    expect(await res.json()).toEqual({ name: 'AssertionError', code: 'ERR_ASSERTION', message: 'status code must be a number' });
  });

  it("requires `destroy` on first use, and still destroys a stream body that was replaced, as unpatched Koa", async () => {
    expect(lazyDestroy(await readFile(path.join(path.dirname(requireFromRoot.resolve('koa')), 'response.js'), 'utf8')).found).toBe(true);
    for (const [stack, url] of [['original', original], ['bundled', bundled]] as const) {
      const res = await fetch(`${url}/replaced-stream`, { headers: { 'x-stack': stack } });
      expect(await res.text()).toBe('replaced');
      expect(replaced[stack]!.destroyed, stack).toBe(true);
    }
  });
});
