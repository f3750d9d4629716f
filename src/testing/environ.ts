/** @module createEnviron(): a TSGI environ built in memory for tests, with the same rules a server applies (layer L4). */
import { domainToASCII } from 'node:url';
import { addRequestHeaders, TSGI_VERSION } from '../gateway/environ.js';
import { splitRequestTarget } from '../gateway/url.js';
import type { Environ, ErrorStream, InputStream } from '../gateway/types.js';
import type { HeadersInit } from '../http/headers.js';

/**
 * Query parameters as a raw string, a record (arrays repeat the key), or `URLSearchParams`.
 *
 * @example
 * const query: QueryInit = { page: 2, tag: ['a', 'b'] }; // page=2&tag=a&tag=b
 */
export type QueryInit =
  | string
  | URLSearchParams
  | Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>;

/**
 * A request body: text (sent as UTF-8), bytes, or chunks (sent without Content-Length, like a chunked upload).
 *
 * @example
 * const body: BodyInit = JSON.stringify({ name: 'Ada' });
 */
export type BodyInit = string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Options of {@link createEnviron}.
 *
 * @example
 * const options: EnvironOptions = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' };
 * createEnviron('/api/users', options);
 */
export interface EnvironOptions {
  method?: string;
  headers?: HeadersInit;
  /** Added to any query string already in the path. */
  query?: QueryInit;
  body?: BodyInit;
  /**
   * Werkzeug's `base_url`: scheme, host and script root in one (`'https://example.com/app'`), the path given being
   * below it. `scheme`, `host` and `scriptName` win over it. No query string or fragment.
   */
  baseUrl?: string;
  /** Where the app is mounted (SCRIPT_NAME); the path given is PATH_INFO below it. */
  scriptName?: string;
  scheme?: 'http' | 'https';
  /** The Host header when `headers` has none. Default `localhost`. */
  host?: string;
  /** Default: the host without its port. */
  serverName?: string;
  /** Default: the host's port, else 80 or 443 by scheme. */
  serverPort?: number | string;
  remoteAddr?: string;
  remotePort?: number | string;
  protocol?: string;
  errors?: ErrorStream;
  /**
   * Keys under the computed ones and the headers (Werkzeug's `environ_base`): a header or an option given wins over
   * them; `REMOTE_ADDR` and `REMOTE_PORT` are theirs unless `remoteAddr`/`remotePort` is given.
   */
  base?: Record<string, unknown>;
  /** More keys, e.g. server or framework extensions; they win over the computed ones (`environ_overrides`). */
  extra?: Record<string, unknown>;
}

const encoder = new TextEncoder();

function flattenHeaders(headers: HeadersInit | undefined): string[] {
  const flat: string[] = [];
  if (headers === undefined) return flat;
  const pairs = Symbol.iterator in headers ? (headers as Iterable<readonly [string, string]>) : Object.entries(headers);
  for (const [name, value] of pairs) {
    if (Array.isArray(value)) for (const item of value as readonly string[]) flat.push(name, item);
    else flat.push(name, String(value));
  }
  return flat;
}

function encodeQuery(query: QueryInit): string {
  if (typeof query === 'string') return query.replace(/^\?/, '');
  if (query instanceof URLSearchParams) return query.toString();
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  return params.toString();
}

function toInput(body: BodyInit | undefined): { input: InputStream; length: number | undefined } {
  if (body === undefined) return { input: (async function* () {})(), length: 0 };
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const bytes = typeof body === 'string' ? encoder.encode(body) : body;
    return {
      input: (async function* () {
        if (bytes.byteLength > 0) yield bytes;
      })(),
      length: bytes.byteLength,
    };
  }
  // A generator object is its own iterator: once read, it stays read, like a socket.
  return {
    input: (async function* () {
      yield* body;
    })(),
    length: undefined,
  };
}

/** The parts of a base URL, as Werkzeug's `EnvironBuilder.base_url` takes it apart. */
interface BaseUrl {
  scheme: 'http' | 'https';
  host: string;
  scriptRoot: string;
}

