import { describe, expect, it } from 'vitest';
import {
  ContentRange,
  IfRange,
  parseContentRange,
  parseIfRange,
  parseRange,
  parseRangeHeader,
  Range,
} from 'flagon/http';

describe('If-Range', () => {
  it('read a date as a date and anything else as an entity tag', () => {
    expect(parseIfRange('Sun, 06 Nov 1994 08:49:37 GMT').date).toEqual(new Date(Date.UTC(1994, 10, 6, 8, 49, 37)));
    expect(parseIfRange('W/"v1"').etag).toBe('v1');
  });

  it('refuse a tag and a date together, naming the fix', () => {
    expect(() => new IfRange('v1', new Date(0))).toThrow(/not both; pass one of them/);
  });
});

describe('Content-Range', () => {
  it('refuse ranges RFC 9110 §14.4 calls invalid', () => {
    for (const header of [
      'bytes 0-100/100',
      'bytes 5-4/10',
      'bytes 0-1',
      'bytes',
      'bytes */*',
      'bytes 1-2-3/9',
      null,
    ]) {
      expect(parseContentRange(header)).toBeNull();
    }
  });

  it('keep an end inclusive, and the units as sent', () => {
    const range = parseContentRange('items 10-19/100');
    expect([range?.units, range?.start, range?.end, range?.length]).toEqual(['items', 10, 19, 100]);
    expect(new ContentRange('bytes', 0, 0, 1).toString()).toBe('bytes 0-0/1');
  });

  it('check values when changed, naming the fix', () => {
    const range = new ContentRange('bytes', 0, 9, 10);
    expect(() => range.set(5, 20)).toThrow(/start <= end < length/);
    expect(range.set(5, 9).toString()).toBe('bytes 5-9/10');
    expect(range.set(0, 99, null).toString()).toBe('bytes 0-99/*');
  });
});

describe('Range (the header before a size is known)', () => {
  it('keeps the ranges as written, and resolves them as parseRange does', () => {
    const range = parseRangeHeader('bytes=0-499, 1000-, -500')!;
    expect(range.units).toBe('bytes');
    expect(range.ranges).toEqual([{ start: 0, end: 499 }, { start: 1000, end: null }, { suffix: 500 }]);
    expect(String(range)).toBe('bytes=0-499,1000-,-500');
    expect(range.forLength(1200)).toEqual(parseRange('bytes=0-499, 1000-, -500', 1200));
    expect(range.forLength(1200)).toEqual([
      { start: 0, end: 499 },
      { start: 1000, end: 1199 },
      { start: 700, end: 1199 },
    ]);
    expect(parseRangeHeader('bytes=2000-')!.forLength(1000)).toBe('unsatisfiable');
  });

  it("gives one range's Content-Range, and none for several (Werkzeug's range_for_length)", () => {
    expect(String(parseRangeHeader('bytes=-100')!.makeContentRange(1000))).toBe('bytes 900-999/1000');
    expect(parseRangeHeader('bytes=0-1,5-6')!.makeContentRange(1000)).toBeNull();
    expect(parseRangeHeader('bytes=1000-')!.rangeForLength(1000)).toBeNull();
    expect(parseRangeHeader('items=0-9')!.rangeForLength(1000)).toBeNull(); // a unit HTTP does not define
    expect(parseRange('items=0-9', 1000)).toBeNull();
  });

  it('reads what parseRange reads, and refuses what it refuses', () => {
    for (const header of [
      undefined,
      '',
      'bytes=5-1',
      'bytes=a-b',
      'bytes=',
      'bytes=-',
      'bytes 0-1',
      `bytes=${Array(40).fill('0-1').join(',')}`,
    ])
      expect(parseRangeHeader(header)).toBeNull();
    // A position too long for a number is still past any size: 416, not the whole file; a last position before the
    // first is an invalid header, however long they are.
    expect(parseRangeHeader(`bytes=${'9'.repeat(30)}-`)!.forLength(1000)).toBe('unsatisfiable');
    expect(parseRangeHeader(`bytes=${'9'.repeat(21)}-9007199254740993`)).toBeNull();
    expect(parseRangeHeader('bytes=0010-012')!.ranges).toEqual([{ start: 10, end: 12 }]);
    expect(String(parseRangeHeader('BYTES=0-1'))).toBe('bytes=0-1');
  });

  it('refuses ranges that are not ranges when built by hand, naming the shape', () => {
    expect(() => new Range('bytes', [{ start: 5, end: 1 }])).toThrow(/0 <= start <= end/);
    expect(() => new Range('bytes', [{ suffix: -1 }])).toThrow(/\{ suffix \} >= 0/);
    expect(() => new Range('by tes', [])).toThrow(/units are a token/);
    expect(new Range('bytes', [{ start: 0, end: null }]).toString()).toBe('bytes=0-');
  });
});
