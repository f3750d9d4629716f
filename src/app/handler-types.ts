/** @module The shapes of views, hooks, error handlers and route options (layer L3), shared by App, Blueprint and the pipeline. */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { HeadersInit } from '../http/headers.js';
import type { PathParams } from '../routing/params.js';
import type { Request } from '../wrappers/request.js';
import type { Response } from '../wrappers/response.js';
import type { ResponseBody, ResponseReturnValue } from './make-response.js';

/**
 * A schema for route options: any Standard Schema (zod 4, valibot, arktype…), typed here without importing one.
 *
 * @example
 * const page: RouteSchema = z.object({ page: z.number().int() });
 */
export type RouteSchema = StandardSchemaV1;

/**
 * The schemas of a route: each request part validated (and coerced) before the view, the result in `req.valid`;
 * `response` checks and shapes what the view returns (see docs/validation.md).
 *
 * @example
 * app.get('/items', { query: z.object({ page: z.number().int().default(1) }) }, (req) => ({ page: req.valid.query.page }));
 */
export interface RouteSchemas {
  /** The converted path values (`req.params`). */
  params?: StandardSchemaV1;
  /** The query string: one value per key, or every value for an array field. */
  query?: StandardSchemaV1;
  /** The request headers, lower-case names. */
  headers?: StandardSchemaV1;
  /** The cookies by name. */
  cookies?: StandardSchemaV1;
  /** A JSON body (`application/json`, `+json`) or a form (urlencoded, multipart with its files), by Content-Type. */
  body?: StandardSchemaV1;
  /** A form only (urlencoded, or multipart with its files). */
  form?: StandardSchemaV1;
  /** What the view returns; it goes out as the schema's output (a zod object strips keys it does not name). */
  response?: StandardSchemaV1;
}

/**
 * What a route says about itself for API documents (OpenAPI): nothing here changes how a request is handled.
 *
 * @example
 * app.get('/items', { summary: 'List items', tags: ['items'], responses: { 404: { description: 'No such list' } } }, list);
 */
export interface RouteDocs {
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  operationId?: string;
  /** Other answers than the 200 the response schema describes, by status. */
  responses?: Record<number, { description: string; schema?: StandardSchemaV1 }>;
  /** The security requirements (OpenAPI's `security`): `[{ bearer: [] }]`. */
  security?: Record<string, string[]>[];
}

/**
 * What the app keeps of a route's schemas and docs, per endpoint (`app.routeSpecs`); only routes that gave any.
 * `methods` holds a MethodView's per-method schemas (its static `schemas`), which apply instead of `schemas`.
 *
 * @example
 * app.routeSpecs.get('items')?.schemas.query; // the query schema of the endpoint 'items'
 */
export interface RouteSpec {
  readonly schemas: RouteSchemas;
  readonly docs: RouteDocs;
  readonly methods?: Readonly<Partial<Record<string, RouteSchemas>>>;
}

/** The request parts a schema can validate: the keys of `req.valid`. @example const part: RequestPart = 'query'; */
export type RequestPart = 'params' | 'query' | 'headers' | 'cookies' | 'body' | 'form';

type Output<T> = T extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<T> : never;

/**
 * The type of `req.valid` for route options `S`: each request part given a schema, as the schema's output; `params`
 * is `PathParams<Rule>` when no params schema is given. `unknown` for a route without schemas (`req.valid` throws).
 * One level deep, no recursion over schemas, so hundreds of routes type-check fast.
 *
 * @example
 * type V = ValidData<{ query: typeof pageSchema }, '/users/<int:id>'>; // { query: { page: number }; params: { id: number } }
 */
export type ValidData<S, Rule extends string = string> = [Extract<keyof S, RequestPart | 'response'>] extends [never]
  ? unknown
  : { readonly [K in Extract<keyof S, RequestPart>]: Output<S[K]> } & ('params' extends keyof S
      ? unknown
      : { readonly params: PathParams<Rule> });

/**
 * What a view may return when its route has a `response` schema: the schema's input, alone or in a tuple with a
 * status and headers, or a Response (sent as it is, unchecked). Without one, {@link ResponseReturnValue}.
 *
 * @example
 * const rv: ViewReturn<{ response: typeof itemSchema }> = [{ id: 1, name: 'pen' }, 201];
 */
export type ViewReturn<S> =
  | ReturnBody<S>
  | Response
  | globalThis.Response
  | readonly [ReturnBody<S>, number]
  | readonly [ReturnBody<S>, number, HeadersInit]
  | readonly [ReturnBody<S>, HeadersInit];

/**
 * The body part of a view's return: the response schema's input, or without one anything Flask's rules take. The
 * tuples stay outside this conditional on purpose: while TypeScript is still inferring `S`, a conditional is
 * unresolved, and only a union that shows its tuples types `return [item, 201]` as a tuple rather than an array.
 */
type ReturnBody<S> = [S] extends [never]
  ? ResponseBody
  : S extends { response: infer R extends StandardSchemaV1 }
    ? StandardSchemaV1.InferInput<R>
    : ResponseBody;

/**
 * The request a view of rule `Rule` with route options `S` gets: `params` from the rule, `valid` from the schemas.
 * Annotate decorated methods and MethodView methods with it.
 *
 * @example
 * const schemas = { query: z.object({ q: z.string() }) };
 * class Search { @app.get('/search', schemas) static search(req: RouteRequest<'/search', typeof schemas>) { return req.valid.query.q; } }
 */
export type RouteRequest<Rule extends string = string, S = unknown> = Request<
  RouteParams<PathParams<Rule> & DomainParams<S>>,
  ValidData<S, Rule>
>;

/** The path's and the domain's values as one object type, as an editor shows it. */
type RouteParams<T> = { [K in keyof T]: T[K] } & {};

/**
 * The values a route's `host` or `subdomain` pattern matches, beside the path's: typed from the pattern when the
 * options keep it as a literal (`as const`), else readable as `unknown` (`String(req.params.user)`).
 *
 * @example
 * type D = DomainParams<{ host: '<user>.example.com' }>; // { user: string }
 */
export type DomainParams<S> = [S] extends [never]
  ? unknown
  : S extends { subdomain: infer D extends string }
    ? PathParams<D>
    : S extends { host: infer H extends string }
      ? PathParams<H>
      : unknown;

/**
 * A view: takes the request (with `params` typed from the rule, `valid` from the route's schemas `S`) and returns
 * anything Flask's rules accept (with a response schema: its input type).
 *
 * @example
 * const user: Handler<'/users/<int:id>'> = (req) => ({ id: req.params.id });
 */
export type Handler<Rule extends string = string, S = unknown> = (
  req: RouteRequest<Rule, S>,
) => ViewReturn<S> | Promise<ViewReturn<S>>;

/** A view as stored: the parameters' type is the rule's business, checked where it was registered. */
export type ViewFunction = (req: Request) => unknown;

/**
 * Options of `route()` and `addUrlRule()`.
 *
 * @example
 * app.route('/login', { methods: ['GET', 'POST'], endpoint: 'login' }, view);
 * app.route('/items', { methods: ['POST'], body: itemSchema, summary: 'Add an item' }, add);
 */
export interface RouteOptions extends RouteSchemas, RouteDocs {
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
export type RouteDecorator<Rule extends string, S = unknown> = <This>(
  value: (this: This, req: RouteRequest<Rule, S>) => ViewReturn<S> | Promise<ViewReturn<S>>,
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
