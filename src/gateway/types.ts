/** @module TSGI 1.1 as types (layer L0): what a server hands an application and what the application hands back. See docs/gateway.md. */

/**
 * The TSGI version this module describes, as a TSGI 1.1 server puts it in `environ['tsgi.version']`
 * (docs/gateway.md §3.4). An environ from a server that speaks only TSGI 1.0 says `[1, 0]`: read the minor version
 * before you hand that server a string chunk.
 *
 * @example
 * const [major, minor]: TSGIVersion = environ['tsgi.version'];
 */
export type TSGIVersion = readonly [major: 1, minor: 1];

/**
 * The `tsgi.errors` stream: text an application wants the server to log (docs/gateway.md §3.4).
 *
 * @example
 * environ['tsgi.errors'].write('cache miss for /users/1\n');
 */
export interface ErrorStream {
  write(text: string): void;
  flush(): void;
}

/**
 * The request body as bytes, `environ['tsgi.input']`: an async iterable that may be read at most once (docs/gateway.md §3.4).
 *
 * @example
 * let size = 0;
 * for await (const chunk of environ['tsgi.input']) size += chunk.byteLength;
 */
export type InputStream = AsyncIterable<Uint8Array>;

/**
 * Response headers as TSGI passes them: an ordered list of `[name, value]` pairs, repeats allowed (docs/gateway.md §4.2).
 *
 * @example
 * const headers: HeaderList = [['Content-Type', 'text/plain'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']];
 */
export type HeaderList = Array<[name: string, value: string]>;

/**
 * The legacy `write(chunk)` callable returned by `startResponse`, for apps ported from push-style APIs (docs/gateway.md §4.4).
 * It takes the same chunks as a body: bytes, or a string sent as UTF-8. Prefer returning a body iterable: `write`
 * cannot apply back-pressure.
 *
 * @example
 * const write: WriteFn = startResponse('200 OK', []);
 * write('pushed ');
 * write(new TextEncoder().encode('bytes'));
 */
export type WriteFn = (chunk: BodyChunk) => void;

/**
 * Begins the response: `startResponse('200 OK', [['Content-Type', 'text/plain']])` (docs/gateway.md §4).
 * A second call is allowed only with `excInfo` (the caught error) and only before the headers were sent; after that
 * the server rethrows `excInfo`.
 *
 * @example
 * const app: GatewayApp = (environ, startResponse) => {
 *   startResponse('204 No Content', []);
 *   return [];
 * };
 */
export type StartResponse = (status: string, headers: HeaderList, excInfo?: unknown) => WriteFn;

/**
 * One chunk of a response body (docs/gateway.md §5.1): bytes, or a string, which the server sends as its UTF-8
 * encoding (TSGI 1.1). Empty chunks of either kind are skipped.
 *
 * @example
 * const text: BodyChunk = 'Hello, World!';
 * const bytes: BodyChunk = new Uint8Array([0xff, 0xd8]);
 */
export type BodyChunk = Uint8Array | string;

/**
 * The chunks of a response body: bytes or strings, in any mix (docs/gateway.md §5.1).
 *
 * @example
 * async function* countdown(): AsyncGenerator<string> { for (let i = 3; i > 0; i--) yield `${i}\n`; }
 * const chunks: BodyChunks = countdown();
 */
export type BodyChunks = Iterable<BodyChunk> | AsyncIterable<BodyChunk>;

/**
 * A response body: a sync or async iterable of chunks (bytes or strings) with an optional `close()`, which the server
 * calls exactly once however the response ends (docs/gateway.md §5.3).
 *
 * @example
 * const body: Body = ['hello, ', new TextEncoder().encode('world')];
 */
export type Body = BodyChunks & { close?(): void | Promise<void> };

/**
 * The request, as the server describes it to the application: CGI-style keys, one `HTTP_*` key per request header and
 * the `tsgi.*` keys (docs/gateway.md §3). Servers and frameworks add their own keys under their own prefix
 * (`flagon.*`), which is why unknown keys read as `unknown`.
 *
 * @example
 * const name = new URLSearchParams(environ.QUERY_STRING).get('name') ?? 'World';
 * const agent = environ.HTTP_USER_AGENT ?? 'unknown';
 */
export interface Environ {
  /** `GET`, `POST`, … as sent (methods are case-sensitive). */
  REQUEST_METHOD: string;
  /** Where the application is mounted: `''` at the root, otherwise starting with `/` and never ending with one. */
  SCRIPT_NAME: string;
  /** The rest of the path, percent-decoded as UTF-8 (invalid bytes become U+FFFD); `''` or starting with `/`. */
  PATH_INFO: string;
  /** The query string as sent, without the `?`, not decoded; `''` when absent. */
  QUERY_STRING: string;
  /** The request target exactly as it appeared on the request line (path and query, still percent-encoded). */
  REQUEST_URI: string;
  /** The `Content-Type` request header; absent when the request had none. */
  CONTENT_TYPE?: string;
  /** The `Content-Length` request header (decimal digits); absent when the request had none. */
  CONTENT_LENGTH?: string;
  SERVER_NAME: string;
  SERVER_PORT: string;
  /** `HTTP/1.1`, `HTTP/1.0`, … */
  SERVER_PROTOCOL: string;
  REMOTE_ADDR: string;
  REMOTE_PORT: string;
  /** `[1, 1]` from a TSGI 1.1 server (Flagon's); `[1, 0]` from one that speaks only TSGI 1.0 and takes bytes only. */
  'tsgi.version': TSGIVersion | readonly [major: 1, minor: 0];
  'tsgi.url_scheme': 'http' | 'https';
  'tsgi.input': InputStream;
  'tsgi.input_terminated': boolean;
  'tsgi.errors': ErrorStream;
  'tsgi.multithread': boolean;
  'tsgi.multiprocess': boolean;
  'tsgi.run_once': boolean;
  /** One key per request header: `Accept-Language` → `HTTP_ACCEPT_LANGUAGE`; repeats joined (docs/gateway.md §3.3). */
  [header: `HTTP_${string}`]: string | undefined;
  /** Server and framework extensions, each under its own prefix (docs/gateway.md §3.5). */
  [extension: string]: unknown;
}

/**
 * A TSGI application: called once per request with the environ and `startResponse`, it returns the body (or a promise
 * of it). Middleware is a `GatewayApp` that calls another one.
 *
 * @example
 * const hello: GatewayApp = (environ, startResponse) => {
 *   startResponse('200 OK', [['Content-Type', 'text/plain; charset=utf-8']]);
 *   return ['Hello, World!'];
 * };
 */
export type GatewayApp = (environ: Environ, startResponse: StartResponse) => Body | Promise<Body>;
