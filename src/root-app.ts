/** @module The `App` of the root module `flagon`: flagon/app's App with `run()`, `testClient()` and `fetch` as real members, from the layers above it. Only src/index.ts imports this file. */
import type { FetchHandler } from './adapters/fetch.js';
import { toFetchHandler } from './adapters/fetch.js';
import { App as LayeredApp } from './app/app.js';
import { type RunningApp, type RunOptions, run } from './dev/app-run.js';
import { type TestClient, type TestClientOptions, testClient } from './testing/client.js';

/**
 * The application, as `import { App } from 'flagon'` gives it: everything of flagon/app's `App` (routes, hooks,
 * error handlers, config, `gatewayApp`), plus the conveniences that belong to higher layers, each a call to that
 * layer's function: `app.run()` is `run(app)` from flagon/dev, `app.testClient()` is `testClient(app)` from
 * flagon/testing, `app.fetch` is `toFetchHandler(app)` from flagon/adapters. An App from `flagon/app` has none of
 * the three (its layer may not import the ones above it); use the functions with it.
 *
 * @example
 * import { App } from 'flagon';
 * export const app = new App(import.meta.url, { config: { SECRET_KEY: 'dev' } });
 * app.get('/', () => 'Hello, World!');
 * (await app.testClient().get('/')).text;   // 'Hello, World!'
 * await app.run({ debug: true });            // in a script started with node or tsx
 * export default app;                        // Bun and Deno serve `app.fetch`
 */
export class App extends LayeredApp {
  #fetch: FetchHandler | undefined;

  /**
   * Serves the app for development on 127.0.0.1:5000 (or `host`/`port`): Flask's banner and warning, the request
   * log, the debug page with `debug`, and the reloader (on by default with `debug`: the script runs again in a child
   * on every change). `run(app, options)` from flagon/dev. For production, serve `app.gatewayApp` with `serve()`.
   *
   * @example
   * await app.run({ port: 8000, debug: true });
   */
  run(options?: RunOptions): Promise<RunningApp> {
    return run(this, options);
  }

  /**
   * A test client for this app (Flask's `app.test_client()`): `testClient(app, options)` from flagon/testing.
   *
   * @example
   * const response = await app.testClient().get('/');
   */
  testClient(options?: TestClientOptions): TestClient {
    return testClient(this, options);
  }

  /**
   * The app as a Fetch handler, for Bun, Deno and workers: `toFetchHandler(app)` from flagon/adapters, made on the
   * first read and the same function after, already bound, so it can be passed around (`export default app` works
   * too). It serves whatever `app.gatewayApp` is when a request comes, and shows error details only with `DEBUG`.
   *
   * @example
   * Bun.serve({ port: 8000, fetch: app.fetch });
   * Deno.serve({ port: 8000 }, app.fetch);
   * export default { fetch: app.fetch }; // a worker
   */
  get fetch(): FetchHandler {
    this.#fetch ??= toFetchHandler(this);
    return this.#fetch;
  }
}
