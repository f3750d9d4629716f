/** @module Timestamped HMAC-SHA256 signatures for cookie values (layer L3): sign, and verify against several keys in constant time. */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SALT = 'flagon.session';

function derive(secret: string): Buffer {
  // One derived key per secret, so the raw SECRET_KEY never signs anything directly (as itsdangerous's key derivation).
  return createHmac('sha256', secret).update(SALT).digest();
}

function mac(secret: string, message: string): string {
  return createHmac('sha256', derive(secret)).update(message).digest('base64url');
}

/**
 * Signs a payload with a timestamp: `base64url(payload).base64url(seconds).base64url(HMAC-SHA256)`.
 *
 * @example
 * const cookie = signValue('{"user":"ada"}', 'secret');
 */
export function signValue(payload: string, secret: string, now = Date.now()): string {
  const body = `${Buffer.from(payload, 'utf8').toString('base64url')}.${Buffer.from(String(Math.floor(now / 1000))).toString('base64url')}`;
  return `${body}.${mac(secret, body)}`;
}

/**
 * The payload of a signed value, or `null` when the value is malformed, truncated, signed with none of `secrets`,
 * older than `maxAge` seconds, or dated in the future. The signature is compared as text, in constant time and only
 * after a length check, so no flipped character (not even in base64's unused bits) passes.
 *
 * @example
 * verifyValue(cookie, ['new-secret', 'old-secret'], 31 * 86400); // '{"user":"ada"}' or null
 */
export function verifyValue(
  signed: string,
  secrets: readonly string[],
  maxAge: number,
  now = Date.now(),
): string | null {
  const parts = signed.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return null;
  const [value, stamp, signature] = parts as [string, string, string];
  const body = `${value}.${stamp}`;
  const given = Buffer.from(signature);
  let valid = false;
  for (const secret of secrets) {
    const expected = Buffer.from(mac(secret, body));
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  if (!valid) return null;
  const seconds = Number(Buffer.from(stamp, 'base64url').toString());
  const age = Math.floor(now / 1000) - seconds;
  if (!Number.isSafeInteger(seconds) || age < 0 || age > maxAge) return null;
  return Buffer.from(value, 'base64url').toString('utf8');
}
