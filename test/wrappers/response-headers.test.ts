/**
 * The response headers Werkzeug's Response sets as properties (vary, expires, retryAfter, the CORS ones, …), beyond
 * the cases ported in test/conformance/werkzeug-wrappers.test.ts: setting by list, string and null, live sets that
 * empty out, malformed values read back, and the properties used from an App's hook.
 */
import { describe, expect, it } from 'vitest';
import { App, request } from 'flagon';
import { Response } from 'flagon/wrappers';
import { mixInAccessors } from '../../src/wrappers/accessor-mixin.js';

describe('response header properties', () => {
  it('take a list, one header value or null for a set header, and remove it when the set empties', () => {
    const response = new Response('ok');
    response.vary = ['Cookie', 'Accept-Encoding'];
    expect(response.headers.get('Vary')).toBe('Cookie, Accept-Encoding');
    response.vary = 'Origin';
    expect([...response.vary]).toEqual(['Origin']);
    response.vary.delete('origin');
    expect(response.headers.has('Vary')).toBe(false);
    response.contentLanguage = ['en', 'EN', 'x-klingon tlh'];
    expect(response.headers.get('Content-Language')).toBe('en, "x-klingon tlh"');
    response.allow = ['GET'];
    response.allow = null;
    expect(response.headers.has('Allow')).toBe(false);
  });

  it('read Retry-After given in seconds as that long from now, and write a number as seconds', () => {
    const response = new Response('busy', { status: 503 });
    response.retryAfter = 120;
    expect(response.headers.get('Retry-After')).toBe('120');
    const waited = response.retryAfter!.getTime() - Date.now();
    expect(waited).toBeGreaterThan(110_000);
    expect(waited).toBeLessThanOrEqual(120_000);
    response.headers.set('Retry-After', 'soon');
    expect(response.retryAfter).toBeNull();
  });

  it('refuse a negative or non-finite number of seconds, and read a malformed one as absent', () => {
    const response = new Response();
    expect(() => {
      response.age = -1;
    }).toThrow(/age takes a number of seconds from 0 up, got -1/);
    expect(() => {
      response.accessControlMaxAge = Number.NaN;
    }).toThrow(RangeError);
    response.headers.set('Age', '1e3');
    expect(response.age).toBeNull();
  });

  it('refuse an invalid date rather than send "Invalid Date"', () => {
    const response = new Response();
    expect(() => {
      response.expires = new Date('not a date');
    }).toThrow(/Expires takes a valid Date or milliseconds since the epoch/);
    expect(response.headers.has('Expires')).toBe(false);
  });

  it('write nothing when a live header is only read', () => {
    const response = new Response();
    expect(response.wwwAuthenticate.type).toBe('basic');
    expect(response.contentSecurityPolicy.size).toBe(0);
    expect(response.vary.size).toBe(0);
    expect([...response.headers].map(([name]) => name.toLowerCase())).toEqual(['content-type']);
  });

  it('remove a policy header when its last directive goes', () => {
    const response = new Response();
    response.contentSecurityPolicyReportOnly = "default-src 'self'; report-uri /csp";
    expect(response.contentSecurityPolicyReportOnly.get('report-uri')).toBe('/csp');
    response.contentSecurityPolicyReportOnly.delete('default-src');
    response.contentSecurityPolicyReportOnly.delete('report-uri');
    expect(response.headers.has('Content-Security-Policy-Report-Only')).toBe(false);
  });

  it('answer a CORS request from an afterRequest hook, over the App', async () => {
    const app = new App(import.meta.url, { staticFolder: null });
    app.get('/api', () => ({ ok: true }));
    app.afterRequest((response) => {
      if (request.origin === 'https://app.example') {
        response.accessControlAllowOrigin = request.origin;
        response.accessControlAllowCredentials = true;
        response.vary.add('Origin');
      }
      return response;
    });
    const answer = await app.testClient().get('/api', { headers: { Origin: 'https://app.example' } });
    expect(answer.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
    expect(answer.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    expect(answer.headers.get('Vary')).toContain('Origin');
  });

  it('are on a subclass of Response too', () => {
    class Cached extends Response {
      constructor(body: string) {
        super(body);
        this.expires = 0;
      }
    }
    expect(new Cached('x').headers.get('Expires')).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });
});

describe('mixInAccessors', () => {
  it('refuses to replace a member the class has of its own, naming both', () => {
    abstract class Extra {
      get size(): number {
        return 1;
      }
    }
    class Own {
      get size(): number {
        return 2;
      }
    }
    expect(() => mixInAccessors(Extra, Own)).toThrow('Own has its own size: rename one of the two');
  });

  it('keep the Content-Type parameters live, and refuse parameters without a media type', () => {
    const response = new Response('x', { contentType: 'text/csv; charset=utf-8; header=present' });
    expect({ ...response.mimetypeParams }).toEqual({ charset: 'utf-8', header: 'present' });
    response.mimetypeParams.Charset = 'iso-8859-1';
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=iso-8859-1; header=present');
    response.mimetypeParams = { name: 'my report.csv' };
    expect(response.headers.get('Content-Type')).toBe('text/csv; name="my report.csv"');
    response.headers.delete('Content-Type');
    expect(() => {
      response.mimetypeParams.charset = 'utf-8';
    }).toThrow(/set response.mimetype first/);
  });

  it('read the Content-Type anew through a kept params object, in any case, and write only tokens and strings', () => {
    const response = new Response('x', { mimetype: 'text/html' });
    const params = response.mimetypeParams;
    response.mimetype = 'application/json';
    params.foo = 'bar'; // kept from before the media type changed: the header's media type now is the one kept
    expect(response.headers.get('Content-Type')).toBe('application/json; foo=bar');
    params.Charset = 'latin-1';
    expect([params.Charset, params.CHARSET, 'CHARSET' in params, Object.keys(params)]).toEqual([
      'latin-1',
      'latin-1',
      true,
      ['foo', 'charset'],
    ]);
    Object.defineProperty(params, 'q', { value: '1', enumerable: true, configurable: true, writable: true });
    expect(response.headers.get('Content-Type')).toBe('application/json; foo=bar; charset=latin-1; q=1');
    expect(() => {
      params['a b'] = 'x';
    }).toThrow(/named by a token/);
    expect(() => {
      (params as Record<string, unknown>).u = undefined;
    }).toThrow(/takes a string/);
    // A value beyond ASCII is written as RFC 8187 says, and read back decoded.
    params.title = '€ rates';
    expect(response.headers.get('Content-Type')).toContain("title*=UTF-8''%E2%82%AC%20rates");
    expect(params.title).toBe('€ rates');
    params.x = 'y'; // a later write keeps it
    expect(response.mimetypeParams.title).toBe('€ rates');
  });

  it('drop a Content-Length set for a body that setData replaces', () => {
    const response = new Response('abc');
    response.contentLength = 3;
    response.setData('hello world');
    expect([response.headers.has('Content-Length'), response.contentLength]).toEqual([false, 11]);
  });

  it('read Content-Length from the header once set, else the body, and refuse a length that is not one', () => {
    const response = new Response('four');
    expect(response.contentLength).toBe(4);
    expect(() => {
      response.contentLength = -1;
    }).toThrow(/whole number of bytes/);
    response.contentLength = 10;
    expect(response.contentLength).toBe(10);
    response.contentLength = null;
    expect([response.headers.has('Content-Length'), response.contentLength]).toEqual([false, 4]);
  });
});
