/**
 * `koa-apigateway synth [--json] [--out FILE] [--stack NAME] [--config key=value ...] [--account fresh|role-set]`: runs the
 * Pulumi program (index.ts) of the stack `--stack` (else STACK, else dev) in-process under Pulumi's mocks and prints the resources `pulumi up` would create
 * (type, name, parent, inputs) and the stack outputs, secrets masked. No cloud, no Pulumi CLI.
 * Values the cloud assigns (ids, ARNs, the key) are placeholders from the mocks. `--account` says what
 * the read of the account's API Gateway settings finds: `fresh` (default: no CloudWatch role, as a
 * new account, so manageCloudWatchRole auto creates one) or `role-set` (another stack set it).
 * `--out FILE` writes the plan (JSON with --json, or when FILE ends in `.json`) to FILE instead of stdout, so it can be saved and diffed:
 * an npm script (`npm run synth`) prints npm's own `> <package>@… synth` banner on stdout, which `> plan.json` would capture.
 * The planning and the mocks live in tools/synth/; this file is the command line.
 */
import path from 'node:path';
import type * as Synth from '../../tools/synth/synth';
import { prepareUnlessRefused, type Command } from '../command';
import { describeFailure, UsageError } from '../../errors';
import { failScript, parseCommandLine, refuseEmptyOut, writeOutput } from '../command-line';

export const USAGE = 'Usage: koa-apigateway synth [--json] [--out FILE] [--stack NAME] [--config key=value ...] [--account fresh|role-set]';

interface Options {
  json: boolean;
  /** Write the plan here instead of stdout (relative to the directory npm was run from). */
  out?: string;
  stack: string;
  overrides: Record<string, string>;
  account: Synth.AccountState;
}

/**
 * Returns the parsed command line. The stack is `--stack`, else the STACK environment variable (as `start`, `openapi`,
 * `conformance`, `client` and `verify` read it, and as the fixes of settings errors name it), else `dev`.
 * Throws a UsageError (a VisibleError) on an unknown argument, a missing
 * value, an --account other than fresh|role-set, or a --config without `=`. Node's util.parseArgs
 * (infra/src/cli/command-line.ts) reads the flags: `--flag value` and `--flag=value` alike, no hand-rolled loop.
 */
export function parseSynthArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Options {
  const values = parseCommandLine(
    { json: { type: 'boolean' }, out: { type: 'string' }, stack: { type: 'string' }, config: { type: 'string', multiple: true }, account: { type: 'string' } },
    argv,
  );
  refuseEmptyOut(values.out);
  const account = values.account ?? 'fresh';
  if (account !== 'fresh' && account !== 'role-set') throw new UsageError(`--account expects fresh or role-set, got "${account}".`);
  const overrides: Record<string, string> = {};
  for (const pair of values.config ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--config expects key=value, got "${pair}". Example: --config rateLimit=50`);
    overrides[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const options: Options = { json: values.json ?? false, stack: values.stack ?? (env.STACK || 'dev'), overrides, account, ...(values.out !== undefined ? { out: values.out } : {}) };
  // A file named *.json gets JSON: text in it would only fail whatever reads it next.
  if (options.out !== undefined && /\.json$/i.test(options.out)) options.json = true;
  return options;
}

/** The synth module, loaded on first use: Pulumi's runtime takes seconds to load, which `--help` and a mistyped flag need not wait for. */
function synthModule(): typeof Synth {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../tools/synth/synth') as typeof Synth;
}

/** The `--config` values of this run (one run per process), so a failure about one names `--config` in its fix. */
let given: Record<string, string> = {};

// A mistake on the command line is told without loading the planner (Pulumi's runtime: seconds of CPU).
const ending = { usage: USAGE, describe: (error: unknown) => `synth failed: ${error instanceof UsageError ? describeFailure(error) : synthModule().failureMessage(error, given)}` };

async function run(args: string[]): Promise<void> {
  // Rejections of outputs the program does not await (registerOutputs) surface here, not in run().
  process.on('unhandledRejection', (error) => failScript('synth', error, ending));
  process.on('uncaughtException', (error) => failScript('synth', error, ending));
  const options = parseSynthArgs(args);
  given = options.overrides;
  const { countResources, formatPlan, synth } = synthModule();
  const result = await synth(options);
  const text = options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatPlan(result, options.stack)}\n`;
  if (options.out === undefined) {
    process.stdout.write(text);
    return;
  }
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.out);
  writeOutput(file, text);
  process.stderr.write(`Wrote the plan of stack ${options.stack} (${countResources(result)}${options.json ? ', JSON' : ''}) to ${file}\n`);
}

/** Loads the planner and Pulumi's runtime before tsx is registered (Command.prepare), unless the command line is wrong. */
const prepare = prepareUnlessRefused(parseSynthArgs, synthModule);

export const command: Command = { usage: USAGE, prepare, run, ending };
