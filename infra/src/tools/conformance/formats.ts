import { fullFormats } from 'ajv-formats/dist/formats';
import fc from 'fast-check';
import {
  IsDate,
  IsDateTime,
  IsDuration,
  IsEmail,
  IsHostname,
  IsIdnEmail,
  IsIdnHostname,
  IsIPv4,
  IsIPv6,
  IsIri,
  IsIriReference,
  IsJsonPointer,
  IsJsonPointerUriFragment,
  IsRegex,
  IsRelativeJsonPointer,
  IsTime,
  IsUri,
  IsUriReference,
  IsUriTemplate,
  IsUrl,
  IsUuid,
} from 'typebox/format';

/** A format the service checks, as the conformance suite knows it: the service's check and how to draw valid values. */
export interface ServiceFormat {
  /** TypeBox's own check of the format (typebox/format), the one the service's validators call. */
  check(value: string): boolean;
  /** Valid values of varied shape and length (fast-check), drawn with a seed. */
  values: fc.Arbitrary<string>;
  /** Returns a valid value of exactly `length` characters, when one is easy to write (for length bounds the draws miss). */
  ofLength?(length: number): string | undefined;
}

const LABEL = 63;

/** Returns `count` characters of host labels (`a`, at most 63 each, `.` between), with at least `labels` of them; undefined when impossible. */
function hostOfLength(count: number, labels = 1): string | undefined {
  if (count < 2 * labels - 1 || count > 253) return undefined;
  const parts: number[] = [];
  let left = count;
  while (left > 0) {
    if (left <= LABEL && parts.length + 1 >= labels) {
      parts.push(left);
      break;
    }
    const take = Math.min(LABEL, left - 2);
    if (take < 1) return undefined;
    parts.push(take);
    left -= take + 1;
  }
  return parts.map((n) => 'a'.repeat(n)).join('.');
}

/** An address of `count` characters: a local part (at most 64) and a host with a dot (ajv-formats asks for one). */
function emailOfLength(count: number): string | undefined {
  const local = Math.min(64, Math.max(1, count - 1 - 12));
  const host = hostOfLength(count - local - 1, 2);
  return host && `${'a'.repeat(local)}@${host}`;
}

/** `http://a.bc/aaa…`: a URL ajv-formats accepts too (a host with a top-level domain), of `count` characters. */
function webUrlOfLength(count: number): string | undefined {
  if (count === 11) return 'http://a.bc';
  return count >= 12 ? `http://a.bc/${'a'.repeat(count - 12)}` : undefined;
}

const urlArbitraries = new Map<string, fc.Arbitrary<string>>();

/**
 * The URL arbitrary `make` builds, built on first use and kept under `kind`. The first URL arbitrary a process builds
 * (`fc.webUrl`, `fc.webPath`) costs about 1 s of CPU (fast-check 4.10 builds its URL path tables then; measured with a
 * CPU profile of `koa-apigateway conformance` on the 2-core machine): built when this module loaded, every run paid
 * it, near half of a run against a small app, though only schemas declaring a URL format draw from them.
 */
function webUrls(kind: string, make: () => fc.Arbitrary<string>): fc.Arbitrary<string> {
  let arbitrary = urlArbitraries.get(kind);
  if (!arbitrary) urlArbitraries.set(kind, (arbitrary = make()));
  return arbitrary;
}

