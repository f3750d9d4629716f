/** @module App (layer L3): the Flask-style application object; `app.gatewayApp` is a TSGI app that runs the request lifecycle. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPromiseLike } from '../gateway/response.js';
import type { Body, Environ, GatewayApp, StartResponse } from '../gateway/types.js';
import { BadRequest, HTTPError, InternalServerError } from '../http/errors.js';
import { RequestRedirect } from '../routing/errors.js';
import type { ConverterFactory } from '../routing/converters.js';
import { Router } from '../routing/router.js';
import type { Rule } from '../routing/rule.js';
import { Request, type RequestOptions } from '../wrappers/request.js';
import { Response } from '../wrappers/response.js';
import { sendFromDirectory } from '../wrappers/send-file.js';
import type { Blueprint, BlueprintRegisterOptions } from './blueprint.js';
import { CookieSessionInterface } from '../sessions/cookie-session.js';
import { createSession, type Session } from '../sessions/session.js';
import { ConfigStore, type Config } from './config.js';
import type { SessionInterface } from './types.js';
import { makeAppContext, PRESERVE_CONTEXT_KEY, runTeardownHooks, throwCollected, type AppContext } from './app-context.js';
import { AppCli, BUILTIN_COMMANDS } from './cli-commands.js';
import { currentContext, makeContext, runInContext, withSyncContext, type Context } from './context.js';
import { bindMethod, isDecoratorContext } from './decorators.js';
import { FlagonError } from './errors.js';
import { instancePathFor } from './instance.js';
import { ErrorHandlers, trapsHttpError, type Scope } from './error-handlers.js';
import { HookRegistry, type RequestPlan } from './request-plan.js';
import { checkCsrf } from './security.js';
import { AppTemplates, templateRegistration, type ContextProcessor, type TemplateDecorator, type TemplateFunction } from './templates.js';
import { Logger } from './logger.js';
import { errorResponse, makeResponse } from './make-response.js';
import { addRuleOrAlias, missingView } from './endpoint-aliases.js';
import { buildUrlFor, type UrlBuildErrorHandler, type UrlForOptions } from './url-for.js';
import { endpointFromRule, Scaffold, staticUrlPathFor, type AddUrlRuleOptions, type ErrorHandler, type ErrorKey, type HookKind, type TeardownHook, type ViewFunction } from './scaffold.js';

/**
 * Options of `new App(import.meta.url, options)`.
 *
 * @example
 * new App(import.meta.url, { name: 'shop', config: { SECRET_KEY: 'dev' }, staticFolder: 'public' });
 */
export interface AppOptions {
  /** Default: the name of the folder the app module is in. */
  name?: string;
  /** Initial config values, checked against the schema. */
  config?: Record<string, unknown>;
  /** Folder of templates, relative to the app's folder. Default `templates`. */
  templateFolder?: string;
  /** Folder of static files, relative to the app's folder; `null` for none. Default `static` (used when it exists). */
  staticFolder?: string | null;
  /** URL prefix of static files. Default: the static folder's name, as Flask (`/static`; `staticFolder: 'public'` gives `/public`). */
  staticUrlPath?: string;
  /**
   * Serve static files reached through a symlink whose real path leaves `staticFolder`. Default `false`: they are a
   * 404, so a link planted in the folder cannot publish a file from elsewhere (see `sendFromDirectory`).
   */
  staticFollowSymlinks?: boolean;
  /**
   * The instance folder (Flask's `instance_path`), relative to the app's folder or absolute. Default: `instance`
   * beside the app's package, i.e. in the nearest folder up from the app that holds a `package.json`.
   */
  instancePath?: string;
  /** Read relative config file names from the instance folder, not the app's (Flask's `instance_relative_config`). */
  instanceRelativeConfig?: boolean;
  /**
   * Match the request's subdomain against `subdomain` rules, relative to SERVER_NAME (Flask's `subdomain_matching`).
   * Default `false`, as in Flask: every request counts as the bare server name, so rules answer on any host and
   * subdomain rules only build URLs. With `true`, a subdomain rule answers on its subdomain, and a rule without one
   * only on SERVER_NAME itself.
   */
  subdomainMatching?: boolean;
}

