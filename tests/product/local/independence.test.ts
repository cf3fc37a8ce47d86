import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');

/** The relative and package imports of every TypeScript file under `dir`. */
function importsOf(dir: string): Array<{ file: string; from: string }> {
  const out: Array<{ file: string; from: string }> = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    if (!name.endsWith('.ts')) continue;
    const text = readFileSync(path.join(ROOT, dir, name), 'utf8');
    for (const m of text.matchAll(/(?:from|import\()\s*'([^']+)'/g)) out.push({ file: `${dir}/${name}`, from: m[1]! });
  }
  return out;
}

describe('the local gateway reads the API definition, not the Pulumi side', () => {
  it.each(['infra/src/local', 'infra/src/core/definition', 'infra/src/core/openapi'])('%s imports nothing from infra/src/pulumi or @pulumi/*', (dir) => {
    const found = importsOf(dir);
    expect(found.length).toBeGreaterThan(0);
    // The old emulator imported '../gateway/responses' (the Pulumi component's folder, now pulumi/): that must not come back.
    expect(found.filter((i) => i.from.startsWith('@pulumi/') || /\/pulumi(\/|$)/.test(i.from))).toEqual([]);
  });
});
