/** @module Blueprint (layer L3): a group of routes, hooks and error handlers recorded now and replayed on registration, as Flask's. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addStaticRoute,
  joinPrefix,
  placementOf,
  type BlueprintApp,
  type BlueprintOptions,
  type BlueprintRegisterOptions,
  type BlueprintSetupState,
  type Placement,
  type Predicate,
} from './blueprint-setup.js';
import { AppCli } from './cli-commands.js';
import { FlagonError } from './errors.js';
import { bindMethod } from './decorators.js';
import { endpointFromRule } from './default-names.js';
import { Scaffold } from './scaffold.js';
import type {
  AddUrlRuleOptions,
  AfterRequestHook,
  BeforeRequestHook,
  ErrorHandler,
  ErrorKey,
  Handler,
  HookKind,
  TeardownHook,
  UrlDefaultsHook,
  UrlValuePreprocessor,
  ViewFunction,
} from './handler-types.js';
import {
  templateRegistrar,
  type TemplateFunction,
  type TemplateFunctionRegistrar,
  type TemplateGlobalRegistrar,
} from './template-registration.js';
import type { ContextProcessor } from './templates.js';

// The options moved to blueprint-setup.ts; app.ts still imports BlueprintRegisterOptions from here.

/** The app-wide template registrations are recorded, and #record checks the blueprint's setup guard. */
const noGuard = (): void => undefined;

type Deferred = (state: BlueprintSetupState, placement: Placement) => void;

/**
 * A set of routes and hooks to register on an app, possibly under a URL prefix and more than once. Its endpoints are
 * named `blueprint.view`; its hooks and error handlers apply to its own requests; `urlFor('.view')` stays inside it.
 *
 * @example
 * const admin = new Blueprint('admin', import.meta.url, { urlPrefix: '/admin' });
 * admin.get('/', () => 'admin home');           // endpoint 'admin.index'
 * admin.beforeRequest(requireAdmin);
 * app.registerBlueprint(admin);
 */
export class Blueprint extends Scaffold {
  readonly name: string;
  readonly rootPath: string;
  readonly options: Readonly<BlueprintOptions>;
  /**
   * Its `flagon` commands, grouped under its name by default: `auth.cli.command('create-user', fn)` is
   * `flagon auth create-user` (see `cliGroup`).
   */
  readonly cli: AppCli;
  readonly #deferred: Deferred[] = [];
  readonly #children: Array<[Blueprint, BlueprintRegisterOptions]> = [];
  /** The apps it has been registered on, for the app-wide setup that happens once per app. */
  readonly #apps = new WeakSet<BlueprintApp>();

  constructor(name: string, importMetaUrl: string, options: BlueprintOptions = {}) {
    super();
    if (!name)
      throw new FlagonError(
        'FLAGON_ERR_BLUEPRINT',
        "a blueprint needs a non-empty name, e.g. new Blueprint('admin', import.meta.url)",
      );
    if (name.includes('.'))
      throw new FlagonError(
        'FLAGON_ERR_BLUEPRINT',
        `blueprint name '${name}' may not contain a dot: dots separate nested blueprint names`,
      );
    this.name = name;
    this.rootPath = importMetaUrl.startsWith('file:') ? dirname(fileURLToPath(importMetaUrl)) : process.cwd();
    this.options = Object.freeze({ ...options });
    this.cli = new AppCli({ owner: `blueprint '${name}'` });
    // usable as bare decorators (`@bp.appTemplateFilter`), which TC39 calls with `this` undefined
    this.contextProcessor = this.contextProcessor.bind(this);
    this.appContextProcessor = this.appContextProcessor.bind(this);
  }

