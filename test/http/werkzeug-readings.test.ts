/**
 * Header readings where Flagon follows Werkzeug 3.1 (each case checked against it): lenient where a client's
 * meaning is plain, strict where guessing would be wrong.
 */
import { describe, expect, it } from 'vitest';
import { parseAccept, parseCookie, parseEtags, parseRange } from 'flagon/http';
import { parseConverterArgs, Router } from 'flagon/routing';

describe('as Werkzeug reads them', () => {
  it('cookies: quoted values unquoted and unslashed, pairs without = kept, nameless pairs dropped', () => {
    expect({ ...parseCookie('foo="a b"; bar=1') }).toEqual({ foo: 'a b', bar: '1' });
    expect({ ...parseCookie('c="\\"q"; d="a\\073b\\"c"; e="\\303\\251"') }).toEqual({ c: '"q', d: 'a;b"c', e: 'é' });
    expect({ ...parseCookie('=x; noeq; a=1; b; e=1=2; f = g ') }).toEqual({
      noeq: '',
      a: '1',
      b: '',
      e: '1=2',
      f: 'g',
    });
    expect({ ...parseCookie('a=%20b; a=second; bad=%E0%A4%A') }).toEqual({ a: ' b', bad: '%E0%A4%A' }); // first wins; bad escapes kept
    expect(Object.getPrototypeOf(parseCookie('__proto__=x'))).toBe(null);
  });

  it('ETag lists: unquoted tags and a lower-case w/ count', () => {
    const tags = parseEtags('a, "b", w/"c", W/d');
    expect([
      tags.contains('a'),
      tags.contains('b'),
      tags.containsWeak('c'),
      tags.contains('c'),
      tags.containsWeak('d'),
    ]).toEqual([true, true, true, false, true]);
  });

  it('ranges: spaces around the dash are read; a bad spec or another unit is not a range', () => {
    expect(parseRange('bytes=1 - 100', 1000)).toEqual([{ start: 1, end: 100 }]);
    expect(parseRange('bytes = 0-10', 1000)).toEqual([{ start: 0, end: 10 }]);
    expect(parseRange('bytes=a-b', 1000)).toBe(null);
    expect(parseRange('items=0-5', 1000)).toBe(null);
  });

  it('language tags written with an underscore match', () => {
    const accept = parseAccept('de_AT, en;q=0.5', 'language');
    expect([accept.bestMatch(['de-AT', 'en']), accept.bestMatch(['de']), accept.bestMatch(['en', 'de_at'])]).toEqual([
      'de-AT',
      'de',
      'de_at',
    ]);
  });

  it('converter arguments: None is null (no limit), and a ; between arguments is an error that says to use commas', () => {
    expect(parseConverterArgs('None')).toEqual({ positional: [null], keyword: {} });
    expect(parseConverterArgs('min=0, max=500')).toEqual({ positional: [], keyword: { min: 0, max: 500 } });
    expect(() => parseConverterArgs('min=0;max=500')).toThrow(
      /separate arguments with commas, e\.g\. \(min=0, max=500\)/,
    );
    const router = new Router();
    router.add('/n/<int(min=1, max=None):n>', { endpoint: 'n' });
    router.add('/s/<string(2, None):s>', { endpoint: 's' });
    expect([router.match('/n/99999').params, router.match('/s/abcdefghijkl').params]).toEqual([
      { n: 99999 },
      { s: 'abcdefghijkl' },
    ]);
    expect(() => new Router().add('/x/<int(min=0;max=5):x>', { endpoint: 'x' })).toThrow(
      /separate arguments with commas/,
    );
  });
});
