import type { ServerResponse } from 'node:http';
import { acceptsBinary } from '../media-type';
import { gatewayErrors, type GatewayError } from './errors';

/** A proxy response mapped to HTTP, or the gateway error it turns into. */
export type MappedResponse =
  | { ok: true; status: number; headers: Record<string, string | string[]>; body: Buffer }
  | { ok: false; error: GatewayError; reason: string };

const ALLOWED_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
// Framing is the gateway's business: a Lambda's Content-Length or Transfer-Encoding is not passed on.
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);

/**
 * Returns the HTTP response API Gateway sends for a Lambda proxy result (docs/apigateway-behaviour.md §6): only the
 * five known keys, a numeric (or numeric string) status, a string body, scalar header values; any
 * other shape is a 502 "Malformed Lambda proxy response".
 */
export function mapProxyResponse(result: unknown, options: { accept: string | undefined; binaryMediaTypes: readonly string[] }): MappedResponse {
  const malformed = (reason: string): MappedResponse => ({ ok: false, error: gatewayErrors.integrationFailure(), reason: `Malformed Lambda proxy response: ${reason}` });
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return malformed(`expected an object, got ${result === null ? 'null' : Array.isArray(result) ? 'an array' : typeof result}`);
  const r = result as Record<string, unknown>;
  const extra = Object.keys(r).filter((k) => !ALLOWED_KEYS.has(k));
  if (extra.length > 0) return malformed(`unexpected key(s) ${extra.join(', ')}`);

  let status = 200;
  if (r.statusCode !== undefined && r.statusCode !== null) {
    const text = String(r.statusCode);
    if ((typeof r.statusCode !== 'number' && typeof r.statusCode !== 'string') || !/^\d{3}$/.test(text) || Number(text) < 100) return malformed(`statusCode ${JSON.stringify(r.statusCode)}`);
    status = Number(text);
  }
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return malformed('body must be a string (JSON.stringify it)');
  if (r.isBase64Encoded !== undefined && r.isBase64Encoded !== null && typeof r.isBase64Encoded !== 'boolean') return malformed('isBase64Encoded must be a boolean');

  // multiValueHeaders first, then `headers` appended under the multi name's casing (§6.6).
  const merged = new Map<string, { name: string; values: string[] }>();
  const add = (name: string, value: unknown): boolean => {
    if (value === null || value === undefined) return true;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
    const entry = merged.get(name.toLowerCase()) ?? { name, values: [] };
    entry.values.push(String(value)); // booleans become "true" (§6.5); numbers likewise (UNCONFIRMED)
    merged.set(name.toLowerCase(), entry);
    return true;
  };
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) return malformed('multiValueHeaders must be an object');
    for (const [name, values] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(values)) return malformed(`multiValueHeaders.${name} must be a list`);
      for (const v of values) if (!add(name, v)) return malformed(`multiValueHeaders.${name} holds a non-scalar value`);
    }
  }
  // A key-value pair given in both maps appears once: "If the same key-value pair is specified in both, only the values
  // from multiValueHeaders will appear in the merged list" (developer guide, "Lambda proxy integrations for REST APIs",
  // output format; §6.6).
  const fromMulti = new Map([...merged].map(([key, entry]) => [key, new Set(entry.values)]));
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return malformed('headers must be an object');
    for (const [name, value] of Object.entries(r.headers)) {
      if ((typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && fromMulti.get(name.toLowerCase())?.has(String(value))) continue;
      if (!add(name, value)) return malformed(`headers.${name} must be a string`);
    }
  }

  // No prototype: a function may name a header `__proto__`, and it stays a header.
  const headers = Object.create(null) as Record<string, string | string[]>;
  for (const { name, values } of merged.values()) {
    if (FRAMING.has(name.toLowerCase())) continue;
    // Repeated values go out as repeated header lines; clients read them as `value1, value2` (§6.6).
    headers[name] = values.length === 1 ? values[0]! : values;
  }
  if (!merged.has('content-type')) headers['Content-Type'] = 'application/json'; // §6.7

  const text = (r.body as string | null | undefined) ?? '';
  if (r.isBase64Encoded === true && acceptsBinary(options.accept, options.binaryMediaTypes)) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
      return { ok: false, error: gatewayErrors.configurationError(), reason: 'Unable to base64-decode the response body for binary conversion' };
    }
    return { ok: true, status, headers, body: Buffer.from(text, 'base64') };
  }
  return { ok: true, status, headers, body: Buffer.from(text, 'utf8') };
}

/** Writes a whole response: status, headers, Content-Length, and the body (none for HEAD). */
export function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer | string, headOnly = false): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(headOnly ? undefined : body);
}
