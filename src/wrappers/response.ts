/** @module Response: status, headers and a body (text, bytes, a stream, or a file range) that is itself a TSGI app (layer L2). */
import { createReadStream, type ReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Body, BodyChunk, GatewayApp, StartResponse } from '../gateway/types.js';
import { evaluatePreconditions, ifRangeMatches } from '../http/conditional.js';
import { parseCacheControl, type ResponseCacheControl } from '../http/cache-control.js';
import { checkCookieSize, deleteCookieValue, dumpCookie, MAX_COOKIE_SIZE, type CookieOptions } from '../http/cookie.js';
import { httpDate, parseHttpDate } from '../http/dates.js';
import { PreconditionFailed, RequestedRangeNotSatisfiable } from '../http/errors.js';
import { generateEtag, quoteEtag } from '../http/etag.js';
import { checkHeaderValue, Headers, type HeadersInit } from '../http/headers.js';
import { contentTypeFor } from '../http/mime.js';
import { contentRange, parseRange } from '../http/range.js';
import { statusLine } from '../http/status.js';
import { mixInAccessors } from './accessor-mixin.js';
import type { Request } from './request.js';
import { ResponseHeaderProperties } from './response-headers.js';

/**
 * What a response body may be given as; strings are sent as UTF-8.
 *
 * @example
 * const body: ResponseBody = (async function* () { yield 'streamed '; yield 'text'; })();
 */
export type ResponseBody =
  | string
  | Uint8Array
  | Iterable<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | null
  | undefined;

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

type Chunks = Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;
type Source =
  /**
   * Text stays a string all the way to the server (TSGI 1.1), which encodes it as UTF-8 on the way out: no encoding
   * pass per response. `length` is its UTF-8 byte count, -1 until something asks.
   */
  | { kind: 'text'; text: string; length: number }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'stream'; chunks: Chunks }
  /** `handle`: the file already open (sendFromDirectory opens the path it checked), read from and closed by us. */
  | { kind: 'file'; path: string; start: number; end: number; handle: FileHandle | null };

/** What a streamed body may hold open, told apart by shape: a Node stream, a WHATWG stream, an iterator, a TSGI body. */
interface Releasable {
  destroy?: (error?: Error) => unknown;
  on?: (event: 'error', listener: (error: Error) => void) => unknown;
  cancel?: () => Promise<void>;
  locked?: boolean;
  return?: () => unknown;
  close?: () => unknown;
}

const encoder = new TextEncoder();
const EMPTY: Source = { kind: 'bytes', bytes: new Uint8Array(0) };
const DEFAULT_CONTENT_TYPE = 'text/html; charset=utf-8';
const NO_INIT: ResponseInit = Object.freeze({});

/** A released stream may still fail (an fs stream opening a missing file reports ENOENT after destroy()). */
function ignoreLateError(): void {}

const isNodeStream = (body: Releasable): boolean => typeof body.destroy === 'function' && typeof body.on === 'function';

function chunkBytes(chunk: unknown, index: number): Uint8Array {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError(
    `body chunk ${index} is ${chunk === null ? 'null' : `a ${typeof chunk}`}; a Response's chunks are strings or bytes`,
  );
}

function toSource(body: ResponseBody): Source {
  if (body === null || body === undefined) return EMPTY;
  if (typeof body === 'string') return { kind: 'text', text: body, length: -1 };
  if (body instanceof Uint8Array) return { kind: 'bytes', bytes: body };
  // A list of chunks is all in memory already: one body of known length, as Werkzeug sets Content-Length for a
  // sequence. All text stays text; a mix becomes bytes.
  if (Array.isArray(body)) {
    if (body.every((chunk) => typeof chunk === 'string'))
      return { kind: 'text', text: (body as string[]).join(''), length: -1 };
    return { kind: 'bytes', bytes: Buffer.concat(body.map(chunkBytes)) };
  }
  // From now on the response owns the stream: an error it emits before anyone reads it (a missing file, EMFILE) must
  // not crash the process as an unhandled 'error' event. Reading it still throws that error (a GET answers 500).
  if (isNodeStream(body as Releasable)) (body as Releasable).on!('error', ignoreLateError);
  return { kind: 'stream', chunks: body };
}

