/**
 * Port of Flask's tests/test_basic.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65) to Flagon's App. BSD-3-Clause, Copyright 2010 Pallets: see
 * LICENSE-pallets.txt. One `it` per upstream test (parametrized cases loop inside it). Flask's `app` fixture is
 * `flaskApp()`; `with app.test_request_context()` becomes a view that runs the same code, since Flagon has no
 * request context outside a request.
 */
import { describe, expect, it } from 'vitest';
import {
  App,
  Blueprint,
  Forbidden,
  NotFound,
  Response,
  abort,
  afterThisRequest,
  flash,
  g,
  getFlashedMessages,
  jsonify,
  makeResponse,
  request,
  session,
  urlFor,
} from 'flagon';
import { createEnviron, runApp, type EnvironOptions } from 'flagon/testing';
import { BuildError } from 'flagon/routing';
import { flaskApp } from './support.js';

/** Flask's `client.get(path, base_url)`: the test client has no base URL, so the environ is built here. */
function openWith(app: App, path: string, options: EnvironOptions = {}) {
  return runApp(app.gatewayApp, createEnviron(path, options));
}

/** Runs `fn` inside a request to `path` (Flask's `with app.test_request_context(path):`) and returns its result. */
async function inRequest<T>(app: App, fn: () => T | Promise<T>, path = '/__ctx'): Promise<T> {
  let out: T | undefined;
  app.get(path, { endpoint: '__ctx' }, async () => {
    out = await fn();
    return '';
  });
  const rv = await app.testClient().get(path);
  if (rv.status !== 200) throw new Error(`inRequest: ${rv.status} ${rv.text}`);
  return out as T;
}

