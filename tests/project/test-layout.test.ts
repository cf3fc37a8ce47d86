import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const TESTS = path.join(ROOT, 'tests');

/**
 * Folders of tests/ that are not tests of one source folder: what the suite shares (support/, fixtures/),
 * checks of the repository (project/), of the whole product under hostile input (hardening/) and of the Pulumi
 * program index.ts (infra/program/). The example's tests mirror it like any source: tests/service/todos/ ↔ service/todos/.
 */
export const NOT_MIRRORED = new Set(['support', 'fixtures', 'project', 'hardening', 'infra/program']);

/**
 * The infra parts whose suites sit at the top of tests/ (tests/emulator is tests of infra/emulator/): large
 * suites with their own support, kept at a short path. Every other infra part's tests sit in tests/infra/<part>/.
 */
export const TOP_LEVEL_INFRA = new Set(['emulator', 'conformance', 'openapi', 'client']);

/** Every folder under tests/, relative to it ('infra/bundle'), skipping the insides of support and fixture folders. */
function testFolders(dir = TESTS, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (!statSync(full).isDirectory()) continue;
    const rel = prefix ? `${prefix}/${name}` : name;
    out.push(rel);
    if (name === 'support' || name === 'fixtures' || NOT_MIRRORED.has(rel)) continue;
    out.push(...testFolders(full, rel));
  }
  return out;
}

/** Returns the source a test folder mirrors (a folder, or a module file named like the folder), or undefined. */
function mirrored(rel: string): string | undefined {
  const candidates = [rel, ...(TOP_LEVEL_INFRA.has(rel) ? [`infra/${rel}`] : [])];
  for (const source of candidates) {
    if (existsSync(path.join(ROOT, source)) && statSync(path.join(ROOT, source)).isDirectory()) return `${source}/`;
    if (existsSync(path.join(ROOT, `${source}.ts`))) return `${source}.ts`;
  }
  return undefined;
}

describe('tests mirror the source folders (docs/development.md#tests)', () => {
  it('every folder under tests/ is named after a source folder or module (tests/infra/bundle ↔ infra/bundle/), or is a shared one', () => {
    const stray = testFolders().filter((rel) => !NOT_MIRRORED.has(rel) && !rel.split('/').some((part) => part === 'support' || part === 'fixtures') && !mirrored(rel));
    expect(stray, 'move these tests to the folder that mirrors the source they test, or name the exception in NOT_MIRRORED').toEqual([]);
  });

  it('would catch a test folder named after nothing', () => {
    expect(mirrored('infra/bundle')).toBe('infra/bundle/');
    expect(mirrored('infra/settings')).toBe('infra/settings.ts');
    expect(mirrored('emulator')).toBe('infra/emulator/');
    expect(mirrored('bench')).toBe('bench/');
    expect(mirrored('infra/bundles')).toBeUndefined();
    expect(mirrored('kit')).toBeUndefined();
  });
});
