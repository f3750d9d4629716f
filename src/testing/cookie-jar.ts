/** @module The test client's cookie scopes (layer L4): which stored cookies a request carries, by Domain and Path (RFC 6265 §5.1.3, §5.1.4). */

/** Where a cookie may go: the host that set it, its Domain attribute (or host-only), and its Path. */
export interface CookieScope {
  readonly host: string;
  /** The Domain attribute, lower-case without a leading dot; `null` for a host-only cookie. */
  readonly domain: string | null;
  readonly path: string;
}

/** A Set-Cookie header read as the jar stores it. */
export interface StoredCookie {
  readonly name: string;
  readonly value: string;
  /** Max-Age 0 or less, or an Expires in the past: the cookie is to be removed. */
  readonly expired: boolean;
  readonly scope: CookieScope;
}

/** RFC 6265 §5.1.4's default-path: the request path up to, not including, its last `/` (or `/`). */
function defaultPath(path: string): string {
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

/**
 * Reads a Set-Cookie header received for `url`: its name and value, whether it expires the cookie, and its scope.
 *
 * @example
 * readSetCookie('sid=1; Path=/app; HttpOnly', new URL('http://localhost/app/login')).scope; // { host: 'localhost', domain: null, path: '/app' }
 */
export function readSetCookie(setCookie: string, url: URL): StoredCookie | null {
  const [pair = '', ...attributes] = setCookie.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  let [maxAge, expires, domain, path]: [number | null, number | null, string | null, string | null] = [
    null,
    null,
    null,
    null,
  ];
  for (const attribute of attributes) {
    const [key = '', val = ''] = attribute.split('=').map((part) => part.trim());
    const name = key.toLowerCase();
    if (name === 'max-age' && /^-?\d+$/.test(val)) maxAge = Number(val);
    else if (name === 'expires') expires = Date.parse(val);
    else if (name === 'domain' && val !== '') domain = val.replace(/^\./, '').toLowerCase();
    else if (name === 'path' && val.startsWith('/')) path = val;
  }
  const host = url.hostname.toLowerCase();
  // RFC 6265 §5.3 step 6: a Domain the host is not within is refused, the whole cookie with it.
  if (domain !== null && host !== domain && !host.endsWith(`.${domain}`)) return null;
  // §5.3 step 3: Max-Age wins over Expires.
  const expired = maxAge !== null ? maxAge <= 0 : expires !== null && expires <= Date.now();
  const scope = { host, domain, path: path ?? defaultPath(url.pathname) };
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), expired, scope };
}

/**
 * Whether a cookie of `scope` goes with a request to `url`: the host is the cookie's (host-only) or under its Domain,
 * and the path is its Path or below it. A cookie without a scope (set on `client.cookies` by a test) always goes.
 *
 * @example
 * sendsTo({ host: 'localhost', domain: null, path: '/app' }, new URL('http://localhost/other')); // false
 */
export function sendsTo(scope: CookieScope | undefined, url: URL): boolean {
  if (scope === undefined) return true;
  const host = url.hostname.toLowerCase();
  const hostMatches =
    scope.domain === null ? host === scope.host : host === scope.domain || host.endsWith(`.${scope.domain}`);
  const path = url.pathname;
  const pathMatches =
    path === scope.path ||
    (path.startsWith(scope.path) && (scope.path.endsWith('/') || path[scope.path.length] === '/'));
  return hostMatches && pathMatches;
}

interface JarEntry {
  readonly name: string;
  readonly value: string;
  /** `undefined` for a cookie a test set on the jar: it goes with every request. */
  readonly scope: CookieScope | undefined;
}

/** RFC 6265 §5.3 step 11: one cookie per name, domain (the host for a host-only cookie) and path. */
const keyOf = (name: string, scope: CookieScope | undefined): string =>
  scope === undefined ? `\0${name}` : `${scope.domain ?? scope.host}\0${scope.path}\0${name}`;

/**
 * The test client's cookie jar: one cookie per name, domain and path, as a browser keeps them (RFC 6265 §5.3), so a
 * cookie for `/admin` and one of the same name for `/` both live. Read and changed by name, as a Map: `get` gives
 * the first cookie of that name, `set` adds one that goes with every request, `delete` removes every cookie of that
 * name.
 *
 * @example
 * client.cookies.set('theme', 'dark');
 * client.cookies.get('session'); // the session cookie's raw value
 * client.cookies.clear();
 */
export class CookieJar implements Iterable<[string, string]> {
  readonly #entries = new Map<string, JarEntry>();

  /** How many cookies the jar holds (names may repeat, with different paths or domains). */
  get size(): number {
    return this.#entries.size;
  }

  /** The value of the first cookie named `name`, or `undefined`. */
  get(name: string): string | undefined {
    for (const entry of this.#entries.values()) if (entry.name === name) return entry.value;
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /**
   * Sets the cookie `name` for every request, whatever its host and path, in place of every cookie of that name (so a
   * test can forge or replace the one the app set, as Flask's `client.set_cookie`).
   */
  set(name: string, value: string): this {
    this.delete(name);
    this.#entries.set(keyOf(name, undefined), { name, value, scope: undefined });
    return this;
  }

  /** Removes every cookie named `name`; whether there was one. */
  delete(name: string): boolean {
    let found = false;
    for (const [key, entry] of this.#entries) {
      if (entry.name !== name) continue;
      this.#entries.delete(key);
      found = true;
    }
    return found;
  }

  clear(): void {
    this.#entries.clear();
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const { name, value } of this.#entries.values()) yield [name, value];
  }

  /** `[name, value]` pairs, as a Map's `entries()`. */
  entries(): IterableIterator<[string, string]> {
    return this[Symbol.iterator]();
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this) yield value;
  }

  forEach(fn: (value: string, name: string, jar: CookieJar) => void): void {
    for (const [name, value] of this) fn(value, name, this);
  }

  /** Keeps (or, expired, removes) a cookie a response set, in its own place: its name, domain and path. */
  store(cookie: StoredCookie): void {
    const key = keyOf(cookie.name, cookie.scope);
    this.#entries.delete(key); // a replaced cookie goes to the end, as a new one
    if (!cookie.expired) this.#entries.set(key, { name: cookie.name, value: cookie.value, scope: cookie.scope });
  }

  /** The cookies a request to `url` carries, longer paths first (RFC 6265 §5.4), as `[name, value]` pairs. */
  for(url: URL): Array<[string, string]> {
    const entries = [...this.#entries.values()].filter((entry) => sendsTo(entry.scope, url));
    const depth = (entry: JarEntry): number => entry.scope?.path.length ?? 0;
    return entries.sort((a, b) => depth(b) - depth(a)).map(({ name, value }) => [name, value]);
  }
}
