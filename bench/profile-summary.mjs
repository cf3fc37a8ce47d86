// Sums a .cpuprofile's self time by package (from an unminified bundle's `// node_modules/...` markers) and by function.
// `node bench/profile-summary.mjs <file.cpuprofile> <unminified bundle> [top]`.
import { readFileSync } from 'node:fs';

const [profileFile, bundle, topArg = '25'] = process.argv.slice(2);
if (!profileFile || !bundle) throw new Error('usage: node bench/profile-summary.mjs <file.cpuprofile> <unminified bundle> [top]');
/** @type {{ samples: number[]; timeDeltas: number[]; nodes: Array<{ id: number; callFrame: { url: string; functionName: string; lineNumber: number } }> }} */
const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
const lines = readFileSync(bundle, 'utf8').split('\n');
// Line (0-based) → the source file esbuild's comment names for that stretch of the bundle.
/** @type {string[]} */
const owner = [];
let current = '(bundle)';
for (const line of lines) {
  const m = /^\/\/ (\S+\.(?:[cm]?js|ts|json))$/.exec(line);
  if (m) current = (m[1] ?? '').replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+).*$/, '$1');
  owner.push(current);
}
/** @type {Map<number, number>} */
const dt = new Map();
profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
/** @type {Map<string, number>} */
const byPkg = new Map();
/** @type {Map<string, number>} */
const byFn = new Map();
let total = 0;
for (const node of profile.nodes) {
  const us = dt.get(node.id) ?? 0;
  total += us;
  const cf = node.callFrame;
  const inBundle = cf.url.endsWith(bundle.split('/').pop() ?? bundle);
  const pkg = inBundle ? owner[cf.lineNumber] ?? '(bundle)' : cf.url ? `node:${cf.url.replace(/^node:/, '')}` : cf.functionName || '(vm)';
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
  const fn = `${cf.functionName || '(anonymous)'} ${inBundle ? `${owner[cf.lineNumber]}:${cf.lineNumber + 1}` : cf.url || ''}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + us);
}
const top = Number(topArg);
const print = (/** @type {string} */ title, /** @type {Map<string, number>} */ map) => {
  console.log(`\n${title} (self time, of ${(total / 1000).toFixed(1)} ms)`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(v / 1000).toFixed(1).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
};
print('by package', byPkg);
print('by function', byFn);
