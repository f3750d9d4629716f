/** @module run(app) (layer L4): serve an App from code the way `flagon run` does, banner, request log, debug page and reloader included; the root `App`'s `app.run()` calls it. */
import type { Server } from 'node:http';
import type { App } from '../app/app.js';
import { projectRoot } from './app-loader.js';
import { banner, createDevServer, devServerUrl, drainServer, listenOn } from './dev-server.js';
import type { ChildMessage, ParentMessage } from './dev-worker.js';
import { startReloader } from './reloader.js';
import { loadTls } from './tls.js';
import type { InspectorOptions } from './inspector.js';
import { checkPort, SERVE_DEFAULTS } from '../serving/serve.js';

/**
 * Options of `app.run()`: where to listen, HTTPS, debug mode (the debug page, DEBUG in the app's config) and the
 * reloader.
 *
 * @example
 * await app.run({ host: "127.0.0.1", port: 8000, debug: true, cert: "adhoc" });
 */
export interface RunOptions {
  /** Default `127.0.0.1` (or `FLAGON_RUN_HOST`). */
  host?: string;
  /** Default `5000` (or `FLAGON_RUN_PORT`); `0` picks a free port; digits as text too (`process.env.PORT`). */
  port?: number | string;
  /** Sets the app's DEBUG for this run and turns on the debug page. */
  debug?: boolean;
  /** Restart on source changes (this script runs again in a child). Default: on in debug mode, as in Flask. */
  reload?: boolean;
  /** Glob patterns the reloader ignores. */
  excludePatterns?: readonly string[];
  /** Extra files or folders the reloader watches. */
  extraFiles?: readonly string[];
  /** Print the banner. Default true. */
  banner?: boolean;
  /** Log each request. Default true. */
  log?: boolean;
  /**
   * Serve HTTPS: a certificate's PEM file (with `key`), or `'adhoc'` for a throwaway self-signed one made at start
   * (browsers warn about it). For development only: in production, TLS belongs to a proxy in front.
   */
  cert?: string;
  /** The PEM file of `cert`'s private key; not used with `cert: 'adhoc'`. */
  key?: string;
  /** The request inspector at `/__flagon__/` in debug mode: its options, or `false` to leave it off. Default on. */
  inspector?: boolean | InspectorOptions;
  /**
   * The debug page for unhandled errors in debug mode, Flask's `use_debugger`. `false` leaves it off (a plain 500,
   * the stack in the terminal) while the rest of debug mode stays. Default on.
   */
  debugger?: boolean;
}

/**
 * What `app.run()` resolves with: where it listens, and how to stop it.
 *
 * @example
 * const running: RunningApp = await app.run({ port: 0, reload: false });
 * await running.close();
 */
export interface RunningApp {
  url: string;
  host: string;
  port: number;
  /** The node:http server when this process serves; `null` under the reloader, where children serve. */
  server: Server | null;
  close(): Promise<void>;
}

/**
 * Serves an App for development on 127.0.0.1:5000 (or `host`/`port`): Flask's `app.run()`, with its banner and
 * warning, the request log, the debug page with `debug`, HTTPS with `cert` (and `key`), and the reloader (on by
 * default with `debug`: the script runs again in a child on every change). A bad `cert` or `key` throws a
 * `FlagonError` (`FLAGON_ERR_BAD_ARGUMENT`) before any port is bound. For production, serve `app.gatewayApp` with
 * `serve()` from `flagon/serving` or another TSGI server. An App imported from the root module `flagon` has this as
 * `app.run(options)`.
 *
 * @example
 * import { App } from 'flagon/app';
 * import { run } from 'flagon/dev';
 * const app = new App(import.meta.url);
 * await run(app, { port: 8000, debug: true });
 */
