import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
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
 * Returns a fresh copy of the project (its {@link projectFiles}, less the paths in `options.without`, relative to the
 * root) in a new folder of the system's temporary directory named `<prefix>-XXXXXX`: the copy has its own dist/ and
 * .local/, so a test may edit its sources and settings. Its packages are the original's: node_modules linked in, so
 * a test of this tree may bundle or load the copy with this tree's own product code (one instance of it). With
 * `options.ownPackage`, the copy runs on its own instead, as after `npm ci` there: every package of the original
 * linked in but the workspace package (`koa-apigateway`, and its bin), which is the copy's own infra/, with the
 * original's build of it (infra/dist, from the same sources) copied. The caller removes it.
 */
export function copyProject(prefix: string, options: { without?: readonly string[]; ownPackage?: boolean } = {}): string {
  const copy = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  const without = options.without ?? [];
  const left = (file: string) => !without.some((w) => file === w || file.startsWith(`${w.replace(/\/$/, '')}/`));
  for (const file of projectFiles().filter(left)) {
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
  if (options.ownPackage) {
    linkPackages(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), path.join(copy, 'infra'));
    const dist = path.join(ROOT, 'infra', 'dist');
    // Copied after the sources, so the build script finds it up to date (infra/scripts/build.cjs).
    if (existsSync(dist)) cpSync(dist, path.join(copy, 'infra', 'dist'), { recursive: true });
  } else {
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  }
  return copy;
}

/** The workspace package: linked to the project's own folder (package.json `workspaces`), not installed. */
const WORKSPACE_PACKAGE = 'koa-apigateway';

/** Fills `to` with links to the packages of `from`, the workspace package linked to `workspace` instead, and `.bin` rebuilt to match. */
function linkPackages(from: string, to: string, workspace: string): void {
  mkdirSync(path.join(to, '.bin'), { recursive: true });
  for (const name of readdirSync(from)) {
    if (name === '.bin') continue;
    symlinkSync(name === WORKSPACE_PACKAGE ? workspace : path.join(from, name), path.join(to, name), 'dir');
  }
  for (const bin of readdirSync(path.join(from, '.bin'))) {
    const target = readlinkSync(path.join(from, '.bin', bin));
    // `../koa-apigateway/bin/...` resolves in the copy's node_modules (its own package); every other bin in the original's.
    symlinkSync(target.startsWith(`../${WORKSPACE_PACKAGE}/`) ? target : path.resolve(from, '.bin', target), path.join(to, '.bin', bin));
  }
}

/**
 * Returns every `.ts` file under `dir` as `[path relative to dir ('/'-separated), its text]`, sorted by name at
 * each level (the repository rules read the package's sources, infra/src, with it).
 */
export function typeScriptSources(dir: string, prefix = ''): Array<[string, string]> {
  return readdirSync(dir)
    .sort()
    .flatMap((name): Array<[string, string]> => {
      const full = path.join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      if (statSync(full).isDirectory()) return typeScriptSources(full, rel);
      return name.endsWith('.ts') ? [[rel, readFileSync(full, 'utf8')]] : [];
    });
}

/** The folders {@link tempDir} made in this worker since the last {@link removeTempDirs} (on globalThis: one list
 * however many times vitest evaluates this module, as after vi.resetModules()). */
const TEMP_DIRS: string[] = ((globalThis as { __suiteTempDirs?: string[] }).__suiteTempDirs ??= []);

/**
 * A new empty folder under the OS temporary folder (`mkdtempSync(<tmpdir>/<prefix>XXXXXX)`), removed with all it
 * holds when the test file that made it ends (the setup file, tests/support/process-cleanup.ts, calls
 * {@link removeTempDirs} after stopping the file's processes), so a run leaves nothing behind in /tmp.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  TEMP_DIRS.push(dir);
  return dir;
}

/** Removes every folder {@link tempDir} made since the last call; returns them. */
export function removeTempDirs(): string[] {
  const dirs = TEMP_DIRS.splice(0);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  return dirs;
}
