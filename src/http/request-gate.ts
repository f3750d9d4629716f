/** @module The strict request gate: what a server refuses before any application sees the request (layer L1, sans-IO; docs/gateway.md §6.6). */

/**
 * Why a request head was refused: the status to answer and a short reason for the body. The connection is closed
 * after the answer, since a server that refuses a head cannot trust where its body ends (RFC 9112 §6.3).
 *
 * @example
 * const refusal: HeadRefusal = { status: 505, reason: 'HTTP/2.0 is not served here' };
 */
export interface HeadRefusal {
  status: 400 | 431 | 501 | 505;
  reason: string;
}

/**
 * A parsed request head, as a server's HTTP parser hands it over: the method, the request target as sent (`url`), the
 * version numbers, and the header fields as a flat `[name, value, …]` list. The names are those of Node's
 * `IncomingMessage`, so a node:http server passes its request as it is, with nothing copied.
 *
 * @example
 * const head: RequestHead = { method: 'GET', url: '/', httpVersionMajor: 1, httpVersionMinor: 1, rawHeaders: ['Host', 'a'] };
 */
export interface RequestHead {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  readonly rawHeaders: readonly string[];
}

/**
 * The most header fields a request may have (gunicorn's `limit_request_fields`; Python's http.server, under Flask's dev
 * server, also stops at 100). Browsers send about 20. Past it the answer is 431, before anything reads the fields:
 * Node keeps only the first 2,000 in `rawHeaders` while its parser still frames the body by all of them, so a
 * `Transfer-Encoding` or second `Host` hidden past the 2,000th would slip by every check below.
 *
 * @example
 * if (req.rawHeaders.length > 2 * MAX_HEADER_FIELDS) res.writeHead(431).end();
 */
export const MAX_HEADER_FIELDS = 100;

