/** @module The shapes of views, hooks, error handlers and route options (layer L3), shared by App, Blueprint and the pipeline. */
import type { PathParams } from '../routing/params.js';
import type { Request } from '../wrappers/request.js';
import type { Response } from '../wrappers/response.js';
import type { ResponseReturnValue } from './make-response.js';

/**
 * A view: takes the request (with `params` typed from the rule) and returns anything Flask's rules accept.
 *
 * @example
 * const user: Handler<'/users/<int:id>'> = (req) => ({ id: req.params.id });
 */
export type Handler<Rule extends string = string> = (
  req: Request<PathParams<Rule>>,
) => ResponseReturnValue | Promise<ResponseReturnValue>;

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
  <This>(
    value: (this: This, req: Request) => ResponseReturnValue | Promise<ResponseReturnValue>,
    context: ClassMethodDecoratorContext<This>,
  ): void;
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
