import path from 'node:path';
import { ROOT as PROJECT_ROOT } from './repo';
import { coldStart, interleave, median, warmRun } from './measure';
import { writeBenchEvents } from './scenarios';

/**
 * Ad-hoc A/B of built bundles, interleaved, with `npm run bench`'s events and environment:
 * `tsx bench/ab.ts cold|warm <rounds> a.mjs b.mjs ...`. For trying a change before `npm run bench`; not part of it.
 */
async function main(): Promise<void> {
  const [mode, rounds, ...bundles] = process.argv.slice(2);
  const events = await writeBenchEvents(path.join(PROJECT_ROOT, 'dist', 'bench', 'ab', 'events.json'));
  if (mode === 'cold') {
    const results = await interleave(bundles, Number(rounds), (b) => coldStart(b, events));
    bundles.forEach((b, i) => {
      const r = results[i]!;
      console.log(b, (['load', 'firstInvoke', 'firstLineToResponse', 'cpu', 'wall'] as const).map((k) => `${k} ${median(r.map((x) => x[k])).toFixed(1)}`).join('  '));
    });
  } else {
    const results = await interleave(bundles, Number(rounds), (b) => warmRun(b, events, { iterations: 10_000, warmup: 1_000, total: 50_000 }));
    bundles.forEach((b, i) => {
      const r = results[i]!;
      const scen = r[0]!.results.map((s, j) => `${s.scenario}: p50 ${median(r.map((x) => x.results[j]!.p50)).toFixed(1)} p99 ${median(r.map((x) => x.results[j]!.p99)).toFixed(0)}`);
      console.log(b, scen.join(' | '), `| peak ${median(r.map((x) => x.peakRssKB)) >> 10} MB`);
    });
  }
}
main();
