/** @module Server-side sessions (layer L3): the cookie carries a random id, the data lives in a store (sync or async); an in-memory store ships. */
import { randomBytes } from 'node:crypto';
import { isPromiseLike } from '../gateway/response.js';
import type { SessionApp, SessionInterface } from '../app/types.js';
import type { Request } from '../wrappers/request.js';
import type { Response } from '../wrappers/response.js';
import { writeSessionCookie } from './cookie-options.js';
import { createSession, type Session, type SessionData } from './session.js';

/**
 * Where server-side sessions live. Each method may answer at once or with a promise: `MemorySessionStore` answers at
 * once, `RedisSessionStore` over the network. A store that cannot answer throws (or rejects with) a
 * `SessionUnavailable`, which the App turns into a 503; it never reads as an empty session. `get` returns a copy:
 * changing it must not change what is stored. Ids are 43 characters of the base64url alphabet (`A-Z a-z 0-9 - _`).
 *
 * @example
 * const store: SessionStore = new MemorySessionStore();
 * await store.set('id', { user: 'ada' }, 3600);
 * await store.get('id'); // { user: 'ada' }
 */
export interface SessionStore {
  /** The data stored under `id`, or `null` when there is none or it expired. */
  get(id: string): SessionData | null | Promise<SessionData | null>;
  /** Stores `data` under `id` for `ttlSeconds` (PERMANENT_SESSION_LIFETIME), replacing what was there. */
  set(id: string, data: SessionData, ttlSeconds: number): void | Promise<void>;
  /** Removes `id`; removing an id that is not there is not an error. */
  delete(id: string): void | Promise<void>;
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
const newId = (): string => randomBytes(32).toString('base64url');

/**
 * Sessions kept on the server: the cookie holds only a random 256-bit id, so it reveals nothing and cannot be
 * forged; the data lives in a {@link SessionStore} for PERMANENT_SESSION_LIFETIME. Same cookie attributes and
 * Set-Cookie rules as the cookie session. With an asynchronous store (Redis), a request that carries the session
 * cookie has its session read before the before-request hooks and the view run (`opensAsync`), so `session` reads
 * synchronously in your code; a request without the cookie gets a new, empty session and no round trip to the
 * store. A new session gets its id when it is first saved.
 *
 * @example
 * app.sessionInterface = new ServerSideSessionInterface(new MemorySessionStore());
 * app.sessionInterface = new ServerSideSessionInterface(new RedisSessionStore({ url: 'redis://localhost:6379' }));
 */
export class ServerSideSessionInterface implements SessionInterface {
  readonly store: SessionStore;
  /** The store may answer with a promise: the App opens the session of a request with the cookie before user code. */
  readonly opensAsync = true;

  constructor(store: SessionStore) {
    this.store = store;
  }

  openSession(app: SessionApp, request: Request): Session | Promise<Session> {
    const id = request.cookies[app.config.SESSION_COOKIE_NAME];
    if (id === undefined || !ID.test(id)) return createSession();
    const data = this.store.get(id);
    return isPromiseLike(data) ? Promise.resolve(data).then((found) => opened(found, id)) : opened(data, id);
  }

  saveSession(app: SessionApp, session: Session, response: Response): void | Promise<void> {
    let id = ids.get(session);
    let pending: void | Promise<void> | undefined;
    writeSessionCookie(
      app,
      session,
      response,
      () => {
        id ??= newId();
        pending = this.store.set(id, session.toJSON(), app.config.PERMANENT_SESSION_LIFETIME);
        return id;
      },
      () => {
        if (id !== undefined) pending = this.store.delete(id);
      },
    );
    return pending;
  }
}

/** The session over what the store found; it keeps the request's id only when the store had data under it. */
function opened(data: SessionData | null, id: string): Session {
  const session = createSession(data ?? {});
  if (data !== null) ids.set(session, id); // an unknown or expired id is never reused: a fresh one is made on save
  return session;
}
