/**
 * `npm run dev`: `npm start`, restarted (bundle and spec rebuilt) whenever a file under service/ changes.
 * The gateway runs in a child process so a changed route, schema or handler is picked up whole.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const tsxCli = require.resolve('tsx/cli');
let child: ChildProcess | undefined;
let restartTimer: NodeJS.Timeout | undefined;
let stopping = false;

function start(): void {
  child = spawn(process.execPath, [tsxCli, path.join(root, 'scripts', 'start.ts')], { stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    child = undefined;
    if (stopping) process.exit(0);
    if (signal === null && code !== 0) process.stderr.write(`npm run dev: the gateway exited (${code}); waiting for a change under service/ to retry.\n`);
  });
}

function restart(file: string): void {
  clearTimeout(restartTimer);
  // Editors write a file in several steps: wait for the burst to end.
  restartTimer = setTimeout(() => {
    process.stdout.write(`\nservice/${file} changed: rebuilding the bundle and restarting...\n`);
    if (!child) return start();
    child.once('exit', () => start());
    child.kill('SIGTERM');
  }, 200);
}

watch(path.join(root, 'service'), { recursive: true }, (_event, file) => {
  if (file && !/(^|[/\\])\.|~$/.test(file)) restart(String(file));
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopping = true;
    clearTimeout(restartTimer);
    if (!child) process.exit(0);
    child.kill(signal);
  });
}

start();
