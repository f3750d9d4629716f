/** @module Response: status, headers and a body (bytes, a stream, or a file range) that is itself a TSGI app (layer L2). */
import { createReadStream, type ReadStream } from 'node:fs';
import type { Body, GatewayApp, StartResponse } from '../gateway/types.js';
import { evaluatePreconditions, ifRangeMatches } from '../http/conditional.js';
import { deleteCookieValue, dumpCookie, type CookieOptions } from '../http/cookie.js';
import { httpDate, parseHttpDate } from '../http/dates.js';
import { PreconditionFailed, RequestedRangeNotSatisfiable } from '../http/errors.js';
import { generateEtag, quoteEtag } from '../http/etag.js';
import { checkHeaderValue, Headers, type HeadersInit } from '../http/headers.js';
import { contentTypeFor } from '../http/mime.js';
import { contentRange, parseRange } from '../http/range.js';
import { statusLine } from '../http/status.js';
import type { Request } from './request.js';

/**
 * What a response body may be given as; strings are sent as UTF-8.
 *
 * @example
 * const body: ResponseBody = (async function* () { yield 'streamed '; yield 'text'; })();
 */
export type ResponseBody = string | Uint8Array | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string> | null | undefined;

/**
 * Status, headers and media type of a new {@link Response}.
 *
 * @example
 * new Response('{}', { status: 201, mimetype: 'application/json', headers: { Location: '/items/1' } });
 */
export interface ResponseInit {
  status?: number;
  headers?: HeadersInit;
  /** `text/plain`; a text type gets `; charset=utf-8`. Default `text/html`. */
  mimetype?: string;
  /** The whole Content-Type value, when `mimetype` is not enough. */
  contentType?: string;
}

/**
 * Options of {@link Response.makeConditional}.
 *
 * @example
 * response.makeConditional(request, { acceptRanges: false });
 */
export interface ConditionalOptions {
  /** Answer Range requests with 206/416 and advertise `Accept-Ranges: bytes`. Default true. */
  acceptRanges?: boolean;
}

type Source =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'stream'; chunks: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string> }
  | { kind: 'file'; path: string; start: number; end: number };

const encoder = new TextEncoder();
const EMPTY: Source = { kind: 'bytes', bytes: new Uint8Array(0) };
const DEFAULT_CONTENT_TYPE = 'text/html; charset=utf-8';
const NO_INIT: ResponseInit = Object.freeze({});

function toSource(body: ResponseBody): Source {
  if (body === null || body === undefined) return EMPTY;
  // Buffer.from uses Node's pooled fast path: several times faster than TextEncoder for small bodies.
  if (typeof body === 'string') return { kind: 'bytes', bytes: Buffer.from(body, 'utf8') };
  if (body instanceof Uint8Array) return { kind: 'bytes', bytes: body };
  return { kind: 'stream', chunks: body };
}

