/** @module serve(app): Flagon's TSGI server on node:http, with safe defaults for timeouts and header size (layer L4). */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FlagonError } from '../gateway/errors.js';
import type { GatewayApp } from '../gateway/types.js';
import { statusLine } from '../http/status.js';
import { createRequestListener, kRefused, LISTENER_DEFAULTS, whenIdle, type ListenerOptions } from './listener.js';
import { guardProcess } from './process-guard.js';

/**
 * The defaults of {@link serve}. The timeouts bound how long a slow or silent client can hold a connection
 * (slowloris); `maxHeaderSize` bounds the memory one request's head can take.
 *
 * | option | default | what it bounds |
 * | --- | --- | --- |
 * | host | `127.0.0.1` | only this machine can connect; pass `0.0.0.0` deliberately |
 * | port | `5000` | Flask's port; `0` picks a free one |
 * | headersTimeout | 20 s | time to receive the request line and headers |
 * | requestTimeout | 120 s | time to receive the whole request, body included |
 * | keepAliveTimeout | 5 s | how long an idle keep-alive connection stays open |
 * | maxHeaderSize | 16 KiB | the size of the request line plus headers (larger: 431) |
 * | connectionsCheckingInterval | 1 s | how often the two timeouts above are checked (node's default, 30 s, lets a slow client stay 30 s longer) |
 * | handlerTimeout | 30 s | time for the app to start its response (then 503 and close) |
 * | writeTimeout | 60 s | time a write may wait for a client that takes no bytes (then close) |
 *
 * @example
 * await serve(app, { ...SERVE_DEFAULTS, port: 8080 });
 */
export const SERVE_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 5000,
  headersTimeout: 20_000,
  requestTimeout: 120_000,
  keepAliveTimeout: 5_000,
  maxHeaderSize: 16_384,
  connectionsCheckingInterval: 1_000,
  ...LISTENER_DEFAULTS,
});

/**
 * Options of {@link serve}: where to listen, the limits, and the listener's options.
 *
 * @example
 * const options: ServeOptions = { port: 8080, requestTimeout: 30_000 };
 * await serve(app, options);
 */
export interface ServeOptions extends ListenerOptions {
  host?: string;
  port?: number;
  headersTimeout?: number;
  requestTimeout?: number;
  keepAliveTimeout?: number;
  maxHeaderSize?: number;
  /** How often node checks `headersTimeout` and `requestTimeout` across connections, in ms. Default 1 s. */
  connectionsCheckingInterval?: number;
  /** How long `close()` waits for requests in flight before it cuts their connections. Default 5 s. */
  closeTimeout?: number;
}

/**
 * A running server, as {@link serve} returns it.
 *
 * @example
 * const server: RunningServer = await serve(app, { port: 0 });
 * await fetch(`${server.url}/`);
 * await server.close();
 */
export interface RunningServer {
  /** `http://127.0.0.1:5000`: where to send requests. */
  url: string;
  host: string;
  /** The port bound, useful with `port: 0`. */
  port: number;
  /** The underlying node:http server, for what this interface does not cover. */
  server: Server;
  /** Stops accepting connections, closes idle ones, lets requests in flight finish (up to `closeTimeout`). */
  close(): Promise<void>;
}

/** Set on `globalThis`, so every copy of Flagon in the process sees it and no child process inherits it. */
const LOADING_APP_ONLY = Symbol.for('flagon.loadingAppOnly');
const flags = globalThis as { [LOADING_APP_ONLY]?: boolean };

/**
 * Runs `load` (the import of an app module) for a `flagon` command that only loads the app (`flagon routes`,
 * `shell`, the app's own commands): a `serve()` the module makes meanwhile is ignored, with a note, on any port.
 *
 * @example
 * const app = await loadingAppOnly(() => importApp(spec));
 */
export async function loadingAppOnly<T>(load: () => Promise<T>): Promise<T> {
  flags[LOADING_APP_ONLY] = true;
  try {
    return await load();
  } finally {
    delete flags[LOADING_APP_ONLY];
  }
}

/**
 * Whether a `flagon` command is loading the app module: `flagon run` serves the app on its port itself
 * (`FLAGON_RUN_SERVING_PORT`, which its reloader's children inherit), and the commands that only load the app do it
 * in {@link loadingAppOnly} (any port), as Flask's `app.run()` does nothing under a `flask` command.
 */
function servedByFlagonRun(port: number): boolean {
  if (flags[LOADING_APP_ONLY] === true) return true;
  return process.env.FLAGON_RUN_FROM_CLI === 'true' && process.env.FLAGON_RUN_SERVING_PORT === String(port);
}

function ignoredServe(host: string, port: number): RunningServer {
  const why =
    flags[LOADING_APP_ONLY] === true
      ? 'this flagon command loads the app without serving it'
      : "'flagon run' serves the app there itself";
  process.stderr.write(
    ` * Ignoring serve() on port ${port} in the app module: ${why}. Keep serve() for a script you start with node or tsx.\n`,
  );
  return { url: `http://${host}:${port}`, host, port, server: createServer(), close: async () => undefined };
}

/**
 * A port as node should get it, or a FlagonError naming the fix: a whole number from 0 (any free port) to 65535. Node
 * takes `'5000'` as a port but `'abc'` as the path of a Unix socket, and reports neither as an error.
 *
 * @example
 * checkPort(Number(process.env.PORT ?? 5000));
 */
export function checkPort(port: unknown, name = 'port'): number {
  if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  throw new FlagonError(
    'FLAGON_ERR_BAD_ARGUMENT',
    `${name} must be a whole number from 0 to 65535 (0 picks a free port), not ${JSON.stringify(port)}; a port read from the environment needs Number(process.env.PORT)`,
  );
}

