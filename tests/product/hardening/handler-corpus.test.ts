import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, type ProxyHandler } from '../../support/events';
import { builtHandler } from '../../support/lambda';
import { checkErrorResponse, HOSTILE_CASES, materialiseBody, type HostileCase } from './corpus';

let handler: ProxyHandler;
let existingId: string;

async function listAll(): Promise<string> {
  const res = await handler(apiEvent('GET', '/parcels?limit=50'), {});
  return res.body;
}

/**
 * The case's event: apiEvent's, then path, header maps and body replaced by hand with the case's exact bytes. On
 * purpose: a hostile case sends what a well-behaved builder would not (empty segments, its own or no Content-Type,
 * a body that does not match it), and the header maps are rebuilt so both carry exactly the case's headers.
 */
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
  handler = await builtHandler();
  const created = await handler(apiEvent('POST', '/parcels', { body: { recipient: 'the one that must survive' } }), {});
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
