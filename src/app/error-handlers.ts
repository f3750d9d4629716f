/** @module Error handler registry (layer L3): handlers by scope, status code and error class, and Flask's lookup order. */
import { BadRequest, HTTP_ERRORS, HTTPError } from '../http/errors.js';
import type { ErrorHandler, ErrorKey } from './handler-types.js';

/** A blueprint's dotted name, or `null` for the app itself. */
export type Scope = string | null;

/**
 * The app's error handlers, kept as scope → status code (`null` for a non-HTTP error class) → class → handler, so a
 * lookup walks Flask's order without scanning every handler.
 *
 * @example
 * const handlers = new ErrorHandlers();
 * handlers.add(404, () => ['Nothing here', 404], null);
 * handlers.find(new NotFound(), ['admin', null]); // the 404 handler
 */
export class ErrorHandlers {
  readonly #byScope = new Map<Scope, Map<number | null, Map<unknown, ErrorHandler>>>();

  /** Registers `fn` for a status code or an error class; a code Flagon has no HTTPError for is a TypeError. */
  add(key: ErrorKey, fn: ErrorHandler, scope: Scope): void {
    let code: number | null;
    let cls: unknown;
    if (typeof key === 'number') {
      cls = HTTP_ERRORS[key];
      if (cls === undefined)
        throw new TypeError(
          `'${key}' is not a recognized HTTP error code. Use a subclass of HTTPError with that status instead.`,
        );
      code = key;
    } else {
      // Flask's _get_exc_class_and_code: only error classes (and codes) can be keys; an instance or another class
      // would register a handler that never matches.
      if (typeof key !== 'function') {
        throw new TypeError(
          `${describeKey(key)} is an instance, not a class. Handlers can only be registered for Error classes or HTTP error codes: pass its class, errorHandler(${describeKey(key)}.constructor, fn).`,
        );
      }
      if (key !== Error && !((key as { prototype?: unknown }).prototype instanceof Error)) {
        throw new TypeError(
          `'${(key as { name?: string }).name || 'anonymous'}' is not a subclass of Error. Handlers can only be registered for Error classes or HTTP error codes.`,
        );
      }
      cls = key;
      code =
        key !== HTTPError && key.prototype instanceof HTTPError ? (key as unknown as typeof HTTPError).status : null;
    }
    let byCode = this.#byScope.get(scope);
    if (!byCode) this.#byScope.set(scope, (byCode = new Map()));
    let byClass = byCode.get(code);
    if (!byClass) byCode.set(code, (byClass = new Map()));
    byClass.set(cls, fn);
  }

  /**
   * Flask's `_find_error_handler`: by status code before the catch-all, in each code the scopes innermost first, and
   * in each scope the error's class, then its parent classes.
   */
  find(error: unknown, scopes: readonly Scope[]): ErrorHandler | undefined {
    if (typeof error !== 'object' || error === null) return undefined;
    const code = error instanceof HTTPError ? error.status : null;
    for (const c of code === null ? [null] : [code, null]) {
      for (const scope of scopes) {
        const handlers = this.#byScope.get(scope)?.get(c);
        if (!handlers) continue;
        for (let cls: unknown = error.constructor; typeof cls === 'function'; cls = Object.getPrototypeOf(cls)) {
          const handler = handlers.get(cls);
          if (handler) return handler;
        }
      }
    }
    return undefined;
  }
}

/**
 * The two config keys behind {@link trapsHttpError}.
 *
 * @example
 * const config: TrapConfig = { TRAP_HTTP_EXCEPTIONS: false, TRAP_BAD_REQUEST_ERRORS: true };
 */
export interface TrapConfig {
  readonly TRAP_HTTP_EXCEPTIONS: boolean;
  readonly TRAP_BAD_REQUEST_ERRORS: boolean | null;
}

/**
 * Flask's `trap_http_exception`: whether an HTTPError raised while handling a request (by a hook, the view or
 * routing) skips becoming its own error page and goes on like any other exception: to an error handler registered
 * for it, else to the 500 path, or out of the test client when exceptions propagate. `TRAP_HTTP_EXCEPTIONS` traps
 * every HTTPError; `TRAP_BAD_REQUEST_ERRORS: true` traps `BadRequest` and its subclasses (`ClientDisconnected`).
 *
 * Flask's default for `TRAP_BAD_REQUEST_ERRORS`, `None`, traps only Werkzeug's `BadRequestKeyError` (a missing key
 * in `request.form[…]`) in debug mode. Flagon's `MultiDict.get` answers `undefined` for a missing key instead of
 * raising, so there is no such error and `null` traps nothing, in debug mode too.
 *
 * @example
 * trapsHttpError({ TRAP_HTTP_EXCEPTIONS: false, TRAP_BAD_REQUEST_ERRORS: true }, new BadRequest()); // true
 * trapsHttpError({ TRAP_HTTP_EXCEPTIONS: false, TRAP_BAD_REQUEST_ERRORS: true }, new NotFound());   // false
 */
export function trapsHttpError(config: TrapConfig, error: HTTPError): boolean {
  if (config.TRAP_HTTP_EXCEPTIONS) return true;
  return config.TRAP_BAD_REQUEST_ERRORS === true && error instanceof BadRequest;
}

function describeKey(key: unknown): string {
  const name = (key as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name ? `${name}()` : String(key);
}
