/** @module The response side of TSGI as pure functions (layer L0): status lines, header rules and body chunks shared by servers and lint (docs/gateway.md §4, §5). */
import type { BodyChunk } from './types.js';

/**
 * An HTTP token (RFC 9110 §5.6.2): what a header name or a method must be.
 *
 * @example
 * HTTP_TOKEN.test('Content-Type'); // true
 * HTTP_TOKEN.test('Bad Name');     // false
 */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The status code of a TSGI status line, or `-1` when the line is not three digits, a space and a reason
 * (docs/gateway.md §4.1).
 *
 * @example
 * parseStatusCode('404 Not Found'); // 404
 * parseStatusCode('404');           // -1
 */
export function parseStatusCode(status: string): number {
  if (typeof status !== 'string' || status.length < 4 || status.charCodeAt(3) !== 32) return -1;
  const a = status.charCodeAt(0) - 48;
  const b = status.charCodeAt(1) - 48;
  const c = status.charCodeAt(2) - 48;
  if (a < 1 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return -1;
  return a * 100 + b * 10 + c;
}

/**
 * Whether a response header is hop-by-hop (RFC 9110 §7.6.1): the connection belongs to the server, so applications
 * never send these (docs/gateway.md §4.2). Cheap enough for a server's hot path: most names are rejected on length.
 *
 * @example
 * isHopByHop('Transfer-Encoding'); // true
 * isHopByHop('Content-Type');      // false
 */
export function isHopByHop(name: string): boolean {
  switch (name.length) {
    case 2:
      return name.toLowerCase() === 'te';
    case 7:
      return name.toLowerCase() === 'upgrade';
    case 10: {
      const lower = name.toLowerCase();
      return lower === 'connection' || lower === 'keep-alive';
    }
    case 16:
      return name.toLowerCase() === 'proxy-connection';
    case 17:
      return name.toLowerCase() === 'transfer-encoding';
    default:
      return false;
  }
}

/**
 * A server's checks of a `startResponse(status, headers, excInfo)` call (docs/gateway.md §4), shared by every server
 * Flagon has: a second call needs `excInfo`, which is rethrown once the headers are out (PEP 3333's rule); the status
 * must be a final one (`200`–`599`) and the headers a list of pairs. Returns the status code; throws what to fix.
 * `started`: a status was set before; `headersSent`: the head is out. (Booleans, not an object: no allocation per call.)
 *
 * @example
 * const code = checkStartResponse('200 OK', [['Content-Type', 'text/plain']], undefined, false, false); // 200
 */
export function checkStartResponse(
  status: string,
  headers: unknown,
  excInfo: unknown,
  started: boolean,
  headersSent: boolean,
): number {
  if (excInfo !== undefined) {
    if (headersSent) throw excInfo; // too late to change the status: PEP 3333's rule
  } else if (started) {
    throw new Error(
      'startResponse() was called twice; to replace the status after an error, pass the error as excInfo (docs/gateway.md §4.3)',
    );
  }
  const code = parseStatusCode(status);
  if (code < 200 || code > 599) {
    throw new TypeError(
      `startResponse() needs a final status line such as '200 OK', got ${JSON.stringify(status)} (docs/gateway.md §4.1)`,
    );
  }
  if (!Array.isArray(headers))
    throw new TypeError('startResponse() takes headers as an array of [name, value] pairs (docs/gateway.md §4.2)');
  return code;
}

/**
 * Whether a value is a promise or promise-like (what a body's `close()` or an app may return).
 *
 * @example
 * if (isPromiseLike(result)) result.then(undefined, report);
 */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Calls a body's `close()` if it has one (docs/gateway.md §5.3), reporting a throw or a rejection to `onError`
 * instead of letting it escape: a server's answer must not fail because a body failed to clean up. The caller keeps
 * the "exactly once".
 *
 * @example
 * callClose(body, (error) => log('error in body.close()', error));
 */
export function callClose(body: unknown, onError: (error: unknown) => void): void {
  const close = (body as { close?: unknown } | null | undefined)?.close;
  if (typeof close !== 'function') return;
  try {
    const result: unknown = close.call(body);
    if (isPromiseLike(result)) result.then(undefined, onError);
  } catch (error) {
    onError(error);
  }
}

/**
 * Whether a value is a TSGI 1.1 body chunk: a `Uint8Array` (a `Buffer` is one) or a string (docs/gateway.md §5.1).
 *
 * @example
 * isBodyChunk('text');              // true
 * isBodyChunk(new Uint8Array(2));   // true
 * isBodyChunk(42);                  // false
 */
export function isBodyChunk(value: unknown): value is BodyChunk {
  return typeof value === 'string' || value instanceof Uint8Array;
}

/**
 * The number of bytes a body chunk puts on the wire: `byteLength` for bytes, the length of the UTF-8 encoding for a
 * string (never its `.length`, which counts UTF-16 code units: `'é'` is 1 unit and 2 bytes). A lone surrogate
 * counts 3 bytes, the U+FFFD that UTF-8 encoders write for it. Pure JavaScript, so it runs on every runtime; a
 * server on Node may use `Buffer.byteLength(text, 'utf8')`, which gives the same number.
 *
 * @example
 * chunkByteLength('héllo ☃');            // 10
 * chunkByteLength(new Uint8Array(4));    // 4
 */
export function chunkByteLength(chunk: BodyChunk): number {
  if (typeof chunk !== 'string') return chunk.byteLength;
  const units = chunk.length;
  let bytes = units;
  for (let i = 0; i < units; i++) {
    const code = chunk.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) {
      bytes += 1;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < units && (chunk.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: two units, four bytes
      i++;
    } else {
      bytes += 2; // three bytes: the rest of the BMP, and a lone surrogate (written as U+FFFD)
    }
  }
  return bytes;
}

/**
 * What a value that should have been a body chunk was, for an error message: `a number (42)`, `null`,
 * `an object (Object)`, `an array`. Never the contents of a string or an object, which may be large or private.
 *
 * @example
 * throw new TypeError(`the body yielded ${describeChunk(42)}; chunks are strings or Uint8Array`); // 'a number (42)'
 */
export function describeChunk(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `a ${typeof value} (${String(value)})`;
  return `a ${typeof value}`;
}

const encoder = new TextEncoder();

/**
 * A body chunk as bytes: a string is encoded as UTF-8, bytes are returned as they are (not copied). For servers and
 * tools that need bytes (a TSGI 1.0 server, a test collecting the body); a Node server hands strings to
 * `res.write()` instead, which encodes them on the way out at no extra cost.
 *
 * @example
 * toBytes('☃');                         // Uint8Array [0xe2, 0x98, 0x83]
 */
export function toBytes(chunk: BodyChunk): Uint8Array {
  return typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}
