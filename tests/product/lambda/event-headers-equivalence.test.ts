import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestHeaders, type EventHeaderMaps } from '../../../infra/src/lambda/event-headers';

/** The first implementation (lists per field in a Map, joined at the end): the reference the faster one must equal. */
function reference(event: EventHeaderMaps): Record<string, string> {
  const lines = new Map<string, string[]>();
  const multi = event.multiValueHeaders;
  if (multi && typeof multi === 'object') {
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) continue;
      const strings = values.filter((v): v is string => typeof v === 'string');
      if (strings.length > 0) lines.set(name.toLowerCase(), [...(lines.get(name.toLowerCase()) ?? []), ...strings]);
    }
  }
  const single = event.headers;
  if (single && typeof single === 'object') {
    for (const [name, value] of Object.entries(single)) {
      if (typeof value === 'string' && !lines.has(name.toLowerCase())) lines.set(name.toLowerCase(), [value]);
    }
  }
  const out = Object.create(null) as Record<string, string>;
  for (const [name, values] of lines) out[name] = values.join(name === 'cookie' ? '; ' : ', ');
  return out;
}

const name = fc.constantFrom('If-Match', 'if-match', 'IF-MATCH', 'Cookie', 'cookie', 'Accept', 'x-a', 'X-A', '__proto__', 'constructor');
const value = fc.oneof(fc.string({ maxLength: 4 }), fc.constant(''), fc.integer(), fc.constant(null));
const event = fc.record(
  {
    multiValueHeaders: fc.oneof(fc.constant(null), fc.dictionary(name, fc.oneof(fc.array(value, { maxLength: 3 }), value))),
    headers: fc.oneof(fc.constant(null), fc.dictionary(name, value)),
  },
  { requiredKeys: [] },
);

describe('requestHeaders builds, field by field, what collecting and joining every line would', () => {
  it('gives the same names, values and order for any header maps', () => {
    fc.assert(
      fc.property(event, (e) => {
        const [ours, expected] = [requestHeaders(e as EventHeaderMaps), reference(e as EventHeaderMaps)];
        expect(Object.getPrototypeOf(ours)).toBeNull();
        expect(Object.entries(ours)).toEqual(Object.entries(expected));
      }),
      { numRuns: 2000 },
    );
  });
});
