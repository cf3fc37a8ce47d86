/**
 * `npm run bench`: builds the service and its baselines with the same esbuild options, then measures
 * bundle size, cold start, warm latency and memory (all stacks interleaved, so ratios hold on a noisy
 * machine), each function group's bundle and cold start against the whole app's, synthesis at scale under
 * Pulumi mocks, and the local emulator over loopback; writes
 * BENCHMARKS.md and dist/bench/results.json. BENCH_QUICK=1 runs a short version (for trying things);
 * `--report` only rewrites BENCHMARKS.md from the last results (after editing bench/NOTES.md).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT as PROJECT_ROOT } from './repo';
import { measureEmulator } from './emulator';
import { coldStart, deployedEnvironment, groupColdStartEnvironment, interleave, median, quantile, warmRun, type ColdRun } from './measure';
import { renderReport, type BenchResults, type ColdSummary, type WarmSummary } from './report';
import { buildStacks, importsSdkStatically, KOA_WITHOUT_SDK, type BuiltStack } from './stacks';
import { buildFunctions } from './groups';
import { benchEvents, PREFILL, writeBenchEvents } from './scenarios';
import { measureSynthesis } from './synth';

const QUICK = process.env.BENCH_QUICK === '1';
const CONFIG = {
  coldRuns: QUICK ? 5 : 41,
  warmRounds: QUICK ? 1 : 5,
  iterations: QUICK ? 5_000 : 20_000,
  warmup: QUICK ? 500 : 2_000,
  total: QUICK ? 30_000 : 100_000,
  synthSizes: [10, 100, 300],
  emulatorSeconds: QUICK ? 3 : 10,
  emulatorConnections: 10,
};

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main(): Promise<void> {
  if (process.argv.includes('--report')) return rewriteReport();
  // The function runs on nodejs22.x: numbers from another Node say nothing about it (package.json engines).
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) throw new Error(`npm run bench needs Node 22 (the function's runtime, nodejs22.x); this is Node ${process.versions.node}. Fix: put Node 22 first on PATH.`);
  const started = Date.now();
  const machine = await describeMachine();
  log(`${machine.cpu} x${machine.nproc}, Node ${machine.node}${QUICK ? ' (quick)' : ''}`);

  log('building the service and its baselines');
  const built = await buildStacks();
  const koa = built.find((s) => s.id === 'koa')!;
  const sdkStatic = await importsSdkStatically(koa.file);
  const stacks: BuiltStack[] = sdkStatic ? [...built, ...(await buildStacks([KOA_WITHOUT_SDK]))] : built;

  const eventsFile = await writeBenchEvents(path.join(PROJECT_ROOT, 'dist', 'bench', 'run', 'events.json'));
  const environment = deployedEnvironment();
  log(`function environment (as deployed): ${JSON.stringify(environment)}`);

  log(`cold start: ${CONFIG.coldRuns} interleaved rounds of ${stacks.length} fresh processes`);
  const coldRuns = await interleave(stacks, CONFIG.coldRuns, (s) => coldStart(s.file, eventsFile));
  const cold: Record<string, ColdSummary> = {};
  stacks.forEach((s, i) => {
    cold[s.id] = summarize(coldRuns[i]!);
  });

  log('function groups: building the whole app and each group entry (service/functions/groups.ts)');
  const functions = await buildFunctions();
  const whole = functions.find((f) => f.id === 'whole')!;
  // Each group's cold-start request, sent to the group's function and to the whole app's, all pairs interleaved.
  const pairs = benchEvents().functionColdStarts.flatMap((c) => [
    { group: c.group, fn: functions.find((f) => f.id === c.group)! },
    { group: c.group, fn: whole },
  ]);
  log(`function groups' cold starts: ${CONFIG.coldRuns} interleaved rounds of ${pairs.length} fresh processes`);
  const pairRuns = await interleave(pairs, CONFIG.coldRuns, (p) => coldStart(p.fn.file, eventsFile, p.group));
  const functionCold = benchEvents().functionColdStarts.map((c, i) => ({ group: c.group, route: c.route, status: c.status, fn: summarize(pairRuns[2 * i]!), whole: summarize(pairRuns[2 * i + 1]!) }));

  log(`warm latency: ${CONFIG.warmRounds} interleaved rounds, ${CONFIG.iterations} invocations per scenario, ${CONFIG.total} per process`);
  const warmRounds = await interleave(stacks, CONFIG.warmRounds, (s) => warmRun(s.file, eventsFile, CONFIG));
  const warm: Record<string, WarmSummary> = {};
  stacks.forEach((s, i) => {
    const rounds = warmRounds[i]!;
    warm[s.id] = {
      rounds,
      scenarios: rounds[0]!.results.map((r, j) => ({
        scenario: r.scenario,
        p50: median(rounds.map((x) => x.results[j]!.p50)),
        p99: median(rounds.map((x) => x.results[j]!.p99)),
        perSecond: median(rounds.map((x) => x.results[j]!.perSecond)),
      })),
      rssAfterLoadKB: median(rounds.map((x) => x.rssAfterLoadKB)),
      peakRssKB: median(rounds.map((x) => x.peakRssKB)),
      invocations: rounds[0]!.invocations,
    };
  });

  log(`synthesis under Pulumi mocks: ${CONFIG.synthSizes.join(', ')} routes, then one edited schema`);
  const synth = await measureSynthesis(CONFIG.synthSizes).catch((err: Error) => ({ error: err.message.split('\n').slice(0, 5).join('\n') }));

  log(`emulator: npm start's server as configured, then with the throttle raised; autocannon ${CONFIG.emulatorConnections} connections, ${CONFIG.emulatorSeconds} s each`);
  const emulator = await measureEmulator({ durationSeconds: CONFIG.emulatorSeconds, connections: CONFIG.emulatorConnections }).catch((err: Error) => ({
    error: err.message.split('\n').slice(0, 5).join('\n'),
  }));

  const results: BenchResults = {
    command: 'npm run bench',
    date: new Date(started).toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    quick: QUICK,
    machine,
    config: CONFIG,
    sdkStatic,
    environment,
    prefill: PREFILL,
    stacks: stacks.map(({ id, label, bytes, gzipBytes, largestInputs, diagnostic }) => ({ id, label, bytes, gzipBytes, largestInputs, diagnostic: diagnostic ?? false })),
    cold,
    functions: { built: functions.map(({ file: _file, ...f }) => f), cold: functionCold, environment: { account: groupColdStartEnvironment('account') } },
    warm,
    synth,
    emulator,
  };
  await mkdir(path.join(PROJECT_ROOT, 'dist', 'bench'), { recursive: true });
  await writeFile(path.join(PROJECT_ROOT, 'dist', 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const notes = await readFile(path.join(__dirname, 'NOTES.md'), 'utf8').catch(() => '');
  await writeFile(path.join(PROJECT_ROOT, 'BENCHMARKS.md'), renderReport(results, notes));
  log(`done in ${results.durationSeconds.toFixed(0)} s: BENCHMARKS.md, dist/bench/results.json`);
}

/** Returns the medians (and p25–p75 of first line → response) of cold-start runs. */
function summarize(runs: ColdRun[]): ColdSummary {
  const pick = (k: keyof ColdRun) => runs.map((r) => r[k]);
  return {
    runs,
    load: median(pick('load')),
    firstInvoke: median(pick('firstInvoke')),
    firstLineToResponse: median(pick('firstLineToResponse')),
    p25: quantile(pick('firstLineToResponse'), 0.25),
    p75: quantile(pick('firstLineToResponse'), 0.75),
    cpu: median(pick('cpu')),
    sinceProcessStart: median(pick('sinceProcessStart')),
    wall: median(pick('wall')),
  };
}

/** `tsx bench/run.ts --report`: writes BENCHMARKS.md again from the last run's results and the current notes, measuring nothing. */
async function rewriteReport(): Promise<void> {
  const results = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'dist', 'bench', 'results.json'), 'utf8')) as BenchResults;
  const notes = await readFile(path.join(__dirname, 'NOTES.md'), 'utf8').catch(() => '');
  await writeFile(path.join(PROJECT_ROOT, 'BENCHMARKS.md'), renderReport(results, notes));
  log(`BENCHMARKS.md rewritten from the run of ${results.date}`);
}

async function describeMachine(): Promise<BenchResults['machine']> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    // not every system has nproc; availableParallelism says the same
  }
  return {
    cpu: model.trim(),
    nproc,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.versions.node,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`npm run bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
