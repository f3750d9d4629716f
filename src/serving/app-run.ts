/** @module app.run() (layer L4): serve an App from code with Flask's startup banner. The serving layer attaches it, since the App may not import serving. */
import { App } from '../app/app.js';
import { serve, type RunningServer, type ServeOptions } from './serve.js';

/**
 * Options of `app.run()`: where to listen, and debug mode (stack traces in 500s, the app's DEBUG).
 *
 * @example
 * await app.run({ host: "127.0.0.1", port: 8000, debug: true });
 */
export interface RunOptions extends Pick<ServeOptions, 'host' | 'port' | 'errors'> {
  /** Sets the app's DEBUG for this run. */
  debug?: boolean;
  /** Print the banner. Default true. */
  banner?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

declare module '../app/app.js' {
  interface App {
    /**
     * Serves the app on 127.0.0.1:5000 (or `host`/`port`), printing Flask's banner and its development-server
     * warning. Resolves with the running server. The reloader and debug page come with `flagon run`.
     *
     * @example
     * await app.run({ port: 8000, debug: true });
     */
    run(options?: RunOptions): Promise<RunningServer>;
  }
}

/**
 * What `app.run()` does: serve the app's gatewayApp and print the banner.
 *
 * @example
 * const server = await startApp(app, { port: 0, banner: false });
 */
export async function startApp(app: App, options: RunOptions = {}): Promise<RunningServer> {
  if (options.debug !== undefined) app.config.fromObject({ DEBUG: options.debug });
  const server = await serve(app.gatewayApp, { host: options.host, port: options.port, errors: options.errors, debug: app.config.DEBUG });
  if (options.banner ?? true) {
    const lines = [
      ` * Serving Flagon app '${app.name}'`,
      ` * Debug mode: ${app.config.DEBUG ? 'on' : 'off'}`,
      'WARNING: This is a development server. Do not use it in a production deployment. Use a production TSGI server instead.',
    ];
    if (!LOOPBACK.has(server.host)) lines.push(` * Running on all addresses (${server.host}): anyone who can reach this machine can reach the app.`);
    lines.push(` * Running on ${server.url}`, 'Press CTRL+C to quit');
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return server;
}

// The App cannot import the serving layer (ARCHITECTURE.md), so the serving layer attaches run() when it loads.
App.prototype.run = function run(this: App, options?: RunOptions): Promise<RunningServer> {
  return startApp(this, options);
};
