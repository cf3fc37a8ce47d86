import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../scripts/command-line';
import { esbuildReport } from '../../scripts/start';
import { VisibleError } from '../../infra/errors';
import { ROOT, runProcess, TSX } from '../support/process';

describe('parseCommandLine', () => {
  const options = { out: { type: 'string' }, json: { type: 'boolean' }, config: { type: 'string', multiple: true } } as const;

  it('reads --flag value and --flag=value alike, repeatable ones as lists', () => {
    expect(parseCommandLine(options, ['--out', 'a', '--json', '--config', 'x=1', '--config=y=2'])).toEqual({ out: 'a', json: true, config: ['x=1', 'y=2'] });
  });

  it.each([
    [['--yes'], 'Unknown argument "--yes".'],
    [['-y'], 'Unknown argument "-y".'],
    [['stray'], 'Unknown argument "stray".'],
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

// Every script a user runs with arguments (npm run <name> -- ...), as they run it: a fresh tsx process.
const SCRIPTS = ['synth', 'token', 'build', 'client', 'conformance', 'openapi'];

describe('an unknown argument to a script', () => {
  it.each(SCRIPTS)('npm run %s -- --bogus: one line naming it, then the usage; exit 2; no stack', { timeout: 60_000 }, async (script) => {
    const run = await runProcess(process.execPath, [TSX, path.join(ROOT, 'scripts', `${script}.ts`), '--bogus'], { cwd: ROOT, timeoutMs: 60_000 });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    const [first, blank, usage] = run.stderr.split('\n');
    expect(first).toMatch(/^(npm run \w+|synth failed): Unknown argument "--bogus"\.$/);
    expect(blank).toBe('');
    expect(usage).toMatch(/^Usage: npm run /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("npm start's compile report (scripts/start.ts esbuildReport)", () => {
  it("is told by the error's kind (tsx's TransformError), never by its text", () => {
    const summary = 'Transform failed with 1 error:\n/app/service/app.ts:1:17: ERROR: Unexpected ";"';
    expect(esbuildReport(Object.assign(new Error(summary), { name: 'TransformError' }))).toBe(summary);
    // A bug whose message merely reads like esbuild's keeps its stack (undefined: printed by describeFailure).
    expect(esbuildReport(new Error(summary))).toBeUndefined();
  });

  it('tsx names its transform failure TransformError (what the check relies on)', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tsx-broken-'));
    writeFileSync(path.join(dir, 'broken.ts'), 'export const x = ;\n');
    writeFileSync(path.join(dir, 'load.cjs'), 'try { require("./broken.ts"); } catch (e) { process.stdout.write(e.name); }\n');
    const run = await runProcess(process.execPath, ['--import', 'tsx', path.join(dir, 'load.cjs')], { cwd: ROOT, timeoutMs: 60_000 });
    expect(run.stdout).toBe('TransformError');
  });
});

describe('how a script ends (scripts/command-line.ts runScript)', () => {
  // One ending for every script: the message, the usage, the exit code are options of runScript, not copies of it.
  const scriptsWithMain = readdirSync(path.join(ROOT, 'scripts')).filter((f) => f.endsWith('.ts') && /\basync function main\(/.test(readFileSync(path.join(ROOT, 'scripts', f), 'utf8')));

  it('has scripts to check', () => {
    expect(scriptsWithMain).toEqual(expect.arrayContaining(['build.ts', 'client.ts', 'conformance.ts', 'openapi.ts', 'start.ts', 'synth.ts', 'token.ts']));
  });

  it.each(scriptsWithMain)('%s runs its main through runScript, with no catch of its own', (file) => {
    const source = readFileSync(path.join(ROOT, 'scripts', file), 'utf8');
    expect(source).toMatch(/\brunScript\(/);
    expect(source).not.toMatch(/\bmain\(\)\s*\.(?:catch|then)\(/);
  });
});
