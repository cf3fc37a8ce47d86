import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GATEWAY_KEYS, projectConfigDeclarations, SETTING_KEYS, type KeySpec } from '../../infra/src/settings/keys';

/**
 * The gateway's keys are written once, in infra/src/settings/keys.ts; the two copies people read are held to
 * it here rather than generated: Pulumi.yaml is the project's own file (its name, runtime and comments are
 * hand-written, and Pulumi reads it as it is), and docs/configuration.md is prose around a table. A test that
 * fails with the expected text gives the same guarantee as a generator, with no step to forget.
 */
const ROOT = path.resolve(__dirname, '../..');

/** Returns the row docs/configuration.md's table has for `key`: `| \`key\` | default | description (link) |`. */
export function docsRow(key: string, spec: KeySpec): string {
  const fallback = spec.default === '' ? 'empty' : `\`${spec.default}\``;
  const link = spec.docs ? ` ([${spec.docs.split('#')[0]}](${spec.docs}))` : '';
  return `| \`${key}\` | ${fallback} | ${spec.description}${link} |`;
}

/** Returns the rows of the markdown table under the heading `heading` (its `| ... |` lines after the header and the rule). */
export function tableRows(markdown: string, heading: string): string[] {
  const section = markdown.split(new RegExp(`^${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'))[1] ?? '';
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  if (start < 0) return [];
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

describe('the key table (infra/src/settings/keys.ts) is the one source of every gateway key', () => {
  it('Pulumi.yaml `config:` declares exactly the table: each key with its type, default and description, in its order', () => {
    const project = parse(readFileSync(path.join(ROOT, 'Pulumi.yaml'), 'utf8')) as { config: Record<string, unknown> };
    expect(project.config, 'copy the declarations of projectConfigDeclarations() (infra/src/settings/keys.ts) into Pulumi.yaml').toEqual(projectConfigDeclarations());
    expect(Object.keys(project.config)).toEqual(SETTING_KEYS);
    // The app's keys live in its descriptor only, so another app (KOA_APIGATEWAY_APP) reads this file unchanged:
    // the example's test holds its own keys to that (tests/example/infra/settings.test.ts).
  });

  it("docs/configuration.md's table of the gateway's keys has one row per key, as the table says it", () => {
    const rows = tableRows(readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8'), "### The gateway's keys");
    expect(rows, 'rewrite the rows as the key table renders them').toEqual(SETTING_KEYS.map((key) => docsRow(key, GATEWAY_KEYS[key])));
  });

  it('every key has a type, a description and a default its type allows; a choice lists its default among its values', () => {
    for (const key of SETTING_KEYS) {
      const spec: KeySpec = GATEWAY_KEYS[key];
      expect(spec.description.length, key).toBeGreaterThan(20);
      if (spec.type === 'integer') expect(spec.default, key).toMatch(/^\d+$/);
      if (spec.type === 'boolean') expect(['true', 'false'], key).toContain(spec.default);
      if (spec.values) expect(spec.values, key).toContain(spec.default);
    }
  });
});

describe('the check catches a copy that drifted (self-test)', () => {
  it('reads a table under its heading, and only its rows', () => {
    const markdown = "# T\n\n### The gateway's keys\n\nText.\n\n| Key | Default | Meaning |\n|---|---|---|\n| `a` | `1` | A. |\n| `b` | empty | B. |\n\nAfter.\n| `c` | x | not in the table |";
    expect(tableRows(markdown, "### The gateway's keys")).toEqual(['| `a` | `1` | A. |', '| `b` | empty | B. |']);
  });

  it('renders a default, an empty default and a docs link into the row a changed table would no longer match', () => {
    expect(docsRow('rateLimit', { type: 'integer', default: '100', description: 'Steady requests per second.' })).toBe('| `rateLimit` | `100` | Steady requests per second. |');
    expect(docsRow('userPool', { type: 'string', default: '', description: 'The pool.', docs: 'auth.md#configuration' })).toBe('| `userPool` | empty | The pool. ([auth.md](auth.md#configuration)) |');
    expect(docsRow('rateLimit', { type: 'integer', default: '50', description: 'Steady requests per second.' })).not.toBe(docsRow('rateLimit', GATEWAY_KEYS.rateLimit));
  });
});
