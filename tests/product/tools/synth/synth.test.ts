import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeApiKey } from '../../../../infra/src/tools/synth/mocks';
import { formatFunctions, formatPlan, functionTable, inSynthTerms, type SynthResult } from '../../../../infra/src/tools/synth/synth';
import { buildGatewaySpec } from '../../../../infra/src/core/plan';
import { runGateway } from '../../../support/pulumi-harness';
import Router from '@koa/router';
import Koa from 'koa';
import { addRoute } from '../../../../infra/src/route/route';
import { parseSynthArgs as parseArgs } from '../../../../infra/src/cli/commands/synth';
import { PARCELS } from '../../../support/apps';
import { createMediaApp } from '../../../support/apps/media/app';
import { runProcess, CLI } from '../../../support/process';
import { tempDir } from '../../../support/files';

/** Runs `npm run synth -- <args>` in the parcels project as a user would (a fresh process) and returns its output. */
async function synth(args: string[], extraEnv: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; status: number | null }> {
  // The bundle goes to a temporary directory: other tests read dist/lambda while this one runs.
  const env = { ...process.env, KOA_APIGATEWAY_BUNDLE_DIR: tempDir('synth-bundle-'), ...extraEnv };
  return runProcess(process.execPath, [CLI, 'synth', ...args], { cwd: PARCELS.dir, env, timeoutMs: 120_000 });
}

