import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/files';
import { runProcess } from '../support/process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { satisfies, message, rerunCommand } = require('../../infra/bin/check-node.cjs') as {
  satisfies(version: string, range: string): boolean;
  message(name: string, range: string, version: string, execPath: string, command: string): string;
  rerunCommand(env: NodeJS.ProcessEnv, bin: string | undefined, args?: string[]): string;
};
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; engines: { node: string }; scripts: Record<string, string> };
const product = JSON.parse(readFileSync(path.join(ROOT, 'infra', 'package.json'), 'utf8')) as { engines: { node: string } };
const CHECK = 'node infra/bin/check-node.cjs';

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
  it('engines.node is >=22.12, the package\'s and the repository\'s, and .nvmrc names a version inside it', () => {
    expect(pkg.engines.node).toBe('>=22.12');
    expect(product.engines.node).toBe('>=22.12');
    const nvmrc = readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
    expect(satisfies(`${nvmrc}.99.0`, pkg.engines.node)).toBe(true);
  });

  it('compares versions as numbers', () => {
    for (const v of ['v22.12.0', 'v22.23.3', 'v23.0.0', 'v24.1.0', 'v100.0.0']) expect(satisfies(v, '>=22.12'), v).toBe(true);
    for (const v of ['v22.11.9', 'v20.20.2', 'v18.20.8', 'v9.99.99']) expect(satisfies(v, '>=22.12'), v).toBe(false);
    expect(() => satisfies('v22.0.0', '^22')).toThrow(/understands engines.node ">=X.Y.Z" only/);
  });

  it('every script checks first: the koa-apigateway bin does for its commands, the others call the check; npm install is engine-strict', () => {
    expect(readFileSync(path.join(ROOT, '.npmrc'), 'utf8')).toMatch(/^engine-strict=true$/m);
    expect(readFileSync(path.join(ROOT, 'infra', 'bin', 'koa-apigateway.cjs'), 'utf8')).toMatch(/require\('\.\/check-node\.cjs'\)\.exitUnlessSupported\(/);
    for (const [name, command] of Object.entries(pkg.scripts)) {
      if (name === 'typecheck' || name === 'prepare') continue;
      expect(command, name).toMatch(new RegExp(`^(${CHECK.replace(/\./g, '\\.')} && |koa-apigateway )`));
    }
  });

  it('the message is one line naming the versions, the Node in use and the fix', () => {
    const line = message('koa-apigateway', '>=22.12', 'v20.20.2', '/usr/bin/node', 'npm test');
    expect(line).not.toContain('\n');
    expect(line).toBe(
      'koa-apigateway needs Node.js >=22.12, this is v20.20.2 (/usr/bin/node). Fix: install Node.js 22.12 or newer and put it first on PATH (any one of: nvm install 22; ' +
        'fnm use --install-if-missing 22; volta install node@22; the installer from https://nodejs.org; or without a version manager, npm install --prefix ~/.node22 node@22 ' +
        'and PATH=~/.node22/node_modules/.bin:$PATH), then run npm test again.',
    );
  });

  it("docs/troubleshooting.md shows what the check and .npmrc's engine-strict print today", () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'troubleshooting.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Node version'), doc.indexOf('\n## ', doc.indexOf('## Node version') + 1));
    // The package's name (check-node reads infra/package.json), the repository's script line, the message word for word.
    expect(section).toContain(`> ${pkg.name}@${(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version} test\n> ${pkg.scripts.test}\n`);
    expect(section).toContain(message('koa-apigateway', product.engines.node, 'v20.20.2', '/usr/bin/node', 'npm test'));
    expect(section).toContain('npm error notsup Required: {"node":">=22.12"}');
    // engine-strict refuses the install itself: no preinstall script runs the check any more.
    expect(pkg.scripts.preinstall).toBeUndefined();
    expect(section).not.toMatch(/preinstall/);
  });

  it.each([
    // npx and npm exec set the same two variables (npm 7+): the fix names npx, never "npm run npx".
    ['npx koa-apigateway start', { npm_command: 'exec', npm_lifecycle_event: 'npx' }, ['start'], 'npx koa-apigateway start'],
    ['npm exec koa-apigateway synth --json', { npm_command: 'exec', npm_lifecycle_event: 'npx' }, ['synth', '--json'], 'npx koa-apigateway synth'],
    // An option's value is never repeated: it may be a key.
    ['npx koa-apigateway --key secret', { npm_command: 'exec', npm_lifecycle_event: 'npx' }, ['--key', 'secret'], 'npx koa-apigateway'],
    ['npm start', { npm_command: 'start', npm_lifecycle_event: 'start' }, ['start'], 'npm start'],
    ['npm test', { npm_command: 'test', npm_lifecycle_event: 'test' }, undefined, 'npm test'],
    ['npm run start', { npm_command: 'run', npm_lifecycle_event: 'start' }, ['start'], 'npm start'],
    ['npm run synth', { npm_command: 'run', npm_lifecycle_event: 'synth' }, ['synth'], 'npm run synth'],
    ['npm run gateway:start', { npm_command: 'run', npm_lifecycle_event: 'gateway:start' }, ['start'], 'npm run gateway:start'],
    ['npm ci (its prepare)', { npm_command: 'ci', npm_lifecycle_event: 'prepare' }, undefined, 'npm ci'],
    ['npm install (its preinstall)', { npm_command: 'install', npm_lifecycle_event: 'preinstall' }, undefined, 'npm install'],
    ['pnpm dev', { npm_lifecycle_event: 'dev', npm_config_user_agent: 'pnpm/9.15.0 npm/? node/v20.20.2 linux x64' }, ['dev'], 'pnpm run dev'],
    ['node_modules/.bin/koa-apigateway build', {}, ['build'], 'koa-apigateway build'],
    ['node check-node.cjs in a shell', {}, undefined, 'the command'],
  ] as const)('names the command to run again: %s → %s', (_, env, args, expected) => {
    expect(rerunCommand(env, 'koa-apigateway', args as string[] | undefined)).toBe(expected);
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
      ['test', 'npm test'],
    ] as const)('npm run %s stops at once with the one line, naming %s', async ([script, command], ctx) => {
      if (!OLD_NODE) return ctx.skip();
      const result = await run(script);
      expect(result.status).not.toBe(0);
      const first = result.stderr.split('\n')[0];
      expect(first).toMatch(new RegExp(`^koa-apigateway needs Node.js >=22\\.12, this is v\\d+\\.\\d+\\.\\d+ \\(.+\\)\\. Fix: .*nvm install 22.*volta install node@22.* then run ${command} again\\.$`));
      expect(result.stdout + result.stderr).not.toMatch(/Map\.groupBy|Listening|listening on/);
    });

    it.for([
      ['exec', ['exec', '--', 'koa-apigateway', 'start']],
      ['npx', ['koa-apigateway', 'start']],
    ] as const)('npm %s koa-apigateway start stops at once, naming npx koa-apigateway start (not "npm run npx")', async ([how, args], ctx) => {
      if (!OLD_NODE) return ctx.skip();
      const dir = path.dirname(OLD_NODE);
      const cli = path.join(dir, `../lib/node_modules/npm/bin/${how === 'npx' ? 'npx' : 'npm'}-cli.js`);
      if (!existsSync(cli)) return ctx.skip();
      const result = await runProcess(OLD_NODE, [cli, ...args], { cwd: ROOT, env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, timeoutMs: 60_000 });
      expect(result.status).not.toBe(0);
      expect(result.stderr.split('\n')[0]).toMatch(/^koa-apigateway needs Node\.js >=22\.12, .* then run npx koa-apigateway start again\.$/);
    });

    it('npm install refuses at once, before fetching anything (engine-strict), naming the Node it needs', async (ctx) => {
      if (!OLD_NODE) return ctx.skip();
      // A copy of the manifests only: the refusal must come before npm reads, fetches or writes anything else.
      const dir = tempDir('old-node-install-');
      mkdirSync(path.join(dir, 'infra'));
      for (const file of ['package.json', 'package-lock.json', '.npmrc', 'infra/package.json']) copyFileSync(path.join(ROOT, file), path.join(dir, file));
      const bin = path.dirname(OLD_NODE!);
      const bundled = path.join(bin, '../lib/node_modules/npm/bin/npm-cli.js');
      const started = Date.now();
      const result = await runProcess(OLD_NODE!, [existsSync(bundled) ? bundled : process.env.npm_execpath!, 'install', '--no-audit', '--no-fund'], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, timeoutMs: 60_000 });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/notsup[\s\S]*Required: \{"node":">=22\.12"\}/);
      expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  });
});
