import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_LINE_AND_HEADERS_BYTES } from '../../../infra/src/local';
import { API_KEY, echoHandler, method, specOf, startGateway, type Started } from './support/gateway';

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends `head` (request line and header lines, without the blank line) byte for byte on a fresh TCP connection. */
function sendRaw(root: string, head: string): Promise<RawReply> {
  const { hostname, port } = new URL(root);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [top, ...rest] = text.split('\r\n\r\n');
      const lines = (top ?? '').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0), headers, body: rest.join('\r\n\r\n') });
    });
    socket.end(`${head}\r\nConnection: close\r\n\r\n`);
  });
}

describe('request size limits as API Gateway has them (10,240 bytes of request line and header values)', () => {
  let gw: Started;
  const stage = () => new URL(gw.url).pathname;
  beforeAll(async () => {
    gw = await startGateway({ spec: specOf([method('GET', '/health', { apiKeyRequired: false }), method('GET', '/items')]), handler: echoHandler().handler });
  });
  afterAll(() => gw?.close());

  /** A GET whose request line plus header values come to exactly `total` bytes. */
  const sized = (total: number, where: 'header' | 'url') => {
    const host = new URL(gw.root).host;
    const base = `GET ${stage()}/health HTTP/1.1`;
    const fixed = Buffer.byteLength(base) + Buffer.byteLength(host) + Buffer.byteLength('close');
    if (where === 'url') return `GET ${stage()}/health?q=${'a'.repeat(total - fixed - 3)} HTTP/1.1\r\nHost: ${host}`;
    return `${base}\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(total - fixed)}`;
  };

  it.each(['header', 'url'] as const)('exactly 10,240 bytes (%s) passes', async (where) => {
    const res = await sendRaw(gw.root, sized(MAX_REQUEST_LINE_AND_HEADERS_BYTES, where));
    expect(res.status, res.body).toBe(200);
  });

  it('one byte more in header values: 431 with a JSON body naming the limit', async () => {
    const res = await sendRaw(gw.root, sized(MAX_REQUEST_LINE_AND_HEADERS_BYTES + 1, 'header'));
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ message: 'HTTP header is larger than 10240 bytes.' });
  });

  it('a 15,000-byte URL: 414 with a JSON body', async () => {
    const res = await sendRaw(gw.root, `GET ${stage()}/health?q=${'a'.repeat(15_000)} HTTP/1.1\r\nHost: ${new URL(gw.root).host}`);
    expect(res.status).toBe(414);
    expect(JSON.parse(res.body)).toEqual({ message: 'An HTTP line is larger than 10240 bytes.' });
  });

  it('request line and headers each under the quota but together over it: 431', async () => {
    const res = await sendRaw(gw.root, `GET ${stage()}/health?q=${'a'.repeat(6000)} HTTP/1.1\r\nHost: ${new URL(gw.root).host}\r\nX-Big: ${'b'.repeat(6000)}`);
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body).message).toMatch(/10240 bytes/);
  });

  it.each([15_000, 20_000, 70_000, 200_000, 2_000_000])('a %i-byte header value (past Node\'s own 16 KB limit too): 431 with a JSON body, never a bare 431', async (bytes) => {
    const res = await sendRaw(gw.root, `GET ${stage()}/items HTTP/1.1\r\nHost: ${new URL(gw.root).host}\r\nx-api-key: ${API_KEY}\r\nX-Big: ${'a'.repeat(bytes)}`);
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body).message).toMatch(/larger than 10240 bytes/);
  });

  it('a request Node cannot parse: 400 with a JSON body', async () => {
    const res = await sendRaw(gw.root, 'THIS IS NOT HTTP');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ message: 'Bad Request' });
  });

  it('the local pages obey the same quota', async () => {
    const res = await sendRaw(gw.root, `GET /docs HTTP/1.1\r\nHost: ${new URL(gw.root).host}\r\nX-Big: ${'a'.repeat(11_000)}`);
    expect(res.status).toBe(431);
  });
});

