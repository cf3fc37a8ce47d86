// The warm latency runner: one fresh `node` process per stack and round. Loads the bundle, checks every
// scenario answers its expected status, then times each invocation of each scenario; finally tops the
// process up to `total` invocations and reports its peak RSS. Prints one JSON line.
import { pathToFileURL } from 'node:url';
import { lambdaContext, SCENARIOS } from './events.mjs';

const [bundle, iterationsArg = '20000', warmupArg = '2000', totalArg = '100000'] = process.argv.slice(2);
const iterations = Number(iterationsArg);
const warmup = Number(warmupArg);
const total = Number(totalArg);
const { handler } = await import(pathToFileURL(bundle).href);
// Lambda's runtime returns to the event loop between invocations (it polls for the next event), so
// work a stack defers with setImmediate runs there. A loop of bare awaits never would: those
// callbacks, and the requests they hold, would pile up and be measured as memory. Not timed.
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const rssAfterLoad = process.memoryUsage().rss;

let invocations = 0;
const created = await handler(SCENARIOS[1].event(), lambdaContext);
invocations++;
const id = JSON.parse(created.body).id;

const results = [];
for (const scenario of SCENARIOS) {
  const check = await handler(scenario.event(id), lambdaContext);
  if (check.statusCode !== scenario.status) throw new Error(`${scenario.name} answered ${check.statusCode}, expected ${scenario.status}: ${check.body}`);
  for (let i = 0; i < warmup; i++) {
    await handler(scenario.event(id), lambdaContext);
    await nextTurn();
  }
  const ns = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const event = scenario.event(id);
    const t0 = process.hrtime.bigint();
    await handler(event, lambdaContext);
    ns[i] = Number(process.hrtime.bigint() - t0);
    await nextTurn();
  }
  invocations += 1 + warmup + iterations;
  const busyNs = ns.reduce((sum, v) => sum + v, 0);
  ns.sort();
  const at = (q) => ns[Math.min(ns.length - 1, Math.floor(q * ns.length))] / 1000;
  // Invocations per second of handler time (1 / mean latency): the event-loop turns between them are not the stack's.
  results.push({ scenario: scenario.name, p50: at(0.5), p99: at(0.99), perSecond: (iterations / busyNs) * 1e9 });
}
// Health and reads only: the create scenario already grew every stack's store by the same amount.
for (let i = 0; invocations < total; i++, invocations++) {
  await handler(SCENARIOS[i % 2 === 0 ? 0 : 3].event(id), lambdaContext);
  await nextTurn();
}
process.stdout.write(
  JSON.stringify({ results, invocations, rssAfterLoadKB: Math.round(rssAfterLoad / 1024), peakRssKB: process.resourceUsage().maxRSS }) + '\n',
);
