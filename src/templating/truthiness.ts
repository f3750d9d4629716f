/** @module Jinja's (Python's) truth test for templates (layer L3): what `if`, `not`, `and`, `or` and `default(…, true)` ask. */
import { Headers } from '../http/headers.js';
import { MultiDict } from '../http/multidict.js';

/**
 * Whether a value counts as true in a Jinja template, as Python decides: `undefined`, `null`, `false`, `0`, `NaN`,
 * `''`, an empty array, an empty plain object (a dict), and an empty Map, Set, MultiDict or Headers are false; so is
 * empty safe text. Every other value is true. JavaScript's own test says `[]` and `{}`
 * are true, which turns Flask's `{% if posts %}…{% else %}No posts{% endif %}` around.
 *
 * @example
 * isTruthy([]);        // false, as in Jinja
 * isTruthy({ a: 1 });  // true
 */
export function isTruthy(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return Boolean(value);
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof String) return value.length > 0; // nunjucks's safe text is a String object
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Object.prototype || proto === null) {
    for (const key in value) if (Object.hasOwn(value, key)) return true;
    return false;
  }
  // Collections by their size; a record or an object with a `size` field of its own ({ name, size: 0 }) is not one.
  if (value instanceof Map || value instanceof Set || value instanceof MultiDict || value instanceof Headers)
    return value.size > 0;
  return true;
}
