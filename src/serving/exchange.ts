/** @module One request/response exchange between a TSGI app and node:http (layer L4): startResponse, framing, back-pressure, errors and close() (docs/gateway.md §4–§6). */
import { isAscii } from 'node:buffer';
import type { ServerResponse } from 'node:http';
import {
  callClose,
  checkStartResponse,
  describeChunk,
  isBodyChunk,
  isHopByHop,
  isPromiseLike,
} from '../gateway/response.js';
import type { Body, BodyChunk, Environ, ErrorStream, GatewayApp, HeaderList, WriteFn } from '../gateway/types.js';
import type { Deadlines, Expirable } from './deadlines.js';

/**
 * How an exchange reports errors (to `tsgi.errors`, with the stack in the 500 body only in debug mode) and the time
 * limits it keeps: `deadlines` bounds the time to the first byte, `writeTimeout` a write the client does not take.
 */
export interface ExchangeOptions {
  debug: boolean;
  errors: ErrorStream;
  deadlines: Deadlines | null;
  /** Milliseconds a write may wait for the client to take its bytes; 0: no limit. */
  writeTimeout: number;
}

/** Single-chunk bodies up to this size are sent as text when they are ASCII (see #sendArray); bigger ones stay zero-copy. */
const SMALL_TEXT = 512;
const asciiText = (chunk: Uint8Array): string =>
  (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)).toString();

function describe(value: unknown): string {
  return value instanceof Error ? (value.stack ?? String(value)) : String(value);
}

/**
 * Runs one TSGI call against a node:http response. The sync path (the app returns an array of chunks) finishes
 * without a single `await`: one `writeHead` with Content-Length and one `end(chunk)`, which Node sends in one write.
 * Anything else streams with chunked framing and waits for `drain` when the socket is full. String chunks (TSGI 1.1)
 * go to `res.write`/`res.end` as they are: node encodes them as UTF-8 on the way out, so no TextEncoder pass is made.
 */
export class NodeExchange implements Expirable {
  readonly #res: ServerResponse;
  readonly #environ: Environ;
  readonly #options: ExchangeOptions;
  #status: string | undefined;
  #code = 0;
  #headers: HeaderList | undefined;
  #headersSent = false;
  #bodyClosed = false;
  #aborted = false;
  /** The handler timeout answered 503: whatever the app sends later is closed, not sent. */
  #expired = false;
  /** The body once the app returned it, so a timeout can close it. */
  #body: Body | undefined;
  #writeTimer: NodeJS.Timeout | null = null;
  /** The links of the handler timeout's list (see Deadlines): written by it alone. */
  deadline = 0;
  deadlinePrev: Expirable | null = null;
  deadlineNext: Expirable | null = null;

  constructor(res: ServerResponse, environ: Environ, options: ExchangeOptions) {
    this.#res = res;
    this.#environ = environ;
    this.#options = options;
  }

  /** The `startResponse` handed to the app (docs/gateway.md §4). */
  readonly startResponse = (status: string, headers: HeaderList, excInfo?: unknown): WriteFn => {
    this.#code = checkStartResponse(status, headers, excInfo, this.#status !== undefined, this.#headersSent);
    this.#status = status;
    this.#headers = headers;
    return this.write;
  };

