/** @module A TSGI app or an App as a Fetch handler, `(request: Request) => Promise<Response>`, for Bun, Deno and workers; the root App's `app.fetch` (layer L4). */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { App } from '../app/app.js';
import { addRequestHeaders, TSGI_VERSION } from '../gateway/environ.js';
import type { Environ, ErrorStream, GatewayApp, InputStream } from '../gateway/types.js';
import { decodePathInfo } from '../gateway/url.js';
import { stderrStream } from '../serving/error-stream.js';
import { FetchExchange } from './fetch-exchange.js';

/**
 * Options of {@link toFetchHandler}.
 *
 * @example
 * const options: FetchHandlerOptions = { basePath: '/blog', debug: false };
 */
export interface FetchHandlerOptions {
  /**
   * The path the app is served under, as `SCRIPT_NAME` (`/blog`: `/blog/posts/1` reaches the app as PATH_INFO
   * `/posts/1`, and `urlFor` builds `/blog/…`). A request outside it gets a 404 without calling the app. Default: `''`.
   */
  basePath?: string;
  /** Show the error and its stack in the body of a 500. Never in production: a stack tells an attacker about your code. */
  debug?: boolean;
  /** `tsgi.errors`: where application errors are logged. Default: standard error. */
  errors?: ErrorStream;
}

/**
 * A Fetch handler: what `Bun.serve({ fetch })`, `Deno.serve(handler)` and a worker's `export default { fetch }` take.
 * The arguments after the request are whatever the runtime passes (Bun's server, Deno's connection info, a worker's
 * `env` and `ctx`); the app finds them in `environ['flagon.fetch.context']`.
 *
 * @example
 * const handler: FetchHandler = toFetchHandler(app.gatewayApp);
 * const response = await handler(new Request('http://localhost/users/7'));
 */
export type FetchHandler = (request: Request, ...context: unknown[]) => Promise<Response>;

function checkBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === '/') return '';
  if (typeof basePath !== 'string' || !basePath.startsWith('/') || basePath.endsWith('/')) {
    const fixed = `/${String(basePath).replace(/^\/+|\/+$/g, '')}`;
    throw new TypeError(
      `toFetchHandler(): basePath ${JSON.stringify(basePath)} must start with '/' and not end with one; write '${fixed}' (it becomes SCRIPT_NAME, docs/gateway.md §3.2)`,
    );
  }
  return basePath;
}

function checkRequest(request: unknown): asserts request is Request {
  const candidate = request as { url?: unknown; headers?: { get?: unknown } } | null;
  if (typeof candidate?.url !== 'string' || typeof candidate.headers?.get !== 'function') {
    throw new TypeError(
      'a Fetch handler takes a WHATWG Request; on node:http serve the app with serve(app.gatewayApp) or createRequestListener(app.gatewayApp) instead',
    );
  }
}

/** The peer as the runtime reports it: Deno passes `{ remoteAddr }`, Bun passes its server, which has `requestIP()`. */
function peerOf(request: Request, context: readonly unknown[]): [address: string, port: string] {
  const first = context[0] as
    | {
        remoteAddr?: { hostname?: unknown; port?: unknown };
        requestIP?: (request: Request) => { address?: unknown; port?: unknown } | null;
      }
    | undefined;
  const deno = first?.remoteAddr;
  if (typeof deno?.hostname === 'string') return [deno.hostname, String(deno.port ?? '')];
  if (typeof first?.requestIP === 'function') {
    const bun = first.requestIP(request);
    if (typeof bun?.address === 'string') return [bun.address, String(bun.port ?? '')];
  }
  return ['', ''];
}

/** `request.body` as a node Readable, which reads from the body only when the app does. */
function inputOf(body: ReadableStream<Uint8Array> | null): InputStream {
  if (body === null) return Readable.from([]);
  const input = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
  // A client that goes away errors the stream; an app that stopped reading has no listener left, and an 'error'
  // event with none would crash the process. Readers still get the error through their iterator.
  input.on('error', () => undefined);
  return input;
}

/**
 * The environ for a Fetch request (docs/gateway.md §3), or `null` when its path is outside `basePath`. `tsgi.input`
 * is a node Readable over `request.body`, which pulls from the body only as the app reads, so a streamed upload
 * reaches the app as it arrives.
 */
