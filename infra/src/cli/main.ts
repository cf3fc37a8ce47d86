/**
 * The `koa-apigateway` command line: one router over the commands, each loaded on first use (a command
 * pays for its own modules only). `bin/koa-apigateway.cjs` calls {@link main}; a project's npm scripts
 * call the bin (`"start": "koa-apigateway start"`).
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { packageFile } from '../package-files';
import type { Command } from './command';
import { runScript } from './command-line';

/** Every command: its one-line summary and its module, required when the command runs. */
export const COMMANDS: Readonly<Record<string, { summary: string; load: () => Command }>> = {
  start: { summary: 'the API on this machine behind the local API Gateway (the bundle as deployed)', load: () => commandOf(require('./commands/start')) },
  dev: { summary: 'start, restarted whenever the app, its descriptor or a stack file changes', load: () => commandOf(require('./commands/dev')) },
  serve: { summary: "the app's plain Koa app, no gateway (quick work on the service)", load: () => commandOf(require('./commands/serve')) },
  synth: { summary: 'run the Pulumi program under mocks and print what `pulumi up` would create', load: () => commandOf(require('./commands/synth')) },
  openapi: { summary: 'write openapi.json (OpenAPI 3.1) of the API', load: () => commandOf(require('./commands/openapi')) },
  conformance: { summary: 'check the local gateway, or a deployed stage (--url, --key), against the API document', load: () => commandOf(require('./commands/conformance')) },
  verify: { summary: 'compare the deployed API (read with the AWS SDK) with the document the program builds', load: () => commandOf(require('./commands/verify')) },
  client: { summary: 'write a typed, dependency-free TypeScript client of the API', load: () => commandOf(require('./commands/client')) },
  token: { summary: "print a token from the local development issuer (routes that need a user pool token)", load: () => commandOf(require('./commands/token')) },
  build: { summary: "bundle the app's Lambda entry with esbuild into dist/lambda", load: () => commandOf(require('./commands/build')) },
  init: { summary: 'set up this Koa project: Pulumi.yaml, the dev stack, index.ts, app.config.ts, the Lambda entry, npm scripts', load: () => commandOf(require('./commands/init')) },
};

function commandOf(module: unknown): Command {
  return (module as { command: Command }).command;
}

/** Returns the CLI's help: the usage line and one line per command. */
export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    'Usage: koa-apigateway <command> [options]   (koa-apigateway <command> --help, or koa-apigateway help <command>, for its options)',
    '',
    ...Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Docs: node_modules/koa-apigateway/README.md, and its docs/ folder',
  ].join('\n');
}

