/** @module Flask's session cookie format (layer L3): itsdangerous's URL-safe timed serializer with Flask's settings, to share sessions with a Flask app. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import type { SessionData } from './session.js';

// Flask's SecureCookieSessionInterface: salt 'cookie-session', HMAC key derivation, SHA-1 (itsdangerous).
const SALT = 'cookie-session';

function signature(secret: string, message: string): string {
  const key = createHmac('sha1', secret).update(SALT).digest();
  return createHmac('sha1', key).update(message).digest('base64url');
}

/** Flask's tagged JSON (flask.json.tag) → plain values: tuples become arrays, bytes base64-decoded, dates Date. */
function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, inner] = entries[0]!;
    if (key === ' t') return (inner as unknown[]).map(untag);
    if (key === ' u' || key === ' m') return inner;
    if (key === ' b') return Buffer.from(String(inner), 'base64');
    if (key === ' d') return new Date(String(inner));
    if (key === ' di') return untag(inner);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, untag(v)]));
}

/** JSON as Flask's default provider writes it: keys sorted, non-ASCII escaped (`sort_keys`, `ensure_ascii`). */
function flaskJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((key) => [key, sorted((v as Record<string, unknown>)[key])]),
    );
  };
  return JSON.stringify(sorted(value)).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function intToBase64(seconds: number): string {
  let hex = seconds.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

/**
 * Signs session data as Flask would: compact JSON (zlib-compressed with a leading '.' when that is shorter),
 * base64url, a timestamp, and an HMAC-SHA1 signature with a key derived from SECRET_KEY and 'cookie-session'.
 *
 * @example
 * flaskSign({ user: 'ada' }, 'secret'); // readable by Flask's session with SECRET_KEY 'secret'
 */
export function flaskSign(data: SessionData, secret: string, now = Date.now()): string {
  const json = Buffer.from(flaskJson(data));
  const compressed = deflateSync(json);
  const payload =
    compressed.length < json.length - 1 ? `.${compressed.toString('base64url')}` : json.toString('base64url');
  const body = `${payload}.${intToBase64(Math.floor(now / 1000))}`;
  return `${body}.${signature(secret, body)}`;
}

/**
 * Verifies and decodes a Flask session cookie against `secrets` (current key first, then fallbacks); `null` when
 * anything is off, as for Flagon's own format.
 *
 * @example
 * flaskVerify(cookie, ['secret'], 31 * 86400); // { user: 'ada' } or null
 */
export function flaskVerify(
  cookie: string,
  secrets: readonly string[],
  maxAge: number,
  now = Date.now(),
): SessionData | null {
  const compressed = cookie.startsWith('.');
  const parts = (compressed ? cookie.slice(1) : cookie).split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return null;
  const [payload, stamp, given] = parts as [string, string, string];
  const body = `${compressed ? '.' : ''}${payload}.${stamp}`;
  const givenBytes = Buffer.from(given);
  if (
    !secrets.some((secret) => {
      const expected = Buffer.from(signature(secret, body));
      return expected.length === givenBytes.length && timingSafeEqual(expected, givenBytes);
    })
  )
    return null;
  const seconds = Number.parseInt(Buffer.from(stamp, 'base64url').toString('hex') || 'x', 16);
  const age = Math.floor(now / 1000) - seconds;
  if (!Number.isSafeInteger(seconds) || age < 0 || age > maxAge) return null;
  try {
    const raw = Buffer.from(payload, 'base64url');
    const value = untag(JSON.parse((compressed ? inflateSync(raw) : raw).toString('utf8')));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as SessionData) : null;
  } catch {
    return null;
  }
}
