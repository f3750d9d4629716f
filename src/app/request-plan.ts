/** @module Hooks and request plans (layer L3): the hook lists by kind and scope, and, per endpoint, the plan a request follows. */
import { compileRouteValidator, type RouteValidator } from '../validation/route-validator.js';
import { blueprintChain } from '../wrappers/request.js';
import type { Scope } from './error-handlers.js';
import type { HookKind, RouteSpec, TeardownHook, ViewFunction } from './handler-types.js';

/** A hook as stored: each kind's caller knows its real signature. */
export type Hook = (...args: never[]) => unknown;

const NO_HOOKS: readonly Hook[] = Object.freeze([]);
const AsyncFunction = (async () => undefined).constructor;

/**
 * What a request to one endpoint goes through, worked out once after setup: each hook list in the order it runs,
 * `null` when empty (Fastify's null hook arrays), so the pipeline skips a phase with one test.
 *
 * @example
 * const plan = hooks.plan('admin.index', app.viewFunctions, []);
 * if (plan.before !== null) for (const hook of plan.before) await hook(request);
 */
export interface EndpointPlan {
  /** `null` when routing failed. */
  readonly endpoint: string | null;
  /** Where error handlers are looked up: the blueprints innermost first, then the app (`null`). */
  readonly scopes: readonly Scope[];
  /** URL value preprocessors: the app's, then each blueprint's from the outermost in. */
  readonly urlValuePreprocessors: readonly Hook[] | null;
  /** Before-request hooks, in the same order. */
  readonly before: readonly Hook[] | null;
  /** After-request hooks, innermost blueprint first, each scope's last registered first (Flask's order). */
  readonly after: readonly Hook[] | null;
  /**
   * Teardown-request hooks, stored so that `runTeardownHooks` (which calls a list from its end) runs them in Flask's
   * order: innermost blueprint first, each scope's last registered first.
   */
  readonly teardownRequest: readonly TeardownHook[] | null;
  /** The app's teardown-appcontext hooks, which end every request after its teardown-request hooks. */
  readonly teardownAppcontext: readonly TeardownHook[] | null;
  /**
   * The route's schemas compiled (`null` when it has none): run after the before-request hooks, right before the
   * view, and on the view's value (as Flask-Pydantic does).
   */
  readonly validator: RouteValidator | null;
  /** A synchronous view, no hooks, no schemas: the pipeline's short branch, with no promise unless the view returns one. */
  readonly fast: boolean;
}

/**
 * The app's hooks by kind and scope (`null` for the app, a blueprint's dotted name for its own), and the plan of each
 * endpoint, made on its first request and kept: after the first request no route, view or hook can be added (the
 * setup guard), so the plan cannot go stale.
 *
 * @example
 * const hooks = new HookRegistry();
 * hooks.add('before', loadUser, null);
 * hooks.for('before', null); // [loadUser]
 */
export class HookRegistry {
  readonly #hooks = new Map<HookKind, Map<Scope, Hook[]>>();
  readonly #blueprintsByEndpoint = new Map<string, readonly string[]>();
  readonly #plans = new Map<string | null, EndpointPlan>();

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
    if (!endpoint) return NO_HOOKS as readonly never[];
    let names = this.#blueprintsByEndpoint.get(endpoint);
    if (names === undefined)
      this.#blueprintsByEndpoint.set(endpoint, (names = Object.freeze(blueprintChain(endpoint))));
    return names;
  }

  /**
   * The plan of requests to `endpoint` (`null`: routing failed), made on the first call: one map lookup per request
   * after that. `views` are the app's views by endpoint; `appTeardown` its teardown-appcontext hooks, which end every
   * request; `specs` the routes' schemas, compiled here once.
   */
  plan(
    endpoint: string | null,
    views: ReadonlyMap<string, ViewFunction>,
    appTeardown: readonly TeardownHook[],
    specs?: ReadonlyMap<string, RouteSpec>,
  ): EndpointPlan {
    let plan = this.#plans.get(endpoint);
    if (plan === undefined) {
      const view = endpoint === null ? undefined : views.get(endpoint);
      const spec = endpoint === null ? undefined : specs?.get(endpoint);
      const inner = [...this.blueprintsOf(endpoint)]; // innermost first
      const outer = [null, ...[...inner].reverse()]; // the app, then the blueprints from the outermost in
      plan = {
        endpoint,
        scopes: [...inner, null],
        urlValuePreprocessors: orNull(outer.flatMap((scope) => this.for('urlValuePreprocessor', scope))),
        before: orNull(outer.flatMap((scope) => this.for('before', scope))),
        after: orNull([...inner, null].flatMap((scope) => [...this.for('after', scope)].reverse())),
        teardownRequest: orNull(outer.flatMap((scope) => this.for('teardown', scope) as TeardownHook[])),
        teardownAppcontext: orNull([...appTeardown]),
        validator: spec === undefined ? null : compileRouteValidator(spec),
        fast: false,
      };
      const hooked =
        plan.urlValuePreprocessors ||
        plan.before ||
        plan.after ||
        plan.teardownRequest ||
        plan.teardownAppcontext ||
        plan.validator;
      plan = { ...plan, fast: !hooked && view !== undefined && view.constructor !== AsyncFunction };
      this.#plans.set(endpoint, plan);
    }
    return plan;
  }
}

function orNull<T>(list: readonly T[]): readonly T[] | null {
  return list.length === 0 ? null : Object.freeze(list);
}
