/** @module The App's registries (layer L3): views by endpoint, hooks, error handlers, blueprint names and teardown-appcontext hooks, and what a new rule is checked against. */
import type { Router } from '../routing/router.js';
import type { Rule } from '../routing/rule.js';
import type { BlueprintApp, BlueprintSetupState } from './blueprint-setup.js';
import type { AppCli } from './cli-commands.js';
import type { Config } from './config.js';
import { addRuleOrAlias } from './endpoint-aliases.js';
import { ErrorHandlers } from './error-handlers.js';
import { FlagonError } from './errors.js';
import type { AddUrlRuleOptions, RouteSpec, TeardownHook, ViewFunction } from './handler-types.js';
import { HookRegistry, type EndpointPlan } from './request-plan.js';
import { endpointFromRule } from './default-names.js';
import { routeSpecOf } from './route-spec.js';

/** A view as an error names it: its function name, or that it has none. */
function viewName(view: ViewFunction): string {
  return view.name ? `'${view.name}'` : 'an anonymous function';
}

/** A rule's methods as a person lists them: `GET`, `GET|POST`, without the HEAD and OPTIONS the App adds. */
function describeMethods(methods: Iterable<string>): string {
  const named = [...methods].filter((method) => method !== 'HEAD' && method !== 'OPTIONS');
  return (named.length > 0 ? named : [...methods]).join('|');
}

/**
 * What an App has registered. The App's setup methods write here (behind the setup guard); the pipeline reads it.
 *
 * @example
 * const registry = new AppRegistry(app.router, app.config);
 * registry.addUrlRule('/', { view: () => 'home' });
 */
export class AppRegistry {
  readonly views = new Map<string, ViewFunction>();
  /** The schemas and docs of each endpoint whose route gave any (`app.routeSpecs`). */
  readonly routeSpecs = new Map<string, RouteSpec>();
  readonly hooks = new HookRegistry();
  readonly errorHandlers = new ErrorHandlers();
  /** Rules whose OPTIONS requests the App answers itself. */
  readonly autoOptions = new WeakSet<Rule>();
  readonly appTeardown: TeardownHook[] = [];
  readonly #blueprintNames = new Map<string, object>();
  readonly #router: Router;
  readonly #config: Config;

  constructor(router: Router, config: Config) {
    this.#router = router;
    this.#config = config;
  }

  /** Flask's add_url_rule: the endpoint named, the view checked against the endpoint's, the rule added. */
  addUrlRule(rule: string, options: AddUrlRuleOptions): void {
    const view = options.view;
    const viewMethods = (view as { methods?: readonly string[] } | undefined)?.methods; // a class view's
    const methods = [...new Set((options.methods ?? viewMethods ?? ['GET']).map((m) => m.toUpperCase()))];
    const endpoint = options.endpoint ?? (view?.name || endpointFromRule(rule, methods));
    if (view) {
      const existing = this.views.get(endpoint);
      if (existing && existing !== view) {
        const taken = this.#router
          .rulesFor(endpoint)
          .map((taking) => `${describeMethods(taking.methods)} ${taking.rule}`)
          .join(', ');
        throw new FlagonError(
          'FLAGON_ERR_ENDPOINT_CONFLICT',
          `View function mapping is overwriting an existing endpoint function: '${endpoint}' is taken by ${viewName(existing)}${taken ? ` (${taken})` : ''} and would be taken by ${viewName(view)} (${describeMethods(methods)} ${rule}). Give one of them another endpoint: { endpoint: '…' }, or a function name of its own.`,
        );
      }
      this.views.set(endpoint, view);
    }
    const viewAutomatic = (view as { provideAutomaticOptions?: boolean | null } | undefined)?.provideAutomaticOptions;
    // Flask's rule: asked for explicitly, the App answers OPTIONS even when the methods list it; by default only when not.
    const automatic =
      options.provideAutomaticOptions ??
      viewAutomatic ??
      (this.#config.PROVIDE_AUTOMATIC_OPTIONS && !methods.includes('OPTIONS'));
    const { defaults, strictSlashes, host, subdomain } = options;
    const added = addRuleOrAlias(this.#router, rule, view !== undefined, {
      endpoint,
      methods,
      automaticOptions: automatic,
      defaults,
      strictSlashes,
      host,
      subdomain,
    });
    if (automatic) this.autoOptions.add(added);
    const spec = routeSpecOf(options);
    if (spec !== null) this.routeSpecs.set(endpoint, spec);
  }

  /** Takes a blueprint's registered name; the same name twice is an error that says how to give another. */
  claimBlueprintName(name: string, owner: object): void {
    const existing = this.#blueprintNames.get(name);
    if (existing !== undefined) {
      const whose = existing === owner ? 'this blueprint' : 'a different blueprint';
      throw new FlagonError(
        'FLAGON_ERR_BLUEPRINT',
        `The name '${name}' is already registered for ${whose}. Use { name: '…' } to provide a unique name.`,
      );
    }
    this.#blueprintNames.set(name, owner);
  }

  /**
   * What `app.registerBlueprint` hands the blueprint: doors into these registries and the app's templates and
   * commands. (The app checked its setup guard already.)
   */
  blueprintState(app: BlueprintApp & { readonly cli: AppCli }): BlueprintSetupState {
    return {
      app,
      addUrlRule: (rule, options) => this.addUrlRule(rule, options),
      addHook: (kind, fn, scope) => this.hooks.add(kind, fn, scope),
      addErrorHandler: (key, fn, scope) => this.errorHandlers.add(key, fn, scope),
      addTemplateFolder: (folder) => {
        if (!app.templates.folders.includes(folder)) app.templates.folders.push(folder);
      },
      addCli: (group, cli) => (group === null ? app.cli.merge(cli) : app.cli.addGroup(group, cli)),
      claimName: (name, owner) => this.claimBlueprintName(name, owner),
    };
  }

  /** The plan of requests to `endpoint` (`null`: routing failed); see request-plan.ts. */
  plan(endpoint: string | null): EndpointPlan {
    return this.hooks.plan(endpoint, this.views, this.appTeardown, this.routeSpecs);
  }
}
