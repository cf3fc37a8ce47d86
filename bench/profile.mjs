// Profiles one scenario (or the cold start) of a bundle: `node --cpu-prof --cpu-prof-dir=<dir> bench/profile.mjs
// <bundle> <events.json> <scenario name | cold> [iterations]`, then `node bench/profile-summary.mjs <dir>/*.cpuprofile <bundle>`.
// Not part of `npm run bench`: a tool for finding where time goes (bench/NOTES.md).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { lambdaContext } from './context.mjs';
/** @typedef {import('./scenarios.js').BenchEvents} BenchEvents */

const [bundle, eventsFile, name, iterationsArg = '20000'] = process.argv.slice(2);
if (!bundle || !eventsFile || !name) throw new Error('usage: node bench/profile.mjs <bundle> <events.json> <scenario name | cold> [iterations]');
/** @type {BenchEvents} */
const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
const { handler } = await import(pathToFileURL(bundle).href);
if (name === 'cold') {
  await handler(events.health, lambdaContext);
} else {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  let id = '';
  for (let i = 0; i < events.prefillCount; i++) {
    const res = await handler(structuredClone(events.prefill[i % events.prefill.length]), lambdaContext);
    if (i === events.prefillCount >> 1) id = JSON.parse(res.body).id;
  }
  const scenario = events.scenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario named ${name}: ${events.scenarios.map((s) => s.name).join(', ')}`);
  const text = JSON.stringify(scenario.event).replaceAll(events.idPlaceholder, id);
  for (let i = 0; i < Number(iterationsArg); i++) {
    await handler(JSON.parse(text), lambdaContext);
    await nextTurn();
  }
}
