/**
 * `koa-apigateway start` (`npm start`): the API on this machine behind the local API Gateway emulator, invoking the real
 * esbuild bundle. HOST (127.0.0.1), PORT (3000), API_KEY (generated, kept in .local/), STACK (dev),
 * KOA_APIGATEWAY_APP (the app descriptor; default app.config.ts). The app's own local services (a local
 * database, say) start through its descriptor's `localServices` (infra/src/app/load.ts).
 */
import { formatMessagesSync, type Message } from 'esbuild';
import type * as App from '../../app/load';
import type * as Local from '../../local/start';
import { prepareUnlessRefused, type Command } from '../command';
import { parseCommandLine } from '../command-line';

/** What start reads from the environment, by the option name a user may type for it (`--stack` → STACK). */
export const START_ENVIRONMENT: Readonly<Record<string, string>> = { stack: 'STACK', port: 'PORT', host: 'HOST', 'api-key': 'API_KEY', 'base-path': 'BASE_PATH', 'user-pool': 'USER_POOL', app: 'KOA_APIGATEWAY_APP' };

const USAGE = 'Usage: koa-apigateway start (no arguments; HOST, PORT, API_KEY, STACK, BASE_PATH, USER_POOL and KOA_APIGATEWAY_APP in the environment)';

async function run(args: string[]): Promise<void> {
  parseCommandLine({}, args, START_ENVIRONMENT);
  // Loaded here, not imported at the top: a syntax error in the service surfaces while tsx loads these
  // modules, and must reach the catch below rather than Node's uncaught-exception trace.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startLocal } = require('../../local/start') as typeof Local;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadApp } = require('../../app/load') as typeof App;
  const running = await startLocal({ app: loadApp() });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second Ctrl-C: leave now
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the local gateway...\n`);
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * Returns esbuild's own formatted report (file, line, column, the line with a caret) when `err` is an
 * esbuild failure (tsx loading a source, or the bundle build), else undefined: its stack trace shows
 * only esbuild's internals.
 */
export function esbuildReport(err: unknown): string | undefined {
  const errors = (err as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((m) => typeof (m as Message)?.text === 'string')) {
    return formatMessagesSync(errors as Message[], { kind: 'error', color: false }).join('').trimEnd();
  }
  // tsx passes on esbuild's error without its `errors` list, as an Error named TransformError (tsx's
  // dist/register: its name, not its text, says what it is); its message is esbuild's summary
  // ("Transform failed with 1 error:\n<file>:<line>:<column>: ERROR: <text>").
  if (err instanceof Error && err.name === 'TransformError') return err.message;
  return undefined;
}

/** Loads the local gateway and the app loader before tsx is registered (Command.prepare), unless the command line is wrong. */
const prepare = prepareUnlessRefused(
  (args) => parseCommandLine({}, args, START_ENVIRONMENT),
  () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../local/start');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../app/load');
  },
);

// A user error (settings, stack, API_KEY, a route API Gateway cannot deploy, a port in use: VisibleError) in one
// line; a syntax error as esbuild reports it; anything else keeps its stack. Exit 2 for a mistake on the command line
// (as every command), else 1; running, it stays up.
export const command: Command = {
  prepare,
  usage: USAGE,
  run,
  ending: {
    keepRunning: true,
    describe: (err) => {
      const report = esbuildReport(err);
      return report ? `koa-apigateway start: the service does not compile:\n${report}` : undefined;
    },
  },
};
