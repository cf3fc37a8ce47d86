import type { ScriptEnding } from './command-line';

/**
 * One command of the `koa-apigateway` CLI (./main.ts loads its module on first use): its usage, what it does
 * with its arguments, and how it ends on a failure. The router answers `--help` and `-h` for every command
 * with its usage (exit 0), so no command parses them itself.
 */
export interface Command {
  /**
   * The command's usage: `Usage: koa-apigateway <name> ...`, then one line per option (or what it reads from
   * the environment). Printed by `koa-apigateway <name> --help` and after a mistake on its command line.
   */
  usage: string;
  /**
   * Loads the modules `run` needs, given the same arguments, before tsx is registered for the project's TypeScript
   * (./main.ts): this package's JavaScript and the ES modules it imports (TypeBox's) then load through Node's own
   * loader, not tsx's hooks. Not called for `--help`. Loads nothing for a command line `run` will refuse; a module
   * that fails to load fails the command as `run` would.
   */
  prepare?(args: string[]): void;
  /** Runs the command with its arguments (those after the command name); resolves with the exit code (default 0). */
  run(args: string[]): Promise<number | void>;
  /** How the process ends when `run` rejects (exit code, message; the usage is {@link usage}): see ScriptEnding. */
  ending?: Omit<ScriptEnding, 'usage'>;
}

/**
 * Returns a {@link Command.prepare} that calls `load` (requires the modules the command runs with) unless `parse`
 * throws on the arguments: a command line `run` will refuse is told without loading them.
 */
export function prepareUnlessRefused(parse: (args: string[]) => unknown, load: () => unknown): (args: string[]) => void {
  return (args) => {
    try {
      parse(args);
    } catch {
      return;
    }
    load();
  };
}
