/** @module The request line and headers of an environ, without the body: Werkzeug's sans-IO Request (layer L2). */
import { getContentLength, requestHeaders } from '../gateway/environ.js';
import { getCurrentUrl, getHost, hostIsTrusted } from '../gateway/url.js';
import type { Environ } from '../gateway/types.js';
import { parseAccept, type Accept } from '../http/accept.js';
import { Authorization } from '../http/auth.js';
import { parseCacheControl, type RequestCacheControl } from '../http/cache-control.js';
import { parseCookie } from '../http/cookie.js';
import { parseHttpDate } from '../http/dates.js';
import { parseEtags, type ETags } from '../http/etag.js';
import { type HeaderSet, parseSetHeader } from '../http/header-set.js';
import { Headers } from '../http/headers.js';
import { type MultiDict, parseQuery } from '../http/multidict.js';
import { parseIfRange, type IfRange } from '../http/range-headers.js';
import { UserAgent } from '../http/user-agent.js';

/**
 * What {@link BaseRequest} reads from a request's options: the hosts it may answer for.
 *
 * @example
 * new BaseRequest(environ, { trustedHosts: ['.example.com'] });
 */
export interface BaseRequestOptions {
  /** TRUSTED_HOSTS: when set, any other Host reads as `''`. */
  trustedHosts?: readonly string[] | null;
}

/**
 * The request line and headers of a TSGI environ, each read on first use and kept: Werkzeug's sans-IO `Request`.
 * {@link Request} adds the body, the limits and what routing matched; use this class where no body is read.
 *
 * @example
 * const request = new BaseRequest(environ);
 * request.method;              // 'GET'
 * request.userAgent.string;    // 'Mozilla/5.0 …'
 * request.ifNoneMatch.contains('v2');
 */
export class BaseRequest {
  readonly environ: Environ;
  readonly #options: BaseRequestOptions;
  #method?: string;
  #args?: MultiDict<string>;
  #headers?: Headers;
  #cookies?: Record<string, string | undefined>;
  #host?: string;
  #parsed?: Map<string, unknown>;

  constructor(environ: Environ, options: BaseRequestOptions = {}) {
    this.environ = environ;
    this.#options = options;
  }

  /** The method, upper case. */
  get method(): string {
    if (this.#method === undefined) {
      const method = this.environ.REQUEST_METHOD;
      this.#method = method === 'GET' || method === 'POST' || method === 'HEAD' ? method : method.toUpperCase();
    }
    return this.#method;
  }

  /** The path below the application root (PATH_INFO), decoded, starting with `/`. */
  get path(): string {
    const path = this.environ.PATH_INFO;
    return path.startsWith('/') ? path : `/${path}`;
  }

  /** Path and query, as Werkzeug's `full_path`: `/search?q=x` (the `?` is always there). */
  get fullPath(): string {
    return `${this.path}?${this.environ.QUERY_STRING}`;
  }

  /** Where the application is mounted (SCRIPT_NAME). */
  get scriptRoot(): string {
    return this.environ.SCRIPT_NAME;
  }

  /** The full URL, re-quoted. */
  get url(): string {
    return this.#withHost(() => getCurrentUrl(this.environ));
  }

  /** The URL without the query string. */
  get baseUrl(): string {
    return this.#withHost(() => getCurrentUrl(this.environ, { stripQueryString: true }));
  }

  /** The URL of the application root, ending in `/`. */
  get rootUrl(): string {
    return this.#withHost(() => getCurrentUrl(this.environ, { rootOnly: true }));
  }

  /** Scheme and host, ending in `/`. */
  get hostUrl(): string {
    return this.#withHost(() => getCurrentUrl(this.environ, { hostOnly: true }));
  }

