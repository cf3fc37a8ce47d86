/**
 * The scripts' command lines: Node's own `util.parseArgs` (no dependency, kept with the platform), with its
 * refusals turned into one {@link UsageError} naming the argument, and the one way a script ends on a failure
 * ({@link runScript}).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeFailure, VisibleError } from '../infra/errors';

/** A wrong command line (an unknown argument, a missing or bad value): printed as its message, then the usage. */
export class UsageError extends VisibleError {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `args` against `options` (strict: no positional argument, no unknown option, a value for every
 * string option and none for a boolean). Throws a {@link UsageError} naming the first argument refused.
 * Reads the parser's tokens rather than its error messages, so the wording is ours.
 */
export function parseCommandLine<const T extends Options>(options: T, args: readonly string[] = process.argv.slice(2)) {
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`Unknown argument "${token.value}".`);
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (!option) throw new UsageError(`Unknown argument "${token.rawName}".`);
    if (option.type === 'string' && token.value === undefined) throw new UsageError(`Missing value: ${token.rawName} takes a value.`);
    if (option.type === 'boolean' && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value (got "${token.rawName}=${token.value}").`);
  }
  return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
}

/**
 * Runs a script's `main` and ends the process: exit 0 when it resolves (or the code it resolves with); else
 * `<command>: <message>` on stderr through {@link describeFailure} (a {@link VisibleError} in its own
 * lines, anything else with its stack), the usage after a {@link UsageError}, and exit 2 for a usage error,
 * 1 for any other failure.
 */
export function runScript(command: string, main: () => Promise<number | void>, usage?: string): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (err: unknown) => {
      process.stderr.write(`${command}: ${describeFailure(err)}\n${err instanceof UsageError && usage ? `\n${usage}\n` : ''}`);
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
