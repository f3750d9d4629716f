/** @module App contexts (layer L3): `app.appContext()`, and the teardown-appcontext hooks that end every app context and every request. */
import { makeContext, runInContext, type ContextApp } from './context.js';
import type { TeardownHook } from './scaffold.js';

/**
 * An application context, as `app.appContext()` returns it: `currentApp` and `g` work inside `run`, and when `fn`
 * ends (returns, throws, or its promise settles) the app's `teardownAppcontext` hooks run with the error or `null`.
 *
 * @example
 * await app.appContext().run(async () => { g.db = await connect(); await migrate(g.db); });
 */
export interface AppContext {
  run<T>(fn: () => T): T;
}

/**
 * The environ key (a `flagon.*` extension, docs/gateway.md §3.5) through which the test client asks the App for a
 * request's context, Werkzeug's `werkzeug.debug.preserve_context`: when present, the App calls it with the context
 * it made for the request, so `client.context()` can show the test that request's `g`, `session` and `request`.
 *
 * @example
 * environ[PRESERVE_CONTEXT_KEY] = (context: Context) => { last = context; };
 */
export const PRESERVE_CONTEXT_KEY = 'flagon.preserve_context';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Calls teardown hooks last-registered first (Flask's `reversed(teardown_appcontext_funcs)`), every one of them, pushing
 * each failure to `errors`. Synchronous while the hooks are: the first hook that returns a promise makes the rest wait
 * for it, and the result a promise. Call it inside the context being torn down, so hooks can read `g`.
 *
 * @example
 * const errors: unknown[] = [];
 * await runTeardownHooks(hooks, null, errors);
 */
export function runTeardownHooks(hooks: readonly TeardownHook[], error: unknown, errors: unknown[]): void | Promise<void> {
  for (let i = hooks.length - 1; i >= 0; i--) {
    let rv: unknown;
    try {
      rv = hooks[i]!(error);
    } catch (hookError) {
      errors.push(hookError);
      continue;
    }
    if (isThenable(rv)) {
      const rest = hooks.slice(0, i);
      return Promise.resolve(rv).then(() => undefined, (hookError: unknown) => void errors.push(hookError)).then(() => runTeardownHooks(rest, error, errors));
    }
  }
}

/**
 * Throws what teardown hooks collected: the one error, or an AggregateError of several.
 *
 * @example
 * throwCollected(errors, 'teardown hooks');
 */
export function throwCollected(errors: readonly unknown[], what: string): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} ${what} failed`);
}

/**
 * Makes `app.appContext()`. Without teardown hooks `run` is `runInContext` and nothing more. With them: after a
 * synchronous `fn` they run at once (a promise a hook returns is not waited for; its failure goes to `report`), after
 * an async one they are awaited before `run`'s promise settles. An error of `fn` wins over the hooks' (those go to
 * `report`); when `fn` succeeded, a hook's error is `run`'s.
 *
 * @example
 * const context = makeAppContext(app, hooks, (error) => app.logger.error('teardown failed', error));
 */
export function makeAppContext(app: ContextApp, hooks: readonly TeardownHook[], report: (error: unknown) => void): AppContext {
  return {
    run<T>(fn: () => T): T {
      const context = makeContext(app, null);
      if (hooks.length === 0) return runInContext(context, fn);
      const tearDown = (error: unknown, failed: boolean): void | Promise<void> => {
        const errors: unknown[] = [];
        const settle = (): void => {
          if (failed) errors.forEach(report);
          else throwCollected(errors, 'teardown-appcontext hooks');
        };
        const pending = runInContext(context, () => runTeardownHooks(hooks, error, errors));
        return pending === undefined ? settle() : pending.then(settle);
      };
      let result: T;
      try {
        result = runInContext(context, fn);
      } catch (error) {
        const pending = tearDown(error, true);
        if (pending !== undefined) pending.catch(report);
        throw error;
      }
      if (isThenable(result)) {
        return Promise.resolve(result).then(
          async (value) => { await tearDown(null, false); return value; },
          async (error: unknown) => { await tearDown(error, true); throw error; },
        ) as T;
      }
      const pending = tearDown(null, false);
      if (pending !== undefined) pending.catch(report);
      return result;
    },
  };
}
