/** @module Jinja's filters over lists and dicts (layer L3): the ones nunjucks lacks, and its own where they differ. */
import { copySafeness, isMarkedSafe, markSafe } from './nunjucks.js';
import { templateOperators } from './runtime.js';
import { isTruthy } from './truthiness.js';
import {
  attributeGetter,
  compare,
  escapeUnlessSafe,
  ignoreCase,
  pairs,
  passKeywords,
  printable,
  sequence,
  withSignature,
  type Filter,
  type FilterThis,
} from './jinja-signature.js';
import { splitKeywords } from './keywords.js';

/** A sort key: one attribute, a comma-separated list of them (Jinja's `sort(attribute='city,name')`), or the item. */
function sortKey(attribute: unknown, caseSensitive: unknown): (item: unknown) => unknown {
  const lower = !caseSensitive;
  if (attribute === null || attribute === undefined) return lower ? ignoreCase : (item) => item;
  if (typeof attribute !== 'string' || !attribute.includes(',')) return attributeGetter(attribute, { lower });
  const getters = attribute.split(',').map((part) => attributeGetter(part, { lower }));
  return (item) => getters.map((get) => get(item));
}

/** Jinja's `sort`: stable, case-insensitive unless asked, by attributes; `reverse` keeps equal items in order. */
const sort = withSignature(
  'sort',
  { reverse: false, case_sensitive: false, attribute: null },
  (value, { reverse, case_sensitive, attribute }) => {
    const key = sortKey(attribute, case_sensitive);
    const sign = isTruthy(reverse) ? -1 : 1;
    return [...sequence(value)].sort((a, b) => sign * compare(key(a), key(b)));
  },
);

/** Jinja's `min` and `max`: the first smallest or largest item, undefined for an empty list. */
function extreme(name: string, sign: 1 | -1): Filter {
  return withSignature(name, { case_sensitive: false, attribute: null }, (value, { case_sensitive, attribute }) => {
    const items = sequence(value);
    const key = sortKey(attribute, case_sensitive);
    let best = items[0];
    for (const item of items.slice(1)) if (sign * compare(key(item), key(best)) < 0) best = item;
    return best;
  });
}

/** Jinja's `unique`: items in order, each key once (case-insensitive unless asked). */
const unique = withSignature(
  'unique',
  { case_sensitive: false, attribute: null },
  (value, { case_sensitive, attribute }) => {
    const key = sortKey(attribute, case_sensitive);
    const seen = new Set<unknown>();
    return sequence(value).filter((item) => {
      const itemKey = key(item);
      if (seen.has(itemKey)) return false;
      seen.add(itemKey);
      return true;
    });
  },
);

/**
 * Jinja's `join`: under autoescaping, when the separator or any item is safe text the rest is escaped and the result
 * is safe, so `[user_input, link|safe]|join` keeps the link's HTML and escapes the input, and `lines|join('<br>'|safe)`
 * breaks escaped lines.
 */
const join = withSignature('join', { d: '', attribute: null }, function (this: FilterThis, value, { d, attribute }) {
  const get = attribute === null ? null : attributeGetter(attribute);
  const items = sequence(value).map((item) => (get ? get(item) : item));
  // Jinja's do_join: a safe separator (`'<br>'|safe`) or a safe item makes the result safe, the rest escaped.
  if (!this.env.opts.autoescape || !(isMarkedSafe(d) || items.some(isMarkedSafe))) {
    return items.map(printable).join(printable(d));
  }
  return markSafe(items.map(escapeUnlessSafe).join(escapeUnlessSafe(d)));
});

/** Jinja's `sum(attribute=None, start=0)`. */
const sum = withSignature('sum', { attribute: null, start: 0 }, (value, { attribute, start }) => {
  const get = attribute === null ? (item: unknown) => item : attributeGetter(attribute);
  return sequence(value).reduce((total: unknown, item) => (total as number) + (get(item) as number), start);
});

/** Jinja's `map`: `map(attribute='name', default=…)` reads an attribute, `map('upper', …)` applies a filter. */
function map(this: FilterThis, value: unknown, ...args: unknown[]): unknown[] {
  const { positional, keywords } = splitKeywords(args);
  if (positional.length === 0 && keywords !== null && 'attribute' in keywords) {
    const { attribute, default: fallback = null, ...rest } = keywords;
    const [unexpected] = Object.keys(rest);
    if (unexpected !== undefined) throw new TypeError(`map() got an unexpected keyword argument '${unexpected}'`);
    return sequence(value).map(attributeGetter(attribute, { fallback }));
  }
  const [name, ...filterArgs] = positional;
  if (typeof name !== 'string') throw new TypeError("map() takes a filter name or attribute='…'");
  const filter = this.env.getFilter(name);
  const forwarded = passKeywords(filterArgs, keywords);
  return sequence(value).map((item) => filter.call(this, item, ...forwarded));
}

/**
 * Jinja's `select`, `reject`, `selectattr` and `rejectattr`: the items whose value (or attribute) passes the named
 * test with its arguments (`selectattr('city', 'equalto', 'Paris')`), or is true when no test is named.
 */
