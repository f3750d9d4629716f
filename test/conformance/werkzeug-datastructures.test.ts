/**
 * Port of Werkzeug's tests/test_datastructures.py (github.com/pallets/werkzeug, tag 3.1.8, commit
 * c1a26b45fb06d5e086b4d6be820c3302f588d815), for the structures Flagon has: MultiDict, Headers (and a request's
 * headers, which is what Werkzeug's EnvironHeaders is), HeaderSet, Accept, the Cache-Control classes,
 * ContentSecurityPolicy and FileStorage. BSD-3-Clause, Copyright 2007 Pallets: see LICENSE-pallets.txt.
 *
 * Translations: `md[key]` is `md.get(key)`, `getlist` is `getAll`, `md[key] = v` is `set`, `del md[key]` is
 * `delete`, `to_dict()` is `toObject()` and `to_dict(flat=False)` is `toObjectAll()`, `lists()` is
 * `Object.entries(md.toObjectAll())`, `listvalues()` is `Object.values(md.toObjectAll())`; `Headers.to_wsgi_list()`
 * is `toList()`, `copy()` is `clone()`, `setdefault` is `setDefault`, keyword options of `add`/`set`
 * (`filename="foo"`) are `dumpOptionsHeader(value, { filename: 'foo' })`; `EnvironHeaders(environ)` is
 * `new Request(environ).headers`; `MIMEAccept(values)` and `LanguageAccept(values)` are `new Accept(items, 'mime')`
 * and `new Accept(items, 'language')`, `Accept` is `new Accept(items)` (kind 'plain'), `accept[str]` is `quality()`;
 * Python's `int` is the `int` helper below (it throws where `int()` raises).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environ } from 'flagon/gateway';
import {
  Accept,
  type AcceptItem,
  ContentSecurityPolicy,
  HeaderSet,
  Headers,
  MultiDict,
  RequestCacheControl,
  ResponseCacheControl,
  dumpOptionsHeader,
} from 'flagon/http';
import { createEnviron } from 'flagon/testing';
import { FileStorage, Request } from 'flagon/wrappers';

/**
 * Python's `int()` on what a MultiDict holds: a string of decimal digits (sign and surrounding spaces allowed), else
 * Python's ValueError (a SyntaxError here, one of the conversion errors MultiDict.get catches); `int(None)` is a
 * TypeError.
 */
function int(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value !== 'string') throw new TypeError(`int() argument must be a string, not ${String(value)}`);
  if (!/^\s*[+-]?\d+\s*$/.test(value))
    throw new SyntaxError(`invalid literal for int() with base 10: ${JSON.stringify(value)}`);
  return Number(value);
}

/** Python's `sorted()` of tuples and numbers, as the tests compare them. */
const sorted = <T>(items: Iterable<T>): T[] =>
  [...items].sort((a, b) =>
    JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0,
  );

/** Python's `zip()` of two lists. */
const zip = <A, B>(a: readonly A[], b: readonly B[]): Array<[A, B]> =>
  a.slice(0, Math.min(a.length, b.length)).map((item, i) => [item, b[i]!]);

/** `Accept([(value, quality), ...])`: the tuples as Flagon's items. */
const items = (values: ReadonlyArray<readonly [string, number]>): AcceptItem[] =>
  values.map(([value, quality]) => ({ value, quality }));

/** `EnvironHeaders(environ)`: the headers of a request over exactly this environ (no keys added). */
const environHeaders = (environ: Record<string, unknown>): Headers =>
  new Request(environ as unknown as Environ).headers;

const MAPPING: Array<[string, number]> = [
  ['a', 1],
  ['b', 2],
  ['a', 2],
  ['d', 3],
  ['a', 1],
  ['a', 3],
  ['d', 4],
  ['c', 3],
];

