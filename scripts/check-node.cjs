// Stops an npm script at once, in one line naming the fix, when this Node.js is older than package.json
// `engines.node` (e.g. ">=22.12"). Plain CommonJS with no dependencies, so it runs on any Node.js: it is
// the first command of `npm install` (preinstall), `npm start`, `npm test` and the other scripts.
// Why 22.12: docs/troubleshooting.md#node-version.
'use strict';
const path = require('node:path');

/** Returns [major, minor, patch] of "v20.20.2" or "22.12". */
function parts(version) {
  const [major = 0, minor = 0, patch = 0] = String(version).replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10) || 0);
  return [major, minor, patch];
}

/** True when `version` satisfies `range`, which must be ">=X[.Y[.Z]]" (the only form package.json uses). */
function satisfies(version, range) {
  const match = /^>=\s*v?(\d+(?:\.\d+){0,2})$/.exec(String(range).trim());
  if (!match) throw new Error(`scripts/check-node.cjs understands engines.node ">=X.Y.Z" only, not ${JSON.stringify(range)}`);
  const have = parts(version);
  const want = parts(match[1]);
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

/** The one line printed for an unsupported Node, naming the command to run again. */
function message(name, range, version, execPath, command) {
  return (
    `${name} needs Node.js ${range}, this is ${version} (${execPath}). ` +
    `Fix: install Node.js 22 or newer and use it (nvm install 22 && nvm use 22, or your package manager), then run ${command} again.`
  );
}

module.exports = { satisfies, message };

if (require.main === module) {
  const pkg = require(path.join(__dirname, '..', 'package.json'));
  const range = pkg.engines && pkg.engines.node;
  if (range && !satisfies(process.version, range)) {
    const event = process.env.npm_lifecycle_event;
    const command = !event ? 'the command' : event === 'preinstall' ? 'npm install' : ['start', 'test'].includes(event) ? `npm ${event}` : `npm run ${event}`;
    process.stderr.write(`${message(pkg.name, range, process.version, process.execPath, command)}\n`);
    process.exit(1);
  }
}
