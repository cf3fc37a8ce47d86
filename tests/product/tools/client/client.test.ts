import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClient } from '../../../../infra/src/tools/client/generate';
import type { OpenApiDocument } from '../../../../infra/src/tools/conformance/document';
import { bundleHandlerLoader } from '../../../../infra/src/local/integration';
import { readStackSettings } from '../../../../infra/src/app/load-stack';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { PARCELS, PLAIN } from '../../../support/apps';
import { createPlainApp } from '../../../support/apps/plain/app';
import { createParcelsApp } from '../../../support/apps/parcels/app';
import { buildBundle } from '../conformance/support';
import { API_KEY, startGateway, type Started } from '../../local/support/gateway';
import { CLI, runProcess } from '../../../support/process';

const ROOT = path.resolve(__dirname, '../../../..');
const TYPE_CHECKS = path.join(__dirname, 'type-checks.ts');
const PLAIN_TYPE_CHECKS = path.join(__dirname, 'plain-type-checks.ts');

/** What a generated client module exports, as these tests use it (the generated file has the precise types). */
interface ClientConfig {
  baseUrl: string;
  apiKey?: string;
  token?: string;
  headers?: Record<string, string>;
}
interface ApiResponse<S extends number, B> {
  status: S;
  body: B;
  headers: Headers;
}
type ErrorClass = new (...args: never[]) => Error & { status: number; source: string; headers: Headers; body: unknown };
type Operation = (input?: Record<string, unknown>) => Promise<ApiResponse<number, Record<string, unknown>>>;
type GeneratedClient = Record<string, unknown> & {
  createClient(config: ClientConfig): Record<string, Operation>;
  ApiError: ErrorClass;
  BadRequestError: ErrorClass;
  ForbiddenError: ErrorClass;
  NotFoundError: ErrorClass;
  PreconditionFailedError: ErrorClass;
};

/** Runs `node <file> <args>` in its own process group (tests/support/process.ts), in the parcels project. */
async function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  const r = await runProcess(process.execPath, [path.isAbsolute(file) ? file : path.join(ROOT, file), ...args], { cwd: PARCELS.dir, timeoutMs: 120_000, env: { ...process.env, ...env } });
  return { code: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}

/** Writes the parcels project's client with `koa-apigateway client --out`, in a fresh folder of dist/; returns its path. */
async function writeParcelsClient(prefix: string): Promise<string> {
  await mkdir(path.join(ROOT, 'dist'), { recursive: true });
  const dir = await mkdtemp(path.join(ROOT, 'dist', prefix));
  const out = path.join(dir, 'client.ts');
  const written = await run(CLI, ['client', '--out', out]);
  if (written.code !== 0) throw new Error(written.output);
  return out;
}

// The parcels project's client, written once by the command as a user runs it.
let generatedFile: string;
let client: GeneratedClient;
beforeAll(async () => {
  generatedFile = await writeParcelsClient('client-parcels-');
  client = (await import(generatedFile)) as GeneratedClient;
}, 120_000);
afterAll(() => rm(path.dirname(generatedFile), { recursive: true, force: true }));

/**
 * tsc with every option of @tsconfig/strictest on the given files alone: the generated client must
 * compile in the strictest project a user may have, and need nothing but the platform.
 */
