import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeApiKey } from '../../../../infra/src/tools/synth/mocks';
import type { SynthResult } from '../../../../infra/src/tools/synth/synth';
import { copyFixture, PARCELS, withFunctionGroups } from '../../../support/apps';
import { CLI, runProcess } from '../../../support/process';

/**
 * `koa-apigateway synth` of an app split into function groups (issue 24): the `functions` stack output holds an
 * Output (each group's function name) inside a plain object, which synth resolves as `pulumi up` resolves stack
 * outputs, at any depth, a nested secret masked as a top-level one is.
 */
describe('koa-apigateway synth with function groups', () => {
  const project = copyFixture(PARCELS, 'synth-functions');
  const bundle = mkdtempSync(path.join(tmpdir(), 'synth-functions-bundle-'));
  let json: Awaited<ReturnType<typeof synth>>;
  let text: Awaited<ReturnType<typeof synth>>;

  const synth = (args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, KOA_APIGATEWAY_BUNDLE_DIR: bundle };
    delete env.INIT_CWD;
    return runProcess(process.execPath, [CLI, 'synth', ...args], { cwd: project, env, timeoutMs: 120_000 });
  };

  beforeAll(async () => {
    const descriptor = withFunctionGroups(
      project,
      `{
    write: { routes: ['POST /parcels', 'PATCH /parcels/:id', 'DELETE /parcels/:id'], memorySize: 1024 },
    health: { routes: ['GET /health'], timeoutSeconds: 60 },
    courier: { routes: ['GET /courier/parcels', 'GET /courier/parcelz'] },
  }`,
    );
    // The program exports the functions output, and the key's secret Output nested in a plain object and an array.
    writeFileSync(
      path.join(project, 'index.ts'),
      "import { deployApp } from 'koa-apigateway/pulumi';\n\n" +
        'export const { url, apiKey, routes, authorization, functions } = deployApp();\n' +
        'export const nested = { keys: [{ apiKey }], url };\n',
    );
    // One bundle folder for both runs: one at a time.
    json = await synth(['--json']);
    text = await synth([]);
  }, 240_000);
  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    rmSync(bundle, { recursive: true, force: true });
  });

  it('--json resolves the Outputs nested in the functions output: each group\'s function name, routes, memory, timeout', () => {
    expect(json.status, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as SynthResult;
    expect(plan.outputs.functions).toEqual({
      default: { functionName: 'parcels-fn-1234567', routes: ['GET /parcels', 'GET /parcels/{id}'], memorySize: 512, timeoutSeconds: 29 },
      health: { functionName: 'parcels-health-fn-1234567', routes: ['GET /health'], memorySize: 512, timeoutSeconds: 60 },
      write: { functionName: 'parcels-write-fn-1234567', routes: ['DELETE /parcels/{id}', 'PATCH /parcels/{id}', 'POST /parcels'], memorySize: 1024, timeoutSeconds: 29 },
    });
    expect(json.stdout).not.toContain('toJSON');
  });

  it('masks a secret Output nested in an object and an array as it masks a top-level one', () => {
    expect(json.status, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as SynthResult;
    expect(plan.outputs.apiKey).toBe('[secret]');
    expect(plan.outputs.nested).toEqual({ keys: [{ apiKey: '[secret]' }], url: 'https://parcels-api-id.execute-api.us-east-1.amazonaws.com/dev' });
    expect(json.stdout).not.toContain(fakeApiKey('parcels-key'));
  });

  it('the text plan prints the functions output resolved, the nested secret masked', () => {
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('    functions: {"default":{"functionName":"parcels-fn-1234567",');
    expect(text.stdout).toContain('    nested: {"keys":[{"apiKey":"[secret]"}],"url":"https://parcels-api-id.execute-api.us-east-1.amazonaws.com/dev"}');
    expect(text.stdout).not.toContain('toJSON');
    expect(text.stdout).not.toContain(fakeApiKey('parcels-key'));
  });

  it("lists every warning the program logs under Warnings: a group's timeout over API Gateway's 29 s beside an unmatched pattern", () => {
    const timeout = 'Function group "health": timeoutSeconds is 60 s but API Gateway stops waiting after 29 s (504): the function keeps running and billing. Fix: set functions.health.timeoutSeconds to 29 or less.';
    const unmatched = "functions.courier.routes 'GET /courier/parcelz' matches no route the app can serve, with or without a user pool: check it for a typo.";
    expect(json.status, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as SynthResult;
    expect(plan.warnings).toEqual([unmatched, timeout]);
    expect(plan.undeployedGroups).toEqual(['courier']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain(`\nWarnings:\n  ${unmatched}\n  ${timeout}\n`);
  });
});
