/** @module The tuple test of Flask's return-value rules (layer L2): whether a view's array is `[body, status, headers]` or a JSON list; one place, read by make-response and by route validation. */
import { Headers, type HeadersInit } from '../http/headers.js';
import { Response } from './response.js';

/**
 * A view's array read as a tuple: its body, and the status and headers it sets.
 *
 * @example
 * const tuple: ReturnTuple = { body: 'Created', status: 201, headers: { Location: '/items/1' } };
 */
export interface ReturnTuple {
  readonly body: unknown;
  readonly status?: number;
  readonly headers?: HeadersInit;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isHeadersLike(value: unknown): value is HeadersInit {
  if (value instanceof Headers) return true;
  if (Array.isArray(value))
    return value.every(
      (pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string',
    );
  return (
    isPlainObject(value) &&
    Object.values(value).every(
      (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
    )
  );
}

type Scalar = string | number | boolean | bigint;
const isScalar = (value: unknown): value is Scalar => ['string', 'number', 'boolean', 'bigint'].includes(typeof value);

/**
 * The headers of `[body, status, headers]`, whose status already makes it a tuple: as Werkzeug's headers, a value
 * that is a number (`{ 'X-Count': 5 }`) is its text, and `undefined` or `null` (an optional header) is left out.
 * `null` when the third item is no headers value at all.
 */
function statusTupleHeaders(value: unknown): HeadersInit | null {
  if (value instanceof Headers) return value;
  const pairs: unknown[] | null = Array.isArray(value) ? value : isPlainObject(value) ? Object.entries(value) : null;
  if (pairs === null) return null;
  const headers: Array<[string, string]> = [];
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') return null;
    const [name, given] = pair as [string, unknown];
    for (const item of Array.isArray(given) ? given : [given]) {
      if (item === undefined || item === null) continue;
      if (!isScalar(item)) return null;
      headers.push([name, String(item)]);
    }
  }
  return headers;
}

function isBody(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    value instanceof Uint8Array ||
    value instanceof Response ||
    isPlainObject(value) ||
    Array.isArray(value) ||
    typeof value === 'function' ||
    (typeof value === 'object' && value !== null && (Symbol.iterator in value || Symbol.asyncIterator in value))
  );
}

/**
 * `[body, status]`, `[body, status, headers]` or `[body, headers]` (a headers value: a record of strings or string
 * lists, a list of pairs, or Headers; a record only after a body that is not a record or an array); `null` for any
 * other array, which a view's return sends as JSON. After a status, header values may be numbers (sent as text) or
 * `undefined` (left out), as Flask's `return 'made', 201, {'X-Count': 5}`.
 *
 * @example
 * readReturnTuple(['Created', 201]); // { body: 'Created', status: 201 }
 * readReturnTuple([1, 2]); // null: a JSON list
 * readReturnTuple([{ name: 'ada' }, { name: 'bob' }]); // null: a JSON list of two records, not a body and headers
 * readReturnTuple([{ id: 1 }, { Link: '</a>' }], { recordThenHeaders: true }); // { body: { id: 1 }, headers: … }
 */
export function readReturnTuple(
  value: readonly unknown[],
  options: { recordThenHeaders?: boolean } = {},
): ReturnTuple | null {
  if (value.length < 2 || value.length > 3 || !isBody(value[0])) return null;
  if (value.length === 3) {
    const headers = typeof value[1] === 'number' ? statusTupleHeaders(value[2]) : null;
    return headers === null ? null : { body: value[0], status: value[1] as number, headers };
  }
  if (typeof value[1] === 'number') return { body: value[0], status: value[1] };
  // Two records are data far more often than a JSON body and its headers (a list of two users, `[{name: 'ada'},
  // {name: 'bob'}]`): a record of headers follows only a body that is not JSON; `[json, 200, headers]` sets both.
  // (`recordThenHeaders`: the caller knows the array is no body, as a route whose response schema refused it.)
  if (!options.recordThenHeaders && isPlainObject(value[1]) && (isPlainObject(value[0]) || Array.isArray(value[0])))
    return null;
  return isHeadersLike(value[1]) ? { body: value[0], headers: value[1] } : null;
}
