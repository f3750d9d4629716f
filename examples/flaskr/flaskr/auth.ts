/**
 * Registering, logging in and out (Flask's tutorial: flaskr/auth.py). Each view is a named function given to the
 * blueprint, and its name is its endpoint: `auth.register`, `auth.login`, `auth.logout`.
 */
import { Blueprint, flash, g, redirect, renderTemplate, session, urlFor, type Request } from 'flagon';
import { checkPasswordHash, generatePasswordHash } from 'flagon/app';
import { getDb } from './db.js';

/**
 * A row of the `user` table.
 *
 * @example
 * const user = getDb().get('SELECT * FROM user WHERE id = ?', [1]) as User | null;
 */
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
    /** Flask's `session['user_id']`. */
    userId?: number;
  }
}

/**
 * The `auth` blueprint, at /auth.
 *
 * @example
 * app.registerBlueprint(auth);
 */
export const auth = new Blueprint('auth', import.meta.url, { urlPrefix: '/auth' });

type View = (this: never, req: never) => unknown;

/**
 * Sends visitors who are not logged in to the login page (Flask's `login_required`): wrap a view with it,
 * `loginRequired(function create(req) {…})`.
 *
 * @example
 * blog.post('/<int:id>/delete', loginRequired(function remove(req) { … }));
 */
export function loginRequired<V extends View>(view: V): V {
  const wrapped = function (this: unknown, req: Request): unknown {
    if (g.user === undefined) return redirect(urlFor('auth.login'));
    return (view as unknown as (this: unknown, req: Request) => unknown).call(this, req);
  };
  // The endpoint is the view's name, so the wrapper takes it (Flask's functools.wraps).
  Object.defineProperty(wrapped, 'name', { value: view.name });
  return wrapped as unknown as V;
}

// If a user id is in the session, load the user into g.user. Runs before every request of the app, not only this
// blueprint's: views and templates read g.user.
auth.beforeAppRequest(function loadLoggedInUser() {
  const id = session.userId;
  g.user =
    id === undefined ? undefined : ((getDb().get('SELECT * FROM user WHERE id = ?', [id]) as User | null) ?? undefined);
});

// Register a new user: validate that the username is not already taken, and hash the password for security.
auth.route('/register', { methods: ['GET', 'POST'] }, async function register(req) {
  if (req.method === 'POST') {
    const form = await req.form();
    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    let error: string | null = null;
    if (!username) error = 'Username is required.';
    else if (!password) error = 'Password is required.';

    if (error === null) {
      try {
        getDb().run('INSERT INTO user (username, password) VALUES (?, ?)', [
          username,
          await generatePasswordHash(password), // scrypt, in Werkzeug's format
        ]);
      } catch (insertError) {
        // The username was already taken: the UNIQUE constraint refused the row.
        if (!(insertError instanceof Error && insertError.message.startsWith('UNIQUE constraint failed')))
          throw insertError;
        error = `User ${username} is already registered.`;
      }
      if (error === null) return redirect(urlFor('auth.login')); // success: go to the login page
    }
    flash(error);
  }
  return renderTemplate('auth/register.html');
});

// Log in a registered user by adding the user id to the session.
auth.route('/login', { methods: ['GET', 'POST'] }, async function login(req) {
  if (req.method === 'POST') {
    const form = await req.form();
    const username = form.get('username') ?? '';
    const user = getDb().get('SELECT * FROM user WHERE username = ?', [username]) as User | null;
    let error: string | null = null;
    if (user === null) error = 'Incorrect username.';
    else if (!(await checkPasswordHash(user.password, form.get('password') ?? ''))) error = 'Incorrect password.';

    if (user !== null && error === null) {
      // Store the user id in a new session and return to the index.
      session.clear();
      session.userId = user.id;
      return redirect(urlFor('index'));
    }
    flash(error!);
  }
  return renderTemplate('auth/login.html');
});

// Clear the current session, including the stored user id.
auth.get('/logout', function logout() {
  session.clear();
  return redirect(urlFor('index'));
});
