/** @module Authentication headers (layer L1): Authorization and WWW-Authenticate for Basic, Digest, Bearer and other token or parameter schemes (RFC 9110 §11). */
import { dumpHeader, parseDictHeader, quoteHeaderValue } from './header-values.js';

type Parameters = Record<string, string | null>;

/** A scheme as Werkzeug writes it: Python's `str.title()`, so `digest` → `Digest`, `x-token` → `X-Token`. */
function titleCase(scheme: string): string {
  return scheme
    .toLowerCase()
    .replace(/(^|[^a-z])([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/**
 * Splits `Scheme rest` into the lower-case scheme and what follows. The rest holds parameters when it has an `=`
 * that is not trailing (`realm="x"`); otherwise it is a token, base64 padding included (`abc==`).
 */
function splitCredentials(value: string): { scheme: string; parameters: Parameters | null; token: string | null } {
  const space = value.indexOf(' ');
  const scheme = (space < 0 ? value : value.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : value.slice(space + 1).trim();
  if (rest.replace(/=+$/, '').includes('=')) return { scheme, parameters: parseDictHeader(rest), token: null };
  return { scheme, parameters: null, token: rest };
}

function copyParameters(parameters: Readonly<Parameters> | null | undefined): Parameters {
  return Object.assign(Object.create(null) as Parameters, parameters);
}

function sameParameters(a: Readonly<Parameters>, b: Readonly<Parameters>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && a[key] === b[key]);
}

/**
 * The base64 of RFC 7617, strictly: a character outside the alphabet, wrong padding or bytes that are not UTF-8
 * give `null`, not a guess (Python's b64decode, under Werkzeug, skips stray characters instead).
 */
function decodeBasic(text: string): string | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'base64'));
  } catch {
    return null;
  }
}

/** Defines a property per parameter name, read through `get` (and written through `set` when given). */
function defineParameters(prototype: object, names: readonly string[], writable: boolean): void {
  for (const name of names) {
    Object.defineProperty(prototype, name, {
      configurable: true,
      get(this: { get(name: string): string | null }) {
        return this.get(name);
      },
      set: writable
        ? function set(this: WWWAuthenticate, value: string | null) {
            this.set(name, value);
          }
        : undefined,
    });
  }
}

// The interfaces merged into the classes below type the parameter properties defined on their prototypes.
/**
 * The credentials of an Authorization request header: the scheme (`type`, lower case), and either `parameters`
 * (Digest) or a `token` (Bearer). Basic's token is decoded into the `username` and `password` parameters. Common
 * parameters are properties (`username`, `realm`, `nonce`, …, `null` when absent); `get` reaches any other.
 *
 * @example
 * const auth = Authorization.fromHeader('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
 * [auth?.type, auth?.username, auth?.password]; // ['basic', 'Aladdin', 'open sesame']
 * Authorization.bearer('abc').toString();        // 'Bearer abc'
 */
export interface Authorization {
  readonly username: string | null;
  readonly password: string | null;
  readonly realm: string | null;
  readonly nonce: string | null;
  readonly uri: string | null;
  readonly nc: string | null;
  readonly cnonce: string | null;
  readonly response: string | null;
  readonly opaque: string | null;
  readonly qop: string | null;
  readonly algorithm: string | null;
}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface types the properties defined on the prototype below
export class Authorization {
  readonly type: string;
  readonly parameters: Readonly<Parameters>;
  readonly token: string | null;

  constructor(type: string, parameters: Readonly<Parameters> | null = null, token: string | null = null) {
    this.type = type.toLowerCase();
    this.parameters = Object.freeze(copyParameters(parameters));
    this.token = token;
  }

  /** Basic credentials (RFC 7617). */
  static basic(username: string, password: string): Authorization {
    return new Authorization('basic', { username, password });
  }

  /** A Bearer token (RFC 6750). */
  static bearer(token: string): Authorization {
    return new Authorization('bearer', null, token);
  }

  /**
   * Parses an Authorization header; `null` when it is empty, or Basic credentials that are not valid base64 of
   * UTF-8 text. Another scheme is kept as sent, with its parameters or token.
   */
  static fromHeader(value: string | null | undefined): Authorization | null {
    if (!value) return null;
    const { scheme, parameters, token } = splitCredentials(value);
    if (scheme === 'basic') {
      const decoded = decodeBasic(value.slice(scheme.length).trim());
      if (decoded === null) return null;
      const colon = decoded.indexOf(':');
      return Authorization.basic(
        colon < 0 ? decoded : decoded.slice(0, colon),
        colon < 0 ? '' : decoded.slice(colon + 1),
      );
    }
    return new Authorization(scheme, parameters, token);
  }

  /** A parameter's value, or `null`. */
  get(name: string): string | null {
    return this.parameters[name] ?? null;
  }

  has(name: string): boolean {
    return name in this.parameters;
  }

