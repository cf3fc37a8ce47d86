import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynthResult } from '../../../../infra/src/tools/synth/synth';
import { CLI, ROOT, runProcess } from '../../../support/process';

/**
 * A user's project is named after itself (Pulumi.yaml `name: ping-shop`), and its config keys are
 * `ping-shop:<key>`: `koa-apigateway synth` runs its program under that name, as `pulumi up` does, so the
 * stack's settings apply and the plan is headed with the project's name. (It ran every program as project
 * `koa-apigateway`: a user's `ping-shop:rateLimit: 50` was silently planned as the default 100.)
 */
const PING = path.join(ROOT, 'tests/support/apps/ping');

describe('koa-apigateway synth in a project of another name', () => {
  let project: string;
  let bundle: string;

  beforeAll(() => {
    project = mkdtempSync(path.join(tmpdir(), 'synth-project-'));
    bundle = mkdtempSync(path.join(tmpdir(), 'synth-project-bundle-'));
    writeFileSync(path.join(project, 'Pulumi.yaml'), 'name: ping-shop\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n');
    writeFileSync(path.join(project, 'Pulumi.dev.yaml'), 'config:\n  aws:region: us-east-1\n  ping-shop:rateLimit: 50\n  ping-shop:greeting: howdy\n');
    writeFileSync(path.join(project, 'index.ts'), "import { deployApp } from 'koa-apigateway/pulumi';\n\nexport const { url, routes } = deployApp();\n");
    // The ping app's descriptor, its paths made absolute (they are relative to the descriptor's folder).
    writeFileSync(
      path.join(project, 'app.config.ts'),
      `import ping from ${JSON.stringify(path.join(PING, 'app.config.ts'))};\n\nexport default { ...ping, lambda: ${JSON.stringify(path.join(PING, 'lambda.ts'))}, watch: [${JSON.stringify(PING)}] };\n`,
    );
    // The package and its peers, as an install would give them.
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  });
  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    rmSync(bundle, { recursive: true, force: true });
  });

  const synth = (args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, KOA_APIGATEWAY_BUNDLE_DIR: bundle };
    delete env.INIT_CWD;
    delete env.STACK;
    return runProcess(process.execPath, [CLI, 'synth', ...args], { cwd: project, env, timeoutMs: 120_000 });
  };

  it("applies the stack's `<project>:` keys and names the project", { timeout: 120_000 }, async () => {
    const run = await synth(['--json', '--out', path.join(project, 'plan.json')]);
    expect(run.status, run.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(project, 'plan.json'), 'utf8')) as SynthResult;
    expect(plan.resources.find((r) => r.type === 'aws:apigateway/usagePlan:UsagePlan')!.inputs).toMatchObject({ throttleSettings: { rateLimit: 50 } });
    expect(plan.project).toBe('ping-shop');
    expect(plan.outputs.routes).toEqual(['GET /ping']);
  });

  it('heads the text plan with `<project>/<stack>`', { timeout: 120_000 }, async () => {
    const run = await synth(['--config', 'burstLimit=60']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^Stack ping-shop\/dev: \d+ resources/);
    expect(run.stdout).toContain('throttleSettings: {"burstLimit":60,"rateLimit":50}');
  });
});
