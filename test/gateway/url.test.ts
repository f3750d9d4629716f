import { describe, expect, it } from 'vitest';
import { decodePathInfo, getCurrentUrl, getHost, quotePath, shiftPathInfo, splitRequestTarget } from 'flagon/gateway';
import { createEnviron } from 'flagon/testing';

describe('decodePathInfo', () => {
  it('decodes UTF-8 escapes once', () => {
    expect(decodePathInfo('/caf%C3%A9')).toBe('/café');
    expect(decodePathInfo('/a%2541')).toBe('/a%41');
    expect(decodePathInfo('/a%20b')).toBe('/a b');
  });
  it('turns bytes that are not UTF-8 into U+FFFD', () => {
    expect(decodePathInfo('/bad%FF')).toBe('/bad\uFFFD');
    expect(decodePathInfo('/half%C3')).toBe('/half\uFFFD');
  });
  it('keeps escapes that are not % and two hex digits', () => {
    expect(decodePathInfo('/100%')).toBe('/100%');
    expect(decodePathInfo('/%zz%4')).toBe('/%zz%4');
  });
  it('returns paths without % unchanged', () => {
    expect(decodePathInfo('/plain/path')).toBe('/plain/path');
  });
});

describe('splitRequestTarget', () => {
  it('splits path and query, decoding only the path', () => {
    expect(splitRequestTarget('/a%20b?x=%20y')).toEqual({ pathInfo: '/a b', queryString: 'x=%20y' });
    expect(splitRequestTarget('/')).toEqual({ pathInfo: '/', queryString: '' });
  });
  it('handles the absolute form and OPTIONS *', () => {
    expect(splitRequestTarget('http://example.com/x?y=1')).toEqual({ pathInfo: '/x', queryString: 'y=1' });
    expect(splitRequestTarget('http://example.com')).toEqual({ pathInfo: '/', queryString: '' });
    expect(splitRequestTarget('*')).toEqual({ pathInfo: '*', queryString: '' });
  });
});

describe('quotePath', () => {
  it('is the inverse of decodePathInfo for UTF-8 paths', () => {
    for (const path of ['/café/100%', '/a b/c?d', '/x/y', '/ünï/€']) expect(decodePathInfo(quotePath(path))).toBe(path);
    expect(quotePath('/café/100%')).toBe('/caf%C3%A9/100%25');
    expect(quotePath("/keep:@!$&'()*+,;=")).toBe("/keep:@!$&'()*+,;=");
  });
});

describe('getHost and getCurrentUrl', () => {
  it('prefer HTTP_HOST and drop the default port', () => {
    expect(getHost(createEnviron('/', { host: 'example.com:80' }))).toBe('example.com');
    expect(getHost(createEnviron('/', { host: 'example.com:8080' }))).toBe('example.com:8080');
    expect(getHost(createEnviron('/', { host: '[::1]:443', scheme: 'https' }))).toBe('[::1]');
  });
  it('fall back to SERVER_NAME and SERVER_PORT', () => {
    const environ = createEnviron('/', { serverName: 'srv', serverPort: 8000 });
    delete environ.HTTP_HOST;
    expect(getHost(environ)).toBe('srv:8000');
  });
  it('reject a Host that is not a host', () => {
    expect(getHost(createEnviron('/', { host: 'evil.com/path' }))).toBe('');
    expect(getHost(createEnviron('/', { host: 'a b' }))).toBe('');
  });
  it('rebuild the URL from SCRIPT_NAME, PATH_INFO and QUERY_STRING (PEP 3333 URL reconstruction)', () => {
    const environ = createEnviron('/café', { scriptName: '/app', query: { q: 'a b' }, host: 'localhost:5000' });
    expect(getCurrentUrl(environ)).toBe('http://localhost:5000/app/caf%C3%A9?q=a+b');
    expect(getCurrentUrl(environ, { stripQueryString: true })).toBe('http://localhost:5000/app/caf%C3%A9');
    expect(getCurrentUrl(environ, { rootOnly: true })).toBe('http://localhost:5000/app/');
    expect(getCurrentUrl(environ, { hostOnly: true })).toBe('http://localhost:5000/');
  });
});

describe('shiftPathInfo', () => {
  it('moves one segment from PATH_INFO to SCRIPT_NAME', () => {
    const environ = createEnviron('/admin/users');
    expect(shiftPathInfo(environ)).toBe('admin');
    expect([environ.SCRIPT_NAME, environ.PATH_INFO]).toEqual(['/admin', '/users']);
    expect(shiftPathInfo(environ)).toBe('users');
    expect([environ.SCRIPT_NAME, environ.PATH_INFO]).toEqual(['/admin/users', '']);
    expect(shiftPathInfo(environ)).toBeUndefined();
  });
});
