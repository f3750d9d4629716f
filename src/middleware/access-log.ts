/** @module accessLog (layer L2): one line per request in Apache's combined (or common) log format, gunicorn's access log. */
import { chunkByteLength, isPromiseLike, parseStatusCode } from '../gateway/response.js';
import type { Body, BodyChunk, Environ, GatewayApp, HeaderList, StartResponse, WriteFn } from '../gateway/types.js';
import { quotePath } from '../gateway/url.js';

/**
 * Options of {@link accessLog}: where the lines go, and which of Apache's two standard formats they take.
 *
 * @example
 * import { createWriteStream } from 'node:fs';
 * // flags 'a': O_APPEND, so several worker processes can share the file without tearing lines
 * const options: AccessLogOptions = { stream: createWriteStream('access.log', { flags: 'a' }), format: 'combined' };
 */
export interface AccessLogOptions {
  /**
   * Takes each line, `\n` included, in a single `write` call: with a file opened for appending (`O_APPEND`), one
   * write is one line, whole, however many processes share the file. `process.stdout` and a `fs.WriteStream` fit.
   */
  stream: { write(text: string): unknown };
  /**
   * `'combined'` (the default; gunicorn's and nginx's default): `%h %l %u %t "%r" %>s %b "%{Referer}i"
   * "%{User-agent}i"`. `'common'`: the same without the last two fields.
   */
  format?: 'combined' | 'common';
  /** The clock, for tests: called once per request, as it starts. Default: the system clock (`Date.now()`). */
  now?: () => Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Apache's `%t`: `10/Oct/2000:13:55:36 -0700`, local time and its offset from UTC. */
function formatTime(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const abs = Math.abs(offset);
  return (
    `${pad2(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()}:` +
    `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())} ` +
    `${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`
  );
}

// Printable ASCII except `"` and `\`: what may go into a log line as it is. Anything else is escaped, Apache's
// ap_escape_logitem rule (mod_log_config), so a client cannot end a field, forge a line or send terminal escapes.
// (A class of the unsafe characters, not a negated one of the safe: V8 tests it about a third faster.)
const UNSAFE = /[\x00-\x1f"\\\x7f-\uffff]/;
const UNSAFE_ALL = /[\ud800-\udbff][\udc00-\udfff]|[\x00-\x1f"\\\x7f-\uffff]/g;
const encoder = new TextEncoder();
const hex = (byte: number): string => (byte < 16 ? `\\x0${byte.toString(16)}` : `\\x${byte.toString(16)}`);

function escapeChar(char: string): string {
  if (char === '"' || char === '\\') return `\\${char}`;
  const code = char.charCodeAt(0);
  // Header values are Latin-1 text, one character per byte received (docs/gateway.md §3.3): that byte.
  if (char.length === 1 && code <= 0xff) return hex(code);
  // Beyond Latin-1 (a decoded path, a REMOTE_USER set by an app): its UTF-8 bytes.
  let out = '';
  for (const byte of encoder.encode(char)) out += hex(byte);
  return out;
}

/** A log field, escaped; the common case (nothing to escape) costs one regex test and no allocation. */
function escapeLogItem(value: string): string {
  return UNSAFE.test(value) ? value.replace(UNSAFE_ALL, escapeChar) : value;
}

/** A field from the environ, or `-` when it is absent or empty. */
function field(value: unknown): string {
  return typeof value === 'string' && value !== '' ? escapeLogItem(value) : '-';
}

/** The UTF-8 length of a string: Node's native count where there is one, the portable loop elsewhere. */
const utf8Length: (text: string) => number =
  typeof Buffer === 'function' ? (text) => Buffer.byteLength(text, 'utf8') : chunkByteLength;

/** The request target: `REQUEST_URI` as sent, else rebuilt from the decoded path (docs/gateway.md §6.4). */
function requestTarget(environ: Environ): string {
  const uri = environ.REQUEST_URI;
  if (typeof uri === 'string' && uri !== '') return uri;
  const query = environ.QUERY_STRING ? `?${environ.QUERY_STRING}` : '';
  return `${quotePath(environ.SCRIPT_NAME ?? '')}${quotePath(environ.PATH_INFO ?? '')}${query}`;
}

/** What {@link AccessLogEntry} needs from its middleware: the output and the format. */
interface AccessLogger {
  readonly stream: { write(text: string): unknown };
  readonly combined: boolean;
  /** `%t` of a time in milliseconds since the epoch. */
  time(started: number): string;
}

/**
 * One request's line in the making: the status the app gave, the body bytes handed to the server, and whether the
 * server answers 500 in the app's place (docs/gateway.md §6.3). Written once, when the body is closed.
 */
class AccessLogEntry {
  readonly #logger: AccessLogger;
  readonly #environ: Environ;
  /** Milliseconds since the epoch: a number, since a Date is needed only once a second (see accessLog). */
  readonly #started: number;
  readonly #serverStartResponse: StartResponse;
  /** A HEAD answer has no body on the wire, whatever the app yields (docs/gateway.md §6.2). */
  readonly #head: boolean;
  #status: string | undefined = undefined;
  #write: WriteFn | undefined = undefined;
  #bytes = 0;
  /** The app threw, or gave the server something it refuses: a 500 unless bytes were already out. */
  #failed = false;
  #closed = false;
  #written = false;

  constructor(logger: AccessLogger, environ: Environ, started: number, startResponse: StartResponse) {
    this.#logger = logger;
    this.#environ = environ;
    this.#started = started;
    this.#serverStartResponse = startResponse;
    this.#head = environ.REQUEST_METHOD === 'HEAD';
  }

  /** The app's `startResponse`: keeps the last status the server accepted, and counts what `write()` sends. */
  readonly startResponse: StartResponse = (status: string, headers: HeaderList, excInfo?: unknown): WriteFn => {
    // The server's, with excInfo passed through: it rethrows excInfo once the head is out (§4.3), and then the
    // status the client saw stays the one logged.
    this.#write = this.#serverStartResponse(status, headers, excInfo);
    this.#status = status;
    return this.#countingWrite;
  };

  /** The legacy `write()` (docs/gateway.md §4.4), counted once the server took the chunk. */
  readonly #countingWrite: WriteFn = (chunk: BodyChunk): void => {
    this.#write!(chunk);
    this.count(chunk);
  };

  /** Adds a chunk the server is about to send; a value that is not a chunk makes the server fail (§5.1, §6.3). */
  count(chunk: unknown): void {
    if (typeof chunk === 'string') {
      if (!this.#head && chunk.length > 0) this.#bytes += utf8Length(chunk);
    } else if (chunk instanceof Uint8Array) {
      if (!this.#head) this.#bytes += chunk.byteLength;
    } else {
      this.#failed = true;
    }
  }

  /** Iterating the body threw: logged as a 500 unless bytes already went out. */
  markFailed(): void {
    this.#failed = true;
  }

  /** The app threw (or returned no body): there is no body whose close() would write the line, so it is written now. */
  failBeforeBody(): void {
    this.#failed = true;
    this.#emit();
  }

  /** The body's `close()`: the inner body's, exactly once and passed on, then the line. */
  close(inner: unknown): void | Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const close = (inner as { close?: unknown } | null | undefined)?.close;
    try {
      return typeof close === 'function' ? (close.call(inner) as void | Promise<void>) : undefined;
    } finally {
      this.#emit();
    }
  }

  /** Wraps what the app returned so that its end, however it comes, writes the line. */
  wrap(body: Body): Body {
    if (Array.isArray(body)) {
      // A list is the server's fast path (Content-Length, one write): it stays a list. A copy, since the app may
      // return the same constant array every time, and the close() added must not land on it.
      for (let i = 0; i < body.length; i++) this.count(body[i]);
      const list: BodyChunk[] & { close?: () => void | Promise<void> } = body.slice();
      list.close = () => this.close(body);
      return list;
    }
    if (typeof body === 'object' && body !== null) {
      if (Symbol.asyncIterator in body) return new AsyncLoggedBody(body as AsyncIterable<BodyChunk>, this);
      if (Symbol.iterator in body) return new SyncLoggedBody(body as Iterable<BodyChunk>, this);
    }
    // Not a body: the server answers 500 (§5.1) and has nothing of ours to close.
    this.failBeforeBody();
    return body;
  }

  #emit(): void {
    if (this.#written) return;
    this.#written = true;
    const environ = this.#environ;
    let code = this.#status === undefined ? 500 : parseStatusCode(this.#status);
    let bytes = this.#bytes;
    if (this.#status === undefined || (this.#failed && bytes === 0)) {
      code = 500; // the server's own answer (docs/gateway.md §6.3), whose body is not the app's
      bytes = 0;
    } else if (code === 204 || code === 304 || code < 200) {
      bytes = 0; // never a body on the wire (RFC 9110 §6.4.1, docs/gateway.md §6.2)
    }
    // Read now, not when the request came: a proxyFix or an authentication layer inside may have set them.
    const request = escapeLogItem(`${environ.REQUEST_METHOD} ${requestTarget(environ)} ${environ.SERVER_PROTOCOL}`);
    let line =
      `${field(environ.REMOTE_ADDR)} - ${field(environ.REMOTE_USER)} [${this.#logger.time(this.#started)}] ` +
      `"${request}" ${code} ${bytes === 0 ? '-' : bytes}`;
    if (this.#logger.combined) line += ` "${field(environ.HTTP_REFERER)}" "${field(environ.HTTP_USER_AGENT)}"`;
    try {
      this.#logger.stream.write(`${line}\n`); // one write per line: appends from several processes stay whole
    } catch (error) {
      environ['tsgi.errors']?.write(`accessLog: could not write the line: ${String(error)}\n`);
    }
  }
}

/** A sync body whose chunks are counted as the server takes them; the inner iterator's results pass as they are. */
class SyncLoggedBody implements Iterable<BodyChunk>, Iterator<BodyChunk> {
  readonly #inner: Iterable<BodyChunk>;
  readonly #entry: AccessLogEntry;
  #iterator: Iterator<BodyChunk> | undefined;

  constructor(inner: Iterable<BodyChunk>, entry: AccessLogEntry) {
    this.#inner = inner;
    this.#entry = entry;
  }

  [Symbol.iterator](): Iterator<BodyChunk> {
    this.#iterator = this.#inner[Symbol.iterator]();
    return this;
  }

  next(): IteratorResult<BodyChunk> {
    let step: IteratorResult<BodyChunk>;
    try {
      step = this.#iterator!.next();
    } catch (error) {
      this.#entry.markFailed();
      throw error;
    }
    if (step.done !== true) this.#entry.count(step.value);
    return step;
  }

  return(value?: unknown): IteratorResult<BodyChunk> {
    return this.#iterator?.return?.(value) ?? { done: true, value: undefined };
  }

  close(): void | Promise<void> {
    return this.#entry.close(this.#inner);
  }
}

/** An async body whose chunks are counted as the server takes them: one `then` per chunk, no generator. */
class AsyncLoggedBody implements AsyncIterable<BodyChunk>, AsyncIterator<BodyChunk> {
  readonly #inner: AsyncIterable<BodyChunk>;
  readonly #entry: AccessLogEntry;
  #iterator: AsyncIterator<BodyChunk> | undefined;

  constructor(inner: AsyncIterable<BodyChunk>, entry: AccessLogEntry) {
    this.#inner = inner;
    this.#entry = entry;
  }

  [Symbol.asyncIterator](): AsyncIterator<BodyChunk> {
    this.#iterator = this.#inner[Symbol.asyncIterator]();
    return this;
  }

  readonly #counted = (step: IteratorResult<BodyChunk>): IteratorResult<BodyChunk> => {
    if (step.done !== true) this.#entry.count(step.value);
    return step;
  };

  readonly #failed = (error: unknown): never => {
    this.#entry.markFailed();
    throw error;
  };

  next(): Promise<IteratorResult<BodyChunk>> {
    try {
      return this.#iterator!.next().then(this.#counted, this.#failed);
    } catch (error) {
      this.#entry.markFailed();
      return Promise.reject(error);
    }
  }

  async return(value?: unknown): Promise<IteratorResult<BodyChunk>> {
    return (await this.#iterator?.return?.(value)) ?? { done: true, value: undefined };
  }

  close(): void | Promise<void> {
    return this.#entry.close(this.#inner);
  }
}

/**
 * Writes one line per request to `options.stream` in Apache's combined log format (or `'common'`), gunicorn's
 * `--access-logfile`: `127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a?b=1 HTTP/1.1" 200 2326 "referer" "agent"`.
 * The fields: the client address (`REMOTE_ADDR`: put {@link proxyFix} inside or outside to log the client's rather
 * than the proxy's), `-`, `REMOTE_USER` or `-`, the time the request **started** in local time with its offset, the
 * request line as sent (`REQUEST_URI`), the status the client got, the body bytes handed to the server (`-` for none,
 * always for `HEAD`, `204` and `304`), then `Referer` and `User-Agent` or `-`.
 *
 * The line is written when the server closes the body, so after the last byte was handed over, or when the client
 * went away mid-body (with the bytes sent until then): never before. An app that throws (or rejects) logs a `500`
 * with `-`, and its error goes on to the server unchanged. Each line is one `write` call ending in `\n`, so lines
 * from several worker processes appending to one file (`O_APPEND`) never interleave.
 *
 * A client chooses the target, `Referer`, `User-Agent` (and often `REMOTE_USER`): `"` and `\` are written `\"` and
 * `\\`, and every other byte outside printable ASCII as `\xhh` (Apache's rule; a line break becomes `\x0a`), so no
 * client can end a field early, forge a line or send escape sequences to a terminal reading the log.
 *
 * @example
 * import { createWriteStream } from 'node:fs';
 * import { accessLog } from 'flagon/middleware';
 * import { serve } from 'flagon/serving';
 *
 * const log = createWriteStream('/var/log/flagon/access.log', { flags: 'a' });
 * await serve(accessLog(app.gatewayApp, { stream: log }), { port: 8000 });
 * // 203.0.113.9 - - [03/Dec/2026:15:23:05 +0000] "GET /users/7 HTTP/1.1" 200 512 "-" "curl/8.5.0"
 */
export function accessLog(app: GatewayApp, options: AccessLogOptions): GatewayApp {
  if (typeof app !== 'function')
    throw new TypeError('accessLog(app, options): app is not a TSGI app; pass app.gatewayApp for a Flagon App');
  const stream = options?.stream;
  if (typeof stream?.write !== 'function') {
    throw new TypeError(
      'accessLog(app, { stream }): stream needs a write(text) method; pass process.stdout or fs.createWriteStream(path, { flags: "a" })',
    );
  }
  const format = options.format ?? 'combined';
  if (format !== 'combined' && format !== 'common') {
    throw new TypeError(`accessLog(): format is ${JSON.stringify(format)}; use 'combined' (the default) or 'common'`);
  }
  const { now } = options;
  // %t changes once a second; under load many requests share it, so the last one is kept.
  let cachedSecond = Number.NaN;
  let cachedTime = '';
  const logger: AccessLogger = {
    stream,
    combined: format === 'combined',
    time(started) {
      const second = Math.floor(started / 1000);
      if (second !== cachedSecond) {
        cachedSecond = second;
        cachedTime = formatTime(new Date(started));
      }
      return cachedTime;
    },
  };
  return function accessLogged(environ: Environ, startResponse: StartResponse) {
    const entry = new AccessLogEntry(logger, environ, now ? now().getTime() : Date.now(), startResponse);
    let result: Body | Promise<Body>;
    try {
      result = app(environ, entry.startResponse);
    } catch (error) {
      entry.failBeforeBody();
      throw error;
    }
    if (!isPromiseLike(result)) return entry.wrap(result);
    return Promise.resolve(result).then(
      (body) => entry.wrap(body),
      (error: unknown) => {
        entry.failBeforeBody();
        throw error;
      },
    );
  };
}
