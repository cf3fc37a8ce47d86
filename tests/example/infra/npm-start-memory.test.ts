import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT as PROJECT_ROOT } from '../../support/files';
import { startProcess, type Started, CLI } from '../../support/process';

const KEY = 'MemoryStartKey0123456789abcdef';
const STACK = `memtest${process.pid}`;
const STACK_FILE = path.join(PROJECT_ROOT, `Pulumi.${STACK}.yaml`);
const LOAD_SECONDS = 14;
const WORKERS = 12;

/** Resident memory of a process in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(line) / 1024;
}

/** The child processes of `pid` whose command line mentions `name`. */
function childrenOf(pid: number, name: string): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  const pids = existsSync(file) ? readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
  return pids.filter((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(name));
}

/**
 * `STORAGE=dynamodb npm start` under sustained load: the gateway's memory must stay flat. dynalite's
 * memory grows with every request it serves (mostly outside the JS heap: LevelDB); it used to run
 * inside the gateway's process, which grew from 122 to 773 MB over 12,000 requests. Now it must be a
 * child process, and the gateway's live heap (after a full GC) must not grow with the requests served.
 * The stack's throttle and quota are raised (a stack file of this test's own) so every request reaches
 * the store.
 */
describe.skipIf(process.platform !== 'linux')('STORAGE=dynamodb npm start: memory under a long run', () => {
  let dataDir: string;
  let bundleDir: string;
  let started: Started | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'npm-start-memory-'));
    bundleDir = path.join(PROJECT_ROOT, 'dist', 'test-bundles', `storage-memory-${process.pid}`);
    await writeFile(STACK_FILE, 'config:\n  aws:region: us-east-1\n  koa-apigateway:rateLimit: 100000\n  koa-apigateway:burstLimit: 100000\n  koa-apigateway:stageRateLimit: 100000\n  koa-apigateway:stageBurstLimit: 100000\n  koa-apigateway:quotaLimit: 10000000\n');
  });
  afterAll(async () => {
    // The whole process group: the gateway and the dynalite process it started (tests/support/process.ts).
    await started?.stop('SIGKILL');
    await rm(STACK_FILE, { force: true });
    await rm(dataDir, { recursive: true, force: true });
    await rm(bundleDir, { recursive: true, force: true });
  });

  it(`keeps the gateway's memory flat over ${LOAD_SECONDS} s of writes and reads, with dynalite in a process of its own`, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, STORAGE: 'dynamodb', DYNAMODB_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', API_KEY: KEY, KOA_APIGATEWAY_BUNDLE_DIR: bundleDir, STACK };
    delete env.TODOS_TABLE;
    delete env.AWS_ENDPOINT_URL_DYNAMODB;
    // One process (no tsx CLI wrapper): its pid is the gateway's. The probe reports its live heap after a full GC.
    const probe = pathToFileURL(path.join(__dirname, 'support/heap-probe.mjs')).href;
    started = startProcess(process.execPath, ['--expose-gc', '--import', probe, CLI, 'start'], { cwd: PROJECT_ROOT, env });
    const child = started.child;
    let out = '';
    let liveHeapMb = 0;
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d: Buffer) => {
      const text = String(d);
      for (const m of text.matchAll(/heap-probe (\d+)/g)) liveHeapMb = Number(m[1]) / 1024 / 1024;
      out += text.replace(/heap-probe \d+\n/g, '');
    });
    let stageUrl: string | undefined;
    for (let i = 0; i < 600 && !stageUrl; i++) {
      stageUrl = /Local API Gateway listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (child.exitCode !== null) throw new Error(`npm start exited: ${out}`);
      if (!stageUrl) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stageUrl, out).toBeDefined();
    const gatewayPid = child.pid!;
    const dynamoPids = childrenOf(gatewayPid, 'dynalite');
    expect(dynamoPids.length, 'dynalite runs in a child process').toBeGreaterThan(0);

    const headers = { 'x-api-key': KEY, 'content-type': 'application/json' };
    let requests = 0;
    let failures = 0;
    const until = Date.now() + LOAD_SECONDS * 1000;
    const samples: Array<{ at: number; requests: number; heap: number; gateway: number; dynamo: number }> = [];
    const sample = () => samples.push({ at: Date.now(), requests, heap: liveHeapMb, gateway: rssMb(gatewayPid), dynamo: dynamoPids.reduce((sum, pid) => sum + rssMb(pid), 0) });
    const sampler = setInterval(sample, 1000);
    const worker = async () => {
      while (Date.now() < until) {
        const created = await fetch(`${stageUrl}/api/v1/todos`, { method: 'POST', headers, body: JSON.stringify({ title: `load ${requests}`, description: 'x'.repeat(200) }) });
        requests++;
        if (created.status !== 201) {
          failures++;
          continue;
        }
        const { id } = (await created.json()) as { id: string };
        const read = await fetch(`${stageUrl}/api/v1/todos/${id}`, { headers });
        await read.arrayBuffer();
        const patched = await fetch(`${stageUrl}/api/v1/todos/${id}`, { method: 'PATCH', headers: { ...headers, 'if-match': '"1"' }, body: '{"completed":true}' });
        await patched.arrayBuffer();
        requests += 2;
        if (read.status !== 200 || patched.status !== 200) failures++;
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    clearInterval(sampler);
    sample();

    // The second half of the run: modules loaded, JIT warm, V8's heap sized to the load.
    const warm = samples.find((s) => s.at >= samples[0]!.at + (LOAD_SECONDS * 1000) / 2) ?? samples[0]!;
    const last = samples[samples.length - 1]!;
    const report = samples.map((s) => `${s.requests} req: gateway live heap ${s.heap.toFixed(1)} MB, RSS ${s.gateway.toFixed(0)} MB; dynalite RSS ${s.dynamo.toFixed(0)} MB`).join('\n');
    console.log(`npm start memory over ${requests} requests:\n${report}`);
    expect(failures).toBe(0);
    // Enough requests for the trend below (a slope over the second half's samples). How many 14 s hold depends on
    // the machine's load, since issue 23 on the hop through npm start's own endpoint to dynalite (849 were served
    // once on a loaded 2-core run) and since issue 24 on the hop to each function group's own process (480 in a
    // loaded full-suite run). 300 still gives the slope below a dozen samples of a few hundred requests.
    expect(requests).toBeGreaterThan(300);
    // The trend, not two points: a least-squares slope of the gateway's live heap (after a full GC) over
    // the requests served in the second half. RSS is reported, not asserted: on a busy machine V8 sizes
    // the heap up faster, which RSS shows though nothing is retained.
    const after = samples.filter((s) => s.at >= warm.at);
    const mx = after.reduce((a, s) => a + s.requests, 0) / after.length;
    const my = after.reduce((a, s) => a + s.heap, 0) / after.length;
    const slope = after.reduce((a, s) => a + (s.requests - mx) * (s.heap - my), 0) / after.reduce((a, s) => a + (s.requests - mx) ** 2, 0);
    console.log(`gateway live-heap slope: ${(slope * 1000).toFixed(2)} MB per 1,000 requests; ${warm.heap.toFixed(1)} -> ${last.heap.toFixed(1)} MB (RSS ${warm.gateway.toFixed(0)} -> ${last.gateway.toFixed(0)} MB)`);
    expect(last.heap).toBeGreaterThan(0);
    // A leak of 2 KB per request would show as 2 MB per 1,000.
    expect(slope * 1000, report).toBeLessThan(2);
    // A sanity bound on RSS (V8's heap sizing alone moved it by up to ~26 MB in a loaded full-suite run).
    expect(last.gateway - warm.gateway, report).toBeLessThan(40);
  }, 60_000);
});
