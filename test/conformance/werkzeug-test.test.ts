/**
 * Port of Werkzeug's tests/test_test.py (github.com/pallets/werkzeug, tag 3.1.8, commit
 * c1a26b45fb06d5e086b4d6be820c3302f588d815): the test client and the environ builder. BSD-3-Clause, Copyright 2007
 * Pallets: see LICENSE-pallets.txt.
 *
 * How the Python maps: `Client(wsgi_app)` is `new TestClient({ gatewayApp: app })` (a Response is such an object
 * itself); `c.open()` is `c.get('/')`; `follow_redirects=True` is `{ followRedirects: true }`; `base_url` is
 * `{ baseUrl }`; `data={...}` is `{ form }` (a `FormData` for files), `data=b'..'` is `{ data }`; `environ_overrides`
 * is a request's `{ environ }` and `environ_base` the client's `{ environ }`; `c.set_cookie(k, v)` /
 * `c.get_cookie(k)` are `c.cookies.set(k, v)` / `c.cookies.get(k)`. `EnvironBuilder(...).get_environ()` and
 * `create_environ(...)` are `createEnviron(...)` (its `host`, `scheme`, `scriptName` for the builder's setters);
 * what the builder computes from `form`/`files` (Content-Type, the multipart body) is what the client sends for
 * `{ form }`, so those rows go through the client and read the request the app sees. `run_wsgi_app(app, environ)` is
 * `runApp(app, environ)`, which always buffers the body and closes it (there is no `buffered=False`). Python's
 * `Request.application` is Flagon's; an `assert` inside an app is an `expect` or a thrown Error, which the client
 * hands back to the test as Werkzeug's does.
 */
import { once } from 'node:events';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redirect } from 'flagon';
import { TSGI_VERSION, type Body, type BodyChunk, type Environ, type GatewayApp } from 'flagon/gateway';
import { Authorization } from 'flagon/http';
import { TestClient, createEnviron, runApp, type TestClientOptions, type TestResponse } from 'flagon/testing';
import { FileStorage, Request, Response } from 'flagon/wrappers';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const clientOf = (app: GatewayApp, options?: TestClientOptions): TestClient =>
  new TestClient({ gatewayApp: app }, options);

