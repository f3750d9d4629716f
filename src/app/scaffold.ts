/** @module Scaffold (layer L3): the registration API App and Blueprint share; builder calls and decorators both end in addUrlRule or one hook registry. */
import type { FileHandle } from 'node:fs/promises';
import type { HTTPError, InternalServerError } from '../http/errors.js';
import type { Request } from '../wrappers/request.js';
import { blameCaller } from './caller-stack.js';
import { bindMethod, isDecoratorContext, markClass } from './decorators.js';
import { endpointFromRule } from './default-names.js';
import { openResourceIn, type ResourceMode } from './resources.js';
import { notARule, shortcut } from './route-methods.js';
import { type SetupEnded, setupFinished } from './setup-guard.js';
import type { AnyView } from './route-methods.js';
import type {
  AddUrlRuleOptions,
  AfterRequestHook,
  BeforeRequestHook,
  EndpointDecorator,
  ErrorHandler,
  ErrorKey,
  Handler,
  HookKind,
  MethodRouteOptions,
  RouteDecorator,
  RouteOptions,
  TeardownHook,
  UrlDefaultsHook,
  UrlValuePreprocessor,
  ViewFunction,
} from './handler-types.js';

/** Route options without schemas: the default, so `req.valid` is `unknown` there. */
type NoSchemas = Record<never, never>;
/** What `get()`, `post()`… take as options: a route's, without `methods` (the method is in the name). */
type MethodOptions = MethodRouteOptions & { methods?: never };

/**
 * The registration methods App and Blueprint share. Each accepts the builder form (`app.get(rule, handler)`) and the
 * decorator form (`@app.get(rule)` on a method); both call the same `addUrlRule` or `addHook`, so there is one path.
 *
 * @example
 * app.get('/', () => 'Hello, World!');
 * class Pages { @app.get('/about') static about() { return 'About'; } }
 */
export abstract class Scaffold {
  constructor() {
    // A bare decorator (`@app.beforeRequest`, no parentheses) is called with `this` undefined (TC39 decorators), so the
    // methods used that way are bound to their instance.
    this.beforeRequest = this.beforeRequest.bind(this);
    this.afterRequest = this.afterRequest.bind(this);
    this.teardownRequest = this.teardownRequest.bind(this);
    this.urlValuePreprocessor = this.urlValuePreprocessor.bind(this);
    this.urlDefaults = this.urlDefaults.bind(this);
    this.routes = this.routes.bind(this);
  }

  #setupEnded: SetupEnded | null = null;

  /** Whether setup has ended (the app handled a request; the blueprint was registered). */
  protected get setupEnded(): boolean {
    return this.#setupEnded !== null;
  }

  /** Ends setup: every setup method throws from now on. Called once by the App's first request or a registration. */
  protected endSetup(ended: SetupEnded): void {
    this.#setupEnded ??= ended;
  }

  /**
   * The one setup guard, Flask's `@setupmethod`: after setup ended, a setup method throws an error that names the fix,
   * since a change now would reach some requests (or some registrations) and not others.
   */
  protected assertSetup(method: string): void {
    if (this.#setupEnded !== null) throw setupFinished(method, this.#setupEnded);
  }

  /** The folder the module that made this app or blueprint lives in. */
  abstract readonly rootPath: string;

  /**
   * Flask's `open_resource`: a file relative to {@link rootPath}, opened for reading (a mode that writes throws).
   * Read it as text with `readFile('utf8')` (or another encoding), as bytes with `readFile()`; close it, or let
   * `await using` do it.
   *
   * @example
   * await using schema = await app.openResource('schema.sql');
   * db.exec(await schema.readFile('utf8'));
   */
  openResource(resource: string, mode: ResourceMode = 'rb'): Promise<FileHandle> {
    return openResourceIn(this.rootPath, resource, mode);
  }

  /** Registers a rule; the one way routes get in. */
  abstract addUrlRule(rule: string, options: AddUrlRuleOptions): void;
  /** Registers a hook for this scaffold's scope. */
  protected abstract addHook(kind: HookKind, fn: (...args: never[]) => unknown): void;
  /** Registers an error handler for this scaffold's scope. */
  protected abstract addErrorHandler(key: ErrorKey, fn: ErrorHandler): void;
  /** Sets the view of an endpoint, for `endpoint()`. */
  protected abstract addView(endpoint: string, view: ViewFunction): void;

  /**
   * Flask's `endpoint`: the view of an endpoint whose rule was added without one (`addUrlRule('/', { endpoint:
   * 'index' })`). `endpoint(name, view)` registers; `endpoint(name)` returns a decorator for a function or a method.
   * As in Flask, it replaces any view the endpoint had, and on a blueprint `name` is the full endpoint (`'bp.page'`).
   *
   * @example
   * app.addUrlRule('/', { endpoint: 'index' });
   * app.endpoint('index', () => 'home');
   */
  endpoint<F extends Handler>(name: string, view: F): F;
  endpoint(name: string): EndpointDecorator;
  endpoint(name: string, view?: Handler): Handler | EndpointDecorator {
    if (view) {
      this.addView(name, view as ViewFunction);
      return view;
    }
    return ((value: ViewFunction, context?: unknown) => {
      this.addView(name, isDecoratorContext(context) ? bindMethod(value, context, `@endpoint('${name}')`) : value);
      return isDecoratorContext(context) ? undefined : value;
    }) as EndpointDecorator;
  }

  /**
   * `route(rule, options, handler)` registers; `route(rule, options?)` returns a method decorator. Schemas in the
   * options (`query`, `body`, `response`…) type `req.valid` and the view's return value.
   *
   * @example
   * app.route('/login', { methods: ['GET', 'POST'] }, async (req) => 'form');
   */
  route<R extends string, S extends RouteOptions = NoSchemas>(
    rule: R,
    options: S,
    handler: Handler<R, S>,
  ): Handler<R, S>;
  route<R extends string, S extends RouteOptions = NoSchemas>(rule: R, options?: S): RouteDecorator<R, S>;
  route(rule: string, options: RouteOptions = {}, handler?: AnyView): unknown {
    if (typeof rule !== 'string') throw notARule('route', rule, options);
    if (handler) {
      this.#register(rule, options, handler as ViewFunction, handler.name);
      return handler;
    }
    return (value: AnyView, context: ClassMethodDecoratorContext) => {
      const bound = bindMethod(value as (req: Request) => unknown, context, `@route('${rule}')`);
      this.#register(rule, options, bound, String(context.name));
    };
  }

  #register(rule: string, options: RouteOptions, view: ViewFunction, name: string): void {
    const methods = options.methods ?? ['GET'];
    const endpoint = options.endpoint ?? (name || endpointFromRule(rule, methods));
    blameCaller(() => this.addUrlRule(rule, { ...options, methods, endpoint, view }));
  }