/** Returns the installed package's version. */
export function version(): string {
  return (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
}

/** True when `args` ask for help (`--help` or `-h` before any `--`): the router answers it for every command. */
export function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** Returns what `koa-apigateway <name> --help` prints: the command's summary, then its usage. */
export function commandHelp(name: string, command: Command): string {
  return `koa-apigateway ${name}: ${COMMANDS[name]!.summary}\n\n${command.usage}`;
}

/**
 * Runs the command `argv[0]` with the rest of `argv`, then ends the process (see runScript). `--help`, `-h`
 * and `help` print the list of commands (exit 0); `<command> --help` (or `-h`, anywhere before `--`) and
 * `help <command>` print that command's usage (exit 0) without running it. No command, or an unknown one:
 * exit 2 with the list. The project's descriptor and program are TypeScript: tsx is registered before the command
 * runs, so they load as `pulumi up` loads them, with no build step of the user's; the command's own modules (this
 * package's JavaScript: its module, and what its `prepare` loads) load before, so the ES modules they import
 * (TypeBox's) load without tsx's hooks, which
 * cost about 0.2 s of CPU per command (`conformance` of a small app, `/usr/bin/time`, best of 5 runs: 1.36 s before, 1.18 s after).
 */
export function main(argv: readonly string[]): void {
  const [first, ...rest] = argv;
  const helpOf = first === 'help' && rest.length > 0 ? rest[0] : undefined;
  const name = helpOf ?? first;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${helpText()}\n`);
    process.exit(name === undefined ? 2 : 0);
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    process.exit(0);
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const near = Object.keys(COMMANDS).find((known) => known.startsWith(name.slice(0, 2)));
    process.stderr.write(`koa-apigateway: unknown command "${name}".${near ? ` Did you mean "${near}"?` : ''}\n\n${helpText()}\n`);
    process.exit(2);
  }
  let command: Command;
  try {
    command = entry.load();
  } catch (err) {
    runScript(`koa-apigateway ${name}`, () => Promise.reject(err));
    return;
  }
  if (helpOf !== undefined || asksForHelp(rest)) {
    process.stdout.write(`${commandHelp(name, command)}\n`);
    process.exit(0);
  }
  runScript(
    `koa-apigateway ${name}`,
    async () => {
      command.prepare?.(rest);
      registerTypeScript();
      return command.run(rest);
    },
    { ...command.ending, usage: command.usage },
  );
}

/**
 * Lets `require` and `import` load the project's TypeScript (app.config.ts, the service, index.ts) through tsx,
 * and leaves the JavaScript of dependencies to Node's own loader ({@link isDependency}). Called once by {@link main}
 * after the command's module loads and before the command runs; it changes the process's `require` for good (no way back).
 */
export function registerTypeScript(): void {
  const extensions = (Module as unknown as { _extensions: Record<string, ExtensionHandler> })._extensions;
  // Node's own handler of `.js`, which is also the one it uses for `.mjs` and `.cjs` (no handler of their own).
  const nodeJs = extensions['.js']!;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('tsx/cjs/api') as { register: () => unknown }).register();
  for (const extension of ['.js', '.mjs', '.cjs']) {
    const tsx = extensions[extension];
    if (tsx === undefined || tsx === nodeJs) continue;
    extensions[extension] = (module, filename) => (isDependency(filename) ? nodeJs(module, filename) : tsx(module, filename));
  }
  registerEsmHooks();
}

/**
 * Registers tsx's ES module hooks (`import` of the project's TypeScript). Through tsx's own ES module entry, loaded
 * by require(esm): its CommonJS build (`require('tsx/esm/api')`, tsx 4.23.15) registers its hooks module by a path
 * relative to the wrong file (`dist/esm/api/esm/index.mjs`, which does not exist) on every Node.js without
 * `module.registerHooks` support it uses instead (22.12 up to 22.22.2): every command failed there with
 * ERR_MODULE_NOT_FOUND, before it did anything.
 */
function registerEsmHooks(): void {
  const tsxDir = path.dirname(require.resolve('tsx/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')) as { register: () => unknown }).register();
}

type ExtensionHandler = (module: unknown, filename: string) => void;

/** The package's own folder (its dist/ is built CommonJS: nothing in it for tsx). */
const PACKAGE_DIR = `${packageFile()}${path.sep}`;

/**
 * True when `filename`, a JavaScript file being required, is a dependency's (under node_modules) or this package's
 * own: Node loads it as it would without tsx (CommonJS, or an ES module by require(esm), Node.js >= 22.12). tsx's
 * require hook reads every such file and scans it for ES module syntax (es-module-lexer), Pulumi's and
 * @pulumi/aws's thousands of compiled files included, and transforms TypeBox's ES modules to CommonJS one by one:
 * measured on a `synth` of a small project, 3.35 s of CPU with tsx loading everything, 2.85 s without
 * (`/usr/bin/time`, quiet 2-core machine, 3 runs each). The project's own files, and TypeScript anywhere, still go
 * through tsx.
 */
function isDependency(filename: string): boolean {
  return filename.includes(`${path.sep}node_modules${path.sep}`) || filename.startsWith(PACKAGE_DIR);
}
