/**
 * What `koa-apigateway init` reads from and adds to a project's package.json: its names (the Pulumi project's
 * and the descriptor's, made valid), the npm scripts that call the CLI (never replacing one of the project's),
 * and what it must install (one command line).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InitError } from '../errors';

export { InitError } from '../errors';

/** The fields of package.json init reads. */
export interface PackageJson {
  name?: unknown;
  version?: unknown;
  description?: unknown;
  main?: unknown;
  type?: unknown;
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  [field: string]: unknown;
}

/** package.json as read: its fields, and the indentation to write it back with (its own). */
export interface ReadPackage {
  json: PackageJson;
  indent: string | number;
}

/**
 * Returns the package.json of the project at `root`. Throws InitError when there is none (init runs in the
 * project's own folder) or it is not a JSON object.
 */
export function readPackageJson(root: string): ReadPackage {
  const file = path.join(root, 'package.json');
  if (!existsSync(file)) {
    throw new InitError(`There is no package.json in ${root}. Fix: run koa-apigateway init in your Koa project's folder (the one holding its package.json), or create one there first (npm init -y).`);
  }
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InitError(`package.json is not valid JSON (${(err as Error).message}). Fix: correct it (npm pkg get name shows whether npm can read it), then run koa-apigateway init again.`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new InitError('package.json is not a JSON object. Fix: correct it, then run koa-apigateway init again.');
  const indent = /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? 2;
  return { json: json as PackageJson, indent: indent === '  ' ? 2 : indent };
}

/** The resource-name prefix rule of a descriptor's `name` (infra/src/app/load.ts): at most 24 characters. */
const NAME_LENGTH = 24;

/**
 * Returns the project's names: `project`, a Pulumi project name (letters, digits, `-`; the config namespace of
 * its keys), and `app`, the descriptor's resource-name prefix (lower case, starting with a letter, at most 24
 * characters), both from package.json's `name` without its scope (`@acme/Notes_Service` → `notes-service`),
 * else from the folder's name; `title` is that name as package.json spells it, without the scope.
 */
export function projectNames(pkg: PackageJson, root: string): { project: string; app: string; title: string } {
  const raw = typeof pkg.name === 'string' && pkg.name.trim() !== '' ? pkg.name.trim() : path.basename(path.resolve(root));
  const title = raw.replace(/^@[^/]+\//, '');
  let slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(slug)) slug = `app-${slug}`.replace(/-+$/, '');
  const project = slug.slice(0, 100).replace(/-+$/, '');
  const app = slug.slice(0, NAME_LENGTH).replace(/-+$/, '');
  return { project, app, title };
}

/** The CLI commands a project's npm scripts call, in the order init adds them. */
export const SCRIPT_COMMANDS = ['start', 'dev', 'synth', 'openapi', 'conformance', 'verify', 'client', 'token', 'build'] as const;

/** What init does with one npm script. */
export type ScriptChange =
  | { kind: 'added'; name: string; command: string }
  /** The project's script has the name: ours is added under `name` instead. */
  | { kind: 'renamed'; name: string; command: string; taken: string; theirs: string }
  /** Already there, as init would write it. */
  | { kind: 'present'; name: string; command: string };

/**
 * Returns the npm scripts init adds to `scripts` (package.json's): `<cmd>: koa-apigateway <cmd>` for each of
 * {@link SCRIPT_COMMANDS}. A name the project already uses for something else is never replaced: ours goes
 * under `gateway:<cmd>` (then `koa-apigateway:<cmd>`). A script already calling the command is left as it is.
 */
export function planScripts(scripts: Record<string, unknown> = {}): ScriptChange[] {
  return SCRIPT_COMMANDS.map((cmd): ScriptChange => {
    const command = `koa-apigateway ${cmd}`;
    const candidates = [cmd, `gateway:${cmd}`, `koa-apigateway:${cmd}`];
    const ours = candidates.find((name) => typeof scripts[name] === 'string' && (scripts[name] as string).trim() === command);
    if (ours) return { kind: 'present', name: ours, command };
    const free = candidates.find((name) => scripts[name] === undefined)!;
    return free === cmd ? { kind: 'added', name: cmd, command } : { kind: 'renamed', name: free, command, taken: cmd, theirs: String(scripts[cmd]) };
  });
}

/** A package the project needs installed, and whether it belongs in devDependencies. */
interface Needed {
  name: string;
  /** What to install when it is missing (a version range where the latest would not work). */
  spec: string;
  dev: boolean;
  why: string;
}

/**
 * What a project using koa-apigateway needs: the package itself; its peers (the app's own Koa, router and
 * TypeBox, shared with the bundle, and Pulumi with its AWS provider, shared with the program); TypeScript,
 * with which Pulumi compiles index.ts (ts-node: TypeScript below 7, @pulumi/pulumi's peer range); and Koa's
 * types, which the descriptor's `createApp` returns.
 */
export const NEEDED: readonly Needed[] = [
  { name: 'koa-apigateway', spec: 'koa-apigateway', dev: false, why: 'the commands and the Pulumi program' },
  { name: 'koa', spec: 'koa', dev: false, why: 'the app' },
  { name: '@koa/router', spec: '@koa/router', dev: false, why: 'the routes the gateway is planned from' },
  { name: 'typebox', spec: 'typebox', dev: false, why: 'route schemas' },
  { name: '@pulumi/pulumi', spec: '@pulumi/pulumi', dev: false, why: 'the Pulumi program' },
  { name: '@pulumi/aws', spec: '@pulumi/aws', dev: false, why: 'the AWS resources' },
  { name: 'typescript', spec: 'typescript@5', dev: true, why: 'Pulumi compiles index.ts with it' },
  { name: '@types/koa', spec: '@types/koa', dev: true, why: "Koa's types (the descriptor's createApp returns a Koa app)" },
];

/**
 * What an ES module project needs besides: tsx, which Pulumi loads its program through (Pulumi.yaml `nodeargs:
 * --import tsx`, resolved from the project's folder). koa-apigateway depends on tsx, but only a package of the
 * project's own is sure to be in its node_modules (pnpm does not hoist), so it must be in package.json.
 */
export const NEEDED_ESM: readonly Needed[] = [{ name: 'tsx', spec: 'tsx', dev: true, why: 'Pulumi loads the ES module program through it (nodeargs: --import tsx)' }];

/** A package of {@link NEEDED} that is missing, or installed in a version that cannot work. */
export interface Missing {
  name: string;
  spec: string;
  dev: boolean;
  /** Why it is listed: not installed, not in package.json, or the version that cannot work. */
  reason: string;
}

/**
 * Returns the packages of {@link NEEDED} (and {@link NEEDED_ESM} for an ES module project, `esm`) the project at
 * `root` lacks: not installed in its node_modules (or a parent's, as Node resolves them), or — for koa-apigateway
 * itself and tsx — not in package.json (run through npx, or a dependency of a dependency, it could be gone after
 * the next install), or TypeScript 7 or later (Pulumi's ts-node needs below 7).
 */
export function missingPackages(root: string, pkg: PackageJson, options: { esm?: boolean } = {}): Missing[] {
  const declared = { ...(pkg.dependencies ?? {}), ...(pkg.devDependencies ?? {}) };
  const missing: Missing[] = [];
  for (const need of [...NEEDED, ...(options.esm ? NEEDED_ESM : [])]) {
    const version = installedVersion(root, need.name);
    if (version === undefined) missing.push({ ...need, reason: 'not installed' });
    else if ((need.name === 'koa-apigateway' || need.name === 'tsx') && !(need.name in declared)) missing.push({ ...need, reason: 'not in package.json' });
    else if (need.name === 'typescript' && Number(version.split('.')[0]) >= 7) missing.push({ ...need, reason: `${version} installed; Pulumi's ts-node needs TypeScript below 7` });
  }
  return missing;
}

/** The version of `name` as Node would resolve it from `root` (its package.json), or undefined when it is not installed. */
function installedVersion(root: string, name: string): string | undefined {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) {
      try {
        return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? '0.0.0');
      } catch {
        return '0.0.0';
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The package manager a project uses, from its lock file (npm without one). */
export type PackageManager = 'npm' | 'yarn' | 'pnpm' | 'bun';

/** Returns the project's package manager: the one whose lock file is in `root`, else npm. */
export function packageManager(root: string): PackageManager {
  if (existsSync(path.join(root, 'pnpm-lock.yaml'))) return 'pnpm';
  if (existsSync(path.join(root, 'yarn.lock'))) return 'yarn';
  if (existsSync(path.join(root, 'bun.lockb')) || existsSync(path.join(root, 'bun.lock'))) return 'bun';
  return 'npm';
}

/** Returns the one command line that installs `missing` with `manager` (dependencies, then dev dependencies), or undefined when nothing is. */
export function installLine(missing: readonly Missing[], manager: PackageManager = 'npm'): string | undefined {
  const add = manager === 'npm' ? 'npm install' : `${manager} add`;
  const dev = manager === 'npm' ? '--save-dev' : '-D';
  const runtime = missing.filter((m) => !m.dev).map((m) => m.spec);
  const tools = missing.filter((m) => m.dev).map((m) => m.spec);
  const parts = [...(runtime.length ? [`${add} ${runtime.join(' ')}`] : []), ...(tools.length ? [`${add} ${dev} ${tools.join(' ')}`] : [])];
  return parts.length ? parts.join(' && ') : undefined;
}

/** Returns how a user runs npm script `name` with `manager` (`npm start`, `npm run synth`, `yarn synth`). */
export function runScriptCommand(name: string, manager: PackageManager = 'npm'): string {
  if (manager !== 'npm') return `${manager} run ${name}`;
  return name === 'start' ? 'npm start' : `npm run ${name}`;
}
