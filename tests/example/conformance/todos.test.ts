import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppFile } from '../../../infra/src/app/load';
import type { LambdaHandler } from '../../../infra/src/local/integration';
import { readStackSettings } from '../../../infra/src/app/load-stack';
import { buildBundle, failures, runAgainstLocal } from '../../product/tools/conformance/support';

const ROOT = path.resolve(__dirname, '../../..');

/** The example's contracts (service/conformance/todos.ts, attachments.ts) run by `npm run conformance` against the local gateway. */
describe('the todo contract against the local gateway', () => {
  const app = loadAppFile(path.join(ROOT, 'app.config.ts'));
  const settings = readStackSettings({ root: ROOT, app: app.settings ?? {} });
  let bundle: Awaited<ReturnType<typeof buildBundle>>;

  beforeAll(async () => {
    bundle = await buildBundle('todo-contract', app);
  });
  afterAll(async () => {
    await bundle?.remove();
  });

  it('passes against npm start’s gateway: every generated case and every step of the todo contract', async () => {
    const report = await runAgainstLocal({ app, settings, bundleFile: bundle.file });
    expect(failures(report)).toEqual({});
    const steps = report.results.filter((r) => r.group === 'contract');
    expect(steps.map((r) => r.id)).toEqual(expect.arrayContaining(['todos: create returns 201 with Location and ETag', 'todos: update with a stale If-Match is 412 Precondition Failed']));
    // The attachment contract (service/conformance/attachments.ts): a real upload and download, which no generated case makes.
    expect(steps.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'attachments: an uploaded file comes back byte for byte, with its media type and file name',
        'attachments: the CSV export streams the todo with its attachment',
        'attachments: a removed attachment is gone (404)',
      ]),
    );
    expect(steps.every((r) => r.outcome === 'pass')).toBe(true);
    expect(report.leftBehind).toEqual([]);
  });

  it('the pagination contract holds when a just-created todo is not listed yet (an eventually consistent index), within its bounded retries', async () => {
    // The first full-page read answers as a lagging GSI does: the new todos are not there yet.
    let lagging = 1;
    const lag = (real: LambdaHandler): LambdaHandler => async (event, context) => {
      const e = event as { httpMethod: string; resource: string; queryStringParameters: Record<string, string> | null };
      if (e.httpMethod === 'GET' && e.resource === '/api/v1/todos' && e.queryStringParameters?.limit === '2' && !e.queryStringParameters.cursor && lagging-- > 0) {
        return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [], nextCursor: null }) };
      }
      return real(event, context);
    };
    const report = await runAgainstLocal({ app, settings, bundleFile: bundle.file, handler: lag });
    expect(lagging).toBeLessThan(0);
    expect(failures(report)).toEqual({});
    const step = report.results.find((r) => r.id === 'todos: pagination: limit=2 gives pages of 2 with a cursor, no item twice')!;
    expect(step.got.filter((s) => s === 200).length).toBe(3);
  });

});
