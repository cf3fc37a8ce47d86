import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppFile } from '../../../infra/src/app/load';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { createLibraryApp } from '../../support/apps/library/app';
import { API_KEY, bundleDir, startGateway, type Started } from './support/gateway';

/**
 * A second app, unrelated to the todo example (tests/support/apps/library), through the local gateway exactly as
 * the example goes: its own Lambda entry bundled by the product's bundler, the definition planned from its
 * own routes, real HTTP on loopback. Nothing generic is told about it (issue 12 item 3).
 */
describe('the local gateway serving the library app from its own bundle', () => {
  let gw: Started;
  let dir: string;
  let inputs: string[];
  const key = { 'x-api-key': API_KEY };
  const card = { ...key, 'x-library-card': '12345678' };

  beforeAll(async () => {
    dir = await bundleDir('library');
    // Its descriptor names its Lambda entry and its app, as for any app (infra/src/app/load.ts).
    const bundle = await bundleLambda({ app: loadAppFile(path.join(__dirname, '../../support/apps/library/app.config.ts')), outDir: dir });
    inputs = Object.keys(Object.values(bundle.metafile.outputs).find((o) => o.entryPoint !== undefined)!.inputs);
    gw = await startGateway({ spec: buildGatewaySpec(createLibraryApp()), bundleFile: bundle.file });
  });
  afterAll(async () => {
    await gw?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is bundled as the example is: its schema module as data, so none of TypeBox's type builders or compiler ship", () => {
    expect(inputs).toContain('tests/support/apps/library/schemas.ts');
    expect(inputs.filter((i) => /node_modules\/typebox\/build\/(compile|value|type)\//.test(i))).toEqual([]);
  });

  it('serves the public route without a key, and refuses every other route without one (403)', async () => {
    const status = await fetch(`${gw.url}/status`);
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({ open: true, branches: 2 });
    for (const route of ['/branches/central/books/9780141439518', '/branches/central/search?q=austen', '/branches/central/hours', '/v2/catalog/books/9780141439518']) {
      const res = await fetch(`${gw.url}${route}`);
      expect({ route, status: res.status }).toEqual({ route, status: 403 });
      expect(await res.json()).toEqual({ message: 'Forbidden' });
    }
  });

  it('brings both path parameters to the handler', async () => {
    const res = await fetch(`${gw.url}/branches/riverside/books/9780140449136`, { headers: key });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ isbn: '9780140449136', title: 'Crime and Punishment', author: 'Fyodor Dostoevsky', branchId: 'riverside', available: true });
    const wrongBranch = await fetch(`${gw.url}/branches/central/books/9780140449136`, { headers: key });
    expect(wrongBranch.status).toBe(404);
    expect(await wrongBranch.json()).toEqual({ message: 'No book 9780140449136 at branch central' });
  });

  it('lets the app validate path parameters the gateway only matches: a malformed ISBN is the app\'s 400 naming it', async () => {
    const res = await fetch(`${gw.url}/branches/central/books/not-an-isbn`, { headers: key });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: 'Invalid request parameters', errors: [expect.objectContaining({ path: '/isbn', in: 'path' })] });
  });

  it('requires the query parameter at the gateway (its 400 and message), and converts the optional typed ones in the app', async () => {
    const missing = await fetch(`${gw.url}/branches/central/search?limit=1`, { headers: key });
    expect(missing.status).toBe(400);
    expect(missing.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(await missing.json()).toEqual({ message: 'Missing required request parameters: [q]' });

    const found = await fetch(`${gw.url}/branches/central/search?q=austen&limit=1&available=false`, { headers: key });
    expect(found.status).toBe(200);
    expect(await found.json()).toEqual({ items: [expect.objectContaining({ title: 'Persuasion', available: false })], total: 1 });
    const defaults = await fetch(`${gw.url}/branches/central/search?q=austen`, { headers: key });
    expect(((await defaults.json()) as { total: number }).total).toBe(2);

    // The gateway checks presence only; the type is the app's to check, and its 400 names the field.
    const badLimit = await fetch(`${gw.url}/branches/central/search?q=austen&limit=many`, { headers: key });
    expect(badLimit.status).toBe(400);
    expect(await badLimit.json()).toMatchObject({ errors: [expect.objectContaining({ path: '/limit', in: 'query' })] });
  });

  it('requires the header parameter at the gateway, validates the body there, and the handler reads both', async () => {
    const body = JSON.stringify({ isbn: '9780141439518' });
    const noCard = await fetch(`${gw.url}/branches/central/loans`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body });
    expect(noCard.status).toBe(400);
    expect(await noCard.json()).toEqual({ message: 'Missing required request parameters: [x-library-card]' });

    const badBody = await fetch(`${gw.url}/branches/central/loans`, { method: 'POST', headers: { ...card, 'content-type': 'application/json' }, body: JSON.stringify({ isbn: '978', days: 90 }) });
    expect(badBody.status).toBe(400);
    expect(badBody.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(await badBody.json()).toMatchObject({ message: 'Invalid request body', detail: expect.stringMatching(/^\[.*\]$/) });

    const lent = await fetch(`${gw.url}/branches/central/loans`, { method: 'POST', headers: { ...card, 'content-type': 'application/json' }, body });
    expect(lent.status).toBe(201);
    const loan = (await lent.json()) as { loanId: string };
    expect(loan).toEqual({ loanId: expect.stringMatching(/^L\d+$/), isbn: '9780141439518', branchId: 'central', card: '12345678', days: 14 });

    const returned = await fetch(`${gw.url}/branches/central/loans/${loan.loanId}`, { method: 'DELETE', headers: card });
    expect(returned.status).toBe(204);
    expect(await returned.text()).toBe('');
  });

  it('reaches the nested router\'s route under both prefixes', async () => {
    const res = await fetch(`${gw.url}/v2/catalog/books/9780141441146`, { headers: key });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ title: 'Persuasion', branchId: 'central' });
    const unprefixed = await fetch(`${gw.url}/catalog/books/9780141441146`, { headers: key });
    expect(unprefixed.status).toBe(403); // no such resource: API Gateway's Missing Authentication Token
  });

  it('reaches the plain router.get route, its path parameter and its text answer', async () => {
    const res = await fetch(`${gw.url}/branches/riverside/hours`, { headers: key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('riverside: Mon-Fri 09:00-18:00');
  });
});
