/**
 * Port of Werkzeug's tests/test_wrappers.py (github.com/pallets/werkzeug, tag 3.1.8, commit
 * c1a26b45fb06d5e086b4d6be820c3302f588d815): the Request and Response wrappers. `Request.from_values(...)` and
 * `create_environ(...)` are `new Request(createEnviron(...))`, `Response.from_app` and `run_wsgi_app` are `runApp`, and
 * `get_wsgi_headers` / `get_wsgi_response` call the response's `gatewayApp` directly (see `sent` below), so the body
 * checked is the one the response hands the server. BSD-3-Clause, Copyright 2007 Pallets: see LICENSE-pallets.txt.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Body, Environ, GatewayApp, HeaderList } from 'flagon/gateway';
import {
  BadRequest,
  ContentRange,
  Headers,
  UnsupportedMediaType,
  WWWAuthenticate,
  httpDate,
  unquoteEtag,
} from 'flagon/http';
import { TestClient, createEnviron, runApp, type EnvironOptions } from 'flagon/testing';
import { Request, Response, sendFile } from 'flagon/wrappers';

const here = dirname(fileURLToPath(import.meta.url));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Werkzeug's `Request.from_values(path, base_url, ...)`. */
const fromValues = (path = '/', options: EnvironOptions = {}): Request => new Request(createEnviron(path, options));

/**
 * `get_wsgi_response(environ)`: status line, headers and the body chunks exactly as the response hands them to the
 * server (runApp would drop a 204's body itself, which would hide a response that sends one).
 */
async function sent(
  app: GatewayApp,
  environ: Environ = createEnviron('/'),
): Promise<{ status: string; headers: Headers; body: Uint8Array }> {
  let status = '';
  let list: HeaderList = [];
  const body: Body = await app(environ, (newStatus, newHeaders) => {
    status = newStatus;
    list = newHeaders;
    return () => {};
  });
  const chunks: Uint8Array[] = [];
  const add = (chunk: Uint8Array | string) => chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  try {
    if (Symbol.asyncIterator in body) for await (const chunk of body as AsyncIterable<Uint8Array | string>) add(chunk);
    else for (const chunk of body as Iterable<Uint8Array | string>) add(chunk);
  } finally {
    await body.close?.();
  }
  return { status, headers: new Headers(list), body: plain(Buffer.concat(chunks)) };
}

const text = async (response: Response): Promise<string> => decoder.decode(await response.getData());
/** Bytes as a plain Uint8Array (a Buffer does not deep-equal one). */
const plain = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);

