/** @module runCgi (layer L4): run a TSGI app as a CGI script (RFC 3875), as Python's wsgiref CGIHandler runs a WSGI app. */
import { TSGI_VERSION } from '../gateway/environ.js';
import {
  HTTP_TOKEN,
  chunkByteLength,
  describeChunk,
  isBodyChunk,
  isHopByHop,
  parseStatusCode,
  toBytes,
} from '../gateway/response.js';
import type {
  Body,
  BodyChunk,
  Environ,
  ErrorStream,
  GatewayApp,
  HeaderList,
  StartResponse,
  WriteFn,
} from '../gateway/types.js';
import { quotePath } from '../gateway/url.js';

/** The part of a readable stream runCgi uses: iteration (process.stdin, a file stream, a generator, a list). */
type Input = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** The part of a writable stream runCgi uses: process.stdout, a socket, a PassThrough in a test. */
interface Output {
  /** Takes bytes: string chunks are encoded as UTF-8 before they get here. */
  write(chunk: Uint8Array): boolean;
  once(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  off(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
}

/**
 * Where {@link runCgi} reads the request and writes the response. Every field defaults to the process's own, which
 * is what a CGI script has; tests and embedders pass their own.
 *
 * @example
 * const options: CgiOptions = { env: { REQUEST_METHOD: 'GET', PATH_INFO: '/', SERVER_NAME: 'localhost', SERVER_PORT: '80' } };
 */
export interface CgiOptions {
  /** The CGI meta-variables (RFC 3875 §4.1). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The request body; exactly `CONTENT_LENGTH` bytes of it are read. Default `process.stdin`. */
  stdin?: Input;
  /** Where the response goes: `Status:`, the headers, a blank line, the body. Default `process.stdout`. */
  stdout?: Output;
  /** `tsgi.errors`, which the CGI server puts in its error log. Default `process.stderr`. */
  stderr?: { write(text: string): unknown };
}

const encoder = new TextEncoder();
/** RFC 3875 §4.1 meta-variables besides the required ones, kept when the server sets them (REMOTE_USER, …). */
const OPTIONAL_KEYS = [
  'CONTENT_TYPE',
  'AUTH_TYPE',
  'REMOTE_USER',
  'REMOTE_IDENT',
  'REMOTE_HOST',
  'PATH_TRANSLATED',
  'GATEWAY_INTERFACE',
  'SERVER_SOFTWARE',
] as const;

/**
 * The request body: at most `length` bytes of `stdin`, then the stream is let go. RFC 3875 §4.2: the script MUST NOT
 * read past CONTENT_LENGTH, since the server need not close stdin after the body; reading to the end could wait forever.
 */
async function* readBody(stdin: () => Input, length: number): AsyncGenerator<Uint8Array> {
  if (length === 0) return;
  let left = length;
  for await (const chunk of stdin()) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    if (bytes.byteLength >= left) {
      yield bytes.subarray(0, left);
      return; // leaving the for-await ends the stream's iterator, so the process is not held open by stdin
    }
    left -= bytes.byteLength;
    yield bytes;
  }
  throw new Error(
    `the request body ended after ${length - left} of its ${length} bytes (CONTENT_LENGTH): the client or the server stopped sending`,
  );
}

/**
 * The TSGI environ of a CGI request: the RFC 3875 meta-variables, shaped as docs/gateway.md §3 wants them.
 * HTTPS `on` (or `1`) means https. REQUEST_URI, which CGI does not define but lighttpd, Apache and nginx set, is
 * rebuilt from the path and query when the server left it out.
 */
function cgiEnviron(
  env: Readonly<Record<string, string | undefined>>,
  input: AsyncIterable<Uint8Array>,
  errors: ErrorStream,
): Environ {
  const get = (key: string, fallback = ''): string => env[key] ?? fallback;
  let scriptName = get('SCRIPT_NAME');
  let pathInfo = get('PATH_INFO');
  // §3.2: SCRIPT_NAME never ends with '/' (a server that maps a folder to the script gives '/cgi/'); the '/' moves on.
  if (scriptName.endsWith('/')) {
    pathInfo = `/${pathInfo.replace(/^\//, '')}`;
    scriptName = scriptName.replace(/\/+$/, '');
  }
  if (scriptName === '' && pathInfo === '') pathInfo = '/';
  const query = get('QUERY_STRING');
  const https = get('HTTPS').toLowerCase();
  const environ: Environ = {
    REQUEST_METHOD: get('REQUEST_METHOD', 'GET'),
    SCRIPT_NAME: scriptName,
    PATH_INFO: pathInfo,
    QUERY_STRING: query,
    REQUEST_URI: env.REQUEST_URI ?? `${quotePath(scriptName + pathInfo)}${query === '' ? '' : `?${query}`}`,
    SERVER_NAME: get('SERVER_NAME', 'localhost'),
    SERVER_PORT: get('SERVER_PORT', https === 'on' || https === '1' ? '443' : '80'),
    SERVER_PROTOCOL: get('SERVER_PROTOCOL', 'HTTP/1.0'),
    REMOTE_ADDR: get('REMOTE_ADDR'),
    REMOTE_PORT: get('REMOTE_PORT'),
    'tsgi.version': TSGI_VERSION,
    'tsgi.url_scheme': https === 'on' || https === '1' || get('REQUEST_SCHEME') === 'https' ? 'https' : 'http',
    'tsgi.input': input,
    'tsgi.input_terminated': true,
    'tsgi.errors': errors,
    'tsgi.multithread': false,
    // Every request is a new process (wsgiref's CGIHandler says the same): nothing in memory outlives it.
    'tsgi.multiprocess': true,
    'tsgi.run_once': true,
  };
  const length = env.CONTENT_LENGTH;
  if (length !== undefined && /^\d+$/.test(length)) environ.CONTENT_LENGTH = length;
  for (const key of OPTIONAL_KEYS) if (env[key] !== undefined && env[key] !== '') environ[key] = env[key];
  for (const [key, value] of Object.entries(env))
    if (key.startsWith('HTTP_') && value !== undefined) environ[key as `HTTP_${string}`] = value;
  return environ;
}

/** Status and headers as CGI's response header block (RFC 3875 §6.3), refusing what a server must refuse (§4.2). */
function headerBlock(status: string, headers: HeaderList, length: number | null): Uint8Array {
  let text = `Status: ${status}\r\n`;
  let hasLength = false;
  for (const [name, value] of headers) {
    if (!HTTP_TOKEN.test(name))
      throw new TypeError(`the header name ${JSON.stringify(name)} is not an HTTP token (docs/gateway.md §4.2)`);
    // CR, LF and NUL would let the value start headers of its own (response splitting).
    if (/[\r\n\0]|[^\x00-\xff]/.test(value))
      throw new TypeError(
        `the value of the header ${name} holds CR, LF, NUL or a character beyond Latin-1 (docs/gateway.md §4.2)`,
      );
    if (isHopByHop(name))
      throw new TypeError(
        `the application sent the hop-by-hop header ${name}; the server manages the connection (docs/gateway.md §4.2)`,
      );
    if (name.toLowerCase() === 'content-length') hasLength = true;
    text += `${name}: ${value}\r\n`;
  }
  if (!hasLength && length !== null) text += `Content-Length: ${length}\r\n`;
  return Buffer.from(`${text}\r\n`, 'latin1');
}

/** Writes one chunk, waiting for `drain` when the output is full; rejects when the server went away (EPIPE). */
function writeOut(out: Output, chunk: Uint8Array): Promise<void> | undefined {
  if (out.write(chunk)) return undefined;
  return new Promise((resolve, reject) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('error', failed);
      resolve();
    };
    const failed = (error: unknown): void => {
      out.off('drain', done);
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    out.once('drain', done);
    out.once('error', failed);
  });
}

