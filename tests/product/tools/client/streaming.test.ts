import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningLocal } from '../../../../infra/src/local/start';
import { generateClient } from '../../../../infra/src/tools/client/generate';
import { loadApiDocument } from '../../../../infra/src/tools/conformance/document';
import { loadFixture, PARCELS, STREAMS } from '../../../support/apps';
import { gate } from '../../../support/gate';
import { runProcess } from '../../../support/process';

const ROOT = path.resolve(__dirname, '../../../..');
const KEY = 'ClientStreamingKey0123456789abcdef';

/** The streams client's operations as these tests call them (the generated file has the precise types: checked by tsc below). */
interface Config { baseUrl: string; apiKey?: string; fetch?: typeof fetch }
interface StreamsClient {
  getLiveGated(config: Config): Promise<{ status: number; body: ReadableStream<Uint8Array>; headers: Headers }>;
  getLiveRaw(config: Config): Promise<{ status: number; body: ReadableStream<Uint8Array>; headers: Headers }>;
  getCsvRaw(config: Config): Promise<{ status: number; body: unknown; headers: Headers }>;
}

/** Type checks of the generated client: a streamed answer is a ReadableStream, not text (unused @ts-expect-error fails). */
const TYPE_CHECKS = `import { getLiveRaw, type ClientConfig } from './client';
declare const config: ClientConfig;
export async function checks(): Promise<void> {
  const stream: ReadableStream<Uint8Array> = (await getLiveRaw(config)).body;
  // @ts-expect-error: a streamed answer is not its text
  const wrong: string = (await getLiveRaw(config)).body;
  void stream; void wrong;
}
`;

/**
 * The client generated for the streams app (tests/support/apps/streams: `stream: true` routes in the group `live`)
 * and called through `npm start` over real HTTP: the public document marks a streamed operation
 * (`x-response-transfer-mode: STREAM`), and the client resolves it with a ReadableStream of the bytes as they come,
 * before the function has written its last (docs/streaming.md).
 */
describe('the typed client: streamed operations (docs/streaming.md)', () => {
  let dir = '';
  let client: StreamsClient;
  let local: RunningLocal;
  let config: Config;
  const bundleDir = path.join(PARCELS.dir, 'dist', 'test-bundles', `client-streaming-${process.pid}`);

  beforeAll(async () => {
    await mkdir(path.join(ROOT, 'dist'), { recursive: true });
    dir = await mkdtemp(path.join(ROOT, 'dist', 'client-streams-'));
    const app = loadFixture(STREAMS);
    const document = loadApiDocument({ root: PARCELS.dir, app });
    expect((document.paths['/live/raw'] as Record<string, Record<string, unknown>>).get!['x-response-transfer-mode']).toBe('STREAM');
    expect((document.paths['/csv/raw'] as Record<string, Record<string, unknown>>).get!['x-response-transfer-mode']).toBeUndefined();
    await writeFile(path.join(dir, 'client.ts'), await generateClient(document));
    await writeFile(path.join(dir, 'type-checks.ts'), TYPE_CHECKS);
    client = (await import(path.join(dir, 'client.ts'))) as StreamsClient;
    local = await startLocal({ root: PARCELS.dir, app, env: { PORT: '0', HOST: '127.0.0.1', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir }, out: () => {}, err: () => {}, accessLog: () => {} });
    config = { baseUrl: local.stageUrl, apiKey: KEY };
  }, 120_000);
  afterAll(async () => {
    await local?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(bundleDir, { recursive: true, force: true });
  });

  it('compiles under strict tsc, and reading a streamed answer as text does not', async () => {
    const strictest = ['--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--noUnusedLocals', '--isolatedModules'];
    const r = await runProcess(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', ...strictest, '--target', 'ES2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'ES2022,DOM', '--types', 'node', '--skipLibCheck', path.join(dir, 'client.ts'), path.join(dir, 'type-checks.ts')], { cwd: PARCELS.dir, timeoutMs: 120_000 });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('resolves a streamed operation with its status and headers and a stream whose first chunk comes before the function wrote its last', async () => {
    const held = await gate();
    try {
      // The route reads its gate from the query, which it does not declare: the client's fetch hook adds it.
      const withGate: typeof fetch = (url, init) => fetch(`${String(url)}?gate=${encodeURIComponent(held.url)}`, init);
      const answer = await client.getLiveGated({ ...config, fetch: withGate });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-live')).toBe('yes');
      expect(answer.body).toBeInstanceOf(ReadableStream);
      const reader = answer.body.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes('first\n')) {
        const { value, done } = await reader.read();
        expect(done).toBe(false);
        text += decoder.decode(value, { stream: true });
      }
      // The function is still waiting on the gate, which opens only now: its last chunk is not written yet.
      await held.requested;
      expect(text).toBe('first\n');
      held.release('middle\n');
      for (let next = await reader.read(); !next.done; next = await reader.read()) text += decoder.decode(next.value, { stream: true });
      expect(text).toBe('first\nmiddle\nlast\n');
    } finally {
      await held.close();
    }
  }, 60_000);

  it('a buffered operation of the same API keeps its own reading, and a streamed one with a status other than 200 streams too', async () => {
    const raw = await client.getLiveRaw(config);
    expect(raw.status).toBe(201);
    expect(await new Response(raw.body).text()).toBe('id,name\r\n1,alpha\r\n');
    const buffered = await client.getCsvRaw(config);
    expect(buffered.body).not.toBeInstanceOf(ReadableStream);
  }, 60_000);
});
