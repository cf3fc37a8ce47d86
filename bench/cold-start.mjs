// The cold start runner: one fresh `node` process per run. Load = importing the bundle (parse, compile,
// module init); first invoke = the first `GET /health` through its handler, or with a group name the request of
// that group's cold start (`functionColdStarts` of the events). Prints one JSON line.
// `node cold-start.mjs <bundle> <events.json> [group]` (events written by bench/scenarios.ts).
// The imports and the events file are the runner's own (read before its first line), identical for every stack.
import { pathToFileURL } from 'node:url';
import { lambdaContext } from './context.mjs';
/** @typedef {import('./scenarios.js').BenchEvents} BenchEvents */

// `fs` through getBuiltinModule, not `import`: an ES module facade of `fs` reads every export, which loads
// fs streams and fs/promises, which the stack under test would otherwise get for free.
const { readFileSync } = process.getBuiltinModule('node:fs');

const [bundle, eventsFile, group] = process.argv.slice(2);
if (!bundle || !eventsFile) throw new Error('usage: node bench/cold-start.mjs <bundle> <events.json> [group]');
/** @type {BenchEvents} */
const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
const first = group === undefined ? { route: 'GET /health', status: 200, event: events.health } : events.functionColdStarts.find((c) => c.group === group);
if (!first) throw new Error(`no cold-start event for the group ${group}`);
const firstLine = performance.now();
const cpuAtFirstLine = process.cpuUsage();
const { handler } = await import(pathToFileURL(bundle).href);
const loaded = performance.now();
const res = await handler(first.event, lambdaContext);
const responded = performance.now();
const cpu = process.cpuUsage(cpuAtFirstLine);
if (res.statusCode !== first.status) throw new Error(`${first.route} answered ${res.statusCode}, not ${first.status}: ${res.body}`);
process.stdout.write(
  JSON.stringify({
    // Milliseconds. `sinceProcessStart` adds Node's own start-up (performance.now() counts from the process' time origin).
    load: loaded - firstLine,
    firstInvoke: responded - loaded,
    firstLineToResponse: responded - firstLine,
    // CPU time (user + system, all threads) over the same span: less sensitive to a busy machine than wall time.
    cpu: (cpu.user + cpu.system) / 1000,
    sinceProcessStart: responded,
  }) + '\n',
);
