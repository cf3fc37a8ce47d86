import http from 'node:http';
import { loadApp } from '../infra/app';

/** `npm run dev:service`: the app's plain Koa app (its descriptor's createApp; no gateway, no API key) for quick work on the service. */
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
