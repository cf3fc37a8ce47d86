/**
 * The comparison's JSON helpers: equality, a structural diff that names the deepest place two values part,
 * and JSON Pointers (RFC 6901, https://www.rfc-editor.org/rfc/rfc6901: `~` as `~0`, `/` as `~1`).
 */

/** One place two JSON values differ: its pointer, and each side's value there (undefined: absent). */
export interface JsonDifference {
  pointer: string;
  expected: unknown;
  deployed: unknown;
}

/** Returns `segment` escaped for a JSON Pointer: `~` → `~0`, `/` → `~1` (RFC 6901 §3). */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Returns `base` with the segments appended, each escaped: `pointer('/paths', '/parcels', 'get')` is `/paths/~1parcels/get`. */
export function pointer(base: string, ...segments: string[]): string {
  return `${base}${segments.map((s) => `/${escapePointer(s)}`).join('')}`;
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `a` and `b` are the same JSON value: key order does not matter, array order does; `1` equals `1.0`. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Returns where `deployed` differs from `expected`, each difference at the deepest pointer both sides
 * still share: an object's keys one by one (a key on one side only is a difference of its own), an
 * array's items one by one when both have as many, else the array whole. Empty when they are equal.
 */
export function diffJson(expected: unknown, deployed: unknown, at = ''): JsonDifference[] {
  if (jsonEqual(expected, deployed)) return [];
  if (isObject(expected) && isObject(deployed)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(deployed)])].sort();
    return keys.flatMap((k) => diffJson(expected[k], deployed[k], pointer(at, k)));
  }
  if (Array.isArray(expected) && Array.isArray(deployed) && expected.length === deployed.length) {
    return expected.flatMap((item, i) => diffJson(item, deployed[i], pointer(at, String(i))));
  }
  return [{ pointer: at, expected, deployed }];
}