describe('werkzeug tests/test_datastructures.py', () => {
  describe('TestNativeItermethods', () => {
    // N/A: the test exercises a class of its own (Python 2's keys/values/items with a `multi` argument), no Werkzeug API.
    it.skip('test_basic', () => {});
  });

  describe('TestMultiDict', () => {
    // N/A: pickling.
    it.skip('test_pickle', () => {});

    it('test_multidict_dict_interop', () => {
      const md = new MultiDict<number>([
        ['a', 1],
        ['a', 2],
      ]);
      expect(md.toObject().a).not.toEqual([1, 2]);
      expect(md.toObject().a).toBe(1);
      expect({ ...md.toObject() }).toEqual({ a: 1 });
    });

    it('test_basic_interface', () => {
      let md = new MultiDict<number>();
      expect(md.size).toBe(0);
      md = new MultiDict<number>(MAPPING);

      // simple getitem gives the first value
      expect(md.get('a')).toBe(1);
      expect(md.get('c')).toBe(3);
      expect(md.get('a')).toBe(1);

      // list getitem
      expect(md.getAll('a')).toEqual([1, 2, 1, 3]);
      expect(md.getAll('d')).toEqual([3, 4]);
      // do not raise if key not found
      expect(md.getAll('x')).toEqual([]);

      // simple setitem overwrites all values
      md.set('a', 42);
      expect(md.getAll('a')).toEqual([42]);

      // list setitem: setlist is missing (see the part below); delete and add leave the same values
      md.delete('a');
      for (const value of [1, 2, 3]) md.add('a', value);
      expect(md.get('a')).toBe(1);
      expect(md.getAll('a')).toEqual([1, 2, 3]);

      // delitem
      md.delete('d');
      expect(md.getAll('d')).toEqual([]);
      expect(md.has('d')).toBe(false);

      // keys, values, items, lists
      expect(sorted(md.keys())).toEqual(['a', 'b', 'c']);
      expect(sorted(md.values())).toEqual([1, 2, 3]);
      expect(sorted(md.items())).toEqual([
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]);
      expect(sorted(md.items(true))).toEqual([
        ['a', 1],
        ['a', 2],
        ['a', 3],
        ['b', 2],
        ['c', 3],
      ]);
      expect(sorted(Object.entries(md.toObjectAll()))).toEqual([
        ['a', [1, 2, 3]],
        ['b', [2]],
        ['c', [3]],
      ]);

      // type conversion
      const strings = new MultiDict<string>({ a: '4', b: ['2', '3'] });
      expect(strings.get('a', undefined, int)).toBe(4);
      expect(strings.getAll('b', int)).toEqual([2, 3]);

      // add and getlist
      const added = new MultiDict<string | number>([
        ['a', 1],
        ['a', 2],
        ['b', 3],
      ]);
      added.add('c', '42');
      added.add('c', '23');
      expect(added.getAll('c')).toEqual(['42', '23']);
      added.add('c', 'blah');
      expect(added.getAll('c', int)).toEqual([42, 23]);

      // to dict
      md = new MultiDict<number>();
      md.set('foo', 42);
      md.add('bar', 1);
      md.add('bar', 2);
      expect({ ...md.toObject() }).toEqual({ foo: 42, bar: 1 });
      expect({ ...md.toObjectAll() }).toEqual({ foo: [42], bar: [1, 2] });
    });

    // DIFFERENCE: `md['e']` (and `md[42]`) raises KeyError, a BadRequestKeyError; Flagon's `get` returns undefined,
    // as Map and URLSearchParams do, and has no KeyError to raise (docs/conformance.md, TRAP_BAD_REQUEST_ERRORS).
    it.fails('test_basic_interface (a missing key raises KeyError)', () => {
      const md = new MultiDict<number>(MAPPING);
      expect(() => md.get('e')).toThrow();
    });

    // MISSING: setlist, setdefault, copy, deepcopy, update, pop, poplist, popitem and popitemlist; build a new
    // MultiDict from the old one's pairs (`new MultiDict(md)`) to copy it, `getAll` then `delete` to pop.
    it.skip('test_basic_interface (setlist, setdefault, copy, update, pop, popitem)', () => {});

    // N/A: Python's repr().
    it.skip('test_basic_interface (repr)', () => {});

    // N/A: Python's `|` operator on dicts (and MultiDict.update, which it stands for, is missing).
    it.skip('test_or', () => {});

    // N/A: Python's `|=` operator on dicts (and MultiDict.update, which it stands for, is missing).
    it.skip('test_ior', () => {});

    // MISSING: MultiDict.pop (the first value, then the key is gone); `getAll` then `delete`.
    it.skip('test_multidict_pop', () => {});

    // MISSING: setlistdefault and pop.
    it.skip('test_multidict_pop_raise_badrequestkeyerror_for_empty_list_value', () => {});

    // MISSING: setlistdefault and popitem.
    it.skip('test_multidict_popitem_raise_badrequestkeyerror_for_empty_list_value', () => {});

    // MISSING: setlistdefault.
    it.skip('test_setlistdefault', () => {});

    it('test_iter_interfaces', () => {
      const md = new MultiDict<number>(MAPPING);
      const lists = Object.entries(md.toObjectAll());
      const listvalues = Object.values(md.toObjectAll());
      expect(zip([...md.keys()], listvalues)).toEqual(lists);
      expect(zip([...md.keys()], listvalues)).toEqual(lists);
    });

    // DIFFERENCE: iterating a MultiDict gives its [key, value] pairs, as URLSearchParams and Map do (Werkzeug's gives
    // the keys, as a dict does); `md.keys()` gives the keys.
    it.fails('test_iter_interfaces (iterating the MultiDict)', () => {
      const md = new MultiDict<number>(MAPPING);
      expect(zip([...md], Object.values(md.toObjectAll()))).toEqual(Object.entries(md.toObjectAll()));
    });

    // MISSING: setlistdefault.
    it.skip('test_getitem_raise_badrequestkeyerror_for_empty_list_value', () => {});
  });

  for (const [name, extra] of [
    ['TestImmutableTypeConversionDict', []],
    ['TestImmutableMultiDict', ['test_multidict_is_hashable']],
    ['TestImmutableDict', []],
    ['TestImmutableOrderedMultiDict', ['test_ordered_multidict_is_hashable']],
  ] as const) {
    describe(name, () => {
      // MISSING: immutable dicts (ImmutableDict, ImmutableMultiDict, ImmutableTypeConversionDict); a request's args
      // and form are plain MultiDicts a view may change.
      it.skip('test_follows_dict_interface', () => {});
      // MISSING: immutable dicts.
      it.skip('test_copies_are_mutable', () => {});
      // N/A: Python's hash() and sets of dicts.
      it.skip('test_dict_is_hashable', () => {});
      // N/A: Python's `|` operator.
      it.skip('test_or', () => {});
      // N/A: Python's `|=` operator.
      it.skip('test_ior', () => {});
      for (const test of extra) {
        // N/A: Python's hash().
        it.skip(test, () => {});
      }
    });
  }

  describe('TestOrderedMultiDict', () => {
    // MISSING: OrderedMultiDict (deprecated in Werkzeug 3.1, removed in 3.2); Flagon's MultiDict keeps the order keys
    // first appear in, and each key's values in order, but not the order of pairs across keys.
    for (const test of [
      'test_pickle',
      'test_multidict_dict_interop',
      'test_basic_interface',
      'test_or',
      'test_ior',
      'test_ordered_interface',
      'test_iterables',
      'test_get_description',
    ]) {
      it.skip(test, () => {});
    }
  });

  describe('TestTypeConversionDict', () => {
    // Werkzeug's MultiDict is a TypeConversionDict; Flagon's MultiDict has its `get(key, default, type)`.
    it('test_value_conversion', () => {
      const d = new MultiDict<string>({ foo: '1' });
      expect(d.get('foo', undefined, int)).toBe(1);
    });

    it('test_return_default_when_conversion_is_not_possible', () => {
      const d = new MultiDict<string | null>({ foo: 'bar', baz: null });
      expect(d.get('foo', -1, int)).toBe(-1);
      expect(d.get('baz', -1, int)).toBe(-1);
    });

    it('test_propagate_exceptions_in_conversion', () => {
      const d = new MultiDict<string>({ foo: 'bar' });
      const switchTable = new Map([['a', 1]]);
      class KeyError extends Error {}
      const lookup = (x: string): number => {
        const found = switchTable.get(x);
        if (found === undefined) throw new KeyError(x);
        return found;
      };
      expect(() => d.get('foo', undefined, lookup)).toThrow(KeyError);
    });
  });

  describe('TestCombinedMultiDict', () => {
    // MISSING: CombinedMultiDict (Werkzeug's request.values: args and form read as one); read req.args and
    // await req.form() in turn.
    it.skip('test_basic_interface', () => {});
    // MISSING: CombinedMultiDict.
    it.skip('test_length', () => {});
  });

  describe('TestHeaders', () => {
    it('test_basic_interface', () => {
      const headers = new Headers();
      headers.add('Content-Type', 'text/plain');
      headers.add('X-Foo', 'bar');
      expect(headers.has('x-Foo')).toBe(true);
      expect(headers.has('Content-type')).toBe(true);

      expect(() => headers.add('X-Example', 'foo\r\n bar')).toThrow(TypeError);

      headers.set('Content-Type', 'foo/bar');
      expect(headers.get('Content-Type')).toBe('foo/bar');
      expect(headers.getAll('Content-Type')).toHaveLength(1);

      // list conversion
      expect(headers.toList()).toEqual([
        ['Content-Type', 'foo/bar'],
        ['X-Foo', 'bar'],
      ]);

      // extended add
      headers.add('Content-Disposition', dumpOptionsHeader('attachment', { filename: 'foo' }));
      expect(headers.get('Content-Disposition')).toBe('attachment; filename=foo');

      headers.add('x', dumpOptionsHeader('y', { z: '"' }));
      expect(headers.get('x')).toBe('y; z="\\""');

      // string conversion
      headers.add('a', 1);
      expect(headers.get('a')).toBe('1');
    });

    // MISSING: str(headers), the header block ('Content-Type: foo/bar\r\nX-Foo: bar\r\n\r\n'); Flagon's Headers has
    // no toString (String(headers) is '[object Object]').
    it.fails('test_basic_interface (str)', () => {
      const headers = new Headers([
        ['Content-Type', 'foo/bar'],
        ['X-Foo', 'bar'],
      ]);
      expect(String(headers)).toBe('Content-Type: foo/bar\r\nX-Foo: bar\r\n\r\n');
      expect(String(new Headers())).toBe('\r\n');
    });

    it('test_defaults_and_conversion', () => {
      // defaults
      const headers = new Headers([
        ['Content-Type', 'text/plain'],
        ['X-Foo', 'bar'],
        ['X-Bar', '1'],
        ['X-Bar', '2'],
      ]);
      expect(headers.getAll('x-bar')).toEqual(['1', '2']);
      expect(headers.get('x-Bar')).toBe('1');
      expect(headers.get('Content-Type')).toBe('text/plain');

      expect(headers.setDefault('X-Foo', 'nope')).toBe('bar');
      expect(headers.setDefault('X-Bar', 'nope')).toBe('1');
      expect(headers.setDefault('X-Baz', 'quux')).toBe('quux');
      expect(headers.setDefault('X-Baz', 'nope')).toBe('quux');
      expect(headers.delete('X-Baz')).toBe(true); // Werkzeug's pop; its value is not checked here

      // newlines are not allowed in values
      expect(() => new Headers([['X-Example', 'foo\r\n bar']])).toThrow(TypeError);
    });

    // MISSING: a `type` conversion in Headers.get and getAll (`get('x-bar', type=int)`); convert the string yourself.
    it.skip('test_defaults_and_conversion (type conversion)', () => {});

    // MISSING: list operations on Headers (`headers[0]`, `headers[:1]`, `del headers[:2]`) and Headers equality;
    // `[...headers]` gives the pairs as an array.
    it.skip('test_defaults_and_conversion (list operations)', () => {});

    it('test_copying', () => {
      const a = new Headers([['foo', 'bar']]);
      const b = a.clone();
      a.add('foo', 'baz');
      expect(a.getAll('foo')).toEqual(['bar', 'baz']);
      expect(b.getAll('foo')).toEqual(['bar']);
    });

    // MISSING: Headers.pop (the value, with a default); `get` then `delete`.
    it.skip('test_popping', () => {});

    it('test_set_arguments', () => {
      const a = new Headers();
      a.set('Content-Disposition', 'useless');
      a.set('Content-Disposition', dumpOptionsHeader('attachment', { filename: 'foo' }));
      expect(a.get('Content-Disposition')).toBe('attachment; filename=foo');
    });

    it('test_reject_newlines', () => {
      const h = new Headers();
      for (const variation of ['foo\nbar', 'foo\r\nbar', 'foo\rbar']) {
        expect(() => h.set('foo', variation)).toThrow(TypeError);
        expect(() => h.add('foo', variation)).toThrow(TypeError);
        expect(() => h.add('foo', dumpOptionsHeader('test', { option: variation }))).toThrow(TypeError);
        expect(() => h.set('foo', variation)).toThrow(TypeError);
        expect(() => h.set('foo', dumpOptionsHeader('test', { option: variation }))).toThrow(TypeError);
      }
      expect(h.size).toBe(0);
    });

    // Beyond upstream: Werkzeug 3.1 refuses CR and LF in values only (a name with CR/LF, or NUL anywhere, is taken);
    // Flagon refuses CR, LF, NUL and characters beyond latin-1 in values, and any name that is not an RFC 9110 token,
    // through every way into a Headers: add, set, setDefault, the constructor (pairs, a record, a record of arrays,
    // another Headers) and toList's extra fields. Location's value is made a URI instead (CR/LF percent-encoded).
    it('test_reject_newlines (names, NUL, every method)', () => {
      const values = ['foo\nbar', 'foo\r\nbar', 'foo\rbar', 'foo\0bar', 'foo\r\n\r\n<html>', '\n', 'x\u2028y€'];
      const names = [...values, 'X-A: b', 'X A', '', 'X-A\t', 'é'];
      const ways: Array<[string, (name: string, value: string) => unknown]> = [
        ['add', (name, value) => new Headers().add(name, value)],
        ['set', (name, value) => new Headers().set(name, value)],
        ['set over an existing field', (name, value) => new Headers([['X-Ok', 'ok']]).set(name, value)],
        ['setDefault', (name, value) => new Headers().setDefault(name, value)],
        ['constructor (pairs)', (name, value) => new Headers([[name, value]])],
        ['constructor (record)', (name, value) => new Headers({ [name]: value })],
        ['constructor (record of arrays)', (name, value) => new Headers({ [name]: ['ok', value] })],
        ['toList extra', (name, value) => new Headers([['X-Ok', 'ok']]).toList(['X-Ok', 'ok'], [name, value])],
      ];
      for (const [way, call] of ways) {
        for (const value of values)
          expect(() => call('X-Test', value), `${way} value ${JSON.stringify(value)}`).toThrow(TypeError);
        for (const name of names)
          expect(() => call(name, 'ok'), `${way} name ${JSON.stringify(name)}`).toThrow(TypeError);
      }
      // a value that is not a string is checked as the string it becomes
      const sneaky = { toString: () => 'a\r\nSet-Cookie: x=1' } as unknown as string;
      expect(() => new Headers().add('X-Test', sneaky)).toThrow(TypeError);
      expect(() => new Headers().set('X-Test', sneaky)).toThrow(TypeError);
      for (const name of ['Location', 'Content-Location']) {
        const headers = new Headers();
        try {
          headers.set(name, '/a\r\nSet-Cookie: x=1');
          headers.add(name, '/b\r\n\r\nbody');
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
        }
        for (const [, value] of headers.toList()) expect(value).not.toMatch(/[\r\n\0]/);
      }
    });

    // MISSING: slice assignment (`h[:] = [...]`, replacing every field at once); build a new Headers.
    it.skip('test_slicing', () => {});

    // MISSING: Headers.extend (another Headers, a dict of values or lists, keyword arguments); add each pair.
    it.skip('test_extend', () => {});

    // MISSING: Headers.update (replacing each named header's values); set, or delete then add.
    it.skip('test_update', () => {});

    // MISSING: Headers.setlist (a header's values replaced by a list, at the first one's place).
    it.skip('test_setlist', () => {});

    // MISSING: Headers.setlistdefault.
    it.skip('test_setlistdefault', () => {});

    it('test_to_wsgi_list', () => {
      const h = new Headers();
      h.set('Key', 'Value');
      for (const [key, value] of h.toList()) {
        expect(key).toBe('Key');
        expect(value).toBe('Value');
      }
    });

    // MISSING: equality of two Headers (names compared without case); compare
    // `[...h].map(([k, v]) => [k.toLowerCase(), v])` yourself.
    it.skip('test_equality', () => {});

    // N/A: Python's `|` operator (and Headers.update, which it stands for, is missing).
    it.skip('test_or', () => {});

    // N/A: Python's `|=` operator (and Headers.update, which it stands for, is missing).
    it.skip('test_ior', () => {});
  });

  describe('TestEnvironHeaders', () => {
    const BROKEN_ENV = {
      HTTP_CONTENT_TYPE: 'text/html',
      CONTENT_TYPE: 'text/html',
      HTTP_CONTENT_LENGTH: '0',
      CONTENT_LENGTH: '0',
      HTTP_ACCEPT: '*',
      'tsgi.version': [1, 1],
    };

    it('test_basic_interface (an environ without the duplicate keys)', () => {
      const headers = environHeaders({ CONTENT_TYPE: 'text/html', CONTENT_LENGTH: '0', HTTP_ACCEPT: '*' });
      expect(headers.size).toBeGreaterThan(0);
      expect(headers.size).toBe(3);
      expect(sorted(headers)).toEqual([
        ['Accept', '*'],
        ['Content-Length', '0'],
        ['Content-Type', 'text/html'],
      ]);
      expect(environHeaders({ 'tsgi.version': [1, 1] }).size).toBe(0);
    });

    // DIFFERENCE: an environ with HTTP_CONTENT_TYPE and HTTP_CONTENT_LENGTH beside CONTENT_TYPE and CONTENT_LENGTH
    // (what some WSGI servers make) gives Werkzeug three headers, the HTTP_ copies skipped; Flagon reads every key, so
    // five. A TSGI server never makes such keys (docs/gateway.md §3.1).
    it.fails('test_basic_interface', () => {
      const headers = environHeaders(BROKEN_ENV);
      expect(headers.size).toBe(3);
      expect(sorted(headers)).toEqual([
        ['Accept', '*'],
        ['Content-Length', '0'],
        ['Content-Type', 'text/html'],
      ]);
    });

    // `42 in headers` is False: a name that is not a string (from plain JavaScript) is no header, not a TypeError.
    it('test_basic_interface (a key that is not a string)', () => {
      const headers = environHeaders(BROKEN_ENV);
      expect(headers.has(42 as unknown as string)).toBe(false);
    });

    // DIFFERENCE: CONTENT_TYPE and CONTENT_LENGTH set to '' are skipped by Werkzeug; Flagon reads them as headers
    // with an empty value. A TSGI server leaves the keys out when the request had no such header (docs/gateway.md §3.1).
    it.fails('test_skip_empty_special_vars', () => {
      let headers = environHeaders({ HTTP_X_FOO: '42', CONTENT_TYPE: '', CONTENT_LENGTH: '' });
      expect(Object.fromEntries(headers)).toEqual({ 'X-Foo': '42' });
      headers = environHeaders({ HTTP_X_FOO: '42', CONTENT_TYPE: '', CONTENT_LENGTH: '0' });
      expect(Object.fromEntries(headers)).toEqual({ 'X-Foo': '42', 'Content-Length': '0' });
    });

    it('test_return_type_is_str', () => {
      // A WSGI (and TSGI) header value holds one character per byte: UTF-8 bytes read as latin-1.
      const headers = environHeaders({ HTTP_FOO: '\xe2\x9c\x93' });
      expect(headers.get('Foo')).toBe('\xe2\x9c\x93');
      expect([...headers][0]).toEqual(['Foo', '\xe2\x9c\x93']);
    });

    // What runCgi puts in the environ for a header with non-ASCII bytes (Node decodes CGI variables as UTF-8): read as
    // it is, as Werkzeug's EnvironHeaders does (reading request headers threw the TypeError that guards sending).
    it('test_return_type_is_str (a value beyond latin-1, as runCgi reads one)', () => {
      const headers = environHeaders({ HTTP_FOO: '✓', HTTP_BAR: '\uFFFD', HTTP_HOST: 'example.com' });
      expect(headers.get('Foo')).toBe('✓');
      expect(headers.get('Bar')).toBe('\uFFFD');
      expect(headers.get('Host')).toBe('example.com');
    });

    // N/A: Python's `|` operator (EnvironHeaders is immutable; a Flagon request's headers are a Headers of its own).
    it.skip('test_or', () => {});

    // N/A: Python's `|=` operator.
    it.skip('test_ior', () => {});

    // MISSING: str(headers), the header block, as TestHeaders.test_basic_interface (str).
    it.fails('test_str', () => {
      const headers = environHeaders({ CONTENT_LENGTH: '50', HTTP_HOST: 'test' });
      expect(String(headers)).toBe('Content-Length: 50\r\nHost: test\r\n\r\n');
    });
  });

  describe('TestHeaderSet', () => {
    it('test_basic_interface', () => {
      const hs = new HeaderSet();
      hs.add('foo');
      hs.add('bar');
      expect(hs.has('Bar')).toBe(true);
      expect(hs.indexOf('foo')).toBe(0);
      expect(hs.indexOf('BAR')).toBe(1);
      expect(hs.indexOf('baz')).toBeLessThan(0);
      hs.delete('missing');
      hs.delete('foo');
      expect(hs.indexOf('foo')).toBeLessThan(0);
      expect(hs.indexOf('bar')).toBe(0);
      expect(hs.size).toBeGreaterThan(0);
      hs.clear();
      expect(hs.size).toBe(0);
    });

    // MISSING: HeaderSet.index, which raises for a missing item (find is indexOf, -1 for a missing one).
    it.skip('test_basic_interface (index raises IndexError)', () => {});
  });

  describe('TestImmutableList', () => {
    // N/A: Python's hash() of an ImmutableList.
    it.skip('test_list_hashable', () => {});
  });

  describe('TestCallbackDict', () => {
    // MISSING: CallbackDict; Flagon's HeaderSet, ResponseCacheControl and ContentSecurityPolicy take an onUpdate
    // callback of their own.
    it.skip('test_callback_dict_reads', () => {});
    // MISSING: CallbackDict.
    it.skip('test_callback_dict_writes', () => {});
  });

  describe('TestCacheControl', () => {
    // N/A: Python's repr().
    it.skip('test_repr', () => {});

    it('test_set_none', () => {
      const cc = new ResponseCacheControl([['max-age', '0']]);
      expect(cc.noCache).toBeNull();
      cc.noCache = null;
      expect(cc.noCache).toBeNull();
      (cc as { noCache: unknown }).noCache = false;
      expect(cc.noCache).toBeNull();
    });

    it('test_no_transform', () => {
      let cc = new RequestCacheControl([['no-transform', null]]);
      expect(cc.noTransform).toBe(true);
      cc = new RequestCacheControl();
      expect(cc.noTransform).toBe(false);
    });

    it('test_min_fresh', () => {
      let cc = new RequestCacheControl([['min-fresh', '0']]);
      expect(cc.minFresh).toBe(0);
      cc = new RequestCacheControl([['min-fresh', null]]);
      expect(cc.minFresh).toBeNull();
      cc = new RequestCacheControl();
      expect(cc.minFresh).toBeNull();
    });

    it('test_must_understand', () => {
      let cc = new ResponseCacheControl([['must-understand', null]]);
      expect(cc.mustUnderstand).toBe(true);
      cc = new ResponseCacheControl();
      expect(cc.mustUnderstand).toBe(false);
    });

    it('test_stale_while_revalidate', () => {
      let cc = new ResponseCacheControl([['stale-while-revalidate', '1']]);
      expect(cc.staleWhileRevalidate).toBe(1);
      cc = new ResponseCacheControl();
      expect(cc.staleWhileRevalidate).toBeNull();
    });

    it('test_stale_if_error', () => {
      let cc = new ResponseCacheControl([['stale-if-error', '1']]);
      expect(cc.staleIfError).toBe(1);
      cc = new ResponseCacheControl();
      expect(cc.staleWhileRevalidate).toBeNull(); // sic: upstream checks stale_while_revalidate here
    });
  });

  describe('TestContentSecurityPolicy', () => {
    it('test_construct', () => {
      const csp = new ContentSecurityPolicy([
        ['font-src', "'self'"],
        ['media-src', '*'],
      ]);
      expect(csp.fontSrc).toBe("'self'");
      expect(csp.mediaSrc).toBe('*');
      const policies = csp
        .toString()
        .split(';')
        .map((policy) => policy.trim());
      expect(policies).toContain("font-src 'self'");
      expect(policies).toContain('media-src *');
    });

    it('test_properties', () => {
      const csp = new ContentSecurityPolicy();
      csp.defaultSrc = "* 'self' quart.com";
      csp.imgSrc = "'none'";
      const policies = csp
        .toString()
        .split(';')
        .map((policy) => policy.trim());
      expect(policies).toContain("default-src * 'self' quart.com");
      expect(policies).toContain("img-src 'none'");
    });
  });

  describe('TestAccept', () => {
    it('test_accept_basic', () => {
      const accept = new Accept(
        items([
          ['tinker', 0],
          ['tailor', 0.333],
          ['soldier', 0.667],
          ['sailor', 1],
        ]),
      );
      // check __getitem__ on indices
      expect(accept.items[3]).toEqual({ value: 'tinker', quality: 0 });
      expect(accept.items[2]).toEqual({ value: 'tailor', quality: 0.333 });
      expect(accept.items[1]).toEqual({ value: 'soldier', quality: 0.667 });
      expect(accept.items[0]).toEqual({ value: 'sailor', quality: 1 });
      // check __getitem__ on string, and the quality method
      expect(accept.quality('tinker')).toBe(0);
      expect(accept.quality('tailor')).toBe(0.333);
      expect(accept.quality('soldier')).toBe(0.667);
      expect(accept.quality('sailor')).toBe(1);
      expect(accept.quality('spy')).toBe(0);
      // check best_match method
      expect(accept.bestMatch(['tinker', 'tailor', 'soldier', 'sailor'], null)).toBe('sailor');
      expect(accept.bestMatch(['tinker', 'tailor', 'soldier'], null)).toBe('soldier');
      expect(accept.bestMatch(['tinker', 'tailor'], null)).toBe('tailor');
      expect(accept.bestMatch(['tinker'], null)).toBeNull();
      expect(accept.bestMatch(['tinker'], 'x')).toBe('x');
    });

    // MISSING: `value in accept`, Accept.index, Accept.find and Accept.to_header
    // ('sailor,soldier;q=0.667,tailor;q=0.333,tinker;q=0'); `accept.items` holds the values in order.
    it.skip('test_accept_basic (in, index, find, to_header)', () => {});

    it('test_accept_wildcard', () => {
      const accept = new Accept(
        items([
          ['*', 0],
          ['asterisk', 1],
        ]),
      );
      expect(accept.bestMatch(['asterisk', 'star'], null)).toBe('asterisk');
      expect(accept.bestMatch(['star'], null)).toBeNull();
    });

    // MISSING: `'*' in accept`, as test_accept_basic (in, ...).
    it.skip('test_accept_wildcard (in)', () => {});

    it('test_accept_keep_order', () => {
      let accept = new Accept(items([['*', 1]]));
      expect(accept.bestMatch(['alice', 'bob'])).toBe('alice');
      expect(accept.bestMatch(['bob', 'alice'])).toBe('bob');
      accept = new Accept(
        items([
          ['alice', 1],
          ['bob', 1],
        ]),
      );
      expect(accept.bestMatch(['alice', 'bob'])).toBe('alice');
      expect(accept.bestMatch(['bob', 'alice'])).toBe('bob');
    });

    it('test_accept_wildcard_specificity', () => {
      const accept = new Accept(
        items([
          ['asterisk', 0],
          ['star', 0.5],
          ['*', 1],
        ]),
      );
      expect(accept.bestMatch(['star', 'asterisk'], null)).toBe('star');
      expect(accept.bestMatch(['asterisk', 'star'], null)).toBe('star');
      expect(accept.bestMatch(['asterisk', 'times'], null)).toBe('times');
      expect(accept.bestMatch(['asterisk'], null)).toBeNull();
    });

    it('test_accept_equal_quality', () => {
      const accept = new Accept(
        items([
          ['a', 1],
          ['b', 1],
        ]),
      );
      expect(accept.best).toBe('a');
    });
  });

  describe('TestMIMEAccept', () => {
    it.each<[Array<[string, number]>, string[], string | null, string | null]>([
      [[['text/*', 1]], ['text/html'], null, 'text/html'],
      [[['text/*', 1]], ['image/png'], 'text/plain', 'text/plain'],
      [[['text/*', 1]], ['image/png'], null, null],
      [
        [
          ['*/*', 1],
          ['text/html', 1],
        ],
        ['image/png', 'text/html'],
        null,
        'text/html',
      ],
      [
        [
          ['*/*', 1],
          ['text/html', 1],
        ],
        ['image/png', 'text/plain'],
        null,
        'image/png',
      ],
      [
        [
          ['*/*', 1],
          ['text/html', 1],
          ['image/*', 1],
        ],
        ['image/png', 'text/html'],
        null,
        'text/html',
      ],
      [
        [
          ['*/*', 1],
          ['text/html', 1],
          ['image/*', 1],
        ],
        ['text/plain', 'image/png'],
        null,
        'image/png',
      ],
      [
        [
          ['text/html', 1],
          ['text/html; level=1', 1],
        ],
        ['text/html;level=1'],
        null,
        'text/html;level=1',
      ],
    ])('test_mime_accept %j %j %j %j', (values, matches, fallback, expected) => {
      const accept = new Accept(items(values), 'mime');
      expect(accept.bestMatch(matches, fallback)).toBe(expected);
    });
  });

  describe('TestLanguageAccept', () => {
    it.each<[Array<[string, number]>, string[], string | null, string | null]>([
      [[['en-us', 1]], ['en'], null, 'en'],
      [[['en', 1]], ['en_US'], null, 'en_US'],
      [
        [
          ['de_AT', 1],
          ['de', 0.9],
        ],
        ['en'],
        null,
        null,
      ],
      [
        [
          ['de_AT', 1],
          ['de', 0.9],
          ['en-US', 0.8],
        ],
        ['de', 'en'],
        null,
        'de',
      ],
      [
        [
          ['de_AT', 0.9],
          ['en-US', 1],
        ],
        ['en'],
        null,
        'en',
      ],
      [[['en-us', 1]], ['en-us'], null, 'en-us'],
      [[['en-us', 1]], ['en-us', 'en'], null, 'en-us'],
      [[['de_AT', 1]], ['en-US', 'en'], 'en-US', 'en-US'],
      [[['aus-EN', 1]], ['aus'], null, 'aus'],
      [[['aus', 1]], ['aus-EN'], null, 'aus-EN'],
    ])('test_best_match_fallback %j %j %j %j', (values, matches, fallback, expected) => {
      const accept = new Accept(items(values), 'language');
      expect(accept.bestMatch(matches, fallback)).toBe(expected);
    });

    // Werkzeug's fallback never matches two regions of one language (Flagon took the first en-* offer for en-GB).
    it.each<[Array<[string, number]>, string[], string | null, string | null]>([
      [[['en-GB', 1]], ['en-US'], null, null],
      [[['en-GB', 1]], ['en-US', 'en'], 'en-US', 'en'],
    ])('test_best_match_fallback %j %j %j %j', (values, matches, fallback, expected) => {
      const accept = new Accept(items(values), 'language');
      expect(accept.bestMatch(matches, fallback)).toBe(expected);
    });
  });

  describe('TestFileStorage', () => {
    it('test_mimetype_always_lowercase', async () => {
      // Flagon's FileStorage is made by the multipart parser, whose contentType is the part's media type.
      const body =
        '--x\r\nContent-Disposition: form-data; name="f"; filename="a.json"\r\nContent-Type: APPLICATION/JSON\r\n\r\n{}\r\n--x--\r\n';
      const req = new Request(
        createEnviron('/', {
          method: 'POST',
          body,
          headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
        }),
      );
      expect((await req.files()).get('f')?.contentType).toBe('application/json');
    });

    // MISSING: FileStorage.mimetype (the lower-cased media type of contentType) and mimetype_params; a FileStorage
    // made by hand keeps the contentType it is given ('APPLICATION/JSON').
    it.fails('test_mimetype_always_lowercase (a FileStorage made by hand)', () => {
      const fileStorage = new FileStorage('', '', 'APPLICATION/JSON', 0, { bytes: new Uint8Array() });
      expect(fileStorage.contentType).toBe('application/json');
    });

    // N/A: iterating a FileStorage by lines, as a Python file object does (over io.StringIO and io.BytesIO); read
    // stream() or text().
    it.skip('test_bytes_proper_sentinel[StringIO]', () => {});
    // N/A: as test_bytes_proper_sentinel[StringIO].
    it.skip('test_bytes_proper_sentinel[BytesIO]', () => {});

    // N/A: Python's file object attributes (fileno, writable, readable, seekable) proxied to SpooledTemporaryFile.
    it.skip('test_proxy_can_access_stream_attrs[SpooledTemporaryFile]', () => {});
    // N/A: as above, for io.BytesIO.
    it.skip('test_proxy_can_access_stream_attrs[BytesIO]', () => {});

    it('test_save_to_pathlib_dst', async () => {
      const tmpPath = mkdtempSync(join(tmpdir(), 'flagon-ds-'));
      try {
        const src = join(tmpPath, 'src.txt');
        writeFileSync(src, 'test');
        const dst = join(tmpPath, 'dst.txt');
        // Werkzeug's FileStorage(open(src, 'rb')): Flagon's over a file on disk (a spooled upload)
        const storage = new FileStorage('', 'src.txt', 'text/plain', 4, { path: src });
        await storage.save(dst);
        expect(readFileSync(dst, 'utf8')).toBe('test');
      } finally {
        rmSync(tmpPath, { recursive: true, force: true });
      }
    });

    // MISSING: FileStorage.save to a stream or an open file (io.BytesIO); save() takes a path. Write bytes() or
    // pipe stream() instead.
    it.skip('test_save_to_bytes_io', () => {});

    // MISSING: FileStorage.save to an open file, as test_save_to_bytes_io.
    it.skip('test_save_to_file', () => {});
  });

  // MISSING: the Range datastructure (units and ranges, to_header, validated on construction); flagon/http reads a
  // Range header with parseRange(header, size) and writes Content-Range with contentRange or ContentRange.
  it.skip('test_range_to_header[ranges0]', () => {});
  // MISSING: the Range datastructure, as test_range_to_header[ranges0].
  it.skip('test_range_to_header[ranges1]', () => {});
  // MISSING: the Range datastructure, as test_range_to_header[ranges0].
  it.skip.each(['[(0, 0)]', '[(None, 1)]', '[(1, 0)]', '[(0, 1), (-5, 10)]'])(
    'test_range_validates_ranges[%s]',
    () => {},
  );

  // iter_multi_items is what a MultiDict reads its init with: Flagon's constructor does the same.
  it.each<[Record<string, string | string[] | Uint8Array>, Array<[string, string | Uint8Array]>]>([
    [{ a: 'ab' }, [['a', 'ab']]],
    [
      { a: ['a', 'b'] },
      [
        ['a', 'a'],
        ['a', 'b'],
      ],
    ],
    [{ a: new TextEncoder().encode('ab') }, [['a', new TextEncoder().encode('ab')]]],
  ])('test_iter_multi_data %j', (value, expected) => {
    expect([...new MultiDict<string | Uint8Array>(value)]).toEqual(expected);
  });
});