  #withHost(build: () => string): string {
    // getCurrentUrl validates the Host itself; an untrusted one must not reach a URL either.
    return this.host === '' ? build().replace(/^(\w+:\/\/)[^/]*/, '$1') : build();
  }

  /** The host the client asked for, port included unless default; `''` when it is not a valid host or not trusted. */
  get host(): string {
    if (this.#host !== undefined) return this.#host;
    let host = getHost(this.environ);
    const trusted = this.#options.trustedHosts;
    if (host && trusted && !hostIsTrusted(host, trusted)) host = '';
    return (this.#host = host);
  }

  get scheme(): 'http' | 'https' {
    return this.environ['tsgi.url_scheme'];
  }

  get isSecure(): boolean {
    return this.scheme === 'https';
  }

  get remoteAddr(): string {
    return this.environ.REMOTE_ADDR;
  }

  /** The query string's arguments; repeated keys kept. */
  get args(): MultiDict<string> {
    return (this.#args ??= parseQuery(this.environ.QUERY_STRING));
  }

  /** The request headers. */
  get headers(): Headers {
    // What the server parsed, read as it is: a value it let through must not make reading headers throw (a 500).
    return (this.#headers ??= Headers.received(requestHeaders(this.environ)));
  }

  /** Cookies by name (null-prototype object). */
  get cookies(): Record<string, string | undefined> {
    return (this.#cookies ??= parseCookie(this.environ.HTTP_COOKIE));
  }

  /** The Content-Type header as sent. */
  get contentType(): string {
    return this.environ.CONTENT_TYPE ?? '';
  }

  /** The media type without parameters, lower case: `application/json`. */
  get mimetype(): string {
    return this.contentType.split(';')[0]!.trim().toLowerCase();
  }

  /** Content-Type parameters: `{ charset: 'utf-8' }`. */
  get mimetypeParams(): Record<string, string> {
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const part of this.contentType.split(';').slice(1)) {
      const [key, ...value] = part.split('=');
      if (key && value.length)
        params[key.trim().toLowerCase()] = value
          .join('=')
          .trim()
          .replace(/^"(.*)"$/, '$1');
    }
    return params;
  }

  get contentLength(): number | null {
    return getContentLength(this.environ);
  }

  /** Whether the body is JSON: `application/json` or `application/*+json`. */
  get isJson(): boolean {
    const type = this.mimetype;
    return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
  }

  get accept(): Accept {
    return this.#acceptOf('HTTP_ACCEPT', 'mime');
  }

  get acceptLanguages(): Accept {
    return this.#acceptOf('HTTP_ACCEPT_LANGUAGE', 'language');
  }

  get acceptCharsets(): Accept {
    return this.#acceptOf('HTTP_ACCEPT_CHARSET', 'plain');
  }

  get acceptEncodings(): Accept {
    return this.#acceptOf('HTTP_ACCEPT_ENCODING', 'plain');
  }

  #acceptOf(key: `HTTP_${string}`, kind: 'mime' | 'language' | 'plain'): Accept {
    return this.#memo(key, () => parseAccept(this.environ[key], kind));
  }

  /**
   * The `Authorization` header, parsed (Basic, Bearer, Digest or another scheme's token and parameters), or `null`
   * when there is none or it cannot be read. Werkzeug's `request.authorization`.
   *
   * @example
   * const auth = req.authorization;
   * if (auth?.type !== 'basic' || !checkUser(auth.username, auth.password)) abort(401);
   */
  get authorization(): Authorization | null {
    return this.#memo('authorization', () => Authorization.fromHeader(this.environ.HTTP_AUTHORIZATION));
  }

  /**
   * The request's `Cache-Control` directives (`noCache`, `maxAge`, …), read-only. Werkzeug's `request.cache_control`.
   *
   * @example
   * if (req.cacheControl.has('no-cache')) return fresh();
   */
  get cacheControl(): RequestCacheControl {
    return this.#memo('cacheControl', () => parseCacheControl(this.environ.HTTP_CACHE_CONTROL));
  }

  /** A value parsed from the environ on first use, then kept: one map for the headers read rarely. */
  #memo<T>(key: string, parse: () => T): T {
    const parsed = (this.#parsed ??= new Map());
    if (!parsed.has(key)) parsed.set(key, parse());
    return parsed.get(key) as T;
  }

  /**
   * The client's addresses, the client first: the `X-Forwarded-For` list when the header is there, else
   * `[remoteAddr]` (Werkzeug's `access_route`). Any client can send that header: trust it only behind a proxy you
   * run, and then prefer `proxyFix`, which takes only the addresses your proxies added.
   *
   * @example
   * req.accessRoute; // ['203.0.113.7', '10.0.0.2'] from X-Forwarded-For: 203.0.113.7, 10.0.0.2
   */
  get accessRoute(): string[] {
    return this.#memo('accessRoute', () => {
      const forwarded = this.environ.HTTP_X_FORWARDED_FOR;
      if (forwarded !== undefined)
        return forwarded
          .split(',')
          .map((address) => address.trim())
          .filter(Boolean);
      return this.remoteAddr ? [this.remoteAddr] : [];
    });
  }

  /**
   * The page the request came from: the `Referer` header, or `null` (Werkzeug's `referrer`). The client sets it, so
   * check it with `isSafeRedirect` before redirecting to it.
   *
   * @example
   * const back = req.referrer;
   * return redirect(back && isSafeRedirect(back, { host: req.host }) ? back : urlFor('index'));
   */
  get referrer(): string | null {
    return this.environ.HTTP_REFERER ?? null;
  }

  /**
   * The User-Agent header as a {@link UserAgent}: `.string` is the header, `''` when none was sent.
   *
   * @example
   * if (req.userAgent.string.includes('curl/')) return text;
   */
  get userAgent(): UserAgent {
    return this.#memo('userAgent', () => new UserAgent(this.environ.HTTP_USER_AGENT));
  }

  /**
   * The `Origin` header of a cross-origin or POST request (`'https://example.com'`), or `null`.
   *
   * @example
   * if (req.origin !== null && req.origin !== 'https://example.com') abort(403);
   */
  get origin(): string | null {
    return this.environ.HTTP_ORIGIN ?? null;
  }

  /**
   * The headers a CORS preflight asks to send (`Access-Control-Request-Headers`), or `null` without one.
   *
   * @example
   * req.accessControlRequestHeaders?.has('x-api-key'); // true for 'X-Api-Key, Content-Type'
   */
  get accessControlRequestHeaders(): HeaderSet | null {
    const header = this.environ.HTTP_ACCESS_CONTROL_REQUEST_HEADERS;
    return header === undefined ? null : this.#memo('acrh', () => parseSetHeader(header));
  }

  /**
   * The method a CORS preflight asks to use (`Access-Control-Request-Method`), or `null` without one.
   *
   * @example
   * if (req.method === 'OPTIONS' && req.accessControlRequestMethod === 'PUT') return preflight();
   */
  get accessControlRequestMethod(): string | null {
    return this.environ.HTTP_ACCESS_CONTROL_REQUEST_METHOD ?? null;
  }

  /**
   * The `If-Match` entity tags, empty when the header is absent: `contains(tag)` compares strongly, as RFC 9110
   * §13.1.1 asks of If-Match.
   *
   * @example
   * if (!req.ifMatch.isEmpty && !req.ifMatch.contains(currentTag)) abort(412);
   */
  get ifMatch(): ETags {
    return this.#memo('ifMatch', () => parseEtags(this.environ.HTTP_IF_MATCH));
  }

  /**
   * The `If-None-Match` entity tags, empty when the header is absent: `containsWeak(tag)` is the comparison RFC 9110
   * §13.1.2 asks of it. `response.makeConditional(req)` applies it for you.
   *
   * @example
   * if (req.ifNoneMatch.containsWeak(currentTag)) return new Response(null, { status: 304 });
   */
  get ifNoneMatch(): ETags {
    return this.#memo('ifNoneMatch', () => parseEtags(this.environ.HTTP_IF_NONE_MATCH));
  }

  /**
   * The `If-Modified-Since` date, or `null` when absent or not an HTTP date.
   *
   * @example
   * if (req.ifModifiedSince && post.updated <= req.ifModifiedSince) return new Response(null, { status: 304 });
   */
  get ifModifiedSince(): Date | null {
    return this.#memo('ifModifiedSince', () => parseHttpDate(this.environ.HTTP_IF_MODIFIED_SINCE));
  }

  /**
   * The `If-Unmodified-Since` date, or `null` when absent or not an HTTP date.
   *
   * @example
   * if (req.ifUnmodifiedSince && post.updated > req.ifUnmodifiedSince) abort(412);
   */
  get ifUnmodifiedSince(): Date | null {
    return this.#memo('ifUnmodifiedSince', () => parseHttpDate(this.environ.HTTP_IF_UNMODIFIED_SINCE));
  }

  /**
   * The `If-Range` header: an entity tag or a date; both `null` when the header is absent.
   *
   * @example
   * req.ifRange.etag; // 'v2' for If-Range: "v2"
   */
  get ifRange(): IfRange {
    return this.#memo('ifRange', () => parseIfRange(this.environ.HTTP_IF_RANGE));
  }

  /**
   * When the client says it sent the request (the `Date` header), or `null` when absent or not an HTTP date.
   *
   * @example
   * req.date?.toISOString(); // '2009-02-28T19:04:35.000Z'
   */
  get date(): Date | null {
    return this.#memo('date', () => parseHttpDate(this.environ.HTTP_DATE));
  }

  /**
   * `Max-Forwards`, how many more proxies a TRACE or OPTIONS may pass, or `null` when absent or not 1*DIGIT.
   *
   * @example
   * req.maxForwards; // 10 for Max-Forwards: 10
   */
  get maxForwards(): number | null {
    const value = this.environ.HTTP_MAX_FORWARDS?.trim();
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
  }

  /**
   * The `Pragma` directives (`no-cache`), an empty set when absent. HTTP/1.0's Cache-Control; read `cacheControl`
   * first.
   *
   * @example
   * req.pragma.has('no-cache');
   */
  get pragma(): HeaderSet {
    return this.#memo('pragma', () => parseSetHeader(this.environ.HTTP_PRAGMA));
  }

  /**
   * The body's `Content-Encoding` (`'gzip'`), or `null`. Flagon does not decode a compressed request body: refuse
   * one you cannot read with 415.
   *
   * @example
   * if (req.contentEncoding !== null) abort(415);
   */
  get contentEncoding(): string | null {
    return this.environ.HTTP_CONTENT_ENCODING ?? null;
  }

  /**
   * The `Content-MD5` header (obsolete since RFC 7231), or `null`.
   *
   * @example
   * req.contentMd5; // '9a3bc6dbc47a70db25b84c6e5867a072'
   */
  get contentMd5(): string | null {
    return this.environ.HTTP_CONTENT_MD5 ?? null;
  }
}
