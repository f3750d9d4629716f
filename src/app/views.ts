/** @module Class-based views (layer L3): Flask's View and MethodView, made into view functions by `asView`. */
import type { Request } from '../wrappers/request.js';
import { FlagonError } from './errors.js';
import type { RouteSchemas, ViewFunction } from './handler-types.js';

/** Flask's `http_method_funcs`: the methods of a MethodView that handle a request method. */
const HTTP_METHOD_FUNCS = ['get', 'post', 'head', 'options', 'delete', 'put', 'trace', 'patch'] as const;

/**
 * A MethodView's schemas by method function name, as its `static schemas` (read when the view is registered; not
 * declared on View, so a subclass needs no `override`): each method validates its own request into `req.valid` (type
 * its `req` as `RouteRequest<Rule, typeof schemas.get>`) and its own response.
 *
 * @example
 * class Items extends MethodView { static schemas = { get: { query: pageSchema }, post: { body: itemSchema } } satisfies MethodSchemas; }
 */
export type MethodSchemas = Partial<Record<(typeof HTTP_METHOD_FUNCS)[number], RouteSchemas>>;

/**
 * A wrapper for the view function `asView` makes, as listed in `View.decorators`: it gets a view and returns one.
 *
 * @example
 * const noStore: ViewDecorator = (view) => async (req) => {
 *   const response = await makeResponse(await view(req));
 *   response.headers.set('Cache-Control', 'no-store');
 *   return response;
 * };
 */
export type ViewDecorator = (view: ViewFunction) => ViewFunction;

/**
 * A concrete View class, as `asView` instantiates it (with the arguments given to `asView`).
 *
 * @example
 * const cls: ViewClass = UserAPI;
 */
export type ViewClass = new (...args: never[]) => View;

/**
 * A view function made by `asView`: its name is the endpoint; `methods` and `provideAutomaticOptions` come from the
 * class, and `addUrlRule` reads them. `viewClass` is read on every request (when the class sets up an instance per
 * request), so replacing it, e.g. in a test, swaps the class that serves the route, as Flask's `view_class`.
 *
 * @example
 * const view: ClassView = UserAPI.asView('user'); // view.methods: ['GET', 'DELETE']
 * view.viewClass = FakeUserAPI;
 */
export type ClassView = ViewFunction & {
  readonly methods: readonly string[] | null;
  readonly provideAutomaticOptions: boolean | null;
  viewClass: ViewClass;
};

/**
 * Flask's generic class-based view: override `dispatchRequest(req)`, register `asView(name, ...constructorArgs)`.
 * Static settings: `methods` (default `null`: GET, as `addUrlRule`), `provideAutomaticOptions`, `decorators` (applied
 * to the view function in order, so the last one runs first) and `initEveryRequest` (default `true`: a new instance
 * per request; `false`: one instance, made by `asView`, serves every request, so keep request data off `this`).
 *
 * @example
 * class Greet extends View {
 *   static override methods = ['GET', 'POST'];
 *   constructor(readonly greeting: string) { super(); }
 *   dispatchRequest(req: Request) { return `${this.greeting}, ${req.params.name}!`; }
 * }
 * app.addUrlRule('/hello/<name>', { view: Greet.asView('hello', 'Hello') }); // endpoint 'hello'
 */
export abstract class View {
  /** The methods the view's rule is registered for; `null` leaves `addUrlRule`'s default (GET). */
  static methods: readonly string[] | null = null;
  /** Whether OPTIONS is answered automatically; `null` leaves it to the app's PROVIDE_AUTOMATIC_OPTIONS. */
  static provideAutomaticOptions: boolean | null = null;
  /** Wrappers applied, in order, to the view function `asView` makes (decorators on the class itself are not). */
  static decorators: readonly ViewDecorator[] = [];
  /** `true`: a new instance for each request. `false`: one instance, created by `asView`, for all of them. */
  static initEveryRequest = true;

