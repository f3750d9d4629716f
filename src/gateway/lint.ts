/** @module lint(app): a middleware that checks both sides of every TSGI call against docs/gateway.md, in the spirit of wsgiref.validate (layer L0). */
import { checkEnviron, LintError } from './lint-rules.js';
import {
  HTTP_TOKEN as TOKEN,
  chunkByteLength,
  describeChunk,
  isHopByHop,
  isPromiseLike,
  parseStatusCode,
} from './response.js';
import type {
  Body,
  BodyChunk,
  Environ,
  ErrorStream,
  GatewayApp,
  InputStream,
  StartResponse,
  WriteFn,
} from './types.js';

/**
 * Wraps an application so that every TSGI rule is checked on both sides: the environ and `tsgi.input` the server
 * provides, the `startResponse` calls and body the application produces, and how the server iterates and closes
 * that body. The first violation throws a {@link LintError} naming the side, the rule and the section of
 * docs/gateway.md. Body chunks may be bytes or strings (TSGI 1.1); under a server whose environ says
 * `tsgi.version` `[1, 0]`, a string chunk is an error that names the fix (`encodeTextChunks`). Use it in tests and
 * while writing servers or middleware; it costs too much for production.
 *
 * @example
 * import { lint } from 'flagon/gateway';
 * import { createEnviron, runApp } from 'flagon/testing';
 * const response = await runApp(lint(myApp), createEnviron('/'));
 */
export function lint(app: GatewayApp): GatewayApp {
  return function lintedApp(environ: Environ, startResponse: StartResponse) {
    checkEnviron(environ);
    environ['tsgi.input'] = lintInput(environ['tsgi.input']);
    environ['tsgi.errors'] = lintErrors(environ['tsgi.errors']);
    const exchange = new LintedExchange(environ.REQUEST_METHOD === 'HEAD', environ['tsgi.version'][1] === 0);
    const result = app(environ, exchange.wrapStartResponse(startResponse));
    if (isPromiseLike(result)) return Promise.resolve(result).then((body) => exchange.wrapBody(body));
    return exchange.wrapBody(result);
  };
}

/** What lint says about a string chunk under a server whose environ says TSGI 1.0. */
const TEXT_ON_1_0 =
  'a string chunk went to a server whose tsgi.version is [1, 0], which takes bytes only; ' +
  "wrap the app in encodeTextChunks() from 'flagon/middleware', or encode the text yourself";

function lintInput(input: InputStream): InputStream {
  let used = false;
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      if (used)
        throw new LintError(
          'input.read-twice',
          'tsgi.input was iterated a second time; buffer it if you need it again',
        );
      used = true;
      const inner = input[Symbol.asyncIterator]();
      return {
        async next() {
          const step = await inner.next();
          if (!step.done && !(step.value instanceof Uint8Array)) {
            throw new LintError('input.chunk', `tsgi.input yielded a ${typeof step.value}`);
          }
          return step;
        },
        async return(value?: unknown) {
          if (inner.return) return inner.return(value);
          return { done: true, value: undefined };
        },
      };
    },
  };
}

function lintErrors(errors: ErrorStream): ErrorStream {
  return {
    write(text: string) {
      if (typeof text !== 'string') throw new LintError('errors.write', `tsgi.errors.write() got a ${typeof text}`);
      errors.write(text);
    },
    flush() {
      errors.flush();
    },
  };
}

function checkStatus(status: unknown): number {
  const code = typeof status === 'string' ? parseStatusCode(status) : -1;
  if (code < 200 || code > 599 || /[^\x20-\x7e\x80-\xff]/.test(status as string)) {
    throw new LintError(
      'start-response.status',
      `startResponse() got the status ${JSON.stringify(status)}; write e.g. '200 OK'`,
    );
  }
  return code;
}

/** Checks the header list and returns the declared Content-Length, or null. */
function checkHeaders(headers: unknown): number | null {
  if (!Array.isArray(headers))
    throw new LintError('start-response.headers', `headers are a ${typeof headers}, not an array`);
  let length: number | null = null;
  for (const pair of headers as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new LintError('start-response.headers', `${JSON.stringify(pair)} is not a [name, value] pair of strings`);
    }
    const [name, value] = pair as [string, string];
    if (!TOKEN.test(name))
      throw new LintError('start-response.header-name', `${JSON.stringify(name)} is not a valid header name`);
    if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) {
      throw new LintError(
        'start-response.header-value',
        `the value of ${name} has a control or non-latin-1 character: ${JSON.stringify(value)}`,
      );
    }
    if (isHopByHop(name))
      throw new LintError('start-response.hop-by-hop', `${name} is hop-by-hop; the server manages the connection`);
    if (name.toLowerCase() === 'content-length') length = Number(value);
  }
  return length;
}

/** One request's state as lint sees it: what the app has started, sent and returned. */
class LintedExchange {
  #started = false;
  #code = 0;
  #declaredLength: number | null = null;
  #headersSent = false;
  #returned = false;
  #bytes = 0;
  readonly #head: boolean;
  /** The server speaks TSGI 1.0: it takes bytes only. */
  readonly #bytesOnly: boolean;

  constructor(head: boolean, bytesOnly: boolean) {
    this.#head = head;
    this.#bytesOnly = bytesOnly;
  }