async function* encodeChunks(chunks: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

/**
 * An outgoing response, Werkzeug-style: mutable status and headers, a body, cookie and cache helpers, and
 * `gatewayApp` to send it through any TSGI server. The default Content-Type is `text/html; charset=utf-8`.
 *
 * @example
 * const response = new Response('<h1>Hi</h1>');
 * response.setCookie('seen', '1', { maxAge: 3600 });
 * const json = new Response(JSON.stringify({ ok: true }), { status: 201, mimetype: 'application/json' });
 */
export class Response {
  /** The headers, made on first use: until then the response has just its Content-Type (see `#contentType`). */
  #headers: Headers | null = null;
  /** The Content-Type of a response whose headers nobody has asked for yet; it goes first when they are made. */
  #contentType: string;
  #status = 200;
  #source: Source;
  #openFile: ReadStream | null = null;

  constructor(body?: ResponseBody, init: ResponseInit = NO_INIT) {
    if (init.status !== undefined) this.status = init.status;
    this.#source = toSource(body);
    this.#contentType = init.contentType === undefined && init.mimetype === undefined
      ? DEFAULT_CONTENT_TYPE
      : checkHeaderValue('Content-Type', init.contentType ?? contentTypeFor(init.mimetype!));
    if (init.headers !== undefined) {
      const headers = new Headers(init.headers);
      // A Content-Type among the headers wins over the default, not over an explicit contentType or mimetype.
      if (init.contentType !== undefined || init.mimetype !== undefined || !headers.has('Content-Type')) headers.set('Content-Type', this.#contentType);
      this.#headers = headers;
    }
  }

  /**
   * The response's header fields. Most responses never touch them (a view returned a string, sent as it is), so they
   * are made on first use; the Content-Type is among them from the start.
   */
  get headers(): Headers {
    if (this.#headers === null) {
      this.#headers = new Headers();
      this.#headers.add('Content-Type', this.#contentType);
    }
    return this.#headers;
  }

  get status(): number {
    return this.#status;
  }

  set status(code: number) {
    if (!Number.isInteger(code) || code < 100 || code > 999) throw new RangeError(`${code} is not an HTTP status code (100-999)`);
    this.#status = code;
  }

  /** `'200 OK'`. */
  get statusLine(): string {
    return statusLine(this.#status);
  }

  /** The media type without parameters. */
  get mimetype(): string {
    return (this.headers.get('Content-Type') ?? '').split(';')[0]!.trim();
  }

  set mimetype(value: string) {
    this.headers.set('Content-Type', contentTypeFor(value));
  }

  /** Replaces the body. */
  setData(body: ResponseBody): void {
    this.close();
    this.#source = toSource(body);
  }

  /** The whole body as bytes; a streamed body is read and kept. */
  async getData(): Promise<Uint8Array> {
    const source = this.#source;
    if (source.kind === 'bytes') return source.bytes;
    const chunks: Uint8Array[] = [];
    const iterable = source.kind === 'stream' ? encodeChunks(source.chunks) : createReadStream(source.path, { start: source.start, end: source.end });
    for await (const chunk of iterable) chunks.push(chunk as Uint8Array);
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    this.#source = { kind: 'bytes', bytes };
    return bytes;
  }

  /** Whether the body is an iterable whose length is unknown. */
  get isStreamed(): boolean {
    return this.#source.kind === 'stream';
  }

  /** The body length when known (bytes or a file range), else `null`. */
  get contentLength(): number | null {
    const source = this.#source;
    if (source.kind === 'bytes') return source.bytes.byteLength;
    if (source.kind === 'file') return source.end - source.start + 1;
    return null;
  }

  /** @internal Used by `sendFile`: the body is bytes `start`..`end` (inclusive) of a file. */
  setFile(path: string, size: number): void {
    this.close();
    this.#source = size === 0 ? EMPTY : { kind: 'file', path, start: 0, end: size - 1 };
  }

  /** Adds a Set-Cookie header; the defaults are `Path=/`, `HttpOnly`, `SameSite=Lax`. */
  setCookie(name: string, value = '', options: CookieOptions = {}): void {
    this.headers.add('Set-Cookie', dumpCookie(name, value, options));
  }

  /** Adds a Set-Cookie header that deletes the cookie; pass the path and domain it was set with. */
  deleteCookie(name: string, options: Omit<CookieOptions, 'maxAge' | 'expires'> = {}): void {
    this.headers.add('Set-Cookie', deleteCookieValue(name, options));
  }

  /** Sets the ETag header. */
  setEtag(etag: string, weak = false): void {
    this.headers.set('ETag', quoteEtag(etag, weak));
  }

  /** Adds an ETag from the SHA-1 of the body (a bytes body; call `await getData()` first for a stream). */
  addEtag(overwrite = false, weak = false): void {
    if (!overwrite && this.headers.has('ETag')) return;
    const source = this.#source;
    if (source.kind !== 'bytes') throw new TypeError('addEtag() needs the body in memory: call `await response.getData()` first, or setEtag() with a tag of your own');
    this.setEtag(generateEtag(source.bytes), weak);
  }

  set lastModified(date: Date | number | null) {
    if (date === null) this.headers.delete('Last-Modified');
    else this.headers.set('Last-Modified', httpDate(date));
  }

  get lastModified(): Date | null {
    return parseHttpDate(this.headers.get('Last-Modified'));
  }

  /**
   * Applies the request's preconditions and Range (RFC 9110 §13.2.2): 412 when If-Match or If-Unmodified-Since
   * fails, 304 when the client's copy is current, 206 with Content-Range for one satisfiable range (If-Range
   * permitting), 416 with `Content-Range: bytes *\/N` when none is. Only touches 2xx responses.
   *
   * @example
   * response.setEtag('v2');
   * response.makeConditional(request); // 304 if the client sent If-None-Match: "v2"
   */
  makeConditional(request: Request, options: ConditionalOptions = {}): this {
    if (this.#status < 200 || this.#status > 299) return this;
    const header = (name: string): string | null => request.headers.get(name);
    if (!this.headers.has('Date')) this.headers.set('Date', httpDate());
    const validators = { etag: this.headers.get('ETag'), lastModified: this.lastModified };
    const outcome = evaluatePreconditions({
      method: request.method, ifMatch: header('If-Match'), ifNoneMatch: header('If-None-Match'),
      ifModifiedSince: header('If-Modified-Since'), ifUnmodifiedSince: header('If-Unmodified-Since'),
    }, validators);
    if (outcome === 'precondition-failed') return this.#becomeError(new PreconditionFailed());
    if (outcome === 'not-modified') {
      const length = this.contentLength;
      if (length !== null && !this.headers.has('Content-Length')) this.headers.set('Content-Length', length);
      this.headers.delete('Content-Type'); // §15.4.5: no representation metadata beyond the listed headers
      this.#status = 304;
      this.setData(null);
      return this;
    }
    const size = this.contentLength;
    if ((options.acceptRanges ?? true) && size !== null && this.#status === 200 && (request.method === 'GET' || request.method === 'HEAD')) {
      this.headers.set('Accept-Ranges', 'bytes');
      const rangeHeader = header('Range');
      if (rangeHeader && ifRangeMatches(header('If-Range'), validators)) {
        const ranges = parseRange(rangeHeader, size);
        if (ranges === 'unsatisfiable') return this.#becomeError(new RequestedRangeNotSatisfiable({ length: size }));
        if (ranges !== null && ranges.length === 1) this.#slice(ranges[0]!.start, ranges[0]!.end, size);
      }
    }
    return this;
  }

  #slice(start: number, end: number, size: number): void {
    const source = this.#source;
    if (source.kind === 'bytes') this.#source = { kind: 'bytes', bytes: source.bytes.subarray(start, end + 1) };
    else if (source.kind === 'file') this.#source = { kind: 'file', path: source.path, start: source.start + start, end: source.start + end };
    this.#status = 206;
    this.headers.set('Content-Range', contentRange({ start, end }, size));
    this.headers.set('Content-Length', end - start + 1);
  }

  #becomeError(error: PreconditionFailed | RequestedRangeNotSatisfiable): this {
    this.#status = error.status;
    this.setData(error.getBody());
    this.headers.set('Content-Type', 'text/html; charset=utf-8');
    this.headers.delete('Content-Length');
    for (const [name, value] of error.headers) this.headers.set(name, value);
    return this;
  }

  /** Releases an open file; called by the server through the body's `close()`. */
  close(): void {
    this.#openFile?.destroy();
    this.#openFile = null;
  }

  /** This response as a TSGI app: no body for HEAD, 1xx, 204 and 304; Content-Length whenever the length is known. */
  get gatewayApp(): GatewayApp {
    return (environ, startResponse) => this.#respond(environ.REQUEST_METHOD === 'HEAD', startResponse);
  }

  #respond(head: boolean, startResponse: StartResponse): Body {
    const status = this.#status;
    const headers = this.#headers;
    if (status < 200 || status === 204) {
      const list = headers === null ? [['Content-Type', this.#contentType] as [string, string]] : headers.toList();
      startResponse(statusLine(status), list.filter(([name]) => name.toLowerCase() !== 'content-length')); // RFC 9110 §8.6
    } else if (headers === null) {
      // Nobody asked for the headers, so they are the Content-Type alone (checked in the constructor).
      const length = status === 304 ? null : this.contentLength;
      startResponse(statusLine(status), length === null ? [['Content-Type', this.#contentType]] : [['Content-Type', this.#contentType], ['Content-Length', String(length)]]);
    } else {
      const length = status === 304 || headers.has('Content-Length') ? null : this.contentLength;
      startResponse(statusLine(status), length === null ? headers.toList() : headers.toList(['Content-Length', String(length)]));
    }
    const source = this.#source;
    if (head || status < 200 || status === 204 || status === 304) {
      this.close();
      return [];
    }
    // A bytes body holds nothing to release, so it goes out as a plain array: the server's fastest path.
    if (source.kind === 'bytes') return [source.bytes];
    if (source.kind === 'stream') return Object.assign(encodeChunks(source.chunks), { close: () => this.close() });
    const file = createReadStream(source.path, { start: source.start, end: source.end });
    this.#openFile = file;
    return { [Symbol.asyncIterator]: () => (file as AsyncIterable<Uint8Array>)[Symbol.asyncIterator](), close: () => this.close() };
  }
}
