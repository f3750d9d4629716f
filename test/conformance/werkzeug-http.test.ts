/**
 * Port of Werkzeug's tests/test_http.py (github.com/pallets/werkzeug, tag 3.1.8, commit
 * c1a26b45fb06d5e086b4d6be820c3302f588d815), for the parsers Flagon has: accept, ETags, conditional requests,
 * cookies, ranges, dates and the header datastructures (Authorization, WWWAuthenticate, CacheControl, CSP,
 * set/list/dict/options headers). BSD-3-Clause, Copyright 2007 Pallets: see LICENSE-pallets.txt.
 */
import { describe, expect, it } from 'vitest';
import {
  Authorization,
  ContentSecurityPolicy,
  Headers,
  ResponseCacheControl,
  WWWAuthenticate,
  dumpCookie,
  dumpHeader,
  dumpOptionsHeader,
  generateEtag,
  httpDate,
  isResourceModified,
  parseAccept,
  parseCSP,
  parseCacheControl,
  parseContentRange,
  parseCookie,
  parseDictHeader,
  parseEtags,
  parseHttpDate,
  parseIfRange,
  parseListHeader,
  parseOptionsHeader,
  parseRange,
  parseSetHeader,
  quoteEtag,
  removeEntityHeaders,
  removeHopByHopHeaders,
  unquoteEtag,
} from 'flagon/http';
import type { HeaderList } from 'flagon/gateway';

const values = (header: string, kind?: 'mime' | 'language' | 'plain') =>
  [...parseAccept(header, kind)].map((item) => item.value);

