/** @module The interfaces an app declares its own types in (layer L3): `g`, the session and config keys, by module augmentation (as Hono's `ContextVariableMap`). Empty on purpose: apps merge their fields in. */

/**
 * The fields of `g`, declared by your app. Until you declare one, `g` takes any key as `unknown`; once you do, `g`
 * is exactly this interface, so a typo or a wrong type is a compile error (make fields optional: `g` starts empty
 * for every request).
 *
 * @example
 * declare module 'flagon' {
 *   interface AppGlobals { user?: User; db?: Database }
 * }
 * app.beforeRequest(() => { g.user = loadUser(); }); // g.user: User | undefined
 */
// biome-ignore lint/suspicious/noEmptyInterface: the app fills it in by declaration merging
export interface AppGlobals {}

/**
 * The keys of the session, declared by your app. Until you declare one, the session takes any key as `unknown`;
 * once you do, only these keys (plus the session's own `modified`, `permanent`, …). Make them optional: a new
 * visitor's session is empty, and a cookie signed by an older version of your app may hold other keys.
 *
 * @example
 * declare module 'flagon' {
 *   interface AppSession { userId?: number; cart?: number[] }
 * }
 * session.userId = 7; // a string here is a compile error
 */
// biome-ignore lint/suspicious/noEmptyInterface: the app fills it in by declaration merging
export interface AppSession {}

/**
 * Config keys of your own, with their types, next to Flask's typed keys. Keys you do not declare still read as
 * `unknown` (config also comes from files and environment variables). Declaring a key types it; it does not check
 * that a value was loaded: give it a default in `new App(…, { config })`.
 *
 * @example
 * declare module 'flagon' {
 *   interface AppConfig { DATABASE: string }
 * }
 * const file: string = currentApp.config.DATABASE;
 */
// biome-ignore lint/suspicious/noEmptyInterface: the app fills it in by declaration merging
export interface AppConfig {}

/** `Fallback` until the app declares a field in `Declared`, then `Declared` exactly. */
type Declared<Declared, Fallback> = keyof Declared extends never ? Fallback : Declared;

/** The type of `g`: `AppGlobals` once the app declares a field in it, any key as `unknown` until then. */
export type GlobalsType = Declared<AppGlobals, Record<string, unknown>>;

/** The data of the `session` proxy: `AppSession` once the app declares a key in it, any key as `unknown` until then. */
export type SessionDataType = Declared<AppSession, Record<string, unknown>>;
