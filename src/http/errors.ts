/** @module HTTP errors as values (layer L1): one class per status, each rendering Flask's default page and usable as a TSGI app. */
import type { GatewayApp } from '../gateway/types.js';
import { Headers, type HeadersInit } from './headers.js';
import { escapeHtml } from './html.js';
import { STATUS_CODES, statusLine } from './status.js';

/**
 * Options every {@link HTTPError} takes.
 *
 * @example
 * throw new BadRequest('Bad page number.', { headers: { 'X-Reason': 'page' }, cause: parseError });
 */
export interface HTTPErrorOptions {
  /** Extra response headers, sent after Content-Type. */
  headers?: HeadersInit;
  /** What caused this error, kept for logs and error handlers. */
  cause?: unknown;
  /**
   * A response that answers in this error's place, as Werkzeug's `HTTPException(response=…)`: the App sends it as it
   * is (a Response, or anything a view may return), without running error handlers. `abort(response)` sets it.
   */
  response?: AbortResponse;
}

/**
 * What `abort()` takes besides a status: a response object with its status (Flagon's Response, or the Fetch one).
 *
 * @example
 * const response: AbortResponse = new Response('Slow down', { status: 429 });
 */
export interface AbortResponse {
  readonly status: number;
}

const encoder = new TextEncoder();

/**
 * An HTTP error response as a throwable value, like Werkzeug's HTTPException: the status, its name and description,
 * extra headers, and whether the description may be shown to the client (`expose`: true for 4xx, false for 5xx).
 * Subclasses set `static status` and `static description`. `gatewayApp` answers any request with the error page.
 *
 * @example
 * throw new NotFound('No user with that id.');
 * const page = new Forbidden().getBody(); // '<!doctype html>\n<html lang=en>\n<title>403 Forbidden</title>…'
 */
export class HTTPError extends Error {
  static readonly status: number = 500;
  static readonly description: string = 'An error occurred.';

  readonly status: number;
  readonly description: string;
  readonly headers: Headers;
  /** Whether the description may be shown to the client; a 5xx may describe internals. */
  readonly expose: boolean;
  /** The response that answers in this error's place (`abort(response)`), or `null`. */
  readonly response: AbortResponse | null;

