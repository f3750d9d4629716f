/** @module The development server's parts (layer L4): a node:http (or node:https) server with the debug page and request log, listening on a handed-over socket, draining without dropping a request; the banner. */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Server as NetServer } from 'node:net';
import type { GatewayApp } from '../gateway/types.js';
import { debuggedApp } from './debug-page.js';
import { attachProfile, inspector, type InspectorOptions } from './inspector.js';
import { createRequestListener } from '../serving/listener.js';
import { guardProcess } from '../serving/process-guard.js';
import { logRequests } from './request-log.js';
import { answerProtocolErrors, SERVE_DEFAULTS } from '../serving/serve.js';
import { profiler } from '../middleware/profiler.js';
import type { TlsMaterial } from './tls.js';

/**
 * The profiler's settings a dev server takes (`flagon run --profile [DIR]`): plain data, since the reloader sends them
 * to each child over IPC. Tables go to standard output; see `profiler` in `flagon/middleware` for the rest.
 *
 * @example
 * const profile: DevProfileOptions = { dir: '/srv/notes/profiles', restrictions: [25] };
 */
export interface DevProfileOptions {
  /** The folder for one `.cpuprofile` per request, or `null` for the tables only. */
  dir: string | null;
  /** pstats-like restrictions on each table: a row count, or a regular expression's source. */
  restrictions?: Array<number | string>;
  sortBy?: 'self' | 'total';
}

/**
 * Options of {@link createDevServer}.
 *
 * @example
 * const options: DevServerOptions = { debug: true, host: '127.0.0.1', port: 5000 };
 */
export interface DevServerOptions {
  /** Debug mode: the debug page (unless `debugger` is `false`) and the request inspector (unless `inspector` is). */
  debug: boolean;
  /**
   * In debug mode, the debug page for unhandled errors (with the Host check that guards it), Flask's `use_debugger`.
   * `false` leaves it off: an error answers a plain 500 and its stack goes to the terminal. Default `true`.
   */
  debugger?: boolean;
  /** The address the socket is bound to, for SERVER_NAME and the debug mode's Host check. */
  host: string;
  port: number;
  /** Host names the debug mode accepts besides the local ones (the app's TRUSTED_HOSTS). */
  allowedHosts?: readonly string[];
  /** Log each request in Werkzeug's format. Default true. */
  log?: boolean;
  /** Serve HTTPS with this certificate and key (from `loadTls`); `tsgi.url_scheme` is then `https`. */
  tls?: TlsMaterial | null;
  /** Profile each request (`flagon run --profile`): the profiler wraps the app, inside the debug page. */
  profile?: DevProfileOptions | null;
  /**
   * The request inspector at `/__flagon__/` in debug mode (see `inspector`): its options, or `false` to leave it
   * off. Never on without debug.
   */
  inspector?: boolean | InspectorOptions;
}

/**
 * A node:http server for development (node:https with `tls`): Flagon's listener over the app (wrapped by the debug
 * page and the request inspector in debug mode), the request log, and the same timeouts as `serve()`. It does not listen yet: see
 * {@link listenOn}.
 *
 * @example
 * const server = createDevServer(app.gatewayApp, { debug: true, host: '127.0.0.1', port: 5000 });
 * server.listen(5000, '127.0.0.1');
 */
export function createDevServer(app: GatewayApp, options: DevServerOptions): Server {
  const timeouts = {
    headersTimeout: SERVE_DEFAULTS.headersTimeout,
    requestTimeout: SERVE_DEFAULTS.requestTimeout,
    keepAliveTimeout: SERVE_DEFAULTS.keepAliveTimeout,
    maxHeaderSize: SERVE_DEFAULTS.maxHeaderSize,
    connectionsCheckingInterval: SERVE_DEFAULTS.connectionsCheckingInterval,
  };
  const tls = options.tls;
  const server: Server = tls
    ? createHttpsServer({ ...timeouts, cert: tls.cert, key: tls.key })
    : createServer(timeouts);
  trackResponses(server);
  answerProtocolErrors(server); // what the parser refuses after good requests, and CONNECT, answered as serve() does
  const debugging = options.debug && options.debugger !== false;
  const inspecting = options.debug && options.inspector !== false;
  // With the inspector on, each profile also goes to the request's page, drawn as a flame graph.
  const profiled = options.profile
    ? profiler(app, {
        ...options.profile,
        ...(inspecting ? { onProfile: (profile, _request, environ) => attachProfile(environ, profile) } : {}),
      })
    : app;
  const allowedHosts = [options.host, ...(options.allowedHosts ?? [])];
  let wrapped = debugging ? debuggedApp(profiled, { allowedHosts }) : profiled;
  // Outside the debug page: the inspector sees the environ as the server built it, and the debug page's 500s.
  if (inspecting)
    wrapped = inspector(wrapped, { allowedHosts, ...(options.inspector === true ? {} : options.inspector) });
  server.on(
    'request',
    createRequestListener(wrapped, {
      debug: debugging,
      serverName: options.host,
      // Port 0 means any free port: the one bound is the socket's, which the listener reads when given none.
      serverPort: options.port === 0 ? undefined : options.port,
      urlScheme: tls ? 'https' : 'http',
    }),
  );
  if (options.log ?? true) logRequests(server);
  return server;
}

