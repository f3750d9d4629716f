import { describe, expect, it } from 'vitest';
import {
  contentRange,
  evaluatePreconditions,
  generateEtag,
  httpDate,
  ifRangeMatches,
  isResourceModified,
  parseEtags,
  parseRange,
  quoteEtag,
  unquoteEtag,
} from 'flagon/http';

const lastModified = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));
const resource = { etag: '"v2"', lastModified };

describe('ETags', () => {
  it('generate, quote and unquote', () => {
    expect(generateEtag('hello')).toBe('aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d');
    expect(quoteEtag('x')).toBe('"x"');
    expect(quoteEtag('x', true)).toBe('W/"x"');
    expect(unquoteEtag('W/"x"')).toEqual({ tag: 'x', weak: true });
    expect(() => quoteEtag('a"b')).toThrow(TypeError);
  });
  it('parse lists and compare strongly or weakly', () => {
    const tags = parseEtags('"a", W/"b", "c"');
    expect([tags.contains('a'), tags.contains('b'), tags.containsWeak('b'), tags.containsRaw('W/"a"')]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect(parseEtags('*').contains('anything')).toBe(true);
    expect(parseEtags(null).isEmpty).toBe(true);
  });
});

describe('preconditions (RFC 9110 §13.2.2)', () => {
  it('If-None-Match: 304 for GET/HEAD, 412 otherwise, weak comparison', () => {
    expect(evaluatePreconditions({ method: 'GET', ifNoneMatch: '"v2"' }, resource)).toBe('not-modified');
    expect(evaluatePreconditions({ method: 'HEAD', ifNoneMatch: 'W/"v2"' }, resource)).toBe('not-modified');
    expect(evaluatePreconditions({ method: 'PUT', ifNoneMatch: '*' }, resource)).toBe('precondition-failed');
    expect(evaluatePreconditions({ method: 'GET', ifNoneMatch: '"v1"' }, resource)).toBe('proceed');
  });
  it('If-Match: strong comparison, 412 on mismatch or a weak current tag', () => {
    expect(evaluatePreconditions({ method: 'PUT', ifMatch: '"v2"' }, resource)).toBe('proceed');
    expect(evaluatePreconditions({ method: 'PUT', ifMatch: '"v1"' }, resource)).toBe('precondition-failed');
    expect(evaluatePreconditions({ method: 'PUT', ifMatch: '"v2"' }, { etag: 'W/"v2"' })).toBe('precondition-failed');
    expect(evaluatePreconditions({ method: 'PUT', ifMatch: '*' }, {})).toBe('precondition-failed');
  });
  it('dates compare to the second, and If-None-Match wins over If-Modified-Since', () => {
    const same = httpDate(lastModified);
    const earlier = httpDate(new Date(lastModified.getTime() - 1000));
    expect(evaluatePreconditions({ method: 'GET', ifModifiedSince: same }, resource)).toBe('not-modified');
    expect(evaluatePreconditions({ method: 'GET', ifModifiedSince: earlier }, resource)).toBe('proceed');
    expect(evaluatePreconditions({ method: 'GET', ifNoneMatch: '"v1"', ifModifiedSince: same }, resource)).toBe(
      'proceed',
    );
    expect(evaluatePreconditions({ method: 'POST', ifUnmodifiedSince: earlier }, resource)).toBe('precondition-failed');
    expect(evaluatePreconditions({ method: 'GET', ifModifiedSince: 'garbage' }, resource)).toBe('proceed');
    expect(isResourceModified({ method: 'GET', ifModifiedSince: same }, resource)).toBe(false);
  });
  it('If-Range needs a strong ETag match or the exact date', () => {
    expect(ifRangeMatches(undefined, resource)).toBe(true);
    expect(ifRangeMatches('"v2"', resource)).toBe(true);
    expect(ifRangeMatches('W/"v2"', resource)).toBe(false);
    expect(ifRangeMatches('"v1"', resource)).toBe(false);
    expect(ifRangeMatches(httpDate(lastModified), resource)).toBe(true);
    expect(ifRangeMatches(httpDate(0), resource)).toBe(false);
  });
});

describe('Range', () => {
  it('parses byte ranges, suffixes and open ends, clipping to the size', () => {
    expect(parseRange('bytes=0-499', 1000)).toEqual([{ start: 0, end: 499 }]);
    expect(parseRange('bytes=500-', 1000)).toEqual([{ start: 500, end: 999 }]);
    expect(parseRange('bytes=-100', 1000)).toEqual([{ start: 900, end: 999 }]);
    expect(parseRange('bytes=-5000', 1000)).toEqual([{ start: 0, end: 999 }]);
    expect(parseRange('bytes=900-5000', 1000)).toEqual([{ start: 900, end: 999 }]);
    expect(parseRange('bytes=0-0, 2-3', 10)).toEqual([
      { start: 0, end: 0 },
      { start: 2, end: 3 },
    ]);
  });
  it('says unsatisfiable when nothing starts inside the representation', () => {
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
  });
  it('ignores what it does not understand', () => {
    for (const header of [
      undefined,
      'items=0-1',
      'bytes=5-1',
      'bytes=a-b',
      'bytes=',
      'bytes=-',
      `bytes=${Array(40).fill('0-1').join(',')}`,
    ]) {
      expect(parseRange(header, 1000)).toBeNull();
    }
  });
  it('formats Content-Range', () => {
    expect(contentRange({ start: 0, end: 499 }, 1000)).toBe('bytes 0-499/1000');
  });
});
