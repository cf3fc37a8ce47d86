import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedApp } from '../../../../infra/src/app/descriptor';
import { loadAppFile } from '../../../../infra/src/app/load';
import { formatTable } from '../../../../infra/src/tools/conformance/report';
import { readStackSettings } from '../../../../infra/src/app/load-stack';
import { FORMATS } from '../../../support/apps';
import { buildBundle, failures, runAgainstLocal } from './support';

const APP_DIR = FORMATS.dir;

/**
 * `koa-apigateway conformance` against the local gateway serving the address book (tests/support/apps/formats),
 * whose fields declare every format TypeBox checks. Before issue 21 the document dropped a body field's
 * format, so the valid request sent openapi-sampler's `"string"` as a `uri` and the correct app failed with no hint.
 */
describe('the conformance suite against an app declaring formats, on the local gateway', () => {
  let app: LoadedApp;
  let bundle: Awaited<ReturnType<typeof buildBundle>>;
  let unchecked: Awaited<ReturnType<typeof buildBundle>>;
  const settings = readStackSettings({ root: FORMATS.dir, app: {} });

  beforeAll(async () => {
    app = loadAppFile(path.join(APP_DIR, 'app.config.ts'));
    bundle = await buildBundle('conformance-formats', app);
    // The same app, built from an entry that makes `email` accept anything: a service that stopped checking it.
    unchecked = await buildBundle('conformance-formats-unchecked', { ...app, lambdaEntry: path.join(APP_DIR, 'lambda-email-unchecked.ts') });
  });
  afterAll(async () => {
    await bundle?.remove();
    await unchecked?.remove();
  });

  it('passes: valid values of every format are accepted, each format’s near-miss is the function’s 400 naming the field', async () => {
    const report = await runAgainstLocal({ app, settings, bundleFile: bundle.file });
    expect(failures(report)).toEqual({});
    // Every operation ran but the one whose required field is in the app's own format: one skip, one note naming it.
    expect(report.counts).toEqual({ pass: report.results.length - 1, fail: 0, known: 0, skip: 1 });
    expect(report.results.filter((r) => r.outcome === 'skip').map((r) => r.id)).toEqual(['putContactTag.valid']);
    const table = formatTable(report);
    expect(table).toMatch(/^ {2}- putContactTag request body: .*the format "contact-tag" has no value generator in the conformance suite.*; its cases are skipped\.$/m);
    // A near-miss for each formatted body field, answered by the app (API Gateway does not check formats).
    const formatCases = report.results.filter((r) => r.id.endsWith('.format'));
    expect(formatCases.map((r) => r.id)).toEqual(
      expect.arrayContaining(['createContact.body.homepage.format', 'createContact.body.email.format', 'createContact.body.lastSeen.format', 'putContactLinks.body.profile.iri.format', 'putContactLinks.body.every.format']),
    );
    expect(formatCases.length).toBeGreaterThanOrEqual(19);
    for (const r of formatCases) expect(r.outcome, r.id).toBe('pass');
    expect(report.results.find((r) => r.id === 'listContacts.query.since.invalid')?.outcome).toBe('pass');
  });

  it('fails when the service stops checking a format: the near-miss gets through', async () => {
    const failed = failures(await runAgainstLocal({ app, settings, bundleFile: unchecked.file }));
    // Both email fields: `email`, and `workEmail` whose pattern the near-miss still matches.
    expect(Object.keys(failed).sort()).toEqual(['createContact.body.email.format', 'createContact.body.workEmail.format']);
    expect(failed['createContact.body.email.format']!.join('\n')).toMatch(/got 201/);
  });
});
