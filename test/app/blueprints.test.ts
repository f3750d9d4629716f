import { describe, expect, it } from 'vitest';
import { App, Blueprint, MethodView, abort, urlFor, type Request } from 'flagon';

const newApp = () => new App(import.meta.url, { config: { TESTING: true }, staticFolder: null });

describe('blueprints', () => {
  it("pass Flask's hook order test, and before-hooks see 404s", async () => {
    const app = newApp();
    const bp = new Blueprint('bp', import.meta.url);
    const order: string[] = [];
    app.beforeRequest(() => {
      order.push('app before');
    });
    bp.beforeRequest(() => {
      order.push('bp before');
    });
    app.afterRequest((r) => {
      order.push('app after');
      return r;
    });
    bp.afterRequest((r) => {
      order.push('bp after');
      return r;
    });
    app.teardownRequest(() => {
      order.push('app teardown');
    });
    bp.teardownRequest(() => {
      order.push('bp teardown');
    });
    bp.get('/', () => {
      order.push('view');
      return 'x';
    });
    app.registerBlueprint(bp, { urlPrefix: '/bp' });
    await app.testClient().get('/bp/');
    expect(order).toEqual(['app before', 'bp before', 'view', 'bp after', 'app after', 'bp teardown', 'app teardown']);
    order.length = 0;
    expect((await app.testClient().get('/bp/missing')).status).toBe(404);
    expect(order).toEqual(['app before', 'app after', 'app teardown']);
  });

  it('name endpoints blueprint.view, join prefixes, and nest', async () => {
    const app = newApp();
    const admin = new Blueprint('admin', import.meta.url, { urlPrefix: '/admin/' });
    const users = new Blueprint('users', import.meta.url);
    admin.get('/', () => 'admin home');
    users.get('/<int:id>', function show(req) {
      return `user ${req.params.id} ${urlFor('.show', { id: 2 })} ${urlFor('admin.index')}`;
    });
    admin.registerBlueprint(users, { urlPrefix: '/users' });
    app.registerBlueprint(admin);
    expect(app.router.rules.map((r) => [r.rule, r.endpoint])).toEqual([
      ['/admin/', 'admin.index'],
      ['/admin/users/<int:id>', 'admin.users.show'],
    ]);
    expect((await app.testClient().get('/admin/users/1')).text).toBe('user 1 /admin/users/2 /admin/');
  });

  it('need a non-empty, dot-free name, and a new name to register twice', () => {
    expect(() => new Blueprint('', import.meta.url)).toThrow(/non-empty name/);
    expect(() => new Blueprint('a.b', import.meta.url)).toThrow(/may not contain a dot/);
    const app = newApp();
    const api = new Blueprint('api', import.meta.url);
    api.get('/ping', () => 'pong');
    app.registerBlueprint(api, { urlPrefix: '/v1' });
    expect(() => app.registerBlueprint(api, { urlPrefix: '/v2' })).toThrow(
      /The name 'api' is already registered for this blueprint. Use \{ name: '…' \}/,
    );
    app.registerBlueprint(api, { urlPrefix: '/v2', name: 'api_v2' });
    expect(app.router.rules.map((r) => r.endpoint)).toEqual(['api.ping', 'api_v2.ping']);
    expect(() => api.get('/late', () => 'x')).toThrow(/can no longer be called on the blueprint 'api'/);
  });

  it('scope error handlers and hooks to their own views, with app-wide variants', async () => {
    const app = newApp();
    const shop = new Blueprint('shop', import.meta.url, { urlPrefix: '/shop' });
    shop.errorHandler(403, () => ['shop says no', 403]);
    shop.beforeAppRequest((req) => {
      if (req.path === '/blocked') return ['blocked by shop', 451];
    });
    shop.get('/secret', () => abort(403));
    app.get('/secret', () => abort(403));
    app.registerBlueprint(shop);
    const client = app.testClient();
    expect((await client.get('/shop/secret')).text).toBe('shop says no');
    expect((await client.get('/secret')).text).toContain('<title>403 Forbidden</title>');
    expect((await client.get('/blocked')).status).toBe(451);
  });

  it('serve their own static folder under their prefix', async () => {
    const app = newApp();
    app.registerBlueprint(
      new Blueprint('assets', import.meta.url, { urlPrefix: '/assets', staticFolder: 'fixture-app/static' }),
    );
    const response = await app.testClient().get('/assets/static/site.css');
    expect([response.status, response.text]).toEqual([200, 'body { color: red }\n']);
  });
});

describe('MethodView', () => {
  it('dispatches by method, falls back to get for HEAD, and lists its methods', async () => {
    class UserAPI extends MethodView {
      get(req: Request) {
        return { id: req.params.id };
      }
      delete() {
        return ['', 204];
      }
    }
    const app = newApp();
    app.addUrlRule('/users/<int:id>', { view: UserAPI.asView('user') });
    const client = app.testClient();
    expect((await client.get('/users/3')).json).toEqual({ id: 3 });
    expect((await client.head('/users/3')).status).toBe(200);
    expect((await client.delete('/users/3')).status).toBe(204);
    expect((await client.post('/users/3')).headers.get('Allow')).toBe('DELETE, GET, HEAD, OPTIONS');
    expect(app.router.rules[0]!.endpoint).toBe('user');
  });
});