function strictTsc(files: string[]) {
  const strictest = ['--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--noPropertyAccessFromIndexSignature', '--noImplicitOverride', '--noImplicitReturns', '--noFallthroughCasesInSwitch', '--noUnusedLocals', '--noUnusedParameters', '--allowUnusedLabels', 'false', '--allowUnreachableCode', 'false', '--isolatedModules', '--checkJs'];
  return run('node_modules/typescript/bin/tsc', ['--noEmit', ...strictest, '--target', 'ES2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'ES2022,DOM', '--types', 'node', '--skipLibCheck', ...files]);
}

describe('npm run client: the typed client generated from the document', () => {
  it('writes a client that compiles under strict tsc, and the type checks hold (@ts-expect-error on wrong bodies)', async () => {
    const dir = path.dirname(generatedFile);
    await copyFile(TYPE_CHECKS, path.join(dir, 'type-checks.ts'));
    const compiled = await strictTsc([generatedFile, path.join(dir, 'type-checks.ts')]);
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
    // The generated file imports nothing: dependency-free.
    expect(await readFile(generatedFile, 'utf8')).not.toMatch(/^\s*import\s/m);
  }, 120_000);

  it('a loosened type fails the type checks: an unused @ts-expect-error is an error', async () => {
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    const dir = await mkdtemp(path.join(ROOT, 'dist', 'client-loose-'));
    try {
      // The same checks against a client whose createParcel body is `any`.
      const loose = (await readFile(generatedFile, 'utf8')).replace(/body: NonNullable<paths\["\/parcels"\]\["post"\]\['requestBody'\]>\['content'\]\["application\/json"\];/, 'body: any;');
      expect(loose).toContain('body: any;');
      await writeFile(path.join(dir, 'client.ts'), loose);
      await copyFile(TYPE_CHECKS, path.join(dir, 'type-checks.ts'));
      const compiled = await strictTsc([path.join(dir, 'type-checks.ts')]);
      expect(compiled.code).not.toBe(0);
      expect(compiled.output).toMatch(/Unused '@ts-expect-error' directive/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('sends a bearer token where an operation’s security names an HTTP bearer scheme, and refuses to call without one', async () => {
    const doc: OpenApiDocument = {
      openapi: '3.1.0',
      info: { title: 'bearer', version: '1' },
      paths: { '/me': { get: { operationId: 'me', security: [{ bearer: [] }], responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object', properties: { ok: { type: 'boolean' } } } } } } } } } },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    };
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    const dir = await mkdtemp(path.join(ROOT, 'dist', 'client-bearer-'));
    try {
      await writeFile(path.join(dir, 'client.ts'), await generateClient(doc));
      const generated = (await import(path.join(dir, 'client.ts'))) as { me: (config: ClientConfig) => Promise<ApiResponse<200, { ok?: boolean }>> };
      // A real server on loopback that answers with the Authorization header it received.
      const server = http.createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, authorization: req.headers.authorization ?? null }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev`;
      try {
        const answer = await generated.me({ baseUrl, token: 'tok123' });
        expect(answer.body).toEqual({ ok: true, authorization: 'Bearer tok123' });
        await expect(generated.me({ baseUrl })).rejects.toThrow(/me needs a bearer token/);
      } finally {
        server.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A real loopback server answering every request with what it received: method, URL, headers (raw lines). */
async function echoServer(): Promise<{ baseUrl: string; close(): void }> {
  const server = http.createServer((req, res) => {
    const lines: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push([req.rawHeaders[i]!.toLowerCase(), req.rawHeaders[i + 1]!]);
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, lines }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev`, close: () => server.close() };
}

describe('npm run client: operationIds that are not identifiers, header names, the command line', () => {
  const ok = { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } };
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: 'names', version: '1' },
    security: [{ key: [] }],
    paths: {
      '/a': { get: { operationId: 'get-thing', responses: ok }, post: { operationId: 'getThing', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } }, responses: ok } },
      '/b/{id}': { get: { operationId: 'get todo by id', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: ok }, delete: { operationId: 'delete', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: ok } },
      '/c': { get: { operationId: '2fa', responses: ok }, put: { operationId: 'fetch', responses: ok } },
    },
    components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
  };

  it('names each function with a valid, free identifier: camelCase, "_" after a reserved word or before a digit, a number when taken; it compiles and calls the right operation', async () => {
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    const dir = await mkdtemp(path.join(ROOT, 'dist', 'client-names-'));
    const echo = await echoServer();
    try {
      const file = path.join(dir, 'client.ts');
      await writeFile(file, await generateClient(doc));
      const compiled = await strictTsc([file]);
      expect(compiled.output).toBe('');
      const generated = (await import(file)) as Record<string, unknown>;
      for (const name of ['getThing', 'getThing2', 'getTodoById', 'delete_', '_2fa', 'fetch_', 'createClient']) expect(typeof generated[name], name).toBe('function');
      const api = (generated.createClient as (c: ClientConfig) => Record<string, (input?: unknown) => Promise<ApiResponse<200, { method: string; url: string }>>>)({ baseUrl: echo.baseUrl, apiKey: 'k' });
      expect(Object.keys(api)).toEqual(['getThing', 'getThing2', 'getTodoById', 'delete_', '_2fa', 'fetch_']);
      expect((await api.getThing!()).body).toMatchObject({ method: 'GET', url: '/dev/a' });
      expect((await api.getThing2!({ body: {} })).body).toMatchObject({ method: 'POST', url: '/dev/a' });
      expect((await api.delete_!({ path: { id: 'x' } })).body).toMatchObject({ method: 'DELETE', url: '/dev/b/x' });
      expect((await api.fetch_!()).body).toMatchObject({ method: 'PUT', url: '/dev/c' });
    } finally {
      echo.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses an operationId with nothing to make a name of, naming it', async () => {
    const bad: OpenApiDocument = { openapi: '3.1.0', paths: { '/x': { get: { operationId: '--', responses: ok } } } };
    await expect(generateClient(bad)).rejects.toThrow(/operationId "--" has no letter or digit/);
  });

  it('header names are case-insensitive: the configuration’s Content-Type and X-Api-Key replace the client’s own, once each', async () => {
    const echo = await echoServer();
    try {
      const seen = async (config: Partial<ClientConfig>, headers?: Record<string, string>) => {
        const api = client.createClient({ baseUrl: echo.baseUrl, apiKey: API_KEY, ...config });
        const answer = (await api.createParcel!({ body: { recipient: 't' }, ...(headers ? { headers } : {}) })) as unknown as { body: { lines: Array<[string, string]> } };
        return (name: string) => answer.body.lines.filter(([n]) => n === name).map(([, v]) => v);
      };
      const lines = await seen({ headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Api-Key': 'FromHeaders0123456789abcdef', Accept: 'application/problem+json' } });
      expect(lines('content-type')).toEqual(['application/json; charset=utf-8']);
      expect(lines('x-api-key')).toEqual(['FromHeaders0123456789abcdef']);
      expect(lines('accept')).toEqual(['application/problem+json']);
      // Without any: the client's own, once.
      const plain = await seen({});
      expect(plain('content-type')).toEqual(['application/json']);
      expect(plain('x-api-key')).toEqual([API_KEY]);
      // A key given only as a header is enough for an operation that needs one.
      const keyOnly = await seen({ apiKey: undefined, headers: { 'X-API-KEY': 'OnlyHeader0123456789abcdef' } } as Partial<ClientConfig>);
      expect(keyOnly('x-api-key')).toEqual(['OnlyHeader0123456789abcdef']);
    } finally {
      echo.close();
    }
  });

  it('--out is relative to where npm was run (INIT_CWD), and the absolute path is printed', async () => {
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    const dir = await mkdtemp(path.join(ROOT, 'dist', 'client-cwd-'));
    try {
      const written = await run(CLI, ['client', '--out', 'my-client.ts'], { INIT_CWD: dir });
      expect(written.code, written.output).toBe(0);
      expect(written.output).toContain(`Wrote ${path.join(dir, 'my-client.ts')}`);
      expect(await readFile(path.join(dir, 'my-client.ts'), 'utf8')).toBe(await readFile(generatedFile, 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('an unknown option prints the message and the usage; an --openapi that cannot be read or an unknown --stack, the message alone; exit code 2, no stack trace', async () => {
    for (const [args, usage] of [[['--bogus'], true], [['--openapi', '/nonexistent.json'], false], [['--stack', 'nosuch'], false]] as const) {
      const result = await run(CLI, ['client', ...args]);
      expect(result.code, result.output).toBe(2);
      // The usage answers a mistake on the command line, not a file or a stack it names (the message says the fix).
      if (usage) expect(result.output).toMatch(/Usage: koa-apigateway client/);
      else expect(result.output).not.toMatch(/Usage:/);
      expect(result.output).not.toMatch(/^\s+at /m);
    }
  }, 120_000);
});

describe('npm run client: a POST, PUT or PATCH whose route declares no body schema takes any body', () => {
  it("the plain project's undeclared POST /notes/import: `body?: unknown` under strict tsc, sent as JSON to the app", async () => {
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    const dir = await mkdtemp(path.join(ROOT, 'dist', 'client-plain-'));
    const server = http.createServer(createPlainApp().callback());
    try {
      const out = path.join(dir, 'client.ts');
      const written = await runProcess(process.execPath, [CLI, 'client', '--out', out], { cwd: PLAIN.dir, timeoutMs: 120_000, env: { ...process.env, INIT_CWD: PLAIN.dir } });
      expect(written.status, `${written.stdout}${written.stderr}`).toBe(0);
      await copyFile(PLAIN_TYPE_CHECKS, path.join(dir, 'type-checks.ts'));
      const compiled = await strictTsc([out, path.join(dir, 'type-checks.ts')]);
      expect(compiled.output).toBe('');
      expect(compiled.code).toBe(0);
      // The body reaches the app, its own body parser reads it: the plain app served over loopback as it is.
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const generated = (await import(out)) as { postNotesImport(config: ClientConfig, input?: { body?: unknown }): Promise<ApiResponse<number, unknown>> };
      const answer = await generated.postNotesImport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'k' }, { body: ['first', 'second'] });
      expect(answer).toMatchObject({ status: 200, body: { imported: 2 } });
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("the parcels project's client against the local gateway: typed errors", () => {
  let bundle: Awaited<ReturnType<typeof buildBundle>>;
  let gw: Started;
  beforeAll(async () => {
    bundle = await buildBundle('client');
    gw = await startGateway({ spec: buildGatewaySpec(createParcelsApp()), settings: readStackSettings({ root: PARCELS.dir, app: {} }), handler: bundleHandlerLoader(bundle.file).handler });
  });
  afterAll(async () => {
    await gw?.close();
    await bundle?.remove();
  });

  it('a wrong key is a ForbiddenError from the gateway', async () => {
    const api = client.createClient({ baseUrl: gw.url, apiKey: 'WrongKey0123456789abcdefXYZ' });
    const error = await api.listParcels!().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(client.ForbiddenError);
    expect(error).toMatchObject({ status: 403, source: 'gateway', errorType: 'ForbiddenException', body: { message: 'Forbidden' }, operationId: 'listParcels' });
  });

  // The gateway's 400 template carries the message and the validator's detail (docs/api-definition.md, "validationErrorString").
  it('a body the gateway rejects is a BadRequestError from the gateway', async () => {
    const api = client.createClient({ baseUrl: gw.url, apiKey: API_KEY });
    const error = (await api.createParcel!({ body: { recipient: '' } }).catch((e: unknown) => e)) as InstanceType<ErrorClass>;
    expect(error).toBeInstanceOf(client.BadRequestError);
    expect(error.source).toBe('gateway');
    expect(error.body).toEqual({ message: 'Invalid request body', detail: '[string "" is too short (length: 0, required minimum: 1)]' });
  });

  it('a missing parcel is a NotFoundError and a stale ETag a PreconditionFailedError, both from the function', async () => {
    const api = client.createClient({ baseUrl: gw.url, apiKey: API_KEY });
    const missing = await api.getParcel!({ path: { id: '00000000-0000-4000-8000-000000000000' } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(client.NotFoundError);
    expect(missing).toMatchObject({ status: 404, source: 'service' });
    const created = await api.createParcel!({ body: { recipient: 'typed errors' } });
    const stale = await api.updateParcel!({ path: { id: created.body.id }, headers: { 'if-match': '"stale"' }, body: { express: true } }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(client.PreconditionFailedError);
    // The error keeps the response's headers: here the current ETag the app sent with its 412.
    expect((stale as InstanceType<ErrorClass>).headers.get('etag')).toBe(created.headers.get('etag'));
    await api.deleteParcel!({ path: { id: created.body.id } });
  });
});
