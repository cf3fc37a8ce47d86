import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { buildOpenApi } from '../../../infra/src/core/openapi/build';
import { validateOpenApi } from '../../../infra/src/core/openapi/validate';
import { readStackSettings } from '../../../infra/src/app/load-stack';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { loadFixture, PARCELS } from '../../support/apps';
import { createParcelsApp } from '../../support/apps/parcels/app';
import { API_KEY, bundleDir, startGateway, type Started, definitionOf } from './support/gateway';

/**
 * The real thing: the spec derived from the app's router, the stack's settings, and the esbuild
 * bundle Pulumi would upload, behind the emulator: what `npm start` serves (the parcels project's).
 */
describe('npm start’s gateway: the real bundle behind the real spec', () => {
  let gw: Started;
  let dir: string;
  const key = { 'x-api-key': API_KEY };
  const json = { ...key, 'content-type': 'application/json' };

  beforeAll(async () => {
    dir = await bundleDir('e2e');
    const bundle = await bundleLambda({ app: loadFixture(PARCELS), outDir: dir });
    const spec = buildGatewaySpec(createParcelsApp());
    const settings = readStackSettings({ root: PARCELS.dir, app: {} });
    gw = await startGateway({
      spec,
      settings,
      bundleFile: bundle.file,
      openapi: (base) => buildOpenApi(definitionOf(spec, settings), { stageName: settings.stageName, extraServers: [{ url: `${base}/${settings.stageName}` }] }),
    });
  });
  afterAll(async () => {
    await gw?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the seed sequence: health (no key), list, create, get, patch, delete', async () => {
    const health = await fetch(`${gw.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const list = await fetch(`${gw.url}/parcels`, { headers: key });
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ items: expect.any(Array) });

    const created = await fetch(`${gw.url}/parcels`, { method: 'POST', headers: json, body: JSON.stringify({ recipient: 'Test from API Gateway', size: 'L' }) });
    expect(created.status).toBe(201);
    const parcel = (await created.json()) as { id: string; recipient: string; size: string };
    // The route kit applied the body's defaults.
    expect(parcel).toMatchObject({ recipient: 'Test from API Gateway', size: 'L', express: false });
    // The function saw requestContext.path with the stage, so its Location works against this URL.
    expect(created.headers.get('location')).toBe(`/dev/parcels/${parcel.id}`);

    const got = await fetch(`${gw.url}/parcels/${parcel.id}`, { headers: key });
    expect(await got.json()).toEqual(parcel);

    const patched = await fetch(`${gw.url}/parcels/${parcel.id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ status: 'shipped' }) });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: parcel.id, status: 'shipped' });

    const listed = (await (await fetch(`${gw.url}/parcels?limit=50`, { headers: key })).json()) as { items: Array<{ id: string }> };
    expect(listed.items.map((t) => t.id)).toContain(parcel.id);

    expect((await fetch(`${gw.url}/parcels/${parcel.id}`, { method: 'DELETE', headers: key })).status).toBe(204);
    const gone = await fetch(`${gw.url}/parcels/${parcel.id}`, { headers: key });
    expect(gone.status).toBe(404);
    expect(gone.headers.get('x-amzn-errortype')).toBeNull(); // the service's 404, not the gateway's
  });

  it('rejects an invalid parcel at the gateway, before the function runs; the model’s detail is in the 400 and the execution log', async () => {
    const res = await fetch(`${gw.url}/parcels`, { method: 'POST', headers: json, body: JSON.stringify({ size: 'L' }) });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    const body = (await res.json()) as { message: string };
    expect(body).toEqual({ message: 'Invalid request body', detail: '[object has missing required properties (["recipient"])]' });
    expect(gw.errors.at(-1)).toContain('["recipient"]');
  });

  it('refuses a request without the key, and a path with no route', async () => {
    const forbidden = await fetch(`${gw.url}/parcels`);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ message: 'Forbidden' });
    const missing = await fetch(`${gw.url}/v2/parcels`, { headers: key });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('serves /openapi.json, valid OpenAPI 3.1, listing this server first', async () => {
    const res = await fetch(`${gw.root}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { servers: Array<{ url: string }>; paths: Record<string, unknown> };
    expect((await validateOpenApi(doc)).valid).toBe(true);
    expect(doc.servers[0]!.url).toBe(gw.url);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/parcels', '/parcels/{id}']));
  });

  it('serves /docs and the Swagger UI assets from the installed package', async () => {
    const page = await fetch(`${gw.root}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/docs/swagger-ui-bundle.js');
    const js = await fetch(`${gw.root}/docs/swagger-ui-bundle.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${gw.root}/docs/package.json`)).status).not.toBe(200);
  });
});
