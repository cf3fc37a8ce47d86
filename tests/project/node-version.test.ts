import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/files';
import { runProcess } from '../support/process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { satisfies, message } = require('../../scripts/check-node.cjs') as {
  satisfies(version: string, range: string): boolean;
  message(name: string, range: string, version: string, execPath: string, command: string): string;
};
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; engines: { node: string }; scripts: Record<string, string> };
const CHECK = 'node scripts/check-node.cjs';

/** A Node.js older than engines.node on this machine (e.g. the system's /usr/bin/node), if there is one. */
async function olderNode(): Promise<string | undefined> {
  const candidates = new Set([...(process.env.PATH ?? '').split(':').map((d) => path.join(d, 'node')), '/usr/bin/node', '/usr/local/bin/node']);
  for (const bin of candidates) {
    if (!existsSync(bin)) continue;
    const run = await runProcess(bin, ['--version'], { timeoutMs: 10_000 });
    if (run.status === 0 && !satisfies(run.stdout.trim(), pkg.engines.node)) return bin;
  }
  return undefined;
}
let OLD_NODE: string | undefined;

describe('the supported Node.js versions', () => {
  it('engines.node is >=22.12, and .nvmrc names a version inside it', () => {
    expect(pkg.engines.node).toBe('>=22.12');
    const nvmrc = readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
    expect(satisfies(`${nvmrc}.99.0`, pkg.engines.node)).toBe(true);
  });

  it('compares versions as numbers', () => {
    for (const v of ['v22.12.0', 'v22.23.3', 'v23.0.0', 'v24.1.0', 'v100.0.0']) expect(satisfies(v, '>=22.12'), v).toBe(true);
    for (const v of ['v22.11.9', 'v20.20.2', 'v18.20.8', 'v9.99.99']) expect(satisfies(v, '>=22.12'), v).toBe(false);
    expect(() => satisfies('v22.0.0', '^22')).toThrow(/understands engines.node ">=X.Y.Z" only/);
  });

  it('every script that runs the project checks first, npm install included (preinstall)', () => {
    expect(pkg.scripts.preinstall).toBe(CHECK);
    for (const [name, command] of Object.entries(pkg.scripts)) {
      if (name === 'preinstall' || name === 'typecheck') continue;
      expect(command, name).toMatch(new RegExp(`^${CHECK.replace(/\./g, '\\.')} && `));
    }
  });

  it('the message is one line naming the versions, the Node in use and the fix', () => {
    const line = message('koa-apigateway-pulumi', '>=22.12', 'v20.20.2', '/usr/bin/node', 'npm test');
    expect(line).not.toContain('\n');
    expect(line).toBe('koa-apigateway-pulumi needs Node.js >=22.12, this is v20.20.2 (/usr/bin/node). Fix: install Node.js 22 or newer and use it (nvm install 22 && nvm use 22, or your package manager), then run npm test again.');
  });

  describe('under an older Node.js on this machine, if there is one (skipped otherwise)', () => {
    beforeAll(async () => {
      OLD_NODE = await olderNode();
    });
    const run = async (script: string) => {
      const dir = path.dirname(OLD_NODE!);
      const bundled = path.join(dir, '../lib/node_modules/npm/bin/npm-cli.js');
      const npmCli = existsSync(bundled) ? bundled : process.env.npm_execpath!;
      // `node` in the script is the older one, as for a user whose PATH finds it first.
      return runProcess(OLD_NODE!, [npmCli, 'run', script], { cwd: ROOT, env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, timeoutMs: 60_000 });
    };

    it.for([
      ['synth', 'npm run synth'],
      ['start', 'npm start'],
      ['preinstall', 'npm install'],
    ] as const)('npm run %s stops at once with the one line, naming %s', async ([script, command], ctx) => {
      if (!OLD_NODE) return ctx.skip();
      const result = await run(script);
      expect(result.status).not.toBe(0);
      const first = result.stderr.split('\n')[0];
      expect(first).toMatch(new RegExp(`^koa-apigateway-pulumi needs Node.js >=22\\.12, this is v\\d+\\.\\d+\\.\\d+ \\(.+\\)\\. Fix: .* then run ${command} again\\.$`));
      expect(result.stdout + result.stderr).not.toMatch(/Map\.groupBy|Listening|listening on/);
    });
  });
});
