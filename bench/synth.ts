import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT as PROJECT_ROOT } from './repo';

const run = promisify(execFile);

interface ChildResult {
  routes: number;
  loadMs: number;
  methods: number;
  apiResources: number;
  models: number;
  specMs: number;
  programMs: number;
  totalMs: number;
  peakRssKB: number;
  resources: Array<{ key: string; inputs: string }>;
}

export interface SynthResult {
  routes: number;
  /** Process start to the program's first line: Node, tsx, @pulumi/* and the program's modules. */
  loadMs: number;
  methods: number;
  apiResources: number;
  models: number;
  /** Pulumi resources registered. */
  resourceCount: number;
  specMs: number;
  programMs: number;
  totalMs: number;
  /** Spawn to exit: Node, tsx, loading @pulumi/* and the program, then the run. */
  processMs: number;
  peakRssKB: number;
}

export interface EditDiff {
  routes: number;
  changed: string[];
  added: string[];
  removed: string[];
}

async function synthOnce(routes: number, edited?: number): Promise<ChildResult & { processMs: number }> {
  const args = ['--import', 'tsx', path.join(__dirname, 'synth-child.ts'), String(routes), ...(edited === undefined ? [] : [String(edited)])];
  const started = performance.now();
  const { stdout } = await run(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 120_000, maxBuffer: 64 << 20 });
  const processMs = performance.now() - started;
  return { ...(JSON.parse(stdout) as ChildResult), processMs };
}

/**
 * Returns synthesis measurements for each size (one fresh process each), and the resources that
 * differ when one route's body schema is edited in the largest service.
 */
export async function measureSynthesis(sizes: readonly number[]): Promise<{ runs: SynthResult[]; edit: EditDiff }> {
  const runs: SynthResult[] = [];
  let largest: ChildResult | undefined;
  for (const routes of sizes) {
    const r = await synthOnce(routes);
    const { resources, ...rest } = r;
    runs.push({ ...rest, resourceCount: resources.length });
    largest = r;
  }
  const edited = await synthOnce(largest!.routes, 0);
  return { runs, edit: { routes: largest!.routes, ...diffResources(largest!.resources, edited.resources) } };
}

/** Returns the resources whose inputs changed, and those added or removed, between two runs. */
export function diffResources(before: ChildResult['resources'], after: ChildResult['resources']): Omit<EditDiff, 'routes'> {
  const a = new Map(before.map((r) => [r.key, r.inputs]));
  const b = new Map(after.map((r) => [r.key, r.inputs]));
  return {
    changed: [...a].filter(([k, v]) => b.has(k) && b.get(k) !== v).map(([k]) => k),
    added: [...b.keys()].filter((k) => !a.has(k)),
    removed: [...a.keys()].filter((k) => !b.has(k)),
  };
}
