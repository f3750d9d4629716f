/** @module The debug page (layer L4): a TSGI middleware that turns an unhandled error into an HTML traceback, and refuses foreign Hosts in debug mode. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requestHeaders } from '../gateway/environ.js';
import type { Body, BodyChunk, Environ, GatewayApp, HeaderList, StartResponse } from '../gateway/types.js';
import { getCurrentUrl } from '../gateway/url.js';
import { NunjucksRenderer } from '../templating/engine.js';
import { stackFrames, type StackFrame } from './stack-frames.js';

const TEMPLATES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');
let renderer: NunjucksRenderer | null = null;
const encoder = new TextEncoder();

/**
 * Options of {@link debuggedApp}.
 *
 * @example
 * const options: DebugOptions = { allowedHosts: ['myapp.test'] };
 */
export interface DebugOptions {
  /**
   * Host names accepted besides `localhost`, `*.localhost`, `127.0.0.1` and `[::1]`: the bound host, and any name
   * you reach the dev server by on purpose. Every other Host gets a 400.
   */
  allowedHosts?: readonly string[];
}

/**
 * Renders the debug page for an error: its name and message, the stack (source-mapped, with source lines around each
 * frame, the user's frames open and the framework's folded), the `cause` chain, and the request and environ when an
 * environ is given. Everything is HTML-escaped.
 *
 * @example
 * const html = renderDebugPage(new Error('boom'), environ);
 */
export function renderDebugPage(
  error: unknown,
  environ: Environ | null,
  title = 'An unhandled error escaped the app while it handled this request.',
): string {
  const chain: Array<{ name: string; message: string; frames: StackFrame[] }> = [];
  for (
    let current: unknown = error;
    current !== undefined && chain.length < 5;
    current = (current as { cause?: unknown }).cause
  ) {
    chain.push({ name: errorName(current), message: errorMessage(current), frames: stackFrames(current) });
    if (!(current instanceof Error)) break;
  }
  renderer ??= new NunjucksRenderer([TEMPLATES]);
  return renderer.render('debug.html', {
    name: chain[0]!.name,
    message: chain[0]!.message,
    title,
    chain,
    request: environ && {
      method: environ.REQUEST_METHOD,
      url: getCurrentUrl(environ),
      headers: requestHeaders(environ),
    },
    environ:
      environ &&
      Object.keys(environ)
        .sort()
        .map((key) => [key, describe(environ[key])]),
    footer: `Flagon debugger, Node ${process.version}, process ${process.pid}.`,
  });
}

/**
 * Whether a Host header names this machine: `localhost` and its subdomains (RFC 6761), `127.0.0.1`, `[::1]`, or one
 * of `allowed`. In debug mode the page shows source and environ, so a page on another origin that resolves its own
 * name to 127.0.0.1 (DNS rebinding) must not be able to read it.
 *
 * @example
 * isLocalHost('localhost:5000'); // true
 * isLocalHost('evil.example:5000'); // false
 */
export function isLocalHost(host: string, allowed: readonly string[] = []): boolean {
  const name = (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '')).toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost') || name === '127.0.0.1' || name === '[::1]') return true;
  return allowed.some((entry) => {
    const wanted = entry.toLowerCase();
    return name === wanted || name === `[${wanted}]`;
  });
}

/**
 * Wraps a TSGI app for development, as Werkzeug's DebuggedApplication: an error the app throws, rejects with, or
 * throws while producing its body before the first byte goes out becomes a 500 with {@link renderDebugPage} (and
 * the traceback on `tsgi.errors`). After bytes went out, the error passes on and the server cuts the response.
 * Requests with a Host that is not this machine get a 400 (see {@link isLocalHost}). For development only: the
 * page shows source code and the environ.
 *
 * @example
 * app.config.DEBUG = true; // the App lets errors through to this middleware
 * await serve(debuggedApp(app.gatewayApp), { port: 5000 });
 */
