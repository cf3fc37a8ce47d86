import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { plainKoaAppFiles, writeFiles } from '../../support/plain-koa-app';
import { CLI, runProcess } from '../../support/process';

/**
 * `npx koa-apigateway init` as a user runs it, in a Koa project of their own (infra/src/cli/commands/init.ts):
 * what it prints the first time and the second, and how it refuses a folder that is no project.
 */
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const init = (cwd: string) => runProcess(process.execPath, [CLI, 'init'], { cwd, timeoutMs: 60_000 });

describe('koa-apigateway init', () => {
  it('prints what it wrote and found, the one install line and what to run next; a second run says nothing changed', { timeout: 60_000 }, async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'init-cli-'));
    writeFiles(dir, plainKoaAppFiles());
    const first = await init(dir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe(
      [
        'koa-apigateway init:',
        '  wrote Pulumi.yaml (project notes-api, program index.ts, compiled with tsconfig.pulumi.json)',
        '  wrote tsconfig.pulumi.json (tsconfig.json with module nodenext, for Pulumi: its "module": "commonjs" would make pulumi up fail)',
        '  wrote Pulumi.dev.yaml (the dev stack, region us-east-1)',
        '  wrote index.ts (the Pulumi program: deployApp() from koa-apigateway/pulumi)',
        '  wrote app.config.ts (the app descriptor: createApp from src/app.ts)',
        '  wrote src/lambda.ts (the Lambda entry: lambdaHandler from koa-apigateway/lambda)',
        '  package.json: added the scripts gateway:start, dev, synth, openapi, conformance, verify, client, token, gateway:build',
        '    "start" is the project\'s own (node build/server.js): koa-apigateway\'s is "gateway:start" (npm run gateway:start)',
        '    "build" is the project\'s own (tsc): koa-apigateway\'s is "gateway:build" (npm run gateway:build)',
        '  updated .gitignore (added .local/, dist/)',
        '',
        'Found createApp (src/app.ts:11): it builds your Koa app. app.config.ts and the Lambda entry call it.',
        '',
        'Install what is missing (not installed: koa-apigateway, koa, @koa/router, typebox, @pulumi/pulumi, @pulumi/aws, typescript, @types/koa):',
        '  npm install koa-apigateway koa @koa/router typebox @pulumi/pulumi @pulumi/aws && npm install --save-dev typescript@5 @types/koa',
        '',
        'Next:',
        '  npm run gateway:start: the API on this machine behind the local API Gateway (its key is printed)',
        '  npm run synth: what pulumi up would create, without AWS',
        '  npm run conformance: the API checked against its own OpenAPI document',
        '  pulumi login --local && pulumi stack init dev && pulumi up: deploy it (AWS credentials in the environment)',
        '',
      ].join('\n'),
    );
    const packageJson = readFileSync(path.join(dir, 'package.json'), 'utf8');
    const second = await init(dir);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout.split('\n')[0]).toBe('koa-apigateway init: nothing to change, this project is set up already (no file written).');
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(packageJson);
  });

  it('in a folder with no package.json: one line naming the fix, exit 1, nothing written', { timeout: 60_000 }, async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'init-cli-'));
    const run = await init(dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`koa-apigateway init: There is no package.json in ${dir}. Fix: run koa-apigateway init in your Koa project's folder (the one holding its package.json), or create one there first (npm init -y).\n`);
  });
});
