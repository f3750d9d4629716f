/** @module proxyFix (layer L2): trust the X-Forwarded-* headers of a known number of proxies, as Werkzeug's ProxyFix. */
import { decodePathInfo } from '../gateway/url.js';
import type { Environ, GatewayApp } from '../gateway/types.js';
import { AddressList } from '../http/addresses.js';
import { parseListHeader } from '../http/header-values.js';

/**
 * How many proxies in front of the app set each `X-Forwarded-*` header: the number of values, counted from the
 * right, that are trusted. `0` ignores the header. Werkzeug's `x_for`, `x_proto`, … in camelCase, with its defaults.
 *
 * @example
 * // nginx in front, setting X-Forwarded-For, -Proto and -Host
 * const options: ProxyFixOptions = { xFor: 1, xProto: 1, xHost: 1 };
 */
export interface ProxyFixOptions {
  /** `X-Forwarded-For` sets `REMOTE_ADDR`. Default 1. */
  xFor?: number;
  /** `X-Forwarded-Proto` sets `tsgi.url_scheme` (`http` or `https`; other values are ignored). Default 1. */
  xProto?: number;
  /** `X-Forwarded-Host` sets `HTTP_HOST`, `SERVER_NAME` and, when it has a port, `SERVER_PORT`. Default 0. */
  xHost?: number;
  /** `X-Forwarded-Port` sets the port of `HTTP_HOST` and `SERVER_PORT`. Default 0. */
  xPort?: number;
  /** `X-Forwarded-Prefix` sets `SCRIPT_NAME` (the app is mounted there by the proxy). Default 0. */
  xPrefix?: number;
  /**
   * The peers whose headers are read at all: IP addresses (`'127.0.0.1'`, `'::1'`) and networks (`'10.0.0.0/8'`), or
   * `'*'` for any. A request from another address is passed on untouched, so a client that reaches the server
   * directly cannot choose its address. A peer with no IP address (a UNIX socket, which only local processes can
   * reach) is trusted, as gunicorn's `forwarded_allow_ips`. Default `['*']`: Werkzeug's ProxyFix has no such list.
   */
  trustedProxies?: readonly string[];
}

/**
 * What the environ held before {@link proxyFix} changed it, kept under {@link PROXY_FIX_ORIGINAL} as Werkzeug keeps
 * `werkzeug.proxy_fix.orig`: the proxy's own address, the scheme and host it was reached by.
 *
 * @example
 * const original = environ[PROXY_FIX_ORIGINAL] as ProxyFixOriginal;
 * original.REMOTE_ADDR; // '10.0.0.2', the proxy
 */
export interface ProxyFixOriginal {
  REMOTE_ADDR: string;
  'tsgi.url_scheme': 'http' | 'https';
  HTTP_HOST: string | undefined;
  SERVER_NAME: string;
  SERVER_PORT: string;
  SCRIPT_NAME: string;
}

/**
 * The environ key of {@link ProxyFixOriginal}. Under `flagon.`, the extension prefix of docs/gateway.md §3.5: the
 * `tsgi.` keys belong to the spec alone, as PEP 3333 keeps `wsgi.` and Werkzeug uses `werkzeug.`.
 *
 * @example
 * const proxyAddress = (environ[PROXY_FIX_ORIGINAL] as ProxyFixOriginal | undefined)?.REMOTE_ADDR;
 */
export const PROXY_FIX_ORIGINAL = 'flagon.proxy_fix.orig';

const HEADERS = [
  ['xFor', 1],
  ['xProto', 1],
  ['xHost', 0],
  ['xPort', 0],
  ['xPrefix', 0],
] as const;

/**
 * The value set by the proxy `trusted` hops away: the `trusted`-th value from the right. Each proxy appends what it
 * saw, so values further left came from the client (or from proxies not counted) and may be forged. Fewer values
 * than `trusted` means the request did not pass through all the proxies: nothing is trusted.
 */
function trustedValue(trusted: number, header: string | undefined): string | null {
  if (trusted === 0 || !header) return null;
  const values = parseListHeader(header);
  return values.length >= trusted ? values[values.length - trusted]! : null;
}

/** Splits `host:port`; an IPv6 literal (`[::1]`) without a port keeps its colons. */
function splitPort(host: string): [string, string | null] {
  const colon = host.lastIndexOf(':');
  return colon < 0 || host.endsWith(']') ? [host, null] : [host.slice(0, colon), host.slice(colon + 1)];
}

