import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Child processes for tests. Every process starts in its own process group (`detached: true`, so its pid
 * is the group id) and is stopped by signalling the whole group (`process.kill(-pid, signal)`): `tsx`,
 * `npm` and the gateway under them go together, never just the wrapper. Every process still running is
 * stopped after each test file (tests/support/process-cleanup.ts, a vitest setup file), when the worker
 * exits, and by the test itself: on failure as on success. (POSIX process groups: kill(2), setsid(2).)
 */
export interface Started {
  child: ChildProcess;
  /** The process group id (the child's pid). */
  pgid: number;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr interleaved as they arrived. */
  output(): string;
  /** Resolves when the child exits (code, or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `re` in stdout+stderr; rejects if the child exits first or after `ms`. */
  waitFor(re: RegExp, ms?: number, count?: number): Promise<RegExpMatchArray>;
  /** Signals the whole group (default SIGTERM), SIGKILLs it after `graceMs` if still alive; resolves on exit. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<Started>();

/**
 * The node argument that loads TypeScript through this repository's tsx: `node <TSX> script.ts` runs a
 * script as `npm run` does (`node --import tsx`). tsx's own CLI is not used: it runs the script in a
 * child and, on Ctrl-C, waits only 30 ms for that child to acknowledge the signal before killing it and
 * exiting 130, so a loaded machine turned a clean stop into a kill.
 */
export const TSX = `--import=${pathToFileURL(require.resolve('tsx')).href}`;

/**
 * The `koa-apigateway` command as a project's npm scripts run it: the package's bin (infra/bin, loading the
 * built infra/dist that the tests' global setup keeps fresh). `node <CLI> start` is `npx koa-apigateway start`.
 */
export const CLI = path.resolve(__dirname, '..', '..', 'infra', 'bin', 'koa-apigateway.cjs');
export const ROOT = path.resolve(__dirname, '../..');

/** True while any process of group `pgid` is alive (signal 0 probes without signalling). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to every process of group `pgid`; a group already gone is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pgid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** Starts `command args` in a new process group, output captured; see {@link Started}. */
export function startProcess(command: string, args: readonly string[], options: Omit<SpawnOptions, 'detached' | 'stdio'> = {}): Started {
  const child = spawn(command, args, { cwd: ROOT, ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pgid = child.pid;
  let out = '';
  let err = '';
  let both = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => ((out += d), (both += d)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => ((err += d), (both += d)));
  // The leader gone, anything it left in its group goes too (a grandchild holding the pipes open would
  // otherwise keep 'close' from ever firing).
  child.on('exit', () => killGroup(pgid));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      running.delete(started);
      resolve({ code, signal });
    }),
  );
  const started: Started = {
    child,
    pgid,
    stdout: () => out,
    stderr: () => err,
    output: () => both,
    exited,
    async waitFor(re, ms = 60_000, count = 1) {
      const deadline = Date.now() + ms;
      let done = false;
      void exited.then(() => (done = true));
      for (;;) {
        const matches = [...both.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))];
        if (matches.length >= count) return matches[count - 1]!;
        if (done) throw new Error(`${command} exited before printing ${re}:\n${both}`);
        if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${re}:\n${both}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) killGroup(pgid, signal);
      const timer = setTimeout(() => killGroup(pgid, 'SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  running.add(started);
  return started;
}

/**
 * Runs `command args` to completion in its own process group and returns its exit status and output;
 * past `timeoutMs` the whole group is killed and the status is null (spawnSync's timeout would kill only
 * the direct child, leaving what it started).
 */
export async function runProcess(
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'detached' | 'stdio'> & { timeoutMs?: number } = {},
): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const { timeoutMs = 120_000, ...spawnOptions } = options;
  const started = startProcess(command, args, spawnOptions);
  const timer = setTimeout(() => killGroup(started.pgid, 'SIGKILL'), timeoutMs);
  try {
    const { code, signal } = await started.exited;
    return { status: code, signal, stdout: started.stdout(), stderr: started.stderr() };
  } finally {
    clearTimeout(timer);
    killGroup(started.pgid);
  }
}

/** Stops every process group still running (SIGKILL): the per-file safety net. */
export async function stopAll(): Promise<void> {
  const all = [...running];
  for (const p of all) killGroup(p.pgid, 'SIGKILL');
  await Promise.all(all.map((p) => p.exited));
}

// The worker itself ending (a crash, a timeout) still takes the groups down.
process.once('exit', () => {
  for (const p of running) killGroup(p.pgid, 'SIGKILL');
});

/**
 * Removes `dir` (`rm -rf`) in a process of its own that outlives the run: detached, not waited for, and not among
 * the processes {@link stopAll} and the worker's exit stop. The one process the suite leaves behind on purpose: the
 * run's adopted project (tests/global-setup.ts) holds tens of thousands of files, whose removal took over a minute on
 * the loaded 2-core machine, and nothing of the run needs to wait for it.
 */
export function removeInBackground(dir: string): void {
  spawn('rm', ['-rf', dir], { detached: true, stdio: 'ignore' }).unref();
}