describe('request size limits: counted as API Gateway counts them (issue 23, class 6)', () => {
  let gw: Started;
  const stage = () => new URL(gw.url).pathname;
  const echo = echoHandler();
  beforeAll(async () => {
    gw = await startGateway({ spec: specOf([method('GET', '/health', { apiKeyRequired: false }), method('POST', '/items', { apiKeyRequired: false })]), handler: echo.handler });
  });
  afterAll(() => gw?.close());

  it('a header value of bytes 0x80-0xFF counts one byte per byte: 9,000 of them pass', async () => {
    const host = new URL(gw.root).host;
    const { hostname, port } = new URL(gw.root);
    // Sent as raw bytes (latin1): 9,000 bytes of 0xE9 in one value, well under 10,240.
    const head = Buffer.concat([Buffer.from(`GET ${stage()}/health HTTP/1.1\r\nHost: ${host}\r\nX-Name: `), Buffer.alloc(9000, 0xe9), Buffer.from('\r\nConnection: close\r\n\r\n')]);
    const status = await new Promise<number>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname);
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'))?.[1] ?? 0)));
      socket.end(head);
    });
    expect(status).toBe(200);
  });

  it('1,000 small headers (values far under the quota, names long) pass: names do not count toward it', async () => {
    const host = new URL(gw.root).host;
    const lines = Array.from({ length: 1000 }, (_, i) => `X-Some-Long-Header-Name-Number-${String(i).padStart(4, '0')}-abcdefghij: v`).join('\r\n');
    const res = await sendRaw(gw.root, `GET ${stage()}/health HTTP/1.1\r\nHost: ${host}\r\n${lines}`);
    expect(res.status, res.body).toBe(200);
  });

  it('2,500 headers all reach the function: none is dropped in silence (Node keeps only 2,000 by default)', async () => {
    const host = new URL(gw.root).host;
    const lines = Array.from({ length: 2500 }, (_, i) => `X-H${i}: v`).join('\r\n');
    echo.events.length = 0;
    const res = await sendRaw(gw.root, `GET ${stage()}/health HTTP/1.1\r\nHost: ${host}\r\n${lines}`);
    expect(res.status, res.body).toBe(200);
    expect(echo.events.at(-1).headers['X-H2499']).toBe('v');
  });

  it('Expect: 100-continue with a Content-Length past 10 MB: 413 at once, never 100 Continue', async () => {
    const { hostname, port } = new URL(gw.root);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname);
      let text = '';
      socket.on('data', (c: Buffer) => {
        text += c.toString('latin1');
        // The first answer decides: a 100 would invite the 50 MB.
        if (/\r\n\r\n/.test(text)) socket.destroy(), resolve(text);
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(text));
      socket.write(`POST ${stage()}/items HTTP/1.1\r\nHost: ${new URL(gw.root).host}\r\nContent-Type: application/json\r\nContent-Length: ${50 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toContain(`HTTP content length exceeded ${10 * 1024 * 1024} bytes.`);
  });

  it('invalid UTF-8 in a JSON body reaches the function as U+FFFD, decoded as a Java service decodes UTF-8 (docs/reliability.md, UNCONFIRMED on AWS)', async () => {
    const { hostname, port } = new URL(gw.root);
    const body = Buffer.concat([Buffer.from('{"title":"a'), Buffer.from([0xff, 0xc3]), Buffer.from('b"}')]);
    echo.events.length = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname);
      let out = '';
      socket.on('data', (c: Buffer) => (out += c.toString('latin1')));
      socket.on('error', reject);
      socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0)));
      socket.end(Buffer.concat([Buffer.from(`POST ${stage()}/items HTTP/1.1\r\nHost: ${new URL(gw.root).host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
    });
    expect(status).toBe(200);
    expect(echo.events.at(-1).body).toBe('{"title":"a\uFFFD\uFFFDb"}');
    expect(echo.events.at(-1).isBase64Encoded).toBe(false);
  });

  it('Expect: 100-continue with a small body: 100 Continue, then the answer', async () => {
    const { hostname, port } = new URL(gw.root);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname);
      let out = '';
      let sent = false;
      socket.on('data', (c: Buffer) => {
        out += c.toString('latin1');
        // The body goes only after the interim answer, as curl sends it.
        if (!sent && /^HTTP\/1\.1 100 Continue\r\n\r\n/.test(out)) {
          sent = true;
          socket.end('{}');
        }
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(out));
      socket.write(`POST ${stage()}/items HTTP/1.1\r\nHost: ${new URL(gw.root).host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`);
    });
    expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    expect(echo.events.at(-1).body).toBe('{}');
  });
});

describe('the gateway 400 detail is bounded (docs/apigateway-behaviour.md §4.19)', () => {
  let gw: Started;
  beforeAll(async () => {
    const spec = specOf([method('POST', '/arr', { apiKeyRequired: false, requestModels: { 'application/json': 'Arr' }, validator: 'BODY' })], [{ name: 'Arr', contentType: 'application/json', schema: { type: 'object', properties: { arr: { type: 'array', items: { type: 'integer', maximum: 5 } } } } }]);
    gw = await startGateway({ spec, handler: echoHandler().handler });
  });
  afterAll(() => gw?.close());

  it('30,000 failing array items: 100 messages, then how many more, not one message each', async () => {
    const res = await fetch(`${gw.url}/arr`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ arr: Array(30_000).fill(9) }) });
    expect(res.status).toBe(400);
    const { detail } = (await res.json()) as { detail: string };
    expect(detail.split('numeric instance is greater than the required maximum').length - 1).toBe(100);
    expect(detail).toMatch(/, \.\.\. 29900 more\]$/);
  });
});
