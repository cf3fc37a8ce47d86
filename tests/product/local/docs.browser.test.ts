import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../infra/src/bundle/bundle';
import { buildOpenApi } from '../../../infra/src/core/openapi/build';
import { readStackSettings } from '../../../infra/src/app/load-stack';
import { buildGatewaySpec } from '../../../infra/src/core/plan';
import { loadFixture, PARCELS } from '../../support/apps';
import { createParcelsApp } from '../../support/apps/parcels/app';
import { API_KEY, bundleDir, startGateway, type Started, definitionOf } from './support/gateway';

const CHROMIUM = '/usr/bin/chromium';
// Without these flags Chromium waits on network services that a closed network never answers.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)(`/docs in a real headless Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is not installed; apt-get install chromium)`}`, () => {
  let gw: Started;
  let dir: string;
  let browser: Browser;
  const spec = buildGatewaySpec(createParcelsApp());

  beforeAll(async () => {
    dir = await bundleDir('docs');
    const bundle = await bundleLambda({ app: loadFixture(PARCELS), outDir: dir });
    const settings = readStackSettings({ root: PARCELS.dir, app: {} });
    gw = await startGateway({
      spec,
      settings,
      bundleFile: bundle.file,
      openapi: (base) => buildOpenApi(definitionOf(spec, settings), { title: 'parcels-api', stageName: settings.stageName, extraServers: [{ url: `${base}/${settings.stageName}` }] }),
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows every operation, and "Authorize" sends the API key with "Try it out"', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(gw.root) && !req.url().startsWith('data:')) external.push(req.url());
    });
    await page.goto(`${gw.root}/docs`);
    await page.waitForSelector('.opblock', { timeout: 20_000 });

    const operations = await page.$$eval('.opblock', (blocks) => blocks.map((b) => `${b.querySelector('.opblock-summary-method')?.textContent} ${b.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`));
    expect(operations.sort()).toEqual(spec.methods.map((m) => `${m.method} ${m.resourcePath}`).sort());

    // Authorize with the key…
    await page.click('.auth-wrapper button.authorize');
    await page.fill('.modal-ux input[type=text], .modal-ux input[type=password]', API_KEY);
    await page.click('.modal-ux .auth-btn-wrapper button.authorize');
    await page.click('.modal-ux .auth-btn-wrapper button.btn-done');

    // …then list parcels through the local gateway, which requires it.
    await page.click('#operations-parcels-listParcels .opblock-summary');
    await page.click('#operations-parcels-listParcels .try-out__btn');
    await page.click('#operations-parcels-listParcels .execute');
    const status = await page.waitForSelector('#operations-parcels-listParcels .live-responses-table .response .response-col_status', { timeout: 20_000 });
    expect((await status.textContent())?.trim()).toBe('200');
    expect(gw.logs.some((l) => l.includes('"GET /dev/parcels" 200'))).toBe(true);
    // Everything came from this machine: no CDN.
    expect(external).toEqual([]);
  });
});