export async function run(app: App, options: RunOptions = {}): Promise<RunningApp> {
  if (options.debug !== undefined) app.config.DEBUG = options.debug;
  const debug = app.config.DEBUG;
  const host = options.host ?? process.env.FLAGON_RUN_HOST ?? SERVE_DEFAULTS.host;
  if (process.env.FLAGON_RUN_FROM_CLI === 'true') {
    // `flagon run --app server.ts` imports a module that also calls app.run(): the CLI already serves it (Flask does the same).
    process.stderr.write(
      " * Ignoring a call to 'app.run()' that would block the 'flagon' command: the command serves the app itself. Call app.run() only in a script you start with node or tsx.\n",
    );
    return {
      url: '',
      host,
      port: Number(options.port ?? process.env.FLAGON_RUN_PORT ?? SERVE_DEFAULTS.port),
      server: null,
      close: async () => undefined,
    };
  }
  // As Flask's app.run: a port in digits may be text (process.env.PORT); anything else is refused before binding.
  const given = options.port ?? process.env.FLAGON_RUN_PORT ?? SERVE_DEFAULTS.port;
  const port = checkPort(
    typeof given === 'string' && /^\d+$/.test(given) ? Number(given) : given,
    options.port === undefined && process.env.FLAGON_RUN_PORT !== undefined ? 'FLAGON_RUN_PORT' : 'port',
  );
  if (process.env.FLAGON_RUN_MAIN === 'true' && process.send) {
    // A child of the reloader: the parent bound the socket, its address is in the environment, and the certificate
    // comes with the message to listen (the parent read or made it once for every child).
    return serveForReloader(
      app,
      process.env.FLAGON_RUN_HOST ?? host,
      Number(process.env.FLAGON_RUN_PORT ?? port),
      debug,
      options,
    );
  }
  const tls = await loadTls({ cert: options.cert, key: options.key }, { host });
  if (options.reload ?? debug) {
    const script = process.argv[1];
    const roots = [script ? projectRoot(script) : process.cwd(), ...(options.extraFiles ?? [])];
    const reloader = await startReloader({
      app: null,
      host,
      port,
      debug,
      debugger: options.debugger,
      watch: roots,
      exclude: options.excludePatterns,
      tls,
    });
    return { url: reloader.url, host, port: reloader.port, server: null, close: reloader.close };
  }
  const server = createDevServer(app.gatewayApp, {
    debug,
    debugger: options.debugger,
    host,
    port,
    allowedHosts: app.config.TRUSTED_HOSTS ?? [],
    log: options.log,
    tls,
    inspector: options.inspector,
  });
  await listenOn(server, { port, host });
  const bound = (server.address() as { port: number }).port;
  const url = devServerUrl(host, bound, tls !== null);
  if (options.banner ?? true)
    process.stdout.write(
      banner({
        name: app.name,
        debug,
        debugger: options.debugger,
        url,
        host,
        colour: process.stdout.isTTY,
        adhoc: tls?.adhoc,
      }),
    );
  return { url, host, port: bound, server, close: () => drainServer(server, 0, 5_000) };
}

/** In a child of the reloader: say the app is loaded, listen on the parent's socket when told, drain when told. */
function serveForReloader(
  app: App,
  host: string,
  port: number,
  debug: boolean,
  { inspector, debugger: debugPage }: Pick<RunOptions, 'inspector' | 'debugger'>,
): Promise<RunningApp> {
  let server: Server | null = null;
  const send = (message: ChildMessage): void => void process.send?.(message);
  process.on('SIGINT', () => undefined); // Ctrl+C reaches the whole process group; the parent stops the children
  process.on('disconnect', () => process.exit(0));
  return new Promise((resolve) => {
    process.on('message', (message: ParentMessage, handle?: object) => {
      if (message.type === 'listen' && handle) {
        const { tls } = message;
        const listening = createDevServer(app.gatewayApp, {
          debug,
          host,
          port,
          allowedHosts: app.config.TRUSTED_HOSTS ?? [],
          tls,
          inspector,
          debugger: debugPage,
        });
        server = listening;
        void listenOn(listening, handle).then(() => {
          send({ type: 'listening' });
          const url = devServerUrl(host, port, tls !== null);
          resolve({ url, host, port, server: listening, close: () => drainServer(listening) });
        });
      } else if (message.type === 'drain') {
        const drained = server ? drainServer(server) : Promise.resolve();
        send({ type: 'stopped' });
        void drained.then(() => process.exit(0));
      }
    });
    send({ type: 'loaded', ok: true, name: app.name });
  });
}
