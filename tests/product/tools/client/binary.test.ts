import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture, MEDIA } from '../../../support/apps';
import { PNG, REPORT_CSV } from '../../../support/apps/media/app';
import { clientAgainstLocal, typeCheckClient } from './support';

const KEY = 'ClientBinaryKey0123456789abcdef';
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The media client's operations as these tests call them (the generated file has the precise types: checked by tsc below). */
interface Config { baseUrl: string; apiKey?: string }
interface MediaClient {
  getLogo(config: Config): Promise<{ status: number; body: Blob; headers: Headers }>;
  getReport(config: Config): Promise<{ status: number; body: string; headers: Headers }>;
  putBlob(config: Config, input: { body: Blob | ArrayBuffer | Uint8Array; contentType?: string }): Promise<{ status: number; body: { sha256: string; length: number; contentType: string } }>;
}

/** Type checks of the generated media client: a wrong body or media type must not compile (unused @ts-expect-error fails). */
const TYPE_CHECKS = `import { getLogo, getReport, putBlob, type ClientConfig } from './client';
declare const config: ClientConfig;
export async function checks(): Promise<void> {
  const logo: Blob = (await getLogo(config)).body;
  const report: string = (await getReport(config)).body;
  await putBlob(config, { body: new Uint8Array([1, 2]) });
  await putBlob(config, { body: new ArrayBuffer(2), contentType: 'image/*' });
  await putBlob(config, { body: new Blob(['x'], { type: 'application/octet-stream' }) });
  // @ts-expect-error: a JSON value is not bytes
  await putBlob(config, { body: { a: 1 } });
  // @ts-expect-error: a media type the route does not declare
  await putBlob(config, { body: new Uint8Array([1]), contentType: 'text/plain' });
  // @ts-expect-error: the PNG is a Blob, not a string
  const wrong: string = (await getLogo(config)).body;
  void logo; void report; void wrong;
}
`;

/**
 * The client generated for the media app (tests/support/apps/media: binary bodies both ways, a text/csv answer) and
 * called through `npm start`, over real HTTP: a binary answer resolves with a Blob of the exact bytes, a binary body
 * is sent as it is with a declared Content-Type, a text answer that is not JSON resolves with its text.
 */
describe('the typed client: binary bodies and answers, text answers (docs/binary.md)', () => {
  let dir = '';
  let client: MediaClient;
  let config: Config;
  let stop = async () => {};

  beforeAll(async () => {
    ({ dir, client, config, stop } = await clientAgainstLocal<MediaClient>(loadFixture(MEDIA), 'client-media', KEY, TYPE_CHECKS));
  }, 120_000);
  afterAll(() => stop());

  it('compiles under strict tsc, and a wrong body, media type or answer type does not', async () => {
    const strictest = ['--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--noPropertyAccessFromIndexSignature', '--noUnusedLocals', '--noUnusedParameters', '--isolatedModules'];
    const r = await typeCheckClient(dir, strictest);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('a binary answer is a Blob of the exact bytes: the client asks for the binary type first, so the gateway decodes it (docs/apigateway-behaviour.md §6.8)', async () => {
    const logo = await client.getLogo(config);
    expect(logo.status).toBe(200);
    expect(logo.body).toBeInstanceOf(Blob);
    expect(Buffer.from(await logo.body.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('a binary body is sent as it is, as a Uint8Array, an ArrayBuffer or a Blob, with a declared Content-Type', async () => {
    const fromBytes = await client.putBlob(config, { body: ALL_BYTES });
    expect(fromBytes.body).toEqual({ sha256: sha256(ALL_BYTES), length: 256, contentType: 'application/octet-stream' });
    const fromBuffer = await client.putBlob(config, { body: ALL_BYTES.buffer.slice(ALL_BYTES.byteOffset, ALL_BYTES.byteOffset + 256), contentType: 'image/*' });
    expect(fromBuffer.body).toMatchObject({ sha256: sha256(ALL_BYTES), contentType: 'image/*' });
    const fromBlob = await client.putBlob(config, { body: new Blob([PNG], { type: 'image/*' }) });
    expect(fromBlob.body).toEqual({ sha256: sha256(PNG), length: PNG.length, contentType: 'image/*' });
    await expect(client.putBlob(config, { body: PNG, contentType: 'text/plain' })).rejects.toThrow(/contentType text\/plain is not one the operation declares/);
  });

  it('a text answer that is not JSON (text/csv) is its text', async () => {
    const report = await client.getReport(config);
    expect(report).toMatchObject({ status: 200, body: REPORT_CSV });
    expect(report.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });
});
