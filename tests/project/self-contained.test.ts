import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFiles as allFiles } from '../support/files';

/**
 * The project stands on its own: a clone with nothing beside it must build, run and pass its tests, so no
 * file in it may reach outside the repository root (a sibling `../shared`, a machine path like `/work/...`).
 */
const ROOT = path.resolve(__dirname, '../..');
const SELF = path.relative(ROOT, __filename);

/** Every file of the project (not node_modules, dist, .local: .gitignore), but this test and the lock file. */
function projectFiles(): string[] {
  return allFiles().filter((f) => f !== SELF && f !== 'package-lock.json' && !f.startsWith('tests/fixtures/'));
}

const CODE = /\.(?:[cm]?[jt]s|json|ya?ml|sh)$|^\.ci\/run$|^\.nvmrc$/;
const outside = (target: string) => {
  const rel = path.relative(ROOT, target);
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
};

/** Returns the places in `text` (a project file at `file`) that name a path outside the repository root. */
export function escapes(file: string, text: string): string[] {
  const dir = path.dirname(path.join(ROOT, file));
  const found: string[] = [];
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  if (CODE.test(file)) {
    // A relative path literal: '../x', "../../x", `../x`.
    for (const m of text.matchAll(/(['"`])((?:\.\.\/)+[^'"`\s]*)\1/g)) {
      if (outside(path.resolve(dir, m[2]!))) found.push(`${file}:${lineOf(m.index!)} ${m[2]}`);
    }
    // path.resolve/join(__dirname, '..', '..', 'x'): the literals after __dirname, joined.
    for (const m of text.matchAll(/path\.(?:resolve|join)\(\s*__dirname\s*((?:,\s*(['"`])[^'"`]*\2\s*)+)/g)) {
      const parts = [...m[1]!.matchAll(/(['"`])([^'"`]*)\1/g)].map((p) => p[2]!);
      if (outside(path.resolve(dir, ...parts))) found.push(`${file}:${lineOf(m.index!)} ${parts.join(', ')}`);
    }
  }
  // Any file (docs included): the workspace this project was developed in is not part of a clone.
  for (const m of text.matchAll(/(?:\/work\/[\w.-]+|(?<![\w-])shared\/(?:fixtures|reference)\b)/g)) {
    found.push(`${file}:${lineOf(m.index!)} ${m[0]}`);
  }
  return found;
}

describe('the project stands on its own', () => {
  it('no source, test, script, bench, config or doc names a path outside the repository', () => {
    const problems = projectFiles().flatMap((file) => {
      let text: string;
      try {
        text = readFileSync(path.join(ROOT, file), 'utf8');
      } catch {
        return []; // deleted in the working tree
      }
      return escapes(file, text);
    });
    expect(problems).toEqual([]);
  });

  it('the check itself catches the ways a path escapes', () => {
    // Round 1's events.ts line, assembled so that this file does not itself name the folder outside.
    const outside = ['..', '..', '..', 'shared', 'fixtures'].join('/');
    expect(escapes('tests/support/events.ts', `path.resolve(__dirname, '${outside}')`)).toHaveLength(3); // the literal, the resolve call, the shared/ name
    expect(escapes('scripts/x.ts', "path.join(__dirname, '..', '..', 'elsewhere')")).toHaveLength(1);
    expect(escapes('scripts/x.ts', "import a from '../../outside';")).toHaveLength(1);
    expect(escapes('README.md', 'see /work/notes/x.md')).toHaveLength(1);
    // Inside the repository: fine.
    expect(escapes('tests/support/events.ts', "path.resolve(__dirname, '../fixtures/apigateway')")).toEqual([]);
    expect(escapes('scripts/x.ts', "path.resolve(__dirname, '..')")).toEqual([]);
    expect(escapes('infra/src/local/start.ts', "import { x } from '../bundle';")).toEqual([]);
  });
});
