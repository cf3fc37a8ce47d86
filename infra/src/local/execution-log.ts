/**
 * API Gateway's limit on one execution-log event, in bytes (docs/apigateway-behaviour.md §9.5; AWS
 * "Amazon API Gateway important notes for REST APIs": "API Gateway currently limits log events to 1024 bytes.
 * Log events larger than 1024 bytes, such as request and response bodies, will be truncated by API Gateway
 * before submission to CloudWatch Logs").
 */
export const MAX_LOG_EVENT_BYTES = 1024;

/**
 * Returns `line` cut to at most `MAX_LOG_EVENT_BYTES` bytes of UTF-8, never inside a character, as API
 * Gateway truncates an execution-log event; a line within the limit is returned as is.
 */
export function truncateLogEvent(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= MAX_LOG_EVENT_BYTES) return line;
  let end = MAX_LOG_EVENT_BYTES;
  // Back off continuation bytes (10xxxxxx) so the cut falls on a character boundary.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
