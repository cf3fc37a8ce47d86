import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback server whose answer a test holds: see {@link gate}. */
export interface Gate {
  /** The server's URL (`http://127.0.0.1:<port>/`), for the function under test to GET. */
  url: string;
  /** Resolves when the first request arrives (the function is now waiting on the gate). */
  requested: Promise<void>;
  /** Answers the waiting request with `text`, and every later one at once. */
  release(text: string): void;
  close(): Promise<void>;
}

/**
 * Starts a server on loopback whose answer the test holds until `release`: a streamed route that GETs it between
 * two chunks is blocked there, so a test can see its first chunk arrive before the function writes its last
 * (tests/product/local/streaming.test.ts, tests/product/tools/client/streaming.test.ts).
 */
export function gate(): Promise<Gate> {
  let onRequest!: () => void;
  const requested = new Promise<void>((resolve) => (onRequest = resolve));
  let pending: http.ServerResponse | undefined;
  let answer: string | undefined;
  const server = http.createServer((_req, res) => {
    if (answer !== undefined) return void res.end(answer);
    pending = res;
    onRequest();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        requested,
        release: (text) => {
          answer = text;
          pending?.end(text);
        },
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}
