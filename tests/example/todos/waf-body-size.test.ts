import { readFileSync } from 'node:fs';
import path from 'node:path';
import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_LIMIT_BYTES, TodoCreate } from '../../../service/todos/schemas';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { bodyLimitRules } from '../../../infra/src/core/waf-body-limits';
import { createApp } from '../../../service/app';

const WAF_BODY_RULE_LIMIT = 8192; // SizeRestrictions_BODY: "over 8 KB (8,192 bytes)" (AWS WAF Developer Guide, "Baseline rule groups").
const EDGE_DOC = readFileSync(path.resolve(__dirname, '../../../docs/edge.md'), 'utf8');

/** Every character outside ASCII as `\uXXXX` (astral ones as a surrogate pair), as Python's json.dumps does by default (ensure_ascii). */
function asciiEscaped(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The largest todo the API accepts, in bytes, against WAF's 8 KB body rule: the numbers docs/edge.md
 * gives come from the schema itself, so a changed maxLength (or a wrong claim) fails here.
 */
describe('the largest valid todo body against the common rule set 8 KB body rule', () => {
  const emoji = '\u{1F600}'; // 4 bytes in UTF-8, 12 as the escaped surrogate pair \ud83d\ude00
  const largest = { title: emoji.repeat(200), description: emoji.repeat(1000), priority: 'medium', completed: false };

  it('is valid, and one more character is not', () => {
    expect(Value.Check(TodoCreate, largest)).toBe(true);
    expect(Value.Check(TodoCreate, { ...largest, title: emoji.repeat(201) })).toBe(false);
    expect(Value.Check(TodoCreate, { ...largest, description: emoji.repeat(1001) })).toBe(false);
  });

  it('stays under 8 KB as UTF-8 JSON but not \\u-escaped, and docs/edge.md gives both numbers', () => {
    const utf8 = Buffer.byteLength(JSON.stringify(largest));
    const escaped = Buffer.byteLength(asciiEscaped(largest));
    expect(JSON.parse(asciiEscaped(largest))).toEqual(largest);
    expect(utf8).toBeLessThan(WAF_BODY_RULE_LIMIT);
    expect(escaped).toBeGreaterThan(WAF_BODY_RULE_LIMIT);
    expect(EDGE_DOC).toContain(`${utf8.toLocaleString('en-US')} bytes`);
    expect(EDGE_DOC).toContain(`${escaped.toLocaleString('en-US')} bytes`);
    expect(EDGE_DOC).not.toMatch(/even fully `?\\u`?-escaped/);
  });
});

/** The attachment's 256 KiB with `waf` on: a rule of the web ACL blocks it at the gateway (docs/api.md, docs/edge.md). */
describe("the attachment upload's size limit at the edge", () => {
  it('is a web ACL body-limit rule of 262,144 bytes on PUT /api/v1/todos/{id}/attachment, and docs/api.md says the gateway enforces it with waf', () => {
    const rules = bodyLimitRules(buildGatewaySpec(createApp()).methods, 'dev');
    const attachment = rules.find((r) => r.route === 'PUT /api/v1/todos/{id}/attachment');
    expect(attachment).toMatchObject({ limit: ATTACHMENT_LIMIT_BYTES, pathPattern: '^/dev/api/v1/todos/[^/]+/attachment$', body: '{"message":"Request body exceeds the limit of 262144 bytes"}' });
    expect(ATTACHMENT_LIMIT_BYTES).toBe(262_144);
    const api = readFileSync(path.resolve(__dirname, '../../../docs/api.md'), 'utf8');
    expect(api).toContain('**the gateway** enforces it too');
    expect(api).not.toContain('not deployed yet');
  });
});
