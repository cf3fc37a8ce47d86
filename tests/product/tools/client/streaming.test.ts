import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture, STREAMS } from '../../../support/apps';
import { gate } from '../../../support/gate';
import { clientAgainstLocal, typeCheckClient } from './support';

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
  let config: Config;
  let stop = async () => {};

  beforeAll(async () => {
    ({ dir, client, config, stop } = await clientAgainstLocal<StreamsClient>(loadFixture(STREAMS), 'client-streams', KEY, TYPE_CHECKS, (document) => {
      expect((document.paths['/live/raw'] as Record<string, Record<string, unknown>>).get!['x-response-transfer-mode']).toBe('STREAM');
      expect((document.paths['/csv/raw'] as Record<string, Record<string, unknown>>).get!['x-response-transfer-mode']).toBeUndefined();
    }));
  }, 120_000);
  afterAll(() => stop());

  it('compiles under strict tsc, and reading a streamed answer as text does not', async () => {
    const strictest = ['--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--noUnusedLocals', '--isolatedModules'];
    const r = await typeCheckClient(dir, strictest);
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
