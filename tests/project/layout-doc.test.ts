import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const DOC = path.join(ROOT, 'docs/development.md');

/** One entry of the layout block: its path from the root ('infra/src/local/') and its text, continuation lines included. */
interface Entry {
  path: string;
  text: string;
}

/**
 * Returns the entries of the code block under "## Layout" in `markdown`: a name at column 0 is a top-level
 * path, at column 2 a child of the folder above it, at column 4 a grandchild; a line indented further
 * continues the entry's text.
 */
export function layoutEntries(markdown: string): Entry[] {
  const section = markdown.split(/^## Layout$/m)[1] ?? '';
  const block = section.split('```')[1] ?? '';
  const entries: Entry[] = [];
  const folders: string[] = [];
  for (const line of block.split('\n')) {
    const m = /^((?: {2}){0,2})(\S+)(.*)$/.exec(line);
    if (!m) {
      if (entries.length > 0 && line.trim() !== '') entries[entries.length - 1]!.text += ` ${line.trim()}`;
      continue;
    }
    const [, indent, name, rest] = m;
    const depth = indent!.length / 2;
    const full = `${folders.slice(0, depth).join('')}${name}`;
    if (name!.endsWith('/')) folders.splice(depth, folders.length, name!);
    entries.push({ path: full, text: rest!.trim() });
  }
  return entries;
}

const entries = layoutEntries(readFileSync(DOC, 'utf8'));

describe('docs/development.md layout is true to the tree', () => {
  it('every path it names exists', () => {
    expect(entries.length).toBeGreaterThan(20);
    expect(entries.filter((e) => !existsSync(path.join(ROOT, e.path))).map((e) => e.path)).toEqual([]);
  });

  it('names every top-level folder, every entry of the package (infra/) and every folder and module of its src/', () => {
    const named = new Set(entries.map((e) => e.path));
    const built = new Set(['node_modules', 'dist']);
    const topFolders = readdirSync(ROOT).filter((n) => !n.startsWith('.') && !built.has(n) && statSync(path.join(ROOT, n)).isDirectory());
    // infra/docs/ is prepack's copy of docs/ (infra/scripts/copy-docs.cjs, gitignored), there after an npm pack only.
    const list = (dir: string) => readdirSync(path.join(ROOT, dir)).filter((n) => !built.has(n) && `${dir}/${n}` !== 'infra/docs').map((n) => (statSync(path.join(ROOT, dir, n)).isDirectory() ? `${dir}/${n}/` : `${dir}/${n}`));
    expect([...topFolders.map((n) => `${n}/`), ...list('infra'), ...list('infra/src')].filter((p) => !named.has(p))).toEqual([]);
  });

  it('lists every module of the local gateway, each pipeline stage included', () => {
    const emulator = entries.find((e) => e.path === 'infra/src/local/')!.text;
    const modules = readdirSync(path.join(ROOT, 'infra/src/local')).filter((n) => n.endsWith('.ts') && n !== 'index.ts').map((n) => n.slice(0, -3));
    expect(modules.filter((m) => !new RegExp(`(^|[^\\w-])${m}([^\\w-]|$)`).test(emulator))).toEqual([]);
  });

  it('would catch a missing or stale entry', () => {
    const parsed = layoutEntries('## Layout\n\n```\ninfra/  x\n  gone/   y\n        more\n```\n');
    expect(parsed).toEqual([{ path: 'infra/', text: 'x' }, { path: 'infra/gone/', text: 'y more' }]);
    expect(existsSync(path.join(ROOT, parsed[1]!.path))).toBe(false);
  });
});