  /**
   * A GET route (HEAD and OPTIONS come with it). With a handler it registers; without, it is a method decorator.
   * Schemas in the options validate the request before the view and type `req.valid` (docs/validation.md).
   *
   * @example
   * app.get('/users/<int:id>', (req) => ({ id: req.params.id }));
   * app.get('/items', { query: z.object({ page: z.number().int().default(1) }) }, (req) => ({ page: req.valid.query.page }));
   */
  get<R extends string>(rule: R, handler: Handler<R>): Handler<R>;
  get<R extends string, S extends MethodOptions = NoSchemas>(
    rule: R,
    options: S,
    handler: Handler<R, S>,
  ): Handler<R, S>;
  get<R extends string, S extends MethodOptions = NoSchemas>(rule: R, options?: S): RouteDecorator<R, S>;
  get(rule: string, a?: MethodRouteOptions | AnyView, b?: AnyView): unknown {
    return shortcut(this, 'GET', rule, a, b);
  }

  /** A POST route. @example app.post('/items', async (req) => [await req.json() as object, 201]); */
  post<R extends string>(rule: R, handler: Handler<R>): Handler<R>;
  post<R extends string, S extends MethodOptions = NoSchemas>(
    rule: R,
    options: S,
    handler: Handler<R, S>,
  ): Handler<R, S>;
  post<R extends string, S extends MethodOptions = NoSchemas>(rule: R, options?: S): RouteDecorator<R, S>;
  post(rule: string, a?: MethodRouteOptions | AnyView, b?: AnyView): unknown {
    return shortcut(this, 'POST', rule, a, b);
  }

  /** A PUT route. @example app.put('/items/<int:id>', (req) => ({ replaced: req.params.id })); */
  put<R extends string>(rule: R, handler: Handler<R>): Handler<R>;
  put<R extends string, S extends MethodOptions = NoSchemas>(
    rule: R,
    options: S,
    handler: Handler<R, S>,
  ): Handler<R, S>;
  put<R extends string, S extends MethodOptions = NoSchemas>(rule: R, options?: S): RouteDecorator<R, S>;
  put(rule: string, a?: MethodRouteOptions | AnyView, b?: AnyView): unknown {
    return shortcut(this, 'PUT', rule, a, b);
  }

  /** A PATCH route. @example app.patch('/items/<int:id>', (req) => ({ patched: req.params.id })); */
  patch<R extends string>(rule: R, handler: Handler<R>): Handler<R>;
  patch<R extends string, S extends MethodOptions = NoSchemas>(
    rule: R,
    options: S,
    handler: Handler<R, S>,
  ): Handler<R, S>;
  patch<R extends string, S extends MethodOptions = NoSchemas>(rule: R, options?: S): RouteDecorator<R, S>;
  patch(rule: string, a?: MethodRouteOptions | AnyView, b?: AnyView): unknown {
    return shortcut(this, 'PATCH', rule, a, b);
  }

