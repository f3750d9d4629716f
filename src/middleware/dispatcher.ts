/** @module dispatcher (layer L2): several TSGI apps behind one, chosen by path prefix, as Werkzeug's DispatcherMiddleware. */
import type { GatewayApp } from '../gateway/types.js';

/**
 * Checks a mount prefix and says how to fix a bad one: it names the folder an app is mounted at, so it starts with `/`
 * and does not end with one (docs/gateway.md §3.2: that is the shape SCRIPT_NAME takes).
 */
function checkPrefix(prefix: string): void {
  if (prefix === '' || prefix === '/') {
    throw new TypeError(
      `dispatcher(): '${prefix}' cannot be a mount prefix: the root belongs to the fallback app, the first argument`,
    );
  }
  if (!prefix.startsWith('/') || prefix.endsWith('/')) {
    const fixed = `/${prefix.replace(/^\/+|\/+$/g, '')}`;
    throw new TypeError(
      `dispatcher(): the mount prefix '${prefix}' must start with '/' and not end with one; write '${fixed}'`,
    );
  }
}

/**
 * Combines TSGI apps into one, as Werkzeug's `DispatcherMiddleware`: a request goes to the app mounted at the longest
 * prefix of its path (whole segments only: `/api` takes `/api` and `/api/users`, not `/apis`), else to `fallback`.
 * The prefix moves from `PATH_INFO` to the end of `SCRIPT_NAME`, so the mounted app sees paths from its own root and
 * builds URLs (redirects, `urlFor`) under the prefix. `/api` itself reaches the app with an empty `PATH_INFO`, as
 * in Werkzeug.
 *
 * @example
 * import { dispatcher } from 'flagon/middleware';
 * const site = dispatcher(frontend.gatewayApp, { '/api': api.gatewayApp, '/api/v2': apiV2.gatewayApp });
 * await serve(site, { port: 8000 }); // /api/v2/users → apiV2 with SCRIPT_NAME '/api/v2', PATH_INFO '/users'
 */
export function dispatcher(fallback: GatewayApp, mounts: Readonly<Record<string, GatewayApp>>): GatewayApp {
  if (typeof fallback !== 'function') {
    throw new TypeError(
      'dispatcher(fallback, mounts): the fallback is not a TSGI app; pass one, e.g. app.gatewayApp, or a 404 app',
    );
  }
  const table = new Map<string, GatewayApp>();
  for (const [prefix, app] of Object.entries(mounts)) {
    checkPrefix(prefix);
    if (typeof app !== 'function') {
      throw new TypeError(
        `dispatcher(): the app mounted at '${prefix}' is not a TSGI app; pass app.gatewayApp for a Flagon App`,
      );
    }
    table.set(prefix, app);
  }
  return function dispatch(environ, startResponse) {
    // Cut the path at its last '/' until what is left is a mount: the first hit is the longest prefix, and a prefix
    // only ever ends where a segment does (PEP 3333's URL reconstruction keeps SCRIPT_NAME + PATH_INFO whole).
    let script = environ.PATH_INFO;
    let rest = '';
    let app: GatewayApp | undefined;
    for (let slash = script.lastIndexOf('/'); slash >= 0; slash = script.lastIndexOf('/')) {
      app = table.get(script);
      if (app !== undefined) break;
      rest = script.slice(slash) + rest;
      script = script.slice(0, slash);
    }
    if (app === undefined) return fallback(environ, startResponse);
    environ.SCRIPT_NAME += script;
    environ.PATH_INFO = rest;
    return app(environ, startResponse);
  };
}
