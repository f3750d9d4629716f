import { describe, expect, it } from 'vitest';
import { httpDate, parseAccept, parseHttpDate } from 'flagon/http';

describe('HTTP dates', () => {
  const instant = new Date(Date.UTC(1994, 10, 6, 8, 49, 37));
  it('format IMF-fixdate', () => {
    expect(httpDate(instant)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
  });
  it('parse all three formats of RFC 9110 §5.6.7', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toEqual(instant);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toEqual(instant);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toEqual(instant);
  });
  it('read years before 1970 in IMF-fixdate', () => {
    expect(parseHttpDate('Sun, 02 Feb 1343 08:49:37 GMT')?.getTime()).toBe(Date.UTC(1343, 1, 2, 8, 49, 37));
  });
  it('reject anything else', () => {
    for (const bad of [
      '',
      'yesterday',
      'Sun, 31 Feb 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 25:00:00 GMT',
      '1994-11-06T08:49:37Z',
    ]) {
      expect(parseHttpDate(bad)).toBeNull();
    }
  });
});

describe('Accept headers', () => {
  it('sort by quality, then specificity, and pick the best offer', () => {
    const accept = parseAccept('text/*;q=0.5, text/html, application/json;q=0.9, */*;q=0.1');
    expect(accept.items.map((i) => i.value)).toEqual(['text/html', 'application/json', 'text/*', '*/*']);
    expect(accept.bestMatch(['application/json', 'text/html'])).toBe('text/html');
    expect(accept.quality('text/plain')).toBe(0.5);
    expect(accept.quality('image/png')).toBe(0.1);
  });
  it('treat q=0 as not acceptable and use the most specific range', () => {
    const accept = parseAccept('text/*, text/plain;q=0');
    expect(accept.quality('text/plain')).toBe(0);
    expect(accept.bestMatch(['text/plain'])).toBeNull();
    expect(accept.bestMatch(['text/plain', 'text/csv'])).toBe('text/csv');
  });
  it('let the server order break ties, and accept anything when no header was sent', () => {
    expect(parseAccept('a/b, c/d').bestMatch(['c/d', 'a/b'])).toBe('c/d');
    expect(parseAccept(undefined).bestMatch(['x/y', 'z/w'])).toBe('x/y');
  });
  it("match languages by prefix, with Werkzeug's primary-tag fallback", () => {
    const accept = parseAccept('en-US, de;q=0.5', 'language');
    expect(accept.bestMatch(['de', 'fr'])).toBe('de');
    expect(parseAccept('en', 'language').bestMatch(['fr', 'en-GB'])).toBe('en-GB');
    // Two regions of one language never match each other (en-GB accepted, en-US offered gave en-US): Werkzeug's
    // fallback cuts the client's tags, then the offers, to their primary subtag (python3, Werkzeug 3.1.8's answers).
    const werkzeug: Array<[string, string[], string | null]> = [
      ['en-GB', ['en-US'], null],
      ['en-GB', ['en-US', 'en'], 'en'],
      ['en-US,fr;q=0.5', ['en-GB', 'fr-CA'], 'fr-CA'],
      ['en', ['en-US', 'de'], 'en-US'],
      ['de-AT', ['de-DE', 'de'], 'de'],
      ['de_AT', ['de'], 'de'],
      ['zh-Hant-TW', ['zh-CN', 'zh'], 'zh'],
      ['fr;q=0.5,en-GB;q=0.9', ['fr', 'en-US'], 'fr'],
      ['EN-gb', ['en'], 'en'],
      ['*;q=0.1,de', ['de-CH'], 'de-CH'],
    ];
    // Werkzeug's answers too: a refused tag (q=0) does not come back through the fallback's `*`.
    werkzeug.push(['EN-us;q=0, de-AT, fr;q=0, *;q=0.5', ['fr'], null]);
    for (const [header, offers, expected] of werkzeug)
      expect(parseAccept(header, 'language').bestMatch(offers), `${header} ${offers}`).toBe(expected);
  });
  it('compare charsets and encodings without case', () => {
    expect(parseAccept('UTF-8, iso-8859-1;q=0.5', 'plain').bestMatch(['iso-8859-1', 'utf-8'])).toBe('utf-8');
    expect(parseAccept('gzip, br;q=1.0, *;q=0', 'plain').quality('deflate')).toBe(0);
  });
  it('compare charset aliases and content-coding aliases as one name', () => {
    const charsets = parseAccept('latin1;q=0.5, UTF8, us-ascii;q=0.2', 'plain');
    expect([
      charsets.quality('ISO-8859-1'),
      charsets.quality('utf-8'),
      charsets.quality('ASCII'),
      charsets.quality('utf-16'),
    ]).toEqual([0.5, 1, 0.2, 0]);
    expect(parseAccept('x-gzip, br;q=0.5', 'plain').bestMatch(['br', 'gzip'])).toBe('gzip');
  });
  it('break quality ties by the more specific range, then by the range naming the offer exactly', () => {
    expect(parseAccept('text/*, application/json').bestMatch(['text/html', 'application/json'])).toBe(
      'application/json',
    );
    expect(parseAccept('text/html').bestMatch(['text/html; charset=utf-8', 'text/html'])).toBe('text/html');
    expect(parseAccept('en, en-GB', 'language').bestMatch(['en-US', 'en-GB'])).toBe('en-GB');
  });
  it('decode an RFC 8187 q*= before checking it', () => {
    expect(
      parseAccept("en, de;q*=UTF-8''0.5, jp;q*=UTF-8''%2B0.5", 'language').items.map((i) => [i.value, i.quality]),
    ).toEqual([
      ['en', 1],
      ['de', 0.5],
    ]);
  });
  it('skip malformed entries, and entries whose q-value is malformed (as Werkzeug; never read as 1)', () => {
    expect(parseAccept('text/html;q=2, ,foo bar, text/plain;q=0.5').items.map((i) => [i.value, i.quality])).toEqual([
      ['text/plain', 0.5],
    ]);
    expect(parseAccept('en,jp;q=.5', 'language').items.map((i) => [i.value, i.quality])).toEqual([['en', 1]]);
    expect(
      parseAccept('en,jp;q=foo,de;q=1.0001,fr;q=0.999', 'language').items.map((i) => [i.value, i.quality]),
    ).toEqual([
      ['en', 1],
      ['fr', 0.999],
    ]);
  });
  it('keep media-type parameters, and match them as RFC 9110 §12.5.1 says', () => {
    const accept = parseAccept('text/html;level=1;q=0.5, text/*;q=0.2, text/html;level=2;q=0.4;ext=1');
    expect(accept.items.map((i) => [i.value, i.quality])).toEqual([
      ['text/html; level=1', 0.5],
      ['text/html; level=2', 0.4],
      ['text/*', 0.2],
    ]);
    expect(accept.quality('text/html; level=1')).toBe(0.5);
    expect(accept.quality('text/html;LEVEL=2')).toBe(0.4);
    expect(accept.quality('text/html')).toBe(0.2); // the parameterised ranges ask for a variant this offer is not
    expect(accept.bestMatch(['text/plain', 'text/html;level=1'])).toBe('text/html;level=1');
    // A range without parameters covers every variant, and the more specific range wins.
    const general = parseAccept('text/html;q=0.3, text/html;level=1');
    expect([general.quality('text/html;level=2'), general.quality('text/html;level=1')]).toEqual([0.3, 1]);
  });
});