  /** A DELETE route. @example app.delete('/items/<int:id>', () => ['', 204]); */
  delete<R extends string>(rule: R, handler: Handler<R>): Handler<R>;
  delete<R extends string, S extends MethodOptions = NoSchemas>(
    rule: R,
    options: S,
    handler: Handler<R, S>,
  ): Handler<R, S>;
  delete<R extends string, S extends MethodOptions = NoSchemas>(rule: R, options?: S): RouteDecorator<R, S>;
  delete(rule: string, a?: MethodRouteOptions | AnyView, b?: AnyView): unknown {
    return shortcut(this, 'DELETE', rule, a, b);
  }

  /**
   * `@app.routes` on a class: lets its decorated instance methods run (one instance, created on first use).
   *
   * @example
   * @app.routes
   * class Contact { @app.post('/contact') send(req: Request) { return ['thanks', 201]; } }
   */
  routes<C extends new () => object>(cls: C, context: ClassDecoratorContext<C>): void {
    markClass(cls, context);
  }

  #hook<F extends (...args: never[]) => unknown>(kind: HookKind, fn: F, context: unknown, where: string): F | void {
    const bound = isDecoratorContext(context) ? bindMethod(fn, context, where) : fn;
    this.addHook(kind, bound as (...args: never[]) => unknown);
    return isDecoratorContext(context) ? undefined : fn;
  }

  /**
   * Runs before each request; the first hook that returns a value ends the request with it as the response.
   *
   * @example
   * app.beforeRequest((req) => { if (!req.cookies.user) return redirect('/login'); });
   */
  beforeRequest<F extends BeforeRequestHook>(fn: F, context?: ClassMethodDecoratorContext): F {
    return this.#hook('before', fn, context, '@beforeRequest') as F;
  }

  /** Runs after each successful view, last registered first; gets and returns the response. @example app.afterRequest((r) => { r.headers.set('X-Frame-Options', 'DENY'); return r; }); */
  afterRequest<F extends AfterRequestHook>(fn: F, context?: ClassMethodDecoratorContext): F {
    return this.#hook('after', fn, context, '@afterRequest') as F;
  }

  /** Runs when the request ends, whatever happened, with the error or `null`; all run, errors are collected. @example app.teardownRequest(() => db.release()); */
  teardownRequest<F extends TeardownHook>(fn: F, context?: ClassMethodDecoratorContext): F {
    return this.#hook('teardown', fn, context, '@teardownRequest') as F;
  }

  /** Sees (and may change) the matched URL values before the before-hooks. @example app.urlValuePreprocessor((ep, values) => { g.lang = values.lang; delete values.lang; }); */
  urlValuePreprocessor<F extends UrlValuePreprocessor>(fn: F, context?: ClassMethodDecoratorContext): F {
    return this.#hook('urlValuePreprocessor', fn, context, '@urlValuePreprocessor') as F;
  }

  /** Fills in values for urlFor before building. @example app.urlDefaults((ep, values) => { values.lang ??= g.lang; }); */
  urlDefaults<F extends UrlDefaultsHook>(fn: F, context?: ClassMethodDecoratorContext): F {
    return this.#hook('urlDefaults', fn, context, '@urlDefaults') as F;
  }

  /**
   * Handles an error by status code or class. `errorHandler(404, fn)` registers; `errorHandler(404)` is a decorator.
   * The handler's argument is typed from the key: an instance of the class, an `HTTPError` for a code (an
   * `InternalServerError`, with `originalException`, for 500).
   *
   * @example
   * app.errorHandler(404, (e) => [{ code: e.code, description: e.description }, e.status, e.headers]);
   * class Errors { @app.errorHandler(TypeError) static typeError(e: TypeError) { return ['bad input', 400]; } }
   */
  errorHandler<C extends abstract new (...args: never[]) => unknown>(
    key: C,
    fn: ErrorHandler<InstanceType<C>>,
  ): ErrorHandler<InstanceType<C>>;
  errorHandler<N extends number>(key: N, fn: ErrorHandler<CodeError<N>>): ErrorHandler<CodeError<N>>;
  errorHandler<E = unknown>(key: ErrorKey, fn: ErrorHandler<E>): ErrorHandler<E>;
  errorHandler(
    key: ErrorKey,
  ): <This>(value: (this: This, error: never) => unknown, context: ClassMethodDecoratorContext<This>) => void;
  errorHandler<E = unknown>(
    key: ErrorKey,
    fn?: ErrorHandler<E>,
  ): ErrorHandler<E> | ((value: (error: never) => unknown, context: ClassMethodDecoratorContext) => void) {
    if (fn) {
      this.addErrorHandler(key, fn as ErrorHandler);
      return fn;
    }
    return (value, context) => this.addErrorHandler(key, bindMethod(value, context, '@errorHandler') as ErrorHandler);
  }
}

/** What a handler registered for status code `N` receives: the HTTPError, an InternalServerError for 500. */
type CodeError<N extends number> = N extends 500 ? InternalServerError : HTTPError;
