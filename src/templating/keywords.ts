/** @module Keyword arguments in templates (layer L3): nunjucks's `f(a, b=1)` as a JavaScript options object. */

/**
 * nunjucks passes `f('x', size=2)` as `f('x', { size: 2, __keywords: true })`: keyword arguments become one last
 * object, marked. This splits such a call's arguments into the positional ones and the keywords (an unmarked copy),
 * or `null` when there were none. A plain object passed positionally (`f('x', { size: 2 })`) stays positional.
 *
 * @example
 * splitKeywords(['static', { filename: 'app.css', __keywords: true }]);
 * // { positional: ['static'], keywords: { filename: 'app.css' } }
 */
export function splitKeywords(args: readonly unknown[]): {
  positional: unknown[];
  keywords: Record<string, unknown> | null;
} {
  const last = args.at(-1);
  if (!isKeywords(last)) return { positional: [...args], keywords: null };
  const { __keywords: _marker, ...keywords } = last;
  return { positional: args.slice(0, -1), keywords };
}

function isKeywords(value: unknown): value is Record<string, unknown> & { __keywords: true } {
  return typeof value === 'object' && value !== null && (value as { __keywords?: unknown }).__keywords === true;
}

/**
 * Wraps a filter or global function so keyword arguments reach it as a plain last object, without nunjucks's
 * `__keywords` marker (which would otherwise end up in whatever the function builds from it, such as a query string).
 * A Proxy, so the function's own properties (`helpers.format.date`) stay reachable from templates.
 *
 * @example
 * env.addGlobal('link', withPlainKeywords((href, options) => ...)); // {{ link('/a', title='A') }}
 */
export function withPlainKeywords<T extends (...args: never[]) => unknown>(fn: T): T {
  return new Proxy(fn, {
    apply(target, thisArg, args: unknown[]) {
      const { positional, keywords } = splitKeywords(args);
      return Reflect.apply(target, thisArg, keywords === null ? positional : [...positional, keywords]);
    },
  });
}

const plainVersions = new WeakMap<object, unknown>();

/**
 * A value for a template's context, with {@link withPlainKeywords} applied if it is a function: the functions an app
 * passes to a render or returns from a context processor get keyword arguments as a plain last object, as its
 * filters and globals do. One wrapper per function, kept while the function lives.
 *
 * @example
 * const context = { price: withPlainKeywordsIfFunction(formatPrice) }; // {{ price(9.5, currency='EUR') }}
 */
export function withPlainKeywordsIfFunction(value: unknown): unknown {
  if (typeof value !== 'function') return value;
  let plain = plainVersions.get(value);
  if (plain === undefined) {
    plain = withPlainKeywords(value as (...args: never[]) => unknown);
    plainVersions.set(value, plain);
  }
  return plain;
}
