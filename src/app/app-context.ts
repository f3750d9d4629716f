/** @module App contexts (layer L3): `app.appContext()`, and the teardown-appcontext hooks that end every app context and every request. */
import { isPromiseLike } from '../gateway/response.js';
import { makeContext, runInContext, type Context, type ContextApp } from './context.js';
import type { TeardownHook } from './handler-types.js';
import type { Signal } from './signal.js';
import {
  appcontextPopped,
  appcontextPushed,
  appcontextTearingDown,
  endSignals,
  requestTearingDown,
} from './signals.js';

/**
 * An application context, as `app.appContext()` returns it: `currentApp` and `g` work inside `run` (and `within`),
 * and when `run`'s `fn` ends (returns, throws, or its promise settles) the app's `teardownAppcontext` hooks run
 * with the error or `null`. One AppContext is one `g`.
 *
 * @example
 * await app.appContext().run(async () => { g.db = await connect(); await migrate(g.db); });
 */
export interface AppContext {
  /** Runs `fn` in the context, then ends it (Flask's `with app.app_context():`). */
  run<T>(fn: () => T): T;
  /**
   * Opens a context that spans several calls (a REPL session): sends `appcontextPushed`, as `run` does at its start.
   * Then `within` runs each call in it, and `end` closes it.
   */
  begin(): void;
  /** Runs `fn` in the context without ending it, for a context that spans several calls (a REPL session). */
  within<T>(fn: () => T): T;
  /** Ends the context: runs the teardown hooks with `error`; throws (or rejects with) what they threw. */
  end(error?: unknown): void | Promise<void>;
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

/**
 * Calls teardown hooks last-registered first (Flask's `reversed(teardown_appcontext_funcs)`), every one of them, pushing
 * each failure to `errors`. Synchronous while the hooks are: the first hook that returns a promise makes the rest wait
 * for it, and the result a promise. Call it inside the context being torn down, so hooks can read `g`.
 *
 * @example
 * const errors: unknown[] = [];
 * await runTeardownHooks(hooks, null, errors);
 */
export function runTeardownHooks(
  hooks: readonly TeardownHook[],
  error: unknown,
  errors: unknown[],
): void | Promise<void> {
  for (let i = hooks.length - 1; i >= 0; i--) {
    let rv: unknown;
    try {
      rv = hooks[i]!(error);
    } catch (hookError) {
      errors.push(hookError);
      continue;
    }
    if (isPromiseLike(rv)) {
      const rest = hooks.slice(0, i);
      return Promise.resolve(rv)
        .then(
          () => undefined,
          (hookError: unknown) => void errors.push(hookError),
        )
        .then(() => runTeardownHooks(rest, error, errors));
    }
  }
}

/**
 * Ends a request in Flask 3.1's order: its teardown-request hooks, then the request closed (uploaded files' temp files
 * removed), then the teardown-appcontext hooks, all inside its context, with the error that ended it or `null`. All
 * run; their errors are collected and thrown after.
 *
 * @example
 * await endRequest(context, plan, null);
 */
export async function endRequest(
  context: Context,
  hooks: { teardownRequest: readonly TeardownHook[] | null; teardownAppcontext: readonly TeardownHook[] | null },
  error: unknown,
): Promise<void> {
  const errors: unknown[] = [];
  await runInContext(context, async () => {
    if (hooks.teardownRequest !== null) await runTeardownHooks(hooks.teardownRequest, error, errors);
    if (requestTearingDown.hasReceiversFor(context.app)) tell(requestTearingDown, context.app, { exc: error }, errors);
    try {
      await context.request?.close();
    } catch (closeError) {
      errors.push(closeError);
    }
    if (hooks.teardownAppcontext !== null) await runTeardownHooks(hooks.teardownAppcontext, error, errors);
    tellPopped(context.app, error, errors);
  });
  throwCollected(errors, 'teardown hooks');
}

/** A signal sent at an end: a receiver's error is collected with the hooks', and the others still run. */
function tell<E extends object>(signal: Signal<E>, app: ContextApp, extra: E, errors: unknown[]): void {
  try {
    signal.send(app, extra);
  } catch (error) {
    errors.push(error);
  }
}

/** The end of an app context, told: `appcontextTearingDown` (after its hooks), then `appcontextPopped`. */
function tellPopped(app: ContextApp, error: unknown, errors: unknown[]): void {
  if (appcontextTearingDown.hasReceiversFor(app)) tell(appcontextTearingDown, app, { exc: error }, errors);
  if (appcontextPopped.hasReceiversFor(app)) tell(appcontextPopped, app, {}, errors);
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
 * synchronous `fn` they run at once (a promise a hook returns is not waited for; its failure is logged), after
 * an async one they are awaited before `run`'s promise settles. An error of `fn` wins over the hooks' (those go to
 * logged); when `fn` succeeded, a hook's error is `run`'s.
 *
 * @example
 * const context = makeAppContext(app, hooks, app.logger);
 */
export function makeAppContext(
  app: ContextApp,
  hooks: readonly TeardownHook[],
  logger: { error(message: string, error: unknown): void },
): AppContext {
  const context = makeContext(app, null);
  const within = <T>(fn: () => T): T => runInContext(context, fn);
  const tearDown = (error: unknown): unknown[] | Promise<unknown[]> => {
    const errors: unknown[] = [];
    const pending = within(() => runTeardownHooks(hooks, error, errors));
    const told = (): unknown[] => {
      within(() => tellPopped(app, error, errors));
      return errors;
    };
    return pending === undefined ? told() : pending.then(told);
  };
  const end = (error: unknown = null): void | Promise<void> => {
    const done = tearDown(error);
    if (Array.isArray(done)) return throwCollected(done, 'teardown-appcontext hooks');
    return done.then((errors) => throwCollected(errors, 'teardown-appcontext hooks'));
  };
  /** Ends the context after `fn` failed: the hooks' own failures are reported, never thrown over `fn`'s error. */
  const report = (error: unknown): void =>
    logger.error('A teardown-appcontext hook failed after the app context had failed', error);
  const endAfterFailure = (error: unknown): void | Promise<void> => {
    const done = tearDown(error);
    if (Array.isArray(done)) return done.forEach(report);
    return done.then((errors) => errors.forEach(report));
  };
  return {
    begin(): void {
      if (appcontextPushed.hasReceiversFor(app)) within(() => appcontextPushed.send(app, {}));
    },
    within,
    end,
    run<T>(fn: () => T): T {
      if (hooks.length === 0 && !appcontextPushed.hasReceiversFor(app) && !endSignals(app)) return within(fn);
      let result: T;
      try {
        result = within(() => {
          if (appcontextPushed.hasReceiversFor(app)) appcontextPushed.send(app, {});
          return fn();
        });
      } catch (error) {
        void endAfterFailure(error);
        throw error;
      }
      if (isPromiseLike(result)) {
        return Promise.resolve(result).then(
          async (value) => {
            await end(null);
            return value;
          },
          async (error: unknown) => {
            await endAfterFailure(error);
            throw error;
          },
        ) as T;
      }
      const pending = end(null);
      if (pending !== undefined) pending.catch(report);
      return result;
    },
  };
}
