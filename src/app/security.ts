/** @module Security helpers (layer L3): password hashes in Werkzeug's formats, and per-app CSRF protection. */
import { createHash, pbkdf2, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { BadRequest } from '../http/errors.js';
import type { Request } from '../wrappers/request.js';
import { currentContext } from './context.js';
import { FlagonError } from './errors.js';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: string,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;
const pbkdf2Async = promisify(pbkdf2);
const SALT_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Options of {@link generatePasswordHash}: Werkzeug's methods and defaults.
 *
 * @example
 * await generatePasswordHash('s3cret', { method: 'pbkdf2:sha256:600000' });
 */
export interface PasswordHashOptions {
  /** `scrypt` (n=32768, r=8, p=1), `scrypt:N:r:p`, `pbkdf2` (sha256, 1,000,000 rounds) or `pbkdf2:digest:rounds`. */
  method?: string;
  /** Characters of salt, at least 1; 16 by default, as Werkzeug's. */
  saltLength?: number;
}

/** `keyLength`: a stored hash's length, for pbkdf2 (by default the digest's size, as Python's pbkdf2_hmac). */
async function derive(
  method: string,
  password: string,
  salt: string,
  keyLength?: number,
): Promise<{ method: string; hash: string }> {
  const [name = '', ...args] = method.split(':');
  if (name === 'scrypt') {
    const [n = 32768, r = 8, p = 1] = args.map(Number);
    const key = await scryptAsync(password, salt, 64, { N: n, r, p, maxmem: 132 * n * r * p });
    return { method: `scrypt:${n}:${r}:${p}`, hash: key.toString('hex') };
  }
  if (name === 'pbkdf2') {
    const digest = args[0] ?? 'sha256';
    const rounds = Number(args[1] ?? 1_000_000);
    // As Python's pbkdf2_hmac: the key is as long as the digest (20 bytes for sha1, 48 for sha384), and hashlib's
    // names (sha3_256) are OpenSSL's (sha3-256).
    const openssl = digest.replaceAll('_', '-');
    // Earlier Flagon wrote 64-byte keys for digests other than sha256: the stored length reads those hashes too.
    const size = keyLength ?? createHash(openssl).digest().byteLength;
    const key = await pbkdf2Async(password, salt, rounds, size, openssl);
    return { method: `pbkdf2:${digest}:${rounds}`, hash: key.toString('hex') };
  }
  throw new FlagonError('FLAGON_ERR_CONFIG', `unknown password hash method '${method}'; use 'scrypt' or 'pbkdf2'`);
}

/**
 * A salted password hash in Werkzeug's format, `scrypt:32768:8:1$salt$hash` by default, so hashes move between Flask
 * and Flagon apps. Async: scrypt takes tens of milliseconds by design.
 *
 * @example
 * const stored = await generatePasswordHash('correct horse');
 */
export async function generatePasswordHash(password: string, options: PasswordHashOptions = {}): Promise<string> {
  const length = options.saltLength ?? 16;
  if (!Number.isInteger(length) || length < 1)
    throw new FlagonError(
      'FLAGON_ERR_CONFIG',
      `saltLength must be a whole number of at least 1 (16 by default), not ${length}: without a salt, every user with the same password has the same hash`,
    );
  const salt = Array.from({ length }, () => SALT_CHARS[randomInt(SALT_CHARS.length)]).join('');
  const { method, hash } = await derive(options.method ?? 'scrypt', password, salt);
  return `${method}$${salt}$${hash}`;
}

/**
 * Whether `password` matches a hash from {@link generatePasswordHash} (or Werkzeug's `generate_password_hash`),
 * compared in constant time. A malformed hash is simply `false`.
 *
 * @example
 * if (await checkPasswordHash(user.passwordHash, form.get('password') ?? '')) login(user);
 */
export async function checkPasswordHash(stored: string, password: string): Promise<boolean> {
  const [method, salt, hash] = stored.split('$');
  if (!method || salt === undefined || !hash || !/^[0-9a-f]+$/.test(hash)) return false;
  let computed: string;
  try {
    computed = (await derive(method, password, salt, hash.length / 2)).hash;
  } catch {
    return false;
  }
  const a = Buffer.from(computed);
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SESSION_KEY = '_csrf_token';

/**
 * The CSRF token of the current session, created on first use; put it in forms as `csrf_token` (or send it in an
 * `X-CSRF-Token` header). Templates get it as `csrfToken()`.
 *
 * @example
 * return `<form method=post><input type=hidden name=csrf_token value="${csrfToken()}">…</form>`;
 */
export function csrfToken(): string {
  const context = currentContext();
  if (!context?.request)
    throw new FlagonError('FLAGON_ERR_NO_CONTEXT', 'csrfToken() needs a request: call it in a view or template');
  let token = context.session[SESSION_KEY];
  if (typeof token !== 'string') {
    token = randomBytes(32).toString('base64url');
    context.session[SESSION_KEY] = token;
  }
  return token as string;
}

/**
 * The check `app.enableCsrf()` installs: POST, PUT, PATCH and DELETE need the session's token in the `csrf_token`
 * form field or the `X-CSRF-Token` header, else 400.
 *
 * @example
 * await checkCsrf(request, sessionToken);
 */
export async function checkCsrf(request: Request, sessionToken: unknown): Promise<void> {
  if (!UNSAFE.has(request.method)) return;
  const sent =
    request.headers.get('X-CSRF-Token') ??
    request.headers.get('X-CSRFToken') ??
    (await request.form()).get('csrf_token');
  if (!sent) throw new BadRequest('The CSRF token is missing.');
  if (typeof sessionToken !== 'string') throw new BadRequest('The CSRF session token is missing.');
  const a = Buffer.from(sent);
  const b = Buffer.from(sessionToken);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new BadRequest('The CSRF token is invalid.');
}

/**
 * The before-request hook of `app.enableCsrf()`: checks every request's CSRF token, except on the `exempt` endpoints.
 *
 * @example
 * app.beforeRequest(csrfProtection(['stripe_webhook']));
 */
export function csrfProtection(exempt: readonly string[]): (request: Request) => Promise<void> {
  const skip = new Set(exempt);
  return async function csrfProtect(request) {
    const endpoint = request.endpoint;
    if (endpoint !== null && skip.has(endpoint)) return;
    await checkCsrf(request, currentContext()!.session._csrf_token);
  };
}
