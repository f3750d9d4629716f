/** @module The request's session in the pipeline (layer L3): opened first for an async store, the one to save after the view, and what a store failure does. */
import { SessionUnavailable } from '../sessions/errors.js';
import { createSession, type Session } from '../sessions/session.js';
import type { Request } from '../wrappers/request.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import type { Logger } from './logger.js';
import type { SessionInterface } from './types.js';

/** What the session steps read of the App. */
interface SessionHost {
  readonly config: Config;
  readonly logger: Logger;
  readonly sessionInterface: SessionInterface;
}

/**
 * Opens a request's session through the app's `sessionInterface`; without a SECRET_KEY, a null session that refuses
 * writes. A promise when the interface reads an asynchronous store (Redis).
 *
 * @example
 * const session = await openRequestSession(app, request);
 */
export function openRequestSession(app: SessionHost, request: Request): Session | Promise<Session> {
  const opened = app.sessionInterface.openSession(app, request);
  if (opened instanceof Promise) return opened.then((session) => session ?? createSession({}, true));
  return opened ?? createSession({}, true);
}

/**
 * Whether the request carries the session cookie. A substring test first: most requests have no Cookie header, or
 * not this cookie, and need no parsing.
 *
 * @example
 * if (carriesSessionCookie(request, app.config)) preload();
 */
export function carriesSessionCookie(request: Request, config: Config): boolean {
  const name = config.SESSION_COOKIE_NAME;
  return request.environ.HTTP_COOKIE?.includes(name) === true && request.cookies[name] !== undefined;
}

/**
 * For a session interface that reads an asynchronous store (Redis): a request that carries the session cookie has
 * its session opened before anything of the app runs, so `session` reads synchronously in converters, hooks and the
 * view. `undefined` when there is nothing to wait for (no cookie: a session, if wanted, is new and opens
 * synchronously). A store that fails: logged, the session dropped, and the promise rejects with the error, which
 * answers (a 503) in the view's place.
 *
 * @example
 * const opening = openSessionFirst(context, app); // await it before the hooks
 */
export function openSessionFirst(context: Context, app: SessionHost): Promise<void> | undefined {
  if (!carriesSessionCookie(context.request!, app.config)) return undefined;
  let opened: Session | Promise<Session>;
  try {
    opened = context.openSession();
  } catch (error) {
    sessionFailed(context, error, app.logger);
    return Promise.reject(error);
  }
  if (!(opened instanceof Promise)) return undefined;
  return opened.then(
    () => undefined,
    (error: unknown) => {
      sessionFailed(context, error, app.logger);
      throw error;
    },
  );
}

/**
 * The session to save after the view, or `null`. Flagon opens a session on first use, where Flask opens it for every
 * request: so a request that never touched it but carries the session cookie opens it here when
 * SESSION_REFRESH_EACH_REQUEST is on, and a permanent session gets its fresh expiry, as in Flask.
 *
 * @example
 * const session = sessionToSave(context, app);
 * if (session !== null) await app.sessionInterface.saveSession(app, session, response);
 */
export function sessionToSave(context: Context, app: SessionHost): Session | null {
  let session = context.openedSession;
  if (
    session === null &&
    app.config.SESSION_REFRESH_EACH_REQUEST &&
    app.sessionInterface.opensAsync !== true && // opened before the view, unless its store failed
    carriesSessionCookie(context.request!, app.config)
  )
    session = context.session;
  return session === null || session.isNull ? null : session;
}

/**
 * Whether the short branch must leave the request to the async path for its session: a session to save, or a store
 * that failed when asked (the async path answers that failure, a 503 or a 500, through the error handlers).
 *
 * @example
 * if (sessionPending(context, app)) return respondAsync();
 */
export function sessionPending(context: Context, app: SessionHost): boolean {
  try {
    return sessionToSave(context, app) !== null;
  } catch {
    return true;
  }
}

/**
 * The session store failed: the context drops the session (nothing is saved, so the stored one is not overwritten)
 * and a store that says why (`SessionUnavailable`) gets one log line naming the store and the fix.
 *
 * @example
 * sessionFailed(context, error, app.logger);
 */
export function sessionFailed(context: Context, error: unknown, logger: Logger): void {
  context.sessionFailed(error);
  if (error instanceof SessionUnavailable) logger.error(error.message);
}