  /** Answers a request to the view's rule; returns anything a view function may return. */
  abstract dispatchRequest(req: Request): unknown;

  /**
   * The view function for this class, registered under the endpoint `name`; `classArgs` go to the constructor each
   * time an instance is made.
   *
   * @example
   * app.addUrlRule('/users/<int:id>', { view: UserAPI.asView('user', database) });
   */
  static asView<C extends ViewClass>(this: C, name: string, ...classArgs: ConstructorParameters<C>): ClassView {
    const cls = this as unknown as typeof View;
    const args = classArgs as never[];
    // Flask's view reads `view.view_class` per request: `made` is the function handed out, decorators included.
    let made: ClassView | null = null;
    const shared = cls.initEveryRequest ? null : new this(...args);
    let view: ViewFunction = (req: Request): unknown => dispatchOn(shared ?? new made!.viewClass(...args), req);
    Object.defineProperty(view, 'name', { value: name });
    for (const decorate of cls.decorators) view = decorate(view);
    Object.defineProperty(view, 'name', { value: name });
    made = Object.assign(view, {
      methods: cls.methods,
      provideAutomaticOptions: cls.provideAutomaticOptions,
      viewClass: this as ViewClass,
    });
    return made;
  }
}

function dispatchOn(instance: View, req: Request): unknown {
  if (typeof instance.dispatchRequest !== 'function') {
    throw new FlagonError(
      'FLAGON_ERR_NO_VIEW',
      `${instance.constructor.name} extends View but has no dispatchRequest(req): define it, or extend MethodView and define get(), post(), …`,
    );
  }
  return instance.dispatchRequest(req);
}

/**
 * Flask's MethodView: write `get`, `post`, … methods and register the class with `asView(name)`. `methods` is
 * collected from the class, its parents and their `methods` (set `static methods` to override it); HEAD uses `get`
 * when there is no `head`, and needs no listing (a GET rule answers HEAD). A new instance serves each request unless
 * `initEveryRequest` is `false`.
 *
 * @example
 * class UserAPI extends MethodView {
 *   get(req: Request) { return { id: req.params.id }; }
 *   delete() { return ['', 204]; }
 * }
 * app.addUrlRule('/users/<int:id>', { view: UserAPI.asView('user') });
 */
export class MethodView extends View {
  /** The HTTP methods the class handles, upper case: its parent's, and one per method function it has. */
  static override get methods(): readonly string[] | null {
    if (this === MethodView) return null;
    const parent = Object.getPrototypeOf(this) as { methods?: readonly string[] | null };
    const found = new Set(parent.methods ?? []);
    const proto = this.prototype as unknown as Record<string, unknown>;
    for (const name of HTTP_METHOD_FUNCS) if (typeof proto[name] === 'function') found.add(name.toUpperCase());
    return found.size > 0 ? [...found] : null;
  }

  /** `static methods = ['GET']` in a subclass replaces the collected list (whether class fields define or assign). */
  static override set methods(value: readonly string[] | null) {
    Object.defineProperty(this, 'methods', { value, writable: true, configurable: true, enumerable: true });
  }

  /** Calls the method for `req.method`; HEAD falls back to `get`. */
  dispatchRequest(req: Request): unknown {
    const self = this as unknown as Record<string, ((req: Request) => unknown) | undefined>;
    let handler = self[req.method.toLowerCase()];
    if (handler === undefined && req.method === 'HEAD') handler = self.get;
    if (typeof handler !== 'function') {
      // Flask asserts "Unimplemented method": the rule lists a method the class cannot answer.
      const method = req.method.toLowerCase();
      throw new FlagonError(
        'FLAGON_ERR_NO_VIEW',
        `${this.constructor.name} has no ${method}() for ${req.method} requests, but its rule allows ${req.method}: define ${method}(req), or remove '${req.method}' from its methods`,
      );
    }
    return handler.call(this, req);
  }
}
