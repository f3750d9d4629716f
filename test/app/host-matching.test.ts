/**
 * `hostMatching` (Flask's `host_matching`): every rule answers on the host it names. Beyond the ported rows in
 * test/conformance/flask-basic.test.ts: a rule without a host is refused with the fix instead of never matching,
 * blueprints' rules too, and the more specific host pattern wins whatever the order the rules were added in.
 */
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
});
