/** @module TestClient (layer L4): requests to an app in process, with a cookie jar and redirect following; `testClient(app)`, the root App's `app.testClient()`. */
import { App } from '../app/app.js';
import { PRESERVE_CONTEXT_KEY } from '../app/app-context.js';
import { makeContext, runInContext, type Context } from '../app/context.js';
import { FlagonError } from '../app/errors.js';
import type { Session } from '../sessions/session.js';
import { Request } from '../wrappers/request.js';
import { Response } from '../wrappers/response.js';
import type { Environ, ErrorStream, GatewayApp } from '../gateway/types.js';
import { stderrStream } from '../serving/error-stream.js';
import { getHost, quotePath } from '../gateway/url.js';
import { Headers, type HeadersInit } from '../http/headers.js';
import { CookieJar, readSetCookie } from './cookie-jar.js';
import { asciiHost, createEnviron, type QueryInit } from './environ.js';
import { runApp } from './run-app.js';

/**
 * Whether a body option is a FormData, asked by its tag: reading the `FormData` global makes node load its fetch
 * implementation (undici), ~50 ms, in every test that sends a plain form.
 */
function isFormData(value: unknown): value is FormData {
  return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object FormData]';
}

/** The URL a request goes to: its base (scheme, host, script root) and path. */
function targetUrl(target: { baseUrl: string; path: string }): URL {
  return new URL(`${target.baseUrl.replace(/\/+$/, '')}${target.path.startsWith('/') ? '' : '/'}${target.path}`);
}

/**
 * What a redirected request keeps of the first one: its headers but Host, which the Location decides (and for 307
 * and 308 its body; for the GET a 301, 302 or 303 turns it into, none of the headers that described the body, as
 * Werkzeug's resolve_redirect drops Content-Type, Content-Length and Transfer-Encoding). Not its `query` (the Location
 * has its own) nor its `environ` overrides, which belong to the request they were given for (Werkzeug's).
 */
function forRedirect(options: TestRequestOptions, keepBody: boolean): TestRequestOptions {
  const headers = new Headers(options.headers);
  headers.delete('Host');
  if (!keepBody) {
    for (const name of ['Content-Type', 'Content-Length', 'Transfer-Encoding']) headers.delete(name);
    return { headers, followRedirects: true };
  }
  const { query: _query, environ: _environ, ...kept } = options;
  return { ...kept, headers };
}

/**
 * Options of one test request.
 *
 * @example
 * await client.post('/login', { form: { user: 'ada' }, followRedirects: true });
 */
export interface TestRequestOptions {
  query?: QueryInit;
  headers?: HeadersInit;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /**
   * Sent urlencoded; arrays repeat the key. A `FormData` is sent as `multipart/form-data`, files included (Flask's
   * `data={'photo': (BytesIO(…), 'a.png')}`): `form.append('photo', new File([bytes], 'a.png', { type: 'image/png' }))`.
   */
  form?: Record<string, string | readonly string[]> | URLSearchParams | FormData;
  /** A raw body; a `FormData` is sent as `multipart/form-data`, as with `form`. */
  data?: string | Uint8Array | FormData;
  /** Extra cookies for this request, on top of the jar. */
  cookies?: Record<string, string>;
  /** Follow 301/302/303/307/308 responses, as a browser does. Default false. */
  followRedirects?: boolean;
  /** Instead of the app's PREFERRED_URL_SCHEME (Flask's `url_scheme`); the scheme of an absolute URL wins. */
  scheme?: 'http' | 'https';
  /** Sent to `<subdomain>.<SERVER_NAME>` (`localhost` without one), as Flask's `subdomain=`. */
  subdomain?: string;
  /**
   * Scheme, host and script root in one (`'https://example.com/app'`), instead of the ones the app's config gives
   * (Flask's `base_url=`); not with `scheme` or `subdomain`.
   */
  baseUrl?: string;
  /**
   * Environ keys for this request, over the computed ones and the client's `environ` (Flask's `environ_overrides`):
   * `{ REMOTE_ADDR: '10.0.0.1' }` is the client's address.
   */
  environ?: Record<string, unknown>;
}

/**
 * Options of a {@link TestClient}.
 *
 * @example
 * const client = app.testClient({ allowSubdomainRedirects: true });
 */