const isoDates = fc.date({ noInvalidDate: true, min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59Z') }).map((d) => d.toISOString());
const pointerToken = fc.string({ unit: fc.constantFrom(...'abcxyz019-_~/'.split('')), maxLength: 8 }).map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1'));
const jsonPointer = fc.array(pointerToken, { maxLength: 4 }).map((tokens) => tokens.map((t) => `/${t}`).join(''));

/**
 * Every format TypeBox 1.x checks (`typebox/format`'s registry after `Format.Reset()`; a test holds the two
 * lists together), with TypeBox's check and a generator of valid values. The suite draws a formatted string
 * from here, keeps it only when the whole schema (length bounds, pattern) and isWellFormed accept it, and
 * judges near-misses with the same checks, so it expects of the service exactly what the service enforces.
 */
export const SERVICE_FORMATS: Readonly<Record<string, ServiceFormat>> = {
  'date-time': {
    check: IsDateTime,
    values: fc.oneof(isoDates, isoDates.map((d) => d.replace(/\.\d{3}Z$/, 'Z')), isoDates.map((d) => d.replace(/Z$/, '+02:00'))),
    ofLength: (n) => (n === 20 ? '2024-01-02T03:04:05Z' : n >= 22 ? `2024-01-02T03:04:05.${'1'.repeat(n - 21)}Z` : undefined),
  },
  date: { check: IsDate, values: isoDates.map((d) => d.slice(0, 10)) },
  time: {
    check: IsTime,
    values: fc.oneof(isoDates.map((d) => d.slice(11)), isoDates.map((d) => `${d.slice(11, 19)}Z`), isoDates.map((d) => `${d.slice(11, 19)}-05:00`)),
    ofLength: (n) => (n === 9 ? '03:04:05Z' : n >= 11 ? `03:04:05.${'1'.repeat(n - 10)}Z` : undefined),
  },
  duration: {
    check: IsDuration,
    values: fc.oneof(
      fc.nat(400).map((d) => `P${d}D`),
      fc.tuple(fc.nat(23), fc.nat(59)).map(([h, m]) => `PT${h}H${m}M`),
      fc.nat(52).map((w) => `P${w}W`),
      fc.tuple(fc.nat(9), fc.nat(11), fc.nat(27), fc.nat(23)).map(([y, mo, d, h]) => `P${y}Y${mo}M${d}DT${h}H`),
    ),
    ofLength: (n) => (n >= 3 ? `P${'1'.repeat(n - 2)}D` : undefined),
  },
  email: { check: IsEmail, values: fc.emailAddress(), ofLength: emailOfLength },
  'idn-email': { check: IsIdnEmail, values: fc.emailAddress(), ofLength: emailOfLength },
  hostname: { check: IsHostname, values: fc.domain(), ofLength: (n) => hostOfLength(n) },
  'idn-hostname': { check: IsIdnHostname, values: fc.domain(), ofLength: (n) => hostOfLength(n) },
  ipv4: {
    check: IsIPv4,
    values: fc.ipV4(),
    // Four octets of 1 to 3 digits (1, 10, 100): 7 to 15 characters.
    ofLength: (n) => {
      if (n < 7 || n > 15) return undefined;
      const digits = [1, 1, 1, 1];
      let extra = n - 7;
      for (let i = 0; extra > 0; i = (i + 1) % 4) {
        if (digits[i]! < 3) {
          digits[i] = digits[i]! + 1;
          extra -= 1;
        }
      }
      return digits.map((d) => `1${'0'.repeat(d - 1)}`).join('.');
    },
  },
  ipv6: { check: IsIPv6, values: fc.ipV6() },
  uri: {
    check: IsUri,
    get values() {
      return webUrls('with query and fragment', () => fc.webUrl({ withQueryParameters: true, withFragments: true }));
    },
    ofLength: (n) => webUrlOfLength(n) ?? (n >= 2 ? `a:${'b'.repeat(n - 2)}` : undefined),
  },
  url: {
    check: IsUrl,
    get values() {
      return webUrls('with query', () => fc.webUrl({ withQueryParameters: true }));
    },
    ofLength: webUrlOfLength,
  },
  iri: {
    check: IsIri,
    get values() {
      return webUrls('with query and fragment', () => fc.webUrl({ withQueryParameters: true, withFragments: true }));
    },
    ofLength: webUrlOfLength,
  },
  'uri-reference': {
    check: IsUriReference,
    get values() {
      return webUrls('or path', () => fc.oneof(fc.webUrl(), fc.webPath()));
    },
    ofLength: (n) => webUrlOfLength(n) ?? 'a'.repeat(n),
  },
  'iri-reference': {
    check: IsIriReference,
    get values() {
      return webUrls('or path', () => fc.oneof(fc.webUrl(), fc.webPath()));
    },
    ofLength: (n) => webUrlOfLength(n) ?? (n >= 1 ? 'a'.repeat(n) : undefined),
  },
  'uri-template': {
    check: IsUriTemplate,
    get values() {
      return webUrls('with template', () => fc.tuple(fc.webUrl(), fc.constantFrom('', '/{id}', '{?q,limit}', '/{+path}')).map(([url, template]) => url + template));
    },
    ofLength: (n) => webUrlOfLength(n) ?? 'a'.repeat(n),
  },
  'json-pointer': { check: IsJsonPointer, values: jsonPointer, ofLength: (n) => (n === 0 ? '' : `/${'a'.repeat(n - 1)}`) },
  'json-pointer-uri-fragment': {
    check: IsJsonPointerUriFragment,
    values: fc.array(fc.string({ unit: fc.constantFrom(...'abcxyz019-_'.split('')), maxLength: 8 }), { maxLength: 4 }).map((tokens) => `#${tokens.map((t) => `/${t}`).join('')}`),
    ofLength: (n) => (n === 1 ? '#' : n >= 2 ? `#/${'a'.repeat(n - 2)}` : undefined),
  },
  'relative-json-pointer': {
    check: IsRelativeJsonPointer,
    values: fc.oneof(fc.tuple(fc.nat(9), jsonPointer).map(([up, pointer]) => `${up}${pointer}`), fc.nat(9).map((up) => `${up}#`)),
    ofLength: (n) => (n === 1 ? '0' : n >= 2 ? `0/${'a'.repeat(n - 2)}` : undefined),
  },
  regex: {
    check: IsRegex,
    values: fc.oneof(fc.constantFrom('^[a-z]+$', '\\d{3}-\\d{4}', 'cat|dog', '^(?:[A-Z]{2})?[0-9]+$'), fc.string({ unit: fc.constantFrom(...'abcxyz019'.split('')), maxLength: 12 })),
    ofLength: (n) => 'a'.repeat(n),
  },
  uuid: { check: IsUuid, values: fc.uuid() },
};

type AjvFormat = RegExp | ((value: string) => boolean) | { validate: RegExp | ((value: string) => boolean) };

/**
 * True when `value` is a valid `format` by TypeBox's check and, for a name ajv-formats also defines, by
 * ajv-formats' (full mode) too: values the suite sends are valid by either reading, so no honest
 * implementation of the format refuses them (TypeBox takes `a:b` as a `url`, ajv-formats does not).
 * False for a format the suite does not know.
 */
export function isWellFormed(format: string, value: string): boolean {
  const known = SERVICE_FORMATS[format];
  if (!known?.check(value)) return false;
  const ajv = (fullFormats as Record<string, AjvFormat | undefined>)[format];
  if (ajv === undefined) return true;
  const validate = typeof ajv === 'object' && !(ajv instanceof RegExp) ? ajv.validate : ajv;
  return validate instanceof RegExp ? validate.test(value) : validate(value);
}
