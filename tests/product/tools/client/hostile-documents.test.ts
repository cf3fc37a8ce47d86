import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../../../../infra/src/errors';
import { generateClient } from '../../../../infra/src/tools/client/generate';
import type { OpenApiDocument } from '../../../../infra/src/tools/conformance/document';

// Issue 23 item 1: everything the generator takes from a document (a route declaration or any `--openapi` file) lands in
// generated source: comments, string literals, identifiers, property keys, type names. Hostile text in any field must
// give a client that compiles under strict TypeScript and does nothing when imported, or a DocumentError naming it.

const ROOT = path.resolve(__dirname, '../../../..');

/** Text that ends or escapes each place a value can land in TypeScript source. */
const FRAGMENTS = [
  '*/',
  '/*',
  '//',
  '/**',
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
  "'",
  '"',
  '`',
  '${',
  '}',
  '{',
  '\\',
  '\\u0041',
  '__proto__',
  'constructor',
  'toString',
  'prototype',
  'delete',
  'class',
  'await',
  'Record',
  'Api',
  'Request',
  'ü',
  '😀',
  '\u0000',
  '<!--',
  '-->',
  '#!',
  '@ts-ignore ',
  'src/**/*.ts',
  ' globalThis.pwned=1; ',
  ' x */ globalThis.pwned=1; /* ',
  '\n globalThis.pwned=1; \n',
  '"); globalThis.pwned=1; ("',
  '`; globalThis.pwned=1; `',
  '${globalThis.pwned=1}',
  ' ',
  'a',
  'Z',
  '1',
  '-',
  '_',
  '$',
];
const hostile = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
/** An operationId: hostile text with a letter, so that a name can be made of it. */
const operationId = hostile.map((text) => `${text}q`);
/** Text for a path: OpenAPI path templating gives `{`, `}` (and `+` in a greedy parameter's name) their meaning. */
const pathText = hostile.map((text) => `${text.replace(/[{}+]/g, '')}p`);

/** One operation, every field the generator reads filled with hostile text. */
const operation = fc.record({
  operationId,
  summary: hostile,
  description: hostile,
  pathParam: pathText,
  queryParam: hostile,
  headerParam: hostile,
  property: hostile,
  enumValue: hostile,
  contentType: fc.constantFrom<string>('application/json', 'application/vnd.x+json', 'application/json; x="*/ globalThis.pwned=1; /*"'),
  schemaName: hostile,
});
const documents = fc.record({
  title: hostile,
  version: hostile,
  segment: pathText,
  keyHeader: fc.constantFrom<string>('x-api-key', 'x-it"s', 'x-*/-y'),
  operations: fc.array(operation, { minLength: 1, maxLength: 3 }),
});

type Generated = typeof documents extends fc.Arbitrary<infer T> ? T : never;

/** Returns the OpenAPI 3.1 document of `g`: one path per operation, each using every field. */
function documentOf(g: Generated): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const schemas: Record<string, Record<string, unknown>> = {};
  g.operations.forEach((op, i) => {
    const schemaName = `${op.schemaName}${i}`;
    schemas[schemaName] = {
      type: 'object',
      title: op.summary,
      description: op.description,
      properties: { [op.property]: { type: 'string', description: op.description, format: op.summary, default: op.enumValue, examples: [op.enumValue], pattern: '^.*$' }, [`${op.property}2`]: { enum: [op.enumValue, `${op.enumValue}!`] } },
      required: [op.property],
    };
    // JSON Pointer escaping (RFC 6901 §3) of the schema's name, as a document must write its $ref.
    const ref = { $ref: `#/components/schemas/${schemaName.replace(/~/g, '~0').replace(/\//g, '~1')}` };
    paths[`/${g.segment}${i}/{${op.pathParam}}`] = {
      description: op.description,
      post: {
        operationId: op.operationId,
        summary: op.summary,
        description: op.description,
        parameters: [
          { name: op.pathParam, in: 'path', required: true, description: op.description, schema: { type: 'string' } },
          { name: op.queryParam, in: 'query', required: false, description: op.summary, schema: { type: 'string', enum: [op.enumValue] } },
          { name: op.headerParam, in: 'header', required: false, schema: { type: 'string', default: op.enumValue } },
        ],
        requestBody: { required: true, description: op.description, content: { [op.contentType]: { schema: ref } } },
        responses: {
          '200': { description: op.description, content: { 'application/json': { schema: ref } } },
          '404': { description: op.summary, content: { 'application/json': { schema: { type: 'object', properties: { message: { type: 'string', description: op.summary } } } } } },
          default: { description: op.summary },
        },
      },
    };
  });
  return {
    openapi: '3.1.0',
    info: { title: g.title, version: g.version },
    paths,
    components: { schemas, securitySchemes: { [g.title]: { type: 'apiKey', in: 'header', name: g.keyHeader, description: g.title } } },
    security: [{ [g.title]: [] }],
  };
}