export interface TestClientOptions {
  /**
   * Follow a redirect to a subdomain of the current host (`example.com` → `api.example.com`), as Werkzeug's
   * `allow_subdomain_redirects`. Default false: such a redirect is an error, and so is one to another host.
   */
  allowSubdomainRedirects?: boolean;
  /**
   * Environ keys for every request, under the computed ones and the request's headers (Flask's
   * `client.environ_base`): `{ REMOTE_ADDR: '10.0.0.1' }` is the client's address, a `User-Agent` header a request
   * sends wins over `HTTP_USER_AGENT` here.
   */
  environ?: Record<string, unknown>;
  /**
   * Keep the cookies responses set and send them back (Werkzeug's `use_cookies`). Default true; with false the jar
   * stays empty, a request sends only its own `cookies`, and `sessionTransaction()` throws.
   */
  useCookies?: boolean;
}

/** Where one request goes: the base URL (scheme, host, script root) and the path below it, query included. */
interface Target {
  baseUrl: string;
  path: string;
}

/**
 * The URL an environ asks for, as a Target: the scheme and host it says (a Host header, an `environ` HTTP_HOST), and
 * the path as the client computed it, raw (`%2F` stays inside its segment), unless `overrides` set the path too. The
 * computed Target when the environ's host is not valid.
 */
function sentTarget(environ: Environ, computed: Target, overrides: Record<string, unknown> | undefined): Target {
  const host = getHost(environ);
  if (host === '') return computed;
  const origin = `${environ['tsgi.url_scheme']}://${host}`;
  if (overrides !== undefined && ('PATH_INFO' in overrides || 'SCRIPT_NAME' in overrides)) {
    const query = environ.QUERY_STRING ? `?${environ.QUERY_STRING}` : '';
    return { baseUrl: `${origin}${quotePath(environ.SCRIPT_NAME)}`, path: `${quotePath(environ.PATH_INFO)}${query}` };
  }
  return { baseUrl: computed.baseUrl.replace(/^[^:]+:\/\/[^/]*/, origin), path: computed.path };
}

/** RFC 3986 appendix B, as Python's urlsplit: scheme, authority, path, query; the fragment is dropped. */
const URL_PARTS = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?/;

const decoder = new TextDecoder();

/**
 * A response as the test client sees it.
 *
 * @example
 * const response = await client.get('/users/1');
 * response.status;          // 200
 * response.json;            // { id: 1 }
 * response.headers.get('Content-Type');
 */
export class TestResponse {
  readonly status: number;
  /** `'200 OK'`. */
  readonly statusLine: string;
  readonly headers: Headers;
  readonly body: Uint8Array;
  /** The responses of redirects followed on the way here, oldest first. */
  readonly history: TestResponse[];
  readonly request: { method: string; path: string };

  constructor(
    statusLine: string,
    headers: Headers,
    body: Uint8Array,
    request: { method: string; path: string },
    history: TestResponse[] = [],
  ) {
    this.statusLine = statusLine;
    this.status = Number(statusLine.slice(0, 3));
    this.headers = headers;
    this.body = body;
    this.request = request;
    this.history = history;
  }

  get text(): string {
    return decoder.decode(this.body);
  }

