/** @module App (layer L3): the Flask-style application object; `app.gatewayApp` is a TSGI app that runs the request lifecycle. */
import { join } from 'node:path';
import type { GatewayApp } from '../gateway/types.js';
import type { ConverterFactory } from '../routing/converters.js';
import { Router } from '../routing/router.js';
import { CookieSessionInterface } from '../sessions/cookie-session.js';
import type { Session } from '../sessions/session.js';
import type { Request } from '../wrappers/request.js';
import { makeAppContext, type AppContext } from './app-context.js';
import { routerOptionsOf, staticFolderOf, staticRoute, type AppOptions } from './app-options.js';
import type { Blueprint } from './blueprint.js';
import type { BlueprintRegisterOptions } from './blueprint-setup.js';
import { AppCli, BUILTIN_COMMANDS } from './cli-commands.js';
import { ConfigStore, requestOptionsOf, type Config } from './config.js';
import { bindMethod, isDecoratorContext } from './decorators.js';
import { Pipeline } from './dispatch.js';
import type { Scope } from './error-handlers.js';
import type {
  AddUrlRuleOptions,
  ErrorHandler,
  ErrorKey,
  HookKind,
  RouteSpec,
  TeardownHook,
  ViewFunction,
} from './handler-types.js';
import { instancePathFor, rootPathOf } from './instance.js';
import { Logger } from './logger.js';
import { buildOpenApi } from './openapi.js';
import type { OpenApiDocument, OpenApiOptions } from './openapi-types.js';
import { AppRegistry } from './registry.js';
import { openRequestSession } from './request-session.js';
import { Scaffold } from './scaffold.js';
import { csrfProtection } from './security.js';
import { APP_SETUP_ENDED } from './setup-guard.js';
import { type AppTemplateMethods, appTemplateRegistrars } from './template-registration.js';
import { AppTemplates } from './templates.js';
import type { SessionInterface } from './types.js';
import { buildUrlFor, type UrlBuildErrorHandler, type UrlForOptions } from './url-for.js';

