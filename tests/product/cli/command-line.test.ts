import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError, writeOutput } from '../../../infra/src/cli/command-line';
import { esbuildReport, START_ENVIRONMENT } from '../../../infra/src/cli/commands/start';
import { parseOpenApiArgs } from '../../../infra/src/cli/commands/openapi';
import { VisibleError } from '../../../infra/src/errors';
import type { Command } from '../../../infra/src/cli/command';
import { COMMANDS } from '../../../infra/src/cli/main';
import { PARCELS } from '../../support/apps';
import { CLI, ROOT, runProcess } from '../../support/process';
import { tempDir } from '../../support/files';

describe('parseCommandLine', () => {
  const options = { out: { type: 'string' }, json: { type: 'boolean' }, config: { type: 'string', multiple: true } } as const;

  it('reads --flag value and --flag=value alike, repeatable ones as lists', () => {
    expect(parseCommandLine(options, ['--out', 'a', '--json', '--config', 'x=1', '--config=y=2'])).toEqual({ out: 'a', json: true, config: ['x=1', 'y=2'] });
  });

  it.each([
    [['--yes'], 'Unknown argument "--yes".'],
    [['-y'], 'Unknown argument "-y".'],
    [['stray'], 'Unknown argument "stray".'],
    [['--jsn'], 'Unknown argument "--jsn". Did you mean "--json"?'],
    [['--confg', 'x=1'], 'Unknown argument "--confg". Did you mean "--config"?'],
    [['--OUT=a'], 'Unknown argument "--OUT". Did you mean "--out"?'],
    [['-jsn'], 'Unknown argument "-jsn". Did you mean "--json"?'],
    [['-config=x=1'], 'Unknown argument "-config". Did you mean "--config"?'],
    [['--out'], 'Missing value: --out takes a value.'],
    [['--json=1'], '--json takes no value (got "--json=1").'],
  ])('refuses %j with a UsageError (a VisibleError) naming it', (args, message) => {
    let error: unknown;
    try {
      parseCommandLine(options, args);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toBeInstanceOf(VisibleError);
    expect((error as Error).message).toBe(message);
  });
});

// Every command a user runs with arguments (koa-apigateway <name> ..., or npm run <name> -- ...), as they run it: the bin.
const SCRIPTS = ['synth', 'token', 'build', 'client', 'conformance', 'openapi', 'init', 'start', 'dev', 'serve', 'verify'];

describe('an unknown argument to a command', () => {
  it.each(SCRIPTS)('koa-apigateway %s --bogus: one line naming it, then the usage; exit 2; no stack', { timeout: 60_000 }, async (script) => {
    const run = await runProcess(process.execPath, [CLI, script, '--bogus'], { cwd: PARCELS.dir, timeoutMs: 60_000 });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    const [first, blank, usage] = run.stderr.split('\n');
    expect(first).toMatch(/^(koa-apigateway \w+|synth failed): Unknown argument "--bogus"\.$/);
    expect(blank).toBe('');
    expect(usage).toMatch(/^Usage: koa-apigateway /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('--help and -h: every command prints its usage and exits 0, without running (infra/src/cli/main.ts)', () => {
  // An empty folder: a command that ran instead would fail there (no project), or, for init, write files into it.
  const help = async (args: string[]) => {
    const cwd = tempDir('cli-help-');
    const run = await runProcess(process.execPath, [CLI, ...args], { cwd, timeoutMs: 60_000 });
    expect(readdirSync(cwd), 'nothing written').toEqual([]);
    return run;
  };

  it.each(Object.keys(COMMANDS))('koa-apigateway %s --help', { timeout: 60_000 }, async (name) => {
    const run = await help([name, '--help']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // The module main.ts loads (its `require` of the built file is not vitest's: the source is imported here).
    const { command } = (await import(`../../../infra/src/cli/commands/${name}.ts`)) as { command: Command };
    expect(command.usage).toMatch(new RegExp(`^Usage: koa-apigateway ${name}\\b`));
    expect(run.stdout).toBe(`koa-apigateway ${name}: ${COMMANDS[name]!.summary}\n\n${command.usage}\n`);
  });

  it.each([
    ['-h', ['start', '-h']],
    ['after other arguments', ['synth', '--stack', 'dev', '--json', '-h']],
    ['help <command>', ['help', 'token']],
  ])('%s works alike', { timeout: 60_000 }, async (_, args) => {
    const run = await help(args);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^koa-apigateway (start|synth|token): .+\n\nUsage: koa-apigateway \1/);
  });

  it.each([['--help'], ['-h'], ['help']])('koa-apigateway %s lists every command with its summary; exit 0', { timeout: 60_000 }, async (flag) => {
    const run = await help([flag]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: koa-apigateway <command>/);
    for (const [name, { summary }] of Object.entries(COMMANDS)) expect(run.stdout).toMatch(new RegExp(`^  ${name} +${summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  it('no command at all: the list, exit 2 (a mistake)', { timeout: 60_000 }, async () => {
    const run = await help([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^Usage: koa-apigateway <command>/);
  });
});

describe('the command router', () => {
  it('an unknown command is named, with the list of commands; exit 2', async () => {
    const run = await runProcess(process.execPath, [CLI, 'strat'], { cwd: PARCELS.dir, timeoutMs: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^koa-apigateway: unknown command "strat"\. Did you mean "start"\?/);
    for (const name of Object.keys(COMMANDS)) expect(run.stderr).toContain(`  ${name} `);
  });

  it('--version prints the package version', async () => {
    const run = await runProcess(process.execPath, [CLI, '--version'], { cwd: PARCELS.dir, timeoutMs: 60_000 });
    expect(run.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(ROOT, 'infra', 'package.json'), 'utf8')) as { version: string }).version);
  });
});

describe("npm start's compile report (infra/src/cli/commands/start.ts esbuildReport)", () => {
  it("is told by the error's kind (tsx's TransformError), never by its text", () => {
    const summary = 'Transform failed with 1 error:\n/app/src/app.ts:1:17: ERROR: Unexpected ";"';
    expect(esbuildReport(Object.assign(new Error(summary), { name: 'TransformError' }))).toBe(summary);
    // A bug whose message merely reads like esbuild's keeps its stack (undefined: printed by describeFailure).
    expect(esbuildReport(new Error(summary))).toBeUndefined();
  });

  it('tsx names its transform failure TransformError (what the check relies on)', { timeout: 60_000 }, async () => {
    const dir = tempDir('tsx-broken-');
    writeFileSync(path.join(dir, 'broken.ts'), 'export const x = ;\n');
    writeFileSync(path.join(dir, 'load.cjs'), 'try { require("./broken.ts"); } catch (e) { process.stdout.write(e.name); }\n');
    // In the repository's folder tree, so `--import tsx` resolves from its node_modules.
    const run = await runProcess(process.execPath, ['--import', 'tsx', path.join(dir, 'load.cjs')], { cwd: PARCELS.dir, timeoutMs: 60_000 });
    expect(run.stdout).toBe('TransformError');
  });
});

describe('how a command ends (cli/main.ts runs every one through runScript)', () => {
  // One ending for every command: the message, the usage, the exit code are options of runScript, not copies of it.
  const dir = path.join(ROOT, 'infra', 'src', 'cli', 'commands');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it('the router names every command module, and nothing else', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual(files.map((f) => f.replace(/\.ts$/, '')).sort());
  });

  it.each(files)('%s exports its command and leaves the ending to the router (no runScript, no catch of its own)', (file) => {
    const source = readFileSync(path.join(dir, file), 'utf8');
    expect(source).toMatch(/^export const command: Command = /m);
    expect(source).not.toMatch(/\brunScript\(|require\.main/);
    expect(source).not.toMatch(/\brun\([^)]*\)\s*\.(?:catch|then)\(/);
  });
});

describe("openapi's command line: --out and --stack as synth takes them, OUT and STACK as before", () => {
  it('--out is relative to where npm was run (INIT_CWD), OUT to the current directory, else openapi.json in the project root', () => {
    expect(parseOpenApiArgs(['--out', 'docs/api.json'], { INIT_CWD: '/home/me/project/sub' }).out).toBe('/home/me/project/sub/docs/api.json');
    expect(parseOpenApiArgs(['--out=/tmp/a.json'], {}).out).toBe('/tmp/a.json');
    expect(parseOpenApiArgs([], { OUT: 'x.json' }, PARCELS.dir).out).toBe(path.join(PARCELS.dir, 'x.json'));
    expect(parseOpenApiArgs(['--out', '/tmp/flag.json'], { OUT: '/tmp/env.json' }).out).toBe('/tmp/flag.json');
    expect(parseOpenApiArgs([], {}, path.join(PARCELS.dir, 'node_modules')).out).toBe(path.join(PARCELS.dir, 'openapi.json'));
  });

  it('--stack, else STACK, else dev; a mistake is a UsageError naming it', () => {
    expect(parseOpenApiArgs(['--stack', 'prod'], { STACK: 'qa' }).stack).toBe('prod');
    expect(parseOpenApiArgs([], { STACK: 'qa' }).stack).toBe('qa');
    expect(parseOpenApiArgs([], {}).stack).toBe('dev');
    expect(() => parseOpenApiArgs(['--stak', 'prod'], {})).toThrow('Unknown argument "--stak". Did you mean "--stack"?');
    expect(() => parseOpenApiArgs(['--out'], {})).toThrow(UsageError);
    // --out= names no file (it would be the current folder).
    expect(() => parseOpenApiArgs(['--out='], {})).toThrow(new UsageError('Missing value: --out takes a value.'));
  });
});

describe('writeOutput: a file the user named that cannot be written is a one-line error naming it and the fix', () => {
  it('a folder that does not exist, a folder by that name: VisibleError, no stack', () => {
    const dir = tempDir('write-output-');
    const missing = path.join(dir, 'nodir', 'x.json');
    expect(() => writeOutput(missing, '{}')).toThrow(VisibleError);
    expect(() => writeOutput(missing, '{}')).toThrow(`Cannot write ${missing} (ENOENT: the folder ${path.dirname(missing)} does not exist). Fix: create ${path.dirname(missing)} first, or give --out a file in a folder you can write to.`);
    expect(() => writeOutput(dir, '{}', 'OUT')).toThrow(`Cannot write ${dir} (EISDIR: it is a folder). Fix: give OUT a file in a folder you can write to.`);
    // A file where a folder is expected: Node's reason, its code once.
    writeFileSync(path.join(dir, 'file'), 'x');
    expect(() => writeOutput(path.join(dir, 'file', 'x.json'), '{}')).toThrow(`Cannot write ${path.join(dir, 'file', 'x.json')} (ENOTDIR: not a directory, open '${path.join(dir, 'file', 'x.json')}'). Fix: give --out a file in a folder you can write to.`);
    writeOutput(path.join(dir, 'ok.json'), '{"a":1}');
    expect(readFileSync(path.join(dir, 'ok.json'), 'utf8')).toBe('{"a":1}');
  });

  it('openapi ends so (synth and client write through the same writeOutput): one line, exit 1, no stack trace', { timeout: 60_000 }, async () => {
    const missing = path.join(tempDir('write-output-'), 'nodir', 'api.json');
    const run = await runProcess(process.execPath, [CLI, 'openapi', '--out', missing], { cwd: PARCELS.dir, timeoutMs: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`koa-apigateway openapi: Cannot write ${missing} (ENOENT: the folder ${path.dirname(missing)} does not exist). Fix: create ${path.dirname(missing)} first, or give --out a file in a folder you can write to.\n`);
  });
});

describe('an option for what a command reads from the environment names the variable (start, dev, serve)', () => {
  it.each([
    [['--stack', 'prod'], 'Unknown argument "--stack". This command reads it from the environment: STACK=<value>.'],
    [['--stak=prod'], 'Unknown argument "--stak". This command reads it from the environment: STACK=<value>.'],
    [['--port', '3001'], 'Unknown argument "--port". This command reads it from the environment: PORT=<value>.'],
    [['-port', '3001'], 'Unknown argument "-port". This command reads it from the environment: PORT=<value>.'],
    [['--verbose'], 'Unknown argument "--verbose".'],
  ])('start %j', (args, message) => {
    expect(() => parseCommandLine({}, args, START_ENVIRONMENT)).toThrow(new UsageError(message));
  });

  it('koa-apigateway start --stack prod: the message, the usage, exit 2', { timeout: 60_000 }, async () => {
    const run = await runProcess(process.execPath, [CLI, 'start', '--stack', 'prod'], { cwd: PARCELS.dir, timeoutMs: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('koa-apigateway start: Unknown argument "--stack". This command reads it from the environment: STACK=<value>.');
  });
});