/** Request limits that read the config when a Request is made, so a config change applies to the next request. */
function liveRequestOptions(config: Config): RequestOptions {
  return {
    get maxContentLength() { return config.MAX_CONTENT_LENGTH; },
    get maxFormMemorySize() { return config.MAX_FORM_MEMORY_SIZE; },
    get maxFormParts() { return config.MAX_FORM_PARTS; },
    get maxBodyMemorySize() { return config.MAX_BODY_MEMORY_SIZE; },
    get trustedHosts() { return config.TRUSTED_HOSTS; },
    get debug() { return config.DEBUG; },
    get jsonPrototypeKeys() { return config.JSON_PROTOTYPE_KEYS; },
  };
}

/**
 * What the router reads of a request, through getters: it needs the host only for host rules and the rest only to
 * build a redirect, so the common request computes neither. (A class: V8 allocates it far faster than a literal with
 * getters.)
 */
class RequestMatchOptions {
  readonly #request: Request;
  readonly subdomain: string | undefined;
  constructor(request: Request, subdomain: string | undefined) {
    this.#request = request;
    this.subdomain = subdomain;
  }
  get method(): string { return this.#request.method; }
  get host(): string { return this.#request.host; }
  get scheme(): 'http' | 'https' { return this.#request.scheme; }
  get scriptName(): string { return this.#request.scriptRoot; }
  get queryString(): string { return this.#request.environ.QUERY_STRING; }
}

/**
 * The application: routes, hooks, error handlers and config, and `gatewayApp`, the TSGI app that serves them. Wrap
 * `gatewayApp` with middleware as in Flask (`app.gatewayApp = proxyFix(app.gatewayApp)`).
 *
 * @example
 * export const app = new App(import.meta.url, { config: { SECRET_KEY: 'dev' } });
 * app.get('/', () => 'Hello, World!');
 * app.get('/users/<int:id>', (req) => ({ id: req.params.id }));
 */
export class App extends Scaffold {
  readonly name: string;
  /** The folder the app module lives in. */
  readonly rootPath: string;
  /**
   * The instance folder, for files that are neither code nor in version control: config with secrets, a SQLite file.
   * Flagon never creates it. `app.config.fromFile('config.json', { silent: true })` reads from it with
   * `instanceRelativeConfig`.
   */
  readonly instancePath: string;
  readonly config: Config;
  readonly router: Router;
  readonly logger: Logger;
  readonly staticFolder: string | null;
  /** The TSGI app to serve; replace it to add middleware. */
  gatewayApp: GatewayApp;
  /** Template folders, filters, globals, tests and context processors; rendered with nunjucks. */
  readonly templates: AppTemplates;
  /** Custom `flagon` commands, Flask's `app.cli`: `app.cli.command('init-db', initDb)` is `npx flagon init-db`. */
  readonly cli: AppCli;
  /** Flask's `url_build_error_handlers`: tried in order when `urlFor` cannot build a URL. */
  readonly urlBuildErrorHandlers: UrlBuildErrorHandler[] = [];
  /** How sessions are stored: a signed cookie by default; replace before the first request. */
  sessionInterface: SessionInterface = new CookieSessionInterface();

  readonly #views = new Map<string, ViewFunction>();
  readonly #hooks = new HookRegistry();
  readonly #errorHandlers = new ErrorHandlers();
  readonly #autoOptions = new WeakSet<Rule>();
  readonly #blueprintNames = new Map<string, Blueprint>();
  readonly #appTeardown: TeardownHook[] = [];
  readonly #requestOptions: RequestOptions;
  #gotFirstRequest = false;
  /**
   * A URL converter for the rules added after it, Flask's `app.url_map.converters['list'] = ListConverter`. A setup
   * method: add converters before the routes that use them.
   *
   * @example
   * app.addConverter('list', () => ({ regex: '[^/]+', weight: 100, partIsolating: true, toValue: (t) => t.split(','), toUrl: (v) => (v as string[]).join(',') }));
   * app.get('/tags/<list:tags>', (req) => req.params.tags);
   */
  addConverter(name: string, factory: ConverterFactory): void {
    this.#assertSetup('addConverter');
    this.router.addConverter(name, factory);
  }

  /** Flask's `subdomain_matching` (see {@link AppOptions.subdomainMatching}); set it before the first request. */
  subdomainMatching: boolean;

  constructor(importMetaUrl: string, options: AppOptions = {}) {
    super();
    this.contextProcessor = this.contextProcessor.bind(this); // usable as bare decorators
    this.teardownAppcontext = this.teardownAppcontext.bind(this);
    this.rootPath = importMetaUrl.startsWith('file:') ? dirname(fileURLToPath(importMetaUrl)) : process.cwd();
    this.name = options.name ?? (this.rootPath.split(/[\\/]/).pop() || 'app');
    this.instancePath = instancePathFor(this.rootPath, options.instancePath);
    this.config = new ConfigStore(options.config, { rootPath: options.instanceRelativeConfig ? this.instancePath : this.rootPath }) as Config;
    // SERVER_NAME is read when a rule is added; rules without a subdomain belong to the server name itself (Werkzeug's Map).
    this.router = new Router({ serverName: () => this.config.SERVER_NAME, defaultSubdomain: '' });
    this.subdomainMatching = options.subdomainMatching ?? false;
    this.logger = new Logger(this.name, () => this.config.DEBUG);
    this.templates = new AppTemplates(this.config);
    // An async wrapper, so the teardown-appcontext hooks are awaited even after a synchronous command.
    this.cli = new AppCli({ owner: 'the app', reserved: BUILTIN_COMMANDS, run: (fn) => this.appContext().run(async () => fn()) });
    this.templates.folders.push(join(this.rootPath, options.templateFolder ?? 'templates'));
    this.gatewayApp = (environ, startResponse) => this.#handle(environ, startResponse);
    this.#requestOptions = liveRequestOptions(this.config);
    const folder = options.staticFolder === undefined ? 'static' : options.staticFolder;
    const path = folder === null ? null : join(this.rootPath, folder);
    this.staticFolder = path !== null && existsSync(path) && statSync(path).isDirectory() ? path : null;
    if (this.staticFolder !== null) {
      const root = this.staticFolder;
      const followSymlinks = options.staticFollowSymlinks ?? false;
      this.addUrlRule(`${(options.staticUrlPath ?? staticUrlPathFor(folder!)).replace(/\/$/, '')}/<path:filename>`, {
        endpoint: 'static',
        view: (req) => sendFromDirectory(root, String(req.params.filename), { request: req, maxAge: this.config.SEND_FILE_MAX_AGE_DEFAULT, followSymlinks }),
      });
    }
  }

  /**
   * A template filter, Flask's `template_filter` / `add_template_filter`: `app.templateFilter('shout', fn)`, or
   * `app.templateFilter(fn)` named after the function, or `@app.templateFilter` / `@app.templateFilter('shout')` on a
   * static method. Use it as `{{ name | shout }}`.
   *
   * @example
   * app.templateFilter('shout', (s: string) => s.toUpperCase());
   * app.templateFilter(function reverse(s: string) { return [...s].reverse().join(''); });
   */
  templateFilter<F extends TemplateFunction>(fn: F): F;
  templateFilter<F extends TemplateFunction>(name: string, fn: F): F;
  templateFilter(name?: string): TemplateDecorator;
  templateFilter<This>(method: (this: This, ...args: never[]) => unknown, context: ClassMethodDecoratorContext<This>): void;
  templateFilter(...args: unknown[]): unknown {
    this.#assertSetup('templateFilter');
    return templateRegistration('templateFilter', args, true, (name, fn) => this.templates.addFilter(name, fn as TemplateFunction));
  }

  /**
   * A template global: with a name, any value; a function alone is named after itself. The forms of
   * {@link App.templateFilter}.
   *
   * @example
   * app.templateGlobal('siteName', 'Flagon');
   * app.templateGlobal(function year() { return new Date().getFullYear(); }); // {{ year() }}
   */
  templateGlobal<F extends TemplateFunction>(fn: F): F;
  templateGlobal<T>(name: string, value: T): T;
  templateGlobal(name?: string): TemplateDecorator;
  templateGlobal<This>(method: (this: This, ...args: never[]) => unknown, context: ClassMethodDecoratorContext<This>): void;
  templateGlobal(...args: unknown[]): unknown {
    this.#assertSetup('templateGlobal');
    return templateRegistration('templateGlobal', args, false, (name, value) => this.templates.addGlobal(name, value));
  }

  /**
   * A template test for `{% if n is even %}`. The forms of {@link App.templateFilter}.
   *
   * @example
   * app.templateTest('even', (n: number) => n % 2 === 0);
   */
  templateTest<F extends (...args: never[]) => boolean>(fn: F): F;
  templateTest<F extends (...args: never[]) => boolean>(name: string, fn: F): F;
  templateTest(name?: string): TemplateDecorator<(...args: never[]) => boolean>;
  templateTest<This>(method: (this: This, ...args: never[]) => boolean, context: ClassMethodDecoratorContext<This>): void;
  templateTest(...args: unknown[]): unknown {
    this.#assertSetup('templateTest');
    return templateRegistration('templateTest', args, true, (name, fn) => this.templates.addTest(name, fn as (...args: never[]) => boolean));
  }

  /** Adds variables to every template context; explicit render arguments win. @example app.contextProcessor(() => ({ year: 2026 })); */
  contextProcessor<F extends ContextProcessor>(fn: F, context?: ClassMethodDecoratorContext): F {
    this.#assertSetup('contextProcessor');
    this.templates.addContextProcessor(context ? bindMethod(fn, context, '@contextProcessor') : fn);
    return fn;
  }

  /**
   * Switches on CSRF protection: POST, PUT, PATCH and DELETE need the session's `csrfToken()` (form field
   * `csrf_token` or header `X-CSRF-Token`), else 400. Endpoints in `exempt` (e.g. a webhook) are skipped.
   *
   * @example
   * app.enableCsrf({ exempt: ['stripe_webhook'] });
   */
  enableCsrf(options: { exempt?: readonly string[] } = {}): void {
    const exempt = new Set(options.exempt ?? []);
    this.beforeRequest(async function csrfProtect(req) {
      const endpoint = currentContext()?.match?.endpoint;
      if (endpoint !== undefined && exempt.has(endpoint)) return;
      await checkCsrf(req, currentContext()!.session._csrf_token);
    });
  }

  /** Opens a request's session through `sessionInterface`; without a SECRET_KEY, a null session that refuses writes. */
  openSession(request: Request): Session {
    return this.sessionInterface.openSession(this, request) ?? createSession({}, true);
  }

  get debug(): boolean {
    return this.config.DEBUG;
  }

  get testing(): boolean {
    return this.config.TESTING;
  }

  /** Flask's setup guard: after the first request, the app's shape is fixed. */
  #assertSetup(method: string): void {
    if (!this.#gotFirstRequest) return;
    throw new FlagonError('FLAGON_ERR_SETUP_FINISHED', `The setup method '${method}' can no longer be called on the app. It has already handled its first request, any changes will not be applied consistently. Make sure all imports, decorators, functions, etc. needed to set up the application are done before running it.`);
  }

  /**
   * Registers a rule and its view: every route API ends here. A second, different view for an endpoint is an error.
   *
   * @example
   * app.addUrlRule('/about', { endpoint: 'about', view: () => 'About' });
   */
  addUrlRule(rule: string, options: AddUrlRuleOptions): void {
    this.#assertSetup('addUrlRule');
    const viewMethods = (options.view as { methods?: readonly string[] } | undefined)?.methods;
    const methods = [...new Set((options.methods ?? viewMethods ?? ['GET']).map((m) => m.toUpperCase()))];
    const endpoint = options.endpoint ?? (options.view?.name || endpointFromRule(rule, methods));
    const view = options.view;
    if (view) {
      const existing = this.#views.get(endpoint);
      if (existing && existing !== view) {
        throw new FlagonError('FLAGON_ERR_ENDPOINT_CONFLICT', `View function mapping is overwriting an existing endpoint function: '${endpoint}' is taken by ${existing.name || 'an anonymous function'} and would be taken by ${view.name || 'an anonymous function'}. Give one of them another endpoint: { endpoint: '…' }.`);
      }
      this.#views.set(endpoint, view);
    }
    const viewAutomatic = (view as { provideAutomaticOptions?: boolean | null } | undefined)?.provideAutomaticOptions; // a class view's
    // Flask's rule: asked for explicitly, the App answers OPTIONS even when the methods list it; by default only when not.
    const automatic = options.provideAutomaticOptions ?? viewAutomatic ?? (this.config.PROVIDE_AUTOMATIC_OPTIONS && !methods.includes('OPTIONS'));
    const added = addRuleOrAlias(this.router, rule, view !== undefined, {
      endpoint,
      methods,
      automaticOptions: automatic,
      defaults: options.defaults,
      strictSlashes: options.strictSlashes,
      host: options.host,
      subdomain: options.subdomain,
    });
    if (automatic) this.#autoOptions.add(added);
  }

  /** Flask's `view_functions`, by endpoint; `app.endpoint()` sets one too, and checks setup. @example app.viewFunctions.set('index', () => 'home'); */
  get viewFunctions(): Map<string, ViewFunction> { return this.#views; }

  protected addView(endpoint: string, view: ViewFunction): void {
    this.#assertSetup('endpoint');
    this.#views.set(endpoint, view);
  }

  protected addHook(kind: HookKind, fn: (...args: never[]) => unknown, scope: Scope = null): void {
    this.#assertSetup(kind);
    this.#hooks.add(kind, fn, scope);
  }

  protected addErrorHandler(key: ErrorKey, fn: ErrorHandler, scope: Scope = null): void {
    this.#assertSetup('errorHandler');
    this.#errorHandlers.add(key, fn, scope);
  }

  /** `''` without subdomain matching: every request counts as the bare server name (Flask's default). */
  #subdomain(): '' | undefined {
    return this.subdomainMatching ? undefined : '';
  }

  #hooksFor(kind: HookKind, scope: Scope): readonly ((...args: never[]) => unknown)[] {
    return this.#hooks.for(kind, scope);
  }

  /** Blueprint names of the current endpoint, innermost first ('a.b.view' → ['a.b', 'a']). */
  #blueprints(context: Context): readonly string[] {
    return this.#hooks.blueprintsOf(context.match?.endpoint);
  }

  /** Which phases a request to this endpoint goes through (see {@link HookRegistry.plan}). */
  #plan(context: Context): RequestPlan {
    const endpoint = context.match?.endpoint ?? null;
    return this.#hooks.plan(endpoint, this.#views, this.#appTeardown.length > 0);
  }

  #findErrorHandler(context: Context, error: unknown): ErrorHandler | undefined {
    return this.#errorHandlers.find(error, [...this.#blueprints(context), null]);
  }

  /**
   * The request lifecycle, as Flask's `wsgi_app`. It stays synchronous until something returns a promise: on Node 20
   * every promise pays for AsyncLocalStorage's hooks, so a sync view with no hooks costs no promise at all.
   */
  #handle(environ: Environ, startResponse: StartResponse): Body | Promise<Body> {
    this.#gotFirstRequest = true;
    const context = makeContext(this, new Request(environ, this.#requestOptions));
    const preserve = environ[PRESERVE_CONTEXT_KEY]; // only a test client inside client.context() sets it
    if (preserve !== undefined) (preserve as (context: Context) => void)(context);
    // Converters may read `request` and `session`, as Flask pushes the context before matching (synchronous: cheap).
    withSyncContext(context, () => this.#matchRequest(context));
    const plan = this.#plan(context);
    // A plain view with no hooks cannot `await` user code: it runs with a synchronous context, without paying for
    // AsyncLocalStorage. Everything that may go async (async views, hooks, error handlers, streams) gets the real one.
    const run = plan.asyncContext ? runInContext : withSyncContext;
    return run(context, () => {
      let response: Response | Promise<Response>;
      try {
        response = this.#fullDispatch(context, plan);
      } catch (error) {
        return runInContext(context, () => this.#recover(context, error, environ, startResponse));
      }
      if (response instanceof Response) return this.#body(context, response, environ, startResponse, null);
      return response.then(
        (ready) => this.#body(context, ready, environ, startResponse, null),
        (error: unknown) => runInContext(context, () => this.#recover(context, error, environ, startResponse)),
      );
    });
  }

  /** After an error escaped the dispatch: the 500 path, or teardown and rethrow when errors propagate. */
  async #recover(context: Context, error: unknown, environ: Environ, startResponse: StartResponse): Promise<Body> {
    let response: Response;
    try {
      response = await this.#handleException(context, error);
    } catch (propagated) {
      await context.request!.close();
      await this.#teardown(context, propagated);
      throw propagated;
    }
    return this.#body(context, response, environ, startResponse, error);
  }

  #matchRequest(context: Context): void {
    const request = context.request!;
    try {
      if (this.config.TRUSTED_HOSTS && request.host === '') {
        throw new BadRequest(`The host '${request.environ.HTTP_HOST ?? ''}' is not in TRUSTED_HOSTS.`);
      }
      // An empty PATH_INFO (an app mounted at /approot, asked for /approot) must reach the router as '', which
      // redirects to /approot/ as Werkzeug does; request.path would already say '/'.
      const path = request.environ.PATH_INFO === '' ? '' : request.path;
      context.match = this.router.match(path, new RequestMatchOptions(request, this.#subdomain()));
      request.params = context.match.params;
      request.urlRule = context.match.rule;
    } catch (error) {
      context.routingError = error; // raised at dispatch, after the before-hooks, as Flask does
      if (error instanceof HTTPError) request.routingException = error;
    }
  }

  #fullDispatch(context: Context, plan: RequestPlan): Response | Promise<Response> {
    if (plan.before) return this.#fullDispatchAsync(context);
    let rv: unknown;
    try {
      rv = this.#dispatch(context);
    } catch (error) {
      return this.#recoverInView(context, error);
    }
    if (isPromiseLike(rv)) return Promise.resolve(rv).then((value) => this.#finalize(context, value, false), (error: unknown) => this.#recoverInView(context, error));
    return this.#finalize(context, rv, false);
  }

  /** An error raised by the view: its error handler's answer, finalized like a view's. */
  #recoverInView(context: Context, error: unknown): Promise<Response> {
    return runInContext(context, () => this.#handleUserException(context, error).then((handled) => this.#finalize(context, handled, false)));
  }

  async #fullDispatchAsync(context: Context): Promise<Response> {
    let rv: unknown;
    try {
      rv = await this.#preprocess(context);
      if (rv === undefined) rv = await this.#dispatch(context);
    } catch (error) {
      rv = await this.#handleUserException(context, error);
    }
    return this.#finalize(context, rv, false);
  }

  async #preprocess(context: Context): Promise<unknown> {
    const scopes: Scope[] = [null, ...[...this.#blueprints(context)].reverse()];
    const endpoint = context.match?.endpoint ?? null;
    for (const scope of scopes) {
      for (const fn of this.#hooksFor('urlValuePreprocessor', scope)) (fn as (e: string | null, v: Record<string, unknown>) => void)(endpoint, context.request!.params as Record<string, unknown>);
    }
    for (const scope of scopes) {
      for (const fn of this.#hooksFor('before', scope)) {
        const rv = await (fn as (req: Request) => unknown)(context.request!);
        if (rv !== undefined && rv !== null) return rv;
      }
    }
    return undefined;
  }

  #dispatch(context: Context): unknown {
    if (context.routingError !== null) throw context.routingError;
    const { rule, endpoint } = context.match!;
    const request = context.request!;
    if (request.method === 'OPTIONS' && this.#autoOptions.has(rule)) {
      const response = new Response();
      response.headers.set('Allow', this.router.allowedMethods(request.path, { host: request.host, subdomain: this.#subdomain() }).join(', '));
      return response;
    }
    const view = this.#views.get(endpoint);
    if (!view) throw missingView(endpoint, rule.rule);
    return view(request);
  }

  /** Return value → Response → after-hooks. Synchronous unless a TSGI app was returned or a hook is async. */
  #finalize(context: Context, rv: unknown, fromErrorHandler: boolean): Response | Promise<Response> {
    const made = makeResponse(rv, context.match?.endpoint ?? '<no endpoint>', context.request!.environ);
    if (!(made instanceof Response)) return made.then((response) => this.#processResponse(context, response, fromErrorHandler));
    return this.#processResponse(context, made, fromErrorHandler);
  }

  #processResponse(context: Context, response: Response, fromErrorHandler: boolean): Response | Promise<Response> {
    response.maxCookieSize = this.config.MAX_COOKIE_SIZE; // Flask's Response.max_cookie_size reads the app's config
    if (!context.hasAfterThisRequest && !this.#plan(context).after) return this.#saveSession(context, response, fromErrorHandler);
    return runInContext(context, () => this.#processResponseAsync(context, response, fromErrorHandler)).then((processed) => this.#saveSession(context, processed, fromErrorHandler));
  }

  /**
   * Saves the session after the after-request hooks, as Flask's process_response. Flagon opens a session on first use,
   * where Flask opens it for every request; so a request that never touched it but carries the session cookie opens
   * it here when SESSION_REFRESH_EACH_REQUEST is on, and a permanent session gets its fresh expiry, as in Flask.
   */
  #saveSession(context: Context, response: Response, fromErrorHandler: boolean): Response | Promise<Response> {
    let opened = context.openedSession;
    if (opened === null && this.config.SESSION_REFRESH_EACH_REQUEST && this.#carriesSessionCookie(context.request!)) opened = context.session;
    if (opened === null || opened.isNull) return response;
    let saved: unknown;
    try {
      saved = this.sessionInterface.saveSession(this, opened, response);
    } catch (error) {
      return this.#finalizingFailed(response, error, fromErrorHandler);
    }
    if (!isPromiseLike(saved)) return response;
    return Promise.resolve(saved).then(() => response, (error: unknown) => this.#finalizingFailed(response, error, fromErrorHandler));
  }

  #carriesSessionCookie(request: Request): boolean {
    const name = this.config.SESSION_COOKIE_NAME;
    // A substring test first: most requests have no Cookie header, or not this cookie, and need no parsing.
    return request.environ.HTTP_COOKIE?.includes(name) === true && request.cookies[name] !== undefined;
  }

  /**
   * An after-hook or the session save failed. For a view's answer, the error goes on to the 500 path, and the answer's
   * body (a file, a stream) is released now, since nothing will send it. For the error page itself, as in Flask, the
   * failure is logged and the page sent as it is.
   */
  #finalizingFailed(response: Response, error: unknown, fromErrorHandler: boolean): Response {
    if (!fromErrorHandler) {
      response.close();
      throw error;
    }
    this.logger.error('Request finalizing failed with an error while handling an error', error);
    return response;
  }

  async #processResponseAsync(context: Context, response: Response, fromErrorHandler: boolean): Promise<Response> {
    try {
      for (const fn of context.afterThisRequest) response = (await fn(response)) ?? response;
      for (const scope of [...this.#blueprints(context), null]) {
        const hooks = this.#hooksFor('after', scope);
        for (let i = hooks.length - 1; i >= 0; i--) response = (await (hooks[i] as (r: Response) => Response | void | Promise<Response | void>)(response)) ?? response;
      }
    } catch (error) {
      return this.#finalizingFailed(response, error, fromErrorHandler);
    }
    return response;
  }

  async #handleUserException(context: Context, error: unknown): Promise<unknown> {
    // A trapped HTTPError is handled as Flask handles any exception: by a handler registered for it, else rethrown.
    const answered = error instanceof HTTPError && !trapsHttpError(this.config, error);
    if (answered && error instanceof RequestRedirect) return errorResponse(error); // routing redirects skip the handlers, as in Flask
    const handler = this.#findErrorHandler(context, error);
    if (handler) return handler(error);
    if (answered) return error;
    throw error;
  }

  async #handleException(context: Context, error: unknown): Promise<Response> {
    const propagate = this.config.PROPAGATE_EXCEPTIONS ?? (this.config.TESTING || this.config.DEBUG);
    if (propagate) throw error;
    const request = context.request!;
    this.logger.error(`Exception on ${request.path} [${request.method}]`, error);
    const serverError = new InternalServerError(undefined, { cause: error });
    const handler = this.#findErrorHandler(context, serverError);
    return this.#finalize(context, handler ? await handler(serverError) : serverError, true);
  }

  /**
   * Teardown-request hooks, innermost scope first, each list last-registered first; then the teardown-appcontext
   * hooks, as Flask pops the app context after the request's. All run; errors are collected.
   */
  async #teardown(context: Context, error: unknown): Promise<void> {
    const errors: unknown[] = [];
    await runInContext(context, async () => {
      for (const scope of [...this.#blueprints(context), null]) {
        await runTeardownHooks(this.#hooksFor('teardown', scope) as readonly TeardownHook[], error, errors);
      }
      await runTeardownHooks(this.#appTeardown, error, errors);
    });
    throwCollected(errors, 'teardown hooks');
  }

  /**
   * The body the server gets: every chunk of a streamed body is produced inside the request's context (so `request`
   * and `g` work in generators), and `close()` runs the teardown hooks after the response's own close.
   */
  #body(context: Context, response: Response, environ: Environ, startResponse: StartResponse, failure: unknown): Body {
    const body = response.gatewayApp(environ, startResponse) as Body;
    const teardown = this.#plan(context).teardown;
    const request = context.request!;
    if (Array.isArray(body) && !teardown && !request.needsClose) return body;
    // The body's own close, taken before anything is wrapped: the close handed to the server calls it once.
    const own = (body as { close?: () => void | Promise<void> }).close;
    const ownClose = typeof own === 'function' ? own.bind(body) : undefined;
    const close = teardown || request.needsClose
      ? async (): Promise<void> => {
        try {
          await ownClose?.();
        } finally {
          await request.close(); // uploaded files' temp files go, whatever happened
          if (teardown) await this.#teardown(context, failure);
        }
      }
      : () => ownClose?.();
    if (Array.isArray(body)) return Object.assign([...(body as Uint8Array[])], { close });
    if (Symbol.asyncIterator in body) {
      return {
        [Symbol.asyncIterator]() {
          const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
          return {
            next: () => runInContext(context, () => iterator.next()),
            return: async () => (await runInContext(context, async () => iterator.return?.())) ?? { done: true, value: undefined },
          };
        },
        close,
      };
    }
    // A sync iterable (a Response subclass's own body, say): wrapped like the async one, never changed in place.
    return {
      [Symbol.iterator]() {
        const iterator = (body as Iterable<Uint8Array>)[Symbol.iterator]();
        return {
          next: () => runInContext(context, () => iterator.next()),
          return: (value?: unknown) => runInContext(context, () => iterator.return?.(value) ?? { done: true as const, value: undefined }),
        };
      },
      close,
    } as Body;
  }

  /**
   * Registers a blueprint: replays its routes, hooks and error handlers under its name and URL prefix. A second
   * registration of the same blueprint needs another `name`.
   *
   * @example
   * app.registerBlueprint(admin, { urlPrefix: '/admin' });
   */
  registerBlueprint(blueprint: Blueprint, options: BlueprintRegisterOptions = {}): void {
    this.#assertSetup('registerBlueprint');
    blueprint.register({
      app: this,
      addUrlRule: (rule, ruleOptions) => this.addUrlRule(rule, ruleOptions),
      addHook: (kind, fn, scope) => this.addHook(kind, fn, scope),
      addErrorHandler: (key, fn, scope) => this.addErrorHandler(key, fn, scope),
      addTemplateFolder: (folder) => { if (!this.templates.folders.includes(folder)) this.templates.folders.push(folder); },
      addCli: (group, cli) => (group === null ? this.cli.merge(cli) : this.cli.addGroup(group, cli)),
      claimName: (name, owner) => {
        const existing = this.#blueprintNames.get(name);
        if (existing === owner) throw new FlagonError('FLAGON_ERR_BLUEPRINT', `The name '${name}' is already registered for this blueprint. Use { name: '…' } to provide a unique name.`);
        if (existing) throw new FlagonError('FLAGON_ERR_BLUEPRINT', `The name '${name}' is already registered for a different blueprint. Use { name: '…' } to provide a unique name.`);
        this.#blueprintNames.set(name, owner);
      },
    }, options);
  }

  /**
   * Builds a URL for an endpoint (see the module function `urlFor`). Inside a request the URL is relative unless
   * `external`; outside, it needs `SERVER_NAME` and is absolute.
   *
   * @example
   * app.urlFor('user', { id: 7 }); // '/users/7' inside a request
   */
  urlFor(endpoint: string, values: Record<string, unknown> = {}, options: UrlForOptions = {}): string {
    const context = currentContext();
    const request = context?.app === this ? context.request : null;
    const blueprint = context ? this.#blueprints(context)[0] : undefined;
    return buildUrlFor({ router: this.router, config: this.config, hooks: this.#hooks, handlers: this.urlBuildErrorHandlers, request, blueprint, subdomain: this.#subdomain() }, endpoint, values, options);
  }

  /**
   * An application context for scripts, commands and tests: `currentApp` and `g` work inside `run`, and the
   * `teardownAppcontext` hooks run when it ends. Give `run` an async function to have async hooks awaited.
   *
   * @example
   * await app.appContext().run(async () => { currentApp.logger.info('migrating'); });
   */
  appContext(): AppContext {
    return makeAppContext(this, this.#appTeardown, (error) => this.logger.error('A teardown-appcontext hook failed after the app context had failed', error));
  }

  /**
   * Runs when an app context ends, with the error that ended it or `null`: after every `appContext().run(fn)`, every
   * `flagon` command, and every request (after its teardown-request hooks), last registered first. The place to
   * close what `g` opened. A setup method; `@app.teardownAppcontext` on a static method works too.
   *
   * @example
   * app.teardownAppcontext(async () => { await (g.db as Database | undefined)?.close(); });
   */
  teardownAppcontext<F extends TeardownHook>(fn: F, context?: ClassMethodDecoratorContext): F {
    this.#assertSetup('teardownAppcontext');
    this.#appTeardown.push(isDecoratorContext(context) ? bindMethod(fn, context, '@teardownAppcontext') as TeardownHook : fn);
    return fn;
  }
}
