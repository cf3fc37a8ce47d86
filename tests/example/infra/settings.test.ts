import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_SETTINGS } from '../../../service/infra/settings';

describe("the example's own config keys (service/infra/settings.ts)", () => {
  it("are declared in its descriptor's settings, not in Pulumi.yaml, which holds the gateway's keys only", () => {
    const project = parse(readFileSync(path.join(__dirname, '../../../Pulumi.yaml'), 'utf8')) as { config: Record<string, unknown> };
    expect(Object.keys(EXAMPLE_SETTINGS).length).toBeGreaterThan(0);
    expect(Object.keys(EXAMPLE_SETTINGS).filter((key) => key in project.config)).toEqual([]);
  });
});
