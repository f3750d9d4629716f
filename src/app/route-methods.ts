/** @module The one-method route shortcuts (layer L3): `get`, `post`… as `route`, and the error for a missing rule. */
import { FlagonError } from './errors.js';
import { isDecoratorContext } from './decorators.js';
import type { Handler, MethodRouteOptions, RouteOptions } from './handler-types.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** Any view or decorated method, as the implementations take them (the overloads carry the types). */
export type AnyView = (req: never) => unknown;

/** What a shortcut registers on: an App or Blueprint's `route` (Scaffold's). */
interface Routing {
  route(rule: string, options: RouteOptions, handler?: Handler): unknown;
}

/**
 * `get`, `post`, `put`, `patch` and `delete`: `route` with one method. A function, so that `@app.get` written
 * without its parentheses (called with no `this`) gets an error that says so.
 *
 * @example
 * get(rule, a, b) { return shortcut(this, 'GET', rule, a, b); }
 */
export function shortcut(
  scaffold: Routing | undefined,
  method: Method,
  rule: string,
  optionsOrHandler?: MethodRouteOptions | AnyView,
  handler?: AnyView,
): unknown {
  if (typeof rule !== 'string' || scaffold === undefined) throw notARule(method.toLowerCase(), rule, optionsOrHandler);
  const options = typeof optionsOrHandler === 'function' ? {} : (optionsOrHandler ?? {});
  const fn = typeof optionsOrHandler === 'function' ? optionsOrHandler : handler;
  if ('methods' in options) {
    throw new TypeError(
      `app.${method.toLowerCase()}() always means ${method}; to give methods use app.route('${rule}', { methods: [...] }, handler)`,
    );
  }
  return fn
    ? scaffold.route(rule, { ...options, methods: [method] }, fn as Handler)
    : scaffold.route(rule, { ...options, methods: [method] });
}

/**
 * The error for a route method called without a rule: `@app.get` without its parentheses, most often.
 *
 * @example
 * if (typeof rule !== 'string') throw notARule('route', rule, options);
 */
export function notARule(method: string, rule: unknown, second: unknown): Error {
  if (isDecoratorContext(second))
    return new FlagonError(
      'FLAGON_ERR_DECORATOR',
      `@app.${method} needs its URL rule: write @app.${method}('/path') above '${String(second.name)}', with the parentheses`,
    );
  return new TypeError(
    `app.${method}() takes the URL rule first, a string such as '/users/<int:id>', not ${typeof rule}`,
  );
}
