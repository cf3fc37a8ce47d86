import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTable } from '../../../../infra/src/tools/conformance/report';
import { readStackSettings } from '../../../../infra/src/app/load-stack';
import { loadFixture, PARCELS } from '../../../support/apps';
import type { LambdaHandler } from '../../../../infra/src/local/integration';
import type { GatewaySpec } from '../../../../infra/src/core/plan/types';
import { buildBundle, failures, runAgainstLocal } from './support';

/**
 * `npm run conformance` against the local gateway, as CI runs it: the suite generated from the
 * public OpenAPI document must pass against what `npm start` serves, and must fail on each planted
 * fault (a dropped validator, a changed error body, a route missing, a wrong key).
 */
describe('the conformance suite against the local gateway', () => {
  let bundle: Awaited<ReturnType<typeof buildBundle>>;
  const settings = readStackSettings({ root: PARCELS.dir, app: {} });

  beforeAll(async () => {
    bundle = await buildBundle('conformance');
  });
  afterAll(async () => {
    await bundle?.remove();
  });

  it('passes against npm start’s gateway: every generated case and the app’s contract (the parcels app)', async () => {
    const report = await runAgainstLocal({ settings, bundleFile: bundle.file });
    expect(failures(report)).toEqual({});
    expect(report.counts.fail).toBe(0);
    // Each kind of case ran: a suite that generated nothing would pass too.
    const groups = new Set(report.results.filter((r) => r.outcome === 'pass').map((r) => r.group));
    expect([...groups].sort()).toEqual(['auth', 'cleanup', 'contract', 'near-miss', 'routing', 'valid']);
    expect(report.results.filter((r) => r.group === 'valid')).toHaveLength(6);
    expect(report.sent).toBeLessThanOrEqual(report.planned);
    // It deleted what it created.
    expect(report.leftBehind).toEqual([]);
    expect(report.diagnosis).toEqual([]);
    // The table a user reads: a row per case, what is not covered, and the closing count.
    const table = formatTable(report);
    expect(table).toMatch(/^passed\s+createParcel\s+body without required\s+POST \/parcels\s+400 from the gateway\s+400\n\s+"recipient"\s+"Invalid request body"$/m);
    // The rows fit a 100-column terminal: long cells wrap (the request is cut; it is in full under Failures and in --json).
    const lines = table.split('\n');
    const rows = lines.slice(2, lines.indexOf('', 3));
    expect(rows.length).toBeGreaterThan(report.results.length);
    for (const row of rows) expect(row.length, row).toBeLessThanOrEqual(100);
    for (const row of formatTable(report, { width: 80 }).split('\n').slice(2, 60)) expect(row.length, row).toBeLessThanOrEqual(80);
    expect(table).toMatch(/Not covered:\n  - Throttling/);
    expect(table.trimEnd().split('\n').at(-1)).toBe(`conformance: ${report.counts.pass} passed, 0 failed, 0 known, 0 skipped (${report.results.length} cases, ${report.sent} requests sent)`);
  });

  it('fails when a route’s body validator is dropped: the function, not the gateway, answers the near-misses', async () => {
    const report = await runAgainstLocal({
      settings,
      bundleFile: bundle.file,
      spec: (spec) => ({ ...spec, methods: spec.methods.map((m) => (m.operationId === 'createParcel' ? { ...m, validator: null } : m)) }),
    });
    const failed = failures(report);
    expect(Object.keys(failed).sort()).toEqual(['createParcel.body.malformed-json', 'createParcel.body.missing-required', 'createParcel.body.unknown-property', 'createParcel.body.wrong-type']);
    expect(failed['createParcel.body.missing-required']!.join('\n')).toMatch(/source: expected API Gateway to answer/);
  });

  it('fails when the function’s error body leaves the {"message", "errors"} shape', async () => {
    const changed = (real: LambdaHandler): LambdaHandler => async (event, context) => {
      const result = (await real(event, context)) as { statusCode: number; body: string };
      if (result.statusCode < 400) return result;
      const { message } = JSON.parse(result.body) as { message: string };
      return { ...result, body: JSON.stringify({ error: message }) };
    };
    const report = await runAgainstLocal({ settings, bundleFile: bundle.file, handler: changed });
    const failed = failures(report);
    expect(failed['getParcel.path.id.invalid']!.join('\n')).toMatch(/shape: .*must have required property 'message'/);
    expect(failed['getParcel.valid']!.join('\n')).toMatch(/shape: 404 body/);
    expect(Object.keys(failed)).toContain('parcels: update with a stale If-Match is 412 Precondition Failed');
    // The body still names the field (in "error"): the finding is the shape, with the fix, not an unnamed field.
    const invalidId = failed['getParcel.path.id.invalid']!;
    expect(invalidId.join('\n')).toMatch(/shape: error body is not \{"message", "errors"\?\}: .*Fix: mount errorMiddleware\(\) from koa-apigateway\/route/);
    expect(invalidId.join('\n')).not.toMatch(/does not name the field/);
  });

  it('fails when the function’s error has the shape but names no field: one finding, the field, saying what to do', async () => {
    const vague = (real: LambdaHandler): LambdaHandler => async (event, context) => {
      const result = (await real(event, context)) as { statusCode: number; body: string };
      return result.statusCode === 400 ? { ...result, body: JSON.stringify({ message: 'Bad request' }) } : result;
    };
    const failed = failures(await runAgainstLocal({ settings, bundleFile: bundle.file, handler: vague }));
    expect(failed['getParcel.path.id.invalid']).toEqual([
      'body: the function\'s error does not name the field "id" anywhere in its body: {"message":"Bad request"}. ' +
        'Fix: name the field in the message or in errors[].path; errorMiddleware() from koa-apigateway/route does so for every request that route() or addRoute() validation refuses.',
    ]);
  });

  it('an app that forgot errorMiddleware (Koa answers its 400s as text naming the field): a shape finding with the fix, not an unnamed field', async () => {
    const forgot = await buildBundle('conformance-no-error-middleware', { ...loadFixture(PARCELS), lambdaEntry: path.join(PARCELS.dir, 'lambda-without-error-middleware.ts') });
    try {
      const failed = failures(await runAgainstLocal({ settings, bundleFile: forgot.file }));
      const findings = failed['getParcel.path.id.invalid']!;
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatch(/^shape: body is not JSON \(text\/plain; charset=utf-8\): .*\bid\b.*Fix: mount errorMiddleware\(\) from koa-apigateway\/route before the routes \(it answers every error as ErrorResponse\)/);
      // The function's 400s for a query value too: the same one finding.
      expect(failed['listParcels.query.limit.invalid']).toEqual([expect.stringMatching(/^shape: body is not JSON .*limit.*Fix: mount errorMiddleware\(\)/)]);
    } finally {
      await forgot.remove();
    }
  });

  it('fails when the gateway’s error body changes (a response template edited), though every status stays right', async () => {
    const report = await runAgainstLocal({ settings, bundleFile: bundle.file, rewriteGatewayBody: (body) => JSON.stringify({ error: (JSON.parse(body) as { message: string }).message }) });
    const failed = failures(report);
    expect(failed['listParcels.no-key']!.join('\n')).toMatch(/body: message undefined, expected "Forbidden"/);
    expect(failed['listParcels.no-key']!.join('\n')).toMatch(/shape: error body is not \{"message", "errors"\?\}: .*'message'/);
    expect(failed['routing.unknown-path']!.join('\n')).toMatch(/shape: error body is not/);
    expect(failed['createParcel.body.missing-required']!.join('\n')).toMatch(/shape: 400 body does not match the declared schema ErrorBody: .*'message'/);
    // The function's own answers are untouched, so they still pass.
    expect(failed['getParcel.valid']).toBeUndefined();
    expect(failed['getParcel.path.id.invalid']).toBeUndefined();
  });

  it('fails when a route the document declares is missing from the gateway', async () => {
    const report = await runAgainstLocal({
      settings,
      bundleFile: bundle.file,
      spec: (spec) => ({ ...spec, methods: spec.methods.filter((m) => m.operationId !== 'getParcel') }),
    });
    const failed = failures(report);
    expect(failed['getParcel.valid']!.join('\n')).toMatch(/status: expected a declared .* got 403 .*Missing Authentication Token/);
    expect(Object.keys(failed)).toContain('parcels: get returns the same parcel and ETag');
    // The no-key cases still see 403, but the body says why: not Forbidden.
    expect(failed['getParcel.no-key']!.join('\n')).toMatch(/message "Missing Authentication Token", expected "Forbidden"/);
  });

  it('fails with a wrong key: every keyed request is Forbidden', async () => {
    const report = await runAgainstLocal({ settings, bundleFile: bundle.file, apiKey: 'WrongKey0123456789abcdefXYZ' });
    const failed = failures(report);
    for (const id of ['listParcels.valid', 'createParcel.valid', 'getParcel.valid', 'createParcel.body.missing-required']) {
      expect(failed[id]!.join('\n'), id).toMatch(/got 403/);
    }
    // The public route and the key checks themselves still pass.
    expect(failed['health.valid']).toBeUndefined();
    expect(failed['listParcels.no-key']).toBeUndefined();
    expect(report.results.find((r) => r.id === 'parcels: create returns 201 with Location and ETag')?.outcome).toBe('fail');
    expect(report.diagnosis.join(' ')).toMatch(/Every request sent with the API key was refused with 403 Forbidden/);
  });

  it('with a URL that lacks the stage, blames the URL, not the key: a public route is Forbidden too (§1.7)', async () => {
    const report = await runAgainstLocal({ settings, bundleFile: bundle.file, baseUrl: (u) => u.replace(/\/dev$/, '') });
    expect(report.counts.fail).toBeGreaterThan(0);
    expect(failures(report)['health.valid']!.join('\n')).toMatch(/got 403 .*Forbidden/);
    expect(report.diagnosis).toHaveLength(1);
    expect(report.diagnosis[0]).toMatch(/the URL does not reach the stage.*does --url end with the stage, e\.g\. \.\.\.\/dev\?/);
    expect(report.diagnosis[0]).not.toMatch(/key is wrong/);
  });

  it('on a deployed stage, a known AWS difference is reported as known, and anything beyond it still fails', async () => {
    // Without the validator, malformed JSON reaches the function, which also answers 400: on AWS that is the
    // accepted, unconfirmed part (docs/apigateway-behaviour.md §4.14). A missing required field answered by the function is not.
    const dropped = { settings, bundleFile: bundle.file, spec: (spec: GatewaySpec) => ({ ...spec, methods: spec.methods.map((m) => (m.operationId === 'createParcel' ? { ...m, validator: null } : m)) }) };
    const remote = await runAgainstLocal({ ...dropped, remote: true });
    const byId = (id: string) => remote.results.find((r) => r.id === id)!;
    expect(byId('createParcel.body.malformed-json').outcome).toBe('known');
    expect(byId('createParcel.body.malformed-json').note).toMatch(/§4\.14/);
    expect(byId('createParcel.body.missing-required').outcome).toBe('fail');
    expect(remote.counts.known).toBe(1);
    expect(formatTable(remote)).toMatch(/Known, accepted differences from the local gateway \(not failures\):\n  createParcel\.body\.malformed-json: Known: /);
    // Locally the same difference is a failure: the local gateway must do what docs/apigateway-behaviour.md says.
    const local = await runAgainstLocal(dropped);
    expect(local.results.find((r) => r.id === 'createParcel.body.malformed-json')!.outcome).toBe('fail');
  });
});
