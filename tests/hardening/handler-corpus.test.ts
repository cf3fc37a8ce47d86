import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, type ProxyResult } from '../support/events';
import { checkErrorResponse, HOSTILE_CASES, materialiseBody, type HostileCase } from './corpus';

type Handler = (event: unknown, context: unknown) => Promise<ProxyResult>;
const BUNDLE = path.resolve(__dirname, '../../dist/lambda/index.mjs');
let handler: Handler;
let existingId: string;

async function listAll(): Promise<string> {
  const res = await handler(apiEvent('GET', '/api/v1/todos?limit=100'), {});
  return res.body;
}

function eventFor(c: HostileCase) {
  const { body, isBase64Encoded } = materialiseBody(c);
  const path = c.path.replace('{id}', existingId);
  const event = apiEvent(c.method, path);
  // The path exactly as the case sends it (empty segments kept), as a greedy resource forwards it (docs/apigateway-behaviour.md §1.12).
  event.path = path.split('?', 1)[0]!;
  const headers = { ...c.headers };
  // apiEvent starts from the fixture's headers; a case states its own Content-Type or none.
  delete (event.headers as Record<string, string>)['Content-Type'];
  event.headers = { ...(event.headers as Record<string, string>), ...headers };
  event.multiValueHeaders = Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k, [v]]));
  event.body = body ?? null;
  event.isBase64Encoded = isBase64Encoded;
  return event;
}

beforeAll(async () => {
  handler = ((await import(pathToFileURL(BUNDLE).href)) as { handler: Handler }).handler;
  const created = await handler(apiEvent('POST', '/api/v1/todos', { body: { title: 'the one that must survive' } }), {});
  existingId = JSON.parse(created.body).id;
});

describe(`hostile input through the built bundle's handler (${HOSTILE_CASES.length} cases)`, () => {
  it('the corpus has at least 50 cases', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(50);
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await listAll();
    const started = performance.now();
    const res = await handler(eventFor(c), {});
    const elapsed = performance.now() - started;
    const problems = checkErrorResponse(c, res.statusCode, res.headers?.['content-type'], res.body);
    expect(problems, `${res.statusCode} ${res.body.slice(0, 200)}`).toEqual([]);
    // Rejected writes leave the store exactly as it was.
    expect(await listAll()).toBe(before);
    // Nothing reached Object.prototype.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Bounded: no parser or regex blow-up (a generous bound; this is not a benchmark).
    expect(elapsed).toBeLessThan(3000);
  });
});
