/** @module Cookies (layer L1): parse a Cookie header and write Set-Cookie values on the `cookie` package, with Flagon's checks and safe defaults. */
import { serialize } from 'cookie';

/**
 * Attributes of a Set-Cookie value.
 *
 * @example
 * const options: CookieOptions = { maxAge: 3600, secure: true, sameSite: 'Strict' };
 */
export interface CookieOptions {
  /** Seconds until the cookie expires; also sets Expires for old clients. */
  maxAge?: number;
  expires?: Date | number;
  /** Default `/`. */
  path?: string | null;
  domain?: string;
  secure?: boolean;
  /** Default `true`: scripts cannot read the cookie. Pass `false` for a cookie JavaScript must see. */
  httpOnly?: boolean;
  /** `Strict`, `Lax` or `None` (any case). Default `Lax`. `null` leaves the attribute out. */
  sameSite?: 'Strict' | 'Lax' | 'None' | 'strict' | 'lax' | 'none' | null;
  /** CHIPS partitioned cookie; forces `Secure` as browsers require. */
  partitioned?: boolean;
  /** Where a too-large cookie is reported. Default: a process warning. */
  warn?: (message: string) => void;
  /** The size past which to warn; 0 turns the check off. Default {@link MAX_COOKIE_SIZE}. */
  maxSize?: number;
}

/**
 * Browsers drop cookies larger than 4096 bytes; Werkzeug warns past 4093, leaving room for the header's own bytes.
 *
 * @example
 * if (value.length > MAX_COOKIE_SIZE) storeServerSide(value);
 */
export const MAX_COOKIE_SIZE = 4093;

const defaultWarn = (message: string): void => {
  process.emitWarning(message, { code: 'FLAGON_COOKIE_TOO_LARGE' });
};

/**
 * Parses a Cookie request header into an object with a null prototype (so `__proto__` is an ordinary name), as
 * Werkzeug reads it: a pair without `=` is a name with an empty value, a pair without a name is dropped, and a
 * quoted value loses its quotes and backslash escapes (`"a\"b"` → `a"b`, `\073` → `;`, as Python writes them).
 * An unquoted value is percent-decoded, since `dumpCookie` percent-encodes (as the `cookie` package and Express do);
 * a malformed escape is kept as it is. When a name repeats, the first value wins (the most specific path, RFC 6265
 * §5.4).
 *
 * @example
 * parseCookie('session=abc; theme=dark; note="a b"'); // { session: 'abc', theme: 'dark', note: 'a b' }
 */
export function parseCookie(header: string | null | undefined): Record<string, string | undefined> {
  const cookies = Object.create(null) as Record<string, string | undefined>;
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    if (name === '' || name in cookies) continue;
    const raw = eq < 0 ? '' : pair.slice(eq + 1).trim();
    cookies[name] = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? unslash(raw.slice(1, -1)) : percentDecode(raw);
  }
  return cookies;
}

/** Python's cookie quoting: `\ooo` is an octal byte, `\x` is `x`. Bytes are read as UTF-8, as Werkzeug does. */
function unslash(text: string): string {
  if (!text.includes('\\')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const octal = text[i] === '\\' ? /^[0-3][0-7]{2}/.exec(text.slice(i + 1, i + 4)) : null;
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function normalizeSameSite(value: CookieOptions['sameSite']): 'strict' | 'lax' | 'none' | undefined {
  if (value === null) return undefined;
  const lower = (value ?? 'Lax').toLowerCase();
  if (lower !== 'strict' && lower !== 'lax' && lower !== 'none') {
    throw new TypeError(`sameSite must be 'Strict', 'Lax' or 'None', got ${JSON.stringify(value)}`);
  }
  return lower;
}

/**
 * Serialises a Set-Cookie value. Defaults are the safe ones: `Path=/`, `HttpOnly`, `SameSite=Lax`. `partitioned`
 * forces `Secure`; a result over {@link MAX_COOKIE_SIZE} bytes is reported through `warn`, since browsers drop it
 * silently.
 *
 * @example
 * dumpCookie('theme', 'dark', { maxAge: 3600 });
 * // 'theme=dark; Max-Age=3600; Path=/; Expires=…; HttpOnly; SameSite=Lax'
 */
export function dumpCookie(name: string, value: string, options: CookieOptions = {}): string {
  const partitioned = options.partitioned ?? false;
  let expires = options.expires === undefined ? undefined : new Date(options.expires);
  if (options.maxAge !== undefined && expires === undefined) expires = new Date(Date.now() + options.maxAge * 1000);
  const header = serialize(name, value, {
    maxAge: options.maxAge,
    expires,
    path: options.path === null ? undefined : (options.path ?? '/'),
    domain: options.domain,
    secure: (options.secure ?? false) || partitioned,
    httpOnly: options.httpOnly ?? true,
    sameSite: normalizeSameSite(options.sameSite),
    partitioned,
  });
  checkCookieSize(name, header, options.maxSize ?? MAX_COOKIE_SIZE, options.warn);
  return header;
}

/**
 * Reports a Set-Cookie value larger than `limit` bytes (0 turns the check off) through `warn`, a process warning by
 * default: browsers drop such cookies without a word.
 *
 * @example
 * checkCookieSize('cart', dumpCookie('cart', value, { maxSize: 0 }), 4093);
 */
export function checkCookieSize(name: string, header: string, limit: number, warn: (message: string) => void = defaultWarn): void {
  if (limit <= 0 || header.length <= limit / 3) return; // a UTF-16 unit is at most 3 UTF-8 bytes: surely small enough
  const size = Buffer.byteLength(header, 'utf8');
  if (size > limit) warn(`The '${name}' cookie is ${size} bytes, more than the limit of ${limit} (browsers keep about 4093); it will probably be dropped`);
}

/**
 * A Set-Cookie value that deletes a cookie: empty, expired, `Max-Age=0`. Path and domain must match the ones it
 * was set with.
 *
 * @example
 * deleteCookieValue('session'); // 'session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax'
 */
export function deleteCookieValue(name: string, options: Omit<CookieOptions, 'maxAge' | 'expires'> = {}): string {
  return dumpCookie(name, '', { ...options, maxAge: 0, expires: 0 });
}
