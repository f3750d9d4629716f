/** @module The request headers read rarely, as properties with Werkzeug's names (layer L2): Request's prototype takes them. */
import type { Environ } from '../gateway/types.js';
import { parseHttpDate } from '../http/dates.js';
import { parseEtags, type ETags } from '../http/etag.js';
import { type HeaderSet, parseSetHeader } from '../http/header-set.js';
import { parseListHeader } from '../http/header-values.js';
import { parseRangeHeader, type Range } from '../http/range.js';
import { parseIfRange, type IfRange } from '../http/range-headers.js';
import { UserAgent } from '../http/user-agent.js';

/**
 * What each request parsed of these headers: a map beside the request rather than a field in it, since most requests
 * read none of them and each field costs every Request when it is built.
 */
const parsed = new WeakMap<RequestHeaderProperties, Map<string, unknown>>();

/** A header of `request` parsed on first use, then kept. A function, not a private method: those brand each object too. */
function memo<T>(request: RequestHeaderProperties, key: string, parse: () => T): T {
  let values = parsed.get(request);
  if (values === undefined) parsed.set(request, (values = new Map()));
  if (!values.has(key)) values.set(key, parse());
  return values.get(key) as T;
}

/**
 * The headers Werkzeug's Request reads for you and a view seldom needs: `referrer`, `userAgent`, `origin`,
 * `accessRoute`, the conditional headers and the CORS preflight's. Each is parsed on first use and kept; an absent or
 * unreadable header is `null`, or an empty set for the tag and set headers. {@link Request} has every one of them,
 * copied onto its prototype: a Request is not an `instanceof` this class.
 *
 * @example
 * app.get('/back', (req) => redirect(req.referrer ?? urlFor('index')));
 * req.userAgent.string;          // 'Mozilla/5.0 …'
 * req.ifNoneMatch.containsWeak('v2');
 */
export abstract class RequestHeaderProperties {
  /** The TSGI environ the request reads: set by {@link Request}. */
  abstract readonly environ: Environ;

  /**
   * The client's addresses, the client first: the `X-Forwarded-For` list when the header is there, else
   * `[remoteAddr]` (Werkzeug's `access_route`). Any client can send that header: trust it only behind a proxy you
   * run, and then prefer `proxyFix`, which takes only the addresses your proxies added.
   *
   * @example
   * req.accessRoute; // ['203.0.113.7', '10.0.0.2'] from X-Forwarded-For: 203.0.113.7, 10.0.0.2
   */
  get accessRoute(): readonly string[] {
    return memo(this, 'accessRoute', () => {
      const forwarded = this.environ.HTTP_X_FORWARDED_FOR;
      const route = forwarded === undefined ? [this.environ.REMOTE_ADDR] : parseListHeader(forwarded);
      return Object.freeze(route.filter(Boolean)); // shared by every reader: frozen, as Werkzeug's ImmutableList
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
    return memo(this, 'userAgent', () => new UserAgent(this.environ.HTTP_USER_AGENT));
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
    return header === undefined ? null : memo(this, 'acrh', () => parseSetHeader(header));
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
    return memo(this, 'ifMatch', () => parseEtags(this.environ.HTTP_IF_MATCH));
  }

  /**
   * The `If-None-Match` entity tags, empty when the header is absent: `containsWeak(tag)` is the comparison RFC 9110
   * §13.1.2 asks of it. `response.makeConditional(req)` applies it for you.
   *
   * @example
   * if (req.ifNoneMatch.containsWeak(currentTag)) return new Response(null, { status: 304 });
   */
  get ifNoneMatch(): ETags {
    return memo(this, 'ifNoneMatch', () => parseEtags(this.environ.HTTP_IF_NONE_MATCH));
  }

  /**
   * The `If-Modified-Since` date, or `null` when absent or not an HTTP date.
   *
   * @example
   * if (req.ifModifiedSince && post.updated <= req.ifModifiedSince) return new Response(null, { status: 304 });
   */
  get ifModifiedSince(): Date | null {
    return memo(this, 'ifModifiedSince', () => parseHttpDate(this.environ.HTTP_IF_MODIFIED_SINCE));
  }

  /**
   * The `If-Unmodified-Since` date, or `null` when absent or not an HTTP date.
   *
   * @example
   * if (req.ifUnmodifiedSince && post.updated > req.ifUnmodifiedSince) abort(412);
   */
  get ifUnmodifiedSince(): Date | null {
    return memo(this, 'ifUnmodifiedSince', () => parseHttpDate(this.environ.HTTP_IF_UNMODIFIED_SINCE));
  }

  /**
   * The `If-Range` header: an entity tag or a date; both `null` when the header is absent.
   *
   * @example
   * req.ifRange.etag; // 'v2' for If-Range: "v2"
   */
  get ifRange(): IfRange {
    return memo(this, 'ifRange', () => parseIfRange(this.environ.HTTP_IF_RANGE));
  }

  /**
   * The `Range` header as a {@link Range} (Werkzeug's `request.range`), or `null` when absent or malformed.
   * `sendFile` and static files answer ranges already; this is for views that serve bytes of their own.
   *
   * @example
   * const part = req.range?.rangeForLength(blob.length); // { start: 0, end: 499 } for Range: bytes=0-499
   * if (part) return new Response(blob.subarray(part.start, part.end + 1), { status: 206, headers: { 'Content-Range': String(req.range!.makeContentRange(blob.length)) } });
   */
  get range(): Range | null {
    return memo(this, 'range', () => parseRangeHeader(this.environ.HTTP_RANGE));
  }

  /**
   * When the client says it sent the request (the `Date` header), or `null` when absent or not an HTTP date.
   *
   * @example
   * req.date?.toISOString(); // '2009-02-28T19:04:35.000Z'
   */
  get date(): Date | null {
    return memo(this, 'date', () => parseHttpDate(this.environ.HTTP_DATE));
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
    return memo(this, 'pragma', () => parseSetHeader(this.environ.HTTP_PRAGMA));
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
