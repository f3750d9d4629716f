/**
 * Port of Werkzeug's tests/test_http.py (github.com/pallets/werkzeug, tag 3.1.8, commit
 * c1a26b45fb06d5e086b4d6be820c3302f588d815), for the parsers Flagon has: accept, ETags, conditional requests,
 * cookies, ranges and dates. BSD-3-Clause, Copyright 2007 Pallets: see LICENSE-pallets.txt. Werkzeug's header
 * datastructures (Authorization, WWWAuthenticate, CacheControl, CSP, set/list/dict/options headers) have no
 * Flagon counterpart and are skipped as MISSING.
 */
import { describe, expect, it } from 'vitest';
import { dumpCookie, generateEtag, httpDate, isResourceModified, parseAccept, parseCookie, parseEtags, parseHttpDate, parseRange, quoteEtag, unquoteEtag } from 'flagon/http';

const values = (header: string, kind?: 'mime' | 'language' | 'plain') => [...parseAccept(header, kind)].map((item) => item.value);

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
    const a = parseAccept('text/xml,application/xml,application/xhtml+xml,application/foo;quiet=no; bar=baz;q=0.6,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5');
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

  // MISSING: bestMatch(['text/html; version=1', 'text/html']) picks the first offer; Werkzeug prefers the offer whose parameters the Accept entry matches exactly ('text/html').
  it.fails('test_accept_mime_specificity', () => {
    const a = parseAccept('text/*, text/html, text/html;level=1, */*');
    expect(a.bestMatch(['text/html; version=1', 'text/html'])).toBe('text/html');
    expect(a.bestMatch(['text/html', 'text/html; level=1'])).toBe('text/html; level=1');
  });

  // MISSING: CharsetAccept's codec normalisation: quality('UTF8') is 1 for 'ISO-8859-1,utf-8;q=0.7,*;q=0.7' (Werkzeug: 0.7, as utf-8).
  it.fails('test_charset_accept', () => {
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

  it.skip('test_set_header', () => { /* MISSING: parse_set_header / HeaderSet. */ });
  it.skip('test_list_header', () => { /* MISSING: parse_list_header. */ });
  it.skip('test_dict_header', () => { /* MISSING: parse_dict_header. */ });
  it.skip('test_cache_control_header', () => { /* MISSING: parse_cache_control_header / CacheControl. */ });
  it.skip('test_csp_header', () => { /* MISSING: parse_csp_header / ContentSecurityPolicy. */ });
  it.skip('test_authorization_header', () => { /* MISSING: Authorization.from_header. */ });
  it.skip('test_authorization_ignore_invalid_parameters', () => { /* MISSING: see test_authorization_header. */ });
  it.skip('test_authorization_token_padding', () => { /* MISSING: see test_authorization_header. */ });
  it.skip('test_authorization_basic_incorrect_padding', () => { /* MISSING: see test_authorization_header. */ });
  it.skip('test_bad_authorization_header_encoding', () => { /* MISSING: see test_authorization_header. */ });
  it.skip('test_authorization_eq', () => { /* MISSING: see test_authorization_header. */ });
  it.skip('test_www_authenticate_header', () => { /* MISSING: WWWAuthenticate (Unauthorized takes a plain header value). */ });
  it.skip('test_www_authenticate_token_padding', () => { /* MISSING: see test_www_authenticate_header. */ });
  it.skip('test_www_authenticate_eq', () => { /* MISSING: see test_www_authenticate_header. */ });

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

  it.skip('test_remove_entity_headers', () => { /* MISSING: remove_entity_headers. */ });
  it.skip('test_remove_hop_by_hop_headers', () => { /* MISSING: remove_hop_by_hop_headers (isHopByHop in flagon/gateway tests one name). */ });
  it.skip('test_parse_options_header_empty', () => { /* MISSING: parse_options_header (Request.mimetypeParams reads Content-Type only). */ });
  it.skip('test_parse_options_header', () => { /* MISSING: see test_parse_options_header_empty. */ });
  it.skip('test_parse_options_header_broken_values', () => { /* MISSING: see test_parse_options_header_empty. */ });
  it.skip('test_parse_options_header_case_insensitive', () => { /* MISSING: see test_parse_options_header_empty. */ });
  it.skip('test_dump_options_header', () => { /* MISSING: dump_options_header. */ });
  it.skip('test_dump_header', () => { /* MISSING: dump_header. */ });

  it('test_is_resource_modified', () => {
    // Werkzeug reads an environ; Flagon's is sans-IO and takes the header values.
    expect(isResourceModified({ method: 'POST' }, { etag: quoteEtag('testing') })).toBe(true);
    const awesome = generateEtag('awesome');
    expect(isResourceModified({ method: 'GET', ifNoneMatch: awesome }, { etag: generateEtag('awesome') })).toBe(false);
    const ims = httpDate(Date.UTC(2008, 0, 1, 12, 30));
    expect(isResourceModified({ method: 'GET', ifModifiedSince: ims }, { lastModified: new Date(Date.UTC(2008, 0, 1, 12, 0)) })).toBe(false);
    expect(isResourceModified({ method: 'GET', ifModifiedSince: ims }, { lastModified: new Date(Date.UTC(2008, 0, 1, 13, 0)) })).toBe(true);
  });

  it.skip('test_is_resource_modified_for_range_requests', () => {
    // N/A: Werkzeug's ignore_if_range switch; Flagon evaluates If-Range separately (ifRangeMatches, and makeConditional
    // in flagon/wrappers), where RFC 9110 §13.2.2 puts it.
  });

  // MISSING: a backslash-escaped quote inside a quoted value (b="\\";") is cut at the escape (b = "\\" and a stray '"' cookie).
  it.fails('test_parse_cookie', () => {
    const cookies = parseCookie('dismiss-top=6; CP=null*; PHPSESSID=0a539d42abc001cdc762809248d4beed;a=42; b="\\";"; ; fo234{=bar;blub=Blah; "__Secure-c"=d;==__Host-eq=bad;__Host-eq=good;');
    expect({ ...cookies }).toEqual({
      CP: 'null*', PHPSESSID: '0a539d42abc001cdc762809248d4beed', a: '42', 'dismiss-top': '6', b: '";', 'fo234{': 'bar', blub: 'Blah', '"__Secure-c"': 'd', '__Host-eq': 'good',
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

  // MISSING: IDNA for cookie domains: domain '☃.com' is refused (TypeError: option domain is invalid) instead of written as xn--n3h.com.
  it.fails('test_cookie_domain_resolving', () => {
    expect(dumpCookie('foo', 'bar', { domain: '☃.com', httpOnly: false, sameSite: null })).toBe('foo=bar; Domain=xn--n3h.com; Path=/');
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
    expect(parseCookie(val)['fö']).toBe('fö');
  });

  // MISSING: a Cookie header whose UTF-8 bytes arrive as latin-1 (as node:http hands them over: 'fÃ¶=fÃ¶') is not decoded to 'fö'.
  it.fails('test_cookie_unicode_parsing', () => {
    // The header as a WSGI server hands it over: UTF-8 bytes read as latin-1.
    expect(parseCookie('fÃ¶=fÃ¶')['fö']).toBe('fö');
  });

  // MISSING: see test_cookie_domain_resolving (the foo.com half passes).
  it.fails('test_cookie_domain_encoding', () => {
    expect(dumpCookie('foo', 'bar', { domain: 'foo.com', httpOnly: false, sameSite: null })).toBe('foo=bar; Domain=foo.com; Path=/');
    expect(dumpCookie('foo', 'bar', { domain: '☃.com', httpOnly: false, sameSite: null })).toBe('foo=bar; Domain=xn--n3h.com; Path=/');
  });

  it('test_cookie_maxsize', () => {
    const warnings: string[] = [];
    const warn = (message: string) => { warnings.push(message); };
    const val = dumpCookie('foo', `${'bar'.repeat(1360)}b`, { httpOnly: false, sameSite: null, warn });
    expect(val).toHaveLength(4093);
    expect(warnings).toEqual([]);
    dumpCookie('foo', `${'bar'.repeat(1360)}ba`, { httpOnly: false, sameSite: null, warn });
    expect(warnings).toHaveLength(1);
    dumpCookie('foo', 'w'.repeat(501), { httpOnly: false, sameSite: null, maxSize: 512, warn });
    expect(warnings[1]).toContain('512');
  });

  it('test_cookie_samesite_attribute', () => {
    const cases: Array<['strict' | 'lax' | 'none' | null, string]> = [['strict', 'foo=bar; SameSite=Strict'], ['lax', 'foo=bar; SameSite=Lax'], ['none', 'foo=bar; SameSite=None'], [null, 'foo=bar']];
    for (const [sameSite, expected] of cases) expect(dumpCookie('foo', 'bar', { sameSite, path: null, httpOnly: false })).toBe(expected);
  });

  it('test_cookie_samesite_invalid', () => {
    expect(() => dumpCookie('foo', 'bar', { sameSite: 'invalid' as never })).toThrow();
  });

  // DIFFERENCE: attribute order: 'foo=bar; Path=/; Secure; Partitioned' (Werkzeug: 'foo=bar; Secure; Path=/; Partitioned'); same meaning.
  it.fails('test_cookie_partitioned', () => {
    expect(dumpCookie('foo', 'bar', { partitioned: true, secure: true, httpOnly: false, sameSite: null })).toBe('foo=bar; Secure; Path=/; Partitioned');
  });

  // DIFFERENCE: attribute order, as test_cookie_partitioned.
  it.fails('test_cookie_partitioned_sets_secure', () => {
    expect(dumpCookie('foo', 'bar', { partitioned: true, secure: false, httpOnly: false, sameSite: null })).toBe('foo=bar; Secure; Path=/; Partitioned');
  });

  it.skip('test_if_range_parsing', () => { /* MISSING: parse_if_range_header / IfRange (ifRangeMatches decides without a parsed value). */ });

  it('test_range_parsing', () => {
    // Werkzeug returns the parsed header; Flagon's parseRange resolves it against a size (10,000 here) at once.
    const size = 10_000;
    expect(parseRange('bytes=52', size)).toBeNull();
    expect(parseRange('bytes=52-', size)).toEqual([{ start: 52, end: size - 1 }]);
    expect(parseRange('bytes=52-99', size)).toEqual([{ start: 52, end: 99 }]);
    expect(parseRange('bytes=52-99,-1000', size)).toEqual([{ start: 52, end: 99 }, { start: size - 1000, end: size - 1 }]);
    expect(parseRange('bytes=-', size)).toBeNull();
    expect(parseRange('bytes=bad', size)).toBeNull();
    expect(parseRange('bytes=bad-1', size)).toBeNull();
    expect(parseRange('bytes=-bad', size)).toBeNull();
    expect(parseRange('bytes=52-99, bad', size)).toBeNull();
  });

  it('test_range_parsing (bytes = 1 - 100)', () => {
    expect(parseRange('bytes = 1 - 100', 10_000)).toEqual([{ start: 1, end: 100 }]);
  });

  it.skip('test_range_parsing (other units)', () => { /* N/A: parseRange reads bytes only, as a server must ignore units it does not serve (RFC 9110 §14.2). */ });
  it.skip('test_content_range_parsing', () => { /* MISSING: parse_content_range_header (contentRange only writes one). */ });

  it('test_best_match_works', () => {
    expect(parseAccept('foo=,application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5').bestMatch(['foo/bar'])).toBe('foo/bar');
  });

  it.skip('test_authorization_to_header', () => { /* MISSING: see test_authorization_header. */ });

  // MISSING: ' Sun 02 Feb 1343 08:49:37 GMT' (a year before 1970/1600) parses to null; Werkzeug returns the date.
  it.fails('test_parse_date', () => {
    const cases: Array<[string, number | null]> = [
      ['Sun, 06 Nov 1994 08:49:37 GMT    ', Date.UTC(1994, 10, 6, 8, 49, 37)],
      ['Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)],
      [' Sun Nov  6 08:49:37 1994', Date.UTC(1994, 10, 6, 8, 49, 37)],
      ['foo', null],
      [' Sun 02 Feb 1343 08:49:37 GMT', Date.UTC(1343, 1, 2, 8, 49, 37)],
      ['Thu, 01 Jan 1970 00:00:00 GMT', 0],
      ['Thu, 33 Jan 1970 00:00:00 GMT', null],
    ];
    expect(cases.map(([value]) => parseHttpDate(value)?.getTime() ?? null)).toEqual(cases.map(([, expected]) => expected));
  });

  it('test_http_date', () => {
    const at = (y: number, m = 0, d = 1) => { const date = new Date(Date.UTC(2000, m, d)); date.setUTCFullYear(y); return date; };
    expect(httpDate(new Date(Date.UTC(1994, 10, 6, 8, 49, 37)))).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(httpDate(new Date('1994-11-06T08:49:37-08:00'))).toBe('Sun, 06 Nov 1994 16:49:37 GMT');
    expect(httpDate(0)).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(httpDate(at(1970))).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(httpDate(at(1))).toBe('Mon, 01 Jan 0001 00:00:00 GMT');
    expect(httpDate(at(999))).toBe('Tue, 01 Jan 0999 00:00:00 GMT');
    expect(httpDate(at(1000))).toBe('Wed, 01 Jan 1000 00:00:00 GMT');
    expect(httpDate(at(2020))).toBe('Wed, 01 Jan 2020 00:00:00 GMT');
  });

  // MISSING: q-values outside RFC 9110's qvalue grammar ('.5', '+0.5', '0.5_1', non-ASCII digits) are accepted, so 'jp' is kept; Werkzeug drops the entry.
  it.fails('test_accept_invalid_float', () => {
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

  it.skip('test_content_range_invalid_int', () => { /* MISSING: see test_content_range_parsing. */ });
});
