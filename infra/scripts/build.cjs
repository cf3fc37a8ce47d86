// Builds the package: src/ → dist/ (CommonJS and declarations) with the TypeScript compiler, as `npm pack`
// and `npm install` in the repository (its `prepare`) run it. Skipped when dist/ is newer than every file of
// src/ and this package's tsconfig.json (`--force` builds anyway): the test suite calls it before every run.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
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

/**
 * Builds dist/ unless it is up to date (`force` builds anyway). Throws when the compiler reports an error
 * (its report is on stderr).
 */
function build({ force = false } = {}) {
  if (!force && upToDate()) return false;
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root, process.cwd()] });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`koa-apigateway: the TypeScript build failed (tsc exited ${result.status}); its report is above.`);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return true;
}

module.exports = { build, upToDate };

if (require.main === module) {
  try {
    build({ force: process.argv.includes('--force') });
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