/**
 * Rewrites the environ from the `X-Forwarded-*` headers the proxies in front of the app set, as Werkzeug's `ProxyFix`,
 * so `request.remoteAddr`, `request.scheme`, `request.host` and `urlFor(…, { external: true })` describe the
 * client's request, not the proxy's. Each option counts the proxies that set that header: only the value that many
 * places from the right is used, since a client can send the header itself and every proxy appends to it. Use it
 * only behind proxies, with counts that match them: trusting one value too many lets a client choose its address.
 * The environ's values before the change are kept under `flagon.proxy_fix.orig` ({@link PROXY_FIX_ORIGINAL}).
 *
 * Where TSGI is stricter than WSGI, so is this: an `X-Forwarded-Proto` other than `http`/`https` (any case) is
 * ignored, and an `X-Forwarded-Prefix` becomes a SCRIPT_NAME of the shape docs/gateway.md §3.2 asks for (decoded,
 * starting with `/`, without a trailing `/`).
 *
 * @example
 * import { proxyFix } from 'flagon/middleware';
 * // behind one nginx that sets X-Forwarded-For, -Proto, -Host and -Prefix
 * app.gatewayApp = proxyFix(app.gatewayApp, { xFor: 1, xProto: 1, xHost: 1, xPrefix: 1 });
 */
export function proxyFix(app: GatewayApp, options: ProxyFixOptions = {}): GatewayApp {
  if (typeof app !== 'function')
    throw new TypeError('proxyFix(app): app is not a TSGI app; pass app.gatewayApp for a Flagon App');
  const counts = {} as Record<(typeof HEADERS)[number][0], number>;
  for (const [name, fallback] of HEADERS) {
    const value = options[name] ?? fallback;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TypeError(
        `proxyFix(): ${name} is ${String(value)}; it counts the proxies that set the header, a whole number from 0 (ignore it) up`,
      );
    }
    counts[name] = value;
  }
  const { xFor, xProto, xHost, xPort, xPrefix } = counts;
  const trusted = trustedProxies(options.trustedProxies ?? ['*']);
  return function proxyFixed(environ: Environ, startResponse) {
    // A peer with no IP address came through a UNIX socket, which only local processes reach: trusted.
    if (!trusted.any && environ.REMOTE_ADDR !== '' && !trusted.has(environ.REMOTE_ADDR))
      return app(environ, startResponse);
    const original: ProxyFixOriginal = {
      REMOTE_ADDR: environ.REMOTE_ADDR,
      'tsgi.url_scheme': environ['tsgi.url_scheme'],
      HTTP_HOST: environ.HTTP_HOST,
      SERVER_NAME: environ.SERVER_NAME,
      SERVER_PORT: environ.SERVER_PORT,
      SCRIPT_NAME: environ.SCRIPT_NAME,
    };
    environ[PROXY_FIX_ORIGINAL] = original;

    const forwardedFor = trustedValue(xFor, environ.HTTP_X_FORWARDED_FOR);
    if (forwardedFor) environ.REMOTE_ADDR = forwardedFor;

    const proto = trustedValue(xProto, environ.HTTP_X_FORWARDED_PROTO)?.toLowerCase();
    if (proto === 'http' || proto === 'https') environ['tsgi.url_scheme'] = proto;

    const host = trustedValue(xHost, environ.HTTP_X_FORWARDED_HOST);
    if (host) {
      const [name, port] = splitPort(host);
      environ.HTTP_HOST = host;
      environ.SERVER_NAME = name;
      if (port !== null) environ.SERVER_PORT = port;
    }

    const port = trustedValue(xPort, environ.HTTP_X_FORWARDED_PORT);
    if (port) {
      if (environ.HTTP_HOST) environ.HTTP_HOST = `${splitPort(environ.HTTP_HOST)[0]}:${port}`;
      environ.SERVER_PORT = port;
    }

    const prefix = trustedValue(xPrefix, environ.HTTP_X_FORWARDED_PREFIX);
    if (prefix) environ.SCRIPT_NAME = decodePathInfo(`/${prefix}`.replace(/^\/+/, '/').replace(/\/+$/, ''));

    return app(environ, startResponse);
  };
}

function trustedProxies(entries: readonly string[]): AddressList {
  try {
    return AddressList.parse(entries);
  } catch (error) {
    throw new TypeError(`proxyFix(): trustedProxies has ${(error as Error).message}`);
  }
}
