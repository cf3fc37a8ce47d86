// Builds the package: src/ → dist/ (CommonJS and declarations) with the TypeScript compiler, as `npm pack`
// and `npm install` in the repository (its `prepare`) run it. Skipped when dist/ is newer than every file of
// src/ and this package's tsconfig.json (`--force` builds anyway): the test suite calls it before every run.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const stamp = path.join(root, 'dist', '.built');

/** Returns the newest modification time (ms) of `file`, or of any file below it. */
function newest(file) {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(file).reduce((max, name) => Math.max(max, newest(path.join(file, name))), 0);
}

const inputs = [path.join(root, 'src'), path.join(root, 'tsconfig.json'), path.join(root, 'package.json')];

/** True when dist/ was built after the last change to src/, tsconfig.json or package.json. */
function upToDate() {
  return existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...inputs.map(newest));
}

/** What tsc writes for a source `x.ts`: the module, its declarations and their maps. */
const OUTPUTS = /(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/;

/**
 * Removes what tsc wrote for a source that no longer exists (dist/old.js after src/old.ts was moved or
 * deleted): tsc never deletes, and `npm pack` ships all of dist/, so a stale module would be published.
 * `dist` and `src` default to the package's. Returns the files removed, relative to `dist`.
 */
function pruneOrphans(dist = path.join(root, 'dist'), src = path.join(root, 'src'), rel = '') {
  const removed = [];
  const dir = path.join(dist, rel);
  if (!existsSync(dir)) return removed;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      removed.push(...pruneOrphans(dist, src, file));
      continue;
    }
    if (!OUTPUTS.test(entry.name)) continue;
    if (!existsSync(path.join(src, file.replace(OUTPUTS, '.ts')))) {
      unlinkSync(path.join(dist, file));
      removed.push(file);
    }
  }
  return removed;
}

/**
 * Builds dist/ unless it is up to date (`force` builds anyway), then removes the outputs of deleted sources
 * (see pruneOrphans). Throws when the compiler reports an error (its report is on stderr).
 */
function build({ force = false } = {}) {
  if (!force && upToDate()) return false;
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root, process.cwd()] });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`koa-apigateway: the TypeScript build failed (tsc exited ${result.status}); its report is above.`);
  pruneOrphans();
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return true;
}

module.exports = { build, upToDate, pruneOrphans };

if (require.main === module) {
  try {
    build({ force: process.argv.includes('--force') });
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
