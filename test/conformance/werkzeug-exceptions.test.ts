/**
 * Port of Werkzeug's tests/test_exceptions.py (github.com/pallets/werkzeug, tag 3.1.8, commit
 * c1a26b45fb06d5e086b4d6be820c3302f588d815): the HTTP errors of `flagon/http` and `abort()`. BSD-3-Clause,
 * Copyright 2007 Pallets: see LICENSE-pallets.txt. One `it` per upstream test (parametrized cases loop inside it).
 * Werkzeug's `exc.get_response(environ)` is `exc.gatewayApp` run with `runApp`; `exc.get_headers()` is `getHeaders()`;
 * `exc.get_description()` is the `<p>…</p>` of `getBody()`.
 */
import { describe, expect, it } from 'vitest';
import { Response } from 'flagon';
import {
  BadGateway,
  BadRequest,
  Forbidden,
  Gone,
  HTTPError,
  HTTP_ERRORS,
  Headers,
  InternalServerError,
  LengthRequired,
  Locked,
  MethodNotAllowed,
  MisdirectedRequest,
  NotAcceptable,
  NotFound,
  NotImplemented,
  PreconditionFailed,
  RequestEntityTooLarge,
  RequestTimeout,
  RequestURITooLarge,
  RequestedRangeNotSatisfiable,
  ServiceUnavailable,
  TooManyRequests,
  Unauthorized,
  UnprocessableEntity,
  UnsupportedMediaType,
  WWWAuthenticate,
  abort,
  escapeHtml,
  type HTTPErrorOptions,
} from 'flagon/http';
import { createEnviron, runApp } from 'flagon/testing';
import { thrown } from './support.js';

/** Werkzeug's `exc.get_response({})`: the error as a TSGI app, run. */
const responseOf = (error: HTTPError) => runApp(error.gatewayApp, createEnviron('/'));

/** Werkzeug's `default_exceptions`, by code, as of 3.1.8 (every one has a code). */
const WERKZEUG_CODES = [
  400, 401, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 428, 429,
  431, 451, 500, 501, 502, 503, 504, 505,
];

type ErrorClass = (typeof HTTP_ERRORS)[number];
/** A class's `static status`, which HTTP_ERRORS's type leaves out. */
const statusOf = (cls: ErrorClass): number => (cls as unknown as typeof HTTPError).status;

/** `cls(response=…)`: the few classes whose first argument is not the description take their options elsewhere. */
function withOptions(cls: ErrorClass, options: HTTPErrorOptions): HTTPError {
  if (cls === MethodNotAllowed) return new MethodNotAllowed([], undefined, options);
  if (Object.prototype.isPrototypeOf.call(RequestedRangeNotSatisfiable, cls))
    return new RequestedRangeNotSatisfiable(options);
  return new (cls as unknown as new (description?: string, options?: HTTPErrorOptions) => HTTPError)(
    undefined,
    options,
  );
}

