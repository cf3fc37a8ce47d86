import { rm } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import type { GatewaySpec } from '../../../infra/src/core/plan/types';
import { createApp } from '../../../service/app';
import { API_KEY, bundleDir, settingsOf, startGateway, type Started } from '../local/support/gateway';

/**
 * Bounded load on loopback: every loop has a fixed request count or duration and stops by itself.
 * Only correctness is asserted here (counts, statuses, memory); speed is `npm run bench`'s job.
 */
let dir: string;
let bundleFile: string;
let spec: GatewaySpec;
let gw: Started | undefined;
const json = { 'x-api-key': API_KEY, 'content-type': 'application/json' };

beforeAll(async () => {
  dir = await bundleDir('load');
  bundleFile = (await bundleLambda({ outDir: dir })).file;
  spec = buildGatewaySpec(createApp());
});
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `worker` on `concurrency` lanes until `count` calls are made; returns their results. */
async function pool<T>(count: number, concurrency: number, worker: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await worker(i);
      }
    }),
  );
  return results;
}

async function listIds(base: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const res = await fetch(`${base}/api/v1/todos?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: json });
    const body = (await res.json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...body.items.map((t) => t.id));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return ids;
}

function heapAfterGc(): number {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

describe('the local gateway under bounded concurrent load (loopback)', () => {
  it('N concurrent creates → exactly N todos listed, none lost or duplicated', async () => {
    gw = await startGateway({ spec, bundleFile, settings: settingsOf({ rateLimit: '100000', burstLimit: '100000', quotaLimit: '1000000' }) });
    const N = 400;
    const statuses = await pool(N, 32, async (i) => (await fetch(`${gw!.url}/api/v1/todos`, { method: 'POST', headers: json, body: JSON.stringify({ title: `load ${i}` }) })).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(N);
    const ids = await listIds(gw.url);
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
  });

  it('throttling answers 429, never 5xx, and lets traffic through again', async () => {
    gw = await startGateway({ spec, bundleFile, settings: settingsOf({ rateLimit: '50', burstLimit: '20', quotaLimit: '1000000' }) });
    const statuses: number[] = [];
    const until = Date.now() + 1500;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (Date.now() < until) statuses.push((await fetch(`${gw!.url}/api/v1/todos?limit=1`, { headers: json })).status);
      }),
    );
    const counts = statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
    expect(Object.keys(counts).map(Number).sort()).toEqual([200, 429]);
    // Roughly burst + rate × duration got through (exact bucket locally; generous bounds, not a timing test).
    expect(counts[200]).toBeGreaterThanOrEqual(20);
    expect(counts[200]).toBeLessThan(20 + 50 * 3);
    // The bucket refills: after a pause the same key is served again.
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`${gw.url}/api/v1/todos?limit=1`, { headers: json })).status).toBe(200);
  });

  it('memory stays flat across rounds of requests', async () => {
    // The access log is dropped here: the test harness would otherwise keep every line in memory.
    gw = await startGateway({ spec, bundleFile, log: () => {}, settings: settingsOf({ rateLimit: '100000', burstLimit: '100000', quotaLimit: '1000000' }) });
    const round = () => pool(1500, 16, async (i) => (await fetch(`${gw!.url}/${i % 2 ? 'health' : 'api/v1/todos?limit=5'}`, { headers: json })).status);
    await round(); // warm-up: JIT, caches, the bundle's module state
    const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 3);
    const before = heapAfterGc();
    for (let r = 0; r < ROUNDS; r++) expect((await round()).every((s) => s === 200)).toBe(true);
    const growth = heapAfterGc() - before;
    console.log(`heap growth over ${ROUNDS * 1500} requests: ${(growth / 1024).toFixed(0)} KB`);
    // 4,500 more requests; a per-request leak of even 2 KB would show as 9 MB.
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  });
});