/** The strictest options a user's project may have (as client.test.ts's strictTsc), for the TypeScript API. */
const OPTIONS: ts.CompilerOptions = {
  noEmit: true,
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  isolatedModules: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  skipLibCheck: true,
};

/** A compiler host that parses the standard library once for every program of this file. */
const libCache = new Map<string, ts.SourceFile | undefined>();
const baseHost = ts.createCompilerHost(OPTIONS);
function hostFor(file: string, source: string): ts.CompilerHost {
  return {
    ...baseHost,
    getSourceFile(name, languageVersion) {
      if (name === file) return ts.createSourceFile(name, source, languageVersion, true);
      if (!libCache.has(name)) libCache.set(name, baseHost.getSourceFile(name, languageVersion));
      return libCache.get(name);
    },
    fileExists: (name) => name === file || baseHost.fileExists(name),
    readFile: (name) => (name === file ? source : baseHost.readFile(name)),
  };
}

/** Returns the diagnostics of `source` compiled alone under OPTIONS (an empty string when it compiles). */
function typeCheck(file: string, source: string): string {
  const program = ts.createProgram([file], OPTIONS, hostFor(file, source));
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' });
}

/** A loopback server answering with the method, raw URL and headers it received. */
let echo: { url: string; close(): void };
beforeAll(async () => {
  const server = http.createServer((req, res) => {
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  echo = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev`, close: () => server.close() };
});
afterAll(() => echo?.close());

let dir: string;
beforeAll(async () => {
  await mkdir(path.join(ROOT, 'dist'), { recursive: true });
  dir = await mkdtemp(path.join(ROOT, 'dist', 'client-hostile-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let count = 0;
/**
 * Generates the client of `doc`, type-checks it, imports it and calls each operation against the echo server:
 * returns the client module. Fails when the source does not compile, importing it has a side effect, or an
 * operation does not reach its own path.
 */
async function checkClient(doc: OpenApiDocument): Promise<Record<string, unknown>> {
  const source = await generateClient(doc);
  const file = path.join(dir, `client-${count++}.ts`);
  const diagnostics = typeCheck(file, source);
  expect(diagnostics, source).toBe('');
  await writeFile(file, source);
  delete (globalThis as { pwned?: unknown }).pwned;
  const generated = (await import(file)) as Record<string, unknown>;
  expect((globalThis as { pwned?: unknown }).pwned, 'importing the client ran code from the document').toBeUndefined();
  const ops = Object.values(doc.paths).map((item) => item.post as { operationId: string; parameters: Array<{ name: string; in: string }> });
  const api = (generated.createClient as (c: object) => Record<string, (input: object) => Promise<{ body: { method: string; url: string; headers: Record<string, string> } }>>)({ baseUrl: echo.url, apiKey: 'k' });
  // One own function per operation (an operation named __proto__ must not set the prototype of the client).
  expect(Object.keys(api)).toHaveLength(ops.length);
  for (const [i, fn] of Object.values(api).entries()) {
    const op = ops[i]!;
    const pathParam = op.parameters.find((p) => p.in === 'path')!.name;
    const answer = await fn({ path: { [pathParam]: 'v/1' }, body: {} });
    // The path fetch sends: the template with the parameter encoded, parsed as any URL (WHATWG URL) is.
    const expected = new URL(`${echo.url}${Object.keys(doc.paths)[i]!.replace(/\{[^}]*\}$/, 'v%2F1')}`).pathname;
    expect(answer.body.method).toBe('POST');
    expect(answer.body.url).toBe(expected);
  }
  return generated;
}

describe('the client generator: hostile text in every field of the document', () => {
  it('every field set to text that ends comments, strings and lines: compiles, imports without running anything', async () => {
    const evil = ' x */ globalThis.pwned=1; /* \n globalThis.pwned=2; \u2028 globalThis.pwned=3 \u2029 `${globalThis.pwned=4}` "\'\\ src/**/*.ts ';
    // In a path, without the braces and `+` of OpenAPI path templating.
    const inPath = evil.replace(/[{}+]/g, '');
    const op = { operationId: `${evil}op`, summary: evil, description: evil, pathParam: inPath, queryParam: evil, headerParam: evil, property: evil, enumValue: evil, contentType: 'application/json', schemaName: evil };
    await checkClient(documentOf({ title: evil, version: evil, segment: inPath, keyHeader: 'x-api-key', operations: [op] }));
  }, 60_000);

  it('an ordinary summary mentioning src/**/*.ts gives a client that compiles', async () => {
    const op = { operationId: 'listFiles', summary: 'Lists src/**/*.ts', description: 'Globs like src/**/*.ts', pathParam: 'id', queryParam: 'q', headerParam: 'x-h', property: 'name', enumValue: 'a', contentType: 'application/json', schemaName: 'File' };
    await checkClient(documentOf({ title: 'Files src/**/*.ts', version: '1', segment: 'files', keyHeader: 'x-api-key', operations: [op] }));
  }, 60_000);

  it('operationIds named like Object.prototype members, reserved words and the runtime’s own types each get an own, callable function', async () => {
    const ops = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Api', 'Request', 'clientConfig', 'Record'].map((id, i) => ({ operationId: id, summary: id, description: id, pathParam: 'id', queryParam: '__proto__', headerParam: 'constructor', property: '__proto__', enumValue: 'x', contentType: 'application/json', schemaName: i % 2 ? 'Record' : 'ApiResponse' }));
    ops[1]!.pathParam = 'constructor';
    const generated = await checkClient(documentOf({ title: 't', version: '1', segment: 's', keyHeader: 'x-api-key', operations: ops }));
    expect(Object.keys(generated)).toEqual(expect.arrayContaining(['constructor', 'toString', 'hasOwnProperty', 'createClient']));
    // A path parameter named `constructor` left out is missing, not Object.prototype.constructor's source.
    await expect((generated.constructor as (c: object, i: object) => Promise<unknown>)({ baseUrl: echo.url, apiKey: 'k' }, { path: {}, body: {} })).rejects.toThrow(/path parameter "constructor" is required/);
  }, 60_000);

  it('operationIds that openapi-typescript rewrites in its own types (`#`, `/`, `~`: JSON pointer characters) still type their inputs and answers', async () => {
    const ops = ['#!*/q', 'a/b', 'x~1y', '#/components/schemas/S'].map((id) => ({ operationId: id, summary: id, description: id, pathParam: 'id', queryParam: 'q', headerParam: 'x-h', property: 'p', enumValue: 'e', contentType: 'application/json', schemaName: 'S' }));
    await checkClient(documentOf({ title: 't', version: '1', segment: 's', keyHeader: 'x-api-key', operations: ops }));
  }, 60_000);

  it('two operations with the same operationId are refused, naming both (OpenAPI 3.1 section 4.8.10: operationIds are unique)', async () => {
    const op = { operationId: 'same', summary: 's', description: 'd', pathParam: 'id', queryParam: 'q', headerParam: 'x-h', property: 'p', enumValue: 'e', contentType: 'application/json', schemaName: 'S' };
    const doc = documentOf({ title: 't', version: '1', segment: 's', keyHeader: 'x-api-key', operations: [op, op] });
    await expect(generateClient(doc)).rejects.toThrow(/operationId "same".*POST \/s0\/\{id\}.*POST \/s1\/\{id\}/);
  });

  it('property: any hostile document gives a client that compiles and imports cleanly, or a DocumentError', async () => {
    await fc.assert(
      fc.asyncProperty(documents, async (g) => {
        const doc = documentOf(g);
        try {
          await generateClient(doc);
        } catch (err) {
          // The refusals a document may earn: two operations with the same operationId, or an API key header
          // name that is not an RFC 9110 token (fetch cannot send it).
          expect(err).toBeInstanceOf(DocumentError);
          expect(new Set(g.operations.map((o) => o.operationId)).size < g.operations.length || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(g.keyHeader), String(err)).toBe(true);
          return;
        }
        await checkClient(doc);
      }),
      { numRuns: 20 },
    );
  }, 300_000);
});

