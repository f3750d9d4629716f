/** @module Jinja's tuples in templates (layer L3): lists that `%` spreads and repr writes in parentheses. */

/**
 * Jinja's tuple, `(a, b)` in a template: a list that `%` spreads into its conversions, where a list stays one value
 * (`'%s' % [1, 2]`).
 *
 * @example
 * makeTuple(1, 2); // [1, 2], a tuple
 */
export function makeTuple(...items: unknown[]): unknown[] {
  return tupleOf(items);
}

/**
 * `items` made a tuple, in place (for lists too long to spread into {@link makeTuple}'s arguments).
 *
 * @example
 * tupleOf([1, 2]); // [1, 2], a tuple
 */
export function tupleOf(items: unknown[]): unknown[] {
  return Object.defineProperty(items, TUPLE, { value: true });
}

const TUPLE = Symbol('tuple');

/** Whether `value` is a tuple made by {@link makeTuple} (`(1, 2)` in a template), not a list. */
export function isTuple(value: unknown): value is unknown[] {
  return Array.isArray(value) && (value as unknown as Record<symbol, unknown>)[TUPLE] === true;
}