/**
 * Runs a TSGI app for the one request a CGI server hands this process (RFC 3875), as Python's
 * `wsgiref.handlers.CGIHandler().run(app)`: the environ comes from the meta-variables (SCRIPT_NAME, PATH_INFO,
 * QUERY_STRING, CONTENT_TYPE, CONTENT_LENGTH, the HTTP_* headers, HTTPS), `tsgi.input` is exactly CONTENT_LENGTH
 * bytes of stdin, and the response goes to stdout as a `Status:` line, the headers, a blank line and the body.
 * `tsgi.errors` is stderr, which the server logs. Chunks may be bytes or strings (TSGI 1.1; strings go out as UTF-8).
 * A list body gets a Content-Length (a string's UTF-8 byte count); HEAD, 204 and 304 get no body.
 * An error before the headers went out is logged and answered `500`; after, the body stops where it was.
 * Resolves with the exit status for the process: 0, or 1 when the app failed.
 *
 * The client's `Proxy:` header arrives as the HTTP_PROXY variable, which HTTP clients read as their proxy setting
 * (httpoxy, CVE-2016-5385): it stays in the environ, as the header it is, and is removed from `process.env`.
 *
 * @example
 * // app.cgi: #!/bin/sh
 * //          exec node --import tsx "$(dirname "$0")/cgi.ts"
 * // cgi.ts:
 * import { runCgi } from 'flagon/adapters';
 * import { app } from './app.js';
 * process.exitCode = await runCgi(app.gatewayApp);
 */
