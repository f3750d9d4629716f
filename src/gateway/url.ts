/** @module Request-target and URL helpers for TSGI (layer L0): split a target into PATH_INFO and QUERY_STRING, decode and re-quote paths, rebuild the URL (docs/gateway.md §3.2, §6.4). */
import type { Environ } from './types.js';

const encoder = new TextEncoder();
// Not fatal: bytes that are not valid UTF-8 become U+FFFD, as the WHATWG decoder does (docs/gateway.md §3.2).
const decoder = new TextDecoder('utf-8');

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87; // a-f
  return -1;
}

/**
 * Percent-decodes a path as UTF-8 for `PATH_INFO`. Byte sequences that are not UTF-8 become U+FFFD; an escape that is
 * not `%` plus two hex digits is kept as written. Decodes exactly once: `%2541` becomes `%41`, not `A`.
 *
 * @example
 * decodePathInfo('/caf%C3%A9');   // '/café'
 * decodePathInfo('/bad%FF');      // '/bad\uFFFD'
 */
export function decodePathInfo(rawPath: string): string {
  if (!rawPath.includes('%')) return rawPath;
  const bytes = encoder.encode(rawPath);
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x25 && i + 2 < bytes.length) {
      const high = hexValue(bytes[i + 1]!);
      const low = hexValue(bytes[i + 2]!);
      if (high >= 0 && low >= 0) {
        out[length++] = (high << 4) | low;
        i += 2;
        continue;
      }
    }
    out[length++] = byte;
  }
  return decoder.decode(out.subarray(0, length));
}

/**
 * The parts of a request target that go into the environ (docs/gateway.md §3.1).
 *
 * @example
 * const { pathInfo, queryString }: RequestTarget = splitRequestTarget('/a?b=1');
 */
export interface RequestTarget {
  pathInfo: string;
  queryString: string;
}

/**
 * Splits a request target (`/a%20b?x=1`) into a decoded `PATH_INFO` and a raw `QUERY_STRING`. Handles the
 * absolute form (`http://host/path`, RFC 9112 §3.2.2) and the asterisk form of `OPTIONS *` (PATH_INFO `*`).
 *
 * @example
 * splitRequestTarget('/users/caf%C3%A9?page=2'); // { pathInfo: '/users/café', queryString: 'page=2' }
 */
export function splitRequestTarget(target: string): RequestTarget {
  let path = target;
  let queryString = '';
  const hash = path.indexOf('#'); // never sent by a client; drop it if a caller passes one
  if (hash >= 0) path = path.slice(0, hash);
  const question = path.indexOf('?');
  if (question >= 0) {
    queryString = path.slice(question + 1);
    path = path.slice(0, question);
  }
  if (path === '*') return { pathInfo: '*', queryString };
  if (path.charCodeAt(0) !== 47 /* / */) {
    // absolute form: scheme "://" authority path
    const scheme = path.indexOf('://');
    if (scheme > 0) {
      const slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? '/' : path.slice(slash);
    } else {
      path = `/${path}`;
    }
  }
  return { pathInfo: decodePathInfo(path), queryString };
}

// RFC 3986 pchar minus '%' (which must be re-encoded because PATH_INFO is decoded) plus '/' as separator.
const PATH_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const PATH_UNSAFE_CHAR = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/gu;

/**
 * Percent-encodes a decoded path (`SCRIPT_NAME`, `PATH_INFO`) so it can go back into a URL; the inverse of
 * {@link decodePathInfo} for valid UTF-8.
 *
 * @example
 * quotePath('/café/100%'); // '/caf%C3%A9/100%25'
 */
