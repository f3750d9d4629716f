/** @module Jinja's filter signatures and item lookups (layer L3): what the filter modules share. */
import { MultiDict } from '../http/multidict.js';
import { dateAttribute } from './python-datetime.js';
import { splitKeywords } from './keywords.js';
import { escapeHtml, isMarkedSafe } from './nunjucks.js';
import { isTuple } from './python-tuple.js';

/** What nunjucks binds `this` to when it calls a filter: the render context, which knows its environment. */
export interface FilterThis {
  env: {
    opts: { autoescape: boolean };
    getFilter(name: string): (this: FilterThis, ...args: unknown[]) => unknown;
    getTest(name: string): (this: FilterThis, ...args: unknown[]) => unknown;
  };
}

/** A filter as nunjucks calls it: the value, then the template's arguments (keywords as one last marked object). */
export type Filter = (this: FilterThis, value: unknown, ...args: unknown[]) => unknown;

/**
 * A filter with a Jinja signature: the template's arguments, positional or by keyword, are bound to `params` (name →
 * default, in Jinja's order) and reach `body` as one record. Too many arguments or an unknown keyword is a TypeError
 * worded as Python's, so `sort(attribute='name')` and `sort(false, false, 'name')` mean the same.
 *
 * @example
 * const sum = withSignature('sum', { attribute: null, start: 0 }, (value, { attribute, start }) => …);
 */
export function withSignature<const N extends string>(
  name: string,
  params: Readonly<Record<N, unknown>>,
  body: (this: FilterThis, value: unknown, args: Record<N, unknown>) => unknown,
): Filter {
  const names = Object.keys(params) as N[];
  return function (this: FilterThis, value, ...raw) {
    const { positional, keywords } = splitKeywords(raw);
    if (positional.length > names.length) {
      throw new TypeError(`${name}() takes at most ${names.length + 1} arguments (${positional.length + 1} given)`);
    }
    const args: Record<N, unknown> = { ...params };
    positional.forEach((arg, index) => {
      args[names[index]!] = arg;
    });
    for (const [key, arg] of Object.entries(keywords ?? {})) {
      if (!Object.hasOwn(params, key)) throw new TypeError(`${name}() got an unexpected keyword argument '${key}'`);
      args[key as N] = arg;
    }
    return body.call(this, value, args);
  };
}

/** Keyword arguments handed on to another filter or test, marked again as nunjucks marks them. */
export function passKeywords(args: unknown[], keywords: Record<string, unknown> | null): unknown[] {
  return keywords === null ? args : [...args, { ...keywords, __keywords: true }];
}

/**
 * What Jinja's filters iterate: an array as it is, a string's characters, a dict's keys (a plain object, a Map),
 * any other iterable's items, nothing for undefined or null. Anything else is a TypeError, as in Python.
 */
export function sequence(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  if (typeof value === 'string' || isMarkedSafe(value)) return [...String(value)];
  if (value instanceof Map) return [...value.keys()];
  if (typeof value === 'object' && Symbol.iterator in value) return Array.from(value as Iterable<unknown>);
  if (typeof value === 'object') return Object.keys(value);
  throw new TypeError(`'${typeof value}' object is not iterable`);
}

/** A dict's `(key, value)` pairs: a plain object's entries, a Map's, a MultiDict's first values; anything else is Jinja's TypeError. */
export function pairs(value: unknown): Array<[unknown, unknown]> {
  if (value === undefined || value === null) return [];
  if (value instanceof Map) return [...(value as Map<unknown, unknown>).entries()];
  if (value instanceof MultiDict) return [...(value as MultiDict<unknown>).items()];
  if (typeof value === 'object' && !Array.isArray(value) && !(Symbol.iterator in value)) return Object.entries(value);
  throw new TypeError('Can only get item pairs from a mapping.');
}

/** A string (or safe text) lower-cased, anything else as it is: Jinja's `ignore_case`. */
export function ignoreCase(value: unknown): unknown {
  return typeof value === 'string' || isMarkedSafe(value) ? String(value).toLowerCase() : value;
}

/**
 * Jinja's `make_attrgetter`: `attribute` is a dotted path (`'address.city'`), a number part an index
 * (`'tags.0'`). A missing value is `fallback` when one is given (not null); `lower` applies {@link ignoreCase}.
 *
 * @example
 * attributeGetter('address.city')({ address: { city: 'Paris' } }); // 'Paris'
 */
export function attributeGetter(
  attribute: unknown,
  options: { fallback?: unknown; lower?: boolean } = {},
): (item: unknown) => unknown {
  const path =
    typeof attribute === 'number'
      ? [attribute]
      : String(attribute)
          .split('.')
          .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const { fallback = null, lower = false } = options;
  return (item) => {
    let value = item;
    for (const part of path) value = lookup(value, part);
    if (value === undefined && fallback !== null) value = fallback;
    return lower ? ignoreCase(value) : value;
  };
}

function lookup(container: unknown, key: string | number): unknown {
  if (container === undefined || container === null) return undefined;
  if (container instanceof Map) return container.get(key);
  // `groupby('created.year')`: a Date's datetime attributes.
  if (container instanceof Date) return dateAttribute(container, key);
  return (container as Record<string | number, unknown>)[key];
}

/** Python's ordering of two sort keys: numbers and strings by `<`, lists item by item. */
export function compare(left: unknown, right: unknown): number {
  if (Array.isArray(left) && Array.isArray(right)) {
    for (let index = 0; index < Math.min(left.length, right.length); index++) {
      const order = compare(left[index], right[index]);
      if (order !== 0) return order;
    }
    return left.length - right.length;
  }
  const [a, b] = [left as number, right as number];
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A value as `{{ }}` prints it: nothing for undefined and null, else its string. */
export function printable(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/**
 * A value as Python compares it: safe text (nunjucks's String object) as the text it holds, anything else as it is.
 *
 * @example
 * plainText(markSafe('<b>')) === '<b>'; // true
 */
export function plainText(value: unknown): unknown {
  return isMarkedSafe(value) ? String(value) : value;
}

/** Whether `value` is a record (a plain object or one without a prototype), which templates treat as a dict. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Python's `==` on template values: by value for lists, dicts and dates (`loop.changed(post.day)` with a Date), safe
 * text as its text, anything else strictly.
 *
 * @example
 * pythonEquals([1, { a: 2 }], [1, { a: 2 }]); // true
 */
export function pythonEquals(a: unknown, b: unknown): boolean {
  const [left, right] = [plainText(a), plainText(b)];
  if (left === right) return true;
  if (left instanceof Date && right instanceof Date) return left.getTime() === right.getTime();
  // A tuple is never equal to a list, as in Python: `(1, 2) == [1, 2]` is false.
  if (Array.isArray(left) && Array.isArray(right))
    return (
      isTuple(left) === isTuple(right) &&
      left.length === right.length &&
      left.every((item, index) => pythonEquals(item, right[index]))
    );
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length &&
      keys.every((key) => Object.hasOwn(right, key) && pythonEquals(left[key], right[key]))
    );
  }
  return false;
}

/** Text for HTML: safe text as it is, anything else escaped (Jinja's `escape` of a Markup or a str). */
export function escapeUnlessSafe(value: unknown): string {
  return isMarkedSafe(value) ? String(value) : escapeHtml(printable(value));
}
