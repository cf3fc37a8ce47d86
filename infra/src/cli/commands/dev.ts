/**
 * `koa-apigateway dev` (`npm run dev`): `koa-apigateway start`, restarted (bundle and spec rebuilt) whenever a file under the app's folders
 * changes (its descriptor's `watch`, app.config.ts: service/ for the example), the descriptor itself does,
 * or the settings do (Pulumi.yaml, Pulumi.<stack>.yaml: fixing a refused setting restarts too).
 * The gateway runs in a child process so a changed route, schema or handler is picked up whole.
 * WATCH_DIR overrides the folders watched (one folder).
 *
 * Files are watched with chokidar rather than fs.watch: editors that save by writing a temporary file
 * and renaming it over the original (`sed -i`, vim's default, JetBrains' safe write) replace the file's
 * inode, and a watch on the old inode goes silent; chokidar follows the directory and reports the new file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { watch } from 'chokidar';
import { APP_VARIABLE, defaultAppFile, loadApp } from '../../app/load';
import { projectRoot } from '../../project';
import type { Command } from '../command';
import { parseCommandLine } from '../command-line';
import { START_ENVIRONMENT } from './start';

const USAGE = 'Usage: koa-apigateway dev (no arguments; the environment of koa-apigateway start, and WATCH_DIR)';
/**
 * The folders to watch: the descriptor's `watch`. A descriptor that does not load yet (a syntax error in the
 * service it imports, a bad field) is the gateway's to report: watch its whole folder until it is fixed.
 */
function appFolders(appFile: string): string[] {
  try {
    return loadApp().watchDirs;
  } catch {
    return [path.dirname(appFile)];
  }
}
async function run(args: string[]): Promise<number | void> {
  parseCommandLine({}, args, { ...START_ENVIRONMENT, 'watch-dir': 'WATCH_DIR', watch: 'WATCH_DIR' });
  const root = projectRoot();
  const appFile = process.env[APP_VARIABLE] ? path.resolve(process.env[APP_VARIABLE]) : defaultAppFile(root);
  const watchedDirs = process.env.WATCH_DIR ? [path.resolve(process.env.WATCH_DIR)] : appFolders(appFile);
  const watchedNames = watchedDirs.map((dir) => `${path.relative(root, dir) || '.'}/`).join(', ');
  /** How long the gateway gets to stop on the signal it received with us, before we pass one on. */
  const FORWARD_AFTER_MS = 2000;
  let child: ChildProcess | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let stopping = false;

  function start(): void {
    // Same process group as this process: a terminal's Ctrl-C (or a test stopping the group) reaches the
    // gateway too, and nothing outlives a group kill.
    // The CLI's own entry (process.argv[1]) with `start`: the same installed package, no shell, no npm in between.
    child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'start'], { stdio: 'inherit', env: process.env });
    child.on('exit', (code, signal) => {
      child = undefined;
      if (stopping) process.exit(code ?? 0);
      if (signal === null && code !== 0) process.stderr.write(`koa-apigateway dev: the gateway exited (${code}); waiting for a change under ${watchedNames} or to Pulumi.yaml / Pulumi.<stack>.yaml to retry.\n`);
    });
  }

  function restart(file: string): void {
    clearTimeout(restartTimer);
    // Editors write a file in several steps: wait for the burst to end.
    restartTimer = setTimeout(() => {
      process.stdout.write(`\n${path.relative(root, file)} changed: rebuilding the bundle and restarting...\n`);
      if (!child) return start();
      child.once('exit', () => start());
      child.kill('SIGTERM');
    }, 200);
  }

  // Dotfiles (editor swap and temp files such as `.app.ts.tmp1234`) and backups (`app.ts~`) are not sources.
  // Build output and dependencies are never sources (they matter when the descriptor's whole folder is watched).
  const ignored = (file: string) => /^\.|~$/.test(path.basename(file)) || ['node_modules', 'dist'].includes(path.basename(file));
  const watcher = watch([...watchedDirs, appFile], { ignoreInitial: true, ignored, atomic: true });
  watcher.on('all', (event, file) => {
    if (event === 'add' || event === 'change' || event === 'unlink') restart(file);
  });
  watcher.on('error', (error) => process.stderr.write(`koa-apigateway dev: watching ${watchedNames}: ${String(error)}\n`));

  // The settings: Pulumi.yaml and every Pulumi.<stack>.yaml beside it (a stack file created later included).
  // chokidar 4 has no globs: the project folder itself, one level deep, everything else ignored.
  const settingsFile = (file: string) => /^Pulumi(\.[^/\\]+)?\.ya?ml$/.test(path.basename(file));
  const settingsWatcher = watch(root, { ignoreInitial: true, depth: 0, atomic: true, ignored: (file) => file !== root && !settingsFile(file) });
  settingsWatcher.on('all', (event, file) => {
    if ((event === 'add' || event === 'change' || event === 'unlink') && settingsFile(file)) restart(file);
  });
  settingsWatcher.on('error', (error) => process.stderr.write(`koa-apigateway dev: watching ${root}: ${String(error)}\n`));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      clearTimeout(restartTimer);
      void watcher.close();
      void settingsWatcher.close();
      if (!child) process.exit(0);
      // From a terminal or a group kill the gateway got the signal too and is stopping; sent to this
      // process alone, pass it on.
      const running = child;
      setTimeout(() => running.exitCode === null && running.signalCode === null && running.kill('SIGTERM'), FORWARD_AFTER_MS).unref();
    });
  }
  // Never leave an orphaned gateway holding the port.
  process.on('exit', () => child?.kill('SIGKILL'));

  start();
  // Runs until a signal stops it.
  return new Promise<never>(() => undefined);
}

export const command: Command = { usage: USAGE, run };
