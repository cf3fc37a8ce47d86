import { coldStart, interleave, median } from './measure';
/** Ad-hoc A/B of cold starts: `tsx bench/ab.ts runs a.mjs b.mjs ...`. Not part of `npm run bench`. */
async function main(): Promise<void> {
  const [runs, ...bundles] = process.argv.slice(2);
  const results = await interleave(bundles, Number(runs), coldStart);
  bundles.forEach((b, i) => {
    const r = results[i]!;
    console.log(b, ['load', 'firstInvoke', 'firstLineToResponse', 'wall'].map((k) => `${k} ${median(r.map((x) => x[k as keyof typeof x])).toFixed(1)}`).join('  '));
  });
}
main();
