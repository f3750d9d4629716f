/**
 * The API docs page in a real browser: a small app served over HTTP on 127.0.0.1, its /docs opened in headless
 * Chromium with every request to anywhere else aborted (and counted: there must be none), the UI left to render,
 * and the routes' methods and paths read from the DOM. Needs /usr/bin/chromium (.ci/install-system-deps.sh installs
 * it); without it the test skips, naming that script. A screenshot goes to a temp folder the run prints.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Blueprint } from 'flagon';
import { apiDocs } from 'flagon/app';
import { serve, type RunningServer } from 'flagon/serving';
import { launchChromium, missingChromium, watchProblems } from '../helpers/browser.js';

const missing = missingChromium('api-docs-browser.test.ts');

/** The routes of the app below, as the page must list them. */
const ROUTES = [
  ['GET', '/pets'],
  ['POST', '/pets'],
  ['GET', '/pets/{id}'],
  ['DELETE', '/pets/{id}'],
  ['GET', '/admin/stats'],
] as const;

function petShop(): App {
  const app = new App(import.meta.url, { staticFolder: null });
  app.get('/pets', function listPets() {
    return { pets: [] };
  });
  app.post('/pets', function addPet() {
    return [{ id: 1 }, 201];
  });
  app.get('/pets/<int:id>', function showPet(req) {
    return { id: req.params.id };
  });
  app.delete('/pets/<int:id>', function deletePet() {
    return ['', 204];
  });
  const admin = new Blueprint('admin', import.meta.url, { urlPrefix: '/admin' });
  admin.get('/stats', function stats() {
    return { pets: 0 };
  });
  app.registerBlueprint(admin);
  apiDocs(app, { openapi: { info: { title: 'Pet shop', version: '1.0.0' } } });
  return app;
}

describe.skipIf(missing !== null)('the API docs page in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const shots = mkdtempSync(join(tmpdir(), 'flagon-api-docs-'));

  beforeAll(async () => {
    server = await serve(petShop().gatewayApp, { host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders every route offline, loading nothing from anywhere but the app, under its CSP', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
    const elsewhere: string[] = [];
    const fromApp: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) {
        fromApp.push(new URL(url).pathname);
        await route.continue();
      } else {
        elsewhere.push(url);
        await route.abort('blockedbyclient');
      }
    });
    const page = await context.newPage();
    const problems = await watchProblems(page);

    const response = await page.goto(`${origin}/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    // Swagger UI renders one .opblock per operation once it has fetched and parsed /openapi.json.
    await page.waitForSelector('.opblock .opblock-summary-path');
    await page.waitForFunction(`document.querySelectorAll('.opblock').length >= ${ROUTES.length}`);
    const listed = await page.$$eval('.opblock', (blocks) =>
      blocks.map((block) => [
        block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '',
        block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ??
          block.querySelector('.opblock-summary-path')?.textContent?.trim() ??
          '',
      ]),
    );
    expect(listed.map(([method, path]) => `${method} ${path!.replace(/\u200b/g, '')}`).sort()).toEqual(
      ROUTES.map(([method, path]) => `${method} ${path}`).sort(),
    );
    await expect(page.title()).resolves.toBe('Pet shop');
    await expect(page.locator('.info .title').first().textContent()).resolves.toContain('Pet shop');

    // Open one operation: its parameters render too (the UI works, not only its list).
    await page.click('.opblock-get .opblock-summary-path[data-path="/pets/{id}"]');
    await page.waitForSelector('.opblock.is-open .parameters-container');
    await expect(page.locator('.opblock.is-open .parameter__name').first().textContent()).resolves.toContain('id');

    const screenshot = join(shots, 'swagger.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`api-docs-browser.test.ts: screenshot at ${screenshot}`);

    expect(elsewhere).toEqual([]);
    expect(fromApp).toEqual(expect.arrayContaining(['/docs', '/openapi.json', '/docs/flagon-api-docs.js']));
    expect(fromApp.some((path) => path.startsWith('/docs/assets/swagger-ui-bundle.js'))).toBe(true);
    expect(await page.evaluate('window.cspViolations')).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
