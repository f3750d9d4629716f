/** @module The response headers Werkzeug's Response sets for you, as live properties (layer L2): Response takes their getters. */
import { WWWAuthenticate } from '../http/auth.js';
import { type ContentSecurityPolicy, parseCSP } from '../http/csp.js';
import { httpDate, parseHttpDate } from '../http/dates.js';
import { HeaderSet, parseSetHeader } from '../http/header-set.js';
import type { Headers } from '../http/headers.js';
import { dumpOptionsHeader, parseOptionsHeader } from '../http/options-header.js';
import { type ContentRange, parseContentRange } from '../http/range-headers.js';

/** What a set header (Vary, Allow, …) may be set to: items, one header value, or `null` to remove it. */
type SetValue = Iterable<string> | string | null;

/** A set header, live: a change writes the header back, and emptying the set removes it (Werkzeug's behaviour). */
function liveSet(headers: Headers, name: string): HeaderSet {
  return parseSetHeader(headers.get(name), (set) => {
    if (set.size === 0) headers.delete(name);
    else headers.set(name, set.toString());
  });
}

function writeSet(headers: Headers, name: string, value: SetValue): void {
  // Items go through a HeaderSet: repeats dropped, and an item with a comma or a space quoted, as the header needs.
  const text = value === null ? '' : typeof value === 'string' ? value : new HeaderSet(value).toString();
  if (text === '') headers.delete(name);
  else headers.set(name, text);
}

/** A date header from a Date or milliseconds since the epoch (as `new Date(ms)`); an invalid date is refused. */
function writeDate(headers: Headers, name: string, value: Date | number | null): void {
  if (value === null) return void headers.delete(name);
  if (Number.isNaN(new Date(value).getTime()))
    throw new RangeError(`${name} takes a valid Date or milliseconds since the epoch, got ${String(value)}`);
  headers.set(name, httpDate(value));
}

