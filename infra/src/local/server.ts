import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPipeline, type GatewayOptions } from './pipeline';
import { send } from './response';
import { expectContinueRefusal, MAX_REQUEST_LINE_AND_HEADERS_BYTES, NODE_MAX_HEADER_BYTES, normalizeIp } from './request';

/**
 * A running local gateway (`createGateway`): its HTTP server, started with `listen` and stopped with `close`
 * (open connections included), and `reload` for the dev loop's rebuilt bundle.
 */
export interface Gateway {
  /**
   * Starts listening; resolves with the base URL of the stage (`http://127.0.0.1:3000/dev`) and, with
   * a `basePath`, the URL the base-path mapping serves (`http://127.0.0.1:3000/v1`).
   */
  listen(port: number, host?: string): Promise<{ url: string; stageUrl: string; port: number; customUrl?: string }>;
  /** Stops the server (open connections included) and every function's process; resolves once they have exited. */
  close(): Promise<void>;
  /** Imports the bundle afresh on the next request (after a rebuild): every function's process is replaced by a new one. */
  reload(): void;
  readonly server: http.Server;
}

/**
 * Returns the local gateway: the deployed stage's routing, API key check, usage plan, request
 * validation, Lambda proxy integration and gateway responses, driven only by the API definition
 * (what the RestApi imports) and the stage's settings. The HTTP server around the pipeline
 * (./pipeline.ts): one access-log line per request (path without the query, never a header, so the
 * key stays out of the log), a 500 `Internal server error` for a fault of the emulator itself, and JSON
 * refusals of what Node's parser rejects before any stage runs.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { settings, basePath } = options;
  let baseUrl = '';
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logError = options.logError ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pipeline = createPipeline(options, () => baseUrl, logError);

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Path without the query string, and never a header: the key stays out of the log.
      const pathOnly = (req.url ?? '/').split('?', 1)[0];
      log(`${new Date().toISOString()} ${requestId} ${normalizeIp(req.socket.remoteAddress)} "${req.method} ${pathOnly}" ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    pipeline.handle(req, res, requestId).catch((err: unknown) => {
      logError(`[${requestId}] emulator error: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'application/json' }, '{"message":"Internal server error"}');
      else res.destroy();
    });
  };
  const server = http.createServer({ maxHeaderSize: NODE_MAX_HEADER_BYTES }, handle);
  // Every header line reaches the stages and the event: Node keeps only the first 2,000 by default and drops
  // the rest in silence; the size is bounded by NODE_MAX_HEADER_BYTES instead.
  server.maxHeadersCount = 0;
  // `Expect: 100-continue` (RFC 9110 §10.1.1): a body past the payload limit is refused before the client
  // sends it (Node would answer 100 Continue on its own and then read up to 10 MB for nothing).
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const refusal = expectContinueRefusal(req);
    if (!refusal) {
      res.writeContinue();
      return handle(req, res);
    }
    log(`${new Date().toISOString()} ${randomUUID()} ${normalizeIp(req.socket.remoteAddress)} "${req.method} ${(req.url ?? '/').split('?', 1)[0]}" ${refusal.status} 0.0ms`);
    send(res, refusal.status, refusal.headers, refusal.body);
  });

  // What Node's parser refuses before any handler runs (past NODE_MAX_HEADER_BYTES, or not HTTP) it would
  // answer with a bare status line; the gateway's refusals are JSON.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET')) return void socket.destroy();
    const overflow = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({ message: overflow ? `HTTP header is larger than ${MAX_REQUEST_LINE_AND_HEADERS_BYTES} bytes.` : 'Bad Request' });
    const status = overflow ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });

  return {
    server,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const actual = (server.address() as AddressInfo).port;
          baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
          resolve({ url: baseUrl, stageUrl: `${baseUrl}/${settings.stageName}`, port: actual, ...(basePath !== undefined ? { customUrl: `${baseUrl}${basePath === '' ? '' : `/${basePath}`}` } : {}) });
        });
      }),
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      // The functions' processes go whatever the server does: none outlives the gateway.
      const stopped = pipeline.close();
      await Promise.all([closed, stopped]);
    },
    reload: () => pipeline.reload(),
  };
}