function selecting(byAttribute: boolean, keep: boolean): Filter {
  return function (this: FilterThis, value, ...args) {
    const { positional, keywords } = splitKeywords(args);
    if (byAttribute && positional.length === 0) throw new TypeError('Missing parameter for attribute name');
    const get = byAttribute ? attributeGetter(positional.shift()) : (item: unknown) => item;
    const [name, ...testArgs] = positional;
    let passes: (item: unknown) => boolean = isTruthy;
    if (name !== undefined) {
      const test = this.env.getTest(String(name));
      const forwarded = passKeywords(testArgs, keywords);
      passes = (item) => Boolean(test.call(this, item, ...forwarded));
    }
    return sequence(value).filter((item) => passes(get(item)) === keep);
  };
}

/** One group of Jinja's `groupby`: `grouper` and `list` by name, or the pair `{% for city, users in … %}` unpacks. */
function group(grouper: unknown, list: unknown[]): unknown[] {
  return Object.assign([grouper, list], { grouper, list });
}

/** Jinja's `groupby`: items sorted by the attribute, in groups of equal keys (case-insensitive unless asked). */
const groupby = withSignature(
  'groupby',
  { attribute: undefined, default: null, case_sensitive: false },
  (value, { attribute, default: fallback, case_sensitive }) => {
    const key = attributeGetter(attribute, { fallback, lower: !case_sensitive });
    const shown = attributeGetter(attribute, { fallback });
    const groups: Array<{ key: unknown; list: unknown[] }> = [];
    for (const item of [...sequence(value)].sort((a, b) => compare(key(a), key(b)))) {
      const last = groups.at(-1);
      if (last !== undefined && last.key === key(item)) last.list.push(item);
      else groups.push({ key: key(item), list: [item] });
    }
    return groups.map(({ list }) => group(shown(list[0]), list));
  },
);

/** Jinja's `dictsort(case_sensitive=False, by='key', reverse=False)`: a dict's pairs, sorted. */
const dictsort = withSignature(
  'dictsort',
  { case_sensitive: false, by: 'key', reverse: false },
  (value, { case_sensitive, by, reverse }) => {
    if (by !== 'key' && by !== 'value') throw new TypeError('You can only sort by either "key" or "value"');
    const position = by === 'key' ? 0 : 1;
    const key = (pair: [unknown, unknown]) => (case_sensitive ? pair[position] : ignoreCase(pair[position]));
    const sign = isTruthy(reverse) ? -1 : 1;
    return pairs(value).sort((a, b) => sign * compare(key(a), key(b)));
  },
);

/** Jinja's `batch(linecount, fill_with=None)`: lists of `linecount` items, the last one filled up when asked. */
const batch = withSignature('batch', { linecount: undefined, fill_with: null }, (value, { linecount, fill_with }) => {
  const size = Math.max(1, Math.trunc(Number(linecount)));
  const rows: unknown[][] = [];
  const items = sequence(value);
  for (let start = 0; start < items.length; start += size) rows.push(items.slice(start, start + size));
  const last = rows.at(-1);
  while (fill_with !== null && last !== undefined && last.length < size) last.push(fill_with);
  return rows;
});

/** Jinja's `slice(slices, fill_with=None)`: `slices` columns, the first ones one item longer when it does not divide. */
const slice = withSignature('slice', { slices: undefined, fill_with: null }, (value, { slices, fill_with }) => {
  const items = sequence(value);
  const count = Math.max(1, Math.trunc(Number(slices)));
  const perSlice = Math.floor(items.length / count);
  const withExtra = items.length % count;
  const columns: unknown[][] = [];
  for (let index = 0, start = 0; index < count; index++) {
    const end = start + perSlice + (index < withExtra ? 1 : 0);
    const column = items.slice(start, end);
    if (fill_with !== null && index >= withExtra) column.push(fill_with);
    columns.push(column);
    start = end;
  }
  return columns;
});

/**
 * Jinja's collection filters by name, for the template environment: where nunjucks has one of the name, this one
 * replaces it (keyword arguments, attribute paths, test arguments and Python's semantics).
 *
 * @example
 * for (const [name, filter] of Object.entries(collectionFilters)) env.addFilter(name, filter);
 */
export const collectionFilters: Readonly<Record<string, Filter>> = {
  sort,
  min: extreme('min', 1),
  max: extreme('max', -1),
  unique,
  join,
  sum,
  map,
  select: selecting(false, true),
  reject: selecting(false, false),
  selectattr: selecting(true, true),
  rejectattr: selecting(true, false),
  groupby,
  dictsort,
  batch,
  slice,
  items: (value) => pairs(value),
  first: (value) => sequence(value)[0],
  last: (value) => sequence(value).at(-1),
  reverse: (value) =>
    typeof value === 'string' || isMarkedSafe(value)
      ? copySafeness(value, [...String(value)].reverse().join(''))
      : [...sequence(value)].reverse(),
  list: (value) => [...sequence(value)],
  // Python's methods first, as `x.name(…)` finds them: 'aaa'|attr('replace')('a', 'b') is Python's replace.
  attr: withSignature('attr', { name: undefined }, (value, { name }) => templateOperators.method(value, String(name))),
};
