import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/**
 * Returns the project's files (paths relative to the root, `/`-separated): everything under the root but
 * `.git` and what `.gitignore` leaves out (node_modules/, dist/, .local/, …). A file-system walk rather
 * than `git ls-files`, so it also works in a copy or an unpacked archive without `.git`. Understands the
 * .gitignore forms this project uses: `dir/`, `name`, `path/name` and `*.ext`.
 */
export function projectFiles(root = ROOT): string[] {
  const rules = readFileSync(path.join(root, '.gitignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const ignored = (rel: string, isDir: boolean): boolean =>
    rel === '.git' ||
    rules.some((rule) => {
      const dirOnly = rule.endsWith('/');
      const pattern = rule.replace(/^\//, '').replace(/\/$/, '');
      if (dirOnly && !isDir) return false;
      if (pattern.startsWith('*.')) return rel.endsWith(pattern.slice(1));
      return pattern.includes('/') ? rel === pattern : path.posix.basename(rel) === pattern;
    });
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (ignored(rel, entry.isDirectory())) continue;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/**
 * Returns a fresh copy of the project (its {@link projectFiles}) in a new folder of the system's temporary
 * directory named `<prefix>-XXXXXX`, with the original's node_modules linked in: the copy has its own dist/
 * and .local/, so a test may edit its sources and settings. The caller removes it.
 */
export function copyProject(prefix: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  for (const file of projectFiles()) {
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}
