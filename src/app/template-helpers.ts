/** @module Flask's helpers as templates call them (layer L3): `url_for('user', id=7, _external=True)`, `get_flashed_messages(with_categories=true)`. */
import { splitKeywords } from '../templating/keywords.js';
import type { UrlForOptions } from './url-for.js';
import { getFlashedMessages, urlFor } from './helpers.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `urlFor` as templates call it: Flask's `url_for('user', id=7, _external=True)` (keywords are values, underscore
 * keywords are options) as well as Flagon's `urlFor('user', { id: 7 }, { external: true })`, or a mix of both.
 */
export function templateUrlFor(endpoint: unknown, ...rest: unknown[]): string {
  const { positional, keywords } = splitKeywords(rest);
  const [values = {}, options = {}] = positional;
  if (typeof endpoint !== 'string' || !isRecord(values) || !isRecord(options) || positional.length > 2) {
    throw new TypeError(
      "urlFor() in a template takes an endpoint name, then values as keywords or an object: urlFor('user', id=7) or urlFor('user', { id: 7 }), with options as _external=true, _anchor, _method, _scheme",
    );
  }
  // Underscore keywords (`_external=True`) are options: urlFor splits them from the values.
  return urlFor(endpoint, { ...values, ...keywords }, options as UrlForOptions);
}

/**
 * `getFlashedMessages` as templates call it: Flask's `get_flashed_messages(with_categories=true,
 * category_filter=['error'])` (or positionally, `(true, ['error'])`) as well as Flagon's options object.
 */
export function templateFlashedMessages(...args: unknown[]): unknown {
  const { positional, keywords } = splitKeywords(args);
  const [first, second] = positional;
  const options: { withCategories?: boolean; categoryFilter?: readonly string[] } = isRecord(first) ? { ...first } : {};
  if (typeof first === 'boolean') options.withCategories = first;
  if (second !== undefined) options.categoryFilter = second as readonly string[];
  for (const [key, value] of Object.entries(keywords ?? {})) {
    if (key === 'with_categories' || key === 'withCategories') options.withCategories = Boolean(value);
    else if (key === 'category_filter' || key === 'categoryFilter') options.categoryFilter = value as readonly string[];
    else throw new TypeError(`getFlashedMessages() takes with_categories and category_filter, not '${key}'`);
  }
  if (options.categoryFilter !== undefined && !Array.isArray(options.categoryFilter)) {
    throw new TypeError(
      "getFlashedMessages(): category_filter must be a list of categories, as in category_filter=['error']",
    );
  }
  return options.withCategories
    ? getFlashedMessages({ ...options, withCategories: true })
    : getFlashedMessages({ ...options, withCategories: false });
}