/** The bytes a (once readable) tsgi.input yields. */
async function readInput(environ: Environ): Promise<string> {
  let text = '';
  for await (const chunk of environ['tsgi.input']) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** Werkzeug's `FileStorage(BytesIO(data), filename)` as a part of a multipart body. */
const file = (data: string, filename: string): File => new File([encoder.encode(data)], filename);

/** A WSGI application which sets a cookie, and returns as a response any cookie which exists. */
const cookieApp: GatewayApp = (environ, startResponse) => {
  const response = new Response(String(environ.HTTP_COOKIE ?? 'No Cookie'), { mimetype: 'text/plain' });
  response.setCookie('test', 'test');
  return response.gatewayApp(environ, startResponse);
};

const redirectLoopApp: GatewayApp = (environ, startResponse) =>
  redirect('http://localhost/some/redirect/').gatewayApp(environ, startResponse);

const redirectWithGetApp: GatewayApp = (environ, startResponse) => {
  const req = new Request(environ);
  if (!['http://localhost/', 'http://localhost/first/request', 'http://localhost/some/redirect/'].includes(req.url))
    throw new Error(`redirect_demo_app() did not expect URL "${req.url}"`);
  const response = req.url.includes('/some/redirect')
    ? new Response(`current url: ${req.url}`)
    : redirect('http://localhost/some/redirect/');
  return response.gatewayApp(environ, startResponse);
};

const externalRedirectDemoApp: GatewayApp = (environ, startResponse) =>
  redirect('http://example.com/').gatewayApp(environ, startResponse);

const externalSubdomainRedirectDemoApp: GatewayApp = (environ, startResponse) => {
  const response = String(environ.HTTP_HOST).includes('test.example.com')
    ? new Response('redirected successfully to subdomain')
    : redirect('http://test.example.com/login');
  return response.gatewayApp(environ, startResponse);
};

const multiValuePostApp = Request.application(async (req) => {
  const form = await req.form();
  expect(form.get('field')).toBe('val1');
  expect(form.getAll('field')).toEqual(['val1', 'val2']);
  return new Response('ok');
});

/** Guarantee that the app returns an iterable (one that forwards `close` only when the app's body has one). */
function iterableMiddleware(app: GatewayApp): GatewayApp {
  return async (environ, startResponse) => {
    const rv = await app(environ, startResponse);
    const iterable: Body = {
      [Symbol.iterator]: () => (rv as Iterable<BodyChunk>)[Symbol.iterator](),
    };
    if (rv.close !== undefined) iterable.close = () => rv.close?.();
    return iterable;
  };
}

describe('werkzeug tests/test_test.py', () => {
  it('test_cookie_forging', async () => {
    const c = clientOf(cookieApp);
    c.cookies.set('foo', 'bar');
    const response = await c.get('/');
    expect(response.text).toBe('foo=bar');
  });

  it('test_set_cookie_app', async () => {
    const c = clientOf(cookieApp);
    const response = await c.get('/');
    expect(response.headers.has('Set-Cookie')).toBe(true);
  });

  it('test_cookiejar_stores_cookie', async () => {
    const c = clientOf(cookieApp);
    await c.get('/');
    expect(c.cookies.get('test')).not.toBeUndefined();
  });

  it('test_no_initial_cookie', async () => {
    const c = clientOf(cookieApp);
    const response = await c.get('/');
    expect(response.text).toBe('No Cookie');
  });

  it('test_resent_cookie', async () => {
    const c = clientOf(cookieApp);
    await c.get('/');
    const response = await c.get('/');
    expect(response.text).toBe('test=test');
  });

  it('test_disable_cookies', async () => {
    const c = clientOf(cookieApp, { useCookies: false });
    await c.get('/');
    const response = await c.get('/');
    expect(response.text).toBe('No Cookie');
  });

  it('test_cookie_for_different_path', async () => {
    const c = clientOf(cookieApp);
    await c.get('/path1');
    const response = await c.get('/path2');
    expect(response.text).toBe('test=test');
  });

  /**
   * When no path is set for a cookie, the default uses everything up to but not including the last slash. The jar
   * has no lookup by path (`get_cookie(k, path=...)`): "the jar holds k for path P" is read as "a request to P carries
   * k", with `?probe` requests that do not set the cookie again.
   */
  const defaultPathApp = Request.application((request) => {
    const r = new Response(request.headers.get('Cookie') ?? '');
    if (!request.args.has('probe')) r.setCookie('k', 'v', { path: null });
    return r;
  });

  it('test_cookie_default_path', async () => {
    const c = clientOf(defaultPathApp);
    await c.get('/nested/leaf');
    expect((await c.get('/?probe')).text).toBe(''); // get_cookie("k") is None
    expect((await c.get('/nested?probe')).text).toBe('k=v'); // get_cookie("k", path="/nested")
    await c.get('/nested/dir/');
    expect((await c.get('/nested/dir?probe')).text).toContain('k=v'); // get_cookie("k", path="/nested/dir")
  });

  // Werkzeug's jar keys a cookie by (domain, path, name), as RFC 6265 §5.3 step 11: the /nested cookie stays.
  it('test_cookie_default_path (the /nested cookie kept beside the /nested/dir one)', async () => {
    const c = clientOf(defaultPathApp);
    await c.get('/nested/leaf');
    await c.get('/nested/dir/');
    expect((await c.get('/nested?probe')).text).toBe('k=v');
    expect((await c.get('/nested/dir?probe')).text).toBe('k=v; k=v');
  });

  /** The request an app saw, with its form and files read (the builder's get_request()). */
  async function seen(send: (c: TestClient) => Promise<TestResponse>): Promise<{
    req: Request;
    form: Awaited<ReturnType<Request['form']>>;
    files: Awaited<ReturnType<Request['files']>>;
  }> {
    let out: Awaited<ReturnType<typeof seen>> | undefined;
    const app = Request.application(async (req) => {
      out = { req, form: await req.form(), files: await req.files() };
      // the files must be read before the request is closed
      for (const [, f] of out.files) await f.bytes();
      return new Response('');
    });
    const response = await send(clientOf(app));
    expect(response.status).toBe(200);
    return out!;
  }

  it('test_environ_builder_basics', async () => {
    // b.content_type is None for GET and POST without data; a form makes it urlencoded; a file multipart
    expect((await seen((c) => c.get('/'))).req.contentType).toBe('');
    expect((await seen((c) => c.post('/'))).req.contentType).toBe('');
    expect((await seen((c) => c.post('/', { form: { test: 'normal value' } }))).req.mimetype).toBe(
      'application/x-www-form-urlencoded',
    );
    const data = new FormData();
    data.append('test', 'normal value');
    data.append('test', file('test contents', 'test.txt'));
    data.append('test_int', String(1));
    const { req, form, files } = await seen((c) => c.post('/', { form: data }));
    expect(req.mimetype).toBe('multipart/form-data');
    expect(req.url).toBe('http://localhost/');
    expect(req.method).toBe('POST');
    expect(form.get('test')).toBe('normal value');
    expect(files.get('test')!.filename).toBe('test.txt');
    expect(decoder.decode(await files.get('test')!.bytes())).toBe('test contents');
  });

  // DIFFERENCE: files.add_file("test", BytesIO(...), "test.txt") without a content type sends the part as text/plain,
  // guessed from the file name; a File without a type in a FormData is sent as application/octet-stream by the
  // platform's multipart encoder (as fetch() sends it), which the client uses. Give the File its type
  // (new File([...], 'test.txt', { type: 'text/plain' })).
  it.fails('test_environ_builder_basics (part content type from the file name)', async () => {
    const data = new FormData();
    data.append('test', file('test contents', 'test.txt'));
    const { files } = await seen((c) => c.post('/', { form: data }));
    expect(files.get('test')!.contentType).toBe('text/plain');
  });

  it('test_environ_builder_data', async () => {
    expect(await readInput(createEnviron('/', { body: 'foo' }))).toBe('foo');
    expect(await readInput(createEnviron('/', { body: encoder.encode('foo') }))).toBe('foo');

    expect((await seen((c) => c.post('/', { form: { foo: 'bar' } }))).form.get('foo')).toBe('bar');
    expect((await seen((c) => c.post('/', { form: { foo: ['bar1', 'bar2'] } }))).form.getAll('foo')).toEqual([
      'bar1',
      'bar2',
    ]);

    const checkListContent = async (data: FormData, length: number): Promise<void> => {
      const foo = (await seen((c) => c.post('/', { form: data }))).files.getAll('foo');
      expect(foo).toHaveLength(length);
      for (const obj of foo) expect(obj).toBeInstanceOf(FileStorage);
    };
    // {"foo": BytesIO()} and {"foo": (BytesIO(),)}: a nameless file, a Blob in a FormData
    const one = new FormData();
    one.append('foo', new Blob([]));
    await checkListContent(one, 1);
    // {"foo": [BytesIO(), BytesIO()]} and {"foo": [(BytesIO(),), (BytesIO(),)]}
    const two = new FormData();
    two.append('foo', new Blob([]));
    two.append('foo', new Blob([]));
    await checkListContent(two, 2);
  });

  it('test_environ_builder_json', async () => {
    const app = Request.application(async (request) => {
      expect(request.contentType).toBe('application/json');
      return new Response((JSON.parse(await request.text()) as { foo: string }).foo);
    });
    const c = clientOf(app);
    const response = await c.post('/', { json: { foo: 'bar' } });
    expect(response.text).toBe('bar');
  });

  it('test_environ_builder_json (json and data together)', async () => {
    const app = Request.application(() => new Response(''));
    const c = clientOf(app);
    await expect(c.post('/', { json: { foo: 'bar' }, form: { baz: 'qux' } })).rejects.toThrow(TypeError);
  });

  /** An app that answers with the environ values the test reads. */
  const environEcho = (keys: string[]): GatewayApp =>
    Request.application(
      (request) =>
        new Response(JSON.stringify(keys.map((key) => request.environ[key] ?? null)), { mimetype: 'application/json' }),
    );

  it('test_environ_builder_headers', async () => {
    // environ_base is the client's environ, environ_overrides the request's
    const c = clientOf(environEcho(['HTTP_USER_AGENT', 'HTTP_X_BEAT_MY_HORSE', 'tsgi.version']), {
      environ: { HTTP_USER_AGENT: 'Foo/0.1' },
    });
    // wsgi.version (1, 1) is TSGI's own version, so the override is another one to be seen
    const response = await c.get('/', {
      headers: { 'X-Beat-My-Horse': 'very well sir' },
      environ: { 'tsgi.version': [1, 0] },
    });
    expect(response.json).toEqual(['Foo/0.1', 'very well sir', [1, 0]]);
    // without the client's base
    expect(TSGI_VERSION).toEqual([1, 1]);
    const env = createEnviron('/', {
      headers: { 'X-Beat-My-Horse': 'very well sir' },
      extra: { 'tsgi.version': [1, 0] },
    });
    expect(env.HTTP_X_BEAT_MY_HORSE).toBe('very well sir');
    expect(env['tsgi.version']).toEqual([1, 0]);
  });

  it('test_environ_builder_headers (a header over environ_base)', async () => {
    const c = clientOf(environEcho(['HTTP_USER_AGENT']), { environ: { HTTP_USER_AGENT: 'Foo/0.1' } });
    const response = await c.get('/', { headers: { 'User-Agent': 'Bar/1.0' } });
    expect(response.json).toEqual(['Bar/1.0']);
  });

  it('test_environ_builder_headers_content_type', async () => {
    let env = createEnviron('/', { headers: { 'Content-Type': 'text/plain' } });
    expect(env.CONTENT_TYPE).toBe('text/plain');
    expect('HTTP_CONTENT_TYPE' in env).toBe(false);
    env = createEnviron();
    expect('CONTENT_TYPE' in env).toBe(false);
    expect('HTTP_CONTENT_TYPE' in env).toBe(false);
  });

  // MISSING: EnvironBuilder's content_type= argument, which wins over a Content-Type in headers; createEnviron and the
  // client take the Content-Type header only.
  it.skip('test_environ_builder_headers_content_type (content_type= over headers)', () => {});

  it('test_envrion_builder_multiple_headers', () => {
    const env = createEnviron('/', {
      headers: [
        ['FOO', 'bar'],
        ['FOO', 'baz'],
      ],
    });
    expect(env.HTTP_FOO).toBe('bar, baz');
  });

  it('test_environ_builder_paths', () => {
    // b.base_url is the request's root URL, b.path its PATH_INFO, b.script_root its SCRIPT_NAME, b.host its Host
    let env = createEnviron('/foo', { baseUrl: 'http://example.com/' });
    expect(new Request(env).rootUrl).toBe('http://example.com/');
    expect(env.PATH_INFO).toBe('/foo');
    expect(env.SCRIPT_NAME).toBe('');
    expect(env.HTTP_HOST).toBe('example.com');

    env = createEnviron('/foo', { baseUrl: 'http://example.com/bar' });
    expect(new Request(env).rootUrl).toBe('http://example.com/bar/');
    expect(env.PATH_INFO).toBe('/foo');
    expect(env.SCRIPT_NAME).toBe('/bar');
    expect(env.HTTP_HOST).toBe('example.com');

    // b.host = "localhost"
    env = createEnviron('/foo', { baseUrl: 'http://example.com/bar', host: 'localhost' });
    expect(new Request(env).rootUrl).toBe('http://localhost/bar/');
    // b.base_url = "http://localhost:8080/"
    env = createEnviron('/foo', { baseUrl: 'http://localhost:8080/' });
    expect(env.HTTP_HOST).toBe('localhost:8080');
    expect(env.SERVER_NAME).toBe('localhost');
    expect(env.SERVER_PORT).toBe('8080');

    // b.host = "foo.invalid"; b.url_scheme = "https"; b.script_root = "/test"
    env = createEnviron('/foo', {
      baseUrl: 'http://localhost:8080/',
      host: 'foo.invalid',
      scheme: 'https',
      scriptName: '/test',
    });
    expect(env.SERVER_NAME).toBe('foo.invalid');
    expect(env.SERVER_PORT).toBe('443');
    expect(env.SCRIPT_NAME).toBe('/test');
    expect(env.PATH_INFO).toBe('/foo');
    expect(env.HTTP_HOST).toBe('foo.invalid');
    expect(env['tsgi.url_scheme']).toBe('https');
    expect(new Request(env).rootUrl).toBe('https://foo.invalid/test/');
  });

  it('test_environ_builder_content_type', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'GET'])
      expect((await seen((c) => c.open(method, '/'))).req.contentType).toBe('');
    expect((await seen((c) => c.get('/', { form: { foo: 'bar' } }))).req.mimetype).toBe(
      'application/x-www-form-urlencoded',
    );
    const data = new FormData();
    data.append('foo', 'bar');
    data.append('data', file('foo', 'test.txt'));
    const { req, form, files } = await seen((c) => c.get('/', { form: data }));
    expect(req.mimetype).toBe('multipart/form-data');
    expect(form.get('foo')).toBe('bar');
    expect(decoder.decode(await files.get('data')!.bytes())).toBe('foo');
  });

  // auth=("username", "password") is the Authorization header the builder makes of it: Authorization.basic(...)
  it('test_basic_auth', async () => {
    const { req } = await seen((c) =>
      c.get('/', { headers: { Authorization: Authorization.basic('username', 'password').toString() } }),
    );
    expect(req.authorization!.username).toBe('username');
    expect(req.authorization!.password).toBe('password');
  });

  it('test_auth_object', async () => {
    const auth = new Authorization('digest', { username: 'u', password: 'p' });
    const { req } = await seen((c) => c.get('/', { headers: { Authorization: auth.toString() } }));
    expect(req.headers.get('Authorization')!.startsWith('Digest ')).toBe(true);
  });

  // stream_encode_multipart is the client's multipart encoding of a FormData, parse_form_data the request's form();
  // N/A: the switch to a temp file past `threshold` is the encoder's (Python's SpooledTemporaryFile), not Flagon's.
  it('test_environ_builder_stream_switch', async () => {
    const d = { foo: 'bar', blub: 'blah', hu: 'hum' };
    const data = new FormData();
    for (const [key, value] of Object.entries(d)) data.append(key, value);
    const { form } = await seen((c) => c.post('/', { form: data }));
    expect(form.toObject()).toEqual(d);
  });

  it('test_environ_builder_unicode_file_mix', async () => {
    const data = new FormData();
    data.append('f', file('\\N{SNOWMAN}', 'snowman.txt')); // rb"\N{SNOWMAN}": the 11 bytes, not a snowman
    data.append('s', '\u2603');
    const { form, files } = await seen((c) => c.post('/', { form: data }));
    expect(form.get('s')).toBe('\u2603');
    expect(files.get('f')!.name).toBe('f');
    expect(files.get('f')!.filename).toBe('snowman.txt');
    expect(decoder.decode(await files.get('f')!.bytes())).toBe('\\N{SNOWMAN}');
  });

  it('test_environ_builder_empty_file', async () => {
    const data = new FormData();
    data.append('f', file('', 'empty.txt'));
    data.append('s', '');
    const { form, files } = await seen((c) => c.post('/', { form: data }));
    expect(form.get('s')).toBe('');
    expect(await files.get('f')!.bytes()).toEqual(new Uint8Array(0));
  });

  it('test_create_environ', async () => {
    const env = createEnviron('/foo?bar=baz', { baseUrl: 'http://example.org/' });
    const expected: Record<string, unknown> = {
      'tsgi.multiprocess': false,
      'tsgi.version': TSGI_VERSION, // wsgi.version (1, 0)
      'tsgi.run_once': false,
      'tsgi.multithread': false,
      'tsgi.url_scheme': 'http',
      SCRIPT_NAME: '',
      SERVER_NAME: 'example.org',
      REQUEST_METHOD: 'GET',
      HTTP_HOST: 'example.org',
      PATH_INFO: '/foo',
      SERVER_PORT: '80',
      SERVER_PROTOCOL: 'HTTP/1.1',
      QUERY_STRING: 'bar=baz',
    };
    for (const [key, value] of Object.entries(expected)) expect(env[key], key).toEqual(value);
    expect(await readInput(env)).toBe('');
    expect(createEnviron('/foo', { baseUrl: 'http://example.com/' }).SCRIPT_NAME).toBe('');
  });

  // DIFFERENCE: create_environ's wsgi.errors is sys.stderr; createEnviron's tsgi.errors is a stream that keeps what the
  // app writes (collectingStream(), read back through `.text`), so a test can check it and its output stays quiet.
  // Pass { errors } for another stream.
  it.fails('test_create_environ (tsgi.errors is stderr)', () => {
    expect(createEnviron('/foo?bar=baz', { baseUrl: 'http://example.org/' })['tsgi.errors']).toBe(process.stderr);
  });

  // DIFFERENCE: a query string in the path and query_string= together are a ValueError; createEnviron's `query` is
  // added to the path's query string (`/foo?bar=baz` with { a: 'b' } is `bar=baz&a=b`), as documented.
  it.fails('test_create_environ_query_string_error', () => {
    expect(() => createEnviron('/foo?bar=baz', { query: { a: 'b' } })).toThrow();
  });

  // MISSING: EnvironBuilder.from_environ(environ), a builder back from an environ (Werkzeug uses it for Client.open(environ) and redirects); build a new environ with createEnviron, or run one with runApp(app, environ).
  it.skip('test_builder_from_environ', () => {});

  // N/A: the builder closing Python file objects given as data/files; a File or Blob in a FormData has nothing to close.
  it.skip('test_file_closing', () => {});

  it('test_follow_redirect', async () => {
    let c = clientOf(redirectWithGetApp);
    let resp = await c.get('/', { baseUrl: 'http://localhost', followRedirects: true });
    expect(resp.statusLine).toBe('200 OK');
    expect(resp.text).toBe('current url: http://localhost/some/redirect/');

    c = clientOf(redirectWithGetApp);
    resp = await c.get('/', { followRedirects: true });
    expect(resp.status).toBe(200);
    expect(resp.text).toBe('current url: http://localhost/some/redirect/');

    // test with URL other than '/' to make sure redirected URL's are correct
    c = clientOf(redirectWithGetApp);
    resp = await c.get('/first/request', { followRedirects: true });
    expect(resp.status).toBe(200);
    expect(resp.text).toBe('current url: http://localhost/some/redirect/');
  });

  it('test_follow_redirect (environ_overrides=create_environ(...))', async () => {
    const env = createEnviron('/', { baseUrl: 'http://localhost' });
    const c = clientOf(redirectWithGetApp);
    const response = await c.open('GET', '/', { environ: env, followRedirects: true });
    expect(response.statusLine).toBe('200 OK');
    expect(response.text).toBe('current url: http://localhost/some/redirect/');
  });

  it('test_follow_local_redirect', async () => {
    // autocorrect_location_header = False: Flagon's redirect() leaves a relative Location as it is
    const localRedirectApp = Request.application((req) =>
      req.url.includes('/from/location') ? redirect('/to/location') : new Response(`current path: ${req.path}`),
    );
    const c = clientOf(localRedirectApp);
    const resp = await c.get('/from/location', { followRedirects: true });
    expect(resp.status).toBe(200);
    expect(resp.text).toBe('current path: /to/location');
  });

  for (const [code, keep] of [
    [302, false],
    [301, false],
    [307, true],
    [308, true],
  ] as const) {
    it(`test_follow_redirect_body[${code}-${keep ? 'True' : 'False'}]`, async () => {
      const app = Request.application(async (request) => {
        if (request.url === 'http://localhost/some/redirect/') {
          // upstream's `assert request.method == "POST" if keep else "GET"` checks nothing when not keep (it asserts
          // "GET"); what it means, GET, is what Werkzeug sends
          expect(request.method).toBe(keep ? 'POST' : 'GET');
          expect(request.headers.get('X-Foo')).toBe('bar');
          const form = await request.form();
          if (keep) expect(form.get('foo')).toBe('bar');
          else expect(form.size).toBe(0);
          return new Response(`current url: ${request.url}`);
        }
        return redirect('http://localhost/some/redirect/', code);
      });
      const c = clientOf(app);
      const response = await c.post('/', { followRedirects: true, form: { foo: 'bar' }, headers: { 'X-Foo': 'bar' } });
      expect(response.status).toBe(200);
      expect(response.text).toBe('current url: http://localhost/some/redirect/');
    });
  }

  it('test_follow_external_redirect', async () => {
    const env = createEnviron('/', { baseUrl: 'http://localhost' });
    const c = clientOf(externalRedirectDemoApp);
    await expect(c.get('/', { environ: env, followRedirects: true })).rejects.toThrow(/external redirects/);
  });

  it('test_follow_external_redirect_on_same_subdomain', async () => {
    let c = clientOf(externalSubdomainRedirectDemoApp, { allowSubdomainRedirects: true });
    const response = await c.get('/', { baseUrl: 'http://example.com', followRedirects: true });
    expect(response.text).toBe('redirected successfully to subdomain');

    // check that this does not work for real external domains
    await expect(c.get('/', { baseUrl: 'http://localhost', followRedirects: true })).rejects.toThrow(
      /external redirects/,
    );

    // check that subdomain redirects fail if no `allow_subdomain_redirects` is applied
    c = clientOf(externalSubdomainRedirectDemoApp);
    await expect(c.get('/', { baseUrl: 'http://localhost', followRedirects: true })).rejects.toThrow(
      /external redirects/,
    );
    await expect(c.get('/', { baseUrl: 'http://example.com', followRedirects: true })).rejects.toThrow(
      /subdomain redirects is not enabled/,
    );
  });

  // with environ_overrides=create_environ("/", base_url="http://example.com"): the client takes the request's URL
  // from the environ it sent (Host example.com), as Werkzeug's, so the redirect to test.example.com is a subdomain one.
  it('test_follow_external_redirect_on_same_subdomain (environ_overrides=create_environ(...))', async () => {
    const env = createEnviron('/', { baseUrl: 'http://example.com' });
    const c = clientOf(externalSubdomainRedirectDemoApp, { allowSubdomainRedirects: true });
    const response = await c.get('/', { environ: env, followRedirects: true });
    expect(response.text).toBe('redirected successfully to subdomain');
  });

  it('test_follow_redirect_loop', async () => {
    const c = clientOf(redirectLoopApp);
    await expect(c.get('/', { followRedirects: true })).rejects.toThrow(/redirect loop/);
  });

  it('test_follow_redirect_non_root_base_url', async () => {
    const app = Request.application((request) =>
      request.path === '/redirect' ? redirect('done') : new Response(request.path),
    );
    const c = clientOf(app);
    const response = await c.get('/redirect', { baseUrl: 'http://localhost/other', followRedirects: true });
    expect(response.text).toBe('/done');
  });

  it('test_follow_redirect_exhaust_intermediate', async () => {
    class Middleware {
      active = 0;
      constructor(readonly app: GatewayApp) {}

      readonly gatewayApp: GatewayApp = (environ, startResponse) => {
        const self = this;
        return (async function* () {
          // Test client must exhaust response stream, otherwise the cleanup code that decrements this won't have
          // run by the time the next request is started.
          expect(self.active).toBe(0);
          self.active += 1;
          try {
            const body = await self.app(environ, startResponse);
            try {
              yield* body as AsyncIterable<BodyChunk>;
            } finally {
              await body.close?.();
            }
          } finally {
            self.active -= 1;
          }
        })();
      };
    }
    // upstream checks a second, unused Middleware; this is the one the client calls (buffered=False: N/A, runApp
    // always reads the body to its end and closes it)
    const app = new Middleware(redirectWithGetApp);
    const client = new TestClient(app);
    const response = await client.get('/', { followRedirects: true });
    expect(response.text).toBe('current url: http://localhost/some/redirect/');
    expect(app.active).toBe(0);
  });

  it('test_redirects_are_tracked', async () => {
    const app = Request.application((request) => {
      if (request.path === '/first') return redirect('/second');
      if (request.path === '/second') return redirect('/third');
      return new Response('done');
    });
    const c = clientOf(app);
    const response = await c.get('/first', { followRedirects: true });
    expect(response.text).toBe('done');
    expect(response.history).toHaveLength(2);

    const last = response.history.at(-1)!;
    expect(last.request.path).toBe('/second');
    expect(last.status).toBe(302);
    expect(last.headers.get('Location')).toBe('/third');
    expect(last.history).toHaveLength(1);
    expect(last.history.at(-1)).toBe(response.history.at(-2));

    const first = response.history.at(-2)!;
    expect(first.request.path).toBe('/first');
    expect(first.status).toBe(302);
    expect(first.headers.get('Location')).toBe('/second');
    expect(first.history).toHaveLength(0);
  });

  it('test_cookie_across_redirect', async () => {
    const app = Request.application((request) => {
      if (request.path === '/') return new Response(request.cookies.auth ?? 'out');
      if (request.path === '/in') {
        const rv = redirect('/');
        rv.setCookie('auth', 'in');
        return rv;
      }
      const rv = redirect('/'); // /out
      rv.deleteCookie('auth');
      return rv;
    });
    const c = clientOf(app);
    expect((await c.get('/')).text).toBe('out');
    expect((await c.get('/in', { followRedirects: true })).text).toBe('in');
    expect((await c.get('/')).text).toBe('in');
    expect((await c.get('/out', { followRedirects: true })).text).toBe('out');
    expect((await c.get('/')).text).toBe('out');
  });

  it('test_path_info_script_name_unquoting', async () => {
    const testApp: GatewayApp = (environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return [`${environ.PATH_INFO}\n${environ.SCRIPT_NAME}`];
    };
    let c = clientOf(testApp);
    let resp = await c.get('/foo%40bar');
    expect(resp.text).toBe('/foo@bar\n');
    c = clientOf(testApp);
    resp = await c.get('/foo%40bar', { baseUrl: 'http://localhost/bar%40baz' });
    expect(resp.text).toBe('/foo@bar\n/bar@baz');
  });

  it('test_multi_value_submit', async () => {
    let c = clientOf(multiValuePostApp);
    let resp = await c.post('/', { form: { field: ['val1', 'val2'] } });
    expect(resp.status).toBe(200);
    // MultiDict({"field": ["val1", "val2"]})
    c = clientOf(multiValuePostApp);
    resp = await c.post('/', {
      form: new URLSearchParams([
        ['field', 'val1'],
        ['field', 'val2'],
      ]),
    });
    expect(resp.status).toBe(200);
  });

  it('test_iri_support', () => {
    const env = createEnviron('/föö-bar', { baseUrl: 'http://☃.net/' });
    expect(env.REQUEST_URI).toBe('/f%C3%B6%C3%B6-bar'); // b.path
  });

  it('test_iri_support (the host IDNA-encoded)', () => {
    const env = createEnviron('/föö-bar', { baseUrl: 'http://☃.net/' });
    expect(env.HTTP_HOST).toBe('xn--n3h.net');
    expect(new Request(env).rootUrl).toBe('http://xn--n3h.net/');
  });

  for (const iterable of [true, false]) {
    for (const buffered of [true, false]) {
      // buffered: runApp always buffers and closes, so both rows run the same; the assertions hold for each
      it(`test_run_wsgi_apps[${iterable ? 'True' : 'False'}-${buffered ? 'True' : 'False'}]`, async () => {
        const leakedData: string[] = [];
        const html: [string, string][] = [['Content-Type', 'text/html']];

        const simpleApp: GatewayApp = (_environ, startResponse) => {
          startResponse('200 OK', html);
          return ['Hello World!'];
        };
        const yieldingApp: GatewayApp = function* (_environ, startResponse) {
          startResponse('200 OK', html);
          yield 'Hello ';
          yield 'World!';
        };
        const lateStartResponse: GatewayApp = function* (_environ, startResponse) {
          yield 'Hello ';
          yield 'World';
          startResponse('200 OK', html);
          yield '!';
        };
        const dependsOnClose: GatewayApp = (_environ, startResponse) => {
          leakedData.push('harhar');
          startResponse('200 OK', html);
          return {
            *[Symbol.iterator]() {
              yield 'Hello ';
              yield 'World';
              yield '!';
            },
            close() {
              expect(leakedData.pop()).toBe('harhar');
            },
          };
        };

        for (let app of [simpleApp, yieldingApp, lateStartResponse, dependsOnClose]) {
          if (iterable) app = iterableMiddleware(app);
          const result = await runApp(app, createEnviron());
          expect(result.status).toBe('200 OK');
          expect(result.headers).toEqual([['Content-Type', 'text/html']]);
          expect(result.text).toBe('Hello World!');
          expect(leakedData).toEqual([]);
        }
      });
    }
  }

  for (const iterable of [true, false]) {
    for (const buffered of [true, false]) {
      it(`test_lazy_start_response_empty_response_app[${iterable ? 'True' : 'False'}-${buffered ? 'True' : 'False'}]`, async () => {
        // the app object's iteration calls start_response, then stops
        let app: GatewayApp = (_environ, startResponse) => ({
          [Symbol.iterator]: () => ({
            next: (): IteratorResult<BodyChunk> => {
              startResponse('200 OK', [['Content-Type', 'text/html']]);
              return { done: true, value: undefined };
            },
          }),
        });
        if (iterable) app = iterableMiddleware(app);
        const result = await runApp(app, createEnviron());
        expect(result.status).toBe('200 OK');
        expect(result.headers).toEqual([['Content-Type', 'text/html']]);
        expect(result.text).toBe('');
      });
    }
  }

  it('test_run_wsgi_app_closing_iterator', async () => {
    const gotClose: null[] = [];
    class CloseIter implements Iterator<string> {
      iterated = false;
      [Symbol.iterator]() {
        return this;
      }
      close() {
        gotClose.push(null);
      }
      next(): IteratorResult<string> {
        if (this.iterated) return { done: true, value: undefined };
        this.iterated = true;
        return { done: false, value: 'bar' };
      }
    }
    const bar: GatewayApp = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return new CloseIter();
    };
    // upstream steps the lazy app_iter with next() and closes it by hand; runApp reads it all and closes it
    const result = await runApp(bar, createEnviron());
    expect(result.status).toBe('200 OK');
    expect(result.headers).toEqual([['Content-Type', 'text/plain']]);
    expect(result.text).toBe('bar');
    expect((await runApp(bar, createEnviron())).text).toBe('bar');
    expect(gotClose).toHaveLength(2);
  });

  it('test_multiple_cookies', async () => {
    const testApp = Request.application((request) => {
      const response = new Response(JSON.stringify(Object.entries(request.cookies).sort()));
      response.setCookie('test1', 'foo');
      response.setCookie('test2', 'bar');
      return response;
    });
    const client = clientOf(testApp);
    let resp = await client.get('/');
    expect(resp.text).toBe('[]');
    resp = await client.get('/');
    expect(resp.text).toBe(
      JSON.stringify([
        ['test1', 'foo'],
        ['test2', 'bar'],
      ]),
    );
  });

  it('test_correct_open_invocation_on_redirect', async () => {
    class MyClient extends TestClient {
      counter = 0;
      override open(method: string, path: string, options: Parameters<TestClient['open']>[2] = {}) {
        this.counter += 1;
        return super.open(method, path, { ...options, environ: { ...options.environ, 'werkzeug._foo': this.counter } });
      }
    }
    const testApp = Request.application((request) => new Response(String(request.environ['werkzeug._foo'])));
    // response_wrapper=Response: N/A, the client answers TestResponse
    const c = new MyClient({ gatewayApp: testApp });
    expect((await c.get('/')).text).toBe('1');
    expect((await c.get('/')).text).toBe('2');
    expect((await c.get('/')).text).toBe('3');
  });

  it('test_correct_encoding', () => {
    const req = new Request(createEnviron('/\u2603', { baseUrl: 'http://example.com/foo' }));
    expect(req.scriptRoot).toBe('/foo');
    expect(req.path).toBe('/\u2603');
  });

  it('test_full_url_requests_with_args', async () => {
    const base = 'http://example.com/';
    const testApp = Request.application((request) => new Response(request.args.get('x')));
    const client = clientOf(testApp);
    let resp = await client.get('/?x=42', { baseUrl: base });
    expect(resp.text).toBe('42');
    resp = await client.get('http://www.example.com/?x=23', { baseUrl: base });
    expect(resp.text).toBe('23');
  });

  it('test_delete_requests_with_form', async () => {
    const testApp = Request.application(async (request) => new Response((await request.form()).get('x') ?? ''));
    const client = clientOf(testApp);
    const resp = await client.delete('/', { form: { x: String(42) } });
    expect(resp.text).toBe('42');
  });

  // The client's `data` takes text, bytes or a FormData; a stream (Python's open file) is a body of createEnviron, run
  // with runApp as Client.open(environ). N/A: a file opened in text mode (str chunks); TSGI input is bytes.
  it('test_post_with_file_descriptor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'werkzeug-test-'));
    try {
      const f = join(dir, 'some-file.txt');
      writeFileSync(f, 'foo');
      // `with open(...) as data`: the file is open for the request and closed after it (runApp leaves an unread
      // input as it is)
      const data = createReadStream(f);
      await once(data, 'open');
      try {
        const resp = await runApp(new Response().gatewayApp, createEnviron('/', { method: 'POST', body: data }));
        expect(resp.statusCode).toBe(200);
      } finally {
        data.destroy();
        await once(data, 'close');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // MISSING: the mimetype= argument (Content-Type with charset=utf-8 added to text types); the client takes the
  // Content-Type header as given.
  it.skip('test_content_type (mimetype="text/css")', () => {});

  it('test_content_type (mimetype="application/octet-stream")', async () => {
    const testApp = Request.application((request) => new Response(request.contentType));
    const client = clientOf(testApp);
    const resp = await client.get('/', {
      data: encoder.encode('testing'),
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(resp.text).toBe('application/octet-stream');
  });

  it('test_raw_request_uri', async () => {
    const app = Request.application(
      (request) => new Response([request.path, String(request.environ.REQUEST_URI)].join('\n')),
    );
    const client = clientOf(app);
    let response = await client.get('/hello%2fworld');
    expect(response.text).toBe('/hello/world\n/hello%2fworld');

    response = await client.get('/?a=b');
    expect(response.text).toBe('/\n/?a=b');

    response = await client.get('/%3f?'); // escaped ? in path, and empty query string
    expect(response.text).toBe('/?\n/%3f?');
  });

  it('test_no_content_type_header_addition', async () => {
    // A TSGI application which returns a response with no headers.
    const noResponseHeadersApp: GatewayApp = (environ, startResponse) => {
      const response = new Response('Response');
      for (const [name] of response.headers.toList()) response.headers.delete(name);
      return response.gatewayApp(environ, startResponse);
    };
    const c = clientOf(noResponseHeadersApp);
    const response = await c.get('/');
    expect(response.headers.toList()).toEqual([['Content-Length', '8']]);
  });

  // N/A: response_wrapper= and Python's subclassing of the response class; the client answers TestResponse.
  it.skip('test_client_response_wrapper', () => {});
});
