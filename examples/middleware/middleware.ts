/**
 * Middleware is a TSGI app that calls another TSGI app (docs/gateway.md §7). It can change the environ on the way
 * in, and the status, headers and body on the way out by wrapping startResponse and the body. Two examples.
 */
import { shiftPathInfo } from 'flagon/gateway';
import type { GatewayApp, HeaderList } from 'flagon/gateway';

const DEFAULT_HEADERS: HeaderList = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'same-origin'],
];

/** On the way out: adds security headers the app did not set itself. */
export function securityHeaders(app: GatewayApp, extra: HeaderList = DEFAULT_HEADERS): GatewayApp {
  return function withSecurityHeaders(environ, startResponse) {
    return app(environ, (status, headers, excInfo) => {
      const present = new Set(headers.map(([name]) => name.toLowerCase()));
      const added = extra.filter(([name]) => !present.has(name.toLowerCase()));
      return startResponse(status, [...headers, ...added], excInfo); // a new list: never mutate the app's
    });
  };
}

/**
 * On the way in: serves `app` under `prefix` (e.g. `/greet`), moving the prefix from PATH_INFO to SCRIPT_NAME so the
 * app still sees paths from its own root and can rebuild full URLs (docs/gateway.md §6.4). Anything else is a 404.
 */
export function mountAt(prefix: string, app: GatewayApp): GatewayApp {
  const segment = prefix.replace(/^\/|\/$/g, '');
  return function mounted(environ, startResponse) {
    const probe = { ...environ };
    if (shiftPathInfo(probe) !== segment) {
      startResponse('404 Not Found', [['Content-Type', 'text/plain; charset=utf-8']]);
      return [new TextEncoder().encode(`Not Found: the app lives under ${prefix}/\n`)];
    }
    environ.SCRIPT_NAME = probe.SCRIPT_NAME;
    environ.PATH_INFO = probe.PATH_INFO || '/';
    return app(environ, startResponse);
  };
}
