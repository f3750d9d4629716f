/**
 * Port of Flask's tests/test_reqctx.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65) to Flagon. BSD-3-Clause, Copyright 2010 Pallets: see
 * LICENSE-pallets.txt. Flagon has no `test_request_context()` and no context objects to push and pop: the code a
 * Flask test runs inside one runs inside a real request (`inRequest`), and "after pop" is after that request ended.
 */
import { describe, expect, it } from 'vitest';
import { App, FlagonError, currentApp, request, session, urlFor, type Request } from 'flagon';
import { currentContext, type SessionApp, type SessionInterface } from 'flagon/app';
import { CookieSessionInterface, type Session } from 'flagon/sessions';
import { createEnviron, runApp } from 'flagon/testing';
import { flaskApp } from './support.js';
import { inRequest } from './flask-context.js';

/** Flask's `flask.Flask(__name__)` in these tests: no TESTING, no secret key. */
const plainApp = (): App => new App(import.meta.url, { staticFolder: null });

describe('flask tests/test_reqctx.py', () => {
  it('test_teardown_on_pop', async () => {
    const app = flaskApp();
    const buffer: unknown[] = [];
    app.teardownRequest(function end_of_request(exception) {
      buffer.push(exception);
    });
    await inRequest(app, () => {
      expect(buffer).toEqual([]);
    });
    expect(buffer).toEqual([null]);
  });

  it('test_teardown_with_previous_exception', async () => {
    const app = flaskApp();
    const buffer: unknown[] = [];
    app.teardownRequest(function end_of_request(exception) {
      buffer.push(exception);
    });
    try {
      throw new Error('dummy');
    } catch {
      // Python keeps the last handled exception in sys.exc_info(); Flask must not hand it to teardown.
    }
    await inRequest(app, () => {
      expect(buffer).toEqual([]);
    });
    expect(buffer).toEqual([null]);
  });

  it('test_teardown_with_handled_exception', async () => {
    const app = flaskApp();
    const buffer: unknown[] = [];
    app.teardownRequest(function end_of_request(exception) {
      buffer.push(exception);
    });
    await inRequest(app, () => {
      expect(buffer).toEqual([]);
      try {
        throw new Error('dummy');
      } catch {
        // handled inside the request: teardown gets null
      }
    });
    expect(buffer).toEqual([null]);
  });

  it('test_proper_test_request_context', async () => {
    const app = flaskApp({ SERVER_NAME: 'localhost.localdomain:5000' });
    app.route('/', {}, function index() {
      return '';
    });
    app.route('/', { subdomain: 'foo' }, function sub() {
      return '';
    });
    expect(await inRequest(app, () => urlFor('index', {}, { external: true }))).toBe(
      'http://localhost.localdomain:5000/',
    );
    expect(await inRequest(app, () => urlFor('sub', {}, { external: true }))).toBe(
      'http://foo.localhost.localdomain:5000/',
    );
    // Flask only checks that making these contexts does not fail when the Host differs from SERVER_NAME; here each
    // one is a request that completes.
    await inRequest(app, () => undefined, 'http://localhost/');
    app.config.SERVER_NAME = 'localhost';
    await inRequest(app, () => undefined, '/');
    app.config.SERVER_NAME = 'localhost:80';
    await inRequest(app, () => undefined, '/');
  });

  it('test_context_binding', async () => {
    const app = flaskApp();
    const index = app.route('/', {}, function index() {
      return `Hello ${request.args.get('name')}!`;
    });
    const meh = app.route('/meh', {}, function meh() {
      return request.url;
    });
    // Flask calls the view functions directly inside the context; so does this test (they ignore their argument).
    expect(await inRequest(app, () => index(request as Request<Record<string, never>>), '/?name=World')).toBe(
      'Hello World!',
    );
    expect(await inRequest(app, () => meh(request as Request<Record<string, never>>), '/meh')).toBe(
      'http://localhost/meh',
    );
    expect(currentContext()).toBeUndefined();
    expect(() => request.path).toThrow(FlagonError);
  });

  it('test_context_test', async () => {
    const app = flaskApp();
    // flask.has_request_context() is whether a context with a request is current.
    expect(currentContext()?.request ?? null).toBeNull();
    const inside = await inRequest(app, () => ({ hasRequest: currentContext()?.request != null, path: request.path }));
    expect(inside).toEqual({ hasRequest: true, path: '/' });
  });

  it('test_manual_context_binding', async () => {
    const app = flaskApp();
    const index = app.route('/', {}, function index() {
      return `Hello ${request.args.get('name')}!`;
    });
    expect(await inRequest(app, () => index(request as Request<Record<string, never>>), '/?name=World')).toBe(
      'Hello World!',
    );
    // Python's RuntimeError: Flagon's FlagonError FLAGON_ERR_NO_CONTEXT, which says where `request` works.
    expect(() => index(undefined as never)).toThrow(/Working outside of request context/);
  });

  it.skip('TestGreenletContextCopying.test_greenlet_context_copying', () => {
    /* N/A: greenlets and request_ctx.copy(); Flagon's context follows callbacks and awaits through AsyncLocalStorage. */
  });
  it.skip('TestGreenletContextCopying.test_greenlet_context_copying_api', () => {
    /* N/A: greenlets and copy_current_request_context. */
  });

  it('test_session_error_pops_context', async () => {
    class SessionError extends Error {}
    class FailingSessionInterface implements SessionInterface {
      openSession(): Session | null {
        throw new SessionError();
      }
      saveSession(): void {}
    }
    const app = plainApp();
    app.sessionInterface = new FailingSessionInterface();
    // Flagon opens the session when the request first uses it, so the view reads it (the next row is Flask's case).
    app.route('/', {}, function index() {
      return String(session.anything);
    });
    const response = await app.testClient().get('/');
    expect(response.status).toBe(500);
    expect(currentContext()).toBeUndefined();
    expect(() => currentApp.name).toThrow(FlagonError);
  });

  // DIFFERENCE: the session is opened on first use, so a failing open_session does not fail a request that never touches the session (Flask opens it when the context is pushed: 500).
  it.fails('test_session_error_pops_context (view does not touch the session)', async () => {
    const app = plainApp();
    app.sessionInterface = {
      openSession() {
        throw new Error('SessionError');
      },
      saveSession() {},
    };
    app.route('/', {}, function index() {
      return 'should not get here';
    });
    expect((await app.testClient().get('/')).status).toBe(500);
  });

  it('test_session_dynamic_cookie_name', async () => {
    // Flask overrides SecureCookieSessionInterface.get_cookie_name; Flagon's cookie interface takes the name from
    // the config it is given, so this interface hands it a config whose SESSION_COOKIE_NAME depends on the URL.
    class PathAwareSessionInterface implements SessionInterface {
      readonly inner = new CookieSessionInterface();
      #app(app: SessionApp): SessionApp {
        if (!request.url.endsWith('dynamic_cookie')) return app;
        return {
          config: new Proxy(app.config, {
            get: (target, key) => (key === 'SESSION_COOKIE_NAME' ? 'dynamic_cookie_name' : Reflect.get(target, key)),
          }),
        };
      }
      openSession(app: SessionApp, req: Request) {
        return this.inner.openSession(this.#app(app), req);
      }
      saveSession(app: SessionApp, s: Session, response: Parameters<SessionInterface['saveSession']>[2]) {
        return this.inner.saveSession(this.#app(app), s, response);
      }
    }
    const app = plainApp();
    app.sessionInterface = new PathAwareSessionInterface();
    app.config.SECRET_KEY = 'secret_key';
    app.route('/set', { methods: ['POST'] }, async function set(req) {
      session.value = (await req.form()).get('value');
      return 'value set';
    });
    app.route('/get', {}, function get() {
      return String(session.value ?? 'None');
    });
    app.route('/set_dynamic_cookie', { methods: ['POST'] }, async function set_dynamic_cookie(req) {
      session.value = (await req.form()).get('value');
      return 'value set';
    });
    app.route('/get_dynamic_cookie', {}, function get_dynamic_cookie() {
      return String(session.value ?? 'None');
    });
    const testClient = app.testClient();
    expect((await testClient.post('/set', { form: { value: '42' } })).text).toBe('value set');
    expect((await testClient.post('/set_dynamic_cookie', { form: { value: '616' } })).text).toBe('value set');
    expect((await testClient.get('/get')).text).toBe('42');
    expect((await testClient.get('/get_dynamic_cookie')).text).toBe('616');
  });

  // DIFFERENCE: a Host that is not a valid host name is refused by Flagon's server (its request gate, before any app), not by the App: in process the request is routed (404 here).
  it.fails('test_bad_environ_raises_bad_request', async () => {
    const app = plainApp();
    const environ = createEnviron('/');
    // a non-printable character in the Host: the point of the test
    environ.HTTP_HOST = '\x8a';
    expect((await runApp(app.gatewayApp, environ)).status).toMatch(/^400/);
  });

  it('test_environ_for_valid_idna_completes', async () => {
    const app = plainApp();
    app.route('/', {}, function index() {
      return 'Hello World!';
    });
    const environ = createEnviron('/');
    // these characters are all IDNA-compatible
    environ.HTTP_HOST = 'ąśźäüжŠßя.com';
    expect((await runApp(app.gatewayApp, environ)).status).toMatch(/^200/);
  });

  it('test_normal_environ_completes', async () => {
    const app = plainApp();
    app.route('/', {}, function index() {
      return 'Hello World!';
    });
    expect((await app.testClient().get('/', { headers: { host: 'xn--on-0ia.com' } })).status).toBe(200);
  });
});
