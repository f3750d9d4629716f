/**
 * Registering, logging in and out (Flask's tutorial: flaskr/auth.py), written in the builder style: each route is a
 * call on the blueprint with a named function, whose name is its endpoint (`auth.register`). blog.ts shows the other
 * style, decorators on static methods; both end up in the same place.
 */
import { Blueprint, flash, g, redirect, renderTemplate, session, urlFor, type Request } from 'flagon';
import { checkPasswordHash, generatePasswordHash } from 'flagon/app';
import { getDb, isUniqueViolation } from './db.js';

export interface User {
  id: number;
  username: string;
  password: string;
}

declare module 'flagon' {
  interface AppGlobals {
    /** The logged-in user, loaded before each request. */
    user?: User | undefined;
  }
  interface AppSession {
    userId?: number;
  }
}

export const auth = new Blueprint('auth', import.meta.url, { urlPrefix: '/auth' });

auth.route('/register', { methods: ['GET', 'POST'] }, async function register(req) {
  if (req.method === 'POST') {
    const form = await req.form();
    const username = form.get('username')?.trim() ?? '';
    const password = form.get('password') ?? '';
    let error = !username ? 'Username is required.' : !password ? 'Password is required.' : null;
    if (error === null) {
      const hash = await generatePasswordHash(password); // scrypt, in Werkzeug's format
      try {
        getDb().run('INSERT INTO user (username, password) VALUES (?, ?)', [username, hash]);
        return redirect(urlFor('auth.login'));
      } catch (insertError) {
        if (!isUniqueViolation(insertError)) throw insertError;
        error = `User ${username} is already registered.`;
      }
    }
    flash(error, 'error');
  }
  return renderTemplate('auth/register.html');
});

auth.route('/login', { methods: ['GET', 'POST'] }, async function login(req) {
  if (req.method === 'POST') {
    const form = await req.form();
    const user = getDb().get('SELECT * FROM user WHERE username = ?', [form.get('username') ?? '']) as User | null;
    // One message for both mistakes (Flask's tutorial has two), so the form does not tell who has an account.
    if (user !== null && (await checkPasswordHash(user.password, form.get('password') ?? ''))) {
      session.clear(); // a fresh session, so nothing from before the login carries over
      session.userId = user.id;
      return redirect(urlFor('blog.index'));
    }
    flash('Incorrect username or password.', 'error');
  }
  return renderTemplate('auth/login.html');
});

// POST, not GET as in Flask's tutorial: with CSRF protection on, another site cannot log your users out.
auth.post('/logout', function logout() {
  session.clear();
  return redirect(urlFor('blog.index'));
});

// Runs before every request of the app, not only this blueprint's: views and templates read g.user.
auth.beforeAppRequest(function loadLoggedInUser() {
  const id = session.userId;
  g.user =
    id === undefined ? undefined : ((getDb().get('SELECT * FROM user WHERE id = ?', [id]) as User | null) ?? undefined);
});

type View = (this: never, req: never) => unknown;

/**
 * Sends visitors who are not logged in to the login page (Flask's `login_required`). Works as a wrapper,
 * `loginRequired(function edit(req) {…})`, and as a decorator under a route decorator, as in blog.ts.
 */
export function loginRequired<V extends View>(view: V, _context?: ClassMethodDecoratorContext): V {
  const wrapped = function (this: unknown, req: Request): unknown {
    if (g.user === undefined) return redirect(urlFor('auth.login'));
    return (view as unknown as (this: unknown, req: Request) => unknown).call(this, req);
  };
  // The endpoint is the view's name, so the wrapper takes it (Flask's functools.wraps).
  Object.defineProperty(wrapped, 'name', { value: view.name });
  return wrapped as unknown as V;
}
