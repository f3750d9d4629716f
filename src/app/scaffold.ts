/** @module Scaffold (layer L3): the registration API App and Blueprint share; builder calls and decorators both end in addUrlRule or one hook registry. */
import type { PathParams } from '../routing/params.js';
import type { Request } from '../wrappers/request.js';
import type { Response } from '../wrappers/response.js';
import { bindMethod, isDecoratorContext, markClass } from './decorators.js';
import type { ResponseReturnValue } from './make-response.js';

/**
 * A view: takes the request (with `params` typed from the rule) and returns anything Flask's rules accept.
 *
 * @example
 * const user: Handler<'/users/<int:id>'> = (req) => ({ id: req.params.id });
 */
export type Handler<Rule extends string = string> = (req: Request<PathParams<Rule>>) => ResponseReturnValue | Promise<ResponseReturnValue>;

/** A view as stored: the parameters' type is the rule's business, checked where it was registered. */
export type ViewFunction = (req: Request) => unknown;

/**
 * Options of `route()` and `addUrlRule()`.
 *
 * @example
 * app.route('/login', { methods: ['GET', 'POST'], endpoint: 'login' }, view);
 */
export interface RouteOptions {
  /** Default `['GET']`; HEAD comes with GET, OPTIONS is automatic unless `provideAutomaticOptions: false`. */
  methods?: readonly string[];
  /** Default: the handler's name, or one made from the rule for anonymous handlers (`/users/<int:id>` → `users_id`). */
  endpoint?: string;
  defaults?: Readonly<Record<string, unknown>>;
  strictSlashes?: boolean;
  host?: string;
  subdomain?: string;
  provideAutomaticOptions?: boolean;
}

/**
 * Options of `get()`, `post()`…: the method is in the name, so `methods` is not allowed.
 *
 * @example
 * app.get('/docs/', { strictSlashes: false }, docs);
 */
export type MethodRouteOptions = Omit<RouteOptions, 'methods'>;

/**
 * Options of `addUrlRule()`: a route plus the view.
 *
 * @example
 * app.addUrlRule('/', { endpoint: 'index', view: () => 'home' });
 */
export interface AddUrlRuleOptions extends RouteOptions {
  view?: ViewFunction;
}

/**
 * A method decorator for a route, as `@app.get('/about')` returns.
 *
 * @example
 * const about: RouteDecorator<'/about'> = app.get('/about');
 */
export type RouteDecorator<Rule extends string> = <This>(
  value: (this: This, req: Request<PathParams<Rule>>) => ResponseReturnValue | Promise<ResponseReturnValue>,
  context: ClassMethodDecoratorContext<This>,
) => void;

/**
 * What `endpoint(name)` returns: call it with a view, or put it on a method (static, or with `@app.routes` on the class).
 *
 * @example
 * class Pages { @app.endpoint('index') static index() { return 'home'; } }
 */
export interface EndpointDecorator {
  <F extends Handler>(view: F): F;
  <This>(value: (this: This, req: Request) => ResponseReturnValue | Promise<ResponseReturnValue>, context: ClassMethodDecoratorContext<This>): void;
}

/** Runs before the view; a returned value answers instead. @example const auth: BeforeRequestHook = (req) => (req.cookies.user ? undefined : ['login first', 401]); */
export type BeforeRequestHook = (req: Request) => unknown;
/** Gets the response and returns it (or nothing to keep it). @example const cors: AfterRequestHook = (r) => { r.headers.set('Access-Control-Allow-Origin', '*'); return r; }; */
export type AfterRequestHook = (response: Response) => Response | void | Promise<Response | void>;
/** Runs as the request ends, with the error that ended it or `null`. @example const release: TeardownHook = () => pool.release(); */
export type TeardownHook = (error: unknown) => unknown;
/** Sees the matched values before the before-hooks. @example const lang: UrlValuePreprocessor = (endpoint, values) => { delete values.lang; }; */
export type UrlValuePreprocessor = (endpoint: string | null, values: Record<string, unknown>) => void;
/** Fills values before urlFor builds. @example const lang: UrlDefaultsHook = (endpoint, values) => { values.lang ??= 'en'; }; */
export type UrlDefaultsHook = (endpoint: string, values: Record<string, unknown>) => void;
/** Turns an error into a response. @example const notFound: ErrorHandler<NotFound> = () => ['Nothing here', 404]; */
export type ErrorHandler<E = unknown> = (error: E) => unknown;

