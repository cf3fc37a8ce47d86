import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadedApp } from '../../../../infra/src/app/descriptor';
import { loadAppFile } from '../../../../infra/src/app/load';
import { formatTable } from '../../../../infra/src/tools/conformance/report';
import { readStackSettings } from '../../../../infra/src/app/load-stack';
import type { GatewaySpec } from '../../../../infra/src/core/plan/types';
import { LIBRARY } from '../../../support/apps';
import { buildBundle, failures, runAgainstLocal } from './support';

/**
 * `npm run conformance` against the local gateway serving a second app, unrelated to the todo example
 * (tests/support/apps/library), loaded by its descriptor, with its project's dev stack. Its schemas
 * have what the parcels app lacks: a `pattern` on path parameters (`isbn`, `branchId`, `loanId`), on a required
 * header (`x-library-card`) and on a body property (`isbn`), which made the suite crash with
 * `Cannot build a valid value for getBook path parameter "isbn"` before it generated values from patterns.
 */
describe('the conformance suite against the library app on the local gateway', () => {
  let app: LoadedApp;
  let bundle: Awaited<ReturnType<typeof buildBundle>>;
  const settings = readStackSettings({ root: LIBRARY.dir, app: {} });

  beforeAll(async () => {
    app = loadAppFile(LIBRARY.descriptor);
    bundle = await buildBundle('conformance-library', app);
  });
  afterAll(async () => {
    await bundle?.remove();
  });

  it('passes: every generated case of every operation, with values matching their patterns', async () => {
    const report = await runAgainstLocal({ app, settings, bundleFile: bundle.file });
    expect(failures(report)).toEqual({});
    expect(report.counts).toEqual({ pass: report.results.length, fail: 0, known: 0, skip: 0 });
    // Every operation got a valid request, none was skipped: the patterned ones included.
    expect(report.results.filter((r) => r.group === 'valid').map((r) => r.operationId).sort()).toEqual(['getBook', 'getBranchesBranchIdHours', 'getCatalogEntry', 'lendBook', 'libraryStatus', 'returnBook', 'searchBooks']);
    const request = (id: string) => report.results.find((r) => r.id === id)!.request;
    expect(request('getBook.valid')).toMatch(/^GET \/branches\/[a-z][a-z0-9-]{1,30}\/books\/[0-9]{13}$/);
    expect(request('returnBook.valid')).toMatch(/^DELETE \/branches\/[a-z][a-z0-9-]{1,30}\/loans\/L[0-9]+$/);
    // The patterned parameters' near-misses reach the app, whose 400 names them; the missing header is the gateway's 400.
    for (const id of ['getBook.path.isbn.invalid', 'getCatalogEntry.path.isbn.invalid', 'returnBook.path.loanId.invalid', 'lendBook.header.x-library-card.missing', 'lendBook.body.wrong-type']) {
      expect(report.results.find((r) => r.id === id)?.outcome, id).toBe('pass');
    }
    expect(formatTable(report).trimEnd().split('\n').at(-1)).toBe(`conformance: ${report.counts.pass} passed, 0 failed, 0 known, 0 skipped (${report.results.length} cases, ${report.sent} requests sent)`);
  });

  it('fails on a broken gateway for it: the required header no longer checked at the gateway, a route missing', async () => {
    const broken = (spec: GatewaySpec): GatewaySpec => ({
      ...spec,
      methods: spec.methods
        .filter((m) => m.operationId !== 'getCatalogEntry')
        .map((m) => (m.operationId === 'lendBook' ? { ...m, requestParameters: Object.fromEntries(Object.keys(m.requestParameters).map((name) => [name, false])) } : m)),
    });
    const failed = failures(await runAgainstLocal({ app, settings, bundleFile: bundle.file, spec: broken }));
    // The missing route: every request to it is 403 Missing Authentication Token, the key checks' too (not Forbidden).
    expect(Object.keys(failed).sort()).toEqual(['getCatalogEntry.no-key', 'getCatalogEntry.path.isbn.invalid', 'getCatalogEntry.valid', 'getCatalogEntry.wrong-key', 'lendBook.header.x-library-card.missing']);
    expect(failed['lendBook.header.x-library-card.missing']!.join('\n')).toMatch(/source: expected API Gateway to answer/);
    expect(failed['getCatalogEntry.valid']!.join('\n')).toMatch(/got 403 .*Missing Authentication Token/);
  });
});
