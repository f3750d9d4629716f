/** @module The session cookie's attributes from Flask's SESSION_COOKIE_* config (layer L3), shared by the session interfaces. */
import type { SessionApp } from '../app/types.js';
import type { CookieOptions } from '../http/cookie.js';
import type { Session } from './session.js';
import type { Response } from '../wrappers/response.js';

/**
 * The cookie attributes for the session, from config: Path falls back to APPLICATION_ROOT, and SameSite is left out
 * unless SESSION_COOKIE_SAMESITE is set (Flask's defaults).
 *
 * @example
 * sessionCookieOptions(app); // { path: '/', httpOnly: true, secure: false, sameSite: null, … }
 */
export function sessionCookieOptions(app: SessionApp): Omit<CookieOptions, 'maxAge' | 'expires'> {
  const config = app.config;
  return {
    domain: config.SESSION_COOKIE_DOMAIN ?? undefined,
    path: config.SESSION_COOKIE_PATH ?? config.APPLICATION_ROOT,
    httpOnly: config.SESSION_COOKIE_HTTPONLY,
    secure: config.SESSION_COOKIE_SECURE,
    sameSite: config.SESSION_COOKIE_SAMESITE,
    partitioned: config.SESSION_COOKIE_PARTITIONED,
  };
}

/**
 * Adds `Cookie` to the response's Vary header unless it is there already.
 *
 * @example
 * varyOnCookie(response); // Vary: Accept-Encoding → Vary: Accept-Encoding, Cookie
 */
export function varyOnCookie(response: Response): void {
  const vary = response.headers.get('Vary');
  if (vary === null) response.headers.set('Vary', 'Cookie');
  else if (!vary.split(',').some((v) => v.trim().toLowerCase() === 'cookie' || v.trim() === '*'))
    response.headers.set('Vary', `${vary}, Cookie`);
}

/**
 * Flask's rule for writing the cookie: when the session changed, or when it is permanent and
 * SESSION_REFRESH_EACH_REQUEST is on.
 *
 * @example
 * if (shouldSetCookie(app, session)) response.setCookie(…);
 */
export function shouldSetCookie(app: SessionApp, session: Session): boolean {
  return session.modified || (session.permanent && app.config.SESSION_REFRESH_EACH_REQUEST);
}

/**
 * Flask's save rules, shared by the session interfaces: Vary when read; an emptied session deletes the cookie (and
 * calls `onDelete`); otherwise, when `shouldSetCookie`, writes `value()` with Expires for permanent sessions.
 *
 * @example
 * writeSessionCookie(app, session, response, () => signValue(json, secret));
 */
export function writeSessionCookie(
  app: SessionApp,
  session: Session,
  response: Response,
  value: () => string,
  onDelete?: () => void,
): void {
  const name = app.config.SESSION_COOKIE_NAME;
  const options = sessionCookieOptions(app);
  if (session.accessed) varyOnCookie(response);
  if (Object.keys(session.toJSON()).length === 0) {
    if (session.modified) {
      onDelete?.();
      response.deleteCookie(name, options);
      varyOnCookie(response);
    }
    return;
  }
  if (!shouldSetCookie(app, session)) return;
  const expires = session.permanent ? new Date(Date.now() + app.config.PERMANENT_SESSION_LIFETIME * 1000) : undefined;
  response.setCookie(name, value(), { ...options, expires, maxSize: app.config.MAX_COOKIE_SIZE });
  varyOnCookie(response);
}
