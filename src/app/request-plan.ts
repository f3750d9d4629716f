/** @module Hooks and request plans (layer L3): the hook lists by kind and scope, and which phases a request to an endpoint goes through. */
import type { Scope } from './error-handlers.js';
import type { HookKind, ViewFunction } from './scaffold.js';

/** A hook as stored: each kind's caller knows its real signature. */
export type Hook = (...args: never[]) => unknown;

const NO_HOOKS: readonly Hook[] = Object.freeze([]);
const NO_BLUEPRINTS: readonly string[] = Object.freeze([]);
const AsyncFunction = (async () => undefined).constructor;

/**
 * The phases a request to one endpoint goes through, so the common request skips the ones it has no hooks for.
 *
 * @example
 * const plan: RequestPlan = { before: false, after: false, teardown: false, asyncContext: false };
 */
export interface RequestPlan {
  /** before-request or URL value preprocessor hooks apply */
  readonly before: boolean;
  readonly after: boolean;
  /** teardown-request hooks apply, or the app has teardown-appcontext hooks */
  readonly teardown: boolean;
  /** Hooks or an async view may `await`: the request runs in AsyncLocalStorage, not just the synchronous context. */
  readonly asyncContext: boolean;
}

/**
 * The app's hooks by kind and scope (`null` for the app, a blueprint's dotted name for its own), and the plan of each
 * endpoint, computed on its first request and kept: after the first request no route, view or hook can be added
 * (the setup guard), so the answer cannot change.
 *
 * @example
 * const hooks = new HookRegistry();
 * hooks.add('before', loadUser, null);
 * hooks.for('before', null); // [loadUser]
 */
export class HookRegistry {
  readonly #hooks = new Map<HookKind, Map<Scope, Hook[]>>();
  readonly #blueprintsByEndpoint = new Map<string, readonly string[]>();
  readonly #plans = new Map<string | null, RequestPlan>();

  add(kind: HookKind, fn: Hook, scope: Scope): void {
    let byScope = this.#hooks.get(kind);
    if (!byScope) this.#hooks.set(kind, (byScope = new Map()));
    byScope.set(scope, [...(byScope.get(scope) ?? []), fn]);
  }

  /** The hooks of `kind` registered for `scope`, in registration order. */
  for(kind: HookKind, scope: Scope): readonly Hook[] {
    return this.#hooks.get(kind)?.get(scope) ?? NO_HOOKS;
  }

  /** Blueprint names of an endpoint, innermost first ('a.b.view' → ['a.b', 'a']); cached per endpoint. */
  blueprintsOf(endpoint: string | null | undefined): readonly string[] {
    if (!endpoint) return NO_BLUEPRINTS;
    let names = this.#blueprintsByEndpoint.get(endpoint);
    if (names === undefined) {
      const parts = endpoint.split('.').slice(0, -1);
      names = parts.length === 0 ? NO_BLUEPRINTS : parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
      this.#blueprintsByEndpoint.set(endpoint, names);
    }
    return names;
  }

  /** Whether any hook of `kind` applies to requests for `endpoint` (`null`: routing failed, so app hooks only). */
  #has(kind: HookKind, endpoint: string | null): boolean {
    const byScope = this.#hooks.get(kind);
    if (byScope === undefined) return false;
    if (byScope.has(null)) return true;
    return endpoint !== null && this.blueprintsOf(endpoint).some((name) => byScope.has(name));
  }

  /**
   * The plan of requests to `endpoint` (`null`: routing failed). `views` are the app's view functions, read only the
   * first time; `appTeardown` says whether the app has teardown-appcontext hooks, which end every request.
   */
  plan(endpoint: string | null, views: ReadonlyMap<string, ViewFunction>, appTeardown: boolean): RequestPlan {
    let plan = this.#plans.get(endpoint);
    if (plan === undefined) {
      const view = endpoint === null ? undefined : views.get(endpoint);
      const before = this.#has('before', endpoint) || this.#has('urlValuePreprocessor', endpoint);
      const after = this.#has('after', endpoint);
      const teardown = appTeardown || this.#has('teardown', endpoint);
      // A plain view with no hooks cannot `await` user code, so it needs no AsyncLocalStorage (see App#handle).
      const asyncContext = before || after || teardown || (endpoint !== null && (view === undefined || view.constructor === AsyncFunction));
      plan = { before, after, teardown, asyncContext };
      this.#plans.set(endpoint, plan);
    }
    return plan;
  }
}
