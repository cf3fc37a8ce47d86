import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { functionEnvironment } from '../infra/src/pulumi/function-environment';
import { readStackSettings } from '../infra/src/app/load-stack';

const run = promisify(execFile);
const BENCH_DIR = __dirname;

/**
 * The function's own environment as the program deploys it for the `dev` stack (the same
 * `functionEnvironment` the gateway component sets, from the same settings files), without
 * `TODOS_TABLE`: the benchmark runs with memory storage.
 */
export function deployedEnvironment(): Record<string, string> {
  return functionEnvironment(readStackSettings());
}

/**
 * What the storage adds to the deployed function's environment with the default `storage: dynamodb`
 * (service/infra/storage.ts: the table's name, known only after deployment, so a stand-in here) and what
 * Lambda itself sets (the region). Cold starts run with it: `GET /health` must not touch the table or
 * load the SDK, and this shows it does not. Warm runs use memory storage (no TODOS_TABLE), so they
 * measure the HTTP layers, not DynamoDB.
 */
export const DYNAMODB_STORAGE_ENVIRONMENT: Readonly<Record<string, string>> = { TODOS_TABLE: 'todo-table-bench' };

/**
 * What the Lambda runtime sets in every function's environment and the service reads (AWS Lambda
 * developer guide, "Defined runtime environment variables"): the region, and the function's name, by
 * which the service knows it runs on Lambda (infra/src/route/response-check.ts logs a response that breaks
 * its schema instead of failing it).
 */
export const LAMBDA_RUNTIME_ENVIRONMENT: Readonly<Record<string, string>> = { AWS_LAMBDA_FUNCTION_NAME: 'todo-fn-bench', AWS_REGION: 'us-east-1' };

/** The environment of every measured process: the deployed function's and the runtime's, no inherited loaders; memory storage unless `storage` is given. */
function childEnv(storage: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', ...deployedEnvironment(), ...LAMBDA_RUNTIME_ENVIRONMENT };
  delete env.TODOS_TABLE;
  delete env.NODE_ENV;
  return { ...env, ...storage };
}

export interface ColdRun {
  load: number;
  firstInvoke: number;
  firstLineToResponse: number;
  /** CPU ms (user + system) from the first line to the response. */
  cpu: number;
  sinceProcessStart: number;
  /** Spawn to exit, as the parent saw it. */
  wall: number;
}

/**
 * What a function group's cold start runs with: memory storage (its first request measures the code, not a
 * DynamoDB round trip, which both functions would make alike), and for the user pool routes the `USER_POOL_ID` the
 * stack sets with `userPool` configured (without it the whole app does not mount them).
 */
export function groupColdStartEnvironment(group: string): Record<string, string> {
  return group === 'account' ? { USER_POOL_ID: 'us-east-1_bench' } : {};
}

/**
 * Returns one cold start of `bundle`: a fresh `node` process that loads it and serves one event of `eventsFile`:
 * `GET /health` with the default storage's environment, or with `group` that group's cold-start request
 * (`functionColdStarts`) with {@link groupColdStartEnvironment}.
 */
export async function coldStart(bundle: string, eventsFile: string, group?: string): Promise<ColdRun> {
  const started = performance.now();
  const args = [path.join(BENCH_DIR, 'cold-start.mjs'), bundle, eventsFile, ...(group === undefined ? [] : [group])];
  const env = group === undefined ? childEnv(DYNAMODB_STORAGE_ENVIRONMENT) : childEnv(groupColdStartEnvironment(group));
  const { stdout } = await run(process.execPath, args, { env, timeout: 30_000 });
  const wall = performance.now() - started;
  return { ...(JSON.parse(stdout) as Omit<ColdRun, 'wall'>), wall };
}

export interface WarmResult {
  results: Array<{ scenario: string; p50: number; p99: number; perSecond: number }>;
  invocations: number;
  rssAfterLoadKB: number;
  peakRssKB: number;
}

/** Returns warm latencies of `bundle` from a fresh process (see warm.mjs), sending the events of `eventsFile`. */
export async function warmRun(bundle: string, eventsFile: string, options: { iterations: number; warmup: number; total: number }): Promise<WarmResult> {
  const args = [path.join(BENCH_DIR, 'warm.mjs'), bundle, eventsFile, String(options.iterations), String(options.warmup), String(options.total)];
  const { stdout } = await run(process.execPath, args, { env: childEnv(), timeout: 300_000, maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as WarmResult;
}

/**
 * Runs `rounds` rounds; each round calls `measure` once per item, starting one item later than the
 * previous round, so every item sees the same mix of machine noise. Returns the runs per item.
 */
export async function interleave<T, R>(items: readonly T[], rounds: number, measure: (item: T) => Promise<R>): Promise<R[][]> {
  const runs: R[][] = items.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < items.length; k++) {
      const i = (round + k) % items.length;
      runs[i]!.push(await measure(items[i]!));
    }
  }
  return runs;
}

/** Returns the median of `values`. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Returns the `q` quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
