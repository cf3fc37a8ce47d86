import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const TESTS = path.join(ROOT, 'tests');

/**
 * Where each tree of tests/ mirrors its source: the package's tests (tests/product/) mirror infra/src/, the
 * example's (tests/example/) mirror service/, the benchmark's (tests/bench/) bench/.
 */
export const MIRRORS: Readonly<Record<string, string>> = { product: 'infra/src', example: 'service', bench: 'bench' };

/**
 * Folders of tests/ that are not tests of one source folder: what the suite shares (support/, fixtures/),
 * checks of the repository (project/), of the whole product under hostile input (product/hardening/) and of
 * the example's Pulumi program index.ts (example/program/).
 */
export const NOT_MIRRORED = new Set(['support', 'fixtures', 'project', 'product/hardening', 'example/program']);

/** Every folder under tests/, relative to it ('product/bundle'), skipping the insides of support and fixture folders. */
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
  const [tree, ...rest] = rel.split('/');
  const base = MIRRORS[tree!];
  if (base === undefined) return undefined;
  const source = [base, ...rest].join('/');
  if (existsSync(path.join(ROOT, source)) && statSync(path.join(ROOT, source)).isDirectory()) return `${source}/`;
  if (existsSync(path.join(ROOT, `${source}.ts`))) return `${source}.ts`;
  return undefined;
}

describe('tests mirror the source folders (docs/development.md#tests)', () => {
  it('every folder under tests/ is named after a source folder or module (tests/product/bundle ↔ infra/src/bundle/), or is a shared one', () => {
    const stray = testFolders().filter((rel) => !NOT_MIRRORED.has(rel) && !rel.split('/').some((part) => part === 'support' || part === 'fixtures') && !mirrored(rel));
    expect(stray, 'move these tests to the folder that mirrors the source they test, or name the exception in NOT_MIRRORED').toEqual([]);
  });

  it('would catch a test folder named after nothing', () => {
    expect(mirrored('product/bundle')).toBe('infra/src/bundle/');
    expect(mirrored('product/core/plan')).toBe('infra/src/core/plan/');
    expect(mirrored('product/local')).toBe('infra/src/local/');
    expect(mirrored('product/bundles')).toBeUndefined();
    expect(mirrored('kit')).toBeUndefined();
  });
});