function parseBaseUrl(baseUrl: string): BaseUrl {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)([?#].*)?$/.exec(baseUrl);
  const scheme = match?.[1]?.toLowerCase();
  if (match === null || (scheme !== 'http' && scheme !== 'https')) {
    throw new TypeError(
      `baseUrl ${JSON.stringify(baseUrl)} is not an http(s) URL; give one such as 'http://localhost/' or 'https://example.com/app'`,
    );
  }
  if (match[4] !== undefined)
    throw new TypeError(
      `baseUrl ${JSON.stringify(baseUrl)} has a query string or fragment; pass those with the path instead`,
    );
  return { scheme, host: asciiHost(match[2]!), scriptRoot: match[3]!.replace(/\/+$/, '') };
}

/** A host (and port) as a Host header carries it: an internationalised name in its ASCII form (`☃.net` → `xn--n3h.net`). */
export function asciiHost(host: string): string {
  if (!/[^\x00-\x7f]/.test(host)) return host;
  const { name, port } = splitHost(host);
  return (domainToASCII(name) || name) + (port === undefined ? '' : `:${port}`);
}

/** A Host header's name and port (`[::1]:8080` → `[::1]`, `8080`); the port is `undefined` when there is none. */
function splitHost(host: string): { name: string; port: string | undefined } {
  const colon = host.lastIndexOf(':');
  if (colon < 0 || host.lastIndexOf(']') > colon) return { name: host, port: undefined };
  const port = host.slice(colon + 1);
  return { name: host.slice(0, colon), port: /^\d+$/.test(port) ? port : undefined };
}

/**
 * Builds the environ a TSGI server would hand an app for this request: path and query decoded as a server does,
 * one `HTTP_*` key per header, `tsgi.input` readable once. Use it with `runApp()` to test an app without sockets.
 *
 * @example
 * const environ = createEnviron('/hello?name=Ada', { headers: { Accept: 'text/html' } });
 * const post = createEnviron('/login', { method: 'POST', body: 'user=ada', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
 * const mounted = createEnviron('/users', { baseUrl: 'https://example.com:8443/app' }); // SCRIPT_NAME '/app', SERVER_PORT '8443'
 */
export function createEnviron(path = '/', options: EnvironOptions = {}): Environ {
  const base = options.baseUrl === undefined ? undefined : parseBaseUrl(options.baseUrl);
  const scriptName = options.scriptName ?? base?.scriptRoot ?? '';
  // What a client puts on the wire: non-ASCII and spaces percent-encoded as UTF-8, existing escapes kept.
  let target = `${scriptName}${path}`.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char));
  if (options.query !== undefined) {
    const extra = encodeQuery(options.query);
    if (extra) target += `${target.includes('?') ? '&' : '?'}${extra}`;
  }
  const { pathInfo, queryString } = splitRequestTarget(target);
  const scriptDecoded = splitRequestTarget(scriptName.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c))).pathInfo;
  const { input, length } = toInput(options.body);
  const scheme = options.scheme ?? base?.scheme ?? 'http';
  const host = options.host ?? base?.host ?? 'localhost';
  const { name: hostName, port: hostPort } = splitHost(host);
  const environ: Environ = {
    REQUEST_METHOD: options.method?.toUpperCase() ?? 'GET',
    SCRIPT_NAME: scriptName === '' ? '' : scriptDecoded,
    PATH_INFO: scriptName === '' ? pathInfo : pathInfo.slice(scriptDecoded.length),
    QUERY_STRING: queryString,
    REQUEST_URI: target,
    SERVER_NAME: options.serverName ?? hostName,
    SERVER_PORT: String(options.serverPort ?? hostPort ?? (scheme === 'https' ? 443 : 80)),
    SERVER_PROTOCOL: options.protocol ?? 'HTTP/1.1',
    REMOTE_ADDR: options.remoteAddr ?? '127.0.0.1',
    REMOTE_PORT: String(options.remotePort ?? 50000),
    'tsgi.version': TSGI_VERSION,
    'tsgi.url_scheme': scheme,
    'tsgi.input': input,
    'tsgi.input_terminated': true,
    'tsgi.errors': options.errors ?? collectingStream(),
    'tsgi.multithread': false,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
  };
  const flat = flattenHeaders(options.headers);
  if (!flat.some((name, i) => i % 2 === 0 && name.toLowerCase() === 'host')) flat.unshift('Host', host);
  addRequestHeaders(environ, flat);
  if (environ.CONTENT_LENGTH === undefined && length !== undefined && length > 0)
    environ.CONTENT_LENGTH = String(length);
  if (options.base !== undefined) {
    for (const [key, value] of Object.entries(options.base)) {
      const defaulted =
        (key === 'REMOTE_ADDR' && options.remoteAddr === undefined) ||
        (key === 'REMOTE_PORT' && options.remotePort === undefined);
      if (defaulted || !(key in environ)) environ[key] = value;
    }
  }
  return Object.assign(environ, options.extra);
}

/**
 * An {@link ErrorStream} that keeps what was written, for tests to read back through `.text`.
 *
 * @example
 * const errors: CollectingStream = collectingStream();
 * errors.write('oops\n');
 * errors.text; // 'oops\n'
 */
export interface CollectingStream extends ErrorStream {
  readonly text: string;
}

/**
 * The default `tsgi.errors` of {@link createEnviron}: it keeps the text instead of printing it.
 *
 * @example
 * const errors = collectingStream();
 * await runApp(app, createEnviron('/', { errors }));
 * expect(errors.text).toContain('warning');
 */
export function collectingStream(): CollectingStream {
  let text = '';
  return {
    write(chunk: string) {
      text += chunk;
    },
    flush() {},
    get text() {
      return text;
    },
  };
}