/** The upstream assert_environ, with TSGI's version for WSGI's (1, 0). */
function assertEnviron(environ: Environ, method: string): void {
  expect(environ.REQUEST_METHOD).toBe(method);
  expect(environ.PATH_INFO).toBe('/');
  expect(environ.SCRIPT_NAME).toBe('');
  expect(environ.SERVER_NAME).toBe('localhost');
  expect(environ['tsgi.version']).toEqual([1, 1]);
  expect(environ['tsgi.url_scheme']).toBe('http');
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** A client of `request_demo_app`, keeping each request it saw (Werkzeug's `response.request`). */
function demoClient(): { client: TestClient; requests: Request[] } {
  const requests: Request[] = [];
  // N/A: the upstream app asserts "werkzeug.request" in request.environ, a WSGI key Werkzeug's debugger reads.
  const app = Request.application((request) => {
    requests.push(request);
    return new Response();
  });
  return { client: new TestClient({ gatewayApp: app }), requests };
}

const SET_COOKIE = { maxAge: 60, expires: 0, path: '/blub', domain: 'example.org' } as const;

describe('werkzeug tests/test_wrappers.py', () => {
  it('test_base_request', async () => {
    const { client, requests } = demoClient();

    // get requests
    await client.get('/?foo=bar&foo=hehe');
    let request = requests.at(-1)!;
    expect([...request.args]).toEqual([
      ['foo', 'bar'],
      ['foo', 'hehe'],
    ]);
    expect([...(await request.form())]).toEqual([]);
    expect(plain(await request.bytes())).toEqual(new Uint8Array(0));
    assertEnviron(request.environ, 'GET');

    // post requests with form data
    await client.post('/?blub=blah', { data: 'foo=blub+hehe&blah=42', headers: FORM });
    request = requests.at(-1)!;
    expect([...request.args]).toEqual([['blub', 'blah']]);
    expect([...(await request.form())]).toEqual([
      ['foo', 'blub hehe'],
      ['blah', '42'],
    ]);
    assertEnviron(request.environ, 'POST');

    // patch requests with form data
    await client.patch('/?blub=blah', { data: 'foo=blub+hehe&blah=42', headers: FORM });
    request = requests.at(-1)!;
    expect([...request.args]).toEqual([['blub', 'blah']]);
    expect([...(await request.form())]).toEqual([
      ['foo', 'blub hehe'],
      ['blah', '42'],
    ]);
    assertEnviron(request.environ, 'PATCH');

    // post requests with json data
    const json = '{"foo": "bar", "blub": "blah"}';
    await client.post('/?a=b', { data: json, headers: { 'Content-Type': 'application/json' } });
    request = requests.at(-1)!;
    expect(plain(await request.bytes())).toEqual(encoder.encode(json));
    expect([...request.args]).toEqual([['a', 'b']]);
    expect([...(await request.form())]).toEqual([]);
  });

  // DIFFERENCE: Werkzeug's request.data is b"" once the form parser has consumed an urlencoded body; Flagon reads the body once and keeps it, so bytes() after form() still gives it ('foo=blub+hehe&blah=42').
  it.fails('test_base_request (data after the form was parsed)', async () => {
    const { client, requests } = demoClient();
    for (const method of ['POST', 'PATCH']) {
      await client.open(method, '/?blub=blah', { data: 'foo=blub+hehe&blah=42', headers: FORM });
      const request = requests.at(-1)!;
      await request.form();
      expect(plain(await request.bytes())).toEqual(new Uint8Array(0));
    }
  });

  it('test_query_string_is_bytes', () => {
    // Flagon's raw query string is the environ's QUERY_STRING, a string (bytes are Python's type for it).
    const req = fromValues('/?foo=%2f');
    expect(req.environ.QUERY_STRING).toBe('foo=%2f');
    expect(req.fullPath).toBe('/?foo=%2f');
  });

  it.skip('test_request_repr', () => {
    /* N/A: Python's repr() ("<Request 'http://localhost/foobar' [GET]>"); Flagon's Request defines no inspect string. */
  });

  it('test_access_route', () => {
    let req = fromValues('/', {
      headers: { 'X-Forwarded-For': '192.168.1.2, 192.168.1.1' },
      remoteAddr: '192.168.1.3',
    });
    expect(req.accessRoute).toEqual(['192.168.1.2', '192.168.1.1']);
    expect(req.remoteAddr).toBe('192.168.1.3');

    req = fromValues('/', { remoteAddr: '192.168.1.3' });
    expect(req.accessRoute).toEqual(['192.168.1.3']);
  });

  it('test_url_request_descriptors', () => {
    let req = fromValues('/bar?foo=baz', { baseUrl: 'http://example.com/test' });
    expect(req.path).toBe('/bar');
    expect(req.fullPath).toBe('/bar?foo=baz');
    expect(req.scriptRoot).toBe('/test');
    expect(req.url).toBe('http://example.com/test/bar?foo=baz');
    expect(req.baseUrl).toBe('http://example.com/test/bar');
    expect(req.rootUrl).toBe('http://example.com/test/');
    expect(req.hostUrl).toBe('http://example.com/');
    expect(req.host).toBe('example.com');
    expect(req.scheme).toBe('http');

    req = fromValues('/bar?foo=baz', { baseUrl: 'https://example.com/test' });
    expect(req.scheme).toBe('https');
  });

  // DIFFERENCE: Werkzeug's url re-quotes the query string, decoding what need not be escaped ('?next=http://www.example.com/?next%3D/baz%23my%3Dhash'); Flagon rebuilds the URL as PEP 3333 does, with the query string as the client sent it ('?next=http%3A%2F%2Fwww.example.com%2F%3Fnext%3D%2Fbaz%23my%3Dhash').
  it.fails('test_url_request_descriptors_query_quoting', () => {
    const quoted = 'http%3A%2F%2Fwww.example.com%2F%3Fnext%3D%2Fbaz%23my%3Dhash';
    const unquoted = 'http://www.example.com/?next%3D/baz%23my%3Dhash';
    const req = fromValues(`/bar?next=${quoted}`, { baseUrl: 'http://example.com/' });
    expect(req.path).toBe('/bar');
    expect(req.fullPath).toBe(`/bar?next=${quoted}`);
    expect(req.url).toBe(`http://example.com/bar?next=${unquoted}`);
  });

  it('test_url_request_descriptors_hosts', () => {
    let req = new Request(createEnviron('/bar?foo=baz', { baseUrl: 'http://example.com/test' }), {
      trustedHosts: ['example.com'],
    });
    expect(req.path).toBe('/bar');
    expect(req.fullPath).toBe('/bar?foo=baz');
    expect(req.scriptRoot).toBe('/test');
    expect(req.url).toBe('http://example.com/test/bar?foo=baz');
    expect(req.baseUrl).toBe('http://example.com/test/bar');
    expect(req.rootUrl).toBe('http://example.com/test/');
    expect(req.hostUrl).toBe('http://example.com/');
    expect(req.host).toBe('example.com');
    expect(req.scheme).toBe('http');

    req = new Request(createEnviron('/bar?foo=baz', { baseUrl: 'https://example.com/test' }), {
      trustedHosts: ['example.com'],
    });
    expect(req.scheme).toBe('https');
  });

  // DIFFERENCE: a Host outside trusted_hosts raises SecurityError from url, base_url, url_root, host_url and host in Werkzeug; in Flagon it reads as '' and never reaches a URL (url is 'http:///test/bar?foo=baz'), docs/toolkit.md "Request". The App answers such a request 400 through routingException.
  it.fails('test_url_request_descriptors_hosts (an untrusted host)', () => {
    const req = new Request(createEnviron('/bar?foo=baz', { baseUrl: 'http://example.com/test' }), {
      trustedHosts: ['example.org'],
    });
    expect(() => req.url).toThrow();
    expect(() => req.baseUrl).toThrow();
    expect(() => req.rootUrl).toThrow();
    expect(() => req.hostUrl).toThrow();
    expect(() => req.host).toThrow();
  });

  it('test_authorization', () => {
    const request = fromValues('/', { headers: { Authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' } });
    const a = request.authorization!;
    expect(a.type).toBe('basic');
    expect(a.username).toBe('Aladdin');
    expect(a.password).toBe('open sesame');
  });

  it('test_authorization_with_unicode', () => {
    const request = fromValues('/', { headers: { Authorization: 'Basic 0YDRg9GB0YHQutC40IE60JHRg9C60LLRiw==' } });
    const a = request.authorization!;
    expect(a.type).toBe('basic');
    expect(a.username).toBe('русскиЁ');
    expect(a.password).toBe('Буквы');
  });

  it('test_request_application', async () => {
    const application = Request.application(() => new Response('Hello World!'));
    const failingApplication = Request.application(() => {
      throw new BadRequest();
    });

    let resp = await runApp(application, createEnviron());
    expect(resp.text).toBe('Hello World!');
    expect(resp.statusCode).toBe(200);

    resp = await runApp(failingApplication, createEnviron());
    expect(resp.text).toContain('Bad Request');
    expect(resp.statusCode).toBe(400);
  });

  it('test_request_access_control', () => {
    const request = fromValues('/', {
      headers: {
        Origin: 'https://palletsprojects.com',
        'Access-Control-Request-Headers': 'X-A, X-B',
        'Access-Control-Request-Method': 'PUT',
      },
    });
    expect(request.origin).toBe('https://palletsprojects.com');
    expect(new Set(request.accessControlRequestHeaders)).toEqual(new Set(['X-A', 'X-B']));
    expect(request.accessControlRequestMethod).toBe('PUT');
  });

  it('test_response_access_control', () => {
    const response = new Response('Hello World');
    expect(response.accessControlAllowCredentials).toBe(false);
    response.accessControlAllowCredentials = true;
    response.accessControlAllowHeaders = ['X-A', 'X-B'];
    expect(response.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    expect(new Set(response.headers.get('Access-Control-Allow-Headers')!.split(', '))).toEqual(new Set(['X-A', 'X-B']));
  });

  it('test_base_response', async () => {
    const response = new Response('öäü');
    expect(plain(await response.getData())).toEqual(encoder.encode('öäü'));
  });

  // MISSING: response.stream, a file-like writer that appends to the body (stream.write, writelines); give the body whole, or as an iterable.
  it.skip('test_base_response (stream.write)', () => {});

  // DIFFERENCE: Werkzeug gives 'Content-Type: text/plain; charset=utf-8' and 'foo=bar; Domain=example.org; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60; Path=/blub; SameSite=Strict'; Flagon's default type is Flask's text/html, cookies are HttpOnly unless told otherwise, and the attributes come in another order ('foo=bar; Max-Age=60; Domain=example.org; Path=/blub; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict').
  it.fails('test_base_response (set_cookie)', () => {
    const response = new Response();
    response.setCookie('foo', 'bar', { ...SET_COOKIE, sameSite: 'Strict' });
    expect(response.headers.toList()).toEqual([
      ['Content-Type', 'text/plain; charset=utf-8'],
      [
        'Set-Cookie',
        'foo=bar; Domain=example.org; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60; Path=/blub; SameSite=Strict',
      ],
    ]);
  });

  // DIFFERENCE: as the set_cookie part: Flagon writes 'foo=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax' after 'text/html; charset=utf-8' (its defaults, in its order).
  it.fails('test_base_response (delete_cookie)', () => {
    const response = new Response();
    response.deleteCookie('foo');
    expect(response.headers.toList()).toEqual([
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['Set-Cookie', 'foo=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/'],
    ]);
  });

  /** The upstream Iterable: no items, and a close() that counts. */
  function closingIterable(closed: boolean[]): Iterable<string> & { close(): void } {
    return {
      [Symbol.iterator]: () => ({ next: () => ({ done: true, value: undefined }) }),
      close: () => {
        closed.push(true);
      },
    };
  }

  it('test_base_response (close call forwarding)', async () => {
    const closed: boolean[] = [];
    const response = new Response(closingIterable(closed));
    const result = await runApp(response.gatewayApp, createEnviron());
    expect(result.status).toBe('200 OK');
    expect(result.text).toBe('');
    expect(closed).toHaveLength(1);
  });

  it('test_base_response (call_on_close)', async () => {
    const closed: boolean[] = [];
    const response = new Response(closingIterable(closed));
    response.callOnClose(() => closed.push(true));
    const result = await runApp(response.gatewayApp, createEnviron());
    expect(result.status).toBe('200 OK');
    expect(result.text).toBe('');
    expect(closed).toHaveLength(2);
  });

  it('test_base_response (with statement)', () => {
    // Python's `with response:` is response.close().
    const closed: boolean[] = [];
    const response = new Response(closingIterable(closed));
    response.close();
    expect(closed).toHaveLength(1);
  });

  it('test_response_set_status_code[200-200 OK]', () => {
    const response = new Response();
    response.status = 200;
    expect(response.status).toBe(200);
    expect(response.statusLine).toBe('200 OK');
  });

  // DIFFERENCE: Werkzeug upper-cases the reason phrase ('404 NOT FOUND'); Flagon writes RFC 9110's ('404 Not Found'). Clients ignore the phrase (RFC 9112 §4).
  it.fails('test_response_set_status_code[404-404 NOT FOUND]', () => {
    const response = new Response();
    response.status = 404;
    expect(response.status).toBe(404);
    expect(response.statusLine).toBe('404 NOT FOUND');
  });

  it.each<[number, string]>([
    [588, '588 UNKNOWN'],
    [999, '999 UNKNOWN'],
  ])('test_response_set_status_code[%d-%s]', (statusCode, expected) => {
    const response = new Response();
    response.status = statusCode;
    expect(response.status).toBe(statusCode);
    expect(response.statusLine).toBe(expected);
  });

  // MISSING: a status given as a string ('404', '999 WTF', 'wtf'), with its own reason phrase; Flagon's status is a number (100-999) and its phrase is the standard one.
  it.skip.each([
    '404-404-404 NOT FOUND',
    '588-588-588 UNKNOWN',
    '999-999-999 UNKNOWN',
    '200 OK-200-200 OK',
    '999 WTF-999-999 WTF',
    'wtf-0-0 wtf',
    '200 TEA POT-200-200 TEA POT',
  ])('test_response_set_status[%s]', () => {});

  it('test_response_set_status[200-200-200 OK]', () => {
    let response = new Response();
    response.status = 200;
    expect(response.status).toBe(200);
    expect(response.statusLine).toBe('200 OK');

    response = new Response(null, { status: 200 });
    expect(response.status).toBe(200);
    expect(response.statusLine).toBe('200 OK');
  });

  // DIFFERENCE: the reason phrase, as test_response_set_status_code[404]: '400 Bad Request', not '400 BAD REQUEST'.
  it.fails('test_response_set_status[400-400-400 BAD REQUEST]', () => {
    let response = new Response();
    response.status = 400;
    expect(response.status).toBe(400);
    expect(response.statusLine).toBe('400 BAD REQUEST');

    response = new Response(null, { status: 400 });
    expect(response.status).toBe(400);
    expect(response.statusLine).toBe('400 BAD REQUEST');
  });

  it('test_response_init_status_empty_string', () => {
    // Python's ValueError is a RangeError; the status is typed as a number, so '' only gets there past the types.
    expect(() => new Response(null, { status: '' as unknown as number })).toThrow(RangeError);
    expect(() => new Response(null, { status: '' as unknown as number })).toThrow(/is not an HTTP status code/);
  });

  it.skip('test_type_forcing', () => {
    /* N/A: Response.force_type converts between Python subclasses of Response; runApp(app, environ) collects any TSGI app's response (test_request_application). */
  });

  it('test_accept', () => {
    const items = (accept: Iterable<{ value: string; quality: number }>) =>
      [...accept].map(({ value, quality }) => [value, quality]);
    let request = fromValues('/', {
      host: 'eggs',
      headers: {
        Accept: 'text/xml,application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5',
        'Accept-Charset': 'ISO-8859-1,utf-8;q=0.7,*;q=0.7',
        'Accept-Encoding': 'gzip,deflate',
        'Accept-Language': 'en-us,en;q=0.5',
      },
    });
    expect(items(request.accept)).toEqual([
      ['text/xml', 1],
      ['application/xml', 1],
      ['application/xhtml+xml', 1],
      ['image/png', 1],
      ['text/html', 0.9],
      ['text/plain', 0.8],
      ['*/*', 0.5],
    ]);
    expect(items(request.acceptCharsets)).toEqual([
      ['ISO-8859-1', 1],
      ['utf-8', 0.7],
      ['*', 0.7],
    ]);
    expect(items(request.acceptEncodings)).toEqual([
      ['gzip', 1],
      ['deflate', 1],
    ]);
    expect(items(request.acceptLanguages)).toEqual([
      ['en-us', 1],
      ['en', 0.5],
    ]);

    request = fromValues('/', { host: 'example.org', headers: { Accept: '' } });
    expect(items(request.accept)).toEqual([]);
  });

  it('test_etag_request (cache_control)', () => {
    const request = fromValues('/', { host: 'eggs', headers: { 'Cache-Control': 'no-store, no-cache' } });
    expect(request.cacheControl.noStore).toBe(true);
    expect(request.cacheControl.noCache).toBe(true);
  });

  it('test_etag_request', () => {
    const request = fromValues('/', {
      host: 'eggs',
      headers: {
        'Cache-Control': 'no-store, no-cache',
        'If-Match': 'W/"foo", bar, "baz"',
        'If-None-Match': 'W/"foo", bar, "baz"',
        'If-Modified-Since': 'Tue, 22 Jan 2008 11:18:44 GMT',
        'If-Unmodified-Since': 'Tue, 22 Jan 2008 11:18:44 GMT',
      },
    });
    expect(request.cacheControl.noStore).toBe(true);
    expect(request.cacheControl.noCache).toBe(true);

    // Werkzeug's etags("bar") is contains("bar").
    for (const etags of [request.ifMatch, request.ifNoneMatch]) {
      expect(etags.contains('bar')).toBe(true);
      expect(etags.containsRaw('W/"foo"')).toBe(true);
      expect(etags.containsWeak('foo')).toBe(true);
      expect(etags.contains('foo')).toBe(false);
    }

    const dt = new Date(Date.UTC(2008, 0, 22, 11, 18, 44));
    expect(request.ifModifiedSince).toEqual(dt);
    expect(request.ifUnmodifiedSince).toEqual(dt);
  });

  it('test_user_agent', () => {
    const userAgent = 'Mozilla/5.0 (X11; Linux x86_64; rv:94.0) Gecko/20100101 Firefox/94.0';
    const request = fromValues('/', { headers: { 'User-Agent': userAgent } });
    // Werkzeug's to_header() and str() are toString() here.
    expect(request.userAgent.toString()).toBe(userAgent);
    expect(String(request.userAgent)).toBe(userAgent);
    expect(request.userAgent.string).toBe(userAgent);
  });

  it('test_stream_wrapping', async () => {
    async function* lowercasing(stream: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const chunk of stream) yield encoder.encode(decoder.decode(chunk).toLowerCase());
    }
    const req = fromValues('/', { method: 'POST', body: 'foo=Hello+World', headers: FORM });
    // Werkzeug's req.stream is the environ's tsgi.input here.
    req.environ['tsgi.input'] = lowercasing(req.environ['tsgi.input']);
    expect((await req.form()).get('foo')).toBe('hello world');
  });

  // DIFFERENCE: Werkzeug's request.data parses an urlencoded body as a form and gives b""; Flagon's bytes() gives the body for any Content-Type, and form() still parses it afterwards (the part below).
  it.fails('test_data_descriptor_triggers_parsing', async () => {
    const req = fromValues('/', { method: 'POST', body: 'foo=Hello+World', headers: FORM });
    expect(plain(await req.bytes())).toEqual(new Uint8Array(0));
    expect((await req.form()).get('foo')).toBe('Hello World');
  });

  it('test_data_descriptor_triggers_parsing (form after data)', async () => {
    const req = fromValues('/', { method: 'POST', body: 'foo=Hello+World', headers: FORM });
    await req.bytes();
    expect((await req.form()).get('foo')).toBe('Hello World');
  });

  it('test_get_data_method_parsing_caching_behavior', async () => {
    const data = 'foo=Hello+World';
    const req = fromValues('/', { method: 'POST', body: data, headers: FORM });
    // get_data() caches, so form stays available
    expect(plain(await req.bytes())).toEqual(encoder.encode(data));
    expect((await req.form()).get('foo')).toBe('Hello World');
    expect(plain(await req.bytes())).toEqual(encoder.encode(data));
  });

  // DIFFERENCE: here the form is read first; Werkzeug's get_data() then gives b"", Flagon's bytes() the body it kept (see test_base_request (data after the form was parsed)).
  it.fails('test_get_data_method_parsing_caching_behavior (form first)', async () => {
    const req = fromValues('/', { method: 'POST', body: 'foo=Hello+World', headers: FORM });
    expect((await req.form()).get('foo')).toBe('Hello World');
    expect(plain(await req.bytes())).toEqual(new Uint8Array(0));
  });

  // DIFFERENCE: get_data(cache=False) reads the stream without keeping it, so a second call and the form get nothing; Flagon's body readers always read the body once and keep it (docs/toolkit.md "Request"), so there is no cache switch.
  it.skip('test_get_data_method_parsing_caching_behavior (cache=False)', () => {});

  // DIFFERENCE: get_data(parse_form_data=True) parses the form and gives b""; Flagon has no such switch: form() and bytes() each read the one kept body.
  it.skip('test_get_data_method_parsing_caching_behavior (parse_form_data=True)', () => {});

  // DIFFERENCE: Werkzeug drops Content-Length from a 304; Flagon keeps the selected representation's (RFC 9110 §8.6 allows it; docs/conformance.md). The rest of the test passes (the part below).
  it.fails('test_etag_response', async () => {
    // Flagon has no get_etag(): the ETag header, through unquoteEtag.
    const response = new Response('Hello World');
    expect(response.headers.get('ETag')).toBeNull();
    response.addEtag();
    expect(unquoteEtag(response.headers.get('ETag')!)).toEqual({
      tag: '0a4d55a8d778e5022fab701977c5d840bbc486d0',
      weak: false,
    });
    expect(response.cacheControl.provided).toBe(false);
    response.cacheControl.mustRevalidate = true;
    response.cacheControl.maxAge = 60;
    response.headers.set('Content-Length', (await response.getData()).byteLength);
    expect(['must-revalidate, max-age=60', 'max-age=60, must-revalidate']).toContain(
      response.headers.get('Cache-Control'),
    );

    expect(response.headers.has('date')).toBe(false);
    const env = createEnviron('/', {
      method: 'GET',
      headers: { 'If-None-Match': unquoteEtag(response.headers.get('ETag')!).tag },
    });
    response.makeConditional(new Request(env));
    expect(response.headers.has('date')).toBe(true);

    // after the thing is invoked by the server as a TSGI application, there must not be any entity headers left
    // and the status code would have to be 304
    const resp = await runApp(response.gatewayApp, env);
    expect(resp.statusCode).toBe(304);
    expect(resp.header('content-length')).toBeNull();
  });

  it("test_etag_response (all but the 304's Content-Length)", async () => {
    const response = new Response('Hello World');
    response.addEtag();
    response.cacheControl.mustRevalidate = true;
    response.cacheControl.maxAge = 60;
    response.headers.set('Content-Length', (await response.getData()).byteLength);
    expect(response.headers.has('date')).toBe(false);
    const env = createEnviron('/', {
      method: 'GET',
      headers: { 'If-None-Match': unquoteEtag(response.headers.get('ETag')!).tag },
    });
    response.makeConditional(new Request(env));
    expect(response.headers.has('date')).toBe(true);
    expect((await runApp(response.gatewayApp, env)).statusCode).toBe(304);
  });

  it('test_etag_response (date and content length kept)', () => {
    const env = createEnviron('/', { headers: { 'If-None-Match': '0a4d55a8d778e5022fab701977c5d840bbc486d0' } });
    // make sure date is not overridden (Flagon's Response has no date property: the header, from 1337 seconds)
    let response = new Response('Hello World');
    response.headers.set('Date', httpDate(1337 * 1000));
    const d = response.headers.get('Date');
    response.makeConditional(new Request(env));
    expect(response.headers.get('Date')).toBe(d);

    // make sure content length is only set if missing
    response = new Response('Hello World');
    response.headers.set('Content-Length', 999);
    response.makeConditional(new Request(env));
    expect(response.headers.get('Content-Length')).toBe('999');
  });

  it('test_etag_response_412', async () => {
    const response = new Response('Hello World');
    expect(response.headers.get('ETag')).toBeNull();
    response.addEtag();
    expect(unquoteEtag(response.headers.get('ETag')!)).toEqual({
      tag: '0a4d55a8d778e5022fab701977c5d840bbc486d0',
      weak: false,
    });
    expect(response.cacheControl.provided).toBe(false);
    response.cacheControl.mustRevalidate = true;
    response.cacheControl.maxAge = 60;
    response.headers.set('Content-Length', (await response.getData()).byteLength);
    expect(['must-revalidate, max-age=60', 'max-age=60, must-revalidate']).toContain(
      response.headers.get('Cache-Control'),
    );

    expect(response.headers.has('date')).toBe(false);
    const env = createEnviron('/', {
      method: 'GET',
      headers: { 'If-Match': `${unquoteEtag(response.headers.get('ETag')!).tag}xyz` },
    });
    response.makeConditional(new Request(env));
    expect(response.headers.has('date')).toBe(true);

    // after the thing is invoked by the server as a TSGI application, the status code would have to be 412
    const resp = await runApp(response.gatewayApp, env);
    expect(resp.statusCode).toBe(412);
    // Make sure there is a body still
    expect(resp.body.byteLength).toBeGreaterThan(0);

    // make sure date is not overridden
    const dated = new Response('Hello World');
    dated.headers.set('Date', httpDate(1337 * 1000));
    const d = dated.headers.get('Date');
    dated.makeConditional(new Request(env));
    expect(dated.headers.get('Date')).toBe(d);
  });

  // DIFFERENCE: this response has no ETag, so no tag in If-Match can match it: Werkzeug then leaves it alone (200, Content-Length 999 kept); Flagon evaluates If-Match as RFC 9110 §13.1.1 says, false, and answers 412 with the Precondition Failed page as the body, dropping the old Content-Length with the old body.
  it.fails('test_etag_response_412 (content length kept)', () => {
    const env = createEnviron('/', { headers: { 'If-Match': '0a4d55a8d778e5022fab701977c5d840bbc486d0xyz' } });
    const response = new Response('Hello World');
    response.headers.set('Content-Length', 999);
    response.makeConditional(new Request(env));
    expect(response.headers.get('Content-Length')).toBe('999');
  });

  it('test_advertise_accept_ranges', () => {
    const env = createEnviron();
    const response = new Response();
    response.makeConditional(new Request(env), { acceptRanges: true });
    expect(response.status).toBe(200);
    expect(response.headers.get('Accept-Ranges')).toBe('bytes');
    expect(response.headers.has('Content-Range')).toBe(false);
  });

  // complete_length has no counterpart: Flagon takes the length from the body (here a text body of 11 bytes).
  it('test_range_request_basic', async () => {
    const env = createEnviron('/', { headers: { Range: 'bytes=0-4' } });
    const response = new Response('Hello World');
    response.makeConditional(new Request(env), { acceptRanges: true });
    expect(response.status).toBe(206);
    expect(response.headers.get('Accept-Ranges')).toBe('bytes');
    expect(response.headers.get('Content-Range')).toBe('bytes 0-4/11');
    expect(response.headers.get('Content-Length')).toBe('5');
    expect(await text(response)).toBe('Hello');
  });

  it('test_range_request_out_of_bound', async () => {
    const env = createEnviron('/', { headers: { Range: 'bytes=6-666' } });
    const response = new Response('Hello World');
    response.makeConditional(new Request(env), { acceptRanges: true });
    expect(response.status).toBe(206);
    expect(response.headers.get('Accept-Ranges')).toBe('bytes');
    expect(response.headers.get('Content-Range')).toBe('bytes 6-10/11');
    expect(response.headers.get('Content-Length')).toBe('5');
    expect(await text(response)).toBe('World');
  });

  const fname = join(here, 'werkzeug-wrappers', 'test.txt');

  // wrap_file(env, f) with make_conditional(..., complete_length=size) is sendFile(path, { request }), which knows the
  // file's size and applies the request's Range itself.
  it('test_range_request_with_file', async () => {
    const fcontent = readFileSync(fname);
    const env = createEnviron('/', { headers: { Range: 'bytes=0-0' } });
    const response = await sendFile(fname, { request: new Request(env) });
    expect(response.status).toBe(206);
    expect(response.headers.get('Accept-Ranges')).toBe('bytes');
    expect(response.headers.get('Content-Range')).toBe(`bytes 0-0/${fcontent.byteLength}`);
    expect(response.headers.get('Content-Length')).toBe('1');
    expect(plain(await response.getData())).toEqual(new Uint8Array(fcontent.subarray(0, 1)));
  });

  it('test_range_request_with_complete_file', async () => {
    const fcontent = readFileSync(fname);
    const fsize = statSync(fname).size;
    const env = createEnviron('/', { headers: { Range: `bytes=0-${fsize - 1}` } });
    const response = await sendFile(fname, { request: new Request(env) });
    expect(response.status).toBe(206);
    expect(response.headers.get('Accept-Ranges')).toBe('bytes');
    expect(response.headers.get('Content-Range')).toBe(`bytes 0-${fsize - 1}/${fsize}`);
    expect(response.headers.get('Content-Length')).toBe(String(fsize));
    expect(plain(await response.getData())).toEqual(new Uint8Array(fcontent));
  });

  it('test_range_request_without_complete_length[None]', async () => {
    // No complete length: in Flagon, a body whose length is unknown (a stream).
    const env = createEnviron('/', { headers: { Range: 'bytes=0-10' } });
    const response = new Response(
      (function* () {
        yield 'Hello World';
      })(),
    );
    response.makeConditional(new Request(env), { acceptRanges: true });
    expect(response.status).toBe(200);
    expect(await text(response)).toBe('Hello World');
  });

  it.skip('test_range_request_without_complete_length[0]', () => {
    /* N/A: complete_length=0 is a Werkzeug argument; Flagon takes the length from the body, which cannot be 0 and 'Hello World' at once. */
  });

  // DIFFERENCE: an unparsable Range ('bytes=-') raises RequestedRangeNotSatisfiable in Werkzeug; Flagon ignores it and answers the full 200 (RFC 9110 §14.2; docs/conformance.md). Raising is translated as the 416 makeConditional would make.
  it.fails('test_invalid_range_request', () => {
    const env = createEnviron('/', { headers: { Range: 'bytes=-' } });
    const response = new Response('Hello World');
    response.makeConditional(new Request(env), { acceptRanges: true });
    expect(response.status).toBe(416);
  });

  // MISSING: response.freeze() (buffer the body, set Content-Length and add the ETag); `await response.getData()` then `response.addEtag()` does it.
  it.skip('test_etag_response_freezing', () => {});

  it('test_authenticate', () => {
    const resp = new Response();
    resp.wwwAuthenticate.realm = 'Testing';
    expect(resp.headers.get('WWW-Authenticate')).toBe('Basic realm=Testing');
    // Python's `del resp.www_authenticate` is setting it to null.
    resp.wwwAuthenticate = null;
    expect(resp.headers.has('WWW-Authenticate')).toBe(false);
  });

  it('test_authenticate_quoted_qop', () => {
    // Example taken from https://github.com/pallets/werkzeug/issues/633
    const resp = new Response();
    resp.wwwAuthenticate = new WWWAuthenticate('digest', { realm: 'REALM', nonce: 'NONCE', qop: 'auth, auth-int' });
    expect(resp.headers.get('WWW-Authenticate')).toBe('Digest realm="REALM", nonce="NONCE", qop="auth, auth-int"');

    // Werkzeug's parameters["qop"] = "auth" is set('qop', 'auth').
    resp.wwwAuthenticate.set('qop', 'auth');
    expect(resp.headers.get('WWW-Authenticate')).toBe('Digest realm="REALM", nonce="NONCE", qop="auth"');
  });

  // MISSING: response.stream (stream.write) and response.response, the list of body chunks.
  it.skip('test_response_stream', () => {});

  it('test_common_response_descriptors (mimetype)', () => {
    const response = new Response();
    response.mimetype = 'text/html';
    expect(response.mimetype).toBe('text/html');
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  });

  it('test_common_response_descriptors (mimetype_params, content_length)', () => {
    const response = new Response();
    response.mimetype = 'text/html';
    expect({ ...response.mimetypeParams }).toEqual({ charset: 'utf-8' });
    response.mimetypeParams['x-foo'] = 'yep';
    delete response.mimetypeParams.charset;
    expect(response.headers.get('Content-Type')).toBe('text/html; x-foo=yep');

    // DIFFERENCE: Werkzeug's content_length is None until the header is set; Flagon's is the body's length (0 here),
    // and the header once set. It takes a number, not the string "42".
    expect(response.contentLength).toBe(0);
    response.contentLength = 42;
    expect(response.contentLength).toBe(42);
    expect(response.headers.get('Content-Length')).toBe('42');
  });

  it('test_common_response_descriptors', () => {
    const response = new Response();
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);

    for (const attr of ['date', 'expires'] as const) {
      expect(response[attr]).toBeNull();
      response[attr] = now;
      expect(response[attr]).toEqual(now);
    }

    // Werkzeug's age is a timedelta; here a number of seconds.
    expect(response.age).toBeNull();
    response.age = 24 * 3600 + 3 * 60 + 5;
    expect(response.age).toBe(86585);
    response.age = 42;
    expect(response.age).toBe(42);

    expect(response.retryAfter).toBeNull();
    response.retryAfter = now;
    expect(response.retryAfter).toEqual(now);

    expect(response.vary.size).toBe(0);
    response.vary.add('Cookie');
    response.vary.add('Content-Language');
    expect(response.vary.has('cookie')).toBe(true);
    expect(response.vary.toString()).toBe('Cookie, Content-Language');
    response.headers.set('Vary', 'Content-Encoding');
    expect([...response.vary]).toEqual(['Content-Encoding']);

    // Werkzeug's allow.update([...]) is add(...items).
    response.allow.add('GET', 'POST');
    expect(response.headers.get('Allow')).toBe('GET, POST');

    response.contentLanguage.add('en-US');
    response.contentLanguage.add('fr');
    expect(response.headers.get('Content-Language')).toBe('en-US, fr');
  });

  it('test_common_request_descriptors', () => {
    const request = fromValues('/', {
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': '23',
        Referer: 'http://www.example.com/',
        Date: 'Sat, 28 Feb 2009 19:04:35 GMT',
        'Max-Forwards': '10',
        Pragma: 'no-cache',
        'Content-Encoding': 'gzip',
        'Content-MD5': '9a3bc6dbc47a70db25b84c6e5867a072',
      },
    });
    expect(request.contentType).toBe('text/html; charset=utf-8');
    expect(request.mimetype).toBe('text/html');
    expect({ ...request.mimetypeParams }).toEqual({ charset: 'utf-8' });
    expect(request.contentLength).toBe(23);
    expect(request.referrer).toBe('http://www.example.com/');
    expect(request.date).toEqual(new Date(Date.UTC(2009, 1, 28, 19, 4, 35)));
    expect(request.maxForwards).toBe(10);
    expect(request.pragma.has('no-cache')).toBe(true);
    expect(request.contentEncoding).toBe('gzip');
    expect(request.contentMd5).toBe('9a3bc6dbc47a70db25b84c6e5867a072');
  });

  it('test_request_mimetype_always_lowercase', () => {
    const request = fromValues('/', { headers: { 'Content-Type': 'APPLICATION/JSON' } });
    expect(request.mimetype).toBe('application/json');
  });

  // MISSING: shallow requests (Request(environ, shallow=True), whose stream, data and form raise RuntimeError so middleware cannot consume the body); a Flagon Request reads the body only when a reader is called.
  it.skip('test_shallow_mode', () => {});

  // DIFFERENCE: a multipart body that is not valid multipart gives empty files and form in Werkzeug; Flagon's files() and form() throw BadRequest ('The multipart body is malformed'), a 400 (docs/toolkit.md "Uploads").
  it.fails('test_form_parsing_failed', async () => {
    const data = '--blah\r\n';
    const request = fromValues('/', {
      method: 'POST',
      body: data,
      headers: { 'Content-Type': 'multipart/form-data; boundary=foo' },
    });
    expect((await request.files()).size).toBe(0);
    expect((await request.form()).size).toBe(0);
  });

  it('test_form_parsing_failed (bad Content-Type)', async () => {
    const request = fromValues('/', { method: 'POST', body: 'test', headers: { 'Content-Type': ', ' } });
    expect((await request.form()).size).toBe(0);
  });

  const MULTIPART_FILE =
    '--foo\r\n' +
    'Content-Disposition: form-data; name="foo"; filename="foo.txt"\r\n' +
    'Content-Type: text/plain; charset=utf-8\r\n\r\n' +
    'file contents, just the contents\r\n' +
    '--foo--';

  it('test_file_closing (mimetype and filename)', async () => {
    const req = fromValues('/', {
      method: 'POST',
      body: MULTIPART_FILE,
      headers: { 'Content-Type': 'multipart/form-data; boundary=foo' },
    });
    const foo = (await req.files()).get('foo')!;
    expect(foo.contentType).toBe('text/plain');
    expect(foo.filename).toBe('foo.txt');
    await req.close();
  });

  it.skip('test_file_closing', () => {
    /* N/A: foo.closed is a Python file object's; a FileStorage holds bytes or a temp file path, not an open file, and req.close() removes the temp files (test/wrappers). */
  });

  it.skip('test_file_closing_with', () => {
    /* N/A: `with req:` and foo.closed, as test_file_closing. */
  });

  it('test_response_streamed', () => {
    let r = new Response();
    expect(r.isStreamed).toBe(false);
    r = new Response('Hello World');
    expect(r.isStreamed).toBe(false);
    r = new Response(['foo', 'bar']);
    expect(r.isStreamed).toBe(false);

    function* gen(): Generator<string> {}
    r = new Response(gen());
    expect(r.isStreamed).toBe(true);
  });

  // MISSING: response.iterEncoded() and assigning response.response; wrap the generator before giving it to the Response.
  it.skip('test_response_iter_wrapping', () => {});

  // MISSING: response.freeze() (test_etag_response_freezing) and response.response.
  it.skip('test_response_freeze', () => {});

  it('test_response_content_length_uses_encode', () => {
    // calculate_content_length() is the contentLength getter: the body's length, text counted as UTF-8.
    const r = new Response('你好');
    expect(r.contentLength).toBe(6);
  });

  it('test_other_method_payload', async () => {
    const data = 'Hello World';
    const req = fromValues('/', {
      method: 'WHAT_THE_FUCK',
      body: data,
      headers: { 'Content-Type': 'text/plain', 'Content-Length': String(data.length) },
    });
    expect(plain(await req.bytes())).toEqual(encoder.encode(data));
    // N/A: isinstance(req.stream, LimitedStream), a WSGI stream class.
  });

  it('test_urlfication', async () => {
    const resp = new Response();
    resp.headers.set('Location', 'http://üser:pässword@☃.net/påth');
    resp.headers.set('Content-Location', 'http://☃.net/');
    const { headers } = await sent(resp.gatewayApp);
    expect(headers.get('location')).toBe('http://%C3%BCser:p%C3%A4ssword@xn--n3h.net/p%C3%A5th');
    expect(headers.get('content-location')).toBe('http://xn--n3h.net/');
  });

  it('test_new_response_iterator_behavior (data, length, streamed)', async () => {
    const resp = new Response('Hello Wörld!');
    const getContentLength = async (r: Response) => Number((await sent(r.gatewayApp)).headers.get('content-length'));
    function* generateItems(): Generator<string> {
      yield 'Hello ';
      yield 'Wörld!';
    }

    expect(plain(await resp.getData())).toEqual(encoder.encode('Hello Wörld!'));
    expect(await getContentLength(resp)).toBe(13);
    expect(resp.isStreamed).toBe(false);

    // try the same for manual assignment
    resp.setData('Wörd');
    expect(plain(await resp.getData())).toEqual(encoder.encode('Wörd'));
    expect(await getContentLength(resp)).toBe(5);
    expect(resp.isStreamed).toBe(false);

    // automatic generator sequence conversion
    resp.setData(generateItems());
    expect(resp.isStreamed).toBe(true);
    expect(plain(await resp.getData())).toEqual(encoder.encode('Hello Wörld!'));
    expect(resp.isStreamed).toBe(false);
  });

  // MISSING: response.response (the chunk list), isSequence, implicitSequenceConversion, makeSequence() and response.stream.
  it.skip('test_new_response_iterator_behavior', () => {});

  it.skip('test_form_data_ordering', () => {
    /* N/A: parameter_storage_class, a Python class attribute (here the deprecated OrderedMultiDict); Flagon's MultiDict groups values by key as Werkzeug's default MultiDict does, and request.values combines args and the form (test_values). */
  });

  it('test_values', async () => {
    // Werkzeug's data={...} is an urlencoded body here; values is async, as the form is.
    let r = fromValues('/?a=1', { method: 'POST', body: 'a=2&b=2', headers: FORM });
    let values = await r.values();
    expect(values.get('a')).toBe('1');
    expect(values.get('b')).toBe('2');

    // form should not be combined for GET method
    r = fromValues('/?a=1', { method: 'GET', body: 'a=2&b=2', headers: FORM });
    values = await r.values();
    expect(values.get('a')).toBe('1');
    expect(values.has('b')).toBe(false);
  });

  it.skip('test_storage_classes', () => {
    /* N/A: dict_storage_class, list_storage_class and parameter_storage_class are Python class attributes; the cookie parts are below. */
  });

  it('test_storage_classes (the first of a repeated cookie)', () => {
    const req = fromValues('/', { headers: { Cookie: 'foo=bar;foo=baz' } });
    expect({ ...req.cookies }).toEqual({ foo: 'bar' });
  });

  // MISSING: every value of a repeated cookie (req.cookies.getlist('foo') == ['bar', 'baz']); Flagon's cookies are a record of first values.
  it.skip('test_storage_classes (getlist of a repeated cookie)', () => {});

  // DIFFERENCE: Response(headers=headers) keeps the Headers object given; Flagon copies it into the response's own Headers (which also get the Content-Type), so the caller's object is never changed by the response.
  it.fails('test_response_headers_passthrough', () => {
    const headers = new Headers();
    const resp = new Response(null, { headers });
    expect(resp.headers).toBe(headers);
  });

  it('test_response_304_no_content_length', async () => {
    const resp = new Response('Test', { status: 304 });
    expect((await sent(resp.gatewayApp)).headers.has('content-length')).toBe(false);
  });

  it('test_ranges', () => {
    expect(fromValues().range).toBeNull();
    const req = fromValues('/', { headers: { Range: 'bytes=0-499' } });
    // Werkzeug's ranges are [start, stop) pairs ([(0, 500)]); Flagon's end is inclusive, as the header writes it.
    expect(req.range?.ranges).toEqual([{ start: 0, end: 499 }]);

    const resp = new Response();
    resp.contentRange = req.range!.makeContentRange(1000);
    expect([resp.contentRange?.units, resp.contentRange?.start, resp.contentRange?.end]).toEqual(['bytes', 0, 499]);
    expect(resp.contentRange?.length).toBe(1000);
    expect(resp.headers.get('Content-Range')).toBe('bytes 0-499/1000');
  });

  it('test_ranges (response.content_range)', () => {
    const resp = new Response();
    // Werkzeug's ContentRange stop is exclusive (500); Flagon's end is inclusive (499), as the header writes it.
    resp.contentRange = new ContentRange('bytes', 0, 499, 1000);
    expect([resp.contentRange?.units, resp.contentRange?.start, resp.contentRange?.end]).toEqual(['bytes', 0, 499]);
    expect(resp.contentRange?.length).toBe(1000);
    expect(resp.headers.get('Content-Range')).toBe('bytes 0-499/1000');

    // Werkzeug's content_range.unset(): not live here, so set it to null.
    resp.contentRange = null;
    expect(resp.headers.has('Content-Range')).toBe(false);

    resp.headers.set('Content-Range', 'bytes 0-499/1000');
    const range = (resp as Response).contentRange; // read anew: TypeScript still narrows it to the null set above
    expect(range?.units).toBe('bytes');
    expect([range?.start, range?.end, range?.length]).toEqual([0, 499, 1000]);
  });

  it('test_csp', () => {
    const resp = new Response();
    resp.contentSecurityPolicy.defaultSrc = "'self'";
    expect(resp.headers.get('Content-Security-Policy')).toBe("default-src 'self'");
    resp.contentSecurityPolicy.scriptSrc = "'self' palletsprojects.com";
    expect(resp.headers.get('Content-Security-Policy')).toBe(
      "default-src 'self'; script-src 'self' palletsprojects.com",
    );

    resp.contentSecurityPolicy = null;
    expect(resp.headers.has('Content-Security-Policy')).toBe(false);
  });

  it('test_auto_content_length', async () => {
    let resp = new Response('Hello World!');
    expect(resp.contentLength).toBe(12);

    resp = new Response(['Hello World!']);
    expect((await sent(resp.gatewayApp)).headers.get('Content-Length')).toBe('12');
  });

  // DIFFERENCE: a list of chunks has content_length None until Werkzeug sends it; Flagon's contentLength is the body's length whenever it is known, and a list is all in memory (12 here).
  it.fails('test_auto_content_length (a list before it is sent)', () => {
    const resp = new Response(['Hello World!']);
    expect(resp.contentLength).toBeNull();
  });

  // MISSING: response.stream.writelines (test_response_stream).
  it.skip('test_stream_content_length', () => {});

  // MISSING: automatically_set_content_length = False (a Response that never sets Content-Length by itself).
  it.skip('test_disabled_auto_content_length', () => {});

  it('test_location_header_autocorrect[False-/test-/test]', async () => {
    const env = createEnviron('/a/b/c');
    const resp = new Response('Hello World!');
    resp.headers.set('Location', '/test');
    expect((await sent(resp.gatewayApp, env)).headers.get('Location')).toBe('/test');
  });

  it('test_location_header_autocorrect[False-/\\\\\\\\test.example?q-/%5C%5Ctest.example?q]', async () => {
    const env = createEnviron('/a/b/c');
    const resp = new Response('Hello World!');
    resp.headers.set('Location', '/\\\\test.example?q');
    expect((await sent(resp.gatewayApp, env)).headers.get('Location')).toBe('/%5C%5Ctest.example?q');
  });

  // MISSING: autocorrect_location_header (making a relative Location absolute against the request URL when sending); Flagon sends Location as set, as Werkzeug does by default.
  it.skip.each([
    'True-/test-http://localhost/test',
    'True-test-http://localhost/a/b/test',
    'True-./test-http://localhost/a/b/test',
    'True-../test-http://localhost/a/test',
  ])('test_location_header_autocorrect[%s]', () => {});

  it('test_204_and_1XX_response_has_no_content_length', async () => {
    let response = new Response(null, { status: 204 });
    let headers = (await sent(response.gatewayApp, createEnviron())).headers;
    expect(headers.has('Content-Length')).toBe(false);

    response = new Response(null, { status: 100 });
    headers = (await sent(response.gatewayApp, createEnviron())).headers;
    expect(headers.has('Content-Length')).toBe(false);
  });

  // DIFFERENCE: an empty Response has content_length None in Werkzeug; Flagon's contentLength is the body's length, 0 (nothing is sent for a 204 or 1xx all the same, the part above).
  it.fails('test_204_and_1XX_response_has_no_content_length (content_length)', () => {
    expect(new Response(null, { status: 204 }).contentLength).toBeNull();
    expect(new Response(null, { status: 100 }).contentLength).toBeNull();
  });

  it('test_malformed_204_response_has_no_content_length', async () => {
    // flask-restful can generate a malformed response when doing `return '', 204`
    const response = new Response(null, { status: 204 });
    response.setData(encoder.encode('test'));
    expect(response.contentLength).toBe(4);

    const { status, headers, body } = await sent(response.gatewayApp, createEnviron());
    expect(status.slice(0, 3)).toBe('204');
    expect(headers.has('Content-Length')).toBe(false);
    expect(body).toEqual(new Uint8Array(0)); // ensure data will not be sent
  });

  // DIFFERENCE: the reason phrase, as test_response_set_status_code[404]: '204 No Content', not '204 NO CONTENT'.
  it.fails('test_malformed_204_response_has_no_content_length (status line)', async () => {
    const response = new Response(null, { status: 204 });
    response.setData(encoder.encode('test'));
    expect((await sent(response.gatewayApp, createEnviron())).status).toBe('204 NO CONTENT');
  });

  it('test_request_method_case_sensitivity', () => {
    const environ = createEnviron('/', { host: 'eggs' });
    environ.REQUEST_METHOD = 'get';
    const req = new Request(environ);
    expect(req.method).toBe('GET');
  });

  // MISSING: response.stream.write and its return value (test_response_stream).
  it.skip('test_write_length', () => {});

  // MISSING: response.stream as a file-like object another library writes into (here Python's zipfile); build the bytes first and give them to the Response.
  it.skip('test_stream_zip', () => {});

  // DIFFERENCE: Werkzeug: 'Content-Type: text/plain; charset=utf-8' and 'foo=bar; Domain=example.org; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60; Secure; Path=/blub'. Flagon: text/html (Flask's default), HttpOnly unless httpOnly: false, and its own attribute order ('foo=bar; Max-Age=60; Domain=example.org; Path=/blub; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure'); docs/conformance.md.
  it.fails('TestSetCookie.test_secure', () => {
    const response = new Response();
    response.setCookie('foo', 'bar', { ...SET_COOKIE, secure: true, sameSite: null });
    expect(response.headers.toList()).toEqual([
      ['Content-Type', 'text/plain; charset=utf-8'],
      [
        'Set-Cookie',
        'foo=bar; Domain=example.org; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60; Secure; Path=/blub',
      ],
    ]);
  });

  // DIFFERENCE: as TestSetCookie.test_secure: the default Content-Type and the attribute order ('foo=bar; Max-Age=60; Domain=example.org; Path=/blub; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly').
  it.fails('TestSetCookie.test_httponly', () => {
    const response = new Response();
    response.setCookie('foo', 'bar', { ...SET_COOKIE, secure: false, httpOnly: true, sameSite: null });
    expect(response.headers.toList()).toEqual([
      ['Content-Type', 'text/plain; charset=utf-8'],
      [
        'Set-Cookie',
        'foo=bar; Domain=example.org; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60; HttpOnly; Path=/blub',
      ],
    ]);
  });

  // DIFFERENCE: as TestSetCookie.test_secure: the default Content-Type and the attribute order ('…; HttpOnly; Secure').
  it.fails('TestSetCookie.test_secure_and_httponly', () => {
    const response = new Response();
    response.setCookie('foo', 'bar', { ...SET_COOKIE, secure: true, httpOnly: true, sameSite: null });
    expect(response.headers.toList()).toEqual([
      ['Content-Type', 'text/plain; charset=utf-8'],
      [
        'Set-Cookie',
        'foo=bar; Domain=example.org; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60; Secure; HttpOnly; Path=/blub',
      ],
    ]);
  });

  // DIFFERENCE: as TestSetCookie.test_secure: the default Content-Type, HttpOnly by default and the attribute order ('…; HttpOnly; SameSite=Strict'); 'strict' is written 'Strict' by both.
  it.fails('TestSetCookie.test_samesite', () => {
    const response = new Response();
    response.setCookie('foo', 'bar', { ...SET_COOKIE, secure: false, sameSite: 'strict' });
    expect(response.headers.toList()).toEqual([
      ['Content-Type', 'text/plain; charset=utf-8'],
      [
        'Set-Cookie',
        'foo=bar; Domain=example.org; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60; Path=/blub; SameSite=Strict',
      ],
    ]);
  });

  it('TestJSON.test_request', async () => {
    const value = { ä: 'b' };
    const request = fromValues('/', {
      body: JSON.stringify(value),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(await request.json()).toEqual(value);
    expect((await request.bytes()).byteLength).toBeGreaterThan(0);
  });

  // MISSING: response.json (Werkzeug's Response.get_json, for tests); the test client's TestResponse has .json.
  it.skip('TestJSON.test_response', () => {});

  it('TestJSON.test_bad_content_type', async () => {
    const value = [1, 2, 3];
    const request = fromValues('/', { body: JSON.stringify(value), headers: { 'Content-Type': 'text/plain' } });

    await expect(request.json()).rejects.toThrow(UnsupportedMediaType);
    expect(await request.json({ silent: true })).toBeNull();
    expect(await request.json({ force: true })).toEqual(value);
  });

  it('TestJSON.test_bad_data', async () => {
    const request = fromValues('/', { body: '{"a":}', headers: { 'Content-Type': 'application/json' } });
    expect(await request.json({ silent: true })).toBeNull();
    await expect(request.json()).rejects.toThrow(BadRequest);
  });

  // DIFFERENCE: get_json(cache=False) reads the body without keeping it (get_data() is then empty and get_json() a 400); Flagon reads the body once and keeps it, so there is no cache switch (test_get_data_method_parsing_caching_behavior (cache=False)).
  it.skip('TestJSON.test_cache_disabled', () => {});

  // Werkzeug's COOP and COEP enums are their header values here.
  it('test_response_coop', () => {
    const response = new Response('Hello World');
    expect(response.crossOriginOpenerPolicy).toBe('unsafe-none');
    response.crossOriginOpenerPolicy = 'same-origin';
    expect(response.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  });

  it('test_response_coep', () => {
    const response = new Response('Hello World');
    expect(response.crossOriginEmbedderPolicy).toBe('unsafe-none');
    response.crossOriginEmbedderPolicy = 'require-corp';
    expect(response.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  });
});
