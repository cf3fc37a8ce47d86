// Stops a command at once, in one line naming the fix, when this Node.js is older than the package's
// `engines.node` (">=22.12"). Plain CommonJS with no dependencies, so it runs on any Node.js: the
// `koa-apigateway` bin runs it first, and a project's npm scripts (`node node_modules/koa-apigateway/bin/check-node.cjs`).
// Why 22.12: typebox is ESM-only and Pulumi loads a program as CommonJS, which needs require(esm), unflagged in 22.12.
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
  if (!match) throw new Error(`check-node.cjs understands engines.node ">=X.Y.Z" only, not ${JSON.stringify(range)}`);
  const have = parts(version);
  const want = parts(match[1]);
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

/** The version a ">=X.Y" range starts at ("22.12"), or the range itself when it has another form. */
function minimum(range) {
  const match = /^>=\s*v?(\d+(?:\.\d+){0,2})$/.exec(String(range).trim());
  return match ? match[1] : String(range);
}

/** The one line printed for an unsupported Node, naming the command to run again. */
function message(name, range, version, execPath, command) {
  return (
    `${name} needs Node.js ${range}, this is ${version} (${execPath}). ` +
    // The range's own minimum (22.12, not 22: 22.0-22.11 fail too); `nvm install 22` takes the newest 22.x.
    `Fix: install Node.js ${minimum(range)} or newer and put it first on PATH (any one of: nvm install ${major(range)}; fnm use --install-if-missing ${major(range)}; ` +
    `volta install node@${major(range)}; the installer from https://nodejs.org; or without a version manager, npm install --prefix ~/.node${major(range)} node@${major(range)} ` +
    `and PATH=~/.node${major(range)}/node_modules/.bin:$PATH), then run ${command} again.`
  );
}

/** The major version a range starts at ("22" of ">=22.12"). */
function major(range) {
  return parts(minimum(range))[0];
}

/** Scripts npm runs with a command of their own name (`npm start` runs `start`). */
const NPM_SCRIPT_COMMANDS = ['start', 'test', 'stop', 'restart'];

/** Lifecycle scripts an install runs (`npm install` and `npm ci` run `preinstall`, `prepare`, ...). */
const INSTALL_EVENTS = ['preinstall', 'install', 'postinstall', 'prepare'];

/**
 * Returns the command the user ran, to run again once Node is upgraded, from the environment npm (or another
 * package manager) gives a script or a bin it runs:
 * - `npx <bin>` and `npm exec <bin>` both set npm_command=exec and npm_lifecycle_event=npx (npm 7 and later):
 *   `npx <bin> <command>` (`bin` is who refuses, `args` its arguments: only a first one that is a command word
 *   is named, never an option's value, which may be a key);
 * - an install's lifecycle script: `npm install`, or `npm ci` when npm_command says so;
 * - the start, test, stop or restart script: `npm start` (...), which runs it however it was typed;
 * - any other script: `npm run <script>`, or `<pnpm|yarn|bun> run <script>` when npm_config_user_agent names
 *   another package manager;
 * - nothing of the above: `<bin> <command>` for the bin run directly (node_modules/.bin, a global install),
 *   else `the command`.
 * `args` is given by the bin only (a project's script runs `check-node.cjs [name]` with none).
 */
function rerunCommand(env, bin, args) {
  const event = env.npm_lifecycle_event;
  const command = env.npm_command;
  const agent = String(env.npm_config_user_agent || '').split('/')[0];
  // The bin and its command word (`koa-apigateway start`), when the bin is who refuses (`args` given).
  const first = args && args[0];
  const self = bin && args ? `${bin}${first && /^[a-z][a-z-]*$/.test(first) ? ` ${first}` : ''}` : undefined;
  if (command === 'exec' || event === 'npx') return self ? `npx ${self}` : 'the npx command';
  if (!event) return self || 'the command';
  if (agent && agent !== 'npm') return `${agent} run ${event}`;
  if (INSTALL_EVENTS.includes(event)) return command === 'ci' ? 'npm ci' : 'npm install';
  // `npm start` runs the start script whether typed so or as `npm run start`.
  return NPM_SCRIPT_COMMANDS.includes(event) ? `npm ${event}` : `npm run ${event}`;
}

/**
 * Exits 1 with the one-line fix when this Node.js is older than this package's engines.node; `name` says
 * who refuses (the bin, or a project's npm script), `args` the arguments it was run with (the bin's: see
 * rerunCommand, which names the command to run again).
 */
function exitUnlessSupported(name, args) {
  const pkg = require(path.join(__dirname, '..', 'package.json'));
  const range = pkg.engines && pkg.engines.node;
  if (range && !satisfies(process.version, range)) {
    process.stderr.write(`${message(name || pkg.name, range, process.version, process.execPath, rerunCommand(process.env, name, args))}\n`);
    process.exit(1);
  }
}

module.exports = { satisfies, message, rerunCommand, exitUnlessSupported };

if (require.main === module) exitUnlessSupported(process.argv[2]);