  /** The body parsed as JSON. */
  get json(): unknown {
    return JSON.parse(this.text);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Sends requests to a TSGI app in process, no sockets: Flask's test client. Cookies set by responses are kept and
 * sent back; errors from the app propagate when the app is TESTING, so a test sees the real exception.
 *
 * @example
 * const client = app.testClient();
 * await client.post('/login', { form: { user: 'ada' }, followRedirects: true });
 * (await client.get('/me')).text; // 'ada'
 */
export class TestClient {
  readonly #app: { gatewayApp: GatewayApp };
  readonly #allowSubdomainRedirects: boolean;
  readonly #environ: Record<string, unknown> | undefined;
  readonly #useCookies: boolean;
  /** The cookie jar: one cookie per name, domain and path; read and changed by name (`get`, `set`, `delete`). */
  readonly cookies = new CookieJar();
  /** Inside `context()`: where the App hands over each request's context. */
  #preserved: { last: Context | null } | null = null;

  constructor(app: { gatewayApp: GatewayApp }, options: TestClientOptions = {}) {
    this.#app = app;
    this.#allowSubdomainRedirects = options.allowSubdomainRedirects ?? false;
    this.#environ = options.environ;
    this.#useCookies = options.useCookies ?? true;
  }

  get(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.open('GET', path, options);
  }
  post(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.open('POST', path, options);
  }
  put(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.open('PUT', path, options);
  }
  patch(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.open('PATCH', path, options);
  }
  delete(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.open('DELETE', path, options);
  }
  head(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.open('HEAD', path, options);
  }
  options(path: string, options?: TestRequestOptions): Promise<TestResponse> {
    return this.open('OPTIONS', path, options);
  }

  /**
   * Sends one request (and follows redirects when asked). As Flask's test client, it goes to the app's
   * `SERVER_NAME` (else `localhost`) over its `PREFERRED_URL_SCHEME`, below its `APPLICATION_ROOT`; an absolute URL
   * (`'https://other.test/x'`) picks its own scheme and host.
   */
  async open(method: string, path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    const history: TestResponse[] = [];
    const seen = new Set<string>();
    let current = { method: method.toUpperCase(), target: this.#target(path, options), shown: path, options };
    for (;;) {
      const key = `${current.method} ${current.target.baseUrl} ${current.target.path} ${JSON.stringify(current.options.json ?? current.options.form ?? current.options.data ?? '')}`;
      if (seen.has(key))
        throw new Error(
          `redirect loop: ${[...history.map((r) => `${r.request.method} ${r.request.path}`), `${current.method} ${current.shown}`].join(' → ')}`,
        );
      seen.add(key);
      const { response, sent } = await this.#send(
        current.method,
        current.target,
        current.shown,
        current.options,
        history,
      );
      const location = response.headers.get('Location');
      if (!options.followRedirects || !REDIRECTS.has(response.status) || location === null) return response;
      history.push(response);
      if (history.length > 30) throw new Error('more than 30 redirects');
      const keepBody = response.status === 307 || response.status === 308;
      const nextMethod = keepBody || current.method === 'HEAD' ? current.method : 'GET';
      const target = this.#redirectTarget(location, sent);
      current = {
        method: nextMethod,
        target,
        shown: target.path,
        options: forRedirect(current.options, keepBody),
      };
    }
  }

  /** Flask's `EnvironBuilder`: the base URL from `baseUrl`, else from the app's config, `subdomain` and `scheme`. */
  #target(path: string, options: TestRequestOptions): Target {
    if (options.baseUrl !== undefined) {
      if (options.subdomain !== undefined || options.scheme !== undefined) {
        throw new TypeError(
          'Cannot pass "subdomain" or "scheme" with "baseUrl": put the subdomain and scheme in the baseUrl',
        );
      }
      return { baseUrl: options.baseUrl, path };
    }
    const config = this.#app instanceof App ? this.#app.config : null;
    let host = config?.SERVER_NAME || 'localhost';
    if (options.subdomain) host = `${options.subdomain}.${host}`;
    const [, scheme, authority, pathPart = '', query] = URL_PARTS.exec(path)!;
    if (scheme !== undefined && !/^https?$/i.test(scheme)) {
      throw new TypeError(
        `client.open(${JSON.stringify(path)}): the test client sends http and https requests; give a path ('/x') or an http(s) URL`,
      );
    }
    const root = (config?.APPLICATION_ROOT ?? '/').replace(/^\/+/, '');
    return {
      baseUrl: `${scheme?.toLowerCase() || options.scheme || config?.PREFERRED_URL_SCHEME || 'http'}://${asciiHost(authority || host)}/${root}`,
      path: query === undefined ? pathPart : `${pathPart}?${query}`,
    };
  }

  /**
   * Werkzeug's `resolve_redirect`: a Location on the same host (any port) is followed with its scheme and host; one
   * under the script root keeps it, any other path drops it. A subdomain needs `allowSubdomainRedirects`, and another
   * host cannot be followed, since the app under test is not there.
   */
  #redirectTarget(location: string, from: Target): Target {
    const base = new URL(from.baseUrl);
    const next = new URL(
      location,
      `${from.baseUrl.replace(/\/+$/, '')}${from.path.startsWith('/') ? '' : '/'}${from.path}`,
    );
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      throw new Error(`Cannot follow a redirect to ${location}: the test client follows http and https URLs only.`);
    const toName = next.hostname.split('.');
    const fromName = base.hostname.split('.');
    if (toName.join('.') !== fromName.join('.')) {
      if (toName.slice(-fromName.length).join('.') !== fromName.join('.')) {
        throw new Error(
          `Following external redirects is not supported: ${location} is not on ${base.hostname}, where the app under test is.`,
        );
      }
      if (!this.#allowSubdomainRedirects) {
        throw new Error(
          `Following subdomain redirects is not enabled: pass { allowSubdomainRedirects: true } to testClient() to follow ${location}.`,
        );
      }
    }
    let scriptRoot = base.pathname.replace(/\/+$/, '');
    let path = next.pathname;
    const rootParts = scriptRoot.split('/');
    if (path.split('/').slice(0, rootParts.length).join('/') === scriptRoot) path = path.slice(scriptRoot.length);
    else scriptRoot = '';
    return { baseUrl: `${next.protocol}//${next.host}${scriptRoot}`, path: `${path}${next.search}` };
  }

