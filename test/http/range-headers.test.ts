import { describe, expect, it } from 'vitest';
import { ContentRange, IfRange, parseContentRange, parseIfRange } from 'flagon/http';

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