/**
 * Releases what a streamed body holds, now, whether or not it was read: a Node stream is destroyed (its file
 * descriptor closed), a WHATWG stream cancelled, an iterator stopped with `return()`, a TSGI body `close()`d.
 * Returns a promise when the release itself is asynchronous, so a caller can report its failure.
 */
function releaseChunks(chunks: Chunks): Promise<void> | undefined {
  const body = chunks as Releasable;
  if (isNodeStream(body)) {
    body.destroy!();
    return undefined;
  }
  if (typeof body.cancel === 'function') return body.locked === true ? undefined : body.cancel();
  const pending: unknown[] = [];
  if (typeof body.return === 'function') pending.push(body.return());
  if (typeof body.close === 'function') pending.push(body.close());
  const promises = pending.filter(
    (value): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null)?.then === 'function',
  );
  return promises.length === 0 ? undefined : Promise.all(promises).then(() => undefined);
}

async function* encodeChunks(chunks: Chunks): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

/** The UTF-8 byte count of a text body, counted once (Buffer.byteLength is native: no bytes are made). */
function textLength(source: Extract<Source, { kind: 'text' }>): number {
  if (source.length < 0) source.length = Buffer.byteLength(source.text, 'utf8');
  return source.length;
}

/**
 * A streamed body as the server gets it: the chunks as they come, strings included (a TSGI 1.1 server encodes them),
 * in a new object that keeps the iterable's kind (sync or async), so the caller's iterable is never changed.
 */
function streamBody(chunks: Chunks, close: () => Promise<void> | undefined): Body {
  if (Symbol.asyncIterator in chunks) {
    return { [Symbol.asyncIterator]: () => (chunks as AsyncIterable<BodyChunk>)[Symbol.asyncIterator](), close };
  }
  return { [Symbol.iterator]: () => (chunks as Iterable<BodyChunk>)[Symbol.iterator](), close };
}

