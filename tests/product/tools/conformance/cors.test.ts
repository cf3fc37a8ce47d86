import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaHandler } from '../../../../infra/src/local/integration';
import { parseSettings } from '../../../../infra/src/settings/parse';
import { buildBundle, failures, runAgainstLocal } from './support';

const ORIGIN = 'https://app.example';

/** With CORS on, the suite checks a preflight per path and the function's own CORS headers. */
describe('the conformance suite with CORS on', () => {
  let bundle: Awaited<ReturnType<typeof buildBundle>>;
  const settings = parseSettings({ corsOrigins: ORIGIN });
  const saved = process.env.CORS_ORIGINS;

  beforeAll(async () => {
    // The function reads its origins from the environment the stack sets, at cold start.
    process.env.CORS_ORIGINS = ORIGIN;
    bundle = await buildBundle('conformance-cors');
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.CORS_ORIGINS;
    else process.env.CORS_ORIGINS = saved;
    await bundle?.remove();
  });

  it('passes, preflights included', async () => {
    const report = await runAgainstLocal({ settings, bundleFile: bundle.file });
    expect(failures(report)).toEqual({});
    const preflights = report.results.filter((r) => r.group === 'cors');
    // One per path (3) and one from an origin not allowed.
    expect(preflights.map((r) => r.outcome)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('fails when the stage deployed no preflights although CORS is configured', async () => {
    const report = await runAgainstLocal({ settings: parseSettings({}), corsOrigins: [ORIGIN], bundleFile: bundle.file });
    const failed = failures(report);
    expect(failed['cors.preflight /parcels']!.join('\n')).toMatch(/expected 200, got 403 .*Missing Authentication Token/);
    expect(failed['cors.preflight.unlisted-origin']!.join('\n')).toMatch(/got 403/);
  });

  it('fails when the function sends no CORS headers of its own', async () => {
    const stripped = (real: LambdaHandler): LambdaHandler => async (event, context) => {
      const result = (await real(event, context)) as { headers?: Record<string, string> };
      const headers = Object.fromEntries(Object.entries(result.headers ?? {}).filter(([name]) => !/^access-control-/i.test(name)));
      return { ...result, headers };
    };
    const report = await runAgainstLocal({ settings, bundleFile: bundle.file, handler: stripped });
    expect(failures(report)['listParcels.valid']!.join('\n')).toMatch(/cors: Access-Control-Allow-Origin null, expected "https:\/\/app.example"/);
  });
});
