/** @module What compiled templates call (layer L3): Jinja's operators, loop.cycle and Python's dict methods, which nunjucks lacks. */
import { MultiDict } from '../http/multidict.js';
import { isTruthy } from './truthiness.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Python's dict methods, for a plain object that has no property of that name (`form.errors.items()`). */
const DICT_METHODS: Record<string, (dict: Record<string, unknown>) => (...args: unknown[]) => unknown> = {
  items: (dict) => () => Object.entries(dict),
  keys: (dict) => () => Object.keys(dict),
  values: (dict) => () => Object.values(dict),
  get: (dict) => (key, fallback) => (Object.hasOwn(dict, String(key)) ? dict[String(key)] : fallback),
};

/**
 * nunjucks's `a.b` (its runtime's memberLookup: a method comes back bound to its object), and for a plain object
 * without such a property Python's dict methods, so `{% for k, v in d.items() %}` works as in Jinja.
 */
function member(obj: unknown, name: string): unknown {
  if (obj === undefined || obj === null) return undefined;
  const target = obj as Record<string, unknown>;
  const value = target[name];
  if (typeof value === 'function')
    return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(obj, args);
  if (value === undefined && isPlainObject(obj) && Object.hasOwn(DICT_METHODS, name)) return DICT_METHODS[name]!(obj);
  return value;
}

/**
 * What a one-name `{% for x in … %}` walks: a dict's keys (a plain object, a Map, a MultiDict), as Python iterates a
 * dict; an iterable as an array; anything else as it is (nunjucks's fromIterator).
 */
function iterate(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  if (isPlainObject(value)) return Object.keys(value);
  if (value instanceof Map || value instanceof MultiDict) return [...value.keys()];
  if (Symbol.iterator in value) return Array.from(value as Iterable<unknown>);
  return value;
}

/**
 * What compiled templates call, as `flagon.…`: Jinja's truth test, `or` and `and` (Python's operators return one of
 * their operands, chosen by {@link isTruthy}; the right one is a function, evaluated only when needed), `loop.cycle`,
 * member lookup with Python's dict methods, and the one-name loop over a dict's keys.
 *
 * @example
 * templateOperators.or([], () => 'none'); // 'none'
 */
export const templateOperators = Object.freeze({
  member,
  iterate,
  truthy: isTruthy,
  or: (left: unknown, right: () => unknown): unknown => (isTruthy(left) ? left : right()),
  and: (left: unknown, right: () => unknown): unknown => (isTruthy(left) ? right() : left),
  /** Jinja's `loop.cycle('odd', 'even')`: one function for every loop, called on the loop (member lookups bind it). */
  cycle(this: { index0: number }, ...values: unknown[]): unknown {
    return values.length === 0 ? undefined : values[this.index0 % values.length];
  },
});
