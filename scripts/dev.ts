/**
 * `npm run dev`: `npm start`, restarted (bundle and spec rebuilt) whenever a file under service/ changes.
 * The gateway runs in a child process so a changed route, schema or handler is picked up whole.
 * WATCH_DIR overrides the folder watched (default service/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const watched = path.resolve(process.env.WATCH_DIR || path.join(root, 'service'));
const tsxCli = require.resolve('tsx/cli');
let child: ChildProcess | undefined;
let restartTimer: NodeJS.Timeout | undefined;
let stopping = false;

function start(): void {
  // Its own process group: a terminal's Ctrl-C reaches only this process, which passes it on once.
  child = spawn(process.execPath, [tsxCli, path.join(root, 'scripts', 'start.ts')], { stdio: 'inherit', env: process.env, detached: true });
  child.on('exit', (code, signal) => {
    child = undefined;
    if (stopping) process.exit(code ?? 0);
    if (signal === null && code !== 0) process.stderr.write(`npm run dev: the gateway exited (${code}); waiting for a change under ${path.relative(root, watched)}/ to retry.\n`);
  });
}

function restart(file: string): void {
  clearTimeout(restartTimer);
  // Editors write a file in several steps: wait for the burst to end.
  restartTimer = setTimeout(() => {
    process.stdout.write(`\n${path.relative(root, path.join(watched, file))} changed: rebuilding the bundle and restarting...\n`);
    if (!child) return start();
    child.once('exit', () => start());
    child.kill('SIGTERM');
  }, 200);
}

watch(watched, { recursive: true }, (_event, file) => {
  if (file && !/(^|[/\\])\.|~$/.test(file)) restart(String(file));
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(restartTimer);
    if (!child) process.exit(0);
    child.kill(signal);
  });
}
// Never leave an orphaned gateway holding the port.
process.on('exit', () => child?.kill('SIGKILL'));

start();
