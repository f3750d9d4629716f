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
 * @example
 * app.sessionInterface = new ServerSideSessionInterface(new MemorySessionStore());
 */
export interface SessionInterface {
  openSession(app: SessionApp, request: Request): Session | null;
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
  renderString(source: string, context: Record<string, unknown>): string;
  addFilter(name: string, fn: (...args: never[]) => unknown): void;
  addGlobal(name: string, value: unknown): void;
  addTest(name: string, fn: (...args: never[]) => boolean): void;
}
