/** @module flagon/http: sans-IO HTTP utilities. Re-exports only. */
export { STATUS_CODES, statusAllowsBody, statusLine } from './status.js';
export { escapeHtml } from './html.js';
export { Headers } from './headers.js';
export type { HeadersInit } from './headers.js';
export { MultiDict, parseQuery } from './multidict.js';
export type { MultiDictInit } from './multidict.js';
export { MAX_COOKIE_SIZE, checkCookieSize, deleteCookieValue, dumpCookie, parseCookie } from './cookie.js';
export type { CookieOptions } from './cookie.js';
export { httpDate, parseHttpDate } from './dates.js';
export { Accept, parseAccept } from './accept.js';
export type { AcceptItem } from './accept.js';
export { ETags, generateEtag, parseEtags, quoteEtag, unquoteEtag } from './etag.js';
export { evaluatePreconditions, ifRangeMatches, isResourceModified } from './conditional.js';
export type { ConditionalHeaders, PreconditionResult, ResourceValidators } from './conditional.js';
export { contentRange, parseRange, parseRangeHeader, Range } from './range.js';
export type { ByteRange, RangeResult, RangeSpec } from './range.js';
export { ContentRange, IfRange, parseContentRange, parseIfRange } from './range-headers.js';
export { dumpHeader, parseDictHeader, parseListHeader, quoteHeaderValue, unquoteHeaderValue } from './header-values.js';
export { dumpOptionsHeader, parseOptionsHeader } from './options-header.js';
export type { OptionsHeader } from './options-header.js';
export { HeaderSet, parseSetHeader } from './header-set.js';
export { UserAgent } from './user-agent.js';
export { CacheControl, RequestCacheControl, ResponseCacheControl, parseCacheControl } from './cache-control.js';
export { ContentSecurityPolicy, parseCSP } from './csp.js';
export { Authorization, WWWAuthenticate } from './auth.js';
export { removeEntityHeaders, removeHopByHopHeaders } from './header-filters.js';
export { contentTypeFor, mimeTypeFor } from './mime.js';
export { safeJoin, secureFilename } from './safe-join.js';
export { isSafeRedirect } from './safe-redirect.js';
export { iriToUri } from './uri.js';
export type { SafeRedirectOptions } from './safe-redirect.js';
export { absoluteTargetAuthority, checkRequestHead, isValidHost, MAX_HEADER_FIELDS } from './request-gate.js';
export type { HeadRefusal, RequestHead } from './request-gate.js';
export {
  HTTPError,
  BadRequest,
  ClientDisconnected,
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
  RequestedRangeNotSatisfiable,
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
  HTTP_ERRORS,
  abort,
} from './errors.js';
export type { AbortResponse, HTTPErrorOptions } from './errors.js';
