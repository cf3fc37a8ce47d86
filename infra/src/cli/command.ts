import type { ScriptEnding } from './command-line';

/**
 * One command of the `koa-apigateway` CLI (./main.ts loads its module on first use): its name, a one-line
 * summary for `koa-apigateway help`, what it does with its arguments, and how it ends on a failure.
 */
export interface Command {
  /** Runs the command with its arguments (those after the command name); resolves with the exit code (default 0). */
  run(args: string[]): Promise<number | void>;
  /** How the process ends when `run` rejects (usage, exit code, message): see ScriptEnding. */
  ending?: ScriptEnding;
}