describe('werkzeug tests/test_exceptions.py', () => {
  it('test_proxy_exception', async () => {
    const origResp = new Response('Hello World');
    const error = thrown(() => abort(origResp));
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).response).toBe(origResp);
    const resp = await responseOf(error as HTTPError);
    expect(resp.text).toBe('Hello World');
  });

  it('test_aborter_general', () => {
    // Werkzeug passes the 401 row a description and the 405 row its valid methods; Flagon's abort(status,
    // description) has no place for methods, so the 405 row is abort(405). The assertion is the same: the exact class.
    const rows: Array<[ErrorClass, number, string?]> = [
      [BadRequest, 400],
      [Unauthorized, 401, 'Basic "test realm"'],
      [Forbidden, 403],
      [NotFound, 404],
      [MethodNotAllowed, 405],
      [NotAcceptable, 406],
      [RequestTimeout, 408],
      [Gone, 410],
      [LengthRequired, 411],
      [PreconditionFailed, 412],
      [RequestEntityTooLarge, 413],
      [RequestURITooLarge, 414],
      [UnsupportedMediaType, 415],
      [MisdirectedRequest, 421],
      [UnprocessableEntity, 422],
      [Locked, 423],
      [InternalServerError, 500],
      [NotImplemented, 501],
      [BadGateway, 502],
      [ServiceUnavailable, 503],
    ];
    for (const [cls, code, description] of rows) {
      const error = thrown(() => abort(code, description));
      expect(error).toBeInstanceOf(cls);
      expect((error as object).constructor).toBe(cls);
    }
  });

  it('test_abort_description_markup', () => {
    // Flagon has no Markup; a description is text, and String(e) carries it as it is.
    const error = thrown(() => abort(400, '<b>&lt;</b>'));
    expect(error).toBeInstanceOf(HTTPError);
    expect(String(error)).toContain('<b>&lt;</b>');
  });

  it.skip('test_aborter_custom', () => {
    // MISSING: Werkzeug's Aborter class (a mapping of codes to classes, `extra=`); Flagon's abort() is a plain function
    // over HTTP_ERRORS (docs/conformance.md lists `app.aborter` / `aborter_class`).
  });

  it('test_exception_repr', () => {
    let exc = new NotFound();
    expect(String(exc)).toBe(
      '404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
    );
    exc = new NotFound('Not There');
    expect(String(exc)).toBe('404 Not Found: Not There');
    // N/A: repr(exc) == "<NotFound '404: Not Found'>" is Python's repr.
  });

  // DIFFERENCE: Werkzeug's bare HTTPException has no code, `str()` is "??? Unknown Error: …" (and its response is a
  // 200); Flagon's HTTPError is a 500 unless a subclass says otherwise, so a bare one is "500 Internal Server Error: …",
  // which is what an App must send for an error nobody classified.
  it.fails('test_exception_repr (a bare HTTPException)', () => {
    expect(String(new HTTPError('An error message'))).toBe('??? Unknown Error: An error message');
  });

  it('test_method_not_allowed_methods', () => {
    const exc = new MethodNotAllowed(['GET', 'HEAD', 'POST']);
    const h = Object.fromEntries(exc.getHeaders());
    expect(h.Allow).toBe('GET, HEAD, POST');
    expect(exc.description).toContain('The method is not allowed');
  });

  it('test_unauthorized_www_authenticate', () => {
    const basic = new WWWAuthenticate('basic', { realm: 'test' });
    const digest = new WWWAuthenticate('digest', { realm: 'test', nonce: 'test' });

    let exc = new Unauthorized(undefined, { wwwAuthenticate: String(basic) });
    let h = new Headers(exc.getHeaders());
    expect(h.get('WWW-Authenticate')).toBe(String(basic));

    exc = new Unauthorized(undefined, { wwwAuthenticate: [String(digest), String(basic)] });
    h = new Headers(exc.getHeaders());
    expect(h.getAll('WWW-Authenticate')).toEqual([String(digest), String(basic)]);

    exc = new Unauthorized();
    h = new Headers(exc.getHeaders());
    expect(h.has('WWW-Authenticate')).toBe(false);
  });

  it('test_response_header_content_type_should_contain_charset', async () => {
    const exc = new HTTPError('An error message');
    const h = await responseOf(exc);
    expect(h.header('Content-Type')).toBe('text/html; charset=utf-8');
  });

  it('test_retry_after_mixin', () => {
    const rows: Array<[HTTPError, string]> = [
      [new TooManyRequests(undefined, { retryAfter: 20 }), '20'],
      // Python's naive datetime(2020, 1, 4, 18, 52, 16) is read as UTC.
      [
        new ServiceUnavailable(undefined, { retryAfter: new Date(Date.UTC(2020, 0, 4, 18, 52, 16)) }),
        'Sat, 04 Jan 2020 18:52:16 GMT',
      ],
    ];
    for (const [e, expected] of rows) {
      const h = Object.fromEntries(e.getHeaders());
      expect(h['Retry-After']).toBe(expected);
    }
  });

  it('test_passing_response', async () => {
    class TestResponse extends Response {}
    const classes = [...new Set(Object.values(HTTP_ERRORS))].filter((cls) => statusOf(cls) >= 400);
    expect(classes.map(statusOf)).toEqual(expect.arrayContaining(WERKZEUG_CODES));
    for (const cls of classes) {
      const passed = new TestResponse('passed', { status: 202 });
      const exc = withOptions(cls, { response: passed });
      expect(exc.response).toBe(passed);
      expect(exc.response).toBeInstanceOf(TestResponse);
      const rp = await responseOf(exc);
      expect([rp.statusCode, rp.text]).toEqual([202, 'passed']);
    }
  });

  it('test_description_none', async () => {
    const rv = await responseOf(new HTTPError());
    expect(rv.text).toContain('<!doctype html>');
  });

  it('test_response_body', () => {
    const classes = [...new Set(Object.values(HTTP_ERRORS))];
    expect(classes.map(statusOf)).toEqual(expect.arrayContaining(WERKZEUG_CODES));
    for (const cls of classes) {
      const exc = new cls();
      const responseBody = exc.getBody();
      expect(responseBody.startsWith('<!doctype html>\n<html lang=en>\n')).toBe(true);
      expect(responseBody).toContain(`${exc.code} ${escapeHtml(exc.name)}`);
      expect(responseBody).toContain(`<p>${escapeHtml(exc.description)}</p>`);
    }
  });
});
