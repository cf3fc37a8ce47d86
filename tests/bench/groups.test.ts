import { describe, expect, it } from 'vitest';
import { buildFunctions } from '../../bench/groups';
import { benchEvents } from '../../bench/scenarios';
import { FUNCTION_GROUPS } from '../../service/functions/groups';

/** The benchmark's function groups (BENCHMARKS.md section 6): what it builds and the events it starts them with. */
describe("the benchmark's function groups", () => {
  it('builds the whole app and every group entry; each group bundle is smaller than the whole app, health the smallest', async () => {
    const built = await buildFunctions();
    expect(built.map((b) => b.id).sort()).toEqual(['whole', ...Object.keys(FUNCTION_GROUPS)].sort());
    const whole = built.find((b) => b.id === 'whole')!;
    const health = built.find((b) => b.id === 'health')!;
    for (const b of built.filter((f) => f.id !== 'whole')) {
      expect(b.bytes, `${b.id} index.mjs`).toBeLessThan(whole.bytes);
      expect(b.bytes + b.mapBytes, `${b.id} with its map`).toBeLessThan(whole.bytes + whole.mapBytes);
    }
    for (const b of built.filter((f) => f.id !== 'whole' && f.id !== 'health')) expect(health.bytes, `health vs ${b.id}`).toBeLessThan(b.bytes);
  }, 120_000);

  it("starts every group with one of its own routes; only the user pool route's event carries an authorizer", () => {
    const starts = benchEvents().functionColdStarts;
    expect(starts.map((s) => s.group).sort()).toEqual(Object.keys(FUNCTION_GROUPS).sort());
    for (const s of starts) {
      expect(FUNCTION_GROUPS[s.group].routes as readonly string[], s.group).toContain(s.route);
      expect(`${s.event.httpMethod} ${s.event.resource.replace('{id}', ':id').replace(/\?.*/, '')}`).toBe(s.route);
      expect(Object.keys(s.event.requestContext).includes('authorizer'), s.route).toBe(s.group === 'account');
    }
  });
});
