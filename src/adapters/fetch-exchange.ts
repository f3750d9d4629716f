/** @module One TSGI call answered as a WHATWG Response (layer L4): startResponse, list and streamed bodies, HEAD, errors and close() (docs/gateway.md §4–§6). */
import {
  callClose,
  checkStartResponse,
  chunkByteLength,
  describeChunk,
  isBodyChunk,
  isHopByHop,
  toBytes,
} from '../gateway/response.js';
import type { Body, BodyChunk, Environ, GatewayApp, HeaderList, WriteFn } from '../gateway/types.js';

/** How a {@link FetchExchange} reports errors; `debug` is read only when a 500 is built. */
export interface FetchExchangeOptions {
  readonly debug?: boolean | undefined;
}

type Step = IteratorResult<unknown>;
type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

function describe(value: unknown): string {
  return value instanceof Error ? (value.stack ?? String(value)) : String(value);
}

function chunkError(where: string, chunk: unknown): TypeError {
  return new TypeError(`${where} ${describeChunk(chunk)}; chunks are strings or Uint8Array (docs/gateway.md §5.1)`);
}

const totalLength = (chunks: readonly BodyChunk[]): number =>
  chunks.reduce((sum, chunk) => sum + chunkByteLength(chunk), 0);

/**
 * Runs one TSGI call and turns what it returns into a `Response`. A list body becomes one buffer with a
 * Content-Length (a lone string chunk is handed to the Response as it is, which encodes it as UTF-8); any other body
 * becomes a pull-based `ReadableStream` (highWaterMark 0) of bytes, so the app produces a chunk only when the runtime
 * asks for one, and `close()` runs exactly once when the stream ends, errors or is cancelled.
 */
export class FetchExchange {
  readonly #environ: Environ;
  readonly #options: FetchExchangeOptions;
  #status: string | undefined;
  #code = 0;
  #headers: HeaderList | undefined;
  /** The Response exists: the status can no longer change, so excInfo is rethrown (docs/gateway.md §4.3). */
  #headersSent = false;
  #returned = false;
  #bodyClosed = false;
  /** Chunks pushed with the legacy write() before the app returned: they go out first (docs/gateway.md §4.4). */
  readonly #written: BodyChunk[] = [];

  constructor(environ: Environ, options: FetchExchangeOptions) {
    this.#environ = environ;
    this.#options = options;
  }

  /** The `startResponse` handed to the app (docs/gateway.md §4). */
  readonly startResponse = (status: string, headers: HeaderList, excInfo?: unknown): WriteFn => {
    this.#code = checkStartResponse(status, headers, excInfo, this.#status !== undefined, this.#headersSent);
    this.#status = status;
    this.#headers = headers;
    return this.#write;
  };

  readonly #write = (chunk: BodyChunk): void => {
    if (!isBodyChunk(chunk))
      throw new TypeError(`write() takes a string or a Uint8Array, got ${describeChunk(chunk)} (docs/gateway.md §4.4)`);
    if (this.#returned)
      throw new Error(
        'write() was called after the application returned its body; yield the chunk from the body instead (docs/gateway.md §4.4)',
      );
    if (chunk.length > 0) this.#written.push(chunk);
  };

  /** Calls the app and resolves with the Response; never rejects (an error before the headers is a 500). */
  async run(app: GatewayApp): Promise<Response> {
    let body: Body;
    try {
      body = await app(this.#environ, this.startResponse);
    } catch (error) {
      return this.#fail(error);
    } finally {
      this.#returned = true;
    }
    if (Array.isArray(body)) return this.#fromList(body);
    if (typeof body === 'object' && body !== null && (Symbol.asyncIterator in body || Symbol.iterator in body))
      return this.#fromStream(body);
    this.#closeBody(body);
    return this.#fail(
      new TypeError(
        `the application returned ${body === null ? 'null' : typeof body}, not an iterable of chunks (docs/gateway.md §5.1)`,
      ),
    );
  }

