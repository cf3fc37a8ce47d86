import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { ROOT as PROJECT_ROOT } from './repo';
import { readStackSettings } from '../infra/src/app/load-stack';

// autocannon ships CommonJS without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { average: number; total: number };
  '2xx': number;
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  /** Responses with status 2xx. */
  ok: number;
  non2xx: number;
  errors: number;
}

export interface EmulatorResult {
  path: string;
  connections: number;
  durationSeconds: number;
  /** `npm start` itself, as configured: the stage throttle answers 429 beyond its rate and burst. */
  asConfigured: LoadResult & { rateLimit: number; burstLimit: number };
  /** The same server with the throttle raised: what the emulator itself sustains. */
  unthrottled: LoadResult;
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

/** Returns autocannon's summary of loading `url` for the given duration. */
async function load(url: string, options: { durationSeconds: number; connections: number }): Promise<LoadResult> {
  const warm = await fetch(url);
  if (warm.status !== 200) throw new Error(`${url} answered ${warm.status}`);
  const result = await autocannon({ url, connections: options.connections, duration: options.durationSeconds, pipelining: 1 });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * Runs `args` (a server printing its URL on stdout) until `pattern` matches its output, then `use`s
 * the URL, then stops it. Keeps draining its output so the access log never blocks the server.
 */
async function withServer<T>(args: string[], env: NodeJS.ProcessEnv, pattern: RegExp, use: (url: string) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`${args.join(' ')} was not ready within 60 s:\n${out}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = pattern.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${out}`)));
    });
    child.stdout!.resume();
    child.stderr!.resume();
    return await use(url);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  }
}

/**
 * Loads `GET /<stage>/health` (public: no key, so the per-key usage plan does not apply) on loopback
 * with autocannon, twice: through `npm start`'s server as configured (infra/src/cli/commands/start.ts, memory storage;
 * the stage throttle answers 429 beyond its rate), then through the same gateway with the throttle
 * raised (bench/emulator-child.ts), which is what the emulator itself sustains.
 */
export async function measureEmulator(options: { durationSeconds: number; connections: number }): Promise<EmulatorResult> {
  const settings = readStackSettings();
  const port1 = await freePort();
  const asConfigured = await withServer(
    // What `npm start` runs (package.json: `koa-apigateway start`, the package's bin).
    [path.join(PROJECT_ROOT, 'infra', 'bin', 'koa-apigateway.cjs'), 'start'],
    { HOST: '127.0.0.1', PORT: String(port1), API_KEY: 'benchmarkKey0123456789abcdef', STORAGE: 'memory' },
    new RegExp(`(http://127\\.0\\.0\\.1:${port1}/[A-Za-z0-9_-]+)`),
    (stageUrl) => load(`${stageUrl}/health`, options),
  );
  const port2 = await freePort();
  const unthrottled = await withServer([path.join(__dirname, 'emulator-child.ts'), String(port2)], {}, /READY (\S+)/, (stageUrl) => load(`${stageUrl}/health`, options));
  return {
    path: `/${settings.stageName}/health`,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    asConfigured: { ...asConfigured, rateLimit: settings.stageThrottle.rateLimit, burstLimit: settings.stageThrottle.burstLimit },
    unthrottled,
  };
}