  wrapStartResponse(serverStart: StartResponse): StartResponse {
    return (status, headers, excInfo?) => {
      if (this.#started && excInfo === undefined) {
        throw new LintError('start-response.twice', 'startResponse() was called a second time without excInfo');
      }
      const code = checkStatus(status);
      const length = checkHeaders(headers);
      if (excInfo !== undefined && this.#headersSent) {
        serverStart(status, headers, excInfo); // a correct server throws excInfo here
        throw new LintError(
          'start-response.rethrow',
          'startResponse(…, excInfo) after the headers were sent returned instead of rethrowing',
        );
      }
      const write = serverStart(status, headers, excInfo);
      if (typeof write !== 'function')
        throw new LintError('start-response.write', `startResponse() returned ${typeof write}`);
      this.#started = true;
      this.#code = code;
      this.#declaredLength = length;
      return this.#wrapWrite(write);
    };
  }

  #wrapWrite(write: WriteFn): WriteFn {
    return (chunk) => {
      if (!(chunk instanceof Uint8Array) && typeof chunk !== 'string') {
        throw new LintError('write.chunk', `write() got ${describeChunk(chunk)}; pass a string or a Uint8Array`);
      }
      if (typeof chunk === 'string' && this.#bytesOnly) throw new LintError('write.chunk', TEXT_ON_1_0);
      if (this.#returned)
        throw new LintError('write.after-return', 'write() was called after the application returned its body');
      this.#countChunk(chunk);
      write(chunk);
    };
  }

  #countChunk(chunk: BodyChunk): void {
    if (chunk.length === 0) return;
    const size = chunkByteLength(chunk);
    const code = this.#code;
    if (code < 200 || code === 204 || code === 304) {
      throw new LintError('body.forbidden', `a ${code} response sent ${size} body bytes`);
    }
    this.#headersSent = true;
    this.#bytes += size;
    if (!this.#head && this.#declaredLength !== null && this.#bytes > this.#declaredLength) {
      throw new LintError(
        'body.content-length',
        `the body passed Content-Length ${this.#declaredLength} (${this.#bytes} bytes so far)`,
      );
    }
  }

  wrapBody(body: unknown): Body {
    this.#returned = true;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      throw new LintError(
        'app.result',
        `the application returned a ${typeof body === 'string' ? 'string' : 'Uint8Array'}; return [chunk] instead`,
      );
    }
    const chunks = body as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null;
    const sync = typeof chunks?.[Symbol.iterator] === 'function';
    if (!sync && typeof chunks?.[Symbol.asyncIterator] !== 'function') {
      throw new LintError(
        'app.result',
        `the application returned ${body === null ? 'null' : typeof body}, not an iterable of chunks`,
      );
    }
    return new LintedBody(this, body as Body, sync) as unknown as Body;
  }

  checkChunk(chunk: unknown): BodyChunk {
    if (!(chunk instanceof Uint8Array) && typeof chunk !== 'string') {
      throw new LintError(
        'body.chunk',
        `the body yielded ${describeChunk(chunk)}; a chunk is a string or a Uint8Array`,
      );
    }
    if (typeof chunk === 'string' && this.#bytesOnly) throw new LintError('body.chunk', TEXT_ON_1_0);
    if (!this.#started)
      throw new LintError('body.before-start', 'the body yielded a chunk before startResponse() was called');
    this.#countChunk(chunk);
    return chunk;
  }

  checkEnd(): void {
    if (!this.#started) throw new LintError('body.no-start', 'the body ended and startResponse() was never called');
    const bodyAllowed = this.#code >= 200 && this.#code !== 204 && this.#code !== 304;
    if (bodyAllowed && !this.#head && this.#declaredLength !== null && this.#bytes !== this.#declaredLength) {
      throw new LintError(
        'body.content-length',
        `the body had ${this.#bytes} bytes but Content-Length said ${this.#declaredLength}`,
      );
    }
  }
}

/** The body as the server sees it under lint: iterated once, closed once, never iterated after close. */
class LintedBody {
  #iterated = false;
  #closed = false;
  readonly #exchange: LintedExchange;
  readonly #inner: Body;

  constructor(exchange: LintedExchange, inner: Body, sync: boolean) {
    this.#exchange = exchange;
    this.#inner = inner;
    // Keep the body's kind, so a server's sync fast path is still exercised under lint.
    if (sync) (this as unknown as Iterable<BodyChunk>)[Symbol.iterator] = () => this.#syncIterator();
    else (this as unknown as AsyncIterable<BodyChunk>)[Symbol.asyncIterator] = () => this.#asyncIterator();
  }

  #begin(): void {
    if (this.#iterated) throw new LintError('server.iterate-twice', 'the server iterated the body a second time');
    if (this.#closed)
      throw new LintError('server.iterate-after-close', 'the server iterated the body after calling close()');
    this.#iterated = true;
  }

  #step(step: IteratorResult<unknown>): IteratorResult<BodyChunk> {
    if (this.#closed)
      throw new LintError('server.iterate-after-close', 'the server asked for a chunk after calling close()');
    if (step.done) {
      this.#exchange.checkEnd();
      return { done: true, value: undefined };
    }
    return { done: false, value: this.#exchange.checkChunk(step.value) };
  }

  #syncIterator(): Iterator<BodyChunk> {
    this.#begin();
    const inner = (this.#inner as Iterable<unknown>)[Symbol.iterator]();
    return {
      next: () => this.#step(inner.next()),
      return: (value?: unknown) => {
        inner.return?.(value);
        return { done: true, value: undefined };
      },
    };
  }

  #asyncIterator(): AsyncIterator<BodyChunk> {
    this.#begin();
    const inner = (this.#inner as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    return {
      next: async () => this.#step(await inner.next()),
      return: async (value?: unknown) => {
        await inner.return?.(value);
        return { done: true, value: undefined };
      },
    };
  }

  close(): void | Promise<void> {
    if (this.#closed) throw new LintError('server.close-twice', 'the server called close() a second time');
    this.#closed = true;
    return this.#inner.close?.();
  }
}