  #fromList(chunks: readonly unknown[]): Response {
    try {
      let total = 0;
      for (let i = 0; i < chunks.length; i++) {
        const chunk = chunks[i];
        if (!isBodyChunk(chunk)) throw chunkError(`body chunk ${i} is`, chunk);
        total += chunkByteLength(chunk); // UTF-8 bytes for a string, never its .length
      }
      const parts = [...this.#written, ...(chunks as BodyChunk[])];
      const length = total + totalLength(this.#written);
      return this.#respond(length, () => join(parts, length));
    } catch (error) {
      return this.#fail(error);
    } finally {
      this.#closeBody(chunks as Body);
    }
  }

  async #fromStream(body: Body): Promise<Response> {
    const iterator: AnyIterator =
      Symbol.asyncIterator in body
        ? (body as AsyncIterable<unknown>)[Symbol.asyncIterator]()
        : (body as Iterable<unknown>)[Symbol.iterator]();
    const first = [...this.#written];
    const bodyless =
      this.#environ.REQUEST_METHOD === 'HEAD' || this.#code === 204 || this.#code === 205 || this.#code === 304;
    // The status and headers are known and no byte may follow them: read no chunk for nothing (§6.2).
    if (this.#status !== undefined && bodyless) return this.#headersOnly(body, iterator, first);
    for (;;) {
      let step: Step;
      try {
        step = await iterator.next();
      } catch (error) {
        this.#closeBody(body);
        return this.#fail(error);
      }
      if (step.done) {
        // The whole body was empty chunks (or write() chunks only): its length is known after all.
        const length = totalLength(first);
        try {
          return this.#respond(length, () => join(first, length));
        } catch (error) {
          return this.#fail(error);
        } finally {
          this.#closeBody(body);
        }
      }
      const chunk = step.value;
      if (!isBodyChunk(chunk)) {
        await this.#stop(body, iterator);
        return this.#fail(chunkError('the body yielded', chunk));
      }
      if (chunk.length === 0) continue; // empty, string or bytes: nothing to send
      first.push(chunk);
      if (
        this.#status !== undefined &&
        (this.#environ.REQUEST_METHOD === 'HEAD' || this.#code === 204 || this.#code === 205 || this.#code === 304)
      ) {
        return this.#headersOnly(body, iterator, []);
      }
      try {
        return this.#respond(-1, () => this.#stream(body, iterator, first));
      } catch (error) {
        await this.#stop(body, iterator);
        return this.#fail(error);
      }
    }
  }

  /** HEAD, 204, 205 and 304: the status and headers are the whole answer; the body is stopped and closed. */
  async #headersOnly(body: Body, iterator: AnyIterator, written: BodyChunk[]): Promise<Response> {
    await this.#stop(body, iterator);
    try {
      // A HEAD answer that read no byte says nothing of GET's length (RFC 9110 §9.3.2), so no Content-Length of its own.
      const length = totalLength(written);
      return this.#respond(length > 0 ? length : -1, () => null);
    } catch (error) {
      return this.#fail(error);
    }
  }

  /** The rest of the body as a stream that pulls one chunk per read: back-pressure is the runtime's reads. */
  #stream(body: Body, iterator: AnyIterator, first: BodyChunk[]): ReadableStream<Uint8Array> {
    let pulling = false;
    let cancelled = false;
    const log = (what: string, error: unknown): void => this.#log(what, error);
    const close = (): void => this.#closeBody(body);
    const stop = (): Promise<void> => returnIterator(iterator, log);
    return new ReadableStream<Uint8Array>(
      {
        start(controller) {
          for (const chunk of first) controller.enqueue(toBytes(chunk));
        },
        async pull(controller) {
          pulling = true;
          try {
            for (;;) {
              let step: Step;
              try {
                step = await iterator.next();
              } catch (error) {
                log('error in the application', error); // after the headers: the runtime cuts the response short (§6.3)
                if (!cancelled) controller.error(error);
                close();
                return;
              }
              if (cancelled) {
                // The consumer went away while this chunk was being made: close() already ran; now stop the iterator.
                if (!step.done) await stop();
                return;
              }
              if (step.done) {
                controller.close();
                close();
                return;
              }
              const chunk = step.value;
              if (!isBodyChunk(chunk)) {
                const error = chunkError('the body yielded', chunk);
                log('error in the application', error);
                controller.error(error);
                await stop();
                close();
                return;
              }
              if (chunk.length === 0) continue;
              controller.enqueue(toBytes(chunk)); // a byte stream: the runtime writes it as it is
              return;
            }
          } finally {
            pulling = false;
          }
        },
        async cancel() {
          // The client went away: close() at once, even while the app is still making a chunk (docs/gateway.md §5.3).
          cancelled = true;
          close();
          if (!pulling) await stop();
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** Builds the Response from the status and headers; `length` ≥ 0 adds Content-Length when the app gave none. */
  #respond(length: number, makeBody: () => Uint8Array | string | ReadableStream<Uint8Array> | null): Response {
    const headers = this.#headers;
    const status = this.#status;
    if (status === undefined || headers === undefined) {
      throw new Error('the application produced a body without calling startResponse() first (docs/gateway.md §5.2)');
    }
    const out = new Headers();
    let hasLength = false;
    for (const pair of headers) {
      const [name, value] = pair;
      if (isHopByHop(name))
        throw new TypeError(
          `the application sent the hop-by-hop header ${name}; the server manages the connection (docs/gateway.md §4.2)`,
        );
      if (name.toLowerCase() === 'content-length') hasLength = true;
      out.append(name, value); // throws on a bad name or a value with CR, LF or NUL: refused as §4.2 says
    }
    const code = this.#code;
    const head = this.#environ.REQUEST_METHOD === 'HEAD';
    const noBody = head || code === 204 || code === 205 || code === 304;
    // RFC 9110 §8.6: no Content-Length on 204 and 304; for HEAD only a length that is known (§9.3.2).
    if (!hasLength && length >= 0 && code !== 204 && code !== 304 && (length > 0 || !head))
      out.set('Content-Length', String(length));
    const response = new Response(noBody ? null : makeBody(), {
      status: code,
      statusText: status.slice(4),
      headers: out,
    });
    this.#headersSent = true;
    return response;
  }

  async #stop(body: Body, iterator: AnyIterator): Promise<void> {
    await returnIterator(iterator, (what, error) => this.#log(what, error));
    this.#closeBody(body);
  }

  /** An error before the headers: logged, and a 500 whose body shows the error only in debug mode (docs/gateway.md §6.3). */
  #fail(error: unknown): Response {
    this.#log('error in the application', error);
    const text =
      this.#options.debug === true ? `Internal Server Error\n\n${describe(error)}\n` : 'Internal Server Error\n';
    const bytes = new TextEncoder().encode(text);
    this.#headersSent = true;
    return new Response(this.#environ.REQUEST_METHOD === 'HEAD' ? null : bytes, {
      status: 500,
      statusText: 'Internal Server Error',
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(bytes.byteLength) },
    });
  }

  /** Calls `body.close()` exactly once, whatever happened (docs/gateway.md §5.3). */
  #closeBody(body: unknown): void {
    if (this.#bodyClosed) return;
    this.#bodyClosed = true;
    callClose(body, (error) => this.#log('error in body.close()', error));
  }

  #log(what: string, error: unknown): void {
    try {
      const environ = this.#environ;
      environ['tsgi.errors'].write(
        `[flagon] ${what} (${environ.REQUEST_METHOD} ${environ.REQUEST_URI}):\n${describe(error)}\n`,
      );
    } catch {
      // a broken error stream must not break the response
    }
  }
}

/** Stops an iterator the consumer no longer reads, so a generator's `finally` blocks run (docs/gateway.md §5.3). */
async function returnIterator(iterator: AnyIterator, log: (what: string, error: unknown) => void): Promise<void> {
  try {
    await iterator.return?.();
  } catch (error) {
    log('error while stopping the response body', error);
  }
}

const encoder = new TextEncoder();

/**
 * The chunks as one body: a Response over a single Uint8Array is sent with its length in one write; a lone string is
 * handed over as it is (the Response encodes it as UTF-8); several are encoded straight into one buffer.
 */
function join(chunks: readonly BodyChunk[], length: number): Uint8Array | string {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    if (typeof chunk === 'string') {
      offset += encoder.encodeInto(chunk, out.subarray(offset)).written;
    } else {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  return out;
}
