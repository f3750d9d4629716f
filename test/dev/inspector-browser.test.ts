/**
 * The request inspector in a real browser: an App with a before-request hook, a template and a session, served by
 * the development server in debug mode over HTTP on 127.0.0.1 (port 0, started as `app.run()` does, waited for on
 * its banner line); headless Chromium loads a page, follows the link the inspector put into it, then opens the list.
 * Needs /usr/bin/chromium (.ci/install-system-deps.sh installs it); without it the test skips, naming that script.
 * Screenshots go to a temp folder the run prints.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, renderTemplate, session } from 'flagon';
import { createDevServer, drainServer, listenOn, run, type RunningApp } from 'flagon/dev';
import { launchChromium, missingChromium, watchProblems } from '../helpers/browser.js';

const missing = missingChromium('inspector-browser.test.ts');

function shop(): App {
  const root = mkdtempSync(join(tmpdir(), 'flagon-inspector-app-'));
  mkdirSync(join(root, 'templates'));
  writeFileSync(
    join(root, 'templates', 'item.html'),
    '<!doctype html><html><head><title>{{ name }}</title></head><body><h1 id="item">{{ name }} #{{ id }}</h1><p>visits: {{ visits }}</p></body></html>',
  );
  const app = new App(pathToFileURL(join(root, 'app.js')).href, { name: 'shop', staticFolder: null });
  app.config.SECRET_KEY = 'browser-inspector';
  app.beforeRequest(function countVisit() {
    const data = session as unknown as { visits?: number };
    data.visits = (data.visits ?? 0) + 1;
  });
  app.get('/items/<int:id>', function showItem(req) {
    const data = session as unknown as { visits?: number };
    return renderTemplate('item.html', { name: 'Teapot', id: req.params.id, visits: data.visits });
  });
  // 20 ms of CPU: its profile always has samples outside (idle). A request as quick as /items/<id> may leave a profile
  // with none on a loaded machine, hence a flame graph with no boxes. (Not asserted by name: the optimizing compiler
  // may inline busyWork into its caller, and the sampler then counts its time there.)
  app.get('/work/<int:n>', function busyWork(req) {
    const until = performance.now() + 20;
    let sum = 0;
    while (performance.now() < until) sum += Math.sqrt(sum + req.params.n);
    return `worked: ${sum > 0}`;
  });
  return app;
}

/** Starts the dev server in debug as `app.run()` does and waits for its banner's ` * Running on URL` line. */
async function startDevServer(app: App): Promise<{ running: RunningApp; url: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let printed = '';
  let seen: (url: string) => void = () => undefined;
  const banner = new Promise<string>((resolve) => (seen = resolve));
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed += String(chunk);
    const match = / \* Running on (http:\/\/\S+)\n/.exec(printed);
    if (match) seen(match[1]!);
    return true;
  }) as typeof process.stdout.write;
  try {
    const running = await run(app, { host: '127.0.0.1', port: 0, debug: true, reload: false, log: false });
    const url = await banner;
    expect(printed).toContain(' * Debug mode: on');
    return { running, url };
  } finally {
    process.stdout.write = write;
  }
}

