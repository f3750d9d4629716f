import { describe, expect, it } from 'vitest';
import { dumpHeader, parseDictHeader, parseListHeader, quoteHeaderValue, unquoteHeaderValue } from 'flagon/http';

describe('quoting header values', () => {
  it('leave tokens alone and quote the rest, escaping quotes and backslashes', () => {
    expect(quoteHeaderValue('utf-8')).toBe('utf-8');
    expect(quoteHeaderValue(42)).toBe('42');
    expect(quoteHeaderValue('')).toBe('""');
    expect(quoteHeaderValue('a b')).toBe('"a b"');
    expect(quoteHeaderValue('say "hi" \\o/')).toBe('"say \\"hi\\" \\\\o/"');
    expect(quoteHeaderValue('token', false)).toBe('"token"');
  });

  it('unquote only wholly quoted values, and round-trip', () => {
    for (const value of ['plain', 'a b', 'say "hi" \\o/', '', 'µ'])
      expect(unquoteHeaderValue(quoteHeaderValue(value))).toBe(value);
    expect(unquoteHeaderValue('a"b"')).toBe('a"b"');
    expect(unquoteHeaderValue('"')).toBe('"');
  });
});

describe('list and dict headers', () => {
  it('dump lists and dictionaries, skipping undefined and writing null as a bare key', () => {
    expect(dumpHeader(['gzip', 'a b', 3])).toBe('gzip, "a b", 3');
    expect(dumpHeader({ 'max-age': 60, 'no-cache': null, private: undefined, realm: 'my site' })).toBe(
      'max-age=60, no-cache, realm="my site"',
    );
    expect(
      dumpHeader(
        new Map([
          ['a', '1'],
          ['b', null],
        ]),
      ),
    ).toBe('a=1, b');
    expect(dumpHeader([])).toBe('');
  });

  it('round-trip a dictionary through dumpHeader and parseDictHeader', () => {
    const value = { realm: 'a, "quoted" realm', stale: null, nonce: 'abc' };
    expect({ ...parseDictHeader(dumpHeader(value)) }).toEqual(value);
    expect(parseListHeader(dumpHeader(['a, b', 'c "d"', 'e']))).toEqual(['a, b', 'c "d"', 'e']);
  });

  it('decode RFC 8187 values in a dict header, and leave an unknown charset alone', () => {
    expect({ ...parseDictHeader("title*=UTF-8''%E2%82%AC%20rates, lang*=ISO-8859-1'en'%E9") }).toEqual({
      title: '€ rates',
      lang: 'é',
    });
    expect({ ...parseDictHeader("title*=KOI8-R''%C1") }).toEqual({ title: '%C1' });
  });

  it('return a null-prototype object, so __proto__ is an ordinary key', () => {
    const parsed = parseDictHeader('__proto__=x, constructor');
    expect(Object.getPrototypeOf(parsed)).toBeNull();
    // biome-ignore lint/suspicious/noProto: __proto__ is an ordinary key here, the point of the test
    expect([parsed.__proto__, parsed.constructor]).toEqual(['x', null]);
  });
});