export function debuggedApp(app: GatewayApp, options: DebugOptions = {}): GatewayApp {
  const refused = hostCheck(options.allowedHosts);
  return function debugged(environ, startResponse) {
    const refusal = refused(environ, startResponse);
    if (refusal !== null) return refusal;
    let started = false;
    const tracking: StartResponse = (status, headers, excInfo) => {
      started = true;
      return startResponse(status, headers, excInfo);
    };
    const fail = (error: unknown): Body => errorPage(error, environ, startResponse, started);
    let result: Body | Promise<Body>;
    try {
      result = app(environ, tracking);
    } catch (error) {
      return fail(error);
    }
    if (isPromise(result)) return result.then((body) => guardBody(body, fail), fail);
    return guardBody(result, fail);
  };
}

/**
 * The debug mode's Host check, for every part of the dev server that shows source or requests (the debug page, the
 * request inspector): a function that answers a Host that is not this machine (see {@link isLocalHost}) with a 400
 * and returns its body, or returns `null` to let the request through.
 *
 * @example
 * const refused = hostCheck(['myapp.test']);
 * const refusal = refused(environ, startResponse);
 * if (refusal !== null) return refusal;
 */
export function hostCheck(
  allowedHosts: readonly string[] = [],
): (environ: Environ, startResponse: StartResponse) => Body | null {
  const allowed = allowedHosts.filter((host) => !['0.0.0.0', '::', ''].includes(host));
  return function checkHost(environ, startResponse) {
    const host = environ.HTTP_HOST ?? '';
    return host !== '' && !isLocalHost(host, allowed) ? refuseHost(host, startResponse) : null;
  };
}

function errorPage(error: unknown, environ: Environ, startResponse: StartResponse, started: boolean): Body {
  const stack = error instanceof Error ? (error.stack ?? String(error)) : String(error);
  environ['tsgi.errors'].write(`Error on request ${environ.REQUEST_METHOD} ${environ.REQUEST_URI}:\n${stack}\n`);
  const page = encoder.encode(renderDebugPage(error, environ));
  const headers: HeaderList = [
    ['Content-Type', 'text/html; charset=utf-8'],
    ['Content-Length', String(page.length)],
    ['Cache-Control', 'no-store'],
  ];
  // A second startResponse must carry the error (docs/gateway.md §4.3): it replaces headers not yet sent, or rethrows.
  startResponse('500 Internal Server Error', headers, started ? error : undefined);
  return [page];
}

function refuseHost(host: string, startResponse: StartResponse): Body {
  const text = `Bad Request: the Host '${host}' is not this machine. In debug mode the dev server answers only to localhost, 127.0.0.1, [::1] and the host it is bound to, because the debug page shows source code (a defence against DNS rebinding). Use http://127.0.0.1:<port>/, or bind to this name with --host.\n`;
  const body = encoder.encode(text);
  startResponse('400 Bad Request', [
    ['Content-Type', 'text/plain; charset=utf-8'],
    ['Content-Length', String(body.length)],
  ]);
  return [body];
}

/** Iterates the app's body; an error before the first non-empty chunk becomes the debug page instead. */
function guardBody(body: Body, fail: (error: unknown) => Body): Body {
  const close = (): void | Promise<void> => body.close?.();
  async function* guarded(): AsyncGenerator<BodyChunk> {
    let sent = false;
    try {
      for await (const chunk of body as AsyncIterable<BodyChunk>) {
        if (chunk.length > 0) sent = true; // a string's length or a Uint8Array's: zero means no byte went out
        yield chunk;
      }
    } catch (error) {
      if (sent) throw error;
      yield* fail(error) as Iterable<BodyChunk>;
    }
  }
  // A plain array cannot throw while iterated: pass it through untouched.
  if (Array.isArray(body)) return body;
  return Object.assign(guarded(), { close });
}

function isPromise(value: unknown): value is Promise<Body> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? error.constructor.name : error.name;
  return typeof error;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  return `<${value.constructor?.name ?? 'object'}>`;
}
