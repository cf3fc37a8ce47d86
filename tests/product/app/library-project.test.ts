import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIBRARY_ROUTES } from '../../support/apps/library/expected';
import { LIBRARY } from '../../support/apps';
import { runProcess, startProcess, type Started, CLI } from '../../support/process';
import { projectEnv } from './support/project-env';

/**
 * A user's project serves their own app through its descriptor, nothing else: the library project (path, query and
 * header parameters, a nested prefixed router, a public route, a plain router.get) through the real commands,
 * `koa-apigateway openapi`, `synth` and `start`, run in its folder with no file edited: its app.config.ts,
 * Pulumi.yaml, dev stack and index.ts as they are. Only the outputs go elsewhere (a temporary folder), so the tree
 * is left as found.
 */
const KEY = 'LibraryTestKey0123456789abcdef';

type Doc = { info: { title: string; version: string }; paths: Record<string, Record<string, { parameters?: { in: string; name: string; required: boolean }[]; security: unknown[] }>> };

describe('the library project: every command run in it serves the library', () => {
  let out: string;
  let gateway: Started | undefined;
  const env = projectEnv(KEY);

  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), 'library-override-'));
  });
  afterAll(async () => {
    await gateway?.stop('SIGTERM');
    rmSync(out, { recursive: true, force: true });
    rmSync(env.KOA_APIGATEWAY_BUNDLE_DIR!, { recursive: true, force: true });
  });

  it('npm run openapi writes its document: its title and version, its paths and their parameters', async () => {
    const run = await runProcess(process.execPath, [CLI, 'openapi'], { cwd: LIBRARY.dir, env: { ...env, OUT: path.join(out, 'openapi.json') } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${LIBRARY_ROUTES.length} operations, valid OpenAPI 3.1`);
    const doc = JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8')) as Doc;
    expect(doc.info).toMatchObject({ title: 'library-api', version: '2.0.0' });
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((verb) => `${verb.toUpperCase()} ${p}`));
    expect(operations.sort()).toEqual(LIBRARY_ROUTES);
    const parameters = (p: string, verb: string) => doc.paths[p]![verb]!.parameters!.map((x) => `${x.in}:${x.name}:${x.required}`);
    expect(parameters('/branches/{branchId}/search', 'get')).toEqual(['path:branchId:true', 'query:q:true', 'query:limit:false', 'query:available:false']);
    expect(parameters('/branches/{branchId}/loans', 'post')).toEqual(['path:branchId:true', 'header:x-library-card:true']);
    expect(doc.paths['/status']!.get!.security).toEqual([]);
  }, 60_000);

  it('npm run synth runs its program (index.ts) on it: resources named after it, its routes and parameters in the RestApi', async () => {
    const run = await runProcess(process.execPath, [CLI, 'synth', '--json', '--out', path.join(out, 'plan.json')], { cwd: LIBRARY.dir, env, timeoutMs: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(out, 'plan.json'), 'utf8')) as { resources: { type: string; name: string; inputs: Record<string, unknown> }[]; outputs: Record<string, unknown> };
    const api = plan.resources.find((r) => r.type === 'aws:apigateway/restApi:RestApi')!;
    expect(api.name).toBe('library-api');
    expect(plan.outputs.routes).toEqual(LIBRARY_ROUTES);
    expect(plan.resources.filter((r) => r.type === 'aws:dynamodb/table:Table')).toEqual([]);
    const body = JSON.parse(api.inputs.body as string) as Doc;
    // The deployed document's info is the descriptor's, as npm run openapi and npm start show it.
    expect(body.info).toEqual({ title: 'library-api', version: '2.0.0' });
    expect(body.paths['/branches/{branchId}/loans']!.post!.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'x-library-card', required: true }));
    expect(JSON.stringify(plan).toLowerCase()).not.toContain('todo');
  }, 150_000);

  it('npm start serves it: its route table, the public route without a key, the gateway\'s 400s for a missing query or header, the nested and plain routes', async () => {
    gateway = startProcess(process.execPath, [CLI, 'start'], { cwd: LIBRARY.dir, env });
    const stageUrl = (await gateway.waitFor(/Local API Gateway listening on (http:\/\/\S+)/, 90_000))[1]!;
    const out = gateway.stdout();
    expect(out).toMatch(new RegExp(`GET\\s+${stageUrl}/status\\s+public\\s+libraryStatus`));
    expect(out).toMatch(new RegExp(`POST\\s+${stageUrl}/branches/\\{branchId\\}/loans\\s+x-api-key\\s+lendBook`));
    expect(out).toMatch(new RegExp(`GET\\s+${stageUrl}/v2/catalog/books/\\{isbn\\}\\s+x-api-key\\s+getCatalogEntry`));
    const key = { 'x-api-key': KEY };

    expect((await fetch(`${stageUrl}/status`)).status).toBe(200);
    // Its Try line is a curl that works as printed: every GET behind the key needs a parameter, so the public one.
    expect(out).toContain(`Try:     curl ${stageUrl}/status\n`);
    expect(((await (await fetch(new URL('/openapi.json', stageUrl))).json()) as Doc).info).toMatchObject({ title: 'library-api', version: '2.0.0' });
    expect((await fetch(`${stageUrl}/branches/central/books/9780141439518`)).status).toBe(403);
    const book = await fetch(`${stageUrl}/branches/central/books/9780141439518`, { headers: key });
    expect(await book.json()).toMatchObject({ isbn: '9780141439518', branchId: 'central' });

    const noQuery = await fetch(`${stageUrl}/branches/central/search`, { headers: key });
    expect({ status: noQuery.status, body: await noQuery.json() }).toEqual({ status: 400, body: { message: 'Missing required request parameters: [q]' } });
    const noCard = await fetch(`${stageUrl}/branches/central/loans`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: '{"isbn":"9780141439518"}' });
    expect({ status: noCard.status, body: await noCard.json() }).toEqual({ status: 400, body: { message: 'Missing required request parameters: [x-library-card]' } });
    const lent = await fetch(`${stageUrl}/branches/central/loans`, { method: 'POST', headers: { ...key, 'X-Library-Card': '87654321', 'content-type': 'application/json' }, body: '{"isbn":"9780141439518"}' });
    expect({ status: lent.status, body: await lent.json() }).toMatchObject({ status: 201, body: { card: '87654321', days: 14 } });

    expect(await (await fetch(`${stageUrl}/v2/catalog/books/9780140449136`, { headers: key })).json()).toMatchObject({ branchId: 'riverside' });
    expect(await (await fetch(`${stageUrl}/branches/central/hours`, { headers: key })).text()).toBe('central: Mon-Fri 09:00-18:00');

    expect(await gateway.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }, 120_000);
});