describe('the client generator: documents the review found it failing on', () => {
  /** One ordinary operation named `id`, its schema `S`. */
  const plain = (operationId: string, contentType = 'application/json') => ({ operationId, summary: 's', description: 'd', pathParam: 'id', queryParam: 'q', headerParam: 'x-h', property: 'p', enumValue: 'e', contentType, schemaName: 'S' });

  it('responses and request bodies whose JSON media type is not exactly application/json are typed through their own media type, and the body is sent as it', async () => {
    const types = ['application/problem+json', 'application/json; charset=utf-8', 'application/vnd.api+json'];
    const doc = documentOf({ title: 't', version: '1', segment: 's', keyHeader: 'x-api-key', operations: types.map((t, i) => plain(`op${i}`, t)) });
    // The same media type for the 200 and 404 answers (listOperations reads any media type matching /json/).
    Object.values(doc.paths).forEach((item, i) => {
      const responses = (item.post as { responses: Record<string, { content?: Record<string, unknown> }> }).responses;
      for (const r of Object.values(responses)) if (r.content) r.content = { [types[i]!]: r.content['application/json'] };
    });
    const source = await generateClient(doc);
    // The 200 answer typed from the schema, not `unknown` or `never`.
    expect(source).toContain(`['responses'][200]['content']["application/problem+json"]`);
    const generated = await checkClient(doc);
    const api = (generated.createClient as (c: object) => Record<string, (input: object) => Promise<{ body: { headers: Record<string, string> } }>>)({ baseUrl: echo.url, apiKey: 'k' });
    for (const [i, t] of types.entries()) {
      const answer = await api[`op${i}`]!({ path: { id: '1' }, body: { p: 'x' } });
      expect(answer.body.headers['content-type']).toBe(t);
    }
  }, 60_000);

  it('component schemas named like TypeScript’s built-in type keywords give a client that compiles (no alias under a keyword)', async () => {
    const keywords = ['string', 'number', 'boolean', 'any', 'never', 'unknown', 'object', 'symbol', 'bigint', 'undefined', 'void', 'null', 'intrinsic'];
    const doc = documentOf({ title: 't', version: '1', segment: 's', keyHeader: 'x-api-key', operations: [plain('getThing')] });
    for (const k of keywords) doc.components!.schemas![k] = { type: 'object', properties: { v: { type: 'string' } } };
    await checkClient(doc);
  }, 60_000);

  it('operationIds named like the generated code’s own parameters and locals (config, args, input) are callable', async () => {
    const ids = ['config', 'args', 'input', '__config', '__args', '__input'];
    const doc = documentOf({ title: 't', version: '1', segment: 's', keyHeader: 'x-api-key', operations: ids.map((id) => plain(id)) });
    const generated = await checkClient(doc);
    expect(Object.keys(generated)).toEqual(expect.arrayContaining(['config', 'args', 'input']));
  }, 60_000);

  it('schema properties and schemas named like Object.prototype members (hasOwnProperty, valueOf...) are typed as declared', async () => {
    const members = ['hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', '__lookupGetter__', '__lookupSetter__', '__defineGetter__', '__defineSetter__', 'toLocaleString', 'toString', 'constructor'];
    const doc = documentOf({ title: 't', version: '1', segment: 's', keyHeader: 'x-api-key', operations: [plain('getThing')] });
    const schema = doc.components!.schemas!.S0 as { properties: Record<string, unknown>; required: string[] };
    for (const m of members) schema.properties[m] = { type: 'integer', default: { [m]: 1 } };
    schema.required.push('hasOwnProperty');
    // Object.assign: TypeScript reads \`schemas.valueOf\` as Object's method.
    Object.assign(doc.components!.schemas!, { valueOf: { type: 'object', properties: { hasOwnProperty: { type: 'boolean' } }, required: ['hasOwnProperty'] } });
    schema.properties.nested = { $ref: '#/components/schemas/valueOf' };
    const source = await generateClient(doc);
    await checkClient(doc);
    expect(source).not.toMatch(/KoaApigwKey/);
    // The declared types, under the declared names: a required integer, an optional one, the nested schema's boolean.
    const file = path.join(dir, `client-${count++}.ts`);
    // Every member given: TypeScript checks an omitted optional one against Object's own (\`isPrototypeOf\` is a function).
    const all = members.map((m, i) => `${m}: ${i}`).join(', ');
    const check = `${source}\nexport const a: S0 = { p: 'x', ${all}, nested: { hasOwnProperty: true } };\n// @ts-expect-error hasOwnProperty is required\nexport const b: S0 = { p: 'x' };\n// @ts-expect-error valueOf is an integer\nexport const c: S0 = { p: 'x', hasOwnProperty: 1, valueOf: 'no' };\n`;
    expect(typeCheck(file, check), check).toBe('');
  }, 60_000);
});