export function quotePath(path: string): string {
  if (PATH_SAFE.test(path)) return path;
  return path.replace(PATH_UNSAFE_CHAR, (char) => {
    let out = '';
    for (const byte of encoder.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    return out;
  });
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

// RFC 3986 §3.2.2 host (reg-name, IPv4 or bracketed IP literal) with an optional port.
const HOST_PATTERN = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::\d{0,5})?$/;

/**
 * Whether `host` (a port ignored) is one of `trusted`, where an entry with a leading dot trusts the name and every
 * subdomain of it: Werkzeug's `host_is_trusted`, for `TRUSTED_HOSTS`.
 *
 * @example
 * hostIsTrusted('api.example.com:8080', ['.example.com']); // true
 */
export function hostIsTrusted(host: string, trusted: readonly string[]): boolean {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return trusted.some((entry) => {
    const want = entry.toLowerCase();
    return want.startsWith('.') ? name === want.slice(1) || name.endsWith(want) : name === want;
  });
}

/**
 * The host the client asked for: `HTTP_HOST`, else `SERVER_NAME` and `SERVER_PORT`, with the scheme's default port
 * removed. A value that is not a valid RFC 3986 host gives `''`, so a forged Host never reaches a URL.
 *
 * @example
 * getHost({ ...environ, HTTP_HOST: 'example.com:80' });   // 'example.com' (http)
 */
export function getHost(environ: Environ): string {
  const scheme = environ['tsgi.url_scheme'];
  let host = environ.HTTP_HOST;
  if (host === undefined || host === '') {
    host = environ.SERVER_NAME.includes(':') ? `[${environ.SERVER_NAME}]` : environ.SERVER_NAME;
    if (environ.SERVER_PORT !== DEFAULT_PORTS[scheme]) host += `:${environ.SERVER_PORT}`;
  } else if (host.endsWith(`:${DEFAULT_PORTS[scheme]}`)) {
    host = host.slice(0, host.lastIndexOf(':'));
  }
  return HOST_PATTERN.test(host) ? host : '';
}

/**
 * Which parts of the URL {@link getCurrentUrl} returns.
 *
 * @example
 * const options: CurrentUrlOptions = { stripQueryString: true };
 * getCurrentUrl(environ, options);
 */
export interface CurrentUrlOptions {
  /** Only the URL of the application root (scheme, host, SCRIPT_NAME). */
  rootOnly?: boolean;
  /** Leave out the query string. */
  stripQueryString?: boolean;
  /** Only scheme and host. */
  hostOnly?: boolean;
}

/**
 * Rebuilds the URL of the request from the environ, as PEP 3333's "URL reconstruction" does (docs/gateway.md §6.4):
 * scheme, host, quoted SCRIPT_NAME + PATH_INFO, query string.
 *
 * @example
 * getCurrentUrl(environ);                      // 'http://localhost:5000/app/page?x=1'
 * getCurrentUrl(environ, { rootOnly: true });  // 'http://localhost:5000/app/'
 */
export function getCurrentUrl(environ: Environ, options: CurrentUrlOptions = {}): string {
  const base = `${environ['tsgi.url_scheme']}://${getHost(environ)}`;
  if (options.hostOnly) return `${base}/`;
  const root = quotePath(environ.SCRIPT_NAME);
  if (options.rootOnly) return `${base}${root}/`;
  let url = `${base}${root}${quotePath(environ.PATH_INFO)}`;
  if (!options.stripQueryString && environ.QUERY_STRING) url += `?${environ.QUERY_STRING}`;
  return url;
}

/**
 * Moves the first segment of `PATH_INFO` to the end of `SCRIPT_NAME` and returns it, as `wsgiref.util.shift_path_info`
 * does: the building block of mounting one application under another. Returns `undefined` when PATH_INFO is empty.
 *
 * @example
 * // SCRIPT_NAME '', PATH_INFO '/admin/users'
 * shiftPathInfo(environ); // 'admin'; now SCRIPT_NAME '/admin', PATH_INFO '/users'
 */
export function shiftPathInfo(environ: Environ): string | undefined {
  const pathInfo = environ.PATH_INFO;
  if (pathInfo === '' || pathInfo === '/') return undefined;
  const end = pathInfo.indexOf('/', 1);
  const segment = end < 0 ? pathInfo.slice(1) : pathInfo.slice(1, end);
  environ.SCRIPT_NAME += `/${segment}`;
  environ.PATH_INFO = end < 0 ? '' : pathInfo.slice(end);
  return segment;
}
