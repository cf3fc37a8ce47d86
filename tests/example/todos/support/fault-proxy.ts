import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with the next request whose DynamoDB operation matches (`X-Amz-Target: DynamoDB_20120810.<op>`). */
export type Fault =
  /** Forwards the request, lets DynamoDB apply it, then cuts the connection: the response is lost. */
  | 'lose-response'
  /** Accepts the request and never answers. */
  | 'never-answer'
  /** Answers as a load balancer in front of a failing service would: a status with an HTML body. */
  | { status: number };

export interface FaultProxy {
  /** e.g. `http://127.0.0.1:54321`: point the DynamoDB client here. */
  endpoint: string;
  /** Applies `fault` to the next `count` requests for `operation` (`PutItem`, `DeleteItem`…, or `*`). */
  inject(operation: string, fault: Fault, count?: number): void;
  /**
   * Applies `fault` to every request until cleared; a function chooses per request (`n` counts requests
   * from 1; `body` is the request's JSON text, the same for the SDK's retries of one call).
   */
  always(fault: Fault | ((operation: string, n: number, body: string) => Fault | undefined) | undefined): void;
  /** Operations seen, in order, with what was done to each. */
  readonly seen: Array<{ operation: string; fault?: string }>;
  close(): Promise<void>;
}

/**
 * Starts an HTTP proxy on 127.0.0.1 in front of a real DynamoDB-protocol server (dynalite): real TCP
 * connections both ways, and faults injected per operation, as a network or a load balancer between
 * the function and DynamoDB produces them.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const queue: Array<{ operation: string; fault: Fault; left: number }> = [];
  let standing: Fault | ((operation: string, n: number, body: string) => Fault | undefined) | undefined;
  let count = 0;
  const seen: FaultProxy['seen'] = [];
  const hung: IncomingMessage[] = [];

  const server: Server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
    const n = ++count;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = queue.findIndex((q) => q.operation === operation || q.operation === '*');
      let fault = typeof standing === 'function' ? standing(operation, n, Buffer.concat(chunks).toString('utf8')) : standing;
      if (index >= 0) {
        fault = queue[index]!.fault;
        if (--queue[index]!.left === 0) queue.splice(index, 1);
      }
      seen.push({ operation, fault: fault === undefined ? undefined : typeof fault === 'string' ? fault : `status ${fault.status}` });
      if (fault === 'never-answer') return void hung.push(req);
      if (typeof fault === 'object') {
        res.writeHead(fault.status, { 'content-type': 'text/html' });
        return void res.end(`<html><body><h1>${fault.status}</h1></body></html>`);
      }
      const forward = request(
        { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            // DynamoDB has applied the request; the client never hears of it.
            if (fault === 'lose-response') return void req.socket.destroy();
            res.writeHead(up.statusCode!, up.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      forward.on('error', () => req.socket.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    inject: (operation, fault, count = 1) => void queue.push({ operation, fault, left: count }),
    always: (fault) => void (standing = fault),
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const req of hung) req.socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
