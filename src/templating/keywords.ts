/** @module Keyword arguments in templates (layer L3): nunjucks's `f(a, b=1)` as a JavaScript options object. */

/** One of Python's methods of `self`: the positional arguments, and the keywords (`{}` when there were none). */
export type PythonMethod<Self> = (self: Self, args: unknown[], keywords: Record<string, unknown>) => unknown;

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
const templateMacros = new WeakMap<object, unknown>();

/**
 * Code's handle `fn` on a template's `macro` (getTemplateAttribute's): put in a template's context again, it is the
 * macro itself, which gives safe text and takes keyword arguments.
 *
 * @example
 * return asTemplateMacro((...args) => String(macro(...args)), macro);
 */
export function asTemplateMacro<T extends object>(fn: T, macro: unknown): T {
  templateMacros.set(fn, macro);
  return fn;
}

/**
 * A value for a template's context, with {@link withPlainKeywords} applied if it is a function: the functions an app
 * passes to a render or returns from a context processor get keyword arguments as a plain last object, as its
 * filters and globals do. One wrapper per function, kept while the function lives; a class stays as it is (its
 * static methods may use private fields, which a wrapper would hide), and a handle on a template's macro is the macro.
 *
 * @example
 * const context = { price: withPlainKeywordsIfFunction(formatPrice) }; // {{ price(9.5, currency='EUR') }}
 */
export function withPlainKeywordsIfFunction(value: unknown): unknown {
  if (typeof value !== 'function') return value;
  let plain = plainVersions.get(value) ?? templateMacros.get(value);
  if (plain === undefined) {
    const isClass = /^class\b/.test(Function.prototype.toString.call(value));
    plain = isClass ? value : withPlainKeywords(value as (...args: never[]) => unknown);
    plainVersions.set(value, plain);
  }
  return plain;
}