function fetchEnviron(
  request: Request,
  context: readonly unknown[],
  basePath: string,
  errors: ErrorStream,
): Environ | null {
  const url = new URL(request.url);
  let pathInfo = decodePathInfo(url.pathname);
  if (basePath !== '') {
    if (pathInfo !== basePath && !pathInfo.startsWith(`${basePath}/`)) return null;
    pathInfo = pathInfo.slice(basePath.length);
  }
  const [remoteAddress, remotePort] = peerOf(request, context);
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const body = request.body;
  const environ: Environ = {
    REQUEST_METHOD: request.method,
    SCRIPT_NAME: basePath,
    PATH_INFO: pathInfo,
    QUERY_STRING: url.search.slice(1),
    REQUEST_URI: url.pathname + url.search,
    SERVER_NAME: url.hostname,
    SERVER_PORT: url.port || (scheme === 'https' ? '443' : '80'),
    // Fetch does not say which HTTP version carried the request; 1.1 is what TSGI apps expect of a keep-alive peer.
    SERVER_PROTOCOL: 'HTTP/1.1',
    REMOTE_ADDR: remoteAddress,
    REMOTE_PORT: remotePort,
    'tsgi.version': TSGI_VERSION,
    'tsgi.url_scheme': scheme,
    'tsgi.input': inputOf(body),
    'tsgi.input_terminated': true,
    'tsgi.errors': errors,
    'tsgi.multithread': false,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
    'flagon.fetch.request': request,
    'flagon.fetch.context': context,
  };
  const flat: string[] = [];
  for (const [name, value] of request.headers) flat.push(name, value);
  addRequestHeaders(environ, flat);
  return environ;
}

function notUnderBase(basePath: string): Response {
  const text = `Not Found: this app is served under ${basePath}\n`;
  return new Response(text, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * A TSGI app as a Fetch handler, `(request: Request) => Promise<Response>`: the way to run Flagon on Bun, Deno and
 * Fetch-style workers, or to call an app in-process with WHATWG objects. Both ways stream: the request body reaches
 * `tsgi.input` as it arrives, and a streamed TSGI body becomes a `ReadableStream` that asks the app for a chunk only
 * when the runtime reads one, with `close()` called exactly once when it ends, fails or the client cancels. A list
 * body gets a Content-Length; HEAD gets no body; an error before the headers is a 500 (details only with `debug`).
 * Given a Flagon App, the handler serves whatever `app.gatewayApp` is when a request comes (middleware added later
 * included) and shows error details when the app's `DEBUG` is on (unless `debug` says otherwise); the root App's
 * `app.fetch` is this handler, made once per app.
 *
 * @example
 * import { toFetchHandler } from 'flagon/adapters';
 * Bun.serve({ port: 8000, fetch: toFetchHandler(app) });
 * const handler = toFetchHandler(proxyFix(app.gatewayApp), { basePath: '/blog' });
 * Deno.serve({ port: 8000 }, handler);
 */
export function toFetchHandler(app: GatewayApp | App, options: FetchHandlerOptions = {}): FetchHandler {
  if (isApp(app)) return appHandler(app, options);
  if (typeof app !== 'function') {
    throw new TypeError(
      'toFetchHandler(app): app is neither a TSGI app nor a Flagon App; pass app.gatewayApp or the App itself',
    );
  }
  const basePath = checkBasePath(options.basePath);
  return async function fetchHandler(request: Request, ...context: unknown[]): Promise<Response> {
    checkRequest(request);
    const environ = fetchEnviron(request, context, basePath, options.errors ?? stderrStream);
    if (environ === null) return notUnderBase(basePath);
    return new FetchExchange(environ, options).run(app);
  };
}

/** A Flagon App, told apart from a TSGI app without importing the class (a second copy of Flagon has its own). */
function isApp(app: unknown): app is App {
  return (
    typeof app === 'object' &&
    app !== null &&
    typeof (app as Partial<App>).gatewayApp === 'function' &&
    typeof (app as Partial<App>).config === 'object'
  );
}

/** The handler for an App: the current `gatewayApp` per request, DEBUG read per request unless `debug` is given. */
function appHandler(app: App, options: FetchHandlerOptions): FetchHandler {
  const live: FetchHandlerOptions = {
    basePath: options.basePath,
    errors: options.errors,
    get debug() {
      return options.debug ?? app.config.DEBUG === true;
    },
  };
  return toFetchHandler((environ, startResponse) => app.gatewayApp(environ, startResponse), live);
}