  /** Same scheme, token and parameters. */
  equals(other: unknown): boolean {
    return (
      other instanceof Authorization &&
      other.type === this.type &&
      other.token === this.token &&
      sameParameters(other.parameters, this.parameters)
    );
  }

  /** The header value. */
  toString(): string {
    if (this.type === 'basic') {
      return `Basic ${Buffer.from(`${this.username ?? ''}:${this.password ?? ''}`, 'utf8').toString('base64')}`;
    }
    if (this.token !== null) return `${titleCase(this.type)} ${this.token}`;
    return `${titleCase(this.type)} ${dumpHeader(this.parameters)}`;
  }
}
defineParameters(
  Authorization.prototype,
  ['username', 'password', 'realm', 'nonce', 'uri', 'nc', 'cnonce', 'response', 'opaque', 'qop', 'algorithm'],
  false,
);

// Digest clients expect these quoted even when they are tokens (RFC 7616 §3.3 writes them as quoted-strings).
const DIGEST_QUOTED = new Set(['realm', 'domain', 'nonce', 'opaque', 'qop']);

/**
 * One challenge of a WWW-Authenticate response header, mutable: the scheme (`type`), and `parameters` or a
 * `token`. Common parameters are properties (`realm`, `nonce`, `scope`, …); setting one to `null` removes it, and
 * `onUpdate` runs after each change so an owner can write the header back.
 *
 * @example
 * const challenge = new WWWAuthenticate('basic', { realm: 'Admin area' });
 * challenge.toString();            // 'Basic realm="Admin area"'
 * challenge.realm = 'Staff';
 * String(challenge);               // 'Basic realm=Staff'
 */
export interface WWWAuthenticate {
  realm: string | null;
  domain: string | null;
  nonce: string | null;
  opaque: string | null;
  stale: string | null;
  algorithm: string | null;
  qop: string | null;
  charset: string | null;
  scope: string | null;
  error: string | null;
}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface types the properties defined on the prototype below
export class WWWAuthenticate {
  #type: string;
  #parameters: Parameters;
  #token: string | null;
  readonly #onUpdate: ((challenge: WWWAuthenticate) => void) | undefined;

  constructor(
    type: string,
    parameters: Readonly<Parameters> | null = null,
    token: string | null = null,
    onUpdate?: (challenge: WWWAuthenticate) => void,
  ) {
    this.#type = type.toLowerCase();
    this.#parameters = copyParameters(parameters);
    this.#token = token;
    this.#onUpdate = onUpdate;
  }

  /** Parses one challenge; `null` when the header is empty. */
  static fromHeader(
    value: string | null | undefined,
    onUpdate?: (challenge: WWWAuthenticate) => void,
  ): WWWAuthenticate | null {
    if (!value) return null;
    const { scheme, parameters, token } = splitCredentials(value);
    return new WWWAuthenticate(scheme, parameters, token, onUpdate);
  }

  get type(): string {
    return this.#type;
  }

  set type(value: string) {
    this.#type = value.toLowerCase();
    this.#onUpdate?.(this);
  }

  get token(): string | null {
    return this.#token;
  }

  set token(value: string | null) {
    this.#token = value;
    this.#onUpdate?.(this);
  }

  /** A copy of the parameters; change them with `set` and `delete`. */
  get parameters(): Readonly<Parameters> {
    return copyParameters(this.#parameters);
  }

  get(name: string): string | null {
    return this.#parameters[name] ?? null;
  }

  has(name: string): boolean {
    return name in this.#parameters;
  }

  /** Sets a parameter; `null` removes it. */
  set(name: string, value: string | null): this {
    if (value === null) delete this.#parameters[name];
    else this.#parameters[name] = value;
    this.#onUpdate?.(this);
    return this;
  }

  /** Removes a parameter; returns whether it was there. */
  delete(name: string): boolean {
    if (!(name in this.#parameters)) return false;
    this.set(name, null);
    return true;
  }

  /** Same scheme, token and parameters. */
  equals(other: unknown): boolean {
    return (
      other instanceof WWWAuthenticate &&
      other.type === this.type &&
      other.token === this.token &&
      sameParameters(other.#parameters, this.#parameters)
    );
  }

  /** The header value. */
  toString(): string {
    const scheme = titleCase(this.#type);
    if (this.#token !== null) return `${scheme} ${this.#token}`;
    const entries = Object.entries(this.#parameters);
    if (entries.length === 0) return scheme;
    if (this.#type !== 'digest') return `${scheme} ${dumpHeader(this.#parameters)}`;
    const items = entries.map(([key, value]) =>
      value === null ? key : `${key}=${quoteHeaderValue(value, !DIGEST_QUOTED.has(key))}`,
    );
    return `Digest ${items.join(', ')}`;
  }
}
defineParameters(
  WWWAuthenticate.prototype,
  ['realm', 'domain', 'nonce', 'opaque', 'stale', 'algorithm', 'qop', 'charset', 'scope', 'error'],
  true,
);