/**
 * An outgoing response, Werkzeug-style: mutable status and headers, a body, cookie and cache helpers, and
 * `gatewayApp` to send it through any TSGI server. The default Content-Type is `text/html; charset=utf-8`.
 * Werkzeug's header properties (`vary`, `expires`, `contentSecurityPolicy`, …) are those of
 * {@link ResponseHeaderProperties}.
 *
 * @example
 * const response = new Response('<h1>Hi</h1>');
 * response.setCookie('seen', '1', { maxAge: 3600 });
 * const json = new Response(JSON.stringify({ ok: true }), { status: 201, mimetype: 'application/json' });
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged interface's getters are on the prototype (end of file)
export class Response {
  /** The headers, made on first use: until then the response has just its Content-Type (see `#contentType`). */
  #headers: Headers | null = null;
  /** The Content-Type of a response whose headers nobody has asked for yet; it goes first when they are made. */
  #contentType: string;
  #status = 200;
  /** Cookies set without their own `maxSize`, checked against `maxCookieSize` when the response is sent. */
  #unsizedCookies: Array<{ name: string; header: string; warn: ((message: string) => void) | undefined }> | null = null;
  /**
   * The size past which a cookie set by `setCookie` is reported as too large (Werkzeug's `max_cookie_size`); checked
   * when the response is sent. An App sets it from its MAX_COOKIE_SIZE. 0 turns the check off.
   *
   * @example
   * response.maxCookieSize = 8000; // a client known to keep larger cookies
   */
  maxCookieSize: number = MAX_COOKIE_SIZE;
  #source: Source;
  /** Functions {@link callOnClose} added, run once when the response is closed; `null` until the first. */
  #onClose: Array<() => unknown> | null = null;
  /**
   * The read streams of a file body in flight, all destroyed by close(); each request's own body close() ends its own.
   * Made on the first read: most responses are never files.
   */
  #reading: Set<ReadStream> | null = null;

  constructor(body?: ResponseBody, init: ResponseInit = NO_INIT) {
    if (init.status !== undefined) this.status = init.status;
    this.#source = toSource(body);
    this.#contentType =
      init.contentType === undefined && init.mimetype === undefined
        ? DEFAULT_CONTENT_TYPE
        : checkHeaderValue('Content-Type', init.contentType ?? contentTypeFor(init.mimetype!));
    if (init.headers !== undefined) {
      const headers = new Headers(init.headers);
      // A Content-Type among the headers wins over the default, not over an explicit contentType or mimetype.
      if (init.contentType !== undefined || init.mimetype !== undefined || !headers.has('Content-Type'))
        headers.set('Content-Type', this.#contentType);
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
    if (!Number.isInteger(code) || code < 100 || code > 999)
      throw new RangeError(`${code} is not an HTTP status code (100-999)`);
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

  /**
   * Replaces the body; the body it had is released (a stream destroyed, an iterator stopped), and a Content-Length
   * set for it is dropped: the new body's length is sent when known.
   */
  setData(body: ResponseBody): void {
    this.#releaseBody();
    this.#source = toSource(body);
    this.#headers?.delete('Content-Length');
  }

  /** The whole body as bytes (text encoded as UTF-8); a streamed body is read and kept. */
  async getData(): Promise<Uint8Array> {
    const source = this.#source;
    if (source.kind === 'bytes') return source.bytes;
    if (source.kind === 'text') return this.#textToBytes(source);
    const chunks: Uint8Array[] = [];
    const iterable = source.kind === 'stream' ? encodeChunks(source.chunks) : this.#readFile(source);
    try {
      for await (const chunk of iterable) chunks.push(chunk as Uint8Array);
    } finally {
      this.#releaseBody(); // the bytes replace the stream or file, which has nothing more to give
    }
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    this.#source = { kind: 'bytes', bytes };
    return bytes;
  }

  /** A text body as bytes, which replace it: what is read as bytes and changed must be what is sent. */
  #textToBytes(source: Extract<Source, { kind: 'text' }>): Uint8Array {
    const bytes = Buffer.from(source.text, 'utf8');
    this.#source = { kind: 'bytes', bytes };
    return bytes;
  }

  /** Whether the body is an iterable whose length is unknown. */
  get isStreamed(): boolean {
    return this.#source.kind === 'stream';
  }

  /**
   * The Content-Length: the header when set (a view that knows a stream's length), else the body's length in bytes
   * when known (text, bytes or a file range), else `null`; text counts its UTF-8 bytes. Setting it sets the header;
   * `null` removes it, and the body's length is sent when known.
   *
   * @example
   * response.contentLength = size; // a streamed body of a known size: sent with a length, not chunked
   */
  get contentLength(): number | null {
    const header = this.#headers?.get('Content-Length');
    if (header !== undefined && header !== null && /^\d+$/.test(header.trim())) return Number(header.trim());
    return this.#bodyLength();
  }

  set contentLength(length: number | null) {
    if (length === null) {
      this.#headers?.delete('Content-Length');
      return;
    }
    if (!Number.isSafeInteger(length) || length < 0)
      throw new RangeError(`contentLength takes a whole number of bytes from 0 up, or null; got ${length}`);
    this.headers.set('Content-Length', String(length));
  }

  /** The body's length in bytes when known, whatever the Content-Length header says. */
  #bodyLength(): number | null {
    const source = this.#source;
    if (source.kind === 'text') return textLength(source);
    if (source.kind === 'bytes') return source.bytes.byteLength;
    if (source.kind === 'file') return source.end - source.start + 1;
    return null;
  }

  /**
   * @internal Used by `sendFile`: the body is bytes `start`..`end` (inclusive) of a file. With `handle`, the file is
   * read from that open handle (never reopened by path) and the response closes it in close().
   */
  setFile(path: string, size: number, handle: FileHandle | null = null): void {
    this.#releaseBody();
    if (size > 0) this.#source = { kind: 'file', path, start: 0, end: size - 1, handle };
    else {
      this.#source = EMPTY;
      handle?.close().catch(ignoreLateError);
    }
  }

  /** Adds a Set-Cookie header; the defaults are `Path=/`, `HttpOnly`, `SameSite=Lax`. */
  setCookie(name: string, value = '', options: CookieOptions = {}): void {
    if (options.maxSize !== undefined) {
      this.headers.add('Set-Cookie', dumpCookie(name, value, options));
      return;
    }
    // Checked against maxCookieSize when the response is sent, so an App's MAX_COOKIE_SIZE applies to cookies a
    // view set before the App could tell the response its limit (Flask reads current_app's config for this).
    const header = dumpCookie(name, value, { ...options, maxSize: 0 });
    (this.#unsizedCookies ??= []).push({ name, header, warn: options.warn });
    this.headers.add('Set-Cookie', header);
  }

  /** Adds a Set-Cookie header that deletes the cookie; pass the path and domain it was set with. */
  deleteCookie(name: string, options: Omit<CookieOptions, 'maxAge' | 'expires'> = {}): void {
    this.headers.add('Set-Cookie', deleteCookieValue(name, options));
  }

  /**
   * The `Cache-Control` directives, live: a change is written back to the header at once (Werkzeug's
   * `response.cache_control`), and removing the last directive removes the header.
   *
   * @example
   * response.cacheControl.set('max-age', '3600').set('public', null); // Cache-Control: max-age=3600, public
   */
  get cacheControl(): ResponseCacheControl {
    return parseCacheControl(this.headers.get('Cache-Control'), 'response', (control) => {
      const value = control.toString();
      if (value === '') this.headers.delete('Cache-Control');
      else this.headers.set('Cache-Control', value);
    });
  }

  /** Sets the ETag header. */
  setEtag(etag: string, weak = false): void {
    this.headers.set('ETag', quoteEtag(etag, weak));
  }

  /** Adds an ETag from the SHA-1 of the body (a bytes body; call `await getData()` first for a stream). */
  addEtag(overwrite = false, weak = false): void {
    if (!overwrite && this.headers.has('ETag')) return;
    const source = this.#source;
    // The SHA-1 of a string is that of its UTF-8 bytes, so text and the same text as bytes get one tag.
    if (source.kind === 'text') this.setEtag(generateEtag(source.text), weak);
    else if (source.kind === 'bytes') this.setEtag(generateEtag(source.bytes), weak);
    else
      throw new TypeError(
        'addEtag() needs the body in memory: call `await response.getData()` first, or setEtag() with a tag of your own',
      );
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
    const outcome = evaluatePreconditions(
      {
        method: request.method,
        ifMatch: header('If-Match'),
        ifNoneMatch: header('If-None-Match'),
        ifModifiedSince: header('If-Modified-Since'),
        ifUnmodifiedSince: header('If-Unmodified-Since'),
      },
      validators,
    );
    if (outcome === 'precondition-failed') return this.#becomeError(new PreconditionFailed());
    if (outcome === 'not-modified') {
      // A 304 keeps the length the 200 would have had (§15.4.5), whether set or the body's.
      const length = this.#headers?.get('Content-Length') ?? this.#bodyLength();
      this.headers.delete('Content-Type'); // §15.4.5: no representation metadata beyond the listed headers
      this.#status = 304;
      this.setData(null);
      if (length !== null) this.headers.set('Content-Length', length);
      return this;
    }
    const size = this.#bodyLength();
    if (
      (options.acceptRanges ?? true) &&
      size !== null &&
      this.#status === 200 &&
      (request.method === 'GET' || request.method === 'HEAD')
    ) {
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
    let source = this.#source;
    // A range counts bytes, so text is cut as its UTF-8 bytes (a range may end inside a character).
    if (source.kind === 'text') source = { kind: 'bytes', bytes: this.#textToBytes(source) };
    if (source.kind === 'bytes') this.#source = { kind: 'bytes', bytes: source.bytes.subarray(start, end + 1) };
    else if (source.kind === 'file') this.#source = { ...source, start: source.start + start, end: source.start + end };
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

  /**
   * Releases what the body holds: the read streams of a file body, the file handle of a checked file, a streamed
   * body's source (a Node stream is destroyed, an iterator gets `return()`, a TSGI body `close()`). The server calls
   * it through the body's `close()`; the response calls it when HEAD, 1xx, 204 or 304 sends no body and when
   * `setData` replaces one. A failure of an asynchronous release is ignored here; the server's close() reports it.
   * Called by you (or by a server that cannot send the response), it also runs the {@link callOnClose} functions;
   * one that fails is logged to standard error.
   *
   * @example
   * const response = new Response(createReadStream('big.log'));
   * response.close(); // the file descriptor is closed though nothing was read
   */
  close(): void {
    this.#releaseBody();
    this.#runOnClose()?.catch((error: unknown) => console.error('A callOnClose function failed:', error));
  }

  /** What close() does to the body, and all that replacing the body does: the callOnClose functions wait for the end. */
  #releaseBody(): void {
    if (this.#reading !== null) {
      for (const file of this.#reading) file.destroy();
      this.#reading.clear();
    }
    this.#release()?.catch(ignoreLateError);
  }

  /**
   * Werkzeug's `call_on_close`: `fn` runs once when the response is closed, after its body is sent (or abandoned by a
   * client that left), or by {@link close}; for work that must wait until the answer is out. Functions run in the
   * order added; an asynchronous one is awaited, and a failure is the server's to report (docs/gateway.md §5.3).
   * Returns `fn`. In the App they run inside the request (`request` works), before its teardown hooks: a Flagon
   * request lasts until its body is sent, where Flask's ends before, so there teardown comes first.
   *
   * @example
   * const response = new Response(generateReport());
   * response.callOnClose(() => log.info('report sent'));
   */
  callOnClose<F extends () => unknown>(fn: F): F {
    (this.#onClose ??= []).push(fn);
    return fn;
  }

  /**
   * Runs the {@link callOnClose} functions once, each even if one before it failed; rejects with the first failure.
   * `undefined` when there are none (the common case pays for no promise).
   */
  #runOnClose(): Promise<void> | undefined {
    const functions = this.#onClose;
    if (functions === null) return undefined;
    this.#onClose = null;
    return (async () => {
      let failure: { error: unknown } | null = null;
      for (const fn of functions) {
        try {
          await fn();
        } catch (error) {
          failure ??= { error };
        }
      }
      if (failure !== null) throw failure.error;
    })();
  }

  /**
   * Releases the body's source, leaving other reads of a file by path alone: one Response object may be sent to many
   * clients at once (a module-level `await sendFile('logo.png')`), and one request's end must not cut another's.
   */
  #release(): Promise<void> | undefined {
    const source = this.#source;
    if (source.kind === 'stream') return releaseChunks(source.chunks);
    if (source.kind === 'file' && source.handle !== null) return source.handle.close();
    return undefined;
  }

  /** A read stream over a file body; from its open handle, if it has one, which stays open for the next reader. */
  #readFile(source: Extract<Source, { kind: 'file' }>): ReadStream {
    const options = { start: source.start, end: source.end };
    const file =
      source.handle === null
        ? createReadStream(source.path, options)
        : createReadStream(source.path, { ...options, fd: source.handle, autoClose: false });
    file.on('error', ignoreLateError); // reading reports it; a destroyed stream's late one must not crash the process
    const reading = (this.#reading ??= new Set());
    reading.add(file);
    file.once('close', () => reading.delete(file));
    return file;
  }

  /** This response as a TSGI app: no body for HEAD, 1xx, 204 and 304; Content-Length whenever the length is known. */
  get gatewayApp(): GatewayApp {
    return (environ, startResponse) => {
      const body = this.#respond(environ.REQUEST_METHOD === 'HEAD', startResponse);
      return this.#onClose === null ? body : this.#closingAlso(body);
    };
  }

  /** `body` whose close() also runs the {@link callOnClose} functions, after the body's own release. */
  #closingAlso(body: Body): Body {
    const own = (body as { close?: () => unknown }).close;
    const close = async (): Promise<void> => {
      try {
        await own?.call(body);
      } finally {
        await this.#runOnClose();
      }
    };
    if (Array.isArray(body)) return Object.assign([...body], { close });
    if (Symbol.asyncIterator in body)
      return { [Symbol.asyncIterator]: () => (body as AsyncIterable<BodyChunk>)[Symbol.asyncIterator](), close };
    return { [Symbol.iterator]: () => (body as Iterable<BodyChunk>)[Symbol.iterator](), close };
  }

  #respond(head: boolean, startResponse: StartResponse): Body {
    if (this.#unsizedCookies !== null) {
      for (const { name, header, warn } of this.#unsizedCookies)
        checkCookieSize(name, header, this.maxCookieSize, warn);
      this.#unsizedCookies = null;
    }
    const status = this.#status;
    const headers = this.#headers;
    if (status < 200 || status === 204) {
      const list = headers === null ? [['Content-Type', this.#contentType] as [string, string]] : headers.toList();
      startResponse(
        statusLine(status),
        list.filter(([name]) => name.toLowerCase() !== 'content-length'),
      ); // RFC 9110 §8.6
    } else if (headers === null) {
      // Nobody asked for the headers, so they are the Content-Type alone (checked in the constructor).
      const length = status === 304 ? null : this.#bodyLength();
      startResponse(
        statusLine(status),
        length === null
          ? [['Content-Type', this.#contentType]]
          : [
              ['Content-Type', this.#contentType],
              ['Content-Length', String(length)],
            ],
      );
    } else {
      const length = status === 304 || headers.has('Content-Length') ? null : this.#bodyLength();
      startResponse(
        statusLine(status),
        length === null ? headers.toList() : headers.toList(['Content-Length', String(length)]),
      );
    }
    const source = this.#source;
    if (head || status < 200 || status === 204 || status === 304) {
      // No body goes out, so what it holds is released now, not when (or if) the server calls close().
      const released = this.#release();
      if (released === undefined) return [];
      const outcome = released.then(
        () => null,
        (error: unknown) => ({ error }),
      );
      return Object.assign([], {
        close: async (): Promise<void> => {
          const failed = await outcome;
          if (failed !== null) throw failed.error; // the server reports it (docs/gateway.md §5.3)
        },
      });
    }
    // Text and bytes hold nothing to release, so they go out as a plain array: the server's fastest path. Text goes
    // as a string, which the server encodes as UTF-8 on the way out (TSGI 1.1), with the length counted above.
    if (source.kind === 'text') return [source.text];
    if (source.kind === 'bytes') return [source.bytes];
    if (source.kind === 'stream') return streamBody(source.chunks, () => this.#release());
    const file = this.#readFile(source);
    const close = (): Promise<void> | undefined => {
      file.destroy();
      return this.#release();
    };
    return { [Symbol.asyncIterator]: () => (file as AsyncIterable<Uint8Array>)[Symbol.asyncIterator](), close };
  }
}

// The header properties (vary, expires, contentSecurityPolicy, …) are accessors of ResponseHeaderProperties, copied
// onto Response's prototype rather than inherited, as Request's are: a derived class costs each object built.
mixInAccessors(ResponseHeaderProperties, Response);
export interface Response extends ResponseHeaderProperties {}
