/**
 * `hostMatching` (Flask's `host_matching`): every rule answers on the host it names. Beyond the ported rows in
 * test/conformance/flask-basic.test.ts: a rule without a host is refused with the fix instead of never matching,
 * blueprints' rules too, and the more specific host pattern wins whatever the order the rules were added in.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { App, Blueprint, urlFor } from 'flagon';
import type { RouteRequest } from 'flagon/app';
import { Router } from 'flagon/routing';

const hostApp = (): App => new App(import.meta.url, { hostMatching: true, staticFolder: null });

describe('hostMatching', () => {
  it("types a host's or subdomain's values in req.params: from the pattern written as const, else unknown", () => {
    const app = new App(import.meta.url, { staticFolder: null, config: { SERVER_NAME: 'example.com' } });
    app.get('/files/<int:id>', { subdomain: '<team>' }, (req) => {
      expectTypeOf(req.params.id).toEqualTypeOf<number>();
      expectTypeOf(req.params.team).toEqualTypeOf<unknown>();
      return String(req.params.team);
    });
    expectTypeOf<RouteRequest<'/x/<int:id>', never>['params']>().toEqualTypeOf<{ id: number }>();
    app.get('/<int:id>', { host: '<int:shard>.db.example.com' } as const, (req) => {
      expectTypeOf(req.params).toEqualTypeOf<{ id: number; shard: number }>();
      return `shard ${req.params.shard}, row ${req.params.id}`;
    });
  });

  it('routes by the whole host, and builds external URLs on the rule’s host', async () => {
    const app = hostApp();
    app.get('/', { host: 'example.com' }, () => 'main');
    app.get('/', { host: '<user>.users.example.com', endpoint: 'home' } as const, (req) => {
      expectTypeOf(req.params).toEqualTypeOf<{ user: string }>();
      return `home of ${req.params.user}`;
    });
    app.get('/links', { host: 'example.com' }, () => urlFor('home', { user: 'ada' }));
    const client = app.testClient();
    expect((await client.get('http://example.com/')).text).toBe('main');
    expect((await client.get('http://ada.users.example.com/')).text).toBe('home of ada');
    expect((await client.get('http://elsewhere.test/')).status).toBe(404);
    expect((await client.get('http://example.com/links')).text).toBe('http://ada.users.example.com/');
  });

  it('refuses a rule without a host, naming the fix, where Flask adds a rule that always answers 404', () => {
    const app = hostApp();
    expect(() => app.get('/about', () => 'about')).toThrow(
      expect.objectContaining({
        code: 'FLAGON_ERR_HOST_MATCHING',
        message: expect.stringContaining("app.get('/about', { host: 'example.com' }, view)"),
      }),
    );
    const bp = new Blueprint('shop', import.meta.url);
    bp.get('/cart', () => 'cart');
    expect(() => app.registerBlueprint(bp)).toThrow(/rule '\/cart' \(endpoint 'shop.cart'\) has no host/);
  });

  it('tries the more specific host pattern first, in whichever order the rules came', () => {
    for (const order of [0, 1]) {
      const router = new Router({ hostMatching: true });
      const rules = [
        () => router.add('/', { endpoint: 'any', host: '<name>' }),
        () => router.add('/', { endpoint: 'sub', host: '<name>.example.test' }),
      ];
      if (order === 1) rules.reverse();
      for (const add of rules) add();
      expect(router.match('/', { host: 'abc.example.test' }).rule.endpoint).toBe('sub');
      expect(router.match('/', { host: 'other.test' }).rule.endpoint).toBe('any');
    }
  });

  it('routes a host with a port, and links to the host the request came on with its port', async () => {
    const app = hostApp();
    app.get('/', { host: 'localhost:5000' }, () => 'dev');
    app.get('/', { host: 'example.com', endpoint: 'site' }, () => urlFor('site', {}, { external: true }));
    const client = app.testClient();
    expect((await client.get('http://localhost:5000/')).text).toBe('dev');
    expect((await client.get('http://localhost:5001/')).status).toBe(404);
    expect((await client.get('http://example.com:8080/')).text).toBe('http://example.com:8080/');
  });

  it("gives a blueprint's rules and static route the host of the blueprint or of its registration", async () => {
    const root = mkdtempSync(join(tmpdir(), 'flagon-host-bp-'));
    try {
      mkdirSync(join(root, 'static'));
      writeFileSync(join(root, 'static', 'shop.css'), 'body{}');
      const shop = new Blueprint('shop', pathToFileURL(join(root, 'shop.ts')).href, {
        staticFolder: 'static',
        host: 'shop.example.com',
      });
      shop.get('/cart', () => urlFor('shop.static', { filename: 'shop.css' }));
      shop.get('/admin', { host: 'admin.example.com' }, () => 'admin');
      const app = hostApp();
      app.registerBlueprint(shop);
      app.registerBlueprint(shop, { name: 'eu_shop', host: 'shop.example.eu', urlPrefix: '/eu' });
      const client = app.testClient();
      expect((await client.get('http://shop.example.com/cart')).text).toBe('/static/shop.css');
      expect((await client.get('http://shop.example.com/static/shop.css')).text).toBe('body{}');
      expect((await client.get('http://shop.example.eu/eu/static/shop.css')).text).toBe('body{}');
      expect((await client.get('http://admin.example.com/eu/admin')).text).toBe('admin');
      expect((await client.get('http://example.com/static/shop.css')).status).toBe(404);
      expect((await client.get('http://admin.example.com/admin')).text).toBe('admin');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a subdomain without a host, naming the host to write, and answers the host of a rule with both', async () => {
    const app = hostApp();
    expect(() => app.get('/', { subdomain: 'api' }, () => 'api')).toThrow(
      expect.objectContaining({
        code: 'FLAGON_ERR_HOST_MATCHING',
        message: expect.stringContaining("{ host: 'api.example.com' }"),
      }),
    );
    expect(() => app.get('/root', { subdomain: '' }, () => 'root')).toThrow(/as \{ host: 'example\.com' \}/);
    app.get('/both', { subdomain: 'api', host: 'example.com' }, () => 'both');
    const bp = new Blueprint('api', import.meta.url, { subdomain: 'api' });
    bp.get('/', () => 'api');
    expect(() => app.registerBlueprint(bp)).toThrow(/endpoint 'api.index'\) has the subdomain 'api' and no host/);
    const hostless = new Blueprint('shop', import.meta.url);
    hostless.get('/cart', () => 'cart');
    expect(() => app.registerBlueprint(hostless)).toThrow(/app\.registerBlueprint\(bp, \{ host \}\)/);
    expect((await app.testClient().get('http://example.com/both')).text).toBe('both');
  });
});
