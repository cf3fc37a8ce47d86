import { deflateRawSync, deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseCoding, compressResponse, decompressRequest } from '../../../infra/src/local/compression';

/** The local gateway's compression rules one by one (docs/apigateway-behaviour.md §6.14, §6.15); compression.test.ts runs them over HTTP. */
describe('chooseCoding (§6.14)', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['deflate, gzip', 'deflate'],
    ['deflate;q=0.9, gzip', 'gzip'],
    ['gzip;q=0, deflate;q=0.1', 'deflate'],
    ['br, gzip;q=0.9', undefined],
    ['br, gzip', 'gzip'],
    ['*', undefined],
    ['identity, gzip;q=0.5', undefined],
    ['gzip;q=1.0', 'gzip'],
    ['gzip;q=2', undefined],
  ])('Accept-Encoding %j → %j', (header, expected) => {
    expect(chooseCoding(header)).toBe(expected);
  });
});

describe('compressResponse (§6.14)', () => {
  const body = Buffer.from('x'.repeat(50));
  it('leaves an empty body alone even with a minimum of 0, and a response that has a Content-Encoding', () => {
    expect(compressResponse({ headers: {}, body: Buffer.alloc(0) }, 'gzip', 0).body.length).toBe(0);
    const encoded = { headers: { 'content-encoding': 'br' }, body };
    expect(compressResponse(encoded, 'gzip', 0)).toBe(encoded);
  });
  it('compresses at the minimum, not below', () => {
    expect(gunzipSync(compressResponse({ headers: {}, body }, 'gzip', 50).body).equals(body)).toBe(true);
    expect(compressResponse({ headers: {}, body }, 'gzip', 51).body).toBe(body);
  });
});

describe('decompressRequest (§6.15)', () => {
  it('passes a body without Content-Encoding or with identity, refuses br and bytes that are not gzip', () => {
    const body = Buffer.from('{"a":1}');
    expect(decompressRequest(body, undefined)).toEqual({ body });
    expect(decompressRequest(body, 'identity')).toEqual({ body });
    expect(decompressRequest(body, 'br')).toMatchObject({ unsupported: expect.stringContaining('"br"') });
    expect(decompressRequest(body, 'gzip')).toMatchObject({ unsupported: expect.stringContaining('not gzip') });
  });

  it('stops at the 10 MB payload limit (a decompression bomb), whichever coding, and passes a body of exactly the limit', () => {
    const over = Buffer.alloc(10 * 1024 * 1024 + 1);
    for (const [coding, packed] of [['gzip', gzipSync(over)], ['deflate', deflateSync(over)], ['deflate', deflateRawSync(over)], ['deflate, gzip', gzipSync(deflateSync(over))]] as const) {
      expect(decompressRequest(packed, coding)).toEqual({ tooLarge: expect.stringContaining('more than 10485760 bytes') });
    }
    const exact = decompressRequest(gzipSync(Buffer.alloc(10 * 1024 * 1024)), 'gzip');
    expect('body' in exact && exact.body.length).toBe(10 * 1024 * 1024);
    // A smaller bound of the caller's.
    expect(decompressRequest(gzipSync(Buffer.alloc(101)), 'gzip', 100)).toHaveProperty('tooLarge');
  });
});