describe('werkzeug tests/test_http.py', () => {
  it('test_accept', () => {
    const a = parseAccept('en-us,ru;q=0.5', 'language');
    expect(values('en-us,ru;q=0.5', 'language')).toEqual(['en-us', 'ru']);
    expect(a.best).toBe('en-us');
  });

  it('test_accept_parameter_with_space', () => {
    expect(parseAccept('application/x-special; z="a b";q=0.5').quality('application/x-special; z="a b"')).toBe(0.5);
  });

  it('test_mime_accept', () => {
    const a = parseAccept(
      'text/xml,application/xml,application/xhtml+xml,application/foo;quiet=no; bar=baz;q=0.6,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5',
    );
    expect(a.quality('image/png')).toBe(1);
    expect(a.quality('text/plain')).toBe(0.8);
    expect(a.quality('foo/bar')).toBe(0.5);
    expect(a.quality('application/foo;quiet=no; bar=baz')).toBe(0.6);
  });

  it('test_accept_matches', () => {
    const a = parseAccept('text/xml,application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png');
    expect(a.bestMatch(['text/html', 'application/xhtml+xml'])).toBe('application/xhtml+xml');
    expect(a.bestMatch(['text/html'])).toBe('text/html');
    expect(a.bestMatch(['foo/bar'])).toBeNull();
    expect(a.bestMatch(['foo/bar', 'bar/foo'], 'foo/bar')).toBe('foo/bar');
    expect(a.bestMatch(['application/xml', 'text/xml'])).toBe('application/xml');
  });

  it('test_accept_mime_specificity', () => {
    const a = parseAccept('text/*, text/html, text/html;level=1, */*');
    expect(a.bestMatch(['text/html; version=1', 'text/html'])).toBe('text/html');
    expect(a.bestMatch(['text/html', 'text/html; level=1'])).toBe('text/html; level=1');
  });

  it('test_charset_accept', () => {
    const a = parseAccept('ISO-8859-1,utf-8;q=0.7,*;q=0.7', 'plain');
    expect(a.quality('iso-8859-1')).toBe(a.quality('iso8859-1'));
    expect(a.quality('iso-8859-1')).toBe(1);
    expect(a.quality('UTF8')).toBe(0.7);
    expect(a.quality('ebcdic')).toBe(0.7);
  });

  it('test_language_accept', () => {
    const a = parseAccept('de-AT,de;q=0.8,en;q=0.5', 'language');
    expect(a.best).toBe('de-AT');
    expect(a.quality('de_AT')).toBeGreaterThan(0);
    expect(a.quality('en')).toBe(0.5);
    expect(a.quality('de-at')).toBe(1);
  });

  it('test_set_header', () => {
    const hs = parseSetHeader('foo, Bar, "Blah baz", Hehe');
    expect(hs.has('blah baz')).toBe(true);
    expect(hs.has('foobar')).toBe(false);
    expect(hs.has('foo')).toBe(true);
    expect([...hs]).toEqual(['foo', 'Bar', 'Blah baz', 'Hehe']);
    hs.add('Foo');
    expect(hs.toString()).toBe('foo, Bar, "Blah baz", Hehe');
  });

  it.each<[string, string[]]>([
    ['a b', ['a b']],
    ['a b, c', ['a b', 'c']],
    ['a b, "c, d"', ['a b', 'c, d']],
    ['"a\\"b", c', ['a"b', 'c']],
    ['a"b,c", "d e"', ['a"b,c"', 'd e']],
    ['a, ,,b,', ['a', 'b']],
    ['a, "b, c", "d, e', []],
  ])('test_list_header %j', (value, expected) => {
    expect(parseListHeader(value)).toEqual(expected);
  });

  it.each<[string, Record<string, string | null>]>([
    ['foo="bar baz", blah=42', { foo: 'bar baz', blah: '42' }],
    ['foo, bar=', { foo: null, bar: '' }],
    ['=foo, =', {}],
    ['a=1, b="2, 3", c="4, d=5', {}],
  ])('test_dict_header %j', (value, expected) => {
    expect({ ...parseDictHeader(value) }).toEqual(expected);
  });

  it('test_cache_control_header', () => {
    const request = parseCacheControl('max-age=0, no-cache');
    expect(request.maxAge).toBe(0);
    expect(request.noCache).toBe(true);
    const response = parseCacheControl('private, community="UCI"', 'response');
    expect(response.private).toBe(true);
    expect(response.get('community')).toBe('UCI');

    const c = new ResponseCacheControl();
    expect(c.noCache).toBeNull();
    expect(c.private).toBeNull();
    c.noCache = true;
    expect(c.noCache).toBe(true);
    c.private = true;
    expect(c.private).toBe(true);
    c.private = null; // Werkzeug: del c.private
    expect(c.private).toBeNull();
    // max_age is an int, other types are converted
    c.maxAge = 3.1;
    expect([c.maxAge, c.get('max-age')]).toEqual([3, '3']);
    c.maxAge = null;
    c.sMaxage = 3.1;
    expect([c.sMaxage, c.get('s-maxage')]).toEqual([3, '3']);
    c.sMaxage = null;
    expect(c.toString()).toBe('no-cache');
  });

  it('test_csp_header', () => {
    const csp = parseCSP("default-src 'self'; script-src 'unsafe-inline' *; img-src");
    expect(csp.defaultSrc).toBe("'self'");
    expect(csp.scriptSrc).toBe("'unsafe-inline' *");
    expect(csp).toBeInstanceOf(ContentSecurityPolicy);
  });

  // DIFFERENCE: a directive without a value ('img-src') is kept with '' (CSP Level 3 §2.2.1 allows it, and dropping upgrade-insecure-requests would weaken a policy written back); Werkzeug drops it, so img_src is None.
  it.fails('test_csp_header (directive without a value)', () => {
    expect(parseCSP("default-src 'self'; script-src 'unsafe-inline' *; img-src").imgSrc).toBeNull();
  });

  it('test_authorization_header', () => {
    let a = Authorization.fromHeader('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect([a?.type, a?.username, a?.password]).toEqual(['basic', 'Aladdin', 'open sesame']);
    a = Authorization.fromHeader('Basic 0YDRg9GB0YHQutC40IE60JHRg9C60LLRiw==');
    expect([a?.type, a?.username, a?.password]).toEqual(['basic', 'русскиЁ', 'Буквы']);
    a = Authorization.fromHeader('Basic 5pmu6YCa6K+dOuS4reaWhw==');
    expect([a?.type, a?.username, a?.password]).toEqual(['basic', '普通话', '中文']);

    a = Authorization.fromHeader(
      'Digest username="Mufasa", realm="testrealm@host.invalid", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    expect(a?.type).toBe('digest');
    expect([a?.username, a?.realm, a?.nonce, a?.uri, a?.qop, a?.nc, a?.cnonce, a?.response, a?.opaque]).toEqual([
      'Mufasa',
      'testrealm@host.invalid',
      'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      '/dir/index.html',
      'auth',
      '00000001',
      '0a4f113b',
      '6629fae49393a05397450978507c4ef1',
      '5ccc069c403ebaf9f0171e9517f40e41',
    ]);

    a = Authorization.fromHeader(
      'Digest username="Mufasa", realm="testrealm@host.invalid", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", response="e257afa1414a3340d93d30955171dd0e", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    expect(a?.type).toBe('digest');
    expect([a?.username, a?.realm, a?.nonce, a?.uri, a?.response, a?.opaque]).toEqual([
      'Mufasa',
      'testrealm@host.invalid',
      'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      '/dir/index.html',
      'e257afa1414a3340d93d30955171dd0e',
      '5ccc069c403ebaf9f0171e9517f40e41',
    ]);

    expect(Authorization.fromHeader('')).toBeNull();
    expect(Authorization.fromHeader(null)).toBeNull();
    expect(Authorization.fromHeader('foo')?.type).toBe('foo');
  });

  it('test_authorization_ignore_invalid_parameters', () => {
    expect(Authorization.fromHeader('Digest foo, bar=, =qux, =')?.toString()).toBe('Digest foo, bar=""');
  });

  it('test_authorization_token_padding', () => {
    for (const text of ['This has base64 padding', 'This has base64 padding..']) {
      const token = Buffer.from(text).toString('base64'); // padded with = and with ==
      const a = Authorization.fromHeader(`Token ${token}`);
      expect([a?.type, a?.token]).toEqual(['token', token]);
    }
  });

  it('test_authorization_basic_incorrect_padding', () => {
    expect(Authorization.fromHeader('Basic foo')).toBeNull();
  });

  it('test_bad_authorization_header_encoding', () => {
    // base64 of bytes that are not UTF-8
    const content = Buffer.from([0xff, ...Buffer.from('ser:pass')]).toString('base64');
    expect(Authorization.fromHeader(`Basic ${content}`)).toBeNull();
  });

  it('test_authorization_eq', () => {
    const basic1 = Authorization.fromHeader('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    const basic2 = new Authorization('basic', { username: 'Aladdin', password: 'open sesame' });
    expect(basic1?.equals(basic2)).toBe(true);
    const bearer1 = Authorization.fromHeader('Bearer abc');
    const bearer2 = new Authorization('bearer', null, 'abc');
    expect(bearer1?.equals(bearer2)).toBe(true);
    expect(basic1?.equals(bearer1)).toBe(false);
    expect(basic1?.equals({})).toBe(false);
  });

  it('test_www_authenticate_header', () => {
    let wa = WWWAuthenticate.fromHeader('Basic realm="WallyWorld"');
    expect([wa?.type, wa?.realm]).toEqual(['basic', 'WallyWorld']);
    wa!.realm = 'Foo Bar';
    expect(wa?.toString()).toBe('Basic realm="Foo Bar"');

    expect(new WWWAuthenticate('bearer').toString()).toBe('Bearer');

    wa = WWWAuthenticate.fromHeader(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    expect(wa?.type).toBe('digest');
    expect(wa?.realm).toBe('testrealm@host.com');
    expect(wa?.parameters.qop).toBe('auth,auth-int');
    expect(wa?.nonce).toBe('dcd98b7102dd2f0e8b11d0f600bfb0c093');
    expect(wa?.opaque).toBe('5ccc069c403ebaf9f0171e9517f40e41');

    expect(WWWAuthenticate.fromHeader('broken')?.type).toBe('broken');
    expect(WWWAuthenticate.fromHeader('')).toBeNull();
  });

  it('test_www_authenticate_token_padding', () => {
    for (const text of ['This has base64 padding', 'This has base64 padding..']) {
      const token = Buffer.from(text).toString('base64');
      const a = WWWAuthenticate.fromHeader(`Token ${token}`);
      expect([a?.type, a?.token]).toEqual(['token', token]);
    }
  });

  it('test_www_authenticate_eq', () => {
    const basic1 = WWWAuthenticate.fromHeader('Basic realm=abc');
    const basic2 = new WWWAuthenticate('basic', { realm: 'abc' });
    expect(basic1?.equals(basic2)).toBe(true);
    const token1 = WWWAuthenticate.fromHeader('Token abc');
    const token2 = new WWWAuthenticate('token', null, 'abc');
    expect(token1?.equals(token2)).toBe(true);
    expect(basic1?.equals(token1)).toBe(false);
    expect(basic1?.equals({})).toBe(false);
  });

  it('test_etags', () => {
    expect(quoteEtag('foo')).toBe('"foo"');
    expect(quoteEtag('foo', true)).toBe('W/"foo"');
    expect(unquoteEtag('"foo"')).toEqual({ tag: 'foo', weak: false });
    expect(unquoteEtag('W/"foo"')).toEqual({ tag: 'foo', weak: true });
    const es = parseEtags('"foo", "bar", W/"baz", blar');
    expect(es.contains('foo')).toBe(true);
    expect(es.contains('baz')).toBe(false);
    expect(es.containsWeak('baz')).toBe(true);
    expect(es.contains('blar')).toBe(true);
    expect(es.containsRaw('W/"baz"')).toBe(true);
    expect(es.containsRaw('"foo"')).toBe(true);
  });

  it('test_etags_nonzero', () => {
    const etags = parseEtags('W/"foo"');
    expect(etags.isEmpty).toBe(false);
    expect(etags.containsRaw('W/"foo"')).toBe(true);
  });

  it('test_remove_entity_headers', () => {
    const now = httpDate();
    const headers1: HeaderList = [
      ['Date', now],
      ['Content-Type', 'text/html'],
      ['Content-Length', '0'],
    ];
    const headers2 = new Headers(headers1);
    removeEntityHeaders(headers1);
    expect(headers1).toEqual([['Date', now]]);
    removeEntityHeaders(headers2);
    expect([...headers2]).toEqual([['Date', now]]);
  });

  it('test_remove_hop_by_hop_headers', () => {
    const headers1: HeaderList = [
      ['Connection', 'closed'],
      ['Foo', 'bar'],
      ['Keep-Alive', 'wtf'],
    ];
    const headers2 = new Headers(headers1);
    removeHopByHopHeaders(headers1);
    expect(headers1).toEqual([['Foo', 'bar']]);
    removeHopByHopHeaders(headers2);
    expect([...headers2]).toEqual([['Foo', 'bar']]);
  });

  it.each<[string | null, string]>([
    [null, ''],
    ['', ''],
    [';a=b', ''],
    ['v', 'v'],
    ['v;', 'v'],
  ])('test_parse_options_header_empty %j', (value, expected) => {
    const [parsed, options] = parseOptionsHeader(value);
    expect([parsed, { ...options }]).toEqual([expected, {}]);
  });

  it.each<[string, Record<string, string>]>([
    ['v;a=b;c=d;', { a: 'b', c: 'd' }],
    ['v;  ; a=b ; ', { a: 'b' }],
    ['v;a', {}],
    ['v;a=', {}],
    ['v;=b', {}],
    ['v;a="b"', { a: 'b' }],
    ['v;a=µ', {}],
    ['v;a="\';\'";b="µ";', { a: "';'", b: 'µ' }],
    ['v;a="b c"', { a: 'b c' }],
    // HTTP headers use \" for internal "
    ['v;a="b\\"c";d=e', { a: 'b"c', d: 'e' }],
    // HTTP headers use \\ for internal \
    ['v;a="c:\\\\"', { a: 'c:\\' }],
    // Part with invalid trailing slash is discarded.
    ['v;a="c:\\"', {}],
    ['v;a="b\\\\\\"c"', { a: 'b\\"c' }],
    // multipart form data uses %22 for internal "
    ['v;a="b%22c"', { a: 'b"c' }],
    ['v;a*=b', { a: 'b' }],
    ["v;a*=ASCII'en'b", { a: 'b' }],
    ["v;a*=US-ASCII''%62", { a: 'b' }],
    ["v;a*=UTF-8''%C2%B5", { a: 'µ' }],
    ["v;a*=US-ASCII''%C2%B5", { a: '��' }],
    ["v;a*=BAD''%62", { a: '%62' }],
    ["v;a*=UTF-8'''%F0%9F%90%8D'.txt", { a: "'🐍'.txt" }],
    ['v;a="🐍.txt"', { a: '🐍.txt' }],
    ['v;a*0=b;a*1=c;d=e', { a: 'bc', d: 'e' }],
    ['v;a*0*=b', { a: 'b' }],
    ["v;a*0*=UTF-8''b;a*1=c;a*2*=%C2%B5", { a: 'bcµ' }],
  ])('test_parse_options_header %j', (value, expected) => {
    const [parsed, options] = parseOptionsHeader(value);
    expect([parsed, { ...options }]).toEqual(['v', expected]);
  });

  it('test_parse_options_header (long invalid quoted string with trailing slashes does not freeze)', () => {
    const [parsed, options] = parseOptionsHeader(`v;a="${'\\'.repeat(400)}`);
    expect([parsed, { ...options }]).toEqual(['v', {}]);
  });

  it('test_parse_options_header_broken_values', () => {
    // Issue #995
    const parse = (value: string) => {
      const [parsed, options] = parseOptionsHeader(value);
      return [parsed, { ...options }];
    };
    expect(parse(' ')).toEqual(['', {}]);
    expect(parse(' , ')).toEqual([',', {}]);
    expect(parse(' ; ')).toEqual(['', {}]);
    expect(parse(' ,; ')).toEqual([',', {}]);
    expect(parse(' , a ')).toEqual([', a', {}]);
    expect(parse(' ; a ')).toEqual(['', {}]);
  });

  it('test_parse_options_header_case_insensitive', () => {
    const [, options] = parseOptionsHeader('something; fileName="File.ext"');
    expect(options.filename).toBe('File.ext');
  });

  it('test_dump_options_header', () => {
    expect(dumpOptionsHeader('foo', { bar: 42 })).toBe('foo; bar=42');
    expect(dumpOptionsHeader('foo', { bar: 42, fizz: null })).not.toContain('fizz');
  });

  it('test_dump_header', () => {
    expect(dumpHeader([1, 2, 3])).toBe('1, 2, 3');
    expect(dumpHeader({ foo: 'bar' })).toBe('foo=bar');
    expect(dumpHeader({ 'foo*': "UTF-8''bar" })).toBe("foo*=UTF-8''bar");
  });

  it('test_is_resource_modified', () => {
    // Werkzeug reads an environ; Flagon's is sans-IO and takes the header values.
    expect(isResourceModified({ method: 'POST' }, { etag: quoteEtag('testing') })).toBe(true);
    const awesome = generateEtag('awesome');
    expect(isResourceModified({ method: 'GET', ifNoneMatch: awesome }, { etag: generateEtag('awesome') })).toBe(false);
    const ims = httpDate(Date.UTC(2008, 0, 1, 12, 30));
    expect(
      isResourceModified(
        { method: 'GET', ifModifiedSince: ims },
        { lastModified: new Date(Date.UTC(2008, 0, 1, 12, 0)) },
      ),
    ).toBe(false);
    expect(
      isResourceModified(
        { method: 'GET', ifModifiedSince: ims },
        { lastModified: new Date(Date.UTC(2008, 0, 1, 13, 0)) },
      ),
    ).toBe(true);
  });

  it.skip('test_is_resource_modified_for_range_requests', () => {
    // N/A: Werkzeug's ignore_if_range switch; Flagon evaluates If-Range separately (ifRangeMatches, and makeConditional
    // in flagon/wrappers), where RFC 9110 §13.2.2 puts it.
  });

  it('test_parse_cookie', () => {
    const cookies = parseCookie(
      'dismiss-top=6; CP=null*; PHPSESSID=0a539d42abc001cdc762809248d4beed;a=42; b="\\";"; ; fo234{=bar;blub=Blah; "__Secure-c"=d;==__Host-eq=bad;__Host-eq=good;',
    );
    expect({ ...cookies }).toEqual({
      CP: 'null*',
      PHPSESSID: '0a539d42abc001cdc762809248d4beed',
      a: '42',
      'dismiss-top': '6',
      b: '";',
      'fo234{': 'bar',
      blub: 'Blah',
      '"__Secure-c"': 'd',
      '__Host-eq': 'good',
    });
  });

  // DIFFERENCE: values are percent-encoded ('foo=bar%20baz%20blub'), not quoted as Werkzeug does ('foo="bar baz blub"'); maxAge also writes Expires (Werkzeug's sync_expires=False has no counterpart).
  it.fails('test_dump_cookie', () => {
    // Werkzeug's defaults are no HttpOnly and no SameSite; the port passes them to compare the rest.
    const rv = dumpCookie('foo', 'bar baz blub', { maxAge: 360, httpOnly: true, sameSite: null });
    expect(new Set(rv.split('; '))).toEqual(new Set(['HttpOnly', 'Max-Age=360', 'Path=/', 'foo="bar baz blub"']));
    expect(dumpCookie('key', 'xxx/', { httpOnly: false, sameSite: null })).toBe('key=xxx/; Path=/');
    expect(dumpCookie('key', 'xxx=', { path: null, httpOnly: false, sameSite: null })).toBe('key=xxx=');
  });

  // DIFFERENCE: dumpCookie defaults to HttpOnly and SameSite=Lax (docs/toolkit.md) and encodes '/' ('key=xxx%2F; Path=/; HttpOnly; SameSite=Lax'); Werkzeug gives 'key=xxx/; Path=/'.
  it.fails('test_dump_cookie (defaults)', () => {
    expect(dumpCookie('key', 'xxx/')).toBe('key=xxx/; Path=/');
  });

  it('test_bad_cookies', () => {
    // A plain object keeps the first value of a repeated name (Werkzeug's cookies['a']); getlist has no counterpart.
    const cookies = parseCookie('first=IamTheFirst ; a=1; oops ; a=2 ;second = andMeTwo;');
    expect(cookies.first).toBe('IamTheFirst');
    expect(cookies.a).toBe('1');
    expect(cookies.oops).toBe('');
    expect(cookies.second).toBe('andMeTwo');
  });

  it('test_empty_keys_are_ignored', () => {
    expect({ ...parseCookie('spam=ham; duck=mallard; ; ') }).toEqual({ spam: 'ham', duck: 'mallard' });
  });

  // DIFFERENCE: '?' is percent-encoded ('foo=%3Ffoo'); Werkzeug leaves it ('foo=?foo').
  it.fails('test_cookie_quoting', () => {
    const val = dumpCookie('foo', '?foo', { httpOnly: false, sameSite: null });
    expect(val).toBe('foo=?foo; Path=/');
    expect(parseCookie(val).foo).toBe('?foo');
    expect(parseCookie('foo="foo\\054bar"').foo).toBe('foo,bar');
  });

  it('test_parse_set_cookie_directive', () => {
    expect({ ...parseCookie('foo="?foo"; version="0.1";') }).toEqual({ foo: '?foo', version: '0.1' });
  });

  it('test_cookie_domain_resolving', () => {
    expect(dumpCookie('foo', 'bar', { domain: '☃.com', httpOnly: false, sameSite: null })).toBe(
      'foo=bar; Domain=xn--n3h.com; Path=/',
    );
  });

  // DIFFERENCE: non-ASCII values are percent-encoded ('%E2%98%83'), Werkzeug writes octal escapes in quotes ('"\\342\\230\\203"').
  it.fails('test_cookie_unicode_dumping', () => {
    const val = dumpCookie('foo', '☃', { httpOnly: false, sameSite: null });
    expect(val).toBe('foo="\\342\\230\\203"; Path=/');
    expect(parseCookie(val).foo).toBe('☃');
  });

  // DIFFERENCE: a cookie name that is not an RFC 6265 token ('fö') is refused with a TypeError; Werkzeug writes it.
  it.fails('test_cookie_unicode_keys', () => {
    // Werkzeug's expected value is the WSGI latin-1 "encoding dance" of this string; a JS string has no such step.
    const val = dumpCookie('fö', 'fö', { httpOnly: false, sameSite: null });
    expect(val).toBe('fö="f\\303\\266"; Path=/');
    expect(parseCookie(val).fö).toBe('fö');
  });

  it('test_cookie_unicode_parsing', () => {
    // The header as a WSGI server hands it over: UTF-8 bytes read as latin-1.
    expect(parseCookie('fÃ¶=fÃ¶').fö).toBe('fö');
  });

  it('test_cookie_domain_encoding', () => {
    expect(dumpCookie('foo', 'bar', { domain: 'foo.com', httpOnly: false, sameSite: null })).toBe(
      'foo=bar; Domain=foo.com; Path=/',
    );
    expect(dumpCookie('foo', 'bar', { domain: '☃.com', httpOnly: false, sameSite: null })).toBe(
      'foo=bar; Domain=xn--n3h.com; Path=/',
    );
  });

  it('test_cookie_maxsize', () => {
    const warnings: string[] = [];
    const warn = (message: string) => {
      warnings.push(message);
    };
    const val = dumpCookie('foo', `${'bar'.repeat(1360)}b`, { httpOnly: false, sameSite: null, warn });
    expect(val).toHaveLength(4093);
    expect(warnings).toEqual([]);
    dumpCookie('foo', `${'bar'.repeat(1360)}ba`, { httpOnly: false, sameSite: null, warn });
    expect(warnings).toHaveLength(1);
    dumpCookie('foo', 'w'.repeat(501), { httpOnly: false, sameSite: null, maxSize: 512, warn });
    expect(warnings[1]).toContain('512');
  });

  it('test_cookie_samesite_attribute', () => {
    const cases: Array<['strict' | 'lax' | 'none' | null, string]> = [
      ['strict', 'foo=bar; SameSite=Strict'],
      ['lax', 'foo=bar; SameSite=Lax'],
      ['none', 'foo=bar; SameSite=None'],
      [null, 'foo=bar'],
    ];
    for (const [sameSite, expected] of cases)
      expect(dumpCookie('foo', 'bar', { sameSite, path: null, httpOnly: false })).toBe(expected);
  });

  it('test_cookie_samesite_invalid', () => {
    expect(() => dumpCookie('foo', 'bar', { sameSite: 'invalid' as never })).toThrow();
  });

  // DIFFERENCE: attribute order: 'foo=bar; Path=/; Secure; Partitioned' (Werkzeug: 'foo=bar; Secure; Path=/; Partitioned'); same meaning.
  it.fails('test_cookie_partitioned', () => {
    expect(dumpCookie('foo', 'bar', { partitioned: true, secure: true, httpOnly: false, sameSite: null })).toBe(
      'foo=bar; Secure; Path=/; Partitioned',
    );
  });

  // DIFFERENCE: attribute order, as test_cookie_partitioned.
  it.fails('test_cookie_partitioned_sets_secure', () => {
    expect(dumpCookie('foo', 'bar', { partitioned: true, secure: false, httpOnly: false, sameSite: null })).toBe(
      'foo=bar; Secure; Path=/; Partitioned',
    );
  });

  it('test_if_range_parsing', () => {
    let rv = parseIfRange('"Test"');
    expect([rv.etag, rv.date, rv.toString()]).toEqual(['Test', null, '"Test"']);
    // weak information is dropped
    rv = parseIfRange('W/"Test"');
    expect([rv.etag, rv.date, rv.toString()]).toEqual(['Test', null, '"Test"']);
    // broken etags are supported too
    rv = parseIfRange('bullshit');
    expect([rv.etag, rv.date, rv.toString()]).toEqual(['bullshit', null, '"bullshit"']);
    rv = parseIfRange('Thu, 01 Jan 1970 00:00:00 GMT');
    expect([rv.etag, rv.date, rv.toString()]).toEqual([null, new Date(0), 'Thu, 01 Jan 1970 00:00:00 GMT']);
    for (const x of ['', null]) {
      rv = parseIfRange(x);
      expect([rv.etag, rv.date, rv.toString()]).toEqual([null, null, '']);
    }
  });

  it('test_range_parsing', () => {
    // Werkzeug returns the parsed header; Flagon's parseRange resolves it against a size (10,000 here) at once.
    const size = 10_000;
    expect(parseRange('bytes=52', size)).toBeNull();
    expect(parseRange('bytes=52-', size)).toEqual([{ start: 52, end: size - 1 }]);
    expect(parseRange('bytes=52-99', size)).toEqual([{ start: 52, end: 99 }]);
    expect(parseRange('bytes=52-99,-1000', size)).toEqual([
      { start: 52, end: 99 },
      { start: size - 1000, end: size - 1 },
    ]);
    expect(parseRange('bytes=-', size)).toBeNull();
    expect(parseRange('bytes=bad', size)).toBeNull();
    expect(parseRange('bytes=bad-1', size)).toBeNull();
    expect(parseRange('bytes=-bad', size)).toBeNull();
    expect(parseRange('bytes=52-99, bad', size)).toBeNull();
  });

  it('test_range_parsing (bytes = 1 - 100)', () => {
    expect(parseRange('bytes = 1 - 100', 10_000)).toEqual([{ start: 1, end: 100 }]);
  });

  it.skip('test_range_parsing (other units)', () => {
    /* N/A: parseRange reads bytes only, as a server must ignore units it does not serve (RFC 9110 §14.2). */
  });
  it('test_content_range_parsing', () => {
    // Werkzeug's stop is exclusive; Flagon's end is inclusive, as in the header and in ByteRange.
    let rv = parseContentRange('bytes 0-98/*');
    expect([rv?.units, rv?.start, rv?.end, rv?.length, rv?.toString()]).toEqual(['bytes', 0, 98, null, 'bytes 0-98/*']);
    expect(parseContentRange('bytes 0-98/*asdfsa')).toBeNull();
    expect(parseContentRange('bytes */-1')).toBeNull();
    rv = parseContentRange('bytes 0-99/100');
    expect(rv?.toString()).toBe('bytes 0-99/100');
    rv?.set(null, null); // Werkzeug: rv.start = None; rv.stop = None
    expect([rv?.units, rv?.toString()]).toEqual(['bytes', 'bytes */100']);
    rv = parseContentRange('bytes */100');
    expect([rv?.start, rv?.end, rv?.length, rv?.units]).toEqual([null, null, 100, 'bytes']);
  });

  it('test_best_match_works', () => {
    expect(
      parseAccept(
        'foo=,application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5',
      ).bestMatch(['foo/bar']),
    ).toBe('foo/bar');
  });

  it.each([
    'Basic V2Vya3pldWc6V2VrcnpldWc=',
    'Digest username=Mufasa, realm="testrealm@host.invalid", nonce=dcd98b7102dd2f0e8b11d0f600bfb0c093, uri="/dir/index.html", qop=auth, nc=00000001, cnonce=0a4f113b, response=6629fae49393a05397450978507c4ef1, opaque=5ccc069c403ebaf9f0171e9517f40e41',
  ])('test_authorization_to_header %j', (value) => {
    const parsed = Authorization.fromHeader(value);
    expect(parsed?.toString()).toBe(value);
  });

  it('test_parse_date', () => {
    const cases: Array<[string, number | null]> = [
      ['Sun, 06 Nov 1994 08:49:37 GMT    ', Date.UTC(1994, 10, 6, 8, 49, 37)],
      ['Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)],
      [' Sun Nov  6 08:49:37 1994', Date.UTC(1994, 10, 6, 8, 49, 37)],
      ['foo', null],
      ['Thu, 01 Jan 1970 00:00:00 GMT', 0],
      ['Thu, 33 Jan 1970 00:00:00 GMT', null],
    ];
    expect(cases.map(([value]) => parseHttpDate(value)?.getTime() ?? null)).toEqual(
      cases.map(([, expected]) => expected),
    );
  });

  // DIFFERENCE: ' Sun 02 Feb 1343 08:49:37 GMT' has no comma after the day name, so it is none of RFC 9110 §5.6.7's three formats and parses to null; Werkzeug reads it with the email module's lenient RFC 2822 parser. The year is not the issue: 'Sun, 02 Feb 1343 08:49:37 GMT' parses.
  it.fails('test_parse_date (no comma after the day name)', () => {
    expect(parseHttpDate(' Sun 02 Feb 1343 08:49:37 GMT')?.getTime()).toBe(Date.UTC(1343, 1, 2, 8, 49, 37));
  });

  it('test_http_date', () => {
    const at = (y: number, m = 0, d = 1) => {
      const date = new Date(Date.UTC(2000, m, d));
      date.setUTCFullYear(y);
      return date;
    };
    expect(httpDate(new Date(Date.UTC(1994, 10, 6, 8, 49, 37)))).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(httpDate(new Date('1994-11-06T08:49:37-08:00'))).toBe('Sun, 06 Nov 1994 16:49:37 GMT');
    expect(httpDate(0)).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(httpDate(at(1970))).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(httpDate(at(1))).toBe('Mon, 01 Jan 0001 00:00:00 GMT');
    expect(httpDate(at(999))).toBe('Tue, 01 Jan 0999 00:00:00 GMT');
    expect(httpDate(at(1000))).toBe('Wed, 01 Jan 1000 00:00:00 GMT');
    expect(httpDate(at(2020))).toBe('Wed, 01 Jan 2020 00:00:00 GMT');
  });

  it('test_accept_invalid_float', () => {
    for (const value of ['.5', '+0.5', '0.5_1', '🯰.🯵']) {
      const q = encodeURIComponent(value) === value ? `q=${value}` : `q*=UTF-8''${value}`;
      expect(values(`en,jp;${q}`, 'language')).toEqual(['en']);
    }
  });

  it('test_accept_valid_int_one_zero', () => {
    expect([...parseAccept('en;q=1', 'language')]).toEqual([...parseAccept('en;q=1.0', 'language')]);
    expect([...parseAccept('en;q=0', 'language')]).toEqual([...parseAccept('en;q=0.0', 'language')]);
    expect([...parseAccept('en;q=5', 'language')]).toEqual([...parseAccept('en;q=5.0', 'language')]);
  });

  it('test_range_invalid_int', () => {
    for (const value of ['🯱🯲🯳', '+1-', '1-1_23']) expect(parseRange(value, 10_000)).toBeNull();
  });

  it.each(['*/🯱🯲🯳', '1-+2/3', '1_23-125/*'])('test_content_range_invalid_int %j', (value) => {
    expect(parseContentRange(`bytes ${value}`)).toBeNull();
  });
});
