/** @module Server-side sessions (layer L3): the cookie carries a random id, the data lives in a store; an in-memory store ships. */
import { randomBytes } from 'node:crypto';
import type { SessionApp, SessionInterface } from '../app/types.js';
import type { Request } from '../wrappers/request.js';
import type { Response } from '../wrappers/response.js';
import { writeSessionCookie } from './cookie-options.js';
import { createSession, type Session, type SessionData } from './session.js';

/**
 * Where server-side sessions live. Implement it over Redis or a database; `MemorySessionStore` is for development
 * and single-process apps.
 *
 * @example
 * const store: SessionStore = new MemorySessionStore();
 */
export interface SessionStore {
  get(id: string): SessionData | null;
  set(id: string, data: SessionData, ttlSeconds: number): void;
  delete(id: string): void;
}

/**
 * Sessions in process memory with expiry; lost on restart, not shared between processes.
 *
 * @example
 * app.sessionInterface = new ServerSideSessionInterface(new MemorySessionStore());
 */
export class MemorySessionStore implements SessionStore {
  readonly #items = new Map<string, { data: SessionData; expires: number }>();

  get(id: string): SessionData | null {
    const item = this.#items.get(id);
    if (!item) return null;
    if (item.expires <= Date.now()) {
      this.#items.delete(id);
      return null;
    }
    return structuredClone(item.data);
  }

  set(id: string, data: SessionData, ttlSeconds: number): void {
    this.#items.set(id, { data: structuredClone(data), expires: Date.now() + ttlSeconds * 1000 });
  }

  delete(id: string): void {
    this.#items.delete(id);
  }

  /** How many sessions are stored (expired ones included until read). */
  get size(): number {
    return this.#items.size;
  }
}

const ID = /^[A-Za-z0-9_-]{43}$/;
const ids = new WeakMap<Session, string>();

/**
 * Sessions kept on the server: the cookie holds only a random 256-bit id, so it reveals nothing and cannot be
 * forged; the data lives in a {@link SessionStore} for PERMANENT_SESSION_LIFETIME. Same cookie attributes and
 * Set-Cookie rules as the cookie session.
 *
 * @example
 * app.sessionInterface = new ServerSideSessionInterface(new MemorySessionStore());
 */
export class ServerSideSessionInterface implements SessionInterface {
  readonly store: SessionStore;

  constructor(store: SessionStore) {
    this.store = store;
  }

  openSession(app: SessionApp, request: Request): Session {
    const id = request.cookies[app.config.SESSION_COOKIE_NAME];
    const data = id && ID.test(id) ? this.store.get(id) : null;
    const session = createSession(data ?? {});
    ids.set(session, data && id ? id : randomBytes(32).toString('base64url'));
    return session;
  }

  saveSession(app: SessionApp, session: Session, response: Response): void {
    const id = ids.get(session) ?? randomBytes(32).toString('base64url');
    writeSessionCookie(
      app,
      session,
      response,
      () => {
        this.store.set(id, session.toJSON(), app.config.PERMANENT_SESSION_LIFETIME);
        return id;
      },
      () => this.store.delete(id),
    );
  }
}