const allow = (rv: { headers: { get(name: string): string | null } }): string[] =>
  (rv.headers.get('Allow') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();

describe('flask tests/test_basic.py', () => {
  it('test_options_work', async () => {
    const app = flaskApp();
    app.route('/', { methods: ['GET', 'POST'] }, function index() {
      return 'Hello World';
    });
    const rv = await app.testClient().open('OPTIONS', '/');
    expect(allow(rv)).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
    expect(rv.text).toBe('');
  });

  it('test_options_on_multiple_rules', async () => {
    const app = flaskApp();
    app.route('/', { methods: ['GET', 'POST'] }, function index() {
      return 'Hello World';
    });
    app.route('/', { methods: ['PUT'] }, function index_put() {
      return 'Aha!';
    });
    expect(allow(await app.testClient().open('OPTIONS', '/'))).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
  });

  it('test_method_route', async () => {
    for (const method of ['get', 'post', 'put', 'delete', 'patch'] as const) {
      const app = flaskApp();
      app[method]('/', function hello() {
        return 'Hello';
      });
      expect((await app.testClient()[method]('/')).text).toBe('Hello');
    }
  });

  it('test_method_route_no_methods', () => {
    const app = flaskApp();
    expect(() => app.get('/', { methods: ['GET', 'POST'] } as never, () => '')).toThrow(TypeError);
  });

  it('test_provide_automatic_options_attr', async () => {
    // Flask reads view.provide_automatic_options; Flagon takes the same switch as a route option.
    const app = flaskApp();
    app.route('/', { provideAutomaticOptions: false }, function index() {
      return 'Hello World!';
    });
    expect((await app.testClient().open('OPTIONS', '/')).status).toBe(405);
  });

  it('test_provide_automatic_options_attr (methods=["OPTIONS"], provide_automatic_options=True)', async () => {
    const app = flaskApp();
    app.route('/', { methods: ['OPTIONS'], provideAutomaticOptions: true }, function index2() {
      return 'Hello World!';
    });
    expect(allow(await app.testClient().open('OPTIONS', '/'))).toEqual(['OPTIONS']);
  });

  it('test_provide_automatic_options_kwarg', async () => {
    const app = flaskApp();
    app.addUrlRule('/', {
      view: function index() {
        return request.method;
      },
      provideAutomaticOptions: false,
    });
    app.addUrlRule('/more', {
      view: function more() {
        return request.method;
      },
      methods: ['GET', 'POST'],
      provideAutomaticOptions: false,
    });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('GET');
    let rv = await client.post('/');
    expect(rv.status).toBe(405);
    expect(allow(rv)).toEqual(['GET', 'HEAD']);
    expect((await client.open('OPTIONS', '/')).status).toBe(405);
    rv = await client.head('/');
    expect(rv.status).toBe(200);
    expect(rv.text).toBe('');
    expect((await client.post('/more')).text).toBe('POST');
    expect((await client.get('/more')).text).toBe('GET');
    rv = await client.delete('/more');
    expect(rv.status).toBe(405);
    expect(allow(rv)).toEqual(['GET', 'HEAD', 'POST']);
    expect((await client.open('OPTIONS', '/more')).status).toBe(405);
  });

  it('test_request_dispatching', async () => {
    const app = flaskApp();
    app.route('/', {}, function index() {
      return request.method;
    });
    app.route('/more', { methods: ['GET', 'POST'] }, function more() {
      return request.method;
    });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('GET');
    let rv = await client.post('/');
    expect(rv.status).toBe(405);
    expect(allow(rv)).toEqual(['GET', 'HEAD', 'OPTIONS']);
    rv = await client.head('/');
    expect(rv.status).toBe(200);
    expect(rv.text).toBe('');
    expect((await client.post('/more')).text).toBe('POST');
    expect((await client.get('/more')).text).toBe('GET');
    rv = await client.delete('/more');
    expect(rv.status).toBe(405);
    expect(allow(rv)).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
  });

  it('test_disallow_string_for_allowed_methods', () => {
    const app = flaskApp();
    expect(() => app.addUrlRule('/', { methods: 'GET POST' as never, endpoint: 'test' })).toThrow(TypeError);
  });

  it('test_url_mapping', async () => {
    const app = flaskApp();
    const uuid = '7eb41166-9ebf-4d26-b771-ea3f54f8b383';
    app.addUrlRule('/', { endpoint: 'index', view: () => request.method });
    app.addUrlRule('/more', { endpoint: 'more', view: () => request.method, methods: ['GET', 'POST'] });
    app.addUrlRule('/options', { endpoint: 'options', view: () => uuid, methods: ['options'] });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('GET');
    let rv = await client.post('/');
    expect(rv.status).toBe(405);
    expect(allow(rv)).toEqual(['GET', 'HEAD', 'OPTIONS']);
    rv = await client.head('/');
    expect(rv.status).toBe(200);
    expect(rv.text).toBe('');
    expect((await client.post('/more')).text).toBe('POST');
    expect((await client.get('/more')).text).toBe('GET');
    rv = await client.delete('/more');
    expect(rv.status).toBe(405);
    expect(allow(rv)).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
    rv = await client.open('OPTIONS', '/options');
    expect(rv.status).toBe(200);
    expect(rv.text).toContain(uuid);
  });

  it.skip('test_werkzeug_routing', () => {
    /* N/A: app.url_map.add(Submount(...)) and app.view_functions are Werkzeug/Flask internals. */
  });

  it('test_endpoint_decorator', async () => {
    // Werkzeug's Submount is a prefix on the rule strings here.
    const app = flaskApp();
    app.addUrlRule('/foo/bar', { endpoint: 'bar' });
    app.addUrlRule('/foo/', { endpoint: 'index' });
    app.endpoint('bar', function bar() {
      return 'bar';
    });
    app.endpoint('index', function index() {
      return 'index';
    });
    const client = app.testClient();
    expect((await client.get('/foo/')).text).toBe('index');
    expect((await client.get('/foo/bar')).text).toBe('bar');
  });

  it('test_session_accessed', async () => {
    const app = flaskApp();
    app.post('/', async function do_set(req) {
      session.value = (await req.form()).get('value');
      return 'value set';
    });
    app.get('/', function do_get() {
      return String(session.value ?? 'None');
    });
    app.get('/nothing', function do_nothing() {
      return '';
    });
    const client = app.testClient();
    const vary = (rv: { headers: { get(n: string): string | null } }) => (rv.headers.get('Vary') ?? '').toLowerCase();
    await client.context(async () => {
      const rv = await client.get('/nothing');
      expect(vary(rv)).not.toContain('cookie');
      expect(session.accessed).toBe(false);
      expect(session.modified).toBe(false);
    });
    await client.context(async () => {
      const rv = await client.post('/', { form: { value: '42' } });
      expect(rv.text).toBe('value set');
      expect(vary(rv)).toContain('cookie');
      expect(session.accessed).toBe(true);
      expect(session.modified).toBe(true);
    });
    await client.context(async () => {
      const rv = await client.get('/');
      expect(rv.text).toBe('42');
      expect(vary(rv)).toContain('cookie');
      expect(session.accessed).toBe(true);
      expect(session.modified).toBe(false);
    });
    await client.context(async () => {
      const rv = await client.get('/nothing');
      expect(rv.text).toBe('');
      expect(vary(rv)).not.toContain('cookie');
      expect(session.accessed).toBe(false);
      expect(session.modified).toBe(false);
    });
  });

  it('test_session_path', async () => {
    const app = flaskApp({ APPLICATION_ROOT: '/foo' });
    app.route('/', {}, function index() {
      session.testing = 42;
      return 'Hello World';
    });
    const rv = await openWith(app, '/', { host: 'example.com:8080', scriptName: '/foo' });
    expect(rv.header('set-cookie')!.toLowerCase()).toContain('path=/foo');
  });

  it('test_session_using_application_root', async () => {
    const app = flaskApp({ APPLICATION_ROOT: '/bar' });
    app.route('/', {}, function index() {
      session.testing = 42;
      return 'Hello World';
    });
    const rv = await openWith(app, '/', { host: 'example.com:8080', scriptName: '/bar' });
    expect(rv.header('set-cookie')!.toLowerCase()).toContain('path=/bar');
  });

  it('test_session_using_session_settings', async () => {
    const app = flaskApp({
      SERVER_NAME: 'www.example.com:8080',
      APPLICATION_ROOT: '/test',
      SESSION_COOKIE_DOMAIN: '.example.com',
      SESSION_COOKIE_HTTPONLY: false,
      SESSION_COOKIE_SECURE: true,
      SESSION_COOKIE_PARTITIONED: true,
      SESSION_COOKIE_SAMESITE: 'Lax',
      SESSION_COOKIE_PATH: '/',
    });
    app.route('/', {}, function index() {
      session.testing = 42;
      return 'Hello World';
    });
    app.route('/clear', {}, function clear() {
      delete session.testing;
      return 'Goodbye World';
    });
    let rv = await openWith(app, '/', { host: 'www.example.com:8080', scriptName: '/test' });
    let cookie = rv.header('set-cookie')!.toLowerCase();
    expect(cookie.includes('domain=example.com') || cookie.includes('domain=.example.com')).toBe(true);
    expect(cookie).toContain('path=/');
    expect(cookie).toContain('secure');
    expect(cookie).not.toContain('httponly');
    expect(cookie).toContain('samesite');
    expect(cookie).toContain('partitioned');
    const sent = cookie.split(';')[0]!;
    rv = await openWith(app, '/clear', {
      host: 'www.example.com:8080',
      scriptName: '/test',
      headers: { Cookie: sent },
    });
    cookie = rv.header('set-cookie')!.toLowerCase();
    expect(cookie).toContain('session=;');
    expect(cookie.includes('domain=example.com') || cookie.includes('domain=.example.com')).toBe(true);
    expect(cookie).toContain('path=/');
    expect(cookie).toContain('secure');
    expect(cookie).toContain('samesite');
    expect(cookie).toContain('partitioned');
  });

  it('test_session_using_samesite_attribute', async () => {
    const app = flaskApp();
    app.route('/', {}, function index() {
      session.testing = 42;
      return 'Hello World';
    });
    const client = app.testClient();
    app.config.SESSION_COOKIE_SAMESITE = 'invalid' as never;
    await expect(client.get('/')).rejects.toThrow();
    app.config.SESSION_COOKIE_SAMESITE = null;
    expect((await client.get('/')).headers.get('set-cookie')!.toLowerCase()).not.toContain('samesite');
    app.config.SESSION_COOKIE_SAMESITE = 'Strict';
    expect((await client.get('/')).headers.get('set-cookie')!.toLowerCase()).toContain('samesite=strict');
    app.config.SESSION_COOKIE_SAMESITE = 'Lax';
    expect((await client.get('/')).headers.get('set-cookie')!.toLowerCase()).toContain('samesite=lax');
  });

  it('test_missing_session', async () => {
    const app = flaskApp({ SECRET_KEY: null });
    await inRequest(app, () => {
      expect(session.missing_key).toBeUndefined();
      expect(() => {
        session.foo = 42;
      }).toThrow(/SECRET_KEY/);
    });
  });

  it('test_session_secret_key_fallbacks', async () => {
    const app = flaskApp();
    app.post('/', function set_session() {
      session.a = 1;
      return '';
    });
    app.get('/', function get_session() {
      return { ...session.toJSON() };
    });
    const client = app.testClient();
    app.config.SECRET_KEY = '0 key';
    app.config.SECRET_KEY_FALLBACKS = ['-1 key', '-2 key'];
    await client.post('/');
    expect((await client.get('/')).json).toEqual({ a: 1 });
    app.config.SECRET_KEY = '? key';
    expect((await client.get('/')).json).toEqual({});
    app.config.SECRET_KEY = '+1 key';
    app.config.SECRET_KEY_FALLBACKS = ['0 key', '-1 key'];
    expect((await client.get('/')).json).toEqual({ a: 1 });
  });

  it('test_session_expiration', async () => {
    const app = flaskApp();
    let permanent = true;
    app.route('/', {}, function index() {
      session.test = 42;
      session.permanent = permanent;
      return '';
    });
    app.route('/test', {}, function test() {
      return permanent && session.permanent ? 'True' : String(session.permanent);
    });
    const client = app.testClient();
    let rv = await client.get('/');
    const setCookie = rv.headers.get('set-cookie')!;
    const expires = new Date(/expires=([^;]+)/i.exec(setCookie)![1]!);
    const expected = new Date(Date.now() + 31 * 24 * 3600 * 1000);
    expect([expires.getUTCFullYear(), expires.getUTCMonth(), expires.getUTCDate()]).toEqual([
      expected.getUTCFullYear(),
      expected.getUTCMonth(),
      expected.getUTCDate(),
    ]);
    expect((await client.get('/test')).text).toBe('True');
    permanent = false;
    rv = await client.get('/');
    expect(rv.headers.get('set-cookie')).not.toBeNull();
    expect(/\bexpires=/.exec(rv.headers.get('set-cookie')!)).toBeNull();
  });

  it('test_session_stored_last', async () => {
    const app = flaskApp();
    app.afterRequest((response) => {
      session.foo = 42;
      return response;
    });
    app.route('/', {}, function dump_session_contents() {
      return session.foo === undefined ? 'None' : String(session.foo);
    });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('None');
    expect((await client.get('/')).text).toBe('42');
  });

  // DIFFERENCE: the default cookie session is JSON: tuples, bytes, Markup, UUID and datetime do not round-trip as their own types (CookieSessionInterface({ format: 'flask' }) reads Flask's tagged format).
  it.fails('test_session_special_types', async () => {
    const app = flaskApp();
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    app.route('/', {}, function dump() {
      session.d = now;
      session.b = new Uint8Array([0xff]);
      return ['', 204];
    });
    app.route('/read', {}, function read() {
      return [String(session.d), 200];
    });
    const client = app.testClient();
    await client.get('/');
    await client.context(async () => {
      await client.get('/read');
      expect(session.d).toEqual(now);
      expect(session.b).toEqual(new Uint8Array([0xff]));
    });
  });

  it('test_session_cookie_setting', async () => {
    const app = flaskApp();
    let isPermanent = true;
    app.route('/bump', {}, function bump() {
      const rv = ((session.foo as number | undefined) ?? 0) + 1;
      session.foo = rv;
      session.permanent = isPermanent;
      return String(rv);
    });
    app.route('/read', {}, function read() {
      return String(session.foo ?? 0);
    });
    const runTest = async (expectHeader: boolean) => {
      const c = app.testClient();
      expect((await c.get('/bump')).text).toBe('1');
      expect((await c.get('/bump')).text).toBe('2');
      expect((await c.get('/bump')).text).toBe('3');
      const rv = await c.get('/read');
      expect(rv.headers.get('set-cookie') !== null).toBe(expectHeader);
      expect(rv.text).toBe('3');
    };
    for (const [permanent, refresh, expectHeader] of [
      [true, true, true],
      [true, false, false],
      [false, true, false],
      [false, false, false],
    ] as const) {
      isPermanent = permanent;
      app.config.SESSION_REFRESH_EACH_REQUEST = refresh;
      await runTest(expectHeader);
    }
  });

  it('test_session_vary_cookie', async () => {
    const app = flaskApp();
    app.route('/set', {}, function set_session() {
      session.test = 'test';
      return '';
    });
    app.route('/get', {}, function get() {
      return String(session.test ?? '');
    });
    app.route('/getitem', {}, function getitem() {
      return String(session.test);
    });
    app.route('/setdefault', {}, function setdefault() {
      session.test ??= 'default';
      return String(session.test);
    });
    app.route('/clear', {}, function clear() {
      session.clear();
      return '';
    });
    app.route('/vary-cookie-header-set', {}, function vary_cookie_header_set() {
      const response = new Response('');
      response.headers.set('Vary', 'Cookie');
      session.test = 'test';
      return response;
    });
    app.route('/vary-header-set', {}, function vary_header_set() {
      const response = new Response('');
      response.headers.set('Vary', 'Accept-Encoding, Accept-Language');
      session.test = 'test';
      return response;
    });
    app.route('/no-vary-header', {}, function no_vary_header() {
      return '';
    });
    const client = app.testClient();
    const check = async (path: string, headerValue: string | null = 'Cookie') => {
      const rv = await client.get(path);
      if (headerValue) {
        expect(rv.headers.getAll('Vary')).toHaveLength(1);
        expect(rv.headers.get('Vary')).toBe(headerValue);
      } else {
        expect(rv.headers.get('Vary')).toBeNull();
      }
    };
    await check('/set');
    await check('/get');
    await check('/getitem');
    await check('/setdefault');
    await check('/clear');
    await check('/vary-cookie-header-set');
    await check('/vary-header-set', 'Accept-Encoding, Accept-Language, Cookie');
    await check('/no-vary-header', null);
  });

  it('test_session_refresh_vary', async () => {
    const app = flaskApp();
    app.get('/login', function login() {
      session.user_id = 1;
      session.permanent = true;
      return '';
    });
    app.get('/ignored', function ignored() {
      return '';
    });
    const client = app.testClient();
    expect((await client.get('/login')).headers.get('Vary')).toBe('Cookie');
    expect((await client.get('/ignored')).headers.get('Vary')).toBe('Cookie');
  });

  it('test_flashes', async () => {
    const app = flaskApp();
    await inRequest(app, () => {
      expect(session.modified).toBe(false);
      flash('Zap');
      session.modified = false;
      flash('Zip');
      expect(session.modified).toBe(true);
      expect(getFlashedMessages()).toEqual(['Zap', 'Zip']);
    });
  });

  it('test_extended_flashing', async () => {
    // Markup has no counterpart: the third message is a plain string here.
    const app = flaskApp();
    const seen: Record<string, unknown> = {};
    app.route('/', {}, function index() {
      flash('Hello World');
      flash('Hello World', 'error');
      flash('<em>Testing</em>', 'warning');
      return '';
    });
    app.route('/test/', {}, function test() {
      seen.plain = getFlashedMessages();
      return '';
    });
    app.route('/test_with_categories/', {}, function test_with_categories() {
      seen.cats = getFlashedMessages({ withCategories: true });
      return '';
    });
    app.route('/test_filter/', {}, function test_filter() {
      seen.filter = getFlashedMessages({ categoryFilter: ['message'], withCategories: true });
      return '';
    });
    app.route('/test_filters/', {}, function test_filters() {
      seen.filters = getFlashedMessages({ categoryFilter: ['message', 'warning'], withCategories: true });
      return '';
    });
    app.route('/test_filters_without_returning_categories/', {}, function test_filters2() {
      seen.filters2 = getFlashedMessages({ categoryFilter: ['message', 'warning'] });
      return '';
    });
    for (const path of [
      '/test/',
      '/test_with_categories/',
      '/test_filter/',
      '/test_filters/',
      '/test_filters_without_returning_categories/',
    ]) {
      const client = app.testClient();
      await client.get('/');
      await client.get(path);
    }
    expect(seen.plain).toEqual(['Hello World', 'Hello World', '<em>Testing</em>']);
    expect(seen.cats).toEqual([
      ['message', 'Hello World'],
      ['error', 'Hello World'],
      ['warning', '<em>Testing</em>'],
    ]);
    expect(seen.filter).toEqual([['message', 'Hello World']]);
    expect(seen.filters).toEqual([
      ['message', 'Hello World'],
      ['warning', '<em>Testing</em>'],
    ]);
    expect(seen.filters2).toEqual(['Hello World', '<em>Testing</em>']);
  });

  it('test_request_processing', async () => {
    const app = flaskApp();
    const evts: string[] = [];
    app.beforeRequest(() => {
      evts.push('before');
    });
    app.afterRequest(async (response) => {
      response.setData(`${new TextDecoder().decode(await response.getData())}|after`);
      evts.push('after');
      return response;
    });
    app.route('/', {}, function index() {
      expect(evts).toContain('before');
      expect(evts).not.toContain('after');
      return 'request';
    });
    expect(evts).not.toContain('after');
    const rv = (await app.testClient().get('/')).text;
    expect(evts).toContain('after');
    expect(rv).toBe('request|after');
  });

  it('test_request_preprocessing_early_return', async () => {
    const app = flaskApp();
    const evts: Array<number | string> = [];
    app.beforeRequest(() => {
      evts.push(1);
    });
    app.beforeRequest(() => {
      evts.push(2);
      return 'hello';
    });
    app.beforeRequest(() => {
      evts.push(3);
      return 'bye';
    });
    app.route('/', {}, function index() {
      evts.push('index');
      return 'damnit';
    });
    expect((await app.testClient().get('/')).text.trim()).toBe('hello');
    expect(evts).toEqual([1, 2]);
  });

  it('test_after_request_processing', async () => {
    const app = flaskApp();
    app.route('/', {}, function index() {
      afterThisRequest((response) => {
        response.headers.set('X-Foo', 'a header');
        return response;
      });
      return 'Test';
    });
    const resp = await app.testClient().get('/');
    expect(resp.status).toBe(200);
    expect(resp.headers.get('X-Foo')).toBe('a header');
  });

  it('test_teardown_request_handler', async () => {
    const app = flaskApp();
    const called: boolean[] = [];
    app.teardownRequest(() => {
      called.push(true);
      return 'Ignored';
    });
    app.route('/', {}, function root() {
      return 'Response';
    });
    const rv = await app.testClient().get('/');
    expect(rv.status).toBe(200);
    expect(rv.text).toContain('Response');
    expect(called).toHaveLength(1);
  });

  it('test_teardown_request_handler_debug_mode', async () => {
    const app = flaskApp({ DEBUG: true });
    const called: boolean[] = [];
    app.teardownRequest(() => {
      called.push(true);
      return 'Ignored';
    });
    app.route('/', {}, function root() {
      return 'Response';
    });
    const rv = await app.testClient().get('/');
    expect(rv.status).toBe(200);
    expect(rv.text).toContain('Response');
    expect(called).toHaveLength(1);
  });

  it('test_teardown_request_handler_error', async () => {
    const app = flaskApp({ TESTING: false });
    class ZeroDivisionError extends Error {}
    const called: boolean[] = [];
    for (let i = 0; i < 2; i++) {
      app.teardownRequest((exc) => {
        expect(exc).toBeInstanceOf(ZeroDivisionError);
        called.push(true);
        try {
          throw new TypeError();
        } catch {
          /* a second error must not replace the one passed on */
        }
      });
    }
    app.route('/', {}, function fails() {
      throw new ZeroDivisionError();
    });
    const rv = await app.testClient().get('/');
    expect(rv.status).toBe(500);
    expect(rv.text).toContain('Internal Server Error');
    expect(called).toHaveLength(2);
  });

  it('test_before_after_request_order', async () => {
    const app = flaskApp();
    const called: number[] = [];
    app.beforeRequest(() => {
      called.push(1);
    });
    app.beforeRequest(() => {
      called.push(2);
    });
    app.afterRequest((r) => {
      called.push(4);
      return r;
    });
    app.afterRequest((r) => {
      called.push(3);
      return r;
    });
    app.teardownRequest(() => {
      called.push(6);
    });
    app.teardownRequest(() => {
      called.push(5);
    });
    app.route('/', {}, function index() {
      return '42';
    });
    expect((await app.testClient().get('/')).text).toBe('42');
    expect(called).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('test_error_handling', async () => {
    const app = flaskApp({ TESTING: false });
    app.errorHandler(404, () => ['not found', 404]);
    app.errorHandler(500, () => ['internal server error', 500]);
    app.errorHandler(Forbidden, () => ['forbidden', 403]);
    app.route('/', {}, function index() {
      abort(404);
    });
    app.route('/error', {}, function error() {
      throw new RangeError();
    });
    app.route('/forbidden', {}, function error2() {
      abort(403);
    });
    const client = app.testClient();
    let rv = await client.get('/');
    expect([rv.status, rv.text]).toEqual([404, 'not found']);
    rv = await client.get('/error');
    expect([rv.status, rv.text]).toEqual([500, 'internal server error']);
    rv = await client.get('/forbidden');
    expect([rv.status, rv.text]).toEqual([403, 'forbidden']);
  });

  it('test_error_handling_processing', async () => {
    const app = flaskApp({ TESTING: false });
    app.errorHandler(500, () => ['internal server error', 500]);
    app.route('/', {}, function broken_func() {
      throw new RangeError();
    });
    app.afterRequest((resp) => {
      resp.headers.set('Content-Type', 'text/x-special');
      return resp;
    });
    const resp = await app.testClient().get('/');
    expect(resp.headers.get('Content-Type')).toBe('text/x-special');
    expect(resp.text).toBe('internal server error');
  });

  it.skip('test_baseexception_error_handling', () => {
    /* N/A: KeyboardInterrupt/BaseException is Python's. */
  });

  it('test_before_request_and_routing_errors', async () => {
    const app = flaskApp();
    app.beforeRequest(() => {
      g.something = 'value';
    });
    app.errorHandler(404, () => [String(g.something), 404]);
    const rv = await app.testClient().get('/');
    expect(rv.status).toBe(404);
    expect(rv.text).toBe('value');
  });

  it('test_user_error_handling', async () => {
    const app = flaskApp();
    class MyException extends Error {}
    app.errorHandler(MyException, (e) => {
      expect(e).toBeInstanceOf(MyException);
      return '42';
    });
    app.route('/', {}, function index() {
      throw new MyException();
    });
    expect((await app.testClient().get('/')).text).toBe('42');
  });

  it('test_http_error_subclass_handling', async () => {
    const app = flaskApp();
    class ForbiddenSubclass extends Forbidden {}
    app.errorHandler(ForbiddenSubclass, (e) => {
      expect(e).toBeInstanceOf(ForbiddenSubclass);
      return 'banana';
    });
    app.errorHandler(403, (e) => {
      expect(e).not.toBeInstanceOf(ForbiddenSubclass);
      expect(e).toBeInstanceOf(Forbidden);
      return 'apple';
    });
    app.route('/1', {}, function index1() {
      throw new ForbiddenSubclass();
    });
    app.route('/2', {}, function index2() {
      abort(403);
    });
    app.route('/3', {}, function index3() {
      throw new Forbidden();
    });
    const client = app.testClient();
    expect((await client.get('/1')).text).toBe('banana');
    expect((await client.get('/2')).text).toBe('apple');
    expect((await client.get('/3')).text).toBe('apple');
  });

  it('test_errorhandler_precedence', async () => {
    // Python's multiple inheritance (E3(E1, E2)) has no JS form; single inheritance keeps the point: the nearest class wins.
    const app = flaskApp();
    class E1 extends Error {}
    class E2 extends Error {}
    class E3 extends E2 {}
    app.errorHandler(E2, () => 'E2');
    app.errorHandler(Error, () => 'Exception');
    app.route('/E1', {}, function raise_e1() {
      throw new E1();
    });
    app.route('/E3', {}, function raise_e3() {
      throw new E3();
    });
    const client = app.testClient();
    expect((await client.get('/E1')).text).toBe('Exception');
    expect((await client.get('/E3')).text).toBe('E2');
  });

  // MISSING: TRAP_BAD_REQUEST_ERRORS and a KeyError-that-is-a-BadRequest for request.form['missing'] (form access is async and returns undefined).
  it.skip('test_trap_bad_request_key_error', () => {});

  it('test_trapping_of_all_http_exceptions', async () => {
    const app = flaskApp({ TRAP_HTTP_EXCEPTIONS: true });
    app.route('/fail', {}, function fail() {
      abort(404);
    });
    await expect(app.testClient().get('/fail')).rejects.toBeInstanceOf(NotFound);
  });

  it('test_error_handler_after_processor_error', async () => {
    const app = flaskApp({ TESTING: false });
    let trigger = '';
    app.beforeRequest(() => {
      if (trigger === 'before') throw new RangeError();
    });
    app.afterRequest((response) => {
      if (trigger === 'after') throw new RangeError();
      return response;
    });
    app.route('/', {}, function index() {
      return 'Foo';
    });
    app.errorHandler(500, () => ['Hello Server Error', 500]);
    const client = app.testClient();
    for (trigger of ['before', 'after']) {
      const rv = await client.get('/');
      expect(rv.status).toBe(500);
      expect(rv.text).toBe('Hello Server Error');
    }
  });

  it.skip('test_enctype_debug_helper', () => {
    /* N/A: DebugFilesKeyError comes from request.files['x'] raising KeyError; files() is async and get() returns undefined. */
  });

  it('test_response_types', async () => {
    const app = flaskApp();
    app.route('/text', {}, function from_text() {
      return 'Hällo Wörld';
    });
    app.route('/bytes', {}, function from_bytes() {
      return new TextEncoder().encode('Hällo Wörld');
    });
    app.route('/full_tuple', {}, function from_full_tuple() {
      return ['Meh', 400, { 'X-Foo': 'Testing', 'Content-Type': 'text/plain; charset=utf-8' }];
    });
    app.route('/text_headers', {}, function from_text_headers() {
      return ['Hello', { 'X-Foo': 'Test', 'Content-Type': 'text/plain; charset=utf-8' }];
    });
    app.route('/text_status', {}, function from_text_status() {
      return ['Hi, status!', 400];
    });
    app.route('/response_headers', {}, function from_response_headers() {
      return [
        new Response('Hello world', { status: 404, headers: { 'Content-Type': 'text/html', 'X-Foo': 'Baz' } }),
        { 'Content-Type': 'text/plain', 'X-Foo': 'Bar', 'X-Bar': 'Foo' },
      ];
    });
    app.route('/response_status', {}, function from_response_status() {
      return [new Response('Hello world', { status: 400 }), 500];
    });
    app.route('/wsgi', {}, function from_wsgi() {
      return new NotFound().gatewayApp;
    });
    app.route('/dict', {}, function from_dict() {
      return [{ foo: 'bar' }, 201];
    });
    app.route('/list', {}, function from_list() {
      return [['foo', 'bar'], 201];
    });
    const client = app.testClient();
    expect((await client.get('/text')).text).toBe('Hällo Wörld');
    expect((await client.get('/bytes')).text).toBe('Hällo Wörld');
    let rv = await client.get('/full_tuple');
    expect([rv.text, rv.headers.get('X-Foo'), rv.status]).toEqual(['Meh', 'Testing', 400]);
    expect(rv.headers.get('Content-Type')).toMatch(/^text\/plain/);
    rv = await client.get('/text_headers');
    expect([rv.text, rv.headers.get('X-Foo'), rv.status]).toEqual(['Hello', 'Test', 200]);
    expect(rv.headers.get('Content-Type')).toMatch(/^text\/plain/);
    rv = await client.get('/text_status');
    expect([rv.text, rv.status]).toEqual(['Hi, status!', 400]);
    expect(rv.headers.get('Content-Type')).toMatch(/^text\/html/);
    rv = await client.get('/response_headers');
    expect(rv.text).toBe('Hello world');
    expect(rv.headers.get('Content-Type')).toBe('text/plain');
    expect(rv.headers.getAll('X-Foo')).toEqual(['Bar']);
    expect(rv.headers.get('X-Bar')).toBe('Foo');
    expect(rv.status).toBe(404);
    rv = await client.get('/response_status');
    expect([rv.text, rv.status]).toEqual(['Hello world', 500]);
    rv = await client.get('/wsgi');
    expect(rv.text).toContain('Not Found');
    expect(rv.status).toBe(404);
    rv = await client.get('/dict');
    expect([rv.json, rv.status]).toEqual([{ foo: 'bar' }, 201]);
    rv = await client.get('/list');
    expect([rv.json, rv.status]).toEqual([['foo', 'bar'], 201]);
  });

  it('test_response_type_errors', async () => {
    const app = flaskApp();
    app.route('/none', {}, function from_none() {
      return undefined as never;
    });
    app.route('/bad_type', {}, function from_bad_type() {
      return true as never;
    });
    const c = app.testClient();
    const none = await c.get('/none').then(
      () => null,
      (e: Error) => e,
    );
    expect(none!.message).toContain('from_none');
    expect(none!.message).toMatch(/returned|undefined/);
    const bad = await c.get('/bad_type').then(
      () => null,
      (e: Error) => e,
    );
    expect(bad!.message).toMatch(/boolean|bool/);
    // The small/large tuple cases: an array that is not a (body, status|headers) tuple is JSON in Flagon (docs/app.md).
  });

  // DIFFERENCE: a bad return value throws FlagonError (code FLAGON_ERR_BAD_RETURN), not a TypeError.
  it.fails('test_response_type_errors (TypeError)', async () => {
    const app = flaskApp();
    app.route('/none', {}, function from_none() {
      return undefined as never;
    });
    await expect(app.testClient().get('/none')).rejects.toBeInstanceOf(TypeError);
  });

  it('test_make_response', async () => {
    const app = flaskApp();
    await inRequest(app, async () => {
      let rv = await makeResponse('');
      expect([rv.status, new TextDecoder().decode(await rv.getData()), rv.mimetype]).toEqual([200, '', 'text/html']);
      rv = await makeResponse('Awesome');
      expect([rv.status, new TextDecoder().decode(await rv.getData()), rv.mimetype]).toEqual([
        200,
        'Awesome',
        'text/html',
      ]);
      rv = await makeResponse('W00t', 404);
      expect([rv.status, new TextDecoder().decode(await rv.getData()), rv.mimetype]).toEqual([
        404,
        'W00t',
        'text/html',
      ]);
      rv = await makeResponse(
        (function* () {
          yield* 'Hello';
        })(),
      );
      expect([rv.status, new TextDecoder().decode(await rv.getData()), rv.mimetype]).toEqual([
        200,
        'Hello',
        'text/html',
      ]);
    });
  });

  it('test_make_response_with_response_instance', async () => {
    const app = flaskApp();
    await inRequest(app, async () => {
      let rv = await makeResponse(jsonify({ msg: 'W00t' }), 400);
      expect([rv.status, new TextDecoder().decode(await rv.getData()), rv.mimetype]).toEqual([
        400,
        '{"msg":"W00t"}\n',
        'application/json',
      ]);
      rv = await makeResponse(new Response(''), 400);
      expect([rv.status, new TextDecoder().decode(await rv.getData()), rv.mimetype]).toEqual([400, '', 'text/html']);
      rv = await makeResponse(new Response('', { headers: { 'Content-Type': 'text/html' } }), 400, [['X-Foo', 'bar']]);
      expect([rv.status, rv.headers.get('Content-Type'), rv.headers.get('X-Foo')]).toEqual([400, 'text/html', 'bar']);
    });
  });

  it.skip('test_jsonify_no_prettyprint', () => {
    /* N/A: app.json provider classes (compact). */
  });
  it.skip('test_jsonify_mimetype', () => {
    /* N/A: app.json provider classes (mimetype). */
  });
  it.skip('test_json_dump_dataclass', () => {
    /* N/A: Python dataclasses. */
  });
  it.skip('test_jsonify_args_and_kwargs_check', () => {
    /* N/A: Python args/kwargs. */
  });

  it('test_url_generation', async () => {
    const app = flaskApp();
    app.route('/hello/<name>', { methods: ['POST'] }, function hello() {
      return '';
    });
    await inRequest(app, () => {
      expect(urlFor('hello', { name: 'test x' })).toBe('/hello/test%20x');
      expect(urlFor('hello', { name: 'test x' }, { external: true })).toBe('http://localhost/hello/test%20x');
    });
  });

  it('test_build_error_handler (base case)', async () => {
    const app = flaskApp();
    await inRequest(app, () => {
      expect(() => urlFor('spam')).toThrow(/spam/);
    });
  });

  it('test_build_error_handler', async () => {
    const app = flaskApp();
    app.urlBuildErrorHandlers.push(() => '/test_handler/');
    await inRequest(app, () => {
      expect(urlFor('spam')).toBe('/test_handler/');
    });
  });

  it('test_build_error_handler_reraise', async () => {
    const app = flaskApp();
    app.urlBuildErrorHandlers.push((error) => {
      throw error;
    });
    await inRequest(app, () => {
      expect(() => urlFor('not.existing')).toThrow(BuildError);
    });
  });

  // Flagon passes the options apart from the values, so the handler sees only the values (Flask: the `_` keywords too).
  it('test_url_for_passes_special_values_to_build_error_handler', async () => {
    const app = flaskApp();
    let seen: unknown = null;
    app.urlBuildErrorHandlers.push((_error, _endpoint, values) => {
      seen = values;
      return 'handled';
    });
    await inRequest(app, () => {
      expect(urlFor('/')).toBe('handled');
    });
    expect(seen).toEqual({});
  });

  it('test_static_files', async () => {
    const app = new App(import.meta.url, { config: { TESTING: true } });
    expect(await inRequest(app, () => urlFor('static', { filename: 'index.html' }))).toBe('/static/index.html');
    const rv = await app.testClient().get('/static/index.html');
    expect(rv.status).toBe(200);
    expect(rv.text.trim()).toBe('<h1>Hello World!</h1>');
  });

  it('test_static_url_path', async () => {
    const app = new App(import.meta.url, { config: { TESTING: true }, staticUrlPath: '/foo' });
    expect(await inRequest(app, () => urlFor('static', { filename: 'index.html' }))).toBe('/foo/index.html');
    expect((await app.testClient().get('/foo/index.html')).status).toBe(200);
  });

  it('test_static_url_path_with_ending_slash', async () => {
    const app = new App(import.meta.url, { config: { TESTING: true }, staticUrlPath: '/foo/' });
    expect(await inRequest(app, () => urlFor('static', { filename: 'index.html' }))).toBe('/foo/index.html');
    expect((await app.testClient().get('/foo/index.html')).status).toBe(200);
  });

  it('test_static_url_empty_path', async () => {
    const app = new App(import.meta.url, { staticFolder: '', staticUrlPath: '' });
    expect((await app.testClient().get('/static/index.html')).status).toBe(200);
  });

  it('test_static_url_empty_path_default', async () => {
    const app = new App(import.meta.url, { staticFolder: '' });
    expect((await app.testClient().get('/static/index.html')).status).toBe(200);
  });

  it.skip('test_static_folder_with_pathlib_path', () => {
    /* N/A: pathlib.Path. */
  });

  it('test_static_folder_with_ending_slash', async () => {
    const app = new App(import.meta.url, { staticFolder: 'static/' });
    app.route('/<path:path>', {}, function catch_all(req) {
      return String(req.params.path);
    });
    expect((await app.testClient().get('/catch/all')).text).toBe('catch/all');
  });

  it('test_static_route_with_host_matching', async () => {
    // Flask's root_path is the tests folder, whose static/ holds index.html; here it is test/conformance/static.
    const app = new App(import.meta.url, { hostMatching: true, staticHost: 'example.com' });
    // Flask's test_request_context() is a view here, added before the first request.
    app.get('/__ctx', { host: 'example.com' }, () => urlFor('static', { filename: 'index.html', _external: true }));
    const rv = await openWith(app, '/static/index.html', { host: 'example.com' });
    expect(rv.statusCode).toBe(200);

    expect((await openWith(app, '/__ctx', { host: 'example.com' })).text).toBe('http://example.com/static/index.html');
    // Providing static_host without host_matching=True should error (Flask's AssertionError).
    expect(() => new App(import.meta.url, { staticHost: 'example.com' })).toThrow(/hostMatching: true/);
    // Providing host_matching=True with static_folder but without static_host should error.
    expect(() => new App(import.meta.url, { hostMatching: true })).toThrow(/staticHost/);
    // Providing host_matching=True without static_host but with static_folder=None should not error.
    expect(new App(import.meta.url, { hostMatching: true, staticFolder: null }).staticFolder).toBeNull();
  });

  it.skip('test_request_locals', () => {
    /* N/A: LocalProxy repr and truthiness. */
  });

  /** Flask's test_server_name_matching app: a host rule with a default, and a subdomain or host rule per name. */
  function serverNameMatchingApp(subdomainMatching: boolean, hostMatching: boolean): App {
    const app = new App(import.meta.url, {
      config: { TESTING: true },
      subdomainMatching,
      hostMatching,
      ...(hostMatching ? { staticHost: 'example.test' } : {}),
      staticFolder: null,
    });
    app.config.SERVER_NAME = 'example.test';
    const index = (req: { params: { name?: unknown } }) => String(req.params.name);
    app.route('/', { defaults: { name: 'default' }, host: '<name>' }, index);
    app.route('/', { subdomain: '<name>', host: '<name>.example.test' }, index);
    return app;
  }

  // DIFFERENCE: two things of Werkzeug's differ here. Without host_matching, Werkzeug ignores a rule's host; Flagon
  // matches it (a rule's host is honoured with or without the switch), so the first rule answers 'example.test'. And
  // Werkzeug's Rule.match lets a rule's defaults replace what its pattern matched, so `host='<name>'` with
  // defaults name='default' gives 'default' on any host; Flagon keeps the matched value. The host-matching case that
  // does not depend on either is the row below.
  it.fails('test_server_name_matching', async () => {
    const cases: Array<
      [subdomainMatching: boolean, hostMatching: boolean, expectSubdomain: string, expectHost: string]
    > = [
      [false, false, 'default', 'default'],
      [true, false, 'abc', '<invalid>'],
      [false, true, 'abc', 'default'],
    ];
    for (const [subdomainMatching, hostMatching, expectSubdomain, expectHost] of cases) {
      const app = serverNameMatchingApp(subdomainMatching, hostMatching);
      expect((await openWith(app, '/', { host: 'example.test' })).text).toBe('default');
      expect((await openWith(app, '/', { host: 'abc.example.test' })).text).toBe(expectSubdomain);
      const other = await openWith(app, '/', { host: 'xyz.other.test' });
      if (expectHost === '<invalid>') expect(other.statusCode).toBe(404);
      else expect(other.text).toBe(expectHost);
    }
  });

  it('test_server_name_matching (host_matching: the host rule of a subdomain)', async () => {
    const app = serverNameMatchingApp(false, true);
    expect((await openWith(app, '/', { host: 'abc.example.test' })).text).toBe('abc');
  });

  it('test_server_name_subdomain (the default subdomain)', async () => {
    const app = flaskApp();
    app.config.SERVER_NAME = 'dev.local:5000';
    app.route('/', {}, function index() {
      return 'default';
    });
    app.route('/', { subdomain: 'foo' }, function subdomain() {
      return 'subdomain';
    });
    expect((await app.testClient().get('/')).text).toBe('default');
    expect((await openWith(app, '/', { host: 'dev.local:5000' })).text).toBe('default');
    expect((await openWith(app, '/', { host: 'dev.local:5000', scheme: 'https' })).text).toBe('default');
    expect((await openWith(app, '/', { host: 'dev.local', scheme: 'https' })).text).toBe('default');
  });

  it('test_server_name_subdomain', async () => {
    // Flagon needs SERVER_NAME before a subdomain rule is added, so it is set first; later changes apply as in Flask.
    const app = flaskApp();
    app.subdomainMatching = true; // as Flask's test: subdomain_matching=True
    app.config.SERVER_NAME = 'dev.local:5000';
    app.route('/', {}, function index() {
      return 'default';
    });
    app.route('/', { subdomain: 'foo' }, function subdomain() {
      return 'subdomain';
    });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('default');
    expect((await openWith(app, '/', { host: 'dev.local:5000' })).text).toBe('default');
    expect((await openWith(app, '/', { host: 'dev.local:5000', scheme: 'https' })).text).toBe('default');
    app.config.SERVER_NAME = 'dev.local:443';
    expect((await openWith(app, '/', { host: 'dev.local', scheme: 'https' })).text).toBe('default');
    app.config.SERVER_NAME = 'dev.local';
    expect((await openWith(app, '/', { host: 'dev.local', scheme: 'https' })).text).toBe('default');
    expect((await openWith(app, '/', { host: 'foo.localhost' })).statusCode).toBe(404);
    expect((await openWith(app, '/', { host: 'foo.dev.local' })).text).toBe('subdomain');
  });

  it('test_exception_propagation', async () => {
    for (const key of ['TESTING', 'PROPAGATE_EXCEPTIONS', 'DEBUG', null] as const) {
      const app = flaskApp({ TESTING: false });
      class ZeroDivisionError extends Error {}
      app.route('/', {}, function index() {
        throw new ZeroDivisionError();
      });
      if (key !== null) {
        app.config[key] = true;
        await expect(app.testClient().get('/')).rejects.toBeInstanceOf(ZeroDivisionError);
      } else {
        expect((await app.testClient().get('/')).status).toBe(500);
      }
    }
  });

  it.skip('test_werkzeug_passthrough_errors', () => {
    /* N/A: mocks werkzeug.serving.run_simple. */
  });

  it('test_url_processors', async () => {
    const app = flaskApp();
    app.urlDefaults((endpoint, values) => {
      if (
        g.lang_code !== undefined &&
        g.lang_code !== null &&
        app.router.rulesFor(endpoint).some((r) => r.arguments.has('lang_code'))
      )
        values.lang_code ??= g.lang_code;
    });
    app.urlValuePreprocessor((_endpoint, values) => {
      g.lang_code = values.lang_code ?? null;
      delete values.lang_code;
    });
    app.route('/<lang_code>/', {}, function index() {
      return urlFor('about');
    });
    app.route('/<lang_code>/about', {}, function about() {
      return urlFor('something_else');
    });
    app.route('/foo', {}, function something_else() {
      return urlFor('about', { lang_code: 'en' });
    });
    const client = app.testClient();
    expect((await client.get('/de/')).text).toBe('/de/about');
    expect((await client.get('/de/about')).text).toBe('/foo');
    expect((await client.get('/foo')).text).toBe('/en/about');
  });

  it('test_inject_blueprint_url_defaults', async () => {
    // app.inject_url_defaults() is not public in Flagon; the url_for half of the test is ported.
    const app = flaskApp();
    const bp = new Blueprint('foo', import.meta.url);
    bp.urlDefaults((_endpoint, values) => {
      values.page = 'login';
    });
    bp.route('/<page>', {}, function view() {
      return '';
    });
    app.registerBlueprint(bp);
    expect(await inRequest(app, () => urlFor('foo.view'), '/somepage/x')).toBe('/login');
  });

  it('test_nonascii_pathinfo', async () => {
    const app = flaskApp();
    app.route('/киртест', {}, function index() {
      return 'Hello World!';
    });
    expect((await app.testClient().get('/киртест')).text).toBe('Hello World!');
  });

  it('test_no_setup_after_first_request', async () => {
    const app = flaskApp({ DEBUG: true });
    app.route('/', {}, function index() {
      return 'Awesome';
    });
    expect((await app.testClient().get('/')).text).toBe('Awesome');
    expect(() => app.addUrlRule('/foo', { endpoint: 'late', view: () => '' })).toThrow(/addUrlRule/);
  });

  it('test_routing_redirect_debugging', async () => {
    // The 301/302 half (monkeypatched RequestRedirect.code with a debug assertion) does not apply.
    const app = flaskApp({ DEBUG: true });
    app.route('/user/', { methods: ['GET', 'POST'] }, async function user(req) {
      return String((await req.form()).get('status'));
    });
    expect((await app.testClient().post('/user', { form: { status: 'success' }, followRedirects: true })).text).toBe(
      'success',
    );
  });

  it('test_route_decorator_custom_endpoint', async () => {
    const app = flaskApp({ DEBUG: true });
    app.route('/foo/', {}, function foo() {
      return String(request.endpoint);
    });
    app.route('/bar/', { endpoint: 'bar' }, function for_bar() {
      return String(request.endpoint);
    });
    app.route('/bar/123', { endpoint: '123' }, function for_bar_foo() {
      return String(request.endpoint);
    });
    expect(await inRequest(app, () => [urlFor('foo'), urlFor('bar'), urlFor('123')])).toEqual([
      '/foo/',
      '/bar/',
      '/bar/123',
    ]);
    const client = app.testClient();
    expect((await client.get('/foo/')).text).toBe('foo');
    expect((await client.get('/bar/')).text).toBe('bar');
    expect((await client.get('/bar/123')).text).toBe('123');
  });

  it('test_get_method_on_g', async () => {
    // g is a plain object in Flagon: g.get('x', 11) is `g.x ?? 11`.
    const app = flaskApp();
    await app.appContext().run(() => {
      expect(g.x).toBeUndefined();
      expect(g.x ?? 11).toBe(11);
      g.x = 42;
      expect(g.x).toBe(42);
    });
  });

  it('test_g_iteration_protocol', async () => {
    const app = flaskApp();
    await app.appContext().run(() => {
      g.foo = 23;
      g.bar = 42;
      expect('foo' in g).toBe(true);
      expect('foos' in g).toBe(false);
      expect(Object.keys(g).sort()).toEqual(['bar', 'foo']);
    });
  });

  it('test_subdomain_basic_support', async () => {
    const app = flaskApp({ SERVER_NAME: 'localhost.localdomain' });
    app.subdomainMatching = true; // as Flask's test: subdomain_matching=True
    app.route('/', {}, function normal_index() {
      return 'normal index';
    });
    app.route('/', { subdomain: 'test' }, function test_index() {
      return 'test index';
    });
    expect((await openWith(app, '/', { host: 'localhost.localdomain' })).text).toBe('normal index');
    expect((await openWith(app, '/', { host: 'test.localhost.localdomain' })).text).toBe('test index');
  });

  it('test_subdomain_matching', async () => {
    const app = flaskApp({ SERVER_NAME: 'localhost.localdomain' });
    app.subdomainMatching = true; // as Flask's test: subdomain_matching=True
    app.route('/', { subdomain: '<user>' }, function index(req) {
      return `index for ${String((req.params as Record<string, unknown>).user)}`;
    });
    expect((await openWith(app, '/', { host: 'mitsuhiko.localhost.localdomain' })).text).toBe('index for mitsuhiko');
  });

  it('test_subdomain_matching_with_ports', async () => {
    const app = flaskApp({ SERVER_NAME: 'localhost.localdomain:3000' });
    app.subdomainMatching = true; // as Flask's test: subdomain_matching=True
    app.route('/', { subdomain: '<user>' }, function index(req) {
      return `index for ${String((req.params as Record<string, unknown>).user)}`;
    });
    expect((await openWith(app, '/', { host: 'mitsuhiko.localhost.localdomain:3000' })).text).toBe(
      'index for mitsuhiko',
    );
  });

  it('test_subdomain_matching_other_name (matching=False)', async () => {
    const app = flaskApp({ SERVER_NAME: 'localhost.localdomain:3000' });
    app.route('/', {}, function index() {
      return ['', 204];
    });
    expect((await openWith(app, '/', { host: '127.0.0.1:3000' })).statusCode).toBe(204);
    expect((await openWith(app, '/', { host: 'www.localhost.localdomain:3000' })).statusCode).toBe(204);
  });

  it('test_subdomain_matching_other_name (matching=True)', async () => {
    const app = flaskApp({ SERVER_NAME: 'localhost.localdomain:3000' });
    app.subdomainMatching = true;
    app.route('/', {}, function index() {
      return ['', 204];
    });
    expect((await openWith(app, '/', { host: '127.0.0.1:3000' })).statusCode).toBe(404);
    expect((await openWith(app, '/', { host: 'www.localhost.localdomain:3000' })).statusCode).toBe(404);
  });

  it('test_multi_route_rules', async () => {
    const app = flaskApp();
    const index = (req: { params: Record<string, unknown> }) => String(req.params.test ?? 'a');
    app.addUrlRule('/', { endpoint: 'index', view: index as never });
    app.addUrlRule('/<test>/', { endpoint: 'index', view: index as never });
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('a');
    expect((await client.get('/b/')).text).toBe('b');
  });

  it('test_multi_route_class_views', async () => {
    const app = flaskApp();
    class View {
      constructor(a: App) {
        a.addUrlRule('/', { endpoint: 'index', view: this.index as never });
        a.addUrlRule('/<test>/', { endpoint: 'index', view: this.index as never });
      }
      index(req: { params: Record<string, unknown> }) {
        return String(req.params.test ?? 'a');
      }
    }
    new View(app);
    const client = app.testClient();
    expect((await client.get('/')).text).toBe('a');
    expect((await client.get('/b/')).text).toBe('b');
  });

  it.skip('test_run_defaults', () => {
    /* N/A: mocks werkzeug.serving.run_simple. */
  });
  it.skip('test_run_server_port', () => {
    /* N/A: mocks werkzeug.serving.run_simple. */
  });
  it.skip('test_run_from_config', () => {
    /* N/A: mocks werkzeug.serving.run_simple. */
  });

  it('test_max_cookie_size', async () => {
    // Flask also checks Response().max_cookie_size inside an app context; a Flagon Response gets the app's value
    // when the app sends it, so that half is not ported.
    const app = flaskApp({ MAX_COOKIE_SIZE: 100 });
    app.route('/', {}, function index() {
      const r = new Response('', { status: 204 });
      r.setCookie('foo', 'bar'.repeat(100));
      return r;
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => {
      warnings.push(w.message);
    };
    process.on('warning', onWarning);
    try {
      const client = app.testClient();
      await client.get('/');
      // process warnings are emitted on the next tick: wait one turn of the event loop for the event
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/'foo' cookie is \d+ bytes, more than the limit of 100/);
      warnings.length = 0;
      app.config.MAX_COOKIE_SIZE = 0;
      await client.get('/');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toHaveLength(0);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it.skip('test_app_freed_on_zero_refcount', () => {
    /* N/A: CPython reference counting. */
  });
});
