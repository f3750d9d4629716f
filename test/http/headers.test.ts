import { describe, expect, it } from 'vitest';
import { Headers, MultiDict, parseQuery } from 'flagon/http';

describe('Headers', () => {
  it('looks names up without case and keeps order and repeats', () => {
    const headers = new Headers([
      ['Content-Type', 'text/html'],
      ['Set-Cookie', 'a=1'],
    ]);
    headers.add('set-cookie', 'b=2');
    expect(headers.get('CONTENT-TYPE')).toBe('text/html');
    expect(headers.getAll('Set-Cookie')).toEqual(['a=1', 'b=2']);
    expect(headers.toList()).toEqual([
      ['Content-Type', 'text/html'],
      ['Set-Cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
    expect(headers.get('missing')).toBeNull();
  });

  it('set replaces every value at the first position; delete removes all', () => {
    const headers = new Headers({ A: '1', B: ['2', '3'], C: 4 });
    headers.set('b', 'x');
    expect(headers.toList()).toEqual([
      ['A', '1'],
      ['b', 'x'],
      ['C', '4'],
    ]);
    expect(headers.delete('A')).toBe(true);
    expect(headers.delete('A')).toBe(false);
    expect(headers.setDefault('C', '9')).toBe('4');
    expect(headers.setDefault('D', '5')).toBe('5');
    expect(headers.size).toBe(3);
  });

  it('refuses values that would split the response and names that are not tokens', () => {
    const headers = new Headers();
    expect(() => headers.set('X-A', 'a\r\nSet-Cookie: evil=1')).toThrow(/CR, LF/);
    expect(() => headers.add('X-A', 'nul\0')).toThrow(TypeError);
    expect(() => headers.add('X-A', '€')).toThrow(/latin-1/);
    expect(() => headers.add('Bad Name', 'x')).toThrow(/not a valid header name/);
  });

  it('set keeps the first position and drops later repeats, whatever their case', () => {
    const headers = new Headers([
      ['X-A', '1'],
      ['B', '2'],
      ['x-a', '3'],
      ['X-A', '4'],
    ]);
    headers.set('x-A', '9');
    expect(headers.toList()).toEqual([
      ['x-A', '9'],
      ['B', '2'],
    ]);
    headers.set('C', '5');
    expect(headers.toList()).toEqual([
      ['x-A', '9'],
      ['B', '2'],
      ['C', '5'],
    ]);
  });

  it('checks a value each time it is given, also one it has checked before', () => {
    const headers = new Headers();
    for (let i = 0; i < 300; i++) headers.add(`X-${i}`, `value ${i}`); // more than the memo of checked strings holds
    expect(() => headers.add('X-1', 'value 1\r\nInjected: 1')).toThrow(/CR, LF/);
    expect(headers.get('X-299')).toBe('value 299');
  });

  it('toList appends extra fields, checked, without keeping them', () => {
    const headers = new Headers({ A: '1' });
    expect(headers.toList(['Content-Length', '13'])).toEqual([
      ['A', '1'],
      ['Content-Length', '13'],
    ]);
    expect(headers.size).toBe(1);
    expect(() => headers.toList(['X-B', 'a\nb'])).toThrow(/CR, LF/);
    expect(() => headers.toList(['Bad Name', 'x'])).toThrow(/not a valid header name/);
  });

  it('hands out copies, so callers cannot change it behind its back', () => {
    const headers = new Headers({ A: '1' });
    headers.toList()[0]![1] = 'changed';
    expect(headers.get('A')).toBe('1');
    expect([...headers.clone()]).toEqual([['A', '1']]);
  });
});

describe('MultiDict', () => {
  it("takes Werkzeug's default and type: get(key, default, type), getAll(key, type)", () => {
    const args = parseQuery('page=2&bad=x&empty=&n=1&n=y&n=3&big=12345678901234567890&big=nope');
    // What Werkzeug's MultiDict answers for the same query (int for Number, and Python's ValueError for NaN).
    expect(args.get('page', 1, Number)).toBe(2);
    expect(args.get('bad', 1, Number)).toBe(1);
    expect(args.get('missing', 1, Number)).toBe(1);
    expect(args.get('missing', undefined, Number)).toBeUndefined();
    expect(args.get('sort', 'date')).toBe('date');
    expect(args.get('page', 'date')).toBe('2');
    expect(args.getAll('n', Number)).toEqual([1, 3]);
    expect(args.getAll('n')).toEqual(['1', 'y', '3']);
    // A converter that throws one of JavaScript's conversion errors is a failed conversion too (BigInt: SyntaxError).
    expect(args.get('big', 0n, BigInt)).toBe(12345678901234567890n);
    expect(args.getAll('big', BigInt)).toEqual([12345678901234567890n]);
    expect(args.get('bad', null, (text) => JSON.parse(text) as unknown)).toBeNull();
    // Any other error is a bug in the converter, and is not hidden.
    const broken = (): never => {
      throw new Error('converter bug');
    };
    expect(() => args.get('page', 1, broken)).toThrow('converter bug');
    // JavaScript's Number('') is 0 (Python's int('') raises): parseInt makes an empty value the default.
    expect(args.get('empty', 1, Number)).toBe(0);
    expect(args.get('empty', 1, (text) => Number.parseInt(text, 10))).toBe(1);
  });

  it("has Werkzeug's items() (first values; every pair with multi) and values()", () => {
    const args = parseQuery('tag=a&page=2&tag=b');
    // What Werkzeug's MultiDict gives for the same query.
    expect([...args.items()]).toEqual([
      ['tag', 'a'],
      ['page', '2'],
    ]);
    expect([...args.items(true)]).toEqual([
      ['tag', 'a'],
      ['tag', 'b'],
      ['page', '2'],
    ]);
    expect([...args.values()]).toEqual(['a', '2']);
  });

  it('keeps repeated keys, in order', () => {
    const dict = new MultiDict([
      ['tag', 'a'],
      ['page', '2'],
      ['tag', 'b'],
    ]);
    expect(dict.get('tag')).toBe('a');
    expect(dict.getAll('tag')).toEqual(['a', 'b']);
    expect([...dict]).toEqual([
      ['tag', 'a'],
      ['tag', 'b'],
      ['page', '2'],
    ]);
    expect([...dict.keys()]).toEqual(['tag', 'page']);
    expect(dict.size).toBe(2);
    expect(dict.getAll('nope')).toEqual([]);
  });

  it('treats __proto__ and constructor as ordinary keys', () => {
    const dict = parseQuery('__proto__=x&constructor=y');
    expect(dict.get('__proto__')).toBe('x');
    const object = dict.toObject();
    expect(Object.getPrototypeOf(object)).toBeNull();
    expect(object.constructor).toBe('y');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('parses urlencoded text with repeated keys and + as space', () => {
    const dict = parseQuery('a=1&a=2&b=x+y&c=%C3%A9&empty=');
    expect(dict.toObjectAll()).toEqual(
      Object.assign(Object.create(null), { a: ['1', '2'], b: ['x y'], c: ['é'], empty: [''] }),
    );
  });
});
