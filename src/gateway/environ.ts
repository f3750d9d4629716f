/** @module Environ keys for request headers and other pure environ helpers (layer L0); servers and test builders share them (docs/gateway.md §3). */
import type { Environ, TSGIVersion } from './types.js';

/**
 * The value every TSGI 1.1 server puts in `environ['tsgi.version']`: a server that says `[1, 1]` takes string body
 * chunks and sends them as UTF-8 (docs/gateway.md §3.4, §5.1).
 *
 * @example
 * const environ = { ...otherKeys, 'tsgi.version': TSGI_VERSION };
 */
export const TSGI_VERSION: TSGIVersion = Object.freeze([1, 1] as const);

const keyCache = new Map<string, string | null>();
const KEY_CACHE_LIMIT = 512; // header names are attacker-chosen: the cache must not grow without bound

/**
 * The environ key for a request header name: `Content-Type` → `CONTENT_TYPE`, `Content-Length` → `CONTENT_LENGTH`,
 * anything else → `HTTP_` + upper case with `-` → `_`. Names containing `_` give `null`: the server drops them, since
 * `X_Forwarded_For` would otherwise land on the same key as `X-Forwarded-For` (docs/gateway.md §3.3).
 *
 * @example
 * environKeyForHeader('Accept-Language'); // 'HTTP_ACCEPT_LANGUAGE'
 * environKeyForHeader('X_Real_IP');       // null
 */
export function environKeyForHeader(name: string): string | null {
  let key = keyCache.get(name);
  if (key !== undefined) return key;
  if (name.includes('_')) {
    key = null;
  } else {
    const upper = name.toUpperCase().replaceAll('-', '_');
    key = upper === 'CONTENT_TYPE' || upper === 'CONTENT_LENGTH' ? upper : `HTTP_${upper}`;
  }
  if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(name, key);
  return key;
}

/**
 * Joins a repeated request header onto the value already in the environ: `; ` for `Cookie` (RFC 9113 §8.2.3),
 * `, ` for every other field (RFC 9110 §5.3).
 *
 * @example
 * joinHeaderValue('HTTP_ACCEPT', 'text/html', 'application/json'); // 'text/html, application/json'
 */
export function joinHeaderValue(key: string, previous: string, value: string): string {
  return key === 'HTTP_COOKIE' ? `${previous}; ${value}` : `${previous}, ${value}`;
}

/**
 * Adds request headers to an environ with the key and joining rules of docs/gateway.md §3.3. The headers come as a
 * flat list `[name, value, name, value, …]`, the shape of Node's `req.rawHeaders`, so a server passes them as they are.
 * Returns the number of `Host` headers seen, so a server can reject a request with two (RFC 9112 §3.2).
 *
 * @example
 * addRequestHeaders(environ, ['Accept', 'text/html', 'Cookie', 'a=1', 'Cookie', 'b=2']);
 * environ.HTTP_COOKIE; // 'a=1; b=2'
 */
export function addRequestHeaders(environ: Environ, rawHeaders: readonly string[]): number {
  let hosts = 0;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const key = environKeyForHeader(rawHeaders[i]!);
    if (key === null) continue;
    if (key === 'HTTP_HOST') hosts++;
    const value = rawHeaders[i + 1]!;
    const previous = environ[key];
    environ[key] = typeof previous === 'string' ? joinHeaderValue(key, previous, value) : value;
  }
  return hosts;
}

/**
 * The request headers back out of an environ as `[name, value]` pairs with conventional capitalisation
 * (`HTTP_X_REQUEST_ID` → `X-Request-Id`), including `Content-Type` and `Content-Length`.
 *
 * @example
 * requestHeaders(environ); // [['Host', 'localhost'], ['Accept', '*\/*'], ...]
 */
export function requestHeaders(environ: Environ): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const key of Object.keys(environ)) {
    const value = environ[key];
    if (typeof value !== 'string') continue;
    let name: string;
    if (key.startsWith('HTTP_')) name = key.slice(5);
    else if (key === 'CONTENT_TYPE' || key === 'CONTENT_LENGTH') name = key;
    else continue;
    out.push([
      name
        .toLowerCase()
        .replace(/(^|_)([a-z])/g, (_m, sep: string, ch: string) => `${sep ? '-' : ''}${ch.toUpperCase()}`),
      value,
    ]);
  }
  return out;
}

/**
 * `CONTENT_LENGTH` as a number, or `null` when it is absent or not a plain decimal (RFC 9110 §8.6).
 *
 * @example
 * getContentLength({ ...environ, CONTENT_LENGTH: '42' }); // 42
 */
export function getContentLength(environ: Environ): number | null {
  const value = environ.CONTENT_LENGTH;
  if (value === undefined || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
