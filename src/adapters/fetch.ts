/** @module A TSGI app as a Fetch handler, `(request: Request) => Promise<Response>`, for Bun, Deno and workers; and `app.fetch` (layer L4). */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { App } from '../app/app.js';
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
 * For a Flagon App, `app.fetch` is this handler for `app.gatewayApp`.
 *
 * @example
 * import { toFetchHandler } from 'flagon/adapters';
 * const handler = toFetchHandler(proxyFix(app.gatewayApp), { basePath: '/blog' });
 * Bun.serve({ port: 8000, fetch: handler });
 */
export function toFetchHandler(app: GatewayApp, options: FetchHandlerOptions = {}): FetchHandler {
  if (typeof app !== 'function') {
    throw new TypeError(
      'toFetchHandler(app): app is not a TSGI app; pass app.gatewayApp, or use app.fetch for a Flagon App',
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

declare module '../app/app.js' {
  interface App {
    /**
     * The app as a Fetch handler (see {@link toFetchHandler}), for Bun, Deno and workers. It serves whatever
     * `app.gatewayApp` is when a request comes, middleware included, shows error details only when `DEBUG` is on,
     * and is the same function on every read, so it can be passed around unbound. Defined by `flagon/adapters`,
     * which `flagon` loads.
     *
     * @example
     * Bun.serve({ port: 8000, fetch: app.fetch });
     * Deno.serve({ port: 8000 }, app.fetch);
     * export default { fetch: app.fetch }; // a worker
     */
    readonly fetch: FetchHandler;
  }
}

const appHandlers = new WeakMap<App, FetchHandler>();

// The App cannot import the adapters layer (ARCHITECTURE.md), so this layer attaches `fetch` when it loads, as
// serving/ attaches `run()`.
Object.defineProperty(App.prototype, 'fetch', {
  configurable: true,
  get(this: App): FetchHandler {
    let handler = appHandlers.get(this);
    if (handler === undefined) {
      const app = this;
      handler = toFetchHandler((environ, startResponse) => app.gatewayApp(environ, startResponse), {
        get debug() {
          return app.config.DEBUG === true;
        },
      });
      appHandlers.set(this, handler);
    }
    return handler;
  },
});
