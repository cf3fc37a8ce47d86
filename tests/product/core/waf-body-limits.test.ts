import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyLimitMessage, bodyLimitRules, contentLengthOver, uriPathPattern } from '../../../infra/src/core/waf-body-limits';
import { PAYLOAD_LIMIT_BYTES } from '../../../infra/src/core/limits';

/**
 * The web ACL's body-limit rules (docs/edge.md): the Content-Length regular expression must match exactly the numbers
 * past the limit, whatever the limit; the path pattern the route's paths as WAF sees them, and nothing else.
 */
describe('contentLengthOver: a regular expression of the decimal integers greater than the limit', () => {
  const over = (limit: number, value: string) => new RegExp(contentLengthOver(limit)).test(value);

  it('matches n exactly when n > limit, for any limit and value (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 20_000_000 }), fc.nat({ max: 40_000_000 }), (limit, n) => over(limit, String(n)) === n > limit),
      { numRuns: 3_000 },
    );
  });

  it('is exact around the limit and at digit boundaries (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.integer({ min: -3, max: 3 }), (limit, delta) => {
        const n = limit + delta;
        return n < 0 || over(limit, String(n)) === n > limit;
      }),
      { numRuns: 3_000 },
    );
    for (const limit of [0, 1, 9, 10, 99, 100, 999, 1000, 1024, 9999, 10_000, 19_999, 262_144, 999_999, 1_048_576, 10_485_759]) {
      for (let n = Math.max(0, limit - 12); n <= limit + 12; n++) expect(over(limit, String(n)), `${n} vs ${limit}`).toBe(n > limit);
      expect(over(limit, String(limit * 10 + 9))).toBe(true);
    }
  });

  it('reads leading zeros as the number they pad (RFC 9110 §8.6: 1*DIGIT), so padding cannot slip past (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 20_000_000 }), fc.integer({ min: 1, max: 6 }), (limit, n, zeros) => over(limit, '0'.repeat(zeros) + String(n)) === n > limit),
      { numRuns: 2_000 },
    );
    expect(over(262_144, '0000262145')).toBe(true);
    expect(over(262_144, '0000262144')).toBe(false);
  });

  it('never matches what is not digits only: empty, signs, spaces, lists, hex', () => {
    for (const value of ['', ' 300000', '300000 ', '+300000', '-300000', '300000,300000', '3e6', '0x100000', '30 0000', 'abc']) expect(over(262_144, value), value).toBe(false);
  });

  it('uses only what WAF supports (no capturing group, anchored) and stays short', () => {
    for (const limit of [0, 7, 1024, 262_144, 10_485_759, Number.MAX_SAFE_INTEGER]) {
      const pattern = contentLengthOver(limit);
      expect(pattern.startsWith('^') && pattern.endsWith('$')).toBe(true);
      expect(pattern.replaceAll('(?:', '')).not.toContain('(');
      expect(pattern.length).toBeLessThanOrEqual(512);
    }
    expect(contentLengthOver(262_144)).toBe('^0*(?:[1-9][0-9]{6,}|[3-9][0-9]{5}|2[7-9][0-9]{4}|26[3-9][0-9]{3}|262[2-9][0-9]{2}|2621[5-9][0-9]|26214[5-9])$');
    expect(() => contentLengthOver(-1)).toThrow(RangeError);
    expect(() => contentLengthOver(1.5)).toThrow(RangeError);
  });
});

describe('uriPathPattern: the URI path WAF sees for a route', () => {
  const matches = (pattern: string, path: string) => new RegExp(pattern).test(path);

  it('puts the stage in front, one segment per {param}, anchored', () => {
    const p = uriPathPattern('/api/v1/files/{id}/attachment', 'dev');
    expect(matches(p, '/dev/api/v1/files/abc/attachment')).toBe(true);
    expect(matches(p, '/dev/api/v1/files/a/b/attachment')).toBe(false);
    expect(matches(p, '/dev/api/v1/files//attachment')).toBe(false);
    expect(matches(p, '/dev/api/v1/files/abc/attachment/x')).toBe(false);
    expect(matches(p, '/prod/api/v1/files/abc/attachment')).toBe(false);
    expect(matches(p, '/api/v1/files/abc/attachment')).toBe(false);
  });

  it("also matches the custom domain's base path (or none), and escapes the path's characters", () => {
    expect(matches(uriPathPattern('/a.b/{x}', 'dev', 'v1'), '/v1/a.b/1')).toBe(true);
    expect(matches(uriPathPattern('/a.b/{x}', 'dev', 'v1'), '/dev/a.b/1')).toBe(true);
    expect(matches(uriPathPattern('/a.b/{x}', 'dev', 'v1'), '/v1/aXb/1')).toBe(false);
    expect(matches(uriPathPattern('/files/{x}', 'dev', ''), '/files/1')).toBe(true);
    expect(matches(uriPathPattern('/files/{proxy+}', 'dev'), '/dev/files/a/b/c')).toBe(true);
  });
});

describe('bodyLimitRules', () => {
  it('makes a rule for each method with a declared bodyLimit under the 10 MB payload limit, none for the others', () => {
    const rules = bodyLimitRules(
      [
        { method: 'PUT', resourcePath: '/files/{id}', bodyLimit: 262_144 },
        { method: 'POST', resourcePath: '/files' },
        { method: 'POST', resourcePath: '/big', bodyLimit: PAYLOAD_LIMIT_BYTES },
      ],
      'dev',
    );
    expect(rules).toEqual([
      {
        name: 'body-limit-PUT-files-id',
        route: 'PUT /files/{id}',
        method: 'PUT',
        limit: 262_144,
        pathPattern: '^/dev/files/[^/]+$',
        contentLengthPattern: contentLengthOver(262_144),
        body: '{"message":"Request body exceeds the limit of 262144 bytes"}',
      },
    ]);
    expect(bodyLimitMessage(5)).toBe(JSON.stringify({ message: 'Request body exceeds the limit of 5 bytes' }));
  });

  it('keeps rule names unique in the web ACL', () => {
    const rules = bodyLimitRules([{ method: 'PUT', resourcePath: '/files/{id}', bodyLimit: 5 }, { method: 'PUT', resourcePath: '/files/id', bodyLimit: 5 }], 'dev');
    expect(rules.map((r) => r.name)).toEqual(['body-limit-PUT-files-id', 'body-limit-PUT-files-id-2']);
  });
});
