import { describe, expect, it } from 'vitest';
import {
  BadRequest,
  HTTPError,
  HTTP_ERRORS,
  MethodNotAllowed,
  NotFound,
  RequestedRangeNotSatisfiable,
  TooManyRequests,
  Unauthorized,
  abort,
  InternalServerError,
  statusLine,
} from 'flagon/http';
import { createEnviron, runApp } from 'flagon/testing';
import { Request, Response } from 'flagon/wrappers';

describe('statusLine', () => {
  it('names known codes, says UNKNOWN for others in range, and refuses the rest', () => {
    expect([statusLine(200), statusLine(404), statusLine(418), statusLine(299)]).toEqual([
      '200 OK',
      '404 Not Found',
      "418 I'm a teapot",
      '299 UNKNOWN',
    ]);
    for (const bad of [99, 1000, 200.5, Number.NaN]) expect(() => statusLine(bad)).toThrow(RangeError);
  });
});

describe('HTTP errors', () => {
  it("render Flask's default page", () => {
    expect(new NotFound().getBody()).toBe(
      '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
        '<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n',
    );
  });

  it('escape the description and turn newlines into <br>', () => {
    expect(new NotFound('<script>x</script>\nline two').getBody()).toContain(
      '<p>&lt;script&gt;x&lt;/script&gt;<br>line two</p>',
    );
  });

  it('exist for every status the toolkit promises, each with its status and name', () => {
    const expected = [
      ...Array.from({ length: 19 }, (_, i) => 400 + i),
      421, // MisdirectedRequest, Locked and FailedDependency: Werkzeug has them (abort(421) threw a plain Error)
      422,
      423,
      424,
      428,
      429,
      431,
      451,
      500,
      501,
      502,
      503,
      504,
      505,
    ];
    for (const status of expected) {
      const ErrorClass = HTTP_ERRORS[status]!;
      const error = new ErrorClass();
      expect(error).toBeInstanceOf(HTTPError);
      expect(error.status).toBe(status);
      expect(error.name).not.toBe('Unknown');
      expect(error.expose).toBe(status < 500);
      expect(error.getBody()).toContain(`<title>${status} `);
    }
  });

  it("print as Werkzeug's str(e), and answer to e.code as well as e.status", () => {
    const missing = new NotFound('No such user.');
    expect([String(missing), `${missing}`, missing.code, missing.status]).toEqual([
      '404 Not Found: No such user.',
      '404 Not Found: No such user.',
      404,
      404,
    ]);
    expect(String(new BadRequest())).toBe(
      '400 Bad Request: The browser (or proxy) sent a request that this server could not understand.',
    );
  });

  it('carry their extra headers', () => {
    expect(new MethodNotAllowed(['GET', 'HEAD']).getHeaders()).toEqual([
      ['Content-Type', 'text/html; charset=utf-8'],
      ['Allow', 'GET, HEAD'],
    ]);
    expect(new RequestedRangeNotSatisfiable({ length: 1000 }).headers.get('Content-Range')).toBe('bytes */1000');
    expect(new TooManyRequests(undefined, { retryAfter: 30 }).headers.get('Retry-After')).toBe('30');
    expect(
      new Unauthorized(undefined, { wwwAuthenticate: ['Basic realm="a"', 'Bearer'] }).headers.getAll(
        'WWW-Authenticate',
      ),
    ).toHaveLength(2);
  });

  it('keep what caused them', () => {
    const cause = new Error('db');
    expect(new InternalServerError(undefined, { cause }).cause).toBe(cause);
  });

  it('are TSGI apps', async () => {
    const response = await runApp(new NotFound().gatewayApp, createEnviron('/missing'));
    expect([response.status, response.header('content-type'), response.text]).toEqual([
      '404 Not Found',
      'text/html; charset=utf-8',
      new NotFound().getBody(),
    ]);
  });

  it('are thrown by abort(), which names the fix for an unknown status', () => {
    expect(() => abort(404)).toThrow(NotFound);
    expect(() => abort(403, 'Members only.')).toThrow('403 Forbidden: Members only.');
    expect(() => abort(416)).toThrow(RequestedRangeNotSatisfiable);
    expect(() => abort(299)).toThrow(/no HTTP error class for that status/);
    // A 405's text is its description (it was spread as the methods: `Allow: N, o, t, ,  , h, e, r, e`).
    const readOnly = new HTTP_ERRORS[405]!('Not here') as MethodNotAllowed;
    expect(() => abort(405, 'Not here')).toThrow('405 Method Not Allowed: Not here');
    expect([readOnly.description, readOnly.headers.get('Allow'), readOnly.validMethods]).toEqual([
      'Not here',
      null,
      [],
    ]);
  });

  it("abort(response) carries the response, which answers in the error page's place; anything else is refused", async () => {
    const app = Request.application(() =>
      abort(new Response('Slow down', { status: 429, headers: { 'Retry-After': '9' } })),
    );
    const answer = await runApp(app, createEnviron('/'));
    expect([answer.status, answer.header('retry-after'), answer.text]).toEqual([
      '429 Too Many Requests',
      '9',
      'Slow down',
    ]);
    // A JavaScript caller's string, or an object that only has a status, is a mistake, not a response.
    expect(() => abort('404' as unknown as number)).toThrow(
      /abort\(\) takes a status number, abort\(404\), or a Response/,
    );
    expect(() => abort({ status: 404 } as never)).toThrow(/an object that is no Response/);
    // makeResponse is async: a Flask port that forgets the await is told so.
    expect(() => abort(Promise.resolve(new Response('x')) as never)).toThrow(/got a promise.*await it first/);
  });
});
