/** @module The session object (layer L3): dict-like data that records whether it was read or changed, and whether it is permanent. */
import { FlagonError } from '../gateway/errors.js';

/**
 * What session data looks like: JSON-able values by key.
 *
 * @example
 * const data: SessionData = { user: 'ada', cart: [1, 2] };
 */
export type SessionData = Record<string, unknown>;

/**
 * The session's own properties, next to the data.
 *
 * @example
 * session.cart.push(3);
 * session.modified = true; // nested changes are not seen, as in Flask
 */
export interface SessionControls {
  /** Something was set or deleted (set it yourself after changing a nested value, as in Flask). */
  modified: boolean;
  /** Something was read; the response then varies on Cookie. */
  readonly accessed: boolean;
  /** Keep the cookie for PERMANENT_SESSION_LIFETIME instead of until the browser closes. */
  permanent: boolean;
  /** True for the stand-in session of an app without SECRET_KEY. */
  readonly isNull: boolean;
  /** Removes every key. */
  clear(): void;
  /** The data as a plain object (for saving). */
  toJSON(): SessionData;
}

/**
 * A session: your data as properties, typed by `T`, plus {@link SessionControls}.
 *
 * @example
 * const s = session as Session<{ user?: string }>;
 * s.user = 'ada';
 */
export type Session<T extends object = SessionData> = T & SessionControls;

const CONTROL_KEYS = new Set(['modified', 'accessed', 'permanent', 'isNull', 'clear', 'toJSON']);

/**
 * Makes a session over `data`. A null session (no SECRET_KEY) reads as empty and refuses writes with an error that
 * names the fix.
 *
 * @example
 * const s = createSession({ user: 'ada' });
 * s.user;       // 'ada' (accessed is now true)
 * s.cart = [];  // modified is now true
 */
export function createSession<T extends SessionData = SessionData>(
  initial: SessionData = {},
  isNull = false,
): Session<T> {
  const data: SessionData = { ...initial };
  const state = { modified: false, accessed: false };
  const refuse = (): never => {
    throw new FlagonError(
      'FLAGON_ERR_CONFIG',
      'The session is unavailable because no secret key was set. Set the SECRET_KEY on the application to something unique and secret.',
    );
  };
  const controls: Record<string, unknown> = {
    clear: () => {
      if (isNull) refuse();
      for (const key of Object.keys(data)) delete data[key];
      state.modified = true;
    },
    toJSON: () => ({ ...data }),
  };
  return new Proxy(data, {
    get(_target, key) {
      if (typeof key === 'symbol') return undefined;
      if (key === 'modified') return state.modified;
      if (key === 'accessed') return state.accessed;
      if (key === 'isNull') return isNull;
      if (key === 'permanent') return data._permanent === true;
      if (key in controls) return controls[key];
      state.accessed = true;
      return data[key];
    },
    set(_target, key, value) {
      if (typeof key === 'symbol') return false;
      if (key === 'modified') {
        state.modified = Boolean(value);
        return true;
      }
      if (isNull) refuse();
      if (key === 'permanent') {
        if (value) data._permanent = true;
        else delete data._permanent;
      } else if (CONTROL_KEYS.has(key)) {
        return false;
      } else {
        data[key] = value;
      }
      state.modified = true;
      state.accessed = true;
      return true;
    },
    deleteProperty(_target, key) {
      if (typeof key === 'symbol') return false;
      if (isNull) refuse();
      delete data[key];
      state.modified = true;
      state.accessed = true;
      return true;
    },
    has(_target, key) {
      state.accessed = true;
      return typeof key === 'string' && key in data;
    },
    ownKeys() {
      state.accessed = true;
      return Reflect.ownKeys(data);
    },
    getOwnPropertyDescriptor(_target, key) {
      return Reflect.getOwnPropertyDescriptor(data, key);
    },
  }) as Session<T>;
}
