/** @module Any Fetch-style app (Hono, itty-router, a worker's fetch) as a TSGI app, to mount inside Flagon (layer L4). */
import { requestHeaders } from '../gateway/environ.js';
import { isHopByHop } from '../gateway/response.js';
import type { Body, Environ, GatewayApp } from '../gateway/types.js';
import { getCurrentUrl, quotePath } from '../gateway/url.js';
import { statusLine } from '../http/status.js';

/**
 * A Fetch-style app: `request` in, `Response` out. Hono's `app.fetch`, itty-router's `router.fetch`, a worker's
 * `fetch`. The second argument is the environ of the request, which Hono shows as `c.env`.
 *
 * @example
 * const hello: FetchApp = (request) => new Response(`Hello from ${new URL(request.url).pathname}`);
 */
export type FetchApp = (request: Request, environ: Environ) => Response | Promise<Response>;

/**
 * Options of {@link fromFetchHandler}.
 *
 * @example
 * const options: FromFetchOptions = { stripScriptName: true };
 */
export interface FromFetchOptions {
  /**
   * Give the Fetch app a URL without the mount prefix (`SCRIPT_NAME`), as Hono's `app.mount()` does, for an app
   * written for the root. Default `false`: the app sees the URL the client asked for, prefix included, so it routes
   * under its base path (Hono's `new Hono().basePath('/hono')`) and its links point back through the mount.
   */
  stripScriptName?: boolean;
}

/** The URL the Fetch app sees: the client's (docs/gateway.md §6.4), or without SCRIPT_NAME when asked. */
function requestUrl(environ: Environ, strip: boolean): string {
  if (!strip) return getCurrentUrl(environ);
  const root = getCurrentUrl({ ...environ, SCRIPT_NAME: '', PATH_INFO: '/', QUERY_STRING: '' });
  const path = quotePath(environ.PATH_INFO === '' ? '/' : environ.PATH_INFO);
  return `${root.slice(0, -1)}${path}${environ.QUERY_STRING === '' ? '' : `?${environ.QUERY_STRING}`}`;
}

/** `tsgi.input` as a request body stream that reads a chunk only when the Fetch app asks for one. */
function inputStream(environ: Environ): ReadableStream<Uint8Array> {
  const iterator = environ['tsgi.input'][Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const step = await iterator.next();
        if (step.done) controller.close();
        else controller.enqueue(step.value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

function hasBody(environ: Environ): boolean {
  if (environ.REQUEST_METHOD === 'GET' || environ.REQUEST_METHOD === 'HEAD') return false;
  return environ.CONTENT_LENGTH !== '0';
}

/** The Response body as TSGI chunks; `close()` cancels the stream, so an abandoned response stops its producer. */
function responseBody(response: Response): Body {
  const stream = response.body;
  if (stream === null) return [];
  const reader = stream.getReader();
  let done = false;
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const step = await reader.read();
        if (step.done) {
          done = true;
          return;
        }
        yield step.value;
      }
    },
    async close() {
      if (done) return;
      done = true;
      await reader.cancel();
    },
  };
}

/**
 * Turns a Fetch-style app (Hono's `app.fetch`, itty-router, a worker) into a TSGI app, so it can be mounted inside
 * Flagon with `dispatcher` or served by any TSGI server. The request is built from the environ, with `tsgi.input`
 * streamed as its body (`duplex: 'half'`); the Response's status, headers (each `Set-Cookie` apart) and body come back
 * as TSGI, the body streamed chunk by chunk, and `close()` cancels it. By default the Fetch app sees the full URL,
 * mount prefix included: give a Hono app the same base path (`new Hono().basePath('/hono')`).
 *
 * @example
 * import { Hono } from 'hono';
 * import { fromFetchHandler } from 'flagon/adapters';
 * import { dispatcher } from 'flagon/middleware';
 * const hono = new Hono().basePath('/hono');
 * hono.get('/hello', (c) => c.text(`Hello from ${c.req.path}`)); // 'Hello from /hono/hello'
 * app.gatewayApp = dispatcher(app.gatewayApp, { '/hono': fromFetchHandler(hono.fetch) });
 */
export function fromFetchHandler(fetchApp: FetchApp, options: FromFetchOptions = {}): GatewayApp {
  if (typeof fetchApp !== 'function') {
    throw new TypeError(
      "fromFetchHandler(fetch): pass the Fetch app's handler function, e.g. honoApp.fetch (it is already bound)",
    );
  }
  const strip = options.stripScriptName === true;
  return async function fetchApplication(environ, startResponse) {
    const withBody = hasBody(environ);
    const init: RequestInit & { duplex?: 'half' } = {
      method: environ.REQUEST_METHOD,
      // Connection, Transfer-Encoding and the like described the hop to the TSGI server; the body is already decoded.
      headers: requestHeaders(environ).filter(([name]) => !isHopByHop(name)),
      body: withBody ? inputStream(environ) : null,
    };
    if (withBody) init.duplex = 'half'; // required by the Fetch spec for a streamed request body
    const response = await fetchApp(new Request(requestUrl(environ, strip), init), environ);
    if (!(response instanceof Response)) {
      throw new TypeError(
        `the Fetch app returned ${response === null ? 'null' : typeof response}, not a Response; did you forget to return one?`,
      );
    }
    const headers: Array<[string, string]> = [];
    for (const [name, value] of response.headers) {
      // Set-Cookie is given one value per cookie below; hop-by-hop headers belong to the server (docs/gateway.md §4.2).
      if (name === 'set-cookie' || isHopByHop(name)) continue;
      headers.push([name, value]);
    }
    for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', cookie]);
    const status =
      response.statusText === '' ? statusLine(response.status) : `${response.status} ${response.statusText}`;
    startResponse(status, headers);
    if (environ.REQUEST_METHOD === 'HEAD') {
      await response.body?.cancel();
      return [];
    }
    return responseBody(response);
  };
}
