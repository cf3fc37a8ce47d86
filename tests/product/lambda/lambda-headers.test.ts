import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestHeaders } from '../../../infra/src/lambda/event-headers';
import { handler as sourceHandler } from '../../support/apps/parcels/lambda';
import { apiEvent, json, type ProxyEvent } from '../../support/events';
import { lazyBuiltHandler } from '../../support/lambda';


/**
 * Returns `event` with `name` sent on several lines, as API Gateway delivers it: every line in
 * `multiValueHeaders`, the last one alone in `headers` (docs/apigateway-behaviour.md §5.4).
 */
function withHeaderLines(event: ProxyEvent, name: string, lines: string[]): ProxyEvent {
  const headers = { ...(event.headers ?? {}) };
  const multi = { ...(event.multiValueHeaders ?? {}) };
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  for (const key of Object.keys(multi)) if (key.toLowerCase() === name.toLowerCase()) delete multi[key];
  return { ...event, headers: { ...headers, [name]: lines[lines.length - 1]! }, multiValueHeaders: { ...multi, [name]: lines } };
}

describe.each([
  ['the source', sourceHandler],
  ['the built bundle', lazyBuiltHandler],
])('a header sent on several lines is one list (RFC 9110 §5.3), in %s', (_name, handler) => {
  const invoke = (event: ProxyEvent) => handler(event, {});
  const create = async () => json(await invoke(apiEvent('POST', '/parcels', { body: { recipient: 'lines' } }))).id as string;
  const parcelEvent = (method: string, id: string, body?: object) => apiEvent(method, `/parcels/${id}`, { resource: '/parcels/{id}', body });

  it('If-Match on two lines matches when any line holds the current ETag, as the same list on one line does', async () => {
    const id = await create();
    const oneLine = await invoke(withHeaderLines(parcelEvent('PATCH', id, { note: 'one line' }), 'If-Match', ['"1", "7"']));
    expect(oneLine.statusCode).toBe(200);
    // Now at "2": the matching tag on the first line, a stale one on the last.
    const twoLines = await invoke(withHeaderLines(parcelEvent('PATCH', id, { note: 'two lines' }), 'If-Match', ['"2"', '"7"']));
    expect(twoLines.statusCode, twoLines.body).toBe(200);
    expect(twoLines.headers?.etag).toBe('"3"');
  });

  it('no line matching still fails with 412', async () => {
    const id = await create();
    const res = await invoke(withHeaderLines(parcelEvent('PATCH', id, { express: true }), 'If-Match', ['"5"', '"7"']));
    expect(res.statusCode).toBe(412);
  });

  it('any split of an If-Match list into lines is answered as the list on one line', async () => {
    const tags = fc.array(fc.integer({ min: 1, max: 9 }).map((n) => `"${n}"`), { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(tags, fc.integer({ min: 1, max: 4 }), async (list, cut) => {
        const id = await create();
        const at = Math.min(cut, list.length);
        const lines = [list.slice(0, at).join(', '), ...(at < list.length ? [list.slice(at).join(', ')] : [])];
        const split = await invoke(withHeaderLines(parcelEvent('GET', id), 'If-Match', lines));
        const expected = list.includes('"1"') ? 200 : 412;
        const write = await invoke(withHeaderLines(parcelEvent('PATCH', id, { express: true }), 'If-Match', lines));
        expect(split.statusCode).toBe(200);
        expect(write.statusCode, `${JSON.stringify(lines)}: ${write.body}`).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('an event without multiValueHeaders (a console test event) still reads `headers`', async () => {
    const id = await create();
    const event = { ...parcelEvent('PATCH', id, { note: 'single' }), multiValueHeaders: null };
    event.headers = { ...event.headers!, 'If-Match': '"1"' };
    const res = await invoke(event);
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('requestHeaders: the request headers of a REST proxy event', () => {
  it('joins the lines of one field with ", ", Cookie lines with "; " (RFC 9110 §5.3, RFC 9113 §8.2.3), names lower-cased', () => {
    const headers = requestHeaders({
      headers: { 'If-Match': '"2"', Cookie: 'b=2', Host: 'h' },
      multiValueHeaders: { 'If-Match': ['"1"', '"2"'], Cookie: ['a=1', 'b=2'], Host: ['h'] },
    });
    expect({ ...headers }).toEqual({ 'if-match': '"1", "2"', cookie: 'a=1; b=2', host: 'h' });
  });

  it('takes a field only in `headers` when multiValueHeaders lacks it, and `headers` alone when there is no multiValueHeaders', () => {
    expect({ ...requestHeaders({ headers: { A: '1', B: '2' }, multiValueHeaders: { A: ['0', '1'] } }) }).toEqual({ a: '0, 1', b: '2' });
    expect({ ...requestHeaders({ headers: { A: '1' }, multiValueHeaders: null }) }).toEqual({ a: '1' });
    expect({ ...requestHeaders({ headers: null, multiValueHeaders: null }) }).toEqual({});
  });

  it('keeps a header named like an Object.prototype member as an own entry, and ignores non-string values', () => {
    const headers = requestHeaders(JSON.parse('{"headers":{"__proto__":"x","constructor":"y","n":5},"multiValueHeaders":{"__proto__":["x"],"toString":["z", 7]}}'));
    expect(Object.getPrototypeOf(headers)).toBe(null);
    expect(Object.entries(headers).sort()).toEqual([['__proto__', 'x'], ['constructor', 'y'], ['tostring', 'z']]);
  });
});
