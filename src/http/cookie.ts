/** @module Cookies (layer L1): parse a Cookie header and write Set-Cookie values on the `cookie` package, with Flagon's checks and safe defaults. */
import { domainToASCII } from 'node:url';
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
  /**
   * When the cookie expires: a Date, or milliseconds since the epoch as `Date.now()` counts them. Werkzeug's
   * `expires` takes seconds: a port of `expires=time() + 3600` is `Date.now() + 3_600_000` (or `maxAge: 3600`).
   */
  expires?: Date | number;
  /** Default `/`. */
  path?: string | null;
  /** An internationalised name is written in its ASCII (punycode) form: `☃.com` → `xn--n3h.com`. */
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
 * a malformed escape is kept as it is. A quoted value may hold `;` and escaped quotes (`b="\";"` is `";`). When a
 * name repeats, the first value wins (the most specific path, RFC 6265 §5.4). A header that arrives as latin-1 (as
 * node:http gives it) but is valid UTF-8 is read as UTF-8: `fÃ¶=1` is `fö=1`.
 *
 * @example
 * parseCookie('session=abc; theme=dark; note="a b"'); // { session: 'abc', theme: 'dark', note: 'a b' }
 */
export function parseCookie(header: string | null | undefined): Record<string, string | undefined> {
  const cookies = Object.create(null) as Record<string, string | undefined>;
  if (!header) return cookies;
  const text = utf8FromLatin1(header);
  let pos = 0;
  while (pos < text.length) {
    const end = pairEnd(text, pos);
    const pair = text.slice(pos, end);
    pos = end + 1;
    const eq = pair.indexOf('=');
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    if (name === '' || name in cookies) continue;
    const raw = eq < 0 ? '' : pair.slice(eq + 1).trim();
    cookies[name] =
      raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? unslash(raw.slice(1, -1)) : percentDecode(raw);
  }
  return cookies;
}

/**
 * Where the pair starting at `start` ends: the next `;`, unless the value is a quoted string, whose escaped quotes
 * and semicolons (`b="\";"`) belong to it. A quote that is not closed just before a `;` was no quoted string.
 */
function pairEnd(text: string, start: number): number {
  const semi = text.indexOf(';', start);
  const end = semi < 0 ? text.length : semi;
  // '=' is looked for before the next ';' only: a search to the end for each pair made 'a;a;a;…' quadratic.
  let eq = -1;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 61) {
      eq = i;
      break;
    }
  }
  if (eq < 0) return end;
  let open = eq + 1;
  while (text[open] === ' ' || text[open] === '\t') open++;
  if (text[open] !== '"') return semi < 0 ? text.length : semi;
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') {
      let after = i + 1;
      while (text[after] === ' ' || text[after] === '\t') after++;
      if (after === text.length || text[after] === ';') return after;
      break;
    }
  }
  return semi < 0 ? text.length : semi;
}

/**
 * A Cookie header as node:http hands it over is latin-1: each byte one character. Browsers send UTF-8 (Firefox for
 * a cookie set from script, for one), so when the characters past ASCII are the bytes of valid UTF-8, they are
 * read as UTF-8, as Werkzeug does; text that is not valid UTF-8, or already holds wider characters, stays.
 */
function utf8FromLatin1(text: string): string {
  if (!/[\x80-\xff]/.test(text) || /[^\x00-\xff]/.test(text)) return text;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'latin1'));
  } catch {
    return text;
  }
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

/** A cookie domain as a Set-Cookie header can carry it: ASCII, so IDNA (RFC 6265 §4.1.2.3, via node:url's UTS #46). */
function asciiDomain(domain: string | undefined): string | undefined {
  if (domain === undefined || !/[^\x00-\x7f]/.test(domain)) return domain;
  const ascii = domainToASCII(domain);
  if (ascii === '')
    throw new TypeError(
      `cookie domain ${JSON.stringify(domain)} is not a valid domain name; pass a host name such as 'example.com'`,
    );
  return ascii;
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
  // Max-Age is whole seconds (RFC 6265 §5.2.2: a browser ignores `Max-Age=1.9`): a computed `ms / 1000` is floored.
  if (options.maxAge !== undefined && !Number.isFinite(options.maxAge))
    throw new TypeError(`cookie '${name}': maxAge must be a number of seconds, not ${options.maxAge}`);
  const maxAge = options.maxAge === undefined ? undefined : Math.floor(options.maxAge);
  if (maxAge !== undefined && expires === undefined) expires = new Date(Date.now() + maxAge * 1000);
  const header = serialize(name, value, {
    maxAge,
    expires,
    path: options.path === null ? undefined : (options.path ?? '/'),
    domain: asciiDomain(options.domain),
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
export function checkCookieSize(
  name: string,
  header: string,
  limit: number,
  warn: (message: string) => void = defaultWarn,
): void {
  if (limit <= 0 || header.length <= limit / 3) return; // a UTF-16 unit is at most 3 UTF-8 bytes: surely small enough
  const size = Buffer.byteLength(header, 'utf8');
  if (size > limit)
    warn(
      `The '${name}' cookie is ${size} bytes, more than the limit of ${limit} (browsers keep about 4093); it will probably be dropped`,
    );
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
