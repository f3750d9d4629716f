/** @module flagon/sessions: session interfaces and the session object. Re-exports only. */
export { CookieSessionInterface } from './cookie-session.js';
export { MemorySessionStore, ServerSideSessionInterface } from './server-side.js';
export type { SessionStore } from './server-side.js';
export { RedisSessionStore } from './redis-store.js';
export type { RedisSessionClient, RedisSessionStoreOptions } from './redis-store.js';
export { SessionUnavailable } from './errors.js';
export { createSession } from './session.js';
export type { Session, SessionControls, SessionData } from './session.js';
export { signValue, verifyValue } from './signing.js';
export { flaskSign, flaskVerify } from './flask-format.js';
export { sessionCookieOptions, shouldSetCookie, varyOnCookie, writeSessionCookie } from './cookie-options.js';