// RFC 3986 §3.2.2/§3.2.3: IP-literal (an IPv6 address or IPvFuture in brackets) or a reg-name of unreserved,
// pct-encoded and sub-delims characters (an IPv4 address is a reg-name by these characters), then an optional
// port of digits. Nothing else may stand in a Host: no '/', '@', '\\', space or control byte.
const HOST =
  /^(?:\[(?:[0-9A-Fa-f:.]+|[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+)\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+)(?::(\d*))?$/;

/**
 * Whether `value` is a valid `Host` field value or URI authority without userinfo (RFC 9112 §3.2, RFC 3986 §3.2.2):
 * a host name, IPv4 address or bracketed IP literal, and an optional port of at most 65535.
 *
 * @example
 * isValidHost('example.com:8080'); // true
 * isValidHost('good@evil.example'); // false
 * isValidHost('a:99999999');        // false
 */
export function isValidHost(value: string): boolean {
  const match = HOST.exec(value);
  if (match === null) return false;
  const port = match[1];
  return port === undefined || (port.length <= 5 && (port === '' || Number(port) <= 65535));
}

/**
 * The authority of an absolute-form request target (`http://example.com:8080/path` → `example.com:8080`), `''` when
 * the target is not in absolute form, or `null` when it is but its scheme is not http(s) or its authority is not a
 * valid host (userinfo included: RFC 9110 §4.2.4 forbids it in http URIs).
 *
 * @example
 * absoluteTargetAuthority('http://example.com/a?b'); // 'example.com'
 * absoluteTargetAuthority('/a');                     // ''
 * absoluteTargetAuthority('http://user@evil/');       // null
 */
export function absoluteTargetAuthority(target: string): string | null {
  if (target.charCodeAt(0) === 47 /* / */ || target === '*') return '';
  const sep = target.indexOf('://');
  if (sep < 0) return null;
  const scheme = target.slice(0, sep).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return null;
  let end = target.length;
  for (const stop of ['/', '?', '#']) {
    const at = target.indexOf(stop, sep + 3);
    if (at >= 0 && at < end) end = at;
  }
  const authority = target.slice(sep + 3, end);
  return isValidHost(authority) ? authority : null;
}

const refuse = (status: HeadRefusal['status'], reason: string): HeadRefusal => ({ status, reason });

/**
 * The last Host value that passed: a server sees the same few hosts on request after request, and the host grammar's
 * regex was the gate's largest cost (bench/RESULTS.md, whole stack). One string, so a client varying its Host only
 * makes the check run, never grows memory.
 */
let lastValidHost: string | null = null;

// Of the transfer codings (RFC 9112 §7), Flagon implements `chunked` only.
function checkTransferEncoding(values: string, http10: boolean): HeadRefusal | null {
  // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing; refuse rather than guess.
  if (http10) return refuse(400, 'Transfer-Encoding is not allowed in an HTTP/1.0 request');
  const codings = values
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '');
  if (codings.length === 0) return refuse(400, 'empty Transfer-Encoding');
  // RFC 9112 §6.3: when chunked is not the final coding of a request, its length cannot be known: 400, then close.
  if (codings[codings.length - 1] !== 'chunked') return refuse(400, 'the final transfer coding is not chunked');
  if (codings.length === 1) return null;
  // RFC 9112 §6.1: chunked is applied once, last; a coding before it that the server does not implement is a 501.
  const before = codings.slice(0, -1);
  if (before.includes('chunked')) return refuse(400, 'chunked is applied more than once');
  return refuse(501, `the transfer coding ${JSON.stringify(before[0])} is not implemented`);
}

/**
 * Checks a request head that an HTTP/1.x parser accepted against the rules that parsers (Node's llhttp among them)
 * leave to the server. Returns `null` for a head to serve, or the refusal to answer before the application is called:
 *
 * | rule | answer | source |
 * | --- | --- | --- |
 * | a version other than HTTP/1.0 and HTTP/1.1 (HTTP/0.9, a version-less line, HTTP/2.0 over HTTP/1 framing) | 505 | RFC 9110 §15.6.6, §2.5 |
 * | the `*` target with a method other than OPTIONS | 400 | RFC 9112 §3.2.4 |
 * | an absolute-form target that is not http(s) or whose authority is invalid or has userinfo | 400 | RFC 9112 §3.2.2, RFC 9110 §4.2.4 |
 * | any other target that does not start with `/`, or a target with a fragment (`#`) | 400 | RFC 9112 §3.2 |
 * | no Host in HTTP/1.1, two Host fields, or a Host that is not a valid host[:port] | 400 | RFC 9112 §3.2 |
 * | two Content-Type or two Content-Length fields | 400 | RFC 9110 §5.3, §8.6 |
 * | Transfer-Encoding in HTTP/1.0, or a final coding other than chunked, or chunked twice | 400 | RFC 9112 §6.1, §6.3 |
 * | a transfer coding before chunked (gzip, deflate, compress, identity, …): not implemented | 501 | RFC 9112 §6.1 |
 * | more than {@link MAX_HEADER_FIELDS} header fields | 431 | RFC 6585 §5 |
 *
 * @example
 * checkRequestHead({ method: 'GET', url: '/', httpVersionMajor: 2, httpVersionMinor: 0, rawHeaders: [] });
 * // { status: 505, reason: 'HTTP/2.0 is not served here; use HTTP/1.1' }
 */
export function checkRequestHead(head: RequestHead): HeadRefusal | null {
  const { httpVersionMajor: major, httpVersionMinor: minor } = head;
  const target = head.url ?? '';
  if (major !== 1 || (minor !== 0 && minor !== 1))
    return refuse(505, `HTTP/${major}.${minor} is not served here; use HTTP/1.1`);
  // RFC 9112 §3.2: a request target is a path and a query (or a URL, or *); a fragment is never sent (RFC 9110 §7.1).
  if (target.includes('#')) return refuse(400, 'a request target has no fragment (#)');
  if (target.charCodeAt(0) !== 47 /* / */) {
    if (target === '*') {
      if (head.method !== 'OPTIONS') return refuse(400, 'the * target is for OPTIONS only');
    } else if (absoluteTargetAuthority(target) === null) {
      return refuse(400, 'the request target is not a path or an http(s) URL with a valid authority');
    }
  }
  const raw = head.rawHeaders;
  if (raw.length > 2 * MAX_HEADER_FIELDS) return refuse(431, `more than ${MAX_HEADER_FIELDS} header fields`); // RFC 6585 §5
  let hosts = 0;
  let host = '';
  let contentTypes = 0;
  let contentLengths = 0;
  let transferEncoding: string | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // Compare lengths first: most fields are none of these, and this loop runs for every request.
    switch (name.length) {
      case 4:
        if (name.toLowerCase() === 'host') {
          hosts++;
          host = raw[i + 1]!;
        }
        break;
      case 12:
        if (name.toLowerCase() === 'content-type') contentTypes++;
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') contentLengths++;
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding')
          transferEncoding = transferEncoding === null ? raw[i + 1]! : `${transferEncoding},${raw[i + 1]!}`;
        break;
    }
  }
  if (hosts > 1) return refuse(400, 'more than one Host header');
  if (hosts === 0) {
    if (minor === 1) return refuse(400, 'no Host header');
  } else if (host !== lastValidHost) {
    // Checked even with an absolute-form target, whose authority the server uses instead (RFC 9112 §3.2.2).
    if (!isValidHost(host)) return refuse(400, 'the Host header is not a valid host[:port]');
    lastValidHost = host;
  }
  if (contentTypes > 1) return refuse(400, 'more than one Content-Type header');
  if (contentLengths > 1) return refuse(400, 'more than one Content-Length header');
  if (transferEncoding !== null) return checkTransferEncoding(transferEncoding, minor === 0);
  return null;
}
