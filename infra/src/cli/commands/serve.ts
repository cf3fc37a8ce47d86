import http from 'node:http';
import { loadApp } from '../../app/load';
import type { Command } from '../command';
import { parseCommandLine } from '../command-line';

const USAGE = 'Usage: koa-apigateway serve (no arguments; HOST, PORT, KOA_APIGATEWAY_APP in the environment)';

/** `koa-apigateway serve`: the app's plain Koa app (its descriptor's createApp; no gateway, no API key) for quick work on the service. */
async function run(args: string[]): Promise<number | void> {
  parseCommandLine({}, args, { port: 'PORT', host: 'HOST', app: 'KOA_APIGATEWAY_APP' });
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 3000);
  const server = http.createServer(loadApp().createApp({ userPool: Boolean(process.env.USER_POOL_ID) }).callback());
  server.on('error', (err: NodeJS.ErrnoException) => {
    console.error(err.code === 'EADDRINUSE' ? `Port ${port} is in use: stop the other server or set PORT=<free port>.` : err.message);
    process.exit(1);
  });
  server.listen(port, host, () => {
    console.log(`Koa service (no gateway) on http://${host}:${port}  ·  try: curl http://${host}:${port}/health`);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => server.close(() => process.exit(0)));
  }
  return new Promise<never>(() => undefined);
}

export const command: Command = { usage: USAGE, run };