// Each test runs the command in its own process with its own bundle folder: they run side by side (concurrent).
describe.concurrent('npm run synth', () => {
  it('--json prints every resource (type, name, parent, inputs) and the outputs, the API key masked', { timeout: 120_000 }, async ({ expect }) => {
    const { stdout, stderr, status } = await synth(['--json']);
    expect(status, stderr).toBe(0);
    const plan = JSON.parse(stdout) as SynthResult;
    for (const r of plan.resources) expect(Object.keys(r).sort()).toEqual(r.read ? ['inputs', 'name', 'parent', 'read', 'type'] : ['inputs', 'name', 'parent', 'type']);
    const types = plan.resources.map((r) => r.type);
    for (const t of ['aws:apigateway/restApi:RestApi', 'aws:apigateway/deployment:Deployment', 'aws:apigateway/usagePlanKey:UsagePlanKey', 'aws:lambda/permission:Permission']) expect(types).toContain(t);
    // One API definition: the RestApi holds it, and no API Gateway resource exists per route.
    expect(JSON.parse(plan.resources.find((r) => r.type === 'aws:apigateway/restApi:RestApi')!.inputs.body as string)).toMatchObject({ openapi: '3.0.1' });
    for (const t of ['resource:Resource', 'method:Method', 'integration:Integration', 'model:Model']) expect(types).not.toContain(`aws:apigateway/${t}`);
    expect(plan.outputs.routes).toEqual(expect.arrayContaining(['GET /health', 'POST /parcels']));
    expect(plan.outputs.apiKey).toBe('[secret]');
    expect(plan.outputs.url).toBe('https://parcels-api-id.execute-api.us-east-1.amazonaws.com/dev');
    expect(stdout).not.toContain(fakeApiKey('parcels-key'));
    const fn = plan.resources.find((r) => r.type === 'aws:lambda/function:Function')!;
    expect(fn.inputs.code).toEqual({ archive: { 'index.mjs': expect.stringMatching(/^file:.*synth-bundle-.*\/index\.mjs sha256:[0-9a-f]{16}$/), 'index.mjs.map': expect.stringMatching(/^file:.*\/index\.mjs\.map sha256:[0-9a-f]{16}$/) } });
    // One function (no groups): the per-group table has one row, default, serving every route, with its bundle's size.
    expect(plan.functions).toEqual([expect.objectContaining({ group: 'default', resource: 'parcels-fn', memorySize: 512, timeoutSeconds: 29, architecture: 'arm64', policies: ['logs'], routes: [...(plan.outputs.routes as string[])].sort() })]);
    expect(plan.functions![0]!.bundleBytes).toBeGreaterThan(10_000);
    expect(plan.warnings).toEqual([]);
  });

  it('--config overrides the stack file, --out writes the plan to a file; a bad value fails naming the key', { timeout: 120_000 }, async ({ expect }) => {
    const dir = tempDir('synth-out-');
    // --out is relative to where the user ran npm (INIT_CWD), not to the package root npm runs scripts in.
    const ok = await synth(['--json', '--out', 'plan.json', '--stack', 'dev', '--config', 'rateLimit=7', '--config', 'stageName=qa'], { INIT_CWD: dir });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('');
    expect(ok.stderr).toContain(`to ${path.join(dir, 'plan.json')}`);
    // The count agrees with the text plan's summary line: created resources, then reads.
    expect(ok.stderr).toMatch(/\(\d+ resources, 1 read, JSON\)/);
    const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as SynthResult;
    expect(plan.resources.find((r) => r.type === 'aws:apigateway/usagePlan:UsagePlan')!.inputs).toMatchObject({ throttleSettings: { rateLimit: 7 }, apiStages: [{ stage: 'qa' }] });
    const bad = await synth(['--config', 'lambdaMemorySize=huge']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('"koa-apigateway:lambdaMemorySize" is "huge"');
    // The value came from --config, not from the stack: the fix says so in synth's terms.
    expect(bad.stderr).toMatch(/Fix: --config lambdaMemorySize=<value> \(or leave it out for the stack's value, else the default "\d+"\)\.\n$/);
  });

  it('refuses a mistyped key and an unknown stack, naming the fix, instead of planning the defaults', { timeout: 120_000 }, async ({ expect }) => {
    const typo = await synth(['--config', 'rateLimt=5']);
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain('Unknown config key "koa-apigateway:rateLimt" (did you mean "rateLimit"?)');
    // The mistyped key is synth's --config, which no `pulumi config rm` removes.
    expect(typo.stderr).toMatch(/Fix: --config rateLimit=<value> instead of --config rateLimt=5\.\n$/);
    const stack = await synth(['--stack', 'prd']);
    expect(stack.status).toBe(1);
    expect(stack.stderr).toContain('Unknown stack "prd": there is no Pulumi.prd.yaml');
    expect(stack.stderr).toContain('stacks here: dev');
    expect(stack.stderr).toContain('Fix:');
    expect(stack.stdout).toBe('');
  });

  it('manageCloudWatchRole false on a fresh account (--account fresh) fails, naming the setting and the fix', { timeout: 120_000 }, async ({ expect }) => {
    const failed = await synth(['--account', 'fresh', '--config', 'manageCloudWatchRole=false']);
    expect(failed.status).toBe(1);
    // The usual one-line failure, not a Node stack trace of the rejected output it was raised in.
    expect(failed.stderr).toMatch(/^synth failed: This region's API Gateway account settings have no CloudWatch role.*Fix: --config manageCloudWatchRole=auto .*turn stage logs off: pulumi config set loggingLevel OFF.*\n$/);
    expect(failed.stderr).not.toMatch(/\n\s+at |<ref|error serializing/);
  });
});

describe('synth helpers', () => {
  it('puts the fixes of keys given with --config in synth\'s terms, and leaves those of the stack\'s keys as they are', () => {
    const given = { rateLimt: '5', 'shop:burstLimit': 'x', lambdaTimeout: '60' };
    expect(inSynthTerms('Unknown config key "shop:rateLimt" (did you mean "rateLimit"?). Fix: pulumi config rm rateLimt && pulumi config set rateLimit <value> (or edit the stack\'s Pulumi.<stack>.yaml).', given)).toBe(
      'Unknown config key "shop:rateLimt" (did you mean "rateLimit"?). Fix: --config rateLimit=<value> instead of --config rateLimt=5.',
    );
    expect(inSynthTerms('Config "shop:burstLimit" is "x": expected a whole number. Fix: pulumi config set burstLimit <value> (or remove it to use the default "200").', given)).toBe(
      'Config "shop:burstLimit" is "x": expected a whole number. Fix: --config burstLimit=<value> (or leave it out for the stack\'s value, else the default "200").',
    );
    expect(inSynthTerms('Unknown config key "shop:rateLimt". Fix: pulumi config rm rateLimt.', given)).toBe('Unknown config key "shop:rateLimt". Fix: leave out --config rateLimt=5.');
    expect(inSynthTerms('Fix: pulumi config set lambdaTimeout 29.', given)).toBe('Fix: --config lambdaTimeout=29.');
    // A key the stack sets is fixed in the stack, as under pulumi up.
    const stackKey = 'Config "shop:domainName" is "a.example.org": a custom domain needs a certificate. Fix: pulumi config set hostedZoneId <zone>, or pulumi config set domainOwner false.';
    expect(inSynthTerms(stackKey, given)).toBe(stackKey);
    expect(inSynthTerms('Fix: pulumi config rm rateLimt && pulumi config set rateLimit <value>.', {})).toBe('Fix: pulumi config rm rateLimt && pulumi config set rateLimit <value>.');
  });

  it('parses flags', () => {
    expect(parseArgs(['--json', '--stack', 'prod', '--config', 'a=b=c', '--config=x=1'])).toEqual({ json: true, stack: 'prod', overrides: { a: 'b=c', x: '1' }, account: 'fresh' });
    expect(parseArgs(['--account', 'role-set']).account).toBe('role-set');
    expect(() => parseArgs(['--account', 'maybe'])).toThrow(/--account expects fresh or role-set/);
    expect(parseArgs(['--out', 'plan.json']).out).toBe('plan.json');
    expect(parseArgs(['--out=p.txt']).out).toBe('p.txt');
    // A .json file gets JSON without --json; any other name gets the text plan.
    expect(parseArgs(['--out', 'plan.json']).json).toBe(true);
    expect(parseArgs(['--out', 'PLAN.JSON']).json).toBe(true);
    expect(parseArgs(['--out=p.txt']).json).toBe(false);
    expect(() => parseArgs(['--out'])).toThrow(/Missing value: --out takes a value/);
    expect(() => parseArgs(['--out='])).toThrow(/Missing value: --out takes a value/);
    expect(() => parseArgs(['--config', 'novalue'])).toThrow(/--config expects key=value/);
    expect(() => parseArgs(['--yes'])).toThrow(/Unknown argument "--yes"/);
  });

  it('takes the stack from --stack, else STACK (as the other commands and the fixes of settings errors say), else dev', () => {
    expect(parseArgs([], { STACK: 'prod' }).stack).toBe('prod');
    expect(parseArgs(['--stack', 'qa'], { STACK: 'prod' }).stack).toBe('qa');
    expect(parseArgs([], {}).stack).toBe('dev');
    expect(parseArgs([], { STACK: '' }).stack).toBe('dev');
  });

  it('formats the plan with parents and outputs', () => {
    const text = formatPlan({ project: 'koa-apigateway', resources: [{ type: 'aws:x/y:Y', name: 'n', parent: 'todo', inputs: { a: 1 } }], outputs: { apiKey: '[secret]' } }, 'dev');
    expect(text).toContain('+ aws:x/y:Y  n  (parent: todo)\n    a: 1');
    expect(text).toContain('apiKey: [secret]');
  });

  it("lists the operations of the RestApi's body under it, since the body itself is cut", () => {
    const body = JSON.stringify({ openapi: '3.0.1', info: { title: 't', description: 'x'.repeat(300) }, paths: { '/api/v1/notes': { post: { operationId: 'createNote' }, get: { operationId: 'listNotes' }, parameters: [] }, '/{proxy+}': { 'x-amazon-apigateway-any-method': {} } } });
    const text = formatPlan({ project: 'koa-apigateway', resources: [{ type: 'aws:apigateway/restApi:RestApi', name: 'api', parent: null, inputs: { body } }], outputs: {} }, 'dev');
    expect(text).toContain('    body: {"openapi"');
    expect(text).toContain('    operations in the body:\n      POST    /api/v1/notes  createNote\n      GET     /api/v1/notes  listNotes\n      ANY     /{proxy+}\n');
  });
});

describe('synth: the per-group table (issue 24)', () => {
  it('lists each function with its group, settings, policies and routes, from what the program registered under the mocks', async () => {
    const router = new Router();
    const noop = () => undefined;
    addRoute(router, { method: 'GET', path: '/notes', operationId: 'listNotes' }, noop);
    addRoute(router, { method: 'POST', path: '/notes', operationId: 'createNote' }, noop);
    addRoute(router, { method: 'GET', path: '/health', operationId: 'health' }, noop);
    const app = new Koa();
    app.use(router.routes());
    const spec = buildGatewaySpec(app, undefined, { read: { routes: ['GET /notes'], memorySize: 256, reservedConcurrency: 4 }, write: { routes: ['POST /notes'], timeoutSeconds: 10 } });
    const { mocks } = await runGateway({ name: 'notes', spec, args: { functions: { write: { policies: { table: '{"Version":"2012-10-17","Statement":[]}' } } } } });
    const rows = await functionTable(mocks.resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent ?? null, inputs: r.inputs })));
    expect(rows).toEqual([
      { group: 'default', resource: 'notes-fn', routes: ['GET /health'], memorySize: 512, timeoutSeconds: 29, architecture: 'arm64', policies: ['logs'] },
      { group: 'read', resource: 'notes-read-fn', routes: ['GET /notes'], memorySize: 256, timeoutSeconds: 29, architecture: 'arm64', reservedConcurrency: 4, policies: ['logs'] },
      { group: 'write', resource: 'notes-write-fn', routes: ['POST /notes'], memorySize: 512, timeoutSeconds: 10, architecture: 'arm64', policies: ['logs', 'table'] },
    ]);
    const text = formatFunctions({ functions: rows, undeployedGroups: ['account'], warnings: ["functions.account.routes 'GET /me' matches no route the app cerves: check it for a typo."] }).join('\n');
    expect(text).toContain('Functions (3):');
    expect(text).toContain('  read  (notes-read-fn): 256 MB, 29 s, arm64, reserved concurrency 4');
    expect(text).toContain('    policies: logs, table');
    expect(text).toContain('  account  no routes: not deployed');
    expect(text).toContain("Warnings:\n  functions.account.routes 'GET /me' matches no route");
  });
});

describe('synth: binary media types (docs/binary.md)', () => {
  it("shows the RestApi's binaryMediaTypes, read from the body the component registers (the media app, a stack setting)", async () => {
    const { mocks } = await runGateway({ name: 'media', spec: buildGatewaySpec(createMediaApp()), config: { binaryMediaTypes: 'application/pdf' } });
    const api = mocks.ofType('aws:apigateway/restApi:RestApi')[0]!;
    const text = formatPlan({ project: 'media', resources: [{ type: api.type, name: api.name, parent: null, inputs: api.inputs }], outputs: {} }, 'dev');
    expect(text).toContain('    binaryMediaTypes (from the body): application/octet-stream, application/pdf, image/*, image/png\n');
  });
});
