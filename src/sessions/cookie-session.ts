/** @module The default session: data in a signed, timestamped cookie (layer L3), as Flask's SecureCookieSessionInterface. */
import type { SessionApp, SessionInterface } from '../app/types.js';
import type { Request } from '../wrappers/request.js';
import type { Response } from '../wrappers/response.js';
import { writeSessionCookie } from './cookie-options.js';
import { createSession, type Session, type SessionData } from './session.js';
import { flaskSign, flaskVerify } from './flask-format.js';
import { signValue, verifyValue } from './signing.js';

/**
 * Sessions in a cookie: JSON, timestamped, HMAC-SHA256 signed with SECRET_KEY and verified against SECRET_KEY then
 * SECRET_KEY_FALLBACKS. Anything that does not verify (tampered, truncated, wrong key, older than
 * PERMANENT_SESSION_LIFETIME, dated in the future) reads as an empty session, never an error. Without SECRET_KEY,
 * `openSession` returns `null` and the App uses a null session that refuses writes.
 *
 * With `{ format: 'flask' }` it reads and writes Flask's own cookie format (itsdangerous, HMAC-SHA1, tagged JSON),
 * so a Flagon app and a Flask app with the same SECRET_KEY share sessions during a migration.
 *
 * @example
 * app.sessionInterface = new CookieSessionInterface(); // the default
 * app.sessionInterface = new CookieSessionInterface({ format: 'flask' });
 */
export class CookieSessionInterface implements SessionInterface {
  readonly format: 'flagon' | 'flask';
  /** Opened synchronously and lazily, on first use: a request that never touches the session pays nothing. */
  readonly opensAsync = false;

  constructor(options: { format?: 'flagon' | 'flask' } = {}) {
    this.format = options.format ?? 'flagon';
  }

  openSession(app: SessionApp, request: Request): Session | null {
    const secret = app.config.SECRET_KEY;
    if (!secret) return null;
    const cookie = request.cookies[app.config.SESSION_COOKIE_NAME];
    if (!cookie) return createSession();
    const secrets = [secret, ...app.config.SECRET_KEY_FALLBACKS];
    const maxAge = app.config.PERMANENT_SESSION_LIFETIME;
    if (this.format === 'flask') return createSession(flaskVerify(cookie, secrets, maxAge) ?? {});
    const payload = verifyValue(cookie, secrets, maxAge);
    if (payload === null) return createSession();
    try {
      const data: unknown = JSON.parse(payload);
      return createSession(
        typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as SessionData) : {},
      );
    } catch {
      return createSession();
    }
  }

  saveSession(app: SessionApp, session: Session, response: Response): void {
    writeSessionCookie(app, session, response, () => {
      const data = session.toJSON();
      return this.format === 'flask'
        ? flaskSign(data, app.config.SECRET_KEY!)
        : signValue(JSON.stringify(data), app.config.SECRET_KEY!);
    });
  }
}