/** A policy header, live; emptied, the header goes. (A function: a private method's brand check fails on Response.) */
function livePolicy(headers: Headers, name: string): ContentSecurityPolicy {
  return parseCSP(headers.get(name), (policy) => writeText(headers, name, String(policy) || null));
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Parameters as the header writes them: a value beyond printable ASCII as RFC 8187's `key*=UTF-8''…`. */
function writeParams(headers: Headers, params: Readonly<Record<string, string>>): void {
  const [mimetype] = parseOptionsHeader(headers.get('Content-Type'));
  if (mimetype === '')
    throw new TypeError('the response has no Content-Type to add parameters to: set response.mimetype first');
  const written: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (!TOKEN.test(key))
      throw new TypeError(`a Content-Type parameter is named by a token, got ${JSON.stringify(key)}`);
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new TypeError(`the Content-Type parameter '${key}' takes a string, got ${String(value)}`);
    const text = String(value);
    if (/^[\x20-\x7e]*$/.test(text)) written[key.toLowerCase()] = text;
    else
      written[`${key.toLowerCase()}*`] =
        `UTF-8''${encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
  }
  headers.set('Content-Type', dumpOptionsHeader(mimetype, written));
}

/**
 * The Content-Type's parameters, live (Werkzeug's `mimetype_params`, a CallbackDict): every read parses the header as
 * it is now, and setting or deleting a key writes it back. Keys are compared in lower case, as parameter names are.
 */
function liveParams(headers: Headers): Record<string, string> {
  const current = (): Record<string, string> => parseOptionsHeader(headers.get('Content-Type'))[1];
  const change = (fn: (params: Record<string, string>) => void): true => {
    const params = current();
    fn(params);
    writeParams(headers, params);
    return true;
  };
  const own = (key: string | symbol): string | undefined =>
    typeof key === 'string' ? current()[key.toLowerCase()] : undefined;
  return new Proxy(Object.create(null) as Record<string, string>, {
    get: (_target, key) => own(key),
    has: (_target, key) => own(key) !== undefined,
    ownKeys: () => Object.keys(current()),
    getOwnPropertyDescriptor: (_target, key) => {
      const value = own(key);
      return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
    },
    set: (_target, key, value: string) =>
      typeof key === 'string' &&
      change((params) => {
        params[key.toLowerCase()] = value;
      }),
    defineProperty: (_target, key, descriptor) =>
      typeof key === 'string' &&
      'value' in descriptor &&
      change((params) => {
        params[key.toLowerCase()] = descriptor.value as string;
      }),
    deleteProperty: (_target, key) =>
      typeof key === 'string' &&
      change((params) => {
        delete params[key.toLowerCase()];
      }),
  });
}

/** A header read as a string, `null` when absent; set `null` to remove it. */
function writeText(headers: Headers, name: string, value: string | number | null): void {
  if (value === null) headers.delete(name);
  else headers.set(name, value);
}

/** A whole number of seconds (Age, Access-Control-Max-Age, Retry-After), or `null` when absent or not 1*DIGIT. */
function readSeconds(headers: Headers, name: string): number | null {
  const value = headers.get(name)?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

function checkSeconds(name: string, seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new RangeError(`${name} takes a number of seconds from 0 up, got ${seconds}`);
  return Math.floor(seconds);
}

/**
 * The response headers Werkzeug's Response reads and writes as properties, each live over `headers`: reading parses
 * the header as it is now, setting writes it, `null` removes it. The set headers (`vary`, `allow`, the CORS lists)
 * are `HeaderSet`s whose changes are written back; `contentSecurityPolicy` and `wwwAuthenticate` too.
 * {@link Response} has every one of them, copied onto its prototype: a Response is not an `instanceof` this class.
 *
 * @example
 * response.vary.add('Cookie');
 * response.expires = new Date(Date.now() + 3_600_000);
 * response.accessControlAllowOrigin = 'https://app.example';
 * response.contentSecurityPolicy.defaultSrc = "'self'";
 */
export abstract class ResponseHeaderProperties {
  /** The response's headers: set by {@link Response}. */
  abstract readonly headers: Headers;

  /**
   * The Content-Type's parameters, live: `{ charset: 'utf-8' }`. Setting or deleting a key rewrites the header;
   * setting the whole object replaces them all.
   *
   * @example
   * response.mimetypeParams.charset = 'iso-8859-1'; // Content-Type: text/html; charset=iso-8859-1
   * delete response.mimetypeParams.charset;         // Content-Type: text/html
   */
  get mimetypeParams(): Record<string, string> {
    return liveParams(this.headers);
  }

  set mimetypeParams(params: Readonly<Record<string, string>>) {
    writeParams(this.headers, params);
  }

  /** `Vary`: the request headers the response depends on; live. */
  get vary(): HeaderSet {
    return liveSet(this.headers, 'Vary');
  }

  set vary(value: SetValue) {
    writeSet(this.headers, 'Vary', value);
  }

  /** `Allow`: the methods the resource answers (a 405 sets it); live. */
  get allow(): HeaderSet {
    return liveSet(this.headers, 'Allow');
  }

  set allow(value: SetValue) {
    writeSet(this.headers, 'Allow', value);
  }

  /** `Content-Language`: the languages of the intended audience; live. */
  get contentLanguage(): HeaderSet {
    return liveSet(this.headers, 'Content-Language');
  }

  set contentLanguage(value: SetValue) {
    writeSet(this.headers, 'Content-Language', value);
  }

  /** `Date`, when the response was made (the server adds one when it is missing); set a Date or epoch milliseconds. */
  get date(): Date | null {
    return parseHttpDate(this.headers.get('Date'));
  }

  set date(value: Date | number | null) {
    writeDate(this.headers, 'Date', value);
  }

  /** `Expires`: a Date or epoch milliseconds, after which a cache holds the response stale; `max-age` wins over it. */
  get expires(): Date | null {
    return parseHttpDate(this.headers.get('Expires'));
  }

  set expires(value: Date | number | null) {
    writeDate(this.headers, 'Expires', value);
  }

  /**
   * `Retry-After` of a 503 or 429, as a date (a number of seconds is read as that long from now). Set a `Date`, or a
   * number of seconds.
   */
  get retryAfter(): Date | null {
    const seconds = readSeconds(this.headers, 'Retry-After');
    return seconds === null ? parseHttpDate(this.headers.get('Retry-After')) : new Date(Date.now() + seconds * 1000);
  }

  set retryAfter(value: Date | number | null) {
    if (typeof value === 'number') this.headers.set('Retry-After', checkSeconds('retryAfter', value));
    else writeDate(this.headers, 'Retry-After', value);
  }

  /** `Age`: seconds the response has spent in a cache. */
  get age(): number | null {
    return readSeconds(this.headers, 'Age');
  }

  set age(seconds: number | null) {
    writeText(this.headers, 'Age', seconds === null ? null : checkSeconds('age', seconds));
  }

  /** `Location` of a redirect or a 201; `redirect()` sets it for you. */
  get location(): string | null {
    return this.headers.get('Location');
  }

  set location(value: string | null) {
    writeText(this.headers, 'Location', value);
  }

  /** `Content-Location`: where the content of this response can be fetched on its own. */
  get contentLocation(): string | null {
    return this.headers.get('Content-Location');
  }

  set contentLocation(value: string | null) {
    writeText(this.headers, 'Content-Location', value);
  }

  /** `Content-Encoding` of a body you compressed yourself (`'gzip'`). */
  get contentEncoding(): string | null {
    return this.headers.get('Content-Encoding');
  }

  set contentEncoding(value: string | null) {
    writeText(this.headers, 'Content-Encoding', value);
  }

  /**
   * `Content-Range` of a 206 or 416, parsed; `null` when absent or malformed. Not live: change the range and set it
   * back. `makeConditional()` sets it for you.
   */
  get contentRange(): ContentRange | null {
    return parseContentRange(this.headers.get('Content-Range'));
  }

  set contentRange(value: ContentRange | string | null) {
    writeText(this.headers, 'Content-Range', value === null ? null : String(value));
  }

  /**
   * The `WWW-Authenticate` challenge of a 401, live; an empty Basic challenge when absent, so
   * `response.wwwAuthenticate.realm = 'Staff'` writes `Basic realm=Staff`. Set `null` to remove it.
   */
  get wwwAuthenticate(): WWWAuthenticate {
    const write = (challenge: WWWAuthenticate): void => void this.headers.set('WWW-Authenticate', String(challenge));
    return (
      WWWAuthenticate.fromHeader(this.headers.get('WWW-Authenticate'), write) ??
      new WWWAuthenticate('basic', null, null, write)
    );
  }

  set wwwAuthenticate(value: WWWAuthenticate | null) {
    writeText(this.headers, 'WWW-Authenticate', value === null ? null : String(value));
  }

  /** `Content-Security-Policy`, live: `response.contentSecurityPolicy.defaultSrc = "'self'"` writes the header. */
  get contentSecurityPolicy(): ContentSecurityPolicy {
    return livePolicy(this.headers, 'Content-Security-Policy');
  }

  set contentSecurityPolicy(value: ContentSecurityPolicy | string | null) {
    writeText(this.headers, 'Content-Security-Policy', value === null ? null : String(value) || null);
  }

  /** `Content-Security-Policy-Report-Only`, live: a policy the browser reports on without enforcing it. */
  get contentSecurityPolicyReportOnly(): ContentSecurityPolicy {
    return livePolicy(this.headers, 'Content-Security-Policy-Report-Only');
  }

  set contentSecurityPolicyReportOnly(value: ContentSecurityPolicy | string | null) {
    writeText(this.headers, 'Content-Security-Policy-Report-Only', value === null ? null : String(value) || null);
  }

  /** `Access-Control-Allow-Origin`: the origin (or `*`) allowed to read the response. */
  get accessControlAllowOrigin(): string | null {
    return this.headers.get('Access-Control-Allow-Origin');
  }

  set accessControlAllowOrigin(value: string | null) {
    writeText(this.headers, 'Access-Control-Allow-Origin', value);
  }

  /** `Access-Control-Allow-Credentials: true`, or `false` when absent (setting `false` removes it). */
  get accessControlAllowCredentials(): boolean {
    return this.headers.get('Access-Control-Allow-Credentials') === 'true';
  }

  set accessControlAllowCredentials(value: boolean) {
    writeText(this.headers, 'Access-Control-Allow-Credentials', value ? 'true' : null);
  }

  /** `Access-Control-Allow-Headers` of a preflight answer; live. */
  get accessControlAllowHeaders(): HeaderSet {
    return liveSet(this.headers, 'Access-Control-Allow-Headers');
  }

  set accessControlAllowHeaders(value: SetValue) {
    writeSet(this.headers, 'Access-Control-Allow-Headers', value);
  }

  /** `Access-Control-Allow-Methods` of a preflight answer; live. */
  get accessControlAllowMethods(): HeaderSet {
    return liveSet(this.headers, 'Access-Control-Allow-Methods');
  }

  set accessControlAllowMethods(value: SetValue) {
    writeSet(this.headers, 'Access-Control-Allow-Methods', value);
  }

  /** `Access-Control-Expose-Headers`: the response headers a cross-origin script may read; live. */
  get accessControlExposeHeaders(): HeaderSet {
    return liveSet(this.headers, 'Access-Control-Expose-Headers');
  }

  set accessControlExposeHeaders(value: SetValue) {
    writeSet(this.headers, 'Access-Control-Expose-Headers', value);
  }

  /** `Access-Control-Max-Age`: seconds a browser may cache a preflight answer. */
  get accessControlMaxAge(): number | null {
    return readSeconds(this.headers, 'Access-Control-Max-Age');
  }

  set accessControlMaxAge(seconds: number | null) {
    writeText(
      this.headers,
      'Access-Control-Max-Age',
      seconds === null ? null : checkSeconds('accessControlMaxAge', seconds),
    );
  }

  /** `Cross-Origin-Opener-Policy`; `'unsafe-none'`, the browser's default, when absent. */
  get crossOriginOpenerPolicy(): string {
    return this.headers.get('Cross-Origin-Opener-Policy') ?? 'unsafe-none';
  }

  set crossOriginOpenerPolicy(value: 'unsafe-none' | 'same-origin-allow-popups' | 'same-origin' | null) {
    writeText(this.headers, 'Cross-Origin-Opener-Policy', value);
  }

  /** `Cross-Origin-Embedder-Policy`; `'unsafe-none'`, the browser's default, when absent. */
  get crossOriginEmbedderPolicy(): string {
    return this.headers.get('Cross-Origin-Embedder-Policy') ?? 'unsafe-none';
  }

  set crossOriginEmbedderPolicy(value: 'unsafe-none' | 'require-corp' | 'credentialless' | null) {
    writeText(this.headers, 'Cross-Origin-Embedder-Policy', value);
  }
}