/** What an error handler is registered for: a status code or an error class. @example const key: ErrorKey = 404; */
export type ErrorKey = number | (abstract new (...args: never[]) => unknown);

/** The hook registries, one list per kind. */
export type HookKind = 'before' | 'after' | 'teardown' | 'urlValuePreprocessor' | 'urlDefaults';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * An endpoint for an anonymous handler, made from its rule: `/` → `index`, `/users/<int:id>` → `users_id`; a
 * route without GET gets its methods appended (`login_post`).
 *
 * @example
 * endpointFromRule('/users/<int:id>', ['GET']); // 'users_id'
 */
export function endpointFromRule(rule: string, methods: readonly string[]): string {
  const base = rule.replace(/<(?:[^:>]*:)?([^>]+)>/g, '$1').split('/').filter(Boolean).join('_').replace(/\W+/g, '_') || 'index';
  return methods.includes('GET') || methods.length === 0 ? base : `${base}_${methods.map((m) => m.toLowerCase()).join('_')}`;
}

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
   * `route(rule, options, handler)` registers; `route(rule, options?)` returns a method decorator.
   *
   * @example
   * app.route('/login', { methods: ['GET', 'POST'] }, async (req) => 'form');
   */
  route<R extends string>(rule: R, options: RouteOptions, handler: Handler<R>): Handler<R>;
  route<R extends string>(rule: R, options?: RouteOptions): RouteDecorator<R>;
  route<R extends string>(rule: R, options: RouteOptions = {}, handler?: Handler<R>): Handler<R> | RouteDecorator<R> {
    if (handler) {
      this.#register(rule, options, handler as ViewFunction, handler.name);
      return handler;
    }
    return (value, context) => {
      const bound = bindMethod(value as (req: Request) => unknown, context as ClassMethodDecoratorContext, `@route('${rule}')`);
      this.#register(rule, options, bound, String(context.name));
    };
  }

  #register(rule: string, options: RouteOptions, view: ViewFunction, name: string): void {
    const methods = options.methods ?? ['GET'];
    this.addUrlRule(rule, { ...options, methods, endpoint: options.endpoint ?? (name || endpointFromRule(rule, methods)), view });
  }

  #shortcut<R extends string>(method: Method, rule: R, optionsOrHandler?: MethodRouteOptions | Handler<R>, handler?: Handler<R>): Handler<R> | RouteDecorator<R> {
    const options = typeof optionsOrHandler === 'function' ? {} : (optionsOrHandler ?? {});
    const fn = typeof optionsOrHandler === 'function' ? optionsOrHandler : handler;
    if ('methods' in options) {
      throw new TypeError(`app.${method.toLowerCase()}() always means ${method}; to give methods use app.route('${rule}', { methods: [...] }, handler)`);
    }
    return fn ? this.route(rule, { ...options, methods: [method] }, fn) : this.route(rule, { ...options, methods: [method] });
  }

  /**
   * A GET route (HEAD and OPTIONS come with it). With a handler it registers; without, it is a method decorator.
   *
   * @example
   * app.get('/users/<int:id>', (req) => ({ id: req.params.id }));
   */
  get<R extends string>(rule: R, handler: Handler<R>): Handler<R>;
  get<R extends string>(rule: R, options: MethodRouteOptions, handler: Handler<R>): Handler<R>;
  get<R extends string>(rule: R, options?: MethodRouteOptions): RouteDecorator<R>;
  get<R extends string>(rule: R, a?: MethodRouteOptions | Handler<R>, b?: Handler<R>): Handler<R> | RouteDecorator<R> {
    return this.#shortcut('GET', rule, a, b);
  }

  /** A POST route. @example app.post('/items', async (req) => [await req.json() as object, 201]); */
  post<R extends string>(rule: R, handler: Handler<R>): Handler<R>;
  post<R extends string>(rule: R, options: MethodRouteOptions, handler: Handler<R>): Handler<R>;
  post<R extends string>(rule: R, options?: MethodRouteOptions): RouteDecorator<R>;
  post<R extends string>(rule: R, a?: MethodRouteOptions | Handler<R>, b?: Handler<R>): Handler<R> | RouteDecorator<R> {
    return this.#shortcut('POST', rule, a, b);
  }

  /** A PUT route. @example app.put('/items/<int:id>', (req) => ({ replaced: req.params.id })); */
  put<R extends string>(rule: R, handler: Handler<R>): Handler<R>;
  put<R extends string>(rule: R, options: MethodRouteOptions, handler: Handler<R>): Handler<R>;
  put<R extends string>(rule: R, options?: MethodRouteOptions): RouteDecorator<R>;
  put<R extends string>(rule: R, a?: MethodRouteOptions | Handler<R>, b?: Handler<R>): Handler<R> | RouteDecorator<R> {
    return this.#shortcut('PUT', rule, a, b);
  }

  /** A PATCH route. @example app.patch('/items/<int:id>', (req) => ({ patched: req.params.id })); */
  patch<R extends string>(rule: R, handler: Handler<R>): Handler<R>;
  patch<R extends string>(rule: R, options: MethodRouteOptions, handler: Handler<R>): Handler<R>;
  patch<R extends string>(rule: R, options?: MethodRouteOptions): RouteDecorator<R>;
  patch<R extends string>(rule: R, a?: MethodRouteOptions | Handler<R>, b?: Handler<R>): Handler<R> | RouteDecorator<R> {
    return this.#shortcut('PATCH', rule, a, b);
  }

  /** A DELETE route. @example app.delete('/items/<int:id>', () => ['', 204]); */
  delete<R extends string>(rule: R, handler: Handler<R>): Handler<R>;
  delete<R extends string>(rule: R, options: MethodRouteOptions, handler: Handler<R>): Handler<R>;
  delete<R extends string>(rule: R, options?: MethodRouteOptions): RouteDecorator<R>;
  delete<R extends string>(rule: R, a?: MethodRouteOptions | Handler<R>, b?: Handler<R>): Handler<R> | RouteDecorator<R> {
    return this.#shortcut('DELETE', rule, a, b);
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
   *
   * @example
   * app.errorHandler(404, () => ['Nothing here', 404]);
   * class Errors { @app.errorHandler(TypeError) static typeError(e: TypeError) { return ['bad input', 400]; } }
   */
  errorHandler<E = unknown>(key: ErrorKey, fn: ErrorHandler<E>): ErrorHandler<E>;
  errorHandler(key: ErrorKey): <This>(value: (this: This, error: never) => unknown, context: ClassMethodDecoratorContext<This>) => void;
  errorHandler<E = unknown>(key: ErrorKey, fn?: ErrorHandler<E>): ErrorHandler<E> | ((value: (error: never) => unknown, context: ClassMethodDecoratorContext) => void) {
    if (fn) {
      this.addErrorHandler(key, fn as ErrorHandler);
      return fn;
    }
    return (value, context) => this.addErrorHandler(key, bindMethod(value, context, '@errorHandler') as ErrorHandler);
  }
}

/**
 * Flask's default static URL path: the static folder's own name under the root, so `staticFolder: 'public'` is served
 * at `/public/…`, and a folder given as `''` (the app's own folder) at `/…`.
 *
 * @example
 * staticUrlPathFor('assets/'); // '/assets'
 */
export function staticUrlPathFor(folder: string): string {
  const name = folder.replace(/\/+$/, '').split('/').pop() ?? '';
  return `/${name}`.replace(/\/$/, '');
}
