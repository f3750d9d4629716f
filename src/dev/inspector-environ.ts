/** @module The request inspector's environ view (layer L4): each key of an environ with where its value came from (the request line, a header, the socket, the server, a middleware). */
import type { Environ } from '../gateway/types.js';
import { describeValue } from '../app/request-trace.js';
import { RECORDER_KEY } from '../app/request-recorder.js';

/**
 * One environ key as the inspector shows it: the value the server put there, where it came from, and what it was when
 * the App got it, if a middleware changed it.
 *
 * @example
 * const entry: EnvironEntry = { key: 'PATH_INFO', value: '/posts/7', source: 'the request line', appValue: null };
 */
export interface EnvironEntry {
  key: string;
  /** The value as the server built it (`null`: a middleware added the key). */
  value: string | null;
  source: string;
  /** The value the App got, when a middleware changed, added or removed the key (`null`: unchanged). */
  appValue: string | null;
}

const REQUEST_LINE = new Set(['REQUEST_METHOD', 'PATH_INFO', 'QUERY_STRING', 'SERVER_PROTOCOL', 'REQUEST_URI']);

/** `HTTP_USER_AGENT` → `User-Agent`: the header's usual spelling (the environ keeps no case). */
function headerName(key: string): string {
  return key
    .toLowerCase()
    .split('_')
    .map((word) => (word === 'dnt' ? 'DNT' : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('-');
}

/**
 * Where the server got an environ key's value: the request line, a header (named), the socket, the server itself,
 * or an extension. `localAddress`, the socket's own address: `SERVER_NAME` equal to it was read off the socket.
 *
 * @example
 * environSource('HTTP_USER_AGENT'); // 'the User-Agent header'
 * environSource('PATH_INFO');       // 'the request line'
 */
export function environSource(key: string, value?: string, localAddress?: string, localPort?: string): string {
  if (REQUEST_LINE.has(key)) return 'the request line';
  if (key.startsWith('HTTP_')) return `the ${headerName(key.slice(5))} header`;
  if (key === 'CONTENT_TYPE') return 'the Content-Type header';
  if (key === 'CONTENT_LENGTH') return 'the Content-Length header';
  if (key === 'REMOTE_ADDR') return "the socket (the peer's address)";
  if (key === 'REMOTE_PORT') return "the socket (the peer's port)";
  if (key === 'SERVER_NAME')
    return value !== undefined && value === localAddress
      ? 'the socket (its local address)'
      : 'the server (the host it is bound to)';
  if (key === 'SERVER_PORT')
    return value !== undefined && value === localPort
      ? 'the socket (its local port)'
      : 'the server (the port it is bound to)';
  if (key === RECORDER_KEY) return 'the request inspector';
  if (key.startsWith('tsgi.') || key === 'SCRIPT_NAME') return 'the server';
  return 'an extension of the server or a middleware';
}

/**
 * A copy of an environ with every value as text: what the inspector keeps of the environ as the server built it.
 *
 * @example
 * snapshotEnviron(environ).PATH_INFO; // '/posts/7'
 */
export function snapshotEnviron(environ: Environ): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(environ)) out[key] = describeValue(environ[key]);
  return out;
}

/**
 * The entries of an environ as the inspector lists them, sorted by key: the server's values with their sources, and
 * what a middleware changed by the time the App got it (`app`, `null` when the App was not reached or not traced).
 *
 * @example
 * environEntries(serverSnapshot, recorder.appEnviron, socket).find((e) => e.key === 'PATH_INFO')?.source;
 */
export function environEntries(
  server: Readonly<Record<string, string>>,
  app: Readonly<Record<string, string>> | null,
  socket: { localAddress?: string; localPort?: string } = {},
): EnvironEntry[] {
  const keys = new Set([...Object.keys(server), ...Object.keys(app ?? {})]);
  const entries: EnvironEntry[] = [];
  for (const key of [...keys].sort()) {
    const value = Object.hasOwn(server, key) ? server[key]! : null;
    const later = app === null ? undefined : Object.hasOwn(app, key) ? app[key]! : '(removed)';
    let source = environSource(key, value ?? undefined, socket.localAddress, socket.localPort);
    let appValue: string | null = null;
    if (value === null && key !== RECORDER_KEY) source = 'a middleware (added after the server)';
    if (later !== undefined && later !== value && key !== RECORDER_KEY) {
      appValue = later;
      if (value !== null) source = `${source}; then changed by a middleware`;
    }
    entries.push({ key, value: value ?? later ?? '', source, appValue });
  }
  return entries;
}
