/**
 * Recipe: `loginRequired`, Flask's `login_required` from the tutorial, as one function that works both ways: as a
 * wrapper around a view (`app.get('/admin', loginRequired(admin))`) and as a decorator on a class method
 * (`@app.get('/admin') @loginRequired static admin() {…}`). docs/coming-from-flask.md walks through it.
 */
import { App, redirect, session, urlFor, type Request } from 'flagon';

type View = (this: unknown, req: Request) => unknown;

/**
 * Sends a visitor who is not logged in to the login page, with `next` set to where they were going; runs the view
 * for everyone else. The wrapper keeps the view's name, because the endpoint is the view function's name (as in
 * Flask, where `functools.wraps` does this): without it, every wrapped view would be the endpoint `wrapped`.
 */
export function loginRequired<V extends View>(view: V, _context?: ClassMethodDecoratorContext): V {
  const wrapped = async function (this: unknown, req: Request): Promise<unknown> {
    if (session.userId === undefined)
      return redirect(urlFor('login', { next: req.environ.QUERY_STRING ? req.fullPath : req.path }));
    return view.call(this, req);
  };
  Object.defineProperty(wrapped, 'name', { value: view.name });
  return wrapped as unknown as V;
}

export const app = new App(import.meta.url, { config: { SECRET_KEY: 'recipe-only' }, staticFolder: null });

app.get('/login', function login(req) {
  return `Log in, then go back to ${req.args.get('next') ?? '/'}`;
});

app.post('/login', function doLogin(req) {
  session.userId = 7; // a real app checks a password first (checkPasswordHash)
  return redirect(req.args.get('next') ?? '/');
});

// The wrapper form: the endpoint is 'dashboard', the name of the function inside.
app.get(
  '/dashboard',
  loginRequired(function dashboard() {
    return `Dashboard of user ${String(session.userId)}`;
  }),
);

// The decorator form: the route decorator goes on top, so it registers the wrapped method.
@app.routes
export class Admin {
  @app.get('/admin')
  @loginRequired
  static admin() {
    return 'Admin page';
  }
}
