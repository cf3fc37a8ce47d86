/**
 * `npm start`: the API on this machine behind the local API Gateway emulator, invoking the real
 * esbuild bundle. HOST (127.0.0.1), PORT (3000), API_KEY (generated, kept in .local/), STACK (dev).
 * STORAGE=dynamodb keeps todos in a local DynamoDB (dynalite, data in .local/dynamodb/; DYNAMODB_PORT).
 */
import { LocalStartError, startLocal } from '../infra/emulator/cli';
import { startLocalStorage } from '../infra/local-dynamo';

async function main(): Promise<void> {
  // Before startLocal, which defaults STORAGE from the stack settings: locally, memory stays the default.
  const storage = await startLocalStorage(process.env).catch((e: unknown) => {
    throw new LocalStartError((e as Error).message);
  });
  const running = await startLocal();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second Ctrl-C: leave now
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the local gateway...\n`);
    running.stop().then(() => storage?.close()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  // Configuration and port problems are explained in one line; anything else keeps its stack.
  const known = err instanceof LocalStartError || (err instanceof Error && /^(Config |Unknown config key|Unknown stack|API_KEY |Route |Routes )/.test(err.message));
  process.stderr.write(`npm start: ${known ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
