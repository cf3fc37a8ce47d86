/**
 * ETags for todos: the todo's version as a strong entity tag, e.g. `"3"`. Clients send it back in
 * `If-Match` so a write applies only to the version they read.
 */

/** Returns the ETag header value for `version`. */
export function formatETag(version: number): string {
  return `"${version}"`;
}

/**
 * Returns whether an `If-Match` header value matches `version`: `*` matches any existing todo, otherwise
 * one of the comma-separated strong tags must be ours. Weak tags (`W/"3"`) never match: If-Match uses
 * strong comparison (RFC 9110 §13.1.1).
 */
export function ifMatchAccepts(header: string, version: number): boolean {
  const tags = header.split(',').map((t) => t.trim());
  return tags.some((tag) => tag === '*' || tag === formatETag(version));
}
