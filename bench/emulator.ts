import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../infra/bundle';

// autocannon ships CommonJS without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface EmulatorResult {
  path: string;
  connections: number;
  durationSeconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** Returns a free loopback port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `npm start`'s server (scripts/start.ts: the emulator invoking the real bundle, memory storage)
 * on a free loopback port, loads `GET /<stage>/health` (public: no key, so the usage plan's 100 req/s
 * does not cap it) with autocannon for a fixed duration, then stops the server.
 */
export async function measureEmulator(options: { durationSeconds: number; connections: number }): Promise<EmulatorResult> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'start.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_OPTIONS: '', HOST: '127.0.0.1', PORT: String(port), API_KEY: 'benchmarkKey0123456789abcdef', STORAGE: 'memory' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const stageUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`npm start did not print its URL within 60 s:\n${out}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = new RegExp(`http://127\\.0\\.0\\.1:${port}/[A-Za-z0-9_-]+`).exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${out}`)));
    });
    // Keep draining the access log so the server never blocks on a full pipe.
    child.stdout!.resume();
    child.stderr!.resume();
    const url = `${stageUrl}/health`;
    const warm = await fetch(url);
    if (warm.status !== 200) throw new Error(`${url} answered ${warm.status}`);
    const result = await autocannon({ url, connections: options.connections, duration: options.durationSeconds, pipelining: 1 });
    return {
      path: new URL(url).pathname,
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  }
}
