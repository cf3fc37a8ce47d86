// The warm latency runner: one fresh `node` process per stack and round. Loads the bundle, fills its
// store with `prefillCount` todos through its own handler, checks every scenario answers its expected
// status, then times each invocation of each scenario; finally tops the process up to `total`
// invocations and reports its peak RSS. Prints one JSON line.
// `node warm.mjs <bundle> <events.json> [iterations] [warmup] [total]` (events written by bench/scenarios.ts).
import { pathToFileURL } from 'node:url';
import { lambdaContext } from './context.mjs';
/** @typedef {import('./scenarios.js').BenchEvents} BenchEvents */

// `fs` through getBuiltinModule, not `import`: an ES module facade of `fs` reads every export, which loads
// fs streams and fs/promises, which the stack under test would otherwise get for free.
const { readFileSync } = process.getBuiltinModule('node:fs');

const [bundle, eventsFile, iterationsArg = '20000', warmupArg = '2000', totalArg = '100000'] = process.argv.slice(2);
if (!bundle || !eventsFile) throw new Error('usage: node bench/warm.mjs <bundle> <events.json> [iterations] [warmup] [total]');
const iterations = Number(iterationsArg);
const warmup = Number(warmupArg);
const total = Number(totalArg);
/** @type {BenchEvents} */
const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
const { handler } = await import(pathToFileURL(bundle).href);
// Lambda's runtime returns to the event loop between invocations (it polls for the next event), so
// work a stack defers with setImmediate runs there. A loop of bare awaits never would: those
// callbacks, and the requests they hold, would pile up and be measured as memory. Not timed.
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const rssAfterLoad = process.memoryUsage().rss;

// Each invocation gets a fresh event, parsed from its JSON text (as the Lambda runtime hands one over), untimed.
const texts = (/** @type {unknown[]} */ list) => list.map((e) => JSON.stringify(e));
const prefill = texts(events.prefill);
let invocations = 0;
/** @type {string} */
let id = '';
for (let i = 0; i < events.prefillCount; i++) {
  const res = await handler(JSON.parse(/** @type {string} */ (prefill[i % prefill.length])), lambdaContext);
  if (res.statusCode !== 201) throw new Error(`prefill answered ${res.statusCode}: ${res.body}`);
  // A todo from the middle of the store is the one `GET by id` reads.
  if (i === events.prefillCount >> 1) id = JSON.parse(res.body).id;
  invocations++;
  if (i % 64 === 0) await nextTurn();
}
const scenarios = events.scenarios.map((s) => ({ ...s, text: JSON.stringify(s.event).replaceAll(events.idPlaceholder, id) }));

const results = [];
for (const scenario of scenarios) {
  const check = await handler(JSON.parse(scenario.text), lambdaContext);
  if (check.statusCode !== scenario.status) throw new Error(`${scenario.name} answered ${check.statusCode}, expected ${scenario.status}: ${check.body}`);
  for (let i = 0; i < warmup; i++) {
    await handler(JSON.parse(scenario.text), lambdaContext);
    await nextTurn();
  }
  const ns = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const event = JSON.parse(scenario.text);
    const t0 = process.hrtime.bigint();
    await handler(event, lambdaContext);
    ns[i] = Number(process.hrtime.bigint() - t0);
    await nextTurn();
  }
  invocations += 1 + warmup + iterations;
  const busyNs = ns.reduce((sum, v) => sum + v, 0);
  ns.sort();
  const at = (/** @type {number} */ q) => (ns[Math.min(ns.length - 1, Math.floor(q * ns.length))] ?? NaN) / 1000;
  // Invocations per second of handler time (1 / mean latency): the event-loop turns between them are not the stack's.
  results.push({ scenario: scenario.name, p50: at(0.5), p99: at(0.99), perSecond: (iterations / busyNs) * 1e9 });
}
// Reads only: the create scenario already grew every stack's store by the same amount.
const topUp = scenarios.filter((s) => events.topUp.includes(s.name)).map((s) => s.text);
for (let i = 0; invocations < total; i++, invocations++) {
  await handler(JSON.parse(/** @type {string} */ (topUp[i % topUp.length])), lambdaContext);
  await nextTurn();
}
process.stdout.write(
  JSON.stringify({ results, invocations, rssAfterLoadKB: Math.round(rssAfterLoad / 1024), peakRssKB: process.resourceUsage().maxRSS }) + '\n',
);