  constructor(description?: string, options: HTTPErrorOptions = {}) {
    const ctor = new.target as typeof HTTPError;
    const text = description ?? ctor.description;
    super(
      `${ctor.status} ${STATUS_CODES[ctor.status] ?? 'Unknown'}: ${text}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.status = ctor.status;
    this.description = text;
    this.headers = new Headers(options.headers);
    this.expose = ctor.status < 500;
    this.response = options.response ?? null;
  }

  /** The status phrase, `'Not Found'`, as Werkzeug's `name`. */
  override get name(): string {
    return STATUS_CODES[this.status] ?? 'Unknown';
  }

  /** The status, under Werkzeug's name for it (`e.code` in Flask error handlers). @example jsonify({ code: e.code }); */
  get code(): number {
    return this.status;
  }

  /**
   * `404 Not Found: The requested URL…`, as Werkzeug's `str(e)`, for `${e}` and `{{ error }}` in a template (an
   * Error's own toString would put the name in front once more).
   *
   * @example
   * String(new NotFound('No such user.')); // '404 Not Found: No such user.'
   */
  override toString(): string {
    return this.message;
  }

  /** Flask's default error page. */
  getBody(): string {
    const name = escapeHtml(this.name);
    const description = escapeHtml(this.description).replaceAll('\n', '<br>');
    return `<!doctype html>\n<html lang=en>\n<title>${this.status} ${name}</title>\n<h1>${name}</h1>\n<p>${description}</p>\n`;
  }

  /** Content-Type first, then this error's extra headers. */
  getHeaders(): Array<[string, string]> {
    return [['Content-Type', 'text/html; charset=utf-8'], ...this.headers.toList()];
  }

  /**
   * This error as a TSGI app that answers any request with its page, or with its `response` when that is a TSGI
   * response (Flagon's Response; a Fetch Response is converted by the App, not here).
   */
  get gatewayApp(): GatewayApp {
    const replacement = (this.response as { gatewayApp?: unknown } | null)?.gatewayApp;
    if (typeof replacement === 'function') return replacement as GatewayApp;
    return (_environ, startResponse) => {
      startResponse(statusLine(this.status), this.getHeaders());
      return [encoder.encode(this.getBody())];
    };
  }
}

/** 400: the request could not be understood. @example throw new BadRequest('The "page" argument must be a number.'); */
export class BadRequest extends HTTPError {
  static override readonly status = 400;
  static override readonly description = 'The browser (or proxy) sent a request that this server could not understand.';
}

/**
 * 400: the client went away, or its body ended before its Content-Length, while the body was being read (Werkzeug's
 * `ClientDisconnected`). A BadRequest, so the App answers it like any 4xx (no crash log, no 500 handler); nobody is
 * left to read the answer.
 *
 * @example
 * try { await req.json(); } catch (error) { if (error instanceof ClientDisconnected) metrics.count('aborted'); throw error; }
 */
export class ClientDisconnected extends BadRequest {
  constructor(
    description = 'The client disconnected before the whole request body was received.',
    options: HTTPErrorOptions = {},
  ) {
    super(description, options);
  }
}

/**
 * 401: authentication is needed; pass `wwwAuthenticate` to set the challenge header(s).
 *
 * @example
 * throw new Unauthorized(undefined, { wwwAuthenticate: 'Basic realm="admin"' });
 */
export class Unauthorized extends HTTPError {
  static override readonly status = 401;
  static override readonly description =
    "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required.";
  constructor(description?: string, options: HTTPErrorOptions & { wwwAuthenticate?: string | readonly string[] } = {}) {
    super(description, options);
    for (const challenge of [options.wwwAuthenticate ?? []].flat()) this.headers.add('WWW-Authenticate', challenge);
  }
}

/** 402. @example throw new PaymentRequired(); */
export class PaymentRequired extends HTTPError {
  static override readonly status = 402;
  static override readonly description = 'Payment is required to access this resource.';
}

/** 403: authenticated, but not allowed. @example throw new Forbidden(); */
export class Forbidden extends HTTPError {
  static override readonly status = 403;
  static override readonly description =
    "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.";
}

/** 404. @example throw new NotFound(); */
export class NotFound extends HTTPError {
  static override readonly status = 404;
  static override readonly description =
    'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
}

/**
 * 405: the URL exists but not for this method; `Allow` lists the methods that are (RFC 9110 §15.5.6). Text alone
 * (what `abort(405, 'Read-only')` passes) is the description, with no `Allow`.
 *
 * @example
 * throw new MethodNotAllowed(['GET', 'HEAD', 'OPTIONS']);
 */
export class MethodNotAllowed extends HTTPError {
  static override readonly status = 405;
  static override readonly description = 'The method is not allowed for the requested URL.';
  readonly validMethods: readonly string[];
  constructor(validMethods: Iterable<string> | string = [], description?: string, options: HTTPErrorOptions = {}) {
    // A string is iterable too: spread, 'Not here' made `Allow: N, o, t, …`.
    super(typeof validMethods === 'string' ? validMethods : description, options);
    this.validMethods = typeof validMethods === 'string' ? [] : [...validMethods];
    if (this.validMethods.length > 0) this.headers.set('Allow', this.validMethods.join(', '));
  }
}

/** 406. @example throw new NotAcceptable(); */
export class NotAcceptable extends HTTPError {
  static override readonly status = 406;
  static override readonly description =
    'The resource identified by the request is only capable of generating response entities which have content characteristics not acceptable according to the accept headers sent in the request.';
}

/** 407. @example throw new ProxyAuthenticationRequired(); */
export class ProxyAuthenticationRequired extends HTTPError {
  static override readonly status = 407;
  static override readonly description = 'The proxy requires authentication before it forwards this request.';
}

/** 408. @example throw new RequestTimeout(); */
export class RequestTimeout extends HTTPError {
  static override readonly status = 408;
  static override readonly description =
    "The server closed the network connection because the browser didn't finish the request within the specified time.";
}

/** 409. @example throw new Conflict('That name is taken.'); */
export class Conflict extends HTTPError {
  static override readonly status = 409;
  static override readonly description =
    'A conflict happened while processing the request. The resource might have been modified while the request was being processed.';
}

/** 410. @example throw new Gone(); */
export class Gone extends HTTPError {
  static override readonly status = 410;
  static override readonly description =
    'The requested URL is no longer available on this server and there is no forwarding address. If you followed a link from a foreign page, please contact the author of this page.';
}

/** 411. @example throw new LengthRequired(); */
export class LengthRequired extends HTTPError {
  static override readonly status = 411;
  static override readonly description = 'A request with this method requires a valid Content-Length header.';
}

/** 412: a precondition header (If-Match, If-Unmodified-Since) failed. @example throw new PreconditionFailed(); */
export class PreconditionFailed extends HTTPError {
  static override readonly status = 412;
  static override readonly description = 'The precondition on the request for the URL failed positive evaluation.';
}

/** 413: the body is larger than the limit. @example throw new RequestEntityTooLarge(); */
export class RequestEntityTooLarge extends HTTPError {
  static override readonly status = 413;
  static override readonly description = 'The data value transmitted exceeds the capacity limit.';
}

/** 414. @example throw new RequestURITooLarge(); */
export class RequestURITooLarge extends HTTPError {
  static override readonly status = 414;
  static override readonly description =
    'The length of the requested URL exceeds the capacity limit for this server. The request cannot be processed.';
}

/** 415: the body's media type is not supported. @example throw new UnsupportedMediaType(); */
export class UnsupportedMediaType extends HTTPError {
  static override readonly status = 415;
  static override readonly description = 'The server does not support the media type transmitted in the request.';
}

/**
 * 416: the Range cannot be served; with `length`, `Content-Range: bytes *\/length` tells the client the size.
 *
 * @example
 * throw new RequestedRangeNotSatisfiable({ length: 1000 });
 */
export class RequestedRangeNotSatisfiable extends HTTPError {
  static override readonly status = 416;
  static override readonly description = 'The server cannot provide the requested range.';
  constructor(options: HTTPErrorOptions & { length?: number; units?: string; description?: string } = {}) {
    super(options.description, options);
    if (options.length !== undefined)
      this.headers.set('Content-Range', `${options.units ?? 'bytes'} */${options.length}`);
  }
}

/** 417. @example throw new ExpectationFailed(); */
export class ExpectationFailed extends HTTPError {
  static override readonly status = 417;
  static override readonly description = 'The server could not meet the requirements of the Expect header';
}

/** 418. @example throw new ImATeapot(); */
export class ImATeapot extends HTTPError {
  static override readonly status = 418;
  static override readonly description = 'This server is a teapot, not a coffee machine';
}

/**
 * 421: the request reached a server that cannot answer for its host (RFC 9110 §15.5.20).
 *
 * @example
 * throw new MisdirectedRequest();
 */
export class MisdirectedRequest extends HTTPError {
  static override readonly status = 421;
  static override readonly description = 'The server is not able to produce a response.';
}

/** 422: well-formed but semantically wrong. @example throw new UnprocessableEntity('end is before start'); */
export class UnprocessableEntity extends HTTPError {
  static override readonly status = 422;
  static override readonly description =
    'The request was well-formed but was unable to be followed due to semantic errors.';
}

/** 423 (RFC 4918 §11.3). @example throw new Locked(); */
export class Locked extends HTTPError {
  static override readonly status = 423;
  static override readonly description = 'The resource that is being accessed is locked.';
}

/** 424 (RFC 4918 §11.4). @example throw new FailedDependency(); */
export class FailedDependency extends HTTPError {
  static override readonly status = 424;
  static override readonly description =
    'The method could not be performed on the resource because the requested action depended on another action and that action failed.';
}

/** 428. @example throw new PreconditionRequired(); */
export class PreconditionRequired extends HTTPError {
  static override readonly status = 428;
  static override readonly description =
    'This request is required to be conditional; try using "If-Match" or "If-Unmodified-Since".';
}

function retryAfterValue(value: number | Date): string {
  return value instanceof Date ? value.toUTCString() : String(Math.max(0, Math.ceil(value)));
}

/** The options of errors that can tell the client when to come back. */
interface RetryAfterOptions extends HTTPErrorOptions {
  /** Seconds, or a date: sets Retry-After (RFC 9110 §10.2.3). */
  retryAfter?: number | Date;
}

/** 429 and 503 share this, as Werkzeug's `_RetryAfter`: an optional Retry-After header. */
abstract class RetryAfterError extends HTTPError {
  constructor(description?: string, options: RetryAfterOptions = {}) {
    super(description, options);
    if (options.retryAfter !== undefined) this.headers.set('Retry-After', retryAfterValue(options.retryAfter));
  }
}

/** 429; `retryAfter` (seconds or a Date) sets Retry-After. @example throw new TooManyRequests(undefined, { retryAfter: 30 }); */
export class TooManyRequests extends RetryAfterError {
  static override readonly status = 429;
  static override readonly description = 'This user has exceeded an allotted request count. Try again later.';
}

/** 431. @example throw new RequestHeaderFieldsTooLarge(); */
export class RequestHeaderFieldsTooLarge extends HTTPError {
  static override readonly status = 431;
  static override readonly description = 'One or more header fields exceeds the maximum size.';
}

/** 451. @example throw new UnavailableForLegalReasons(); */
export class UnavailableForLegalReasons extends HTTPError {
  static override readonly status = 451;
  static override readonly description = 'Unavailable for legal reasons.';
}

/** 500; `cause` keeps the original error for handlers and logs. @example throw new InternalServerError(undefined, { cause: error }); */
export class InternalServerError extends HTTPError {
  static override readonly status = 500;
  static override readonly description =
    'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.';

  /**
   * The error a view threw that this 500 stands for (`cause`), under Flask's name, `e.original_exception`;
   * `undefined` for a 500 raised as such (`abort(500)`).
   *
   * @example
   * app.errorHandler(500, (e) => (e instanceof InternalServerError && e.originalException instanceof DatabaseError ? ['DB down', 503] : e));
   */
  get originalException(): unknown {
    return this.cause;
  }
}

/** 501. @example throw new NotImplemented(); */
export class NotImplemented extends HTTPError {
  static override readonly status = 501;
  static override readonly description = 'The server does not support the action requested by the browser.';
}

/** 502. @example throw new BadGateway(); */
export class BadGateway extends HTTPError {
  static override readonly status = 502;
  static override readonly description = 'The proxy server received an invalid response from an upstream server.';
}

/** 503; `retryAfter` sets Retry-After. @example throw new ServiceUnavailable(undefined, { retryAfter: 120 }); */
export class ServiceUnavailable extends RetryAfterError {
  static override readonly status = 503;
  static override readonly description =
    'The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.';
}

/** 504. @example throw new GatewayTimeout(); */
export class GatewayTimeout extends HTTPError {
  static override readonly status = 504;
  static override readonly description = 'The connection to an upstream server timed out.';
}

/**
 * 507 (RFC 4918 §11.5): the server could not store what the request needs, e.g. an upload's temp file could not be
 * written (disk full, TMPDIR missing or not writable). As a 5xx its description is not shown to the client.
 *
 * @example
 * throw new InsufficientStorage('The upload could not be written to disk.', { cause: error });
 */
export class InsufficientStorage extends HTTPError {
  static override readonly status = 507;
  static override readonly description = 'The server is unable to store the data needed to complete the request.';
}

/** 505. @example throw new HTTPVersionNotSupported(); */
export class HTTPVersionNotSupported extends HTTPError {
  static override readonly status = 505;
  static override readonly description = 'The server does not support the HTTP protocol version used in the request.';
}

/**
 * The error class for each status, as `abort()` looks them up.
 *
 * @example
 * new HTTP_ERRORS[404]!().status; // 404
 */
export const HTTP_ERRORS: Readonly<Record<number, new (description?: string) => HTTPError>> = Object.freeze(
  Object.fromEntries(
    [
      BadRequest,
      Unauthorized,
      PaymentRequired,
      Forbidden,
      NotFound,
      MethodNotAllowed,
      NotAcceptable,
      ProxyAuthenticationRequired,
      RequestTimeout,
      Conflict,
      Gone,
      LengthRequired,
      PreconditionFailed,
      RequestEntityTooLarge,
      RequestURITooLarge,
      UnsupportedMediaType,
      ExpectationFailed,
      ImATeapot,
      MisdirectedRequest,
      UnprocessableEntity,
      Locked,
      FailedDependency,
      PreconditionRequired,
      TooManyRequests,
      RequestHeaderFieldsTooLarge,
      UnavailableForLegalReasons,
      InternalServerError,
      NotImplemented,
      BadGateway,
      ServiceUnavailable,
      GatewayTimeout,
      HTTPVersionNotSupported,
      InsufficientStorage,
    ]
      .map((cls) => [cls.status, cls as new (description?: string) => HTTPError])
      .concat([
        [
          416,
          class extends RequestedRangeNotSatisfiable {
            constructor(description?: string) {
              super({ description });
            }
          },
        ],
      ]),
  ),
);

/** Flagon's Response (a TSGI app) or the Fetch one, told by shape: the http layer knows neither class. */
function isResponse(value: unknown): value is AbortResponse {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { status?: unknown; gatewayApp?: unknown; arrayBuffer?: unknown; headers?: unknown };
  return (
    typeof candidate.status === 'number' &&
    typeof candidate.headers === 'object' &&
    (typeof candidate.gatewayApp === 'function' || typeof candidate.arrayBuffer === 'function')
  );
}

/**
 * Throws the {@link HTTPError} for a status, as Flask's `abort(404)`. An unknown status is a programming error and
 * throws a plain `Error` that says so. Given a response instead, as Flask's `abort(response)`, it throws an error
 * that carries it: the App answers with that response, and no error handler runs.
 *
 * @example
 * if (!user) abort(404, 'No such user.');
 * if (tooMany) abort(new Response('Slow down', { status: 429, headers: { 'Retry-After': '60' } }));
 */
export function abort(status: number, description?: string): never;
export function abort(response: AbortResponse): never;
export function abort(status: number | AbortResponse, description?: string): never {
  if (typeof status !== 'number') {
    if (!isResponse(status)) {
      const promised = typeof (status as { then?: unknown } | null)?.then === 'function';
      throw new TypeError(
        promised
          ? 'abort() got a promise, not a Response: await it first, abort(await makeResponse(…)) (makeResponse is async)'
          : `abort() takes a status number, abort(404), or a Response, abort(new Response('Slow down', { status: 429 })); got ${typeof status === 'object' ? 'an object that is no Response' : JSON.stringify(status)}`,
      );
    }
    throw new HTTPError(undefined, { response: status });
  }
  const ErrorClass = HTTP_ERRORS[status];
  if (ErrorClass === undefined) {
    throw new Error(
      `abort(${status}): no HTTP error class for that status; use one of ${Object.keys(HTTP_ERRORS).join(', ')}, or return a response with that status`,
    );
  }
  throw new ErrorClass(description);
}
