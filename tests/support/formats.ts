/**
 * For each format TypeBox 1.x checks (`typebox/format`'s registry after `Format.Reset()`), strings it accepts
 * and strings it refuses, written out by hand from the RFCs the format names, so tests can show the service
 * (source and bundle) checks every one. `FORMAT_EXAMPLES_NAMES` must equal TypeBox's list
 * (tests/product/tools/conformance/formats.test.ts holds them together).
 */
export const FORMAT_EXAMPLES: Record<string, { valid: string; invalid: string }> = {
  'date-time': { valid: '2024-02-29T12:30:00Z', invalid: '2024-02-30T12:30:00Z' },
  date: { valid: '2024-02-29', invalid: '2023-02-29' },
  duration: { valid: 'P1DT2H', invalid: 'P1H' },
  email: { valid: 'ada@example.org', invalid: 'ada.example.org' },
  hostname: { valid: 'api.example.org', invalid: '-api.example.org' },
  'idn-email': { valid: 'ada@example.org', invalid: 'ada' },
  'idn-hostname': { valid: 'bücher.example', invalid: '-bücher.example' },
  ipv4: { valid: '192.0.2.1', invalid: '192.0.2.256' },
  ipv6: { valid: '2001:db8::1', invalid: '2001:db8:::1' },
  'iri-reference': { valid: '/bücher/1', invalid: '/bücher /1' },
  iri: { valid: 'https://example.org/bücher', invalid: 'bücher' },
  'json-pointer-uri-fragment': { valid: '#/a/b%20c', invalid: '/a/b' },
  'json-pointer': { valid: '/a/b~1c', invalid: 'a/b' },
  regex: { valid: '^[a-z]+$', invalid: '^[a-z+$' },
  'relative-json-pointer': { valid: '1/a', invalid: '/a' },
  time: { valid: '12:30:00Z', invalid: '12:30:00' },
  'uri-reference': { valid: '../a?b=1#c', invalid: '\\\\a' },
  'uri-template': { valid: 'https://example.org/{id}', invalid: 'https://example.org/{id' },
  uri: { valid: 'https://example.org/a?b=1', invalid: 'example.org' },
  url: { valid: 'https://example.org/a', invalid: 'example.org' },
  uuid: { valid: '3fa85f64-5717-4562-b3fc-2c963f66afa6', invalid: '3fa85f64-5717-4562-b3fc-2c963f66afa' },
};

export const FORMAT_EXAMPLES_NAMES = Object.keys(FORMAT_EXAMPLES).sort();
