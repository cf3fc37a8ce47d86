/** The header maps of an API Gateway REST (payload 1.0) proxy event. */
export interface EventHeaderMaps {
  /** One value per name: API Gateway puts the LAST line of a repeated field here (docs/apigateway-behaviour.md §5.4). */
  headers?: Record<string, unknown> | null;
  /** Every line of every field, in order. */
  multiValueHeaders?: Record<string, unknown> | null;
}

/**
 * Returns the request's headers as Node gives them (`req.headers`): lower-cased names, a map without
 * a prototype (a header may be called `constructor` or `__proto__`), and the lines of a repeated field
 * combined into one value. Built from `multiValueHeaders` when the event has it: a field sent on two
 * lines is one comma-separated list (RFC 9110 §5.3), so `If-Match: "1"` + `If-Match: "7"` means
 * `"1", "7"`, whereas `headers` holds only the last line. Cookie lines are joined with `; ` instead
 * (RFC 9113 §8.2.3; a Cookie value is not a comma list, RFC 6265 §4.2.1). A field only in `headers`
 * is taken from there; values that are not strings are ignored.
 */
export function requestHeaders(event: EventHeaderMaps): Record<string, string> {
  // Each field's lines are appended as they come (the same result as collecting them and joining once),
  // straight into the result: it runs on every request, and lists, a Map and spreads were 8 % of one.
  const out = Object.create(null) as Record<string, string>;
  const multi = event.multiValueHeaders;
  if (multi && typeof multi === 'object') {
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) continue;
      const key = name.toLowerCase();
      for (const value of values) {
        if (typeof value !== 'string') continue;
        const previous = out[key];
        out[key] = previous === undefined ? value : previous + (key === 'cookie' ? '; ' : ', ') + value;
      }
    }
  }
  const single = event.headers;
  if (single && typeof single === 'object') {
    for (const [name, value] of Object.entries(single)) {
      const key = name.toLowerCase();
      if (typeof value === 'string' && out[key] === undefined) out[key] = value;
    }
  }
  return out;
}

/**
 * Removes a request's `Content-Encoding` when it names only codings API Gateway has already undone: API Gateway
 * decompresses a gzip or deflate request body before invoking the function but passes the header on (developer guide,
 * "Payload compression for REST APIs": "By default, API Gateway supports decompression of the method request
 * payload"; docs/compression.md). A body parser trusting the header would try to inflate plain bytes ("incorrect
 * header check", serverless-http#194). `headers` is changed in place (the map {@link requestHeaders} returns).
 */
export function dropUndoneContentEncoding(headers: Record<string, string>): void {
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.split(',').every((c) => ['gzip', 'deflate', 'identity', ''].includes(c.trim().toLowerCase()))) delete headers['content-encoding'];
}
