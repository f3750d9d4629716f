/** @module The small interfaces the App's plug-ins implement (layer L3): sessions and templates. */
import type { Session } from '../sessions/session.js';
import type { Request } from '../wrappers/request.js';
import type { Response } from '../wrappers/response.js';
import type { Config } from './config.js';

/**
 * What a session interface sees of the app.
 *
 * @example
 * const lifetime = (app as SessionApp).config.PERMANENT_SESSION_LIFETIME;
 */
export interface SessionApp {
  readonly config: Config;
}

/**
 * How sessions are loaded and stored, Flask's SessionInterface: `openSession` reads the request (or returns `null`
 * when sessions are unavailable, e.g. without SECRET_KEY), `saveSession` writes to the response.
 *
 * An interface whose store is over the network sets `opensAsync` and may answer `openSession` with a promise, but
 * only for a request that carries the session cookie (SESSION_COOKIE_NAME): the App opens such a request's session,
 * and waits for it, before the before-request hooks and the view run, so `session` stays a plain synchronous object
 * in user code. A request without the cookie gets its (new, empty) session synchronously and lazily, on first use.
 * Without `opensAsync` the session is opened lazily, on first use, and `openSession` must answer synchronously (the
 * cookie session: no cost for a request that never touches the session).
 *
 * @example
 * app.sessionInterface = new ServerSideSessionInterface(new MemorySessionStore());
 * app.sessionInterface = new ServerSideSessionInterface(new RedisSessionStore({ url: 'redis://localhost:6379' }));
 */
export interface SessionInterface {
  /** True when `openSession` may answer with a promise for a request that carries the session cookie. */
  readonly opensAsync?: boolean;
  openSession(app: SessionApp, request: Request): Session | null | Promise<Session | null>;
  saveSession(app: SessionApp, session: Session, response: Response): void | Promise<void>;
}

/**
 * What the App needs of a template engine; `NunjucksRenderer` is the one Flagon ships.
 *
 * @example
 * const html = renderer.render(['page.html'], { title: 'Hi' });
 */
export interface TemplateRenderer {
  render(names: string | readonly string[], context: Record<string, unknown>): string;
  /** The name of the first template of `names` that exists, as `render` would pick it (for the template signals). */
  select?(names: string | readonly string[]): string;
  renderString(source: string, context: Record<string, unknown>): string;
  addFilter(name: string, fn: (...args: never[]) => unknown): void;
  addGlobal(name: string, value: unknown): void;
  addTest(name: string, fn: (...args: never[]) => boolean): void;
  /** What a template defines at its top level (macros, `{% set %}` names): Jinja's `template.module`. */
  exports(name: string, context: Record<string, unknown>): Record<string, unknown>;
}
