/**
 * The scripts' command lines: Node's own `util.parseArgs` (no dependency, kept with the platform), with its
 * refusals turned into one {@link UsageError} naming the argument, and the one way a script ends on a failure
 * ({@link runScript}).
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeFailure, UsageError, VisibleError } from '../errors';
import { closest } from '../settings/suggest';

// The commands' own import of it (infra/src/errors.ts keeps every error class).
export { UsageError };

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `args` against `options` (strict: no positional argument, no unknown option, a value for every
 * string option and none for a boolean). Throws a {@link UsageError} naming the first argument refused, and for a
 * mistyped option the one option within two edits of it (`Unknown argument "--stak". Did you mean "--stack"?`), or
 * the environment variable `environment` maps a near option name to (`{ stack: 'STACK' }`: a command that reads its
 * settings from the environment answers `--stack` with `STACK=<value>`).
 * Reads the parser's tokens rather than its error messages, so the wording is ours.
 */
export function parseCommandLine<const T extends Options>(options: T, args: readonly string[] = process.argv.slice(2), environment: Readonly<Record<string, string>> = {}) {
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`Unknown argument "${token.value}".`);
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (!option) {
      // `-stack` is parsed as the short flags -s -t -a ...: named as typed, and matched as --stack would be.
      const typed = args[token.index] ?? token.rawName;
      const single = !token.rawName.startsWith('--') && /^-[A-Za-z][\w-]+/.test(typed);
      const raw = single ? typed.split('=')[0]! : token.rawName;
      const name = single ? raw.slice(1) : token.name;
      const long = token.rawName.startsWith('--') || single;
      const near = long ? closest(name, Object.keys(options)) : undefined;
      const variable = long && !near ? environment[closest(name, Object.keys(environment)) ?? ''] : undefined;
      throw new UsageError(
        `Unknown argument "${raw}".${near ? ` Did you mean "--${near}"?` : variable ? ` This command reads it from the environment: ${variable}=<value>.` : ''}`,
      );
    }
    if (option.type === 'string' && token.value === undefined) throw new UsageError(`Missing value: ${token.rawName} takes a value.`);
    if (option.type === 'boolean' && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value (got "${token.rawName}=${token.value}").`);
  }
  return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
}

/** How {@link runScript} ends a script; every field optional. */
export interface ScriptEnding {
  /** The usage, printed after the message of a failure `showUsage` accepts. */
  usage?: string;
  /** Whether a failure is followed by the usage (default: a {@link UsageError}). */
  showUsage?: (err: unknown) => boolean;
  /** The exit code of a failure (default: 2 for a {@link UsageError}, 1 for anything else). */
  exitCode?: (err: unknown) => number;
  /**
   * The text printed for a failure, whole; undefined gives the default, `<command>: ` and
   * {@link describeFailure} (a VisibleError's message, anything else's stack).
   */
  describe?: (err: unknown) => string | undefined;
  /** A server (npm start): resolving means ready, not done, so the process is left running (default false). */
  keepRunning?: boolean;
}

/**
 * Runs a script's `main` and ends the process: exit 0 when it resolves (or the code it resolves with; the
 * process is left running with `keepRunning`); else `<command>: <message>` on stderr (see
 * {@link ScriptEnding.describe}: a {@link VisibleError} in its own lines, anything else with its stack), the
 * usage when `showUsage` says so (default after a {@link UsageError}), and the exit code `exitCode` gives
 * (default 2 for a usage error, 1 for any other failure). The one way every script ends on a failure.
 */
export function runScript(command: string, main: () => Promise<number | void>, ending: ScriptEnding = {}): void {
  main().then(
    (code) => {
      if (!ending.keepRunning || code !== undefined) process.exit(code ?? 0);
    },
    (err: unknown) => failScript(command, err, ending),
  );
}

/**
 * Ends the process for the failure `err` of script `command` as {@link runScript} does (for failures that do
 * not reach its `main`, such as an unhandled rejection): the message, the usage if due, the exit code.
 */
export function failScript(command: string, err: unknown, ending: ScriptEnding = {}): never {
  const { usage, showUsage = (e) => e instanceof UsageError, exitCode = (e) => (e instanceof UsageError ? 2 : 1), describe = () => undefined } = ending;
  process.stderr.write(`${describe(err) ?? `${command}: ${describeFailure(err)}`}\n${usage && showUsage(err) ? `\n${usage}\n` : ''}`);
  return process.exit(exitCode(err));
}

/**
 * Writes `text` to `file`, a path the user gave (`--out`, OUT). A refusal of the file system (a folder that does not
 * exist, no permission, a folder by that name) is a {@link VisibleError} naming the file, the reason and the fix, so
 * the command ends in one line as for any user mistake, not with a stack; any other failure is rethrown.
 */
export function writeOutput(file: string, text: string, option = '--out'): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw err;
    const noFolder = code === 'ENOENT' && !existsSync(path.dirname(file));
    // Node's own wording otherwise, without the code it starts with ("ENOTDIR: not a directory, open '...'").
    const reason = noFolder ? `the folder ${path.dirname(file)} does not exist` : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'no permission to write it' : (err as Error).message.replace(new RegExp(`^${code}: `), '');
    throw new VisibleError(`Cannot write ${file} (${code}: ${reason}). Fix: ${noFolder ? `create ${path.dirname(file)} first, or ` : ''}give ${option} a file in a folder you can write to.`);
  }
}

/** Throws the UsageError of a missing value when an output file option was given empty (`--out=`), which would name the current folder. */
export function refuseEmptyOut(value: string | undefined, option = '--out'): void {
  if (value === '') throw new UsageError(`Missing value: ${option} takes a value.`);
}