  /** The legacy `write(chunk)` (docs/gateway.md §4.4): sends headers with chunked framing, then the chunk. */
  readonly write = (chunk: BodyChunk): void => {
    if (!isBodyChunk(chunk))
      throw new TypeError(`write() takes a string or a Uint8Array, got ${describeChunk(chunk)} (docs/gateway.md §4.4)`);
    if (chunk.length === 0) return; // an empty chunk, string or bytes, must not end a chunked response
    if (this.#expired) return;
    if (!this.#headersSent) this.#sendHeaders(-1);
    if (!this.#res.write(chunk)) this.#armWriteTimeout();
  };

  /** Calls the app and sends what it returns. Never throws and never leaves a rejected promise behind. */
  run(app: GatewayApp): void {
    this.#options.deadlines?.add(this);
    let result: Body | Promise<Body>;
    try {
      result = app(this.#environ, this.startResponse);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (Array.isArray(result)) this.#sendArray(result);
    else if (isPromiseLike(result))
      result.then(
        (body) => this.#send(body),
        (error: unknown) => this.#fail(error),
      );
    else this.#send(result);
  }

  /**
   * The handler timeout (docs/gateway.md §6.5): no headers within `handlerTimeout`. Answers 503 and closes the
   * connection, and closes the body if the app has returned one; a body returned later is closed unsent.
   */
  expire(): void {
    if (this.#headersSent || this.#expired) return;
    if (this.#input()?.complete === false) {
      // The client is still sending the body: that time is the client's (requestTimeout bounds it), not the app's.
      this.#options.deadlines?.add(this);
      return;
    }
    this.#expired = true;
    const res = this.#res;
    const seconds = (this.#options.deadlines?.timeout ?? 0) / 1000;
    this.#log(`no response within the handler timeout (${seconds} s); answered 503`, 'the handler is still running');
    if (!res.destroyed && !res.headersSent) {
      const text = 'Service Unavailable: the application did not answer in time\n';
      res.shouldKeepAlive = false;
      res.writeHead(503, 'Service Unavailable', [
        'Content-Type',
        'text/plain; charset=utf-8',
        'Content-Length',
        String(text.length),
        'Connection',
        'close',
      ]);
      res.end(text);
    }
    if (this.#body !== undefined) this.#closeBody(this.#body);
  }

  #send(body: Body): void {
    this.#body = body;
    if (this.#expired) {
      this.#closeBody(body);
    } else if (Array.isArray(body)) {
      this.#sendArray(body);
    } else if (typeof body === 'object' && body !== null && (Symbol.asyncIterator in body || Symbol.iterator in body)) {
      this.#stream(body).catch((error: unknown) => this.#fail(error));
    } else {
      this.#fail(
        new TypeError(
          `the application returned ${body === null ? 'null' : typeof body}, not an iterable of chunks (docs/gateway.md §5.1)`,
        ),
      );
      this.#closeBody(body);
    }
  }

  #sendArray(chunks: readonly unknown[]): void {
    if (this.#expired) {
      this.#closeBody(chunks as Body);
      return;
    }
    try {
      let total = 0;
      for (let i = 0; i < chunks.length; i++) {
        const chunk = chunks[i];
        // The length on the wire: a string's UTF-8 bytes, never its .length (UTF-16 units).
        if (typeof chunk === 'string') total += Buffer.byteLength(chunk, 'utf8');
        else if (chunk instanceof Uint8Array) total += chunk.byteLength;
        else
          throw new TypeError(
            `body chunk ${i} is ${describeChunk(chunk)}; chunks are strings or Uint8Array (docs/gateway.md §5.1)`,
          );
      }
      if (!this.#headersSent) this.#sendHeaders(total);
      if (chunks.length === 1) {
        const chunk = chunks[0] as BodyChunk;
        // A string goes to node as it is (node encodes it as UTF-8 with the head, in one write). A short ASCII body
        // of bytes goes as a string too, so node sends head and body as one string where a Buffer costs it a write
        // of two mixed parts (0.2-0.4 µs of ~4 per request, bench/NOTES-app-user.md). ASCII bytes become one
        // character each and are encoded back to the very same bytes.
        this.#res.end(
          typeof chunk === 'string' || chunk.byteLength > SMALL_TEXT || !isAscii(chunk) ? chunk : asciiText(chunk),
        );
      } else {
        for (const chunk of chunks as BodyChunk[]) if (chunk.length > 0) this.#res.write(chunk);
        this.#res.end();
      }
      // More than the socket takes at once may wait in memory: a client that stops reading must not hold it forever.
      if (total > this.#res.writableHighWaterMark) this.#watchFlush();
    } catch (error) {
      this.#fail(error);
    }
    this.#closeBody(chunks as Body);
  }

  async #stream(body: Body): Promise<void> {
    const res = this.#res;
    const iterator: Iterator<unknown> | AsyncIterator<unknown> =
      Symbol.asyncIterator in body
        ? (body as AsyncIterable<unknown>)[Symbol.asyncIterator]()
        : (body as Iterable<unknown>)[Symbol.iterator]();
    // The client going away closes the body at once, so a stream waiting for data can release what it holds.
    const onClose = (): void => {
      if (res.writableFinished) return;
      this.#aborted = true;
      this.#closeBody(body);
    };
    res.on('close', onClose);
    let finished = false; // the iterator ended or threw: no return() needed
    try {
      const head = this.#environ.REQUEST_METHOD === 'HEAD';
      if (head && this.#status !== undefined) {
        // The status and headers are known: they are the whole answer, so no chunk is read for nothing (§6.2).
        this.#sendHeaders(-1);
        res.end();
        return;
      }
      for (;;) {
        let step: IteratorResult<unknown>;
        try {
          step = await iterator.next();
        } catch (error) {
          finished = true;
          throw error;
        }
        if (step.done) finished = true;
        if (step.done || this.#aborted || this.#expired) break;
        const chunk = step.value;
        if (!isBodyChunk(chunk))
          throw new TypeError(
            `the body yielded ${describeChunk(chunk)}; chunks are strings or Uint8Array (docs/gateway.md §5.1)`,
          );
        if (chunk.length === 0) continue; // an empty chunk, string or bytes, must not end the chunked response
        if (!this.#headersSent) this.#sendHeaders(-1);
        if (head) break; // the headers are the whole answer (docs/gateway.md §6.2)
        if (!res.write(chunk)) await this.#drain();
        if (this.#aborted) break;
      }
      if (!this.#aborted && !this.#expired) {
        if (!this.#headersSent) this.#sendHeaders(0);
        res.end();
      }
    } catch (error) {
      if (!this.#aborted && !this.#expired) this.#fail(error);
    } finally {
      res.off('close', onClose);
      if (!finished) await this.#returnIterator(iterator);
      this.#closeBody(body);
    }
  }

  async #returnIterator(iterator: Iterator<unknown> | AsyncIterator<unknown>): Promise<void> {
    try {
      await iterator.return?.();
    } catch (error) {
      this.#log('error while stopping the response body', error);
    }
  }

  /** Waits until the client took the bytes, or the write timeout closed the connection. */
  #drain(): Promise<void> {
    const res = this.#res;
    if (res.destroyed) return Promise.resolve();
    this.#armWriteTimeout();
    return new Promise((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }

  /**
   * Bytes are waiting for a client that does not read: if it has not taken them within `writeTimeout`, the connection
   * is cut (nginx's send_timeout). Only the wait for the client counts, so a stream that is quiet between its own
   * chunks (server-sent events) is never cut by this.
   */
  #armWriteTimeout(): void {
    const timeout = this.#options.writeTimeout;
    if (timeout <= 0 || this.#writeTimer !== null) return;
    const res = this.#res;
    const clear = (): void => {
      if (this.#writeTimer !== null) clearTimeout(this.#writeTimer);
      this.#writeTimer = null;
      res.off('drain', clear);
      res.off('finish', clear);
      res.off('close', clear);
    };
    this.#writeTimer = setTimeout(() => {
      clear();
      this.#log(`the client took no bytes for ${timeout / 1000} s (writeTimeout); connection closed`, 'stalled write');
      res.destroy();
    }, timeout);
    this.#writeTimer.unref();
    res.on('drain', clear);
    res.on('finish', clear);
    res.on('close', clear);
  }

  /**
   * The write timeout for a body handed to node whole (a list body, `end()`ed at once): node emits no `drain` for it,
   * so the bytes still queued on the socket are checked every `writeTimeout`; the connection is cut when none of them
   * went out since the last check (nginx's send_timeout), and a slow client that keeps reading is left alone.
   */
  #watchFlush(): void {
    const timeout = this.#options.writeTimeout;
    const res = this.#res;
    const socket = res.socket;
    // Not res.writableFinished: it turns true once node has handed the bytes to libuv, which may still hold them all.
    if (timeout <= 0 || socket === null) return;
    let queued = queuedBytes(socket);
    // The timer is unref'd and checks socket.destroyed itself, so no 'close' listener is needed: one per large body
    // would pile up on a keep-alive connection, each holding this exchange.
    const check = (): void => {
      if (socket.destroyed) return;
      const now = queuedBytes(socket);
      if (now === 0) return;
      if (now < queued) {
        queued = now;
        setTimeout(check, timeout).unref();
        return;
      }
      this.#log(`the client took no bytes for ${timeout / 1000} s (writeTimeout); connection closed`, 'stalled write');
      socket.destroy(); // the socket itself: node detaches it from the response once the bytes are handed over
    };
    setTimeout(check, timeout).unref();
  }

  /** The request body stream, when the environ has node's (it does unless middleware replaced `tsgi.input`). */
  #input(): { complete?: boolean; readableDidRead?: boolean } | undefined {
    return this.#environ['tsgi.input'] as { complete?: boolean; readableDidRead?: boolean } | undefined;
  }

  /** Writes the status line and headers. `knownLength` ≥ 0 adds Content-Length when the app gave none. */
  #sendHeaders(knownLength: number): void {
    const headers = this.#headers;
    if (this.#status === undefined || headers === undefined) {
      throw new Error('the application produced a body without calling startResponse() first (docs/gateway.md §5.2)');
    }
    let hasLength = false;
    for (let i = 0; i < headers.length; i++) {
      const name = headers[i]![0];
      if (isHopByHop(name))
        throw new TypeError(
          `the application sent the hop-by-hop header ${name}; the server manages the connection (docs/gateway.md §4.2)`,
        );
      if (name.length === 14 && (name === 'Content-Length' || name.toLowerCase() === 'content-length'))
        hasLength = true;
    }
    const code = this.#code;
    // RFC 9110 §8.6: no Content-Length on 204; on 304 it would describe the selected representation, which we do not know.
    // A HEAD answer with no bytes says nothing of GET's length (the app may have skipped a body it could not measure):
    // a Content-Length of 0 would be a false one (RFC 9110 §9.3.2).
    const addLength =
      !hasLength &&
      knownLength >= 0 &&
      code !== 204 &&
      code !== 304 &&
      (knownLength > 0 || this.#environ.REQUEST_METHOD !== 'HEAD');
    // Node takes headers as one flat list; sized up front, since a list grown by push reserves room for 17 entries.
    const flat: string[] = new Array(headers.length * 2 + (addLength ? 2 : 0));
    for (let i = 0; i < headers.length; i++) {
      flat[2 * i] = headers[i]![0];
      flat[2 * i + 1] = headers[i]![1];
    }
    if (addLength) {
      flat[flat.length - 2] = 'Content-Length';
      flat[flat.length - 1] = String(knownLength);
    }
    // The app read part of the body and stopped (a limit's 413, say): the rest will never be read, so the next
    // request on this connection could never be found. Close it after this answer, as nginx does.
    const input = this.#input();
    if (input?.readableDidRead === true && input.complete === false) this.#res.shouldKeepAlive = false;
    if (this.#res.getHeaderNames().length === 0) this.#res.writeHead(code, this.#status.slice(4), flat);
    else writeHeadOver(this.#res, code, this.#status.slice(4), flat);
    this.#headersSent = true;
    this.#options.deadlines?.delete(this);
  }

  /** An error before the headers went out becomes a 500; after, the connection is cut so the client sees a truncated response. */
  #fail(error: unknown): void {
    const res = this.#res;
    this.#log('error in the application', error);
    this.#options.deadlines?.delete(this);
    if (this.#expired) return;
    try {
      if (this.#headersSent || res.headersSent) {
        // Flush the bytes already written (Node corks the socket until the next tick), then close without the
        // last chunk: the client sees a truncated response, never a clean end (docs/gateway.md §6.3).
        // Node 22+ holds a chunked response's bytes (head included) in the response, not the socket, until that
        // tick: uncork it first, or ending the socket drops them and the client sees no response at all.
        for (let corked = res.writableCorked; corked > 0; corked--) res.uncork();
        if (res.socket) res.socket.destroySoon();
        else res.destroy();
        return;
      }
      if (res.destroyed) return;
      const text = this.#options.debug ? `Internal Server Error\n\n${describe(error)}\n` : 'Internal Server Error\n';
      const body = Buffer.from(text);
      res.writeHead(500, 'Internal Server Error', [
        'Content-Type',
        'text/plain; charset=utf-8',
        'Content-Length',
        String(body.byteLength),
      ]);
      res.end(body);
    } catch (secondError) {
      this.#log('error while sending the 500 response', secondError);
      res.destroy();
    }
  }

  /** Calls `body.close()` exactly once, whatever happened (docs/gateway.md §5.3). */
  #closeBody(body: Body | null | undefined): void {
    if (this.#bodyClosed) return;
    this.#bodyClosed = true;
    callClose(body, (error) => this.#log('error in body.close()', error));
  }

  #log(what: string, error: unknown): void {
    try {
      const environ = this.#environ;
      this.#options.errors.write(
        `[flagon] ${what} (${environ.REQUEST_METHOD} ${environ.REQUEST_URI}):\n${describe(error)}\n`,
      );
    } catch {
      // a broken error stream must not take the server down
    }
  }
}

/** Bytes a socket holds that the kernel has not taken: its stream buffer and libuv's write queue. */
function queuedBytes(socket: { writableLength: number }): number {
  return (
    socket.writableLength + ((socket as { _handle?: { writeQueueSize?: number } | null })._handle?.writeQueueSize ?? 0)
  );
}

/**
 * `writeHead` on a response whose host already set headers (Express's `X-Powered-By`, a CORS middleware's `Vary`):
 * each name the app sends replaces the host's, and the app's repeated fields all go out. Node 20's `writeHead` set
 * them one by one there, so every `Set-Cookie` but the last was lost. `Set-Cookie` is the one name added to, not
 * replaced: a cookie the host set (a load balancer's, a tracker's) is a different cookie, not an older value.
 */
function writeHeadOver(res: ServerResponse, code: number, reason: string, flat: readonly string[]): void {
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!;
    if (name.length !== 10 || name.toLowerCase() !== 'set-cookie') res.removeHeader(name);
  }
  for (let i = 0; i < flat.length; i += 2) res.appendHeader(flat[i]!, flat[i + 1]!);
  res.writeHead(code, reason);
}