  async #send(
    method: string,
    target: Target,
    shown: string,
    options: TestRequestOptions,
    history: TestResponse[],
  ): Promise<{ response: TestResponse; sent: Target }> {
    const bodies = (['json', 'form', 'data'] as const).filter((key) => options[key] !== undefined);
    if (bodies.length > 1)
      throw new TypeError(
        `client.open(): pass one body, not ${bodies.join(' and ')}: json for JSON, form for a form (a FormData for files), data for raw bytes`,
      );
    const headers = new Headers(options.headers);
    const multipart = isFormData(options.form) ? options.form : isFormData(options.data) ? options.data : null;
    let body: string | Uint8Array | undefined = isFormData(options.data) ? undefined : options.data;
    if (multipart !== null) {
      // The platform's own encoder, as fetch() sends a FormData: a fresh boundary, files with their names and types.
      const encoded = new globalThis.Response(multipart);
      body = new Uint8Array(await encoded.arrayBuffer());
      headers.setDefault('Content-Type', encoded.headers.get('Content-Type') ?? 'multipart/form-data');
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers.setDefault('Content-Type', 'application/json');
    } else if (options.form !== undefined && !isFormData(options.form)) {
      const params = options.form instanceof URLSearchParams ? options.form : new URLSearchParams();
      if (!(options.form instanceof URLSearchParams)) {
        for (const [key, value] of Object.entries(options.form))
          for (const item of typeof value === 'string' ? [value] : value) params.append(key, item);
      }
      body = params.toString();
      headers.setDefault('Content-Type', 'application/x-www-form-urlencoded');
    }
    const environ = createEnviron(target.path, {
      method,
      headers,
      body,
      query: options.query,
      baseUrl: target.baseUrl,
      base: this.#environ,
      // Werkzeug's client writes wsgi.errors to standard error: the app's log lines of a test show, as in Flask.
      errors: (this.#environ?.['tsgi.errors'] as ErrorStream | undefined) ?? stderrStream,
      extra: options.environ,
    });
    // As Werkzeug's client: the cookies sent and kept, and the base of a redirect, are those of the URL the environ
    // says was asked for, which an `environ` HTTP_HOST (or scheme) changes.
    const sentTo = sentTarget(environ, target, options.environ);
    const url = targetUrl(sentTo);
    const extra = Object.entries(options.cookies ?? {});
    const jar = this.#useCookies ? this.cookies.for(url) : [];
    const sent = [...jar.filter(([name]) => !Object.hasOwn(options.cookies ?? {}, name)), ...extra];
    if (sent.length > 0 && options.environ?.HTTP_COOKIE === undefined)
      environ.HTTP_COOKIE = sent.map(([name, value]) => `${name}=${value}`).join('; ');
    const preserved = this.#preserved;
    if (preserved !== null)
      environ[PRESERVE_CONTEXT_KEY] = (context: Context) => {
        preserved.last = context;
      };
    const result = await runApp(this.#app.gatewayApp, environ);
    const responseHeaders = new Headers(result.headers);
    for (const cookie of responseHeaders.getAll('Set-Cookie')) this.#store(cookie, url);
    const response = new TestResponse(result.status, responseHeaders, result.body, { method, path: shown }, [
      ...history,
    ]);
    return { response, sent: sentTo };
  }

  /**
   * Flask's `with client:`: inside `fn`, after each request, `g`, `session` and `request` are that request's (the last
   * one's, when redirects were followed), so a test can check what a view left there. Its teardown hooks have run.
   * Before the first request `currentApp` and `g` work as in `app.appContext()`. Outside `context()` the client
   * keeps nothing, so ordinary requests cost nothing extra.
   *
   * @example
   * await client.context(async () => {
   *   await client.post('/login', { form: { user: 'ada' } });
   *   expect(g.user).toBe('ada');
   *   expect(session.userId).toBe(1);
   * });
   */
  async context<T>(fn: () => T | Promise<T>): Promise<T> {
    const app = this.#app;
    if (!(app instanceof App))
      throw new TypeError(
        'context() needs a client of an App: testClient(app) or app.testClient(), not a client of a bare TSGI app',
      );
    const outer = this.#preserved;
    const preserved: { last: Context | null } = { last: null };
    const own = makeContext(app, null);
    // The proxies look the context up when they are read, so one that forwards to the latest request follows each one.
    const current = (): Context => preserved.last ?? own;
    const forwarding = new Proxy(own, {
      get: (_target, key) => Reflect.get(current(), key),
      set: (_target, key, value) => Reflect.set(current(), key, value),
      has: (_target, key) => Reflect.has(current(), key),
    });
    this.#preserved = preserved;
    try {
      return await runInContext(forwarding, fn);
    } finally {
      this.#preserved = outer;
    }
  }

  /**
   * Flask's `session_transaction`: opens the session the client's cookies carry, lets `fn` read or change it, and
   * stores the result back in the cookie jar, as if a request had done it.
   *
   * @example
   * await client.sessionTransaction((session) => { session.user = 'ada'; });
   * (await client.get('/me')).text; // 'ada'
   */
  async sessionTransaction<T>(fn: (session: Session) => T | Promise<T>): Promise<T> {
    const app = this.#app;
    if (!(app instanceof App))
      throw new TypeError(
        'sessionTransaction() needs a client of an App: testClient(app) or app.testClient(), not a client of a bare TSGI app',
      );
    if (!this.#useCookies)
      throw new TypeError('Cookies are disabled: sessionTransaction() needs a client made with useCookies: true.');
    // The cookies a request on the session cookie's path carries (SESSION_COOKIE_PATH, else APPLICATION_ROOT).
    const base = targetUrl(this.#target('/', {}));
    const sessionPath = app.config.SESSION_COOKIE_PATH ?? app.config.APPLICATION_ROOT ?? '/';
    const url = new URL(sessionPath.endsWith('/') ? sessionPath : `${sessionPath}/`, base);
    const cookie = this.cookies
      .for(url)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    // The request a view would see, host and root included, as Flask's test_request_context from the client.
    const request = new Request(
      createEnviron('/', { headers: cookie ? { Cookie: cookie } : {}, baseUrl: this.#target('/', {}).baseUrl }),
    );
    const session = await app.openSession(request);
    if (session.isNull)
      throw new FlagonError('FLAGON_ERR_CONFIG', 'Session backend did not open a session: set SECRET_KEY on the app.');
    const result = await fn(session);
    const response = new Response();
    await app.sessionInterface.saveSession(app, session, response);
    for (const setCookie of response.headers.getAll('Set-Cookie'))
      this.#store(setCookie, targetUrl(this.#target('/', {})));
    return result;
  }

  /** Keeps (or, expired, drops) a cookie the app set on a response to `url`, with where it may go. */
  #store(setCookie: string, url: URL): void {
    if (!this.#useCookies) return;
    const cookie = readSetCookie(setCookie, url);
    if (cookie !== null) this.cookies.store(cookie);
  }
}

/**
 * A test client for an App (Flask's `app.test_client()`). Its requests go to `SERVER_NAME` (else `localhost`), below
 * `APPLICATION_ROOT`, over `PREFERRED_URL_SCHEME`, as Flask's. An App imported from the root module `flagon` has this
 * as `app.testClient(options)`.
 *
 * @example
 * import { App } from 'flagon/app';
 * import { testClient } from 'flagon/testing';
 * const app = new App(import.meta.url);
 * app.get('/', () => 'hi');
 * const response = await testClient(app).get('/');
 * response.text; // 'hi'
 */
export function testClient(app: App, options?: TestClientOptions): TestClient {
  return new TestClient(app, options);
}