export async function runCgi(app: GatewayApp, options: CgiOptions = {}): Promise<number> {
  // A copy: the request keeps its Proxy header as HTTP_PROXY while process.env loses it.
  const env = options.env ?? { ...process.env };
  if (options.env === undefined) delete process.env.HTTP_PROXY;
  const out: Output = options.stdout ?? process.stdout;
  const log = options.stderr ?? process.stderr;
  const errors: ErrorStream = { write: (text) => void log.write(text), flush: () => undefined };
  const length = Number(env.CONTENT_LENGTH && /^\d+$/.test(env.CONTENT_LENGTH) ? env.CONTENT_LENGTH : 0);
  // process.stdin is made only when the app reads the body: the getter opens fd 0, which an idle script never needs.
  const input = readBody(() => options.stdin ?? process.stdin, length);
  const environ = cgiEnviron(env, input, errors);
  const noBody = environ.REQUEST_METHOD === 'HEAD';

  let status: string | undefined;
  let headers: HeaderList = [];
  let headersSent = false;
  const pending: Uint8Array[] = [];
  const sendHeaders = (knownLength: number | null): void => {
    if (status === undefined)
      throw new Error('the application produced a body without calling startResponse() first (docs/gateway.md §5.2)');
    const code = parseStatusCode(status);
    // §6.2: never on 204 or 304; on HEAD only a length GET would have, not a 0 for a body that was skipped.
    const addLength = knownLength !== null && code !== 204 && code !== 304 && (knownLength > 0 || !noBody);
    pending.push(headerBlock(status, headers, addLength ? knownLength : null));
    headersSent = true;
  };
  const write: WriteFn = (chunk) => {
    if (!isBodyChunk(chunk))
      throw new TypeError(`write() takes a string or a Uint8Array, got ${describeChunk(chunk)} (docs/gateway.md §4.4)`);
    if (chunk.length === 0) return;
    if (!headersSent) sendHeaders(null);
    if (!noBody) pending.push(toBytes(chunk));
  };
  const startResponse: StartResponse = (newStatus, newHeaders, excInfo) => {
    if (excInfo !== undefined) {
      if (headersSent) throw excInfo; // too late to change the status (docs/gateway.md §4.3)
    } else if (status !== undefined) {
      throw new Error(
        'startResponse() was called twice; to replace the status after an error, pass the error as excInfo (docs/gateway.md §4.3)',
      );
    }
    const code = parseStatusCode(newStatus);
    if (code < 200 || code > 599)
      throw new TypeError(
        `startResponse() needs a final status line such as '200 OK', got ${JSON.stringify(newStatus)} (docs/gateway.md §4.1)`,
      );
    if (!Array.isArray(newHeaders))
      throw new TypeError('startResponse() takes headers as an array of [name, value] pairs (docs/gateway.md §4.2)');
    status = newStatus;
    headers = newHeaders;
    return write;
  };
  const flush = async (): Promise<void> => {
    while (pending.length > 0) await writeOut(out, pending.shift()!);
  };

  let body: Body | undefined;
  try {
    body = await app(environ, startResponse);
    if (typeof body !== 'object' || body === null)
      throw new TypeError(
        `the application returned ${body === null ? 'null' : typeof body}, not an iterable of chunks (docs/gateway.md §5.1)`,
      );
    if (Array.isArray(body)) {
      for (const [index, chunk] of body.entries())
        if (!isBodyChunk(chunk))
          throw new TypeError(
            `body chunk ${index} is ${describeChunk(chunk)}; chunks are strings or Uint8Array (docs/gateway.md §5.1)`,
          );
      const chunks = body as BodyChunk[];
      if (!headersSent) sendHeaders(chunks.reduce((sum, chunk) => sum + chunkByteLength(chunk), 0));
      if (!noBody) for (const chunk of chunks) if (chunk.length > 0) pending.push(toBytes(chunk));
      await flush();
    } else {
      await flush(); // what write() produced while the app ran
      if (noBody && status !== undefined) {
        // HEAD with the headers known: the body is not read (docs/gateway.md §6.2), only stopped so that a
        // generator's finally blocks run (§5.3), then closed below.
        const iterable = body as Partial<AsyncIterable<BodyChunk> & Iterable<BodyChunk>>;
        const iterator: Partial<AsyncIterator<BodyChunk> | Iterator<BodyChunk>> | undefined =
          iterable[Symbol.asyncIterator]?.() ?? iterable[Symbol.iterator]?.();
        await iterator?.return?.();
      } else {
        for await (const chunk of body as AsyncIterable<unknown>) {
          if (!isBodyChunk(chunk))
            throw new TypeError(
              `a body chunk is ${describeChunk(chunk)}; chunks are strings or Uint8Array (docs/gateway.md §5.1)`,
            );
          if (chunk.length === 0) continue; // empty, string or bytes
          if (!headersSent) sendHeaders(null);
          if (noBody) break; // HEAD: the headers were all it needed
          pending.push(toBytes(chunk));
          await flush();
        }
      }
      if (!headersSent) sendHeaders(0);
      await flush();
    }
    return 0;
  } catch (error) {
    errors.write(
      `Error in the CGI app for ${environ.REQUEST_METHOD} ${environ.REQUEST_URI}:\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    if (!headersSent) {
      // §6.3: the error's text stays in the log; the client learns only that it failed.
      const text = encoder.encode('Internal Server Error\n');
      pending.length = 0;
      pending.push(
        headerBlock('500 Internal Server Error', [['Content-Type', 'text/plain; charset=utf-8']], text.byteLength),
      );
      if (!noBody) pending.push(text);
      headersSent = true;
      await flush().catch(() => undefined);
    }
    return 1;
  } finally {
    try {
      await body?.close?.();
    } catch (error) {
      errors.write(`close() of the response body failed:\n${(error as Error)?.stack ?? String(error)}\n`);
    }
  }
}
