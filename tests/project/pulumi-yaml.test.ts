import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SETTING_DEFAULTS, SETTING_KEYS } from '../../infra/src/settings/keys';

/**
 * The repository's own project file (Pulumi.yaml) declares the gateway's settings as the package's one table of
 * keys says (infra/src/settings/settings.ts): `pulumi config` shows the same defaults the commands use.
 */
describe("the repository's Pulumi.yaml", () => {
  const project = parse(readFileSync(path.join(__dirname, '../../Pulumi.yaml'), 'utf8')) as { name: string; runtime: unknown; config: Record<string, { type: string; default: unknown; description: string }> };

  it('declares every setting of the gateway with a type, a description and the default parseSettings uses, and nothing else', () => {
    // An app's keys live in its descriptor only: another app (KOA_APIGATEWAY_APP) reads this file unchanged.
    expect(Object.keys(project.config).sort()).toEqual([...SETTING_KEYS].sort());
    for (const key of SETTING_KEYS) {
      const declared = project.config[key]!;
      expect(['string', 'integer', 'boolean']).toContain(declared.type);
      expect(declared.description.length).toBeGreaterThan(10);
      expect(String(declared.default)).toBe(SETTING_DEFAULTS[key]);
    }
  });

  it('is a TypeScript Node.js project named like the config namespace', () => {
    expect(project.name).toBe('koa-apigateway');
    expect(project.runtime).toMatchObject({ name: 'nodejs', options: { typescript: true } });
  });
});
