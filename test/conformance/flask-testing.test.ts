/**
 * Port of Flask's tests/test_testing.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65) to Flagon. BSD-3-Clause, Copyright 2010 Pallets: see
 * LICENSE-pallets.txt. `with client:` is `client.context(fn)`; `app.test_request_context()` is `inRequest` (a real
 * request through the test client, so what Flask reads off `ctx.request` is read inside that request); Werkzeug's
 * `EnvironBuilder` is `createEnviron` and `client.open(environ)` is `runApp(app.gatewayApp, environ)`.
 */
import { describe, expect, it } from 'vitest';
import { App, Blueprint, FlagonError, g, jsonify, redirect, request, session, urlFor } from 'flagon';
import { createEnviron, runApp } from 'flagon/testing';
import { flaskApp } from './support.js';
import { inRequest, rejection } from './flask-context.js';

const decode = (body: Uint8Array): string => new TextDecoder().decode(body);

describe('flask tests/test_testing.py', () => {
  it('test_environ_defaults_from_config', async () => {
    const app = flaskApp({ SERVER_NAME: 'example.com:1234', APPLICATION_ROOT: '/foo' });
    app.route('/', {}, function index() {
      return request.url;
    });
    expect(await inRequest(app, () => request.url)).toBe('http://example.com:1234/foo/');
    expect((await app.testClient().get('/')).text).toBe('http://example.com:1234/foo/');
  });

  it('test_environ_defaults', async () => {
    const app = flaskApp();
    app.route('/', {}, function index() {
      return request.url;
    });
    expect(await inRequest(app, () => request.url, '/?ctx')).toBe('http://localhost/?ctx');
    const client = app.testClient();
    await client.context(async () => {
      expect((await client.get('/')).text).toBe('http://localhost/');
    });
  });

  it('test_environ_base_default', async () => {
    const app = flaskApp();
    app.route('/', {}, function index() {
      g.remote_addr = request.remoteAddr;
      g.user_agent = request.headers.get('User-Agent');
      return '';
    });
    const client = app.testClient();
    await client.context(async () => {
      await client.get('/');
      expect(g.remote_addr).toBe('127.0.0.1');
    });
  });

  // DIFFERENCE: the test client sends no User-Agent; Werkzeug's sends 'Werkzeug/<version>'.
  it.fails('test_environ_base_default (User-Agent)', async () => {
    const app = flaskApp();
    app.route('/', {}, function index() {
      return request.headers.get('User-Agent') ?? '';
    });
    expect((await app.testClient().get('/')).text).toMatch(/^\S+\/\d/);
  });

  // MISSING: client.environ_base (environ values the test client puts in every request, e.g. REMOTE_ADDR, HTTP_USER_AGENT).
  it.skip('test_environ_base_modified', () => {});

  it('test_client_open_environ', async () => {
    const app = flaskApp();
    app.route('/index', {}, function index() {
      return request.remoteAddr;
    });
    let rv = await runApp(app.gatewayApp, createEnviron('/index', { method: 'GET' }));
    expect(decode(rv.body)).toBe('127.0.0.1');
    // Flask changes client.environ_base and reopens the environ; here the environ is built with that address.
    rv = await runApp(app.gatewayApp, createEnviron('/index', { method: 'GET', remoteAddr: '127.0.0.2' }));
    expect(decode(rv.body)).toBe('127.0.0.2');
  });

  it('test_specify_url_scheme', async () => {
    const app = flaskApp();
    app.route('/', {}, function index() {
      return request.url;
    });
    expect(await inRequest(app, () => request.url, '/?ctx', { scheme: 'https' })).toBe('https://localhost/?ctx');
    expect((await app.testClient().get('/', { scheme: 'https' })).text).toBe('https://localhost/');
  });

  it('test_path_is_url', async () => {
    // EnvironBuilder(app, "https://example.com/") is the test client given a URL; what the builder would hold is
    // what the request sees.
    const app = flaskApp();
    app.route('/', {}, function index() {
      return '';
    });
    const client = app.testClient();
    await client.context(async () => {
      await client.get('https://example.com/');
      expect(request.scheme).toBe('https');
      expect(request.host).toBe('example.com');
      expect(request.scriptRoot).toBe('');
      expect(request.path).toBe('/');
    });
  });

  it('test_environbuilder_json_dumps', async () => {
    // Flask turns app.json.ensure_ascii off for this; JSON.stringify never escapes non-ASCII, so the body is as sent.
    const app = flaskApp();
    app.route('/', { methods: ['POST'] }, async function echo(req) {
      return decode(await req.bytes());
    });
    expect((await app.testClient().post('/', { json: '\u20ac' })).text).toBe('"\u20ac"');
  });

  it('test_blueprint_with_subdomain', async () => {
    const app = new App(import.meta.url, {
      staticFolder: null,
      subdomainMatching: true,
      config: { SERVER_NAME: 'example.com:1234', APPLICATION_ROOT: '/foo' },
    });
    const client = app.testClient();
    const bp = new Blueprint('company', import.meta.url, { subdomain: 'xxx' });
    bp.route('/', {}, function index() {
      return request.url;
    });
    app.registerBlueprint(bp);
    const rv = await client.get('/', { subdomain: 'xxx' });
    expect(rv.text).toBe('http://xxx.example.com:1234/foo/');
    await client.context(async () => {
      await client.get('/', { subdomain: 'xxx' });
      expect(request.blueprint).toBe(bp.name);
    });
  });

  it('test_redirect_session', async () => {
    const app = flaskApp();
    app.route('/redirect', {}, function index() {
      session.redirect = true;
      return redirect('/target');
    });
    app.route('/target', {}, function get_session() {
      session.target = true;
      return '';
    });
    const client = app.testClient();
    await client.context(async () => {
      await client.get('/redirect', { followRedirects: true });
      expect(session.redirect).toBe(true);
      expect(session.target).toBe(true);
    });
  });

  it('test_session_transactions', async () => {
    const app = flaskApp();
    // str([42]) is Python's repr; JSON gives the same text.
    app.route('/', {}, function index() {
      return JSON.stringify(session.foo);
    });
    const client = app.testClient();
    await client.context(async () => {
      await client.sessionTransaction((sess) => {
        expect(Object.keys(sess.toJSON())).toHaveLength(0);
        sess.foo = [42];
        expect(Object.keys(sess.toJSON())).toHaveLength(1);
      });
      expect((await client.get('/')).text).toBe('[42]');
      await client.sessionTransaction((sess) => {
        expect(Object.keys(sess.toJSON())).toHaveLength(1);
        expect(sess.foo).toEqual([42]);
      });
    });
  });

  it('test_session_transactions_no_null_sessions', async () => {
    const app = new App(import.meta.url, { staticFolder: null });
    const c = app.testClient();
    await c.context(async () => {
      // Python's RuntimeError: a FlagonError with Flask's message.
      const error = await rejection(c.sessionTransaction(() => undefined));
      expect(error).toBeInstanceOf(FlagonError);
      expect(String((error as Error).message)).toContain('Session backend did not open a session');
    });
  });

  it('test_session_transactions_keep_context', async () => {
    const app = flaskApp();
    const client = app.testClient();
    await client.context(async () => {
      await client.get('/');
      const req = currentRequest();
      expect(req).not.toBeNull();
      await client.sessionTransaction(() => {
        expect(currentRequest()).toBe(req);
      });
    });
  });

  it('test_session_transaction_needs_cookies', async () => {
    const c = flaskApp().testClient({ useCookies: false });
    await expect(c.sessionTransaction(() => {})).rejects.toThrow(/Cookies are disabled/);
  });

  it('test_test_client_context_binding', async () => {
    const app = flaskApp({ TESTING: false });
    app.route('/', {}, function index() {
      g.value = 42;
      return 'Hello World!';
    });
    app.route('/other', {}, function other() {
      throw new RangeError('ZeroDivisionError');
    });
    const client = app.testClient();
    await client.context(async () => {
      const resp = await client.get('/');
      expect(g.value).toBe(42);
      expect(resp.text).toBe('Hello World!');
      expect(resp.status).toBe(200);
    });
    await client.context(async () => {
      const resp = await client.get('/other');
      expect('value' in g).toBe(false);
      expect(resp.text).toContain('Internal Server Error');
      expect(resp.status).toBe(500);
      g.value = 23;
    });
    expect(() => g.value).toThrow(FlagonError);
  });

  it('test_reuse_client', async () => {
    const app = flaskApp();
    const c = app.testClient();
    await c.context(async () => {
      expect((await c.get('/')).status).toBe(404);
    });
    await c.context(async () => {
      expect((await c.get('/')).status).toBe(404);
    });
  });

  it('test_full_url_request', async () => {
    const app = flaskApp();
    app.route('/action', { methods: ['POST'] }, function action() {
      return 'x';
    });
    const client = app.testClient();
    await client.context(async () => {
      const rv = await client.post('http://domain.com/action?vodka=42', { form: { gin: '43' } });
      expect(rv.status).toBe(200);
      expect((await request.form()).has('gin')).toBe(true);
      expect(request.args.has('vodka')).toBe(true);
    });
  });

  it('test_json_request_and_response', async () => {
    const app = flaskApp();
    app.route('/echo', { methods: ['POST'] }, async function echo(req) {
      return jsonify(await req.json());
    });
    const client = app.testClient();
    await client.context(async () => {
      const jsonData = { drink: { gin: 1, tonic: true }, price: 10 };
      const rv = await client.post('/echo', { json: jsonData });
      expect(request.isJson).toBe(true);
      expect(await request.json()).toEqual(jsonData);
      expect(rv.status).toBe(200);
      expect(rv.headers.get('Content-Type')).toMatch(/^application\/json/);
      expect(rv.json).toEqual(jsonData);
    });
  });

  it('test_client_json_no_app_context', async () => {
    // Flask counts appcontext_popped signals (Flagon has no signals); a teardownAppcontext hook runs once per app
    // context that ends, so it counts the same thing: sending JSON makes no app context of its own.
    const app = flaskApp();
    app.route('/hello', { methods: ['POST'] }, async function hello(req) {
      return `Hello, ${(await req.json<{ name: string }>()).name}!`;
    });
    let count = 0;
    app.teardownAppcontext(() => {
      count += 1;
    });
    const rv = await app.testClient().post('/hello', { json: { name: 'Flask' } });
    expect(rv.text).toBe('Hello, Flask!');
    expect(count).toBe(1);
  });

  it('test_subdomain', async () => {
    const app = new App(import.meta.url, {
      staticFolder: null,
      subdomainMatching: true,
      config: { SERVER_NAME: 'example.com' },
    });
    const client = app.testClient();
    app.route('/', { subdomain: '<company_id>' }, function view(req) {
      return String((req.params as Record<string, unknown>).company_id);
    });
    const url = await inRequest(app, () => urlFor('view', { company_id: 'xxx' }));
    expect(url).toBe('http://xxx.example.com/');
    const response = await client.context(() => client.get(url));
    expect(response.status).toBe(200);
    expect(response.text).toBe('xxx');
  });

  it('test_nosubdomain', async () => {
    const app = flaskApp({ SERVER_NAME: 'example.com' });
    const client = app.testClient();
    app.route('/<company_id>', {}, function view(req) {
      return String((req.params as Record<string, unknown>).company_id);
    });
    const url = await inRequest(app, () => urlFor('view', { company_id: 'xxx' }), '/__ctx/');
    const response = await client.context(() => client.get(url));
    expect(response.status).toBe(200);
    expect(response.text).toBe('xxx');
  });

  it.skip('test_cli_runner_class', () => {
    /* N/A: FlaskCliRunner and test_cli_runner_class; Flagon's is app.cli.invoke(). */
  });

  it('test_cli_invoke', async () => {
    // click.echo's output becomes the handler's return value, which invoke() resolves with. Invoking with the
    // command object instead of its name has no counterpart.
    const app = flaskApp();
    app.cli.command('hello', function hello_command() {
      return 'Hello, World!';
    });
    expect(await app.cli.invoke(['hello'])).toContain('Hello');
  });

  it.skip('test_cli_custom_obj', () => {
    /* N/A: click's ScriptInfo object passed to runner.invoke(obj=…). */
  });
  it.skip('test_client_pop_all_preserved', () => {
    /* N/A: the stack of pushed contexts (stream_with_context, req_ctx); Flagon's contexts are not pushed. */
  });
});

/** The request object behind the `request` proxy now (Flask's `flask.request._get_current_object()`), or null. */
function currentRequest(): object | null {
  try {
    return request.environ;
  } catch {
    return null;
  }
}
