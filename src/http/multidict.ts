/** @module MultiDict: keys with one or more values, in order, for query args, forms and files (layer L1). */

/**
 * Anything a {@link MultiDict} can start from: pairs (repeats kept) or a record (arrays give several values).
 *
 * @example
 * const init: MultiDictInit<string> = { tag: ['a', 'b'], page: '2' };
 */
export type MultiDictInit<V> = Iterable<readonly [string, V]> | Record<string, V | readonly V[]>;

const NOT_CONVERTED: unique symbol = Symbol('not converted');

/** `type(value)`, or `fallback` when the conversion fails: a conversion error thrown, or `NaN` returned. */
function convert<V, T, D>(value: V, type: (value: V) => T, fallback: D): T | D {
  let converted: T;
  try {
    converted = type(value);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError) return fallback;
    throw error;
  }
  return Number.isNaN(converted) ? fallback : converted;
}

/**
 * A map from keys to one or more values, keeping the order of first appearance, like Werkzeug's MultiDict and the
 * web's URLSearchParams. `get` gives the first value, `getAll` every one; iterating gives every `[key, value]` pair.
 * Keys are stored in a `Map`, so `__proto__` is an ordinary key.
 *
 * @example
 * const args = new MultiDict([['tag', 'a'], ['tag', 'b'], ['page', '2']]);
 * args.get('tag');     // 'a'
 * args.getAll('tag');  // ['a', 'b']
 * [...args];           // [['tag', 'a'], ['tag', 'b'], ['page', '2']]
 */
export class MultiDict<V = string> implements Iterable<[string, V]> {
  readonly #map = new Map<string, V[]>();

  constructor(init?: MultiDictInit<V>) {
    if (init === undefined) return;
    if (Symbol.iterator in init) {
      for (const [key, value] of init as Iterable<readonly [string, V]>) this.add(key, value);
    } else {
      for (const [key, value] of Object.entries(init)) {
        if (Array.isArray(value)) for (const item of value as readonly V[]) this.add(key, item);
        else this.add(key, value as V);
      }
    }
  }

  /**
   * The first value for a key, or `defaultValue` (`undefined` unless given). With `type`, as Werkzeug's
   * `get(key, default, type)`: the value converted, or `defaultValue` when it cannot be: `type` throws a `TypeError`,
   * `RangeError` or `SyntaxError` (JavaScript's conversion errors, Python's `ValueError`) or returns `NaN`.
   *
   * @example
   * const page = req.args.get('page', 1, Number);   // ?page=3 → 3; ?page=x or no page → 1 (but Number('') is 0)
   * const sort = req.args.get('sort', 'date');      // string | 'date'
   */
  get(key: string): V | undefined;
  get<D>(key: string, defaultValue: D): V | D;
  get<T, D>(key: string, defaultValue: D, type: (value: V) => T): T | D;
  get<T, D>(key: string, defaultValue?: D, type?: (value: V) => T): V | T | D | undefined {
    const values = this.#map.get(key);
    if (values === undefined) return defaultValue;
    return type === undefined ? values[0] : convert(values[0]!, type, defaultValue);
  }

  /**
   * Every value for a key, in order (a new array). With `type`, the values converted, leaving out those that cannot
   * be (as {@link MultiDict.get} decides), as Werkzeug's `getlist(key, type)`.
   *
   * @example
   * req.args.getAll('tag');          // ?tag=a&tag=b → ['a', 'b']
   * req.args.getAll('id', Number);   // ?id=1&id=x&id=3 → [1, 3]
   */
  getAll(key: string): V[];
  getAll<T>(key: string, type: (value: V) => T): T[];
  getAll<T>(key: string, type?: (value: V) => T): Array<V | T> {
    const values = this.#map.get(key) ?? [];
    if (type === undefined) return [...values];
    const out: T[] = [];
    for (const value of values) {
      const converted = convert(value, type, NOT_CONVERTED);
      if (converted !== NOT_CONVERTED) out.push(converted);
    }
    return out;
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  /** Adds a value after any existing ones. */
  add(key: string, value: V): this {
    const values = this.#map.get(key);
    if (values) values.push(value);
    else this.#map.set(key, [value]);
    return this;
  }

  /** Replaces all values of a key with one. */
  set(key: string, value: V): this {
    this.#map.set(key, [value]);
    return this;
  }

  delete(key: string): boolean {
    return this.#map.delete(key);
  }

  /** The number of distinct keys. */
  get size(): number {
    return this.#map.size;
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  /** Every `[key, value]` pair, repeated keys included. */
  *entries(): IterableIterator<[string, V]> {
    for (const [key, values] of this.#map) for (const value of values) yield [key, value];
  }

  /**
   * Werkzeug's `items()`: each key with its first value, or with `multi` every pair (as iterating does), so
   * `{% for key, value in request.args.items() %}` reads as in Flask.
   *
   * @example
   * [...new MultiDict([['a', '1'], ['a', '2']]).items()]; // [['a', '1']]
   */
  *items(multi = false): IterableIterator<[string, V]> {
    if (multi) yield* this.entries();
    else for (const [key, values] of this.#map) yield [key, values[0]!];
  }

  /** Werkzeug's `values()`: each key's first value. */
  *values(): IterableIterator<V> {
    for (const values of this.#map.values()) yield values[0]!;
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  /** A plain object of first values (null prototype, so any key is safe). */
  toObject(): Record<string, V> {
    const out = Object.create(null) as Record<string, V>;
    for (const [key, values] of this.#map) out[key] = values[0]!;
    return out;
  }

  /** A plain object of value lists (null prototype). */
  toObjectAll(): Record<string, V[]> {
    const out = Object.create(null) as Record<string, V[]>;
    for (const [key, values] of this.#map) out[key] = [...values];
    return out;
  }
}

/**
 * Parses `application/x-www-form-urlencoded` text (a query string or a form body) into a {@link MultiDict}, with
 * `+` as space and repeated keys kept (WHATWG URL §5.1).
 *
 * @example
 * parseQuery('a=1&a=2&b=x+y').getAll('a'); // ['1', '2']
 */
export function parseQuery(text: string): MultiDict<string> {
  return new MultiDict(new URLSearchParams(text));
}