/**
 * Serves a TSGI app over HTTP/1.1 on node:http. Resolves once the port is bound. Under `flagon run`, a call for the
 * port the command serves on is ignored, with a notice (the command serves the app; the `server` returned does not
 * listen).
 *
 * @example
 * import { serve } from 'flagon/serving';
 * const server = await serve(app, { port: 0 });
 * console.log(`listening on ${server.url}`);
 * await server.close();
 */
export async function serve(app: GatewayApp, options: ServeOptions = {}): Promise<RunningServer> {
  const settings = { ...SERVE_DEFAULTS, ...stripUndefined(options) };
  checkPort(settings.port);
  settings.headersTimeout = headersTimeoutFor(options, settings.requestTimeout);
  if (servedByFlagonRun(settings.port)) return ignoredServe(settings.host, settings.port);
  const server = createServer({
    headersTimeout: settings.headersTimeout,
    requestTimeout: settings.requestTimeout,
    keepAliveTimeout: settings.keepAliveTimeout,
    maxHeaderSize: settings.maxHeaderSize,
    connectionsCheckingInterval: settings.connectionsCheckingInterval,
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') {
        error.message = `port ${settings.port} on ${settings.host} is already in use; stop the other server or pass another port (port: 0 picks a free one)`;
      }
      reject(error);
    };
    server.once('error', onError);
    server.listen(settings.port, settings.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  answerProtocolErrors(server);
  server.on(
    'request',
    createRequestListener(app, {
      ...options,
      serverName: options.serverName ?? settings.host,
      serverPort: options.serverPort ?? port,
    }),
  );
  const closeTimeout = settings.closeTimeout ?? 5_000;
  // An error the app lets escape every request must not end the process for every client (process-guard.ts).
  const unguard = guardProcess(() => closeServer(server, closeTimeout));
  const urlHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    url: `http://${urlHost}:${port}`,
    host: settings.host,
    port,
    server,
    close: () => {
      unguard();
      return closeServer(server, closeTimeout);
    },
  };
}

/**
 * The answers a Flagon server gives before any application runs, shared by `serve()` and the workers of
 * `flagon serve`: what node's HTTP parser refuses gets its status (400, 408, 413, 431, 505, docs/gateway.md §6.6)
 * after the answers before it, and CONNECT gets 501, since this server makes no tunnels (RFC 9110 §9.3.6): without a
 * listener node would drop the connection, leaving the client to guess.
 *
 * @example
 * const server = createServer(options);
 * answerProtocolErrors(server);
 */
export function answerProtocolErrors(server: Server): void {
  server.on('clientError', answerClientError);
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    const body = 'Not Implemented: this server makes no CONNECT tunnels\n';
    // After the answers to the requests before it on this connection, in order (RFC 9112 §9.3.2).
    whenIdle(socket, () => {
      socket.end(
        `HTTP/1.1 501 Not Implemented\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
  });
}

/**
 * The head's time limit, which node requires to be no longer than the whole request's: a `requestTimeout` shorter
 * than the default 20 s brings it down too; both given the wrong way round is an error that says so.
 */
function headersTimeoutFor(options: ServeOptions, requestTimeout: number): number {
  const given = options.headersTimeout;
  if (requestTimeout <= 0) return given ?? SERVE_DEFAULTS.headersTimeout;
  if (given === undefined) return Math.min(SERVE_DEFAULTS.headersTimeout, requestTimeout);
  if (given > requestTimeout)
    throw new FlagonError(
      'FLAGON_ERR_BAD_ARGUMENT',
      `headersTimeout (${given} ms) must not be longer than requestTimeout (${requestTimeout} ms), which includes the head: lower headersTimeout or raise requestTimeout`,
    );
  return given;
}

function closeServer(server: Server, timeout: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), timeout);
    force.unref();
    server.close((error) => {
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

/** What node's parser refused, as a status: 431 for a head too large, 408 for a timeout, 505 for a version, else 400. */
function clientErrorStatus(error: NodeJS.ErrnoException & { rawPacket?: Buffer }): number {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    case 'HPE_INVALID_VERSION': {
      // A well-formed version we do not serve (HTTP/1.2, HTTP/3.0) is a 505, as nginx answers; a garbled one a 400.
      const line = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ \S+ HTTP\/(\d)\.(\d)\r?\n/.exec(
        error.rawPacket?.toString('latin1', 0, 8192) ?? '',
      );
      return line !== null && !(line[1] === '1' && (line[2] === '0' || line[2] === '1')) ? 505 : 400;
    }
    default:
      return 400;
  }
}

/**
 * Node's parser refused what a client sent (or the client went away). Answer with the right status and close, as
 * node's default does, but with 505 for versions, and without cutting off a refusal of the gate still on its way.
 */
function answerClientError(
  error: NodeJS.ErrnoException & { rawPacket?: Buffer },
  socket: Socket & { [kRefused]?: true },
): void {
  if (socket[kRefused] === true) {
    // The gate already answered this head; what follows it is the body nobody can frame. Flush the answer, then close.
    socket.destroySoon();
    return;
  }
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  // The requests parsed before the bad bytes are answered first, in order (RFC 9112 §9.3.2), then this refusal.
  const line = statusLine(clientErrorStatus(error));
  const body = `${line.slice(4)}\n`;
  const answer = `HTTP/1.1 ${line}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
  whenIdle(
    socket,
    () => {
      if (!socket.writable) return;
      socket.end(answer);
      socket.destroySoon();
    },
    answer,
  );
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