/**
 * The application: routes, hooks, error handlers and config, and `gatewayApp`, the TSGI app that serves them. Wrap
 * `gatewayApp` with middleware as in Flask (`app.gatewayApp = proxyFix(app.gatewayApp)`).
 *
 * @example
 * export const app = new App(import.meta.url, { config: { SECRET_KEY: 'dev' } });
 * app.get('/', () => 'Hello, World!');
 * app.get('/users/<int:id>', (req) => ({ id: req.params.id }));
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface types the template methods set in the constructor
export class App extends Scaffold {
  readonly name: string;
  /** The folder the app module lives in. */
  readonly rootPath: string;
  /** The instance folder (Flask's `instance_path`), for config with secrets or a SQLite file; never created. */
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

  readonly #registry: AppRegistry;
  /**
   * A URL converter for the rules added after it, Flask's `app.url_map.converters['list'] = ListConverter`. A setup
   * method: add converters before the routes that use them.
   *
   * @example
   * app.addConverter('list', () => ({ regex: '[^/]+', weight: 100, partIsolating: true, toValue: (t) => t.split(','), toUrl: (v) => (v as string[]).join(',') }));
   * app.get('/tags/<list:tags>', (req) => req.params.tags);
   */
  addConverter(name: string, factory: ConverterFactory): void {
    this.assertSetup('addConverter');
    this.router.addConverter(name, factory);
  }

  /** Flask's `subdomain_matching` (see {@link AppOptions.subdomainMatching}); set it before the first request. */
  subdomainMatching: boolean;

  constructor(importMetaUrl: string, options: AppOptions = {}) {
    super();
    this.teardownAppcontext = this.teardownAppcontext.bind(this);
    this.rootPath = rootPathOf(importMetaUrl);
    this.name = options.name ?? (this.rootPath.split(/[\\/]/).pop() || 'app');
    this.instancePath = instancePathFor(this.rootPath, options.instancePath);
    const configRoot = options.instanceRelativeConfig ? this.instancePath : this.rootPath;
    this.config = new ConfigStore(options.config, { rootPath: configRoot }) as Config;
    this.router = new Router(routerOptionsOf(this.config, options));
    this.subdomainMatching = options.subdomainMatching ?? false;
    this.logger = new Logger(this.name, () => this.config.DEBUG);
    this.templates = new AppTemplates(this.config);
    // An async wrapper, so the teardown-appcontext hooks are awaited even after a synchronous command.
    const run = (fn: () => unknown): Promise<unknown> => this.appContext().run(async () => fn());
    this.cli = new AppCli({ owner: 'the app', reserved: BUILTIN_COMMANDS, run });
    this.templates.folders.push(join(this.rootPath, options.templateFolder ?? 'templates'));
    // templateFilter, templateGlobal, templateTest and contextProcessor: functions, so bare decorators work too
    const registrars = appTemplateRegistrars(this.templates, (method) => this.assertSetup(method));
    Object.assign(this, registrars);
    this.#registry = new AppRegistry(this.router, this.config);
    const endSetup = (): void => this.endSetup(APP_SETUP_ENDED);
    const pipeline = new Pipeline(this, this.#registry, requestOptionsOf(this.config), endSetup);
    this.gatewayApp = pipeline.handle.bind(pipeline);
    const found = staticFolderOf(this.rootPath, options);
    this.staticFolder = found?.path ?? null;
    if (found !== null)
      this.addUrlRule(`${found.urlPath}/<path:filename>`, staticRoute(found.path, this.config, options));
  }

  /**
   * Switches on CSRF protection: POST, PUT, PATCH and DELETE need the session's `csrfToken()` (form field `csrf_token`
   * or header `X-CSRF-Token`), else 400; endpoints in `exempt` (a webhook) are skipped.
   * @example app.enableCsrf({ exempt: ['stripe_webhook'] });
   */
  enableCsrf(options: { exempt?: readonly string[] } = {}): void {
    this.beforeRequest(csrfProtection(options.exempt ?? []));
  }

  /** Opens a request's session (see {@link openRequestSession}): a promise for an async store. */
  openSession(request: Request): Session | Promise<Session> {
    return openRequestSession(this, request);
  }

  /** Flask's `app.debug`: the config's DEBUG. @example if (app.debug) app.logger.info('debug mode'); */
  get debug(): boolean {
    return this.config.DEBUG;
  }

  /** Flask's `app.testing`: the config's TESTING. @example if (app.testing) useFakeMailer(); */
  get testing(): boolean {
    return this.config.TESTING;
  }

  /**
   * Registers a rule and its view: every route API ends here. A second, different view for an endpoint is an error.
   *
   * @example
   * app.addUrlRule('/about', { endpoint: 'about', view: () => 'About' });
   */
  addUrlRule(rule: string, options: AddUrlRuleOptions): void {
    this.assertSetup('addUrlRule');
    this.#registry.addUrlRule(rule, options);
  }

  /** Flask's `view_functions`, by endpoint; `app.endpoint()` sets one too, and checks setup. @example app.viewFunctions.set('index', () => 'home'); */
  get viewFunctions(): Map<string, ViewFunction> {
    return this.#registry.views;
  }

  /**
   * The schemas and docs routes gave in their options, by endpoint (a blueprint's under `'bp.endpoint'`); only routes
   * that gave any. Read by the validation and API-document code; change routes through their options instead.
   *
   * @example
   * app.get('/items', { query: pageSchema, summary: 'List items' }, list);
   * app.routeSpecs.get('list')?.docs.summary; // 'List items'
   */
  get routeSpecs(): ReadonlyMap<string, RouteSpec> {
    return this.#registry.routeSpecs;
  }

  protected addView(endpoint: string, view: ViewFunction): void {
    this.assertSetup('endpoint');
    this.#registry.views.set(endpoint, view);
  }

  protected addHook(kind: HookKind, fn: (...args: never[]) => unknown, scope: Scope = null): void {
    this.assertSetup(kind);
    this.#registry.hooks.add(kind, fn, scope);
  }

  protected addErrorHandler(key: ErrorKey, fn: ErrorHandler, scope: Scope = null): void {
    this.assertSetup('errorHandler');
    this.#registry.errorHandlers.add(key, fn, scope);
  }

  /**
   * Registers a blueprint: replays its routes, hooks and error handlers under its name and URL prefix. A second
   * registration of the same blueprint needs another `name`.
   *
   * @example
   * app.registerBlueprint(admin, { urlPrefix: '/admin' });
   */
  registerBlueprint(blueprint: Blueprint, options: BlueprintRegisterOptions = {}): void {
    this.assertSetup('registerBlueprint');
    blueprint.register(this.#registry.blueprintState(this), options);
  }

  /**
   * Builds a URL for an endpoint (see the module function `urlFor`). Inside a request the URL is relative unless
   * `external`; outside, it needs `SERVER_NAME` and is absolute.
   *
   * @example
   * app.urlFor('user', { id: 7 }); // '/users/7' inside a request
   */
  urlFor(endpoint: string, values: Record<string, unknown> = {}, options: UrlForOptions = {}): string {
    return buildUrlFor(this, this.#registry.hooks, endpoint, values, options);
  }

  /**
   * An application context for scripts, commands and tests: `currentApp` and `g` work inside `run`, and the
   * `teardownAppcontext` hooks run when it ends. Give `run` an async function to have async hooks awaited.
   *
   * @example
   * await app.appContext().run(async () => { currentApp.logger.info('migrating'); });
   */
  appContext(): AppContext {
    return makeAppContext(this, this.#registry.appTeardown, this.logger);
  }

  /**
   * The app's OpenAPI 3.1 document (see {@link buildOpenApi}): its rules, their converters, and the schemas and docs
   * the routes gave. Call it after the routes are registered.
   *
   * @example
   * const doc = app.openapi({ info: { title: 'Shop', version: '1.0.0' } });
   * doc.paths['/items/{id}']?.get?.operationId; // 'item'
   */
  openapi(options: OpenApiOptions = {}): OpenApiDocument {
    return buildOpenApi(this, options);
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
    this.assertSetup('teardownAppcontext');
    const hook = isDecoratorContext(context) ? bindMethod(fn, context, '@teardownAppcontext') : fn;
    this.#registry.appTeardown.push(hook as TeardownHook);
    return fn;
  }
}

// The interface merged into the class types the template methods its constructor sets (appTemplateRegistrars).
export interface App extends AppTemplateMethods {}
