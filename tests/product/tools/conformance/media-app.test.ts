import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStackSettings } from '../../../../infra/src/app/load-stack';
import type { Report } from '../../../../infra/src/tools/conformance/run';
import { loadFixture, MEDIA, PARCELS } from '../../../support/apps';
import { buildBundle, failures, runAgainstLocal } from './support';

/**
 * The conformance suite against the media app (tests/support/apps/media: a binary request body, a binary answer, a
 * text/csv answer) on the local gateway, with its real bundle: a correct app passes every case; the binary body is
 * sent as bytes and its undeclared media type is the function's 415; binary and text answers are checked by their
 * media type, so one answered under another media type fails.
 */
describe('the conformance suite: binary bodies and answers, text answers (docs/binary.md)', () => {
  const app = loadFixture(MEDIA);
  const settings = readStackSettings({ root: PARCELS.dir, app: {} });
  let bundle: Awaited<ReturnType<typeof buildBundle>>;
  let report: Report;

  beforeAll(async () => {
    bundle = await buildBundle('conformance-media', app);
    report = await runAgainstLocal({ app, settings, bundleFile: bundle.file });
  }, 120_000);
  afterAll(() => bundle?.remove());

  it('passes every case of a correct app', () => {
    expect(failures(report)).toEqual({});
    expect(report.counts).toEqual({ pass: report.results.length, fail: 0, known: 0, skip: 0 });
  });

  it('sends the binary body as bytes under a declared media type, and an undeclared one is the 415 of the function', () => {
    expect(report.results.find((r) => r.id === 'putBlob.valid')).toMatchObject({ outcome: 'pass', got: [200] });
    expect(report.results.find((r) => r.id === 'putBlob.body.undeclared-media-type')).toMatchObject({ outcome: 'pass', got: [415], title: expect.stringContaining('text/plain') });
    // No JSON near-misses for bytes.
    expect(report.results.filter((r) => r.id.startsWith('putBlob.body.')).map((r) => r.id)).toEqual(['putBlob.body.undeclared-media-type']);
    expect(report.results.find((r) => r.id === 'getLogo.valid')).toMatchObject({ outcome: 'pass', got: [200] });
    expect(report.results.find((r) => r.id === 'getReport.valid')).toMatchObject({ outcome: 'pass', got: [200] });
  });

  it('fails a binary or text answer sent under a media type its operation does not declare', async () => {
    const wrong = await runAgainstLocal({
      app,
      settings,
      bundleFile: bundle.file,
      handler: (real) => async (event, context) => {
        const result = (await real(event, context)) as { headers?: Record<string, string> };
        const { path } = event as { path: string };
        if (path.endsWith('/logo') || path.endsWith('/report.csv')) return { ...result, headers: { ...result.headers, 'content-type': 'application/json' } };
        return result;
      },
    });
    expect(failures(wrong)).toEqual({
      'getLogo.valid': ['shape: 200 Content-Type "application/json" is none of the declared image/png'],
      'getReport.valid': ['shape: 200 Content-Type "application/json" is none of the declared text/csv'],
    });
  }, 120_000);
});
