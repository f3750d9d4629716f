import { describe, expect, it } from 'vitest';
import {
  addRequestHeaders,
  environKeyForHeader,
  getContentLength,
  isHopByHop,
  parseStatusCode,
  requestHeaders,
} from 'flagon/gateway';
import { createEnviron } from 'flagon/testing';

describe('request headers in the environ', () => {
  it('map names to CGI keys', () => {
    expect(environKeyForHeader('Accept-Language')).toBe('HTTP_ACCEPT_LANGUAGE');
    expect(environKeyForHeader('content-type')).toBe('CONTENT_TYPE');
    expect(environKeyForHeader('Content-Length')).toBe('CONTENT_LENGTH');
  });
  it('drop names with underscores, which would collide with dashed ones', () => {
    expect(environKeyForHeader('X_Forwarded_For')).toBeNull();
    const environ = createEnviron('/', {
      headers: [
        ['X-Forwarded-For', '1.1.1.1'],
        ['X_Forwarded_For', '6.6.6.6'],
      ],
    });
    expect(environ.HTTP_X_FORWARDED_FOR).toBe('1.1.1.1');
  });
  it('join repeats with ", " and cookies with "; "', () => {
    const environ = createEnviron('/');
    const hosts = addRequestHeaders(environ, [
      'Accept',
      'text/html',
      'accept',
      'application/json',
      'Cookie',
      'a=1',
      'Cookie',
      'b=2',
      'Host',
      'x',
    ]);
    expect(environ.HTTP_ACCEPT).toBe('text/html, application/json');
    expect(environ.HTTP_COOKIE).toBe('a=1; b=2');
    expect(hosts).toBe(1);
  });
  it('come back out with conventional names', () => {
    const environ = createEnviron('/', { headers: { 'X-Request-Id': '7', 'Content-Type': 'text/plain' } });
    expect(requestHeaders(environ)).toEqual(
      expect.arrayContaining([
        ['Host', 'localhost'],
        ['X-Request-Id', '7'],
        ['Content-Type', 'text/plain'],
      ]),
    );
  });
});

describe('getContentLength', () => {
  it('reads decimal digits only', () => {
    expect(getContentLength(createEnviron('/', { headers: { 'Content-Length': '42' } }))).toBe(42);
    expect(getContentLength(createEnviron('/', { headers: { 'Content-Length': '-1' } }))).toBeNull();
    expect(getContentLength(createEnviron('/', { headers: { 'Content-Length': '1e3' } }))).toBeNull();
    expect(getContentLength(createEnviron('/'))).toBeNull();
  });
});

describe('status lines and hop-by-hop headers', () => {
  it('parse "NNN Reason" only', () => {
    expect(parseStatusCode('404 Not Found')).toBe(404);
    expect(parseStatusCode('200 ')).toBe(200);
    expect(parseStatusCode('200')).toBe(-1);
    expect(parseStatusCode('20x OK')).toBe(-1);
    expect(parseStatusCode('099 Low')).toBe(-1);
  });
  it('know the hop-by-hop headers of RFC 9110 §7.6.1', () => {
    for (const name of ['Connection', 'keep-alive', 'TE', 'Transfer-Encoding', 'Upgrade', 'Proxy-Connection'])
      expect(isHopByHop(name)).toBe(true);
    for (const name of ['Content-Type', 'Content-Length', 'Set-Cookie', 'Tee', 'Connections'])
      expect(isHopByHop(name)).toBe(false);
  });
});
