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
  let [expired, domain, path]: [boolean, string | null, string | null] = [false, null, null];
  for (const attribute of attributes) {
    const [key = '', val = ''] = attribute.split('=').map((part) => part.trim());
    const name = key.toLowerCase();
    if (name === 'max-age') expired ||= Number(val) <= 0;
    else if (name === 'expires') expired ||= Date.parse(val) <= Date.now();
    else if (name === 'domain' && val !== '') domain = val.replace(/^\./, '').toLowerCase();
    else if (name === 'path' && val.startsWith('/')) path = val;
  }
  const scope = { host: url.hostname.toLowerCase(), domain, path: path ?? defaultPath(url.pathname) };
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
