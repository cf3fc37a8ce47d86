import corpus from './corpus.json';

/** One hostile request: data in corpus.json, generated parts (huge or deep bodies) described, not stored. */
export interface HostileCase {
  name: string;
  method: string;
  /** `{id}` stands for the id of a parcel that exists. */
  path: string;
  headers: Record<string, string>;
  body?: string | { gen: 'nested'; depth: number; field?: string } | { gen: 'bigString'; bytes: number; field: string } | { gen: 'base64'; value: string };
  /** Send `body` as it is but flag it isBase64Encoded (a lie). */
  base64Raw?: boolean;
  base64?: boolean;
  status?: number;
  statusRange?: [number, number];
  /**
   * Where the gateway answers first and differently, as API Gateway does: no route/method is its
   * 403 Missing Authentication Token, the model's maxLength a 400 before the service's 413.
   */
  gatewayStatus?: number;
  gatewayStatusRange?: [number, number];
}

/** Returns the case as the local gateway should answer it (its own status where it answers first). */
export function throughGateway(c: HostileCase): HostileCase {
  return { ...c, status: c.gatewayStatus ?? c.status, statusRange: c.gatewayStatusRange ?? c.statusRange };
}

export const HOSTILE_CASES = corpus as HostileCase[];

/** Returns the request body of a case as bytes-in-a-string, and whether it is base64 on the wire. */
export function materialiseBody(c: HostileCase): { body: string | undefined; isBase64Encoded: boolean } {
  const b = c.body;
  if (b === undefined) return { body: undefined, isBase64Encoded: false };
  if (typeof b === 'string') return { body: b, isBase64Encoded: Boolean(c.base64Raw) };
  switch (b.gen) {
    case 'nested': {
      const nested = '['.repeat(b.depth) + ']'.repeat(b.depth);
      return { body: b.field ? `{"${b.field}":${nested}}` : nested, isBase64Encoded: false };
    }
    case 'bigString':
      return { body: `{"${b.field}":"${'a'.repeat(b.bytes)}"}`, isBase64Encoded: false };
    case 'base64':
      return { body: b.value, isBase64Encoded: true };
  }
}

/** The assertions every hostile case shares: a 4xx (never 5xx) in our JSON error shape. */
export function checkErrorResponse(c: HostileCase, status: number, contentType: string | undefined, text: string): string[] {
  const problems: string[] = [];
  if (c.status !== undefined && status !== c.status) problems.push(`status ${status}, expected ${c.status}`);
  const [lo, hi] = c.statusRange ?? [400, 499];
  if (status < lo || status > hi) problems.push(`status ${status} outside ${lo}-${hi}`);
  if (!/^application\/json/.test(contentType ?? '')) problems.push(`content-type ${contentType}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    problems.push(`body is not JSON: ${text.slice(0, 80)}`);
    return problems;
  }
  const shape = body as { message?: unknown; errors?: unknown; detail?: unknown };
  if (typeof shape.message !== 'string') problems.push('no string message');
  // The gateway's BAD_REQUEST_BODY carries its validator's text as `detail` (docs/apigateway-behaviour.md §2.10), a string.
  const gatewayDetail = shape.message === 'Invalid request body' && typeof shape.detail === 'string';
  const extra = Object.keys(shape).filter((k) => k !== 'message' && k !== 'errors' && !(k === 'detail' && gatewayDetail));
  if (extra.length) problems.push(`unexpected keys ${extra.join(',')}`);
  if (shape.errors !== undefined) {
    const ok = Array.isArray(shape.errors) && shape.errors.every((e) => typeof e?.message === 'string' && (e.path === undefined || typeof e.path === 'string'));
    if (!ok) problems.push('malformed errors array');
  }
  return problems;
}
