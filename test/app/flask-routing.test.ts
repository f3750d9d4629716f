/** Routing and URL building through the App, as Flask 3.1 does them (each case checked against it). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { App, Blueprint, type FlagonError, urlFor } from 'flagon';
import { createEnviron, runApp } from 'flagon/testing';

const newApp = () => new App(import.meta.url, { config: { TESTING: true }, staticFolder: null });

describe("the App and Flask's routing", () => {
  it('reads SERVER_NAME when a subdomain rule is added, not only in new App()', async () => {
    const app = newApp();
    app.subdomainMatching = true;
    app.config.SERVER_NAME = 'example.test';
    app.route('/', { subdomain: 'test' }, function sub() {
      return 'sub';
    });
    expect((await app.testClient().get('/', { headers: { Host: 'test.example.test' } })).text).toBe('sub');
    expect(() => newApp().route('/', { subdomain: 'x' }, () => 'x')).toThrow(
      /set SERVER_NAME \(app\.config\.SERVER_NAME = 'example\.com'\) before adding subdomain rules/,
    );
  });

  it('ties rules without a subdomain to SERVER_NAME itself, even when it is set after them (Flask 3.1: 404 on another host)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'flagon-subdomain-'));
    mkdirSync(join(root, 'static'));
    writeFileSync(join(root, 'static', 'app.css'), 'body {}');
    const app = new App(pathToFileURL(join(root, 'app.js')).href, {
      config: { TESTING: true },
      subdomainMatching: true,
    });
    app.get('/', () => 'index');
    app.config.SERVER_NAME = 'example.com';
    const client = app.testClient();
    expect((await client.get('/', { headers: { Host: 'example.com' } })).status).toBe(200);
    expect((await client.get('/', { headers: { Host: 'other.example.com' } })).status).toBe(404);
    // The static route, added by new App() before any config could be set, behaves the same.
    expect((await client.get('/static/app.css', { headers: { Host: 'example.com' } })).status).toBe(200);
    expect((await client.get('/static/app.css', { headers: { Host: 'other.example.com' } })).status).toBe(404);
    rmSync(root, { recursive: true });
  });

  it('joins the subdomains of nested blueprints (api in parent → api.parent)', async () => {
    const app = newApp();
    app.subdomainMatching = true;
    app.config.SERVER_NAME = 'example.test';
    const parent = new Blueprint('parent', import.meta.url, { subdomain: 'parent' });
    const child = new Blueprint('child', import.meta.url, { subdomain: 'api' });
    child.get('/', function index() {
      return 'child';
    });
    parent.registerBlueprint(child);
    app.registerBlueprint(parent);
    const client = app.testClient();
    expect((await client.get('/', { headers: { Host: 'api.parent.example.test' } })).text).toBe('child');
    expect((await client.get('/', { headers: { Host: 'api.example.test' } })).status).toBe(404);
  });

  it("applies a blueprint's urlDefaults when an app view builds its URLs", async () => {
    const app = newApp();
    const shop = new Blueprint('shop', import.meta.url);
    shop.urlDefaults((_endpoint, values) => {
      values.lang ??= 'en';
    });
    shop.get('/<lang>/item', function item(req) {
      return String(req.params.lang);
    });
    app.registerBlueprint(shop);
    app.get('/', function index() {
      return urlFor('shop.item');
    });
    expect((await app.testClient().get('/')).text).toBe('/en/item');
  });

  it('makes a URL with a scheme external, and refuses a scheme with external: false', async () => {
    const app = newApp();
    app.get('/x', function x() {
      let refused = '';
      try {
        urlFor('x', {}, { scheme: 'https', external: false });
      } catch (error) {
        refused = (error as FlagonError).code;
      }
      return `${urlFor('x', {}, { scheme: 'https' })} ${refused}`;
    });
    expect((await app.testClient().get('/x')).text).toBe('https://localhost/x FLAGON_ERR_BAD_ARGUMENT');
  });

  it('redirects an app mounted at /approot and asked for /approot to /approot/ (empty PATH_INFO)', async () => {
    const app = newApp();
    app.get('/', function root() {
      return 'root';
    });
    const environ = createEnviron('/', { scriptName: '/approot' });
    environ.PATH_INFO = '';
    const response = await runApp(app.gatewayApp, environ);
    expect([response.status, response.header('Location')]).toEqual([
      '308 Permanent Redirect',
      'http://localhost/approot/',
    ]);
  });
});
