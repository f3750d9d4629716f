/** @module Jinja's tests that nunjucks lacks (layer L3): `in`, `none`, `boolean`, `integer`, the operator names. */
import { MultiDict } from '../http/multidict.js';
import { isPlainObject, pythonEquals } from './jinja-signature.js';
import { isMarkedSafe, NunjucksTemplateError as TemplateError } from './nunjucks.js';

/**
 * Python's `value in container`: a substring of text (safe text too), an item of a list or set, a key of a dict;
 * the template's `in` operator and the `in` test.
 *
 * @example
 * contains('b', 'abc'); // true
 */
export function contains(value: unknown, container: unknown): boolean {
  if (typeof container === 'string' || isMarkedSafe(container)) {
    if (value === undefined) return false; // an undefined name, as elsewhere in templates, is nothing
    if (typeof value !== 'string' && !isMarkedSafe(value)) {
      throw new TemplateError(
        `'in <string>' requires a string on the left, not ${value === null ? 'none' : typeof value}`,
      );
    }
    return String(container).includes(String(value));
  }
  // Python compares with ==: safe text as the text it holds.
  if (Array.isArray(container)) return container.some((item) => pythonEquals(item, value));
  if (container instanceof Map || container instanceof Set || container instanceof MultiDict) {
    return container.has(value as string);
  }
  if (typeof container === 'object' && container !== null) {
    if (Symbol.iterator in container)
      return [...(container as Iterable<unknown>)].some((item) => pythonEquals(item, value));
    return Object.hasOwn(container, String(value));
  }
  // An undefined name is nothing, as elsewhere in templates: `'x' in missing` is false, as for Jinja's Undefined.
  if (container === undefined) return false;
  throw new TemplateError(`argument of type '${container === null ? 'NoneType' : typeof container}' is not iterable`);
}

type Test = (this: { env?: { filters: object; tests: object } }, value: unknown, ...args: unknown[]) => boolean;
const order = (a: unknown, b: unknown): [number, number] => [a as number, b as number];

/**
 * Jinja's tests that nunjucks lacks or has otherwise, by name: `string` (safe text is a string), `in`, `none`, `true`, `false`, `boolean`, `integer`, `float`,
 * `iterable`, `sequence`, `filter`, `test`, `eq`/`equalto`/`ne` (lists and dicts equal by value), and the operator spellings `==`, `!=`, `<`, `<=`,
 * `>`, `>=` that `select('>', 2)` uses.
 *
 * @example
 * for (const [name, test] of Object.entries(jinjaTests)) env.addTest(name, test);
 */
export const jinjaTests: Readonly<Record<string, Test>> = {
  in: contains,
  /** Whether a filter of that name exists (`{% if 'markdown' is filter %}`). */
  filter(value) {
    return typeof value === 'string' && Object.hasOwn(this.env?.filters ?? {}, value);
  },
  /** Whether a test of that name exists. */
  test(value) {
    return typeof value === 'string' && Object.hasOwn(this.env?.tests ?? {}, value);
  },
  string: (value) => typeof value === 'string' || isMarkedSafe(value),
  none: (value) => value === null,
  true: (value) => value === true,
  false: (value) => value === false,
  boolean: (value) => typeof value === 'boolean',
  integer: (value) => Number.isInteger(value),
  float: (value) => typeof value === 'number' && !Number.isInteger(value),
  /** What a `for` can loop over: text, lists, dicts and other iterables; undefined too (it loops over nothing). */
  iterable: (value) =>
    value === undefined ||
    typeof value === 'string' ||
    isMarkedSafe(value) ||
    isPlainObject(value) ||
    (typeof value === 'object' && value !== null && Symbol.iterator in value),
  sequence: (value) =>
    typeof value === 'string' || Array.isArray(value) || (typeof value === 'object' && value !== null),
  '==': pythonEquals,
  eq: pythonEquals,
  equalto: pythonEquals,
  '!=': (a, b) => !pythonEquals(a, b),
  ne: (a, b) => !pythonEquals(a, b),
  '<': (a, b) => ((x, y) => x < y)(...order(a, b)),
  '<=': (a, b) => ((x, y) => x <= y)(...order(a, b)),
  '>': (a, b) => ((x, y) => x > y)(...order(a, b)),
  '>=': (a, b) => ((x, y) => x >= y)(...order(a, b)),
};