describe.skipIf(missing !== null)('the request inspector in headless Chromium', () => {
  let running: RunningApp;
  let origin: string;
  let browser: Browser;
  const shots = mkdtempSync(join(tmpdir(), 'flagon-inspector-shots-'));

  beforeAll(async () => {
    ({ running, url: origin } = await startDevServer(shop()));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('lists the request the browser made, with its environ, matched rule, hooks and timing bar', async () => {
    console.log(`inspector-browser.test.ts: screenshots in ${shots}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The browser's own /favicon.ico would be a 404 (a console error) and a request of its own: answered here.
    await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
    const page = await context.newPage();
    const problems = await watchProblems(page);

    // Twice: the second request brings the session cookie the first set.
    await page.goto(`${origin}/items/42`);
    const response = await page.goto(`${origin}/items/42`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('#item').textContent()).resolves.toBe('Teapot #42');
    const link = page.locator('#flagon-inspector-link');
    await link.waitFor();
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/__flagon__\/\d+$/);
    await page.screenshot({ path: join(shots, 'app-page.png') });

    await link.click();
    await page.waitForURL(`${origin}${href}`);
    await page.waitForSelector('#matched-rule');
    await expect(page.locator('h1').textContent()).resolves.toContain('/items/42');
    await expect(page.locator('#status').textContent()).resolves.toBe('200 OK');
    // The environ: PATH_INFO from the request line, the User-Agent from its header, REMOTE_ADDR from the socket.
    const source = (key: string) => page.locator(`tr[data-key="${key}"] td.source`).textContent();
    await expect(page.locator('tr[data-key="PATH_INFO"] td').first().textContent()).resolves.toBe('/items/42');
    await expect(source('PATH_INFO')).resolves.toBe('the request line');
    await expect(source('HTTP_USER_AGENT')).resolves.toBe('the User-Agent header');
    await expect(source('REMOTE_ADDR')).resolves.toContain('the socket');
    // Routing: the rule and its converted value.
    await expect(page.locator('#matched-rule').textContent()).resolves.toBe('/items/<int:id>');
    await expect(page.locator('#values tbody tr').first().textContent()).resolves.toMatch(/id\s*42\s*number/);
    await expect(page.locator('#tried tr.hit td').first().textContent()).resolves.toBe('/items/<int:id>');
    // Hooks and view in order, then the template and the session.
    const steps = await page
      .locator('ol.steps li')
      .evaluateAll((items) =>
        items.map((item) => `${item.querySelector('.kind')?.textContent} ${item.querySelector('.name')?.textContent}`),
      );
    expect(steps).toEqual(['before_request countVisit', 'view showItem (showItem)']);
    await expect(page.locator('#templates tbody th').first().textContent()).resolves.toBe('item.html');
    // The hook counted this request: one more visit after than before.
    const visits = await page
      .locator('#session tbody tr')
      .first()
      .evaluate((tr) => [...tr.children].map((cell) => cell.textContent));
    expect(visits[0]).toBe('visits');
    expect(Number(visits[2])).toBe(Number(visits[1]) + 1);
    expect(visits[3]).toBe('changed');
    // The timing bar: an SVG with a bar per phase, the view's among them, each of a positive width.
    const bars = await page.locator('svg.timing g.bar').evaluateAll((groups) =>
      groups.map((g) => ({
        label: g.querySelector('title')?.textContent ?? '',
        width: Number(g.querySelector('rect')?.getAttribute('width')),
      })),
    );
    const labels = bars.map((bar) => bar.label.replace(/: [\d.]+ ms$/, ''));
    expect(labels).toEqual(
      expect.arrayContaining(['server → app', 'hooks', 'view', 'response started → body sent', 'template: item.html']),
    );
    expect(bars.every((bar) => bar.width > 0)).toBe(true);
    const box = await page.locator('svg.timing').boundingBox();
    expect(box?.width).toBeGreaterThan(300); // the stylesheet loaded under the CSP and the chart is drawn
    await page.screenshot({ path: join(shots, 'request.png'), fullPage: true });

    // The list: the two requests to /items/42, newest first; the inspector's own pages are not in it.
    await page.click('header .crumbs a');
    await page.waitForSelector('#requests');
    const rows = await page.locator('#requests tr.request').evaluateAll((trs) =>
      trs.map((tr) => ({
        href: tr.querySelector('.target a')?.getAttribute('href'),
        method: tr.querySelector('.method')?.textContent,
        target: tr.querySelector('.target')?.textContent,
        status: tr.querySelector('.status')?.textContent,
      })),
    );
    const items = rows.filter((row) => row.target === '/items/42');
    expect(items.map((row) => `${row.method} ${row.status}`)).toEqual(['GET 200 OK', 'GET 200 OK']);
    expect(items[0]!.href).toBe(href);
    expect(rows.every((row) => !row.target?.startsWith('/__flagon__'))).toBe(true);
    await page.screenshot({ path: join(shots, 'list.png'), fullPage: true });

    expect(await page.evaluate('window.cspViolations')).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  // Two profiled requests, then two pages in a browser: 20 s was too short once on a loaded 2-core CI run (Node 24).
  it("shows a profiled request's flame graph, and two requests side by side", { timeout: 60_000 }, async () => {
    // The dev server as `flagon run --debug --profile=` makes it: the profiler inside the debug page and the inspector.
    const server = createDevServer(shop().gatewayApp, {
      debug: true,
      host: '127.0.0.1',
      port: 0,
      log: false,
      profile: { dir: null },
    });
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write; // each request's profile table
    try {
      await listenOn(server, { port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
      const page = await context.newPage();
      for (const n of [1, 2]) await page.goto(`${base}/work/${n}`);
      // A profile is handed over once the profiler has stopped, after the response: wait for both.
      for (const id of [1, 2])
        await expect
          .poll(
            async () =>
              ((await (await fetch(`${base}/__flagon__/${id}.json`)).json()) as { flame: unknown }).flame !== null,
            {
              timeout: 10_000,
            },
          )
          .toBe(true);

      await page.goto(`${base}/__flagon__/2`);
      await page.waitForSelector('#profile svg.flame g.fg rect');
      const boxes = await page.locator('#profile svg.flame g.fg').evaluateAll((groups) =>
        groups.map((g) => ({
          title: g.querySelector('title')?.textContent ?? '',
          width: Number(g.querySelector('rect')?.getAttribute('width')),
        })),
      );
      expect(boxes[0]!.title).toMatch(/^\(root\): [\d.]+ ms/);
      expect(boxes[0]!.width).toBe(1000);
      expect(boxes.some((box) => /\.ts:\d+: /.test(box.title))).toBe(true); // source frames, mapped to .ts
      const box = await page.locator('#profile svg.flame').boundingBox();
      expect(box?.height).toBeGreaterThan(30);
      await page.screenshot({ path: join(shots, 'profile.png'), fullPage: true });

      await page.click('#profile a.compare');
      await page.waitForSelector('#side-2 svg.flame');
      await expect(page.locator('#side-1 h2 a').textContent()).resolves.toBe('2');
      await expect(page.locator('#side-2 h2 a').textContent()).resolves.toBe('1');
      expect(await page.locator('svg.flame').count()).toBe(2);
      await page.screenshot({ path: join(shots, 'compare.png'), fullPage: true });
      await context.close();
    } finally {
      process.stdout.write = write;
      await drainServer(server, 0, 1_000);
    }
  });
});
