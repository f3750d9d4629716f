/** @module Class-based views (layer L3): MethodView dispatches a request to the method of the class named after the HTTP method. */
import { MethodNotAllowed } from '../http/errors.js';
import type { Request } from '../wrappers/request.js';
import type { ViewFunction } from './scaffold.js';

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'] as const;

/**
 * A view function made by `asView`: its name is the endpoint, `methods` the ones the class handles.
 *
 * @example
 * const view: ClassView = UserAPI.asView('user'); // view.methods: ['GET', 'HEAD', 'DELETE']
 */
export type ClassView = ViewFunction & { readonly methods: readonly string[]; readonly viewClass: typeof MethodView };

/**
 * Flask's MethodView: write `get`, `post`, … methods and register the class with `asView(name)`. The methods are
 * collected from the class (and its parents); HEAD uses `get` when there is no `head`. A new instance serves each
 * request, so instance state never leaks between requests.
 *
 * @example
 * class UserAPI extends MethodView {
 *   get(req: Request) { return { id: req.params.id }; }
 *   delete() { return ['', 204]; }
 * }
 * app.addUrlRule('/users/<int:id>', { view: UserAPI.asView('user') });
 */
export class MethodView {
  /** The HTTP methods this class handles, upper case. */
  static get methods(): string[] {
    const found = new Set<string>();
    for (let proto: object | null = this.prototype; proto && proto !== MethodView.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of HTTP_METHODS) if (typeof (proto as Record<string, unknown>)[name] === 'function') found.add(name.toUpperCase());
    }
    if (found.has('GET')) found.add('HEAD');
    return [...found];
  }

  /** A view function for this class, named `name` (the endpoint). */
  static asView(this: typeof MethodView & (new () => MethodView), name: string): ClassView {
    const cls = this;
    const view = async function (req: Request): Promise<unknown> {
      return new cls().dispatchRequest(req);
    };
    Object.defineProperty(view, 'name', { value: name });
    return Object.assign(view, { methods: cls.methods, viewClass: cls });
  }

  /** Calls the method for `req.method`; HEAD falls back to `get`. */
  dispatchRequest(req: Request): unknown {
    const self = this as unknown as Record<string, ((req: Request) => unknown) | undefined>;
    let handler = self[req.method.toLowerCase()];
    if (handler === undefined && req.method === 'HEAD') handler = self.get;
    if (typeof handler !== 'function') throw new MethodNotAllowed((this.constructor as typeof MethodView).methods);
    return handler.call(this, req);
  }
}