/** The guards of listening dev servers (process-guard.ts), lifted when they drain. */
const guards = new WeakMap<Server, () => void>();

/**
 * Listens on a socket handle the reloader's parent bound and passed over IPC (or on a port, for a plain run). While
 * it serves, an error the app lets escape every request is logged: a rejection nobody handled and serving goes on,
 * as Flask's dev server; after an uncaught exception the server drains and the process exits (with the reloader, a
 * page says so until the next save).
 *
 * @example
 * await listenOn(server, handle);
 */
export function listenOn(server: Server, handle: object | { port: number; host: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      guards.set(
        server,
        guardProcess(() => drainServer(server)),
      );
      resolve();
    };
    if ('port' in handle && 'host' in handle) server.listen(handle.port, handle.host, done);
    else server.listen(handle, done);
  });
}

/**
 * Hands a server's traffic over to its successor without failing a request: it stops accepting at once (new
 * connections wait in the shared socket's backlog for the new process), answers what is in flight and whatever
 * arrives on open connections in the next `graceMs` with `Connection: close`, then closes the idle connections and
 * resolves when the last one is gone (cutting any still open after `timeoutMs`). Closing an idle keep-alive
 * connection at once would race a client that is writing its next request on it; the grace lets that request in. A
 * second, not 100 ms: on a loaded machine a client's next request on a kept connection came later than 100 ms, found
 * it closed, and failed ("other side closed"), one reload in a few under a busy test run.
 *
 * @example
 * await drainServer(server); // then process.exit()
 */
export function drainServer(server: Server, graceMs = 1_000, timeoutMs = 3_000): Promise<void> {
  guards.get(server)?.();
  guards.delete(server);
  const closing = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  server.prependListener('request', (_req, res: ServerResponse) => closing(res));
  for (const res of inFlight(server)) closing(res);
  return new Promise((resolve) => {
    // net.Server's close stops accepting without http.Server's immediate closeIdleConnections().
    NetServer.prototype.close.call(server, () => resolve());
    setTimeout(() => server.closeIdleConnections(), graceMs).unref();
    setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, timeoutMs).unref();
  });
}

const responses = new WeakMap<Server, Set<ServerResponse>>();

/** Tracks a server's responses in flight, so that draining can mark them `Connection: close`. */
function trackResponses(server: Server): void {
  const set = new Set<ServerResponse>();
  responses.set(server, set);
  server.prependListener('request', (_req, res: ServerResponse) => {
    set.add(res);
    res.once('close', () => set.delete(res));
  });
}

function inFlight(server: Server): Iterable<ServerResponse> {
  return responses.get(server) ?? [];
}

/**
 * The URL a dev server answers on: `https` when it serves TLS, an IPv6 host in brackets.
 *
 * @example
 * devServerUrl('::1', 5000, true); // 'https://[::1]:5000'
 */
export function devServerUrl(host: string, port: number, secure: boolean): string {
  return `${secure ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Flask's startup banner: the app, debug mode, the development-server warning (every start), a second warning when
 * bound beyond this machine, a note on a throwaway certificate (`adhoc`), and the URL.
 *
 * @example
 * process.stdout.write(banner({ name: 'notes', debug: true, url: 'http://127.0.0.1:5000', host: '127.0.0.1' }));
 */
export function banner(info: {
  name: string;
  debug: boolean;
  /** The debug page is off (`--no-debugger`): error pages show no source, and the warning does not say they do. */
  debugger?: boolean;
  url: string;
  host: string;
  colour?: boolean;
  adhoc?: boolean;
}): string {
  const warn = (text: string): string => (info.colour ? `\x1b[31m\x1b[1m${text}\x1b[0m` : text);
  const lines = [
    ` * Serving Flagon app '${info.name}'`,
    ` * Debug mode: ${info.debug ? 'on' : 'off'}`,
    warn(
      'WARNING: This is a development server. Do not use it in a production deployment. Use a production TSGI server instead.',
    ),
  ];
  if (!LOOPBACK.has(info.host)) {
    lines.push(
      warn(
        `WARNING: Listening on ${info.host}, beyond this machine: anyone who can reach it can use the app${info.debug && info.debugger !== false ? ', and in debug mode error pages show your source code' : ''}.`,
      ),
    );
    if (info.host === '0.0.0.0' || info.host === '::') lines.push(` * Running on all addresses (${info.host})`);
  }
  if (info.adhoc)
    lines.push(
      ' * HTTPS with a throwaway self-signed certificate (adhoc): browsers warn about it once per run; curl needs -k',
    );
  lines.push(` * Running on ${info.url}`, 'Press CTRL+C to quit');
  return `${lines.join('\n')}\n`;
}
