/** @module Header filters (layer L1): drop entity (content) headers from a 304, or hop-by-hop headers before forwarding, in place. */
import type { HeaderList } from '../gateway/types.js';
import { Headers } from './headers.js';
import { parseListHeader } from './header-values.js';

// RFC 2616 §7.1's entity headers: what describes a body, so what a 304 without one must not send (RFC 9110 §15.4.5).
const ENTITY = new Set([
  'allow',
  'content-encoding',
  'content-language',
  'content-length',
  'content-location',
  'content-md5',
  'content-range',
  'content-type',
  'expires',
  'last-modified',
]);

// RFC 9110 §7.6.1's connection options, with Proxy-Authenticate, Proxy-Authorization and Trailer, which RFC 2616
// §13.5.1 also counted as hop-by-hop (as Werkzeug does).
const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Removes the fields whose lower-case name `drop` picks, from Headers or from a list of pairs, in place. */
function removeWhere(headers: Headers | HeaderList, drop: (lower: string) => boolean): void {
  if (headers instanceof Headers) {
    for (const [name] of headers) if (drop(name.toLowerCase())) headers.delete(name);
    return;
  }
  let kept = 0;
  for (const pair of headers) if (!drop(pair[0].toLowerCase())) headers[kept++] = pair;
  headers.length = kept;
}

/**
 * Removes the entity headers (Content-Type, Content-Length, Last-Modified, …) from Headers or a TSGI header list,
 * in place, as a 304 Not Modified requires. `Expires` and `Content-Location` stay by default: a 304 still sends
 * them (RFC 9110 §15.4.5); pass `allowed` to choose others.
 *
 * @example
 * const headers: HeaderList = [['Date', 'Thu, 01 Jan 1970 00:00:00 GMT'], ['Content-Type', 'text/html']];
 * removeEntityHeaders(headers);
 * headers; // [['Date', 'Thu, 01 Jan 1970 00:00:00 GMT']]
 */
export function removeEntityHeaders(
  headers: Headers | HeaderList,
  allowed: Iterable<string> = ['expires', 'content-location'],
): void {
  const keep = new Set([...allowed].map((name) => name.toLowerCase()));
  removeWhere(headers, (lower) => ENTITY.has(lower) && !keep.has(lower));
}

/**
 * Removes the hop-by-hop headers (Connection, Keep-Alive, Transfer-Encoding, …) from Headers or a TSGI header
 * list, in place, as a proxy must before forwarding a message; the fields that Connection itself names go too
 * (RFC 9110 §7.6.1).
 *
 * @example
 * const headers = new Headers([['Connection', 'close, X-Trace'], ['X-Trace', '1'], ['Vary', 'Cookie']]);
 * removeHopByHopHeaders(headers);
 * [...headers]; // [['Vary', 'Cookie']]
 */
export function removeHopByHopHeaders(headers: Headers | HeaderList): void {
  const named = new Set<string>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() === 'connection')
      for (const option of parseListHeader(value)) named.add(option.toLowerCase());
  }
  removeWhere(headers, (lower) => HOP_BY_HOP.has(lower) || named.has(lower));
}
