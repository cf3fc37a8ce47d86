import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../../../service/app';
import type { TodoRepository } from '../../../../service/todos/repository';

export interface Reply {
  status: number;
  headers: Headers;
  json: any;
}

export interface TestApi {
  call(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<Reply>;
  close(): Promise<void>;
}

/** Serves the real app (routes, validation, error middleware) over loopback HTTP with `repository`. */
export async function serveApp(repository: TodoRepository): Promise<TestApi> {
  const server: Server = createServer(createApp({ repository, logger: { error: () => {} } }).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    async call(method, path, options = {}) {
      const res = await fetch(base + path, {
        method,
        headers: { ...(options.body !== undefined && { 'content-type': 'application/json' }), ...options.headers },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
