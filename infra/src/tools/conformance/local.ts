import { startLocal } from '../../local/start';

export interface LocalGateway {
  /** The stage's base URL, e.g. `http://127.0.0.1:40123/dev`. */
  baseUrl: string;
  apiKey: string;
  stop(): Promise<void>;
}

/**
 * Starts the local gateway as `npm start` does (the esbuild bundle behind the emulator, the stack's
 * settings), on a free loopback port, quietly, and returns where it listens. The function's
 * environment (CORS_ORIGINS, and what the app's localServices set) is set in this process, as `npm start` sets it, since the
 * bundle runs here. Rejects with npm start's readable message when the configuration is wrong.
 */
export async function startLocalGateway(options: { stack?: string; log?: (line: string) => void } = {}): Promise<LocalGateway> {
  const env = process.env;
  const saved = { PORT: env.PORT, HOST: env.HOST, STACK: env.STACK };
  env.PORT = '0';
  env.HOST = '127.0.0.1';
  if (options.stack) env.STACK = options.stack;
  try {
    const log = options.log ?? (() => {});
    const running = await startLocal({ env, out: log, err: log, accessLog: log });
    return { baseUrl: running.stageUrl, apiKey: running.apiKey, stop: () => running.stop() };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
  }
}
