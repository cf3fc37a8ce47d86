import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Format } from 'typebox/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppFile } from '../../../infra/src/app/load';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { generateValidatorsModule, type RouteSchema } from '../../../infra/src/bundle/validators';
import { UnregisteredFormatError } from '../../../infra/src/core/plan/formats';
import type { ProxyHandler } from '../../../infra/src/lambda/proxy-event';
import type { SchemaValidator } from '../../../infra/src/route/validators';
import { apiEvent, json } from '../../support/events';
import { ROOT as PROJECT_ROOT } from '../../support/files';
import { FORMAT_EXAMPLES } from '../../support/formats';

const FORMATS_APP = path.join(__dirname, '../../support/apps/formats/app.config.ts');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bundle-formats-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Builds `generateValidatorsModule(schemas)` as the bundle does (its own copy of TypeBox) and imports it. */
async function generated(schemas: RouteSchema[], name: string): Promise<{ validatorFor(schema: unknown): SchemaValidator }> {
  const file = path.join(dir, `${name}.mjs`);
  await build({ stdin: { contents: generateValidatorsModule(schemas), resolveDir: path.join(PROJECT_ROOT, 'infra', 'src', 'route'), loader: 'js' }, bundle: true, format: 'esm', platform: 'node', outfile: file, logLevel: 'silent' });
  return (await import(pathToFileURL(file).href)) as { validatorFor(schema: unknown): SchemaValidator };
}

describe('validators generated at build time check every format TypeBox checks, as TypeBox does', () => {
  it.each(Object.entries(FORMAT_EXAMPLES))('%s', async (name, { valid, invalid }) => {
    const schema = Type.Object({ value: Type.String({ format: name }) });
    const ours = (await generated([{ label: `POST /x body`, schema }], `format-${name}`)).validatorFor(JSON.parse(JSON.stringify(schema)));
    const jit = Compile(schema);
    for (const value of [valid, invalid]) expect({ value, check: ours.Check({ value }) }).toEqual({ value, check: jit.Check({ value }) });
    expect(ours.Check({ value: valid })).toBe(true);
    expect(ours.Check({ value: invalid })).toBe(false);
    expect(ours.Errors({ value: invalid })).toMatchObject([{ keyword: 'format', instancePath: '/value' }]);
  });
});

describe('a format no validator knows cannot reach the bundle', () => {
  it('is refused at build time, naming the route, the field, the format and the fix (it was compiled to `true`: never checked)', () => {
    const unknown = { label: 'POST /contacts body', schema: Type.Object({ phone: Type.String({ format: 'phone' }) }) };
    expect(() => generateValidatorsModule([unknown])).toThrow(UnregisteredFormatError);
    expect(() => generateValidatorsModule([unknown])).toThrow(/POST \/contacts body field \/phone declares format "phone".*Fix: register it with Format\.Set/);
  });

  it('a format registered at build time but not in the bundle fails loudly on first use, naming it (no TypeError)', async () => {
    Format.Set('bundle-test-only-at-build', (value) => value === 'ok');
    const schema = Type.Object({ code: Type.String({ format: 'bundle-test-only-at-build' }) }) as TSchema;
    const module = await generated([{ label: 'POST /codes body', schema }], 'missing-at-run-time');
    expect(() => module.validatorFor(JSON.parse(JSON.stringify(schema))).Check({ code: 'ok' })).toThrow(
      /format "bundle-test-only-at-build" .*POST \/codes body.* not registered in the Lambda bundle.*Fix: call Format\.Set\('bundle-test-only-at-build', \.\.\.\) in a module the Lambda entry imports/,
    );
  });
});

describe('the address book bundled as it is deployed (tests/support/apps/formats): its handler checks each format', () => {
  let handler: ProxyHandler;
  beforeAll(async () => {
    const bundle = await bundleLambda({ app: loadAppFile(FORMATS_APP), outDir: path.join(dir, 'contacts') });
    handler = ((await import(pathToFileURL(bundle.file).href)) as { handler: ProxyHandler }).handler;
  });

  const valid = {
    name: 'Ada',
    email: 'ada@example.org',
    homepage: 'https://example.org/ada',
    avatar: 'https://cdn.example.org/avatars/ada.png',
    workEmail: 'ada@example.org',
    born: '1815-12-10',
    lastSeen: '2024-02-29T12:30:00Z',
    wakeUp: '07:00:00Z',
    host: 'ada.example.org',
    ipv4: '192.0.2.1',
    ipv6: '2001:db8::1',
  };
  const create = (body: object) => handler(apiEvent('POST', '/contacts', { body, headers: { 'content-type': 'application/json', 'x-request-id': '3fa85f64-5717-4562-b3fc-2c963f66afa6' } }), {} as never);

  it('a valid contact is created, with the app’s own format (registered with Format.Set) too', async () => {
    expect((await create(valid))!.statusCode).toBe(201);
    expect((await create({ ...valid, tag: '#friends' }))!.statusCode).toBe(201);
  });

  it.each([
    ['homepage', 'example.org'],
    ['email', 'ada.example.org'],
    ['born', '1815-13-10'],
    ['lastSeen', 'yesterday'],
    ['ipv6', '2001:db8:::1'],
    ['tag', 'friends'],
  ])('%s = %j is a 400 naming the field', async (field, value) => {
    const result = (await create({ ...valid, [field]: value }))!;
    expect(result.statusCode).toBe(400);
    expect(json(result)).toMatchObject({ errors: [{ path: `/${field}`, in: 'body' }] });
  });
});