  #record(method: string, fn: Deferred): void {
    this.assertSetup(method);
    this.#deferred.push(fn);
  }

  /** Records app-wide setup: replayed on the first registration on an app only, as Flask's `record_once`. */
  #recordOnce(method: string, fn: (state: BlueprintSetupState) => void): void {
    this.#record(method, (state, at) => {
      if (at.first) fn(state);
    });
  }

  /** Records a rule; on registration it gets the prefix and the endpoint `name.endpoint`. */
  addUrlRule(rule: string, options: AddUrlRuleOptions): void {
    if (options.endpoint?.includes('.'))
      throw new FlagonError(
        'FLAGON_ERR_BLUEPRINT',
        `'endpoint' may not contain a dot '.' character: '${options.endpoint}'`,
      );
    if (options.view?.name.includes('.'))
      throw new FlagonError('FLAGON_ERR_BLUEPRINT', `a view's name may not contain a dot: '${options.view.name}'`);
    this.#record('addUrlRule', (state, at) => {
      state.addUrlRule(joinPrefix(at.urlPrefix, rule), {
        ...options,
        endpoint: `${at.name}.${options.endpoint ?? (options.view?.name || endpointFromRule(rule, options.methods ?? ['GET']))}`,
        defaults: { ...at.urlDefaults, ...options.defaults },
        subdomain: options.subdomain ?? at.subdomain,
        host: options.host ?? at.host,
      });
    });
  }

  protected addHook(kind: HookKind, fn: (...args: never[]) => unknown): void {
    this.#record(kind, (state, at) => state.addHook(kind, fn, at.name));
  }

  protected addErrorHandler(key: ErrorKey, fn: ErrorHandler): void {
    this.#record('errorHandler', (state, at) => state.addErrorHandler(key, fn, at.name));
  }

  /**
   * `bp.endpoint(name, view)` sets the app's view for `name` as given, with no blueprint prefix: Flask copies a
   * blueprint's `view_functions` as they are (its test_endpoint_decorator), so a blueprint's own endpoint is `'bp.name'`.
   */
  protected addView(endpoint: string, view: ViewFunction): void {
    this.#record('endpoint', (state) => state.app.endpoint(endpoint, view as Handler));
  }

  /** Records a hook for the whole app (scope `null`), not only this blueprint's requests; once per app. */
  #appHook<F>(kind: HookKind, method: string, fn: F): F {
    this.#recordOnce(method, (state) => state.addHook(kind, fn as (...args: never[]) => unknown, null));
    return fn;
  }

  /** A before-request hook for every request of the app, not only this blueprint's. @example bp.beforeAppRequest(loadUser); */
  beforeAppRequest<F extends BeforeRequestHook>(fn: F): F {
    return this.#appHook('before', 'beforeAppRequest', fn);
  }

  /** An after-request hook for every request of the app. @example bp.afterAppRequest((r) => r); */
  afterAppRequest<F extends AfterRequestHook>(fn: F): F {
    return this.#appHook('after', 'afterAppRequest', fn);
  }

  /** A teardown hook for every request of the app. @example bp.teardownAppRequest(() => pool.release()); */
  teardownAppRequest<F extends TeardownHook>(fn: F): F {
    return this.#appHook('teardown', 'teardownAppRequest', fn);
  }

  /** A URL value preprocessor for every request of the app. @example bp.appUrlValuePreprocessor((endpoint, values) => { delete values.lang; }); */
  appUrlValuePreprocessor<F extends UrlValuePreprocessor>(fn: F): F {
    return this.#appHook('urlValuePreprocessor', 'appUrlValuePreprocessor', fn);
  }

  /** A URL defaults hook for every urlFor of the app. @example bp.appUrlDefaults((endpoint, values) => { values.lang ??= 'en'; }); */
  appUrlDefaults<F extends UrlDefaultsHook>(fn: F): F {
    return this.#appHook('urlDefaults', 'appUrlDefaults', fn);
  }

  /** An error handler for the whole app. @example bp.appErrorHandler(404, () => ['gone', 404]); */
  appErrorHandler<E = unknown>(key: ErrorKey, fn: ErrorHandler<E>): ErrorHandler<E> {
    this.#recordOnce('appErrorHandler', (state) => state.addErrorHandler(key, fn as ErrorHandler, null));
    return fn;
  }

  /**
   * A template filter for the whole app, set when the blueprint is registered (Flask's `app_template_filter` and
   * `add_app_template_filter`). The name defaults to the function's: `bp.appTemplateFilter(reverse)`,
   * `bp.appTemplateFilter('strrev', fn)`, or `@bp.appTemplateFilter` / `@bp.appTemplateFilter('strrev')` on a
   * static method.
   *
   * @example
   * bp.appTemplateFilter(function reverse(s: string) { return [...s].reverse().join(''); }); // {{ name | reverse }}
   */
  readonly appTemplateFilter = templateRegistrar<TemplateFunctionRegistrar>(
    'bp.appTemplateFilter',
    true,
    noGuard,
    (name, fn) => {
      this.#recordOnce('appTemplateFilter', (state) => state.app.templateFilter(name, fn as TemplateFunction));
    },
  );

  /**
   * A template global for the whole app, set when the blueprint is registered: a function (named after itself unless
   * named) or, with a name, any value. The forms of {@link Blueprint.appTemplateFilter}.
   *
   * @example
   * bp.appTemplateGlobal(function answer() { return 42; }); // {{ answer() }}
   */
  readonly appTemplateGlobal = templateRegistrar<TemplateGlobalRegistrar>(
    'bp.appTemplateGlobal',
    false,
    noGuard,
    (name, value) => {
      this.#recordOnce('appTemplateGlobal', (state) => state.app.templateGlobal(name, value));
    },
  );

  /**
   * A template test for the whole app (`{% if n is even %}`), set when the blueprint is registered. The forms of
   * {@link Blueprint.appTemplateFilter}.
   *
   * @example
   * bp.appTemplateTest('even', (n: number) => n % 2 === 0);
   */
  readonly appTemplateTest = templateRegistrar<TemplateFunctionRegistrar<Predicate>>(
    'bp.appTemplateTest',
    true,
    noGuard,
    (name, fn) => {
      this.#recordOnce('appTemplateTest', (state) => state.app.templateTest(name, fn as Predicate));
    },
  );

  /**
   * Adds variables to the templates rendered while handling a request to this blueprint's endpoints (nested
   * blueprints' included); the app's processors run first, so this blueprint's values win. `@bp.contextProcessor`
   * works on a static method.
   *
   * @example
   * admin.contextProcessor(() => ({ section: 'admin' }));
   */
  contextProcessor<F extends ContextProcessor>(fn: F, context?: ClassMethodDecoratorContext): F {
    const processor = context ? bindMethod(fn, context, '@contextProcessor') : fn;
    this.#record('contextProcessor', (state, at) => state.app.templates.addContextProcessor(processor, at.name));
    return fn;
  }

  /**
   * Adds variables to every template of the app, as `app.contextProcessor`, set when the blueprint is registered.
   *
   * @example
   * auth.appContextProcessor(() => ({ user: g.user }));
   */
  appContextProcessor<F extends ContextProcessor>(fn: F, context?: ClassMethodDecoratorContext): F {
    const processor = context ? bindMethod(fn, context, '@appContextProcessor') : fn;
    this.#recordOnce('appContextProcessor', (state) => state.app.contextProcessor(processor));
    return fn;
  }

  /**
   * Nests a blueprint: its endpoints become `parent.child.view` and its prefix joins this one's.
   *
   * @example
   * parent.registerBlueprint(child, { urlPrefix: '/child' });
   */
  registerBlueprint(child: Blueprint, options: BlueprintRegisterOptions = {}): void {
    if (child === this) throw new FlagonError('FLAGON_ERR_BLUEPRINT', 'Cannot register a blueprint on itself');
    this.#record('registerBlueprint', () => undefined);
    this.#children.push([child, options]);
  }

  /** Called by `app.registerBlueprint`: replays everything recorded, then the nested blueprints. */
  register(state: BlueprintSetupState, options: BlueprintRegisterOptions, parent?: Placement): void {
    const own = options.name ?? this.name;
    if (own.includes('.'))
      throw new FlagonError('FLAGON_ERR_BLUEPRINT', `blueprint name '${own}' may not contain a dot`);
    const name = parent ? `${parent.name}.${own}` : own;
    state.claimName(name, this);
    const placement = placementOf(name, !this.#apps.has(state.app), this.options, options, parent);
    this.endSetup({
      target: `the blueprint '${this.name}'`,
      what: 'the blueprint',
      because: 'It has already been registered at least once',
      before: 'registering it',
    });
    this.#apps.add(state.app);
    addStaticRoute(state, placement, this.rootPath, this.options);
    if (this.options.templateFolder) state.addTemplateFolder(join(this.rootPath, this.options.templateFolder));
    for (const deferred of this.#deferred) deferred(state, placement);
    // Flask's rule: an explicit cliGroup (null included) wins, else the group takes the registered name.
    const cliGroup =
      options.cliGroup !== undefined
        ? options.cliGroup
        : this.options.cliGroup !== undefined
          ? this.options.cliGroup
          : name;
    if (!this.cli.isEmpty) state.addCli(cliGroup, this.cli);
    for (const [child, childOptions] of this.#children) child.register(state, childOptions, placement);
  }
}
