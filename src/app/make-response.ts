/** @module Flask's return-value rules (layer L3): what a view may return and the Response it becomes. */
import type { Body, BodyChunk, Environ, GatewayApp, HeaderList } from '../gateway/types.js';
import { HTTPError } from '../http/errors.js';
import { Headers, type HeadersInit } from '../http/headers.js';
import { escapeHtml } from '../http/html.js';
import { Response, type ResponseInit } from '../wrappers/response.js';
import { readReturnTuple } from '../wrappers/return-tuple.js';
import { FlagonError } from './errors.js';

/** A headers value in a returned tuple: a record, a list of pairs, or Headers. */
type TupleHeaders = HeadersInit;

/**
 * What a view may return on its own (not in a tuple): a body, a Response, a TSGI app, a dict or list for JSON, or an
 * iterable of chunks.
 *
 * @example
 * const body: ResponseBody = { ok: true };
 */
export type ResponseBody =
  | string
  | Uint8Array
  | Response
  | globalThis.Response
  | GatewayApp
  | Record<string, unknown>
  | readonly unknown[]
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>;

/**
 * What a view may return (Flask's rules): text; bytes; a plain object or array (JSON); a Response (Flagon's, or the global Fetch one); an iterable or
 * async iterable (streamed); a TSGI app; or a tuple `[body, status]`, `[body, status, headers]`, `[body, headers]`.
 *
 * @example
 * const rv: ResponseReturnValue = ['Created', 201, { Location: '/items/1' }];
 */
export type ResponseReturnValue =
  | ResponseBody
  | readonly [unknown, number]
  | readonly [unknown, number, TupleHeaders]
  | readonly [unknown, TupleHeaders];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const JSON_INIT: ResponseInit = Object.freeze({ contentType: 'application/json' });

/**
 * Flask's `jsonify`: compact JSON with a trailing newline, `application/json`; `undefined` (Flask's `jsonify()`)
 * is `null`.
 *
 * @example
 * return jsonify({ ok: true });
 */
export function jsonify(value: unknown, status = 200): Response {
  return new Response(
    `${JSON.stringify(value) ?? 'null'}\n`,
    status === 200 ? JSON_INIT : { status, contentType: 'application/json' },
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined (did you forget a return?)';
  if (value === null) return 'null';
  if (Array.isArray(value))
    return `an array that is neither JSON-able as a tuple nor [body, status, headers]: ${JSON.stringify(value).slice(0, 80)}`;
  return `a ${typeof value}${typeof value === 'object' ? ` (${(value as object).constructor?.name ?? 'Object'})` : `: ${String(value).slice(0, 40)}`}`;
}

/**
 * A Fetch API Response (node's global, as Hono's views return). The global is read only for objects that look like
 * one: reading `globalThis.Response` makes node load its fetch implementation (undici), ~50 ms on the first request.
 */
function isFetchResponse(value: unknown): value is globalThis.Response {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { arrayBuffer?: unknown }).arrayBuffer === 'function' &&
    value instanceof globalThis.Response
  );
}

/**
 * Sets a tuple's status and headers on the response made from its body. Headers as Werkzeug's `Headers.update`: a
 * name given replaces the response's own, with every value given for it.
 *
 * @example
 * applyTuple(new Response('made'), 201, { Location: '/items/1' });
 */
export function applyTuple(response: Response, status?: number, headers?: HeadersInit): Response {
  if (status !== undefined) response.status = status;
  if (headers !== undefined) {
    const given = new Headers(headers);
    for (const [name] of given) response.headers.delete(name);
    for (const [name, header] of given) response.headers.add(name, header);
  }
  return response;
}

/**
 * Turns what a view returned into a Response, by Flask's rules; synchronous except for a returned TSGI app, which is
 * called with `environ` (without one, a returned app is an error). Anything else (undefined, a number, a bad tuple)
 * throws a `FlagonError` that names the view.
 *
 * @example
 * const response = await makeResponse(['Created', 201], 'create_item', environ);
 */
export function makeResponse(value: unknown, endpoint: string, environ?: Environ): Response | Promise<Response> {
  if (value instanceof Response) return value;
  if (typeof value === 'string' || value instanceof Uint8Array) return new Response(value);
  if (isFetchResponse(value)) return fromFetchResponse(value);
  if (value instanceof HTTPError)
    return value.response === null ? errorResponse(value) : makeResponse(value.response, endpoint, environ);
  if (Array.isArray(value)) {
    const tuple = readReturnTuple(value);
    if (tuple === null) return jsonify(value);
    const apply = (response: Response): Response => applyTuple(response, tuple.status, tuple.headers);
    const made = makeBodyResponse(tuple.body, endpoint, environ);
    return made instanceof Response ? apply(made) : made.then(apply);
  }
  if (isPlainObject(value)) return jsonify(value);
  if (typeof value === 'function' && environ !== undefined) return responseFromApp(value as GatewayApp, environ);
  if (typeof value === 'object' && value !== null && (Symbol.asyncIterator in value || Symbol.iterator in value)) {
    return new Response(value as AsyncIterable<string | Uint8Array>);
  }
  throw new FlagonError(
    'FLAGON_ERR_BAD_RETURN',
    `The view function for '${endpoint}' did not return a valid response: it returned ${describe(value)}. ` +
      "Return a string, bytes, an object or array (JSON), a Response (Flagon's or Fetch's), an iterable, a TSGI app, or a tuple [body, status, headers].",
  );
}

/**
 * The response for the body of a tuple (`[body, status, headers]`, or `makeResponse(body, status)`): as
 * {@link makeResponse}, except that an array is JSON, never a tuple inside the tuple (Flask's
 * `return ['python', 404], 201` is a 201 with a list).
 *
 * @example
 * const made = await makeBodyResponse(['python', 404], 'index'); // JSON ["python",404], 200
 */
export function makeBodyResponse(body: unknown, endpoint: string, environ?: Environ): Response | Promise<Response> {
  return Array.isArray(body) ? jsonify(body) : makeResponse(body, endpoint, environ);
}

/**
 * The global Fetch `Response` (what Hono and workers code returns) as Flagon's: status, headers (each Set-Cookie on its
 * own) and the body, streamed as it is, with no Content-Type added when it had none.
 *
 * @example
 * fromFetchResponse(new globalThis.Response('{"ok":true}', { headers: { 'Content-Type': 'application/json' } }));
 */
export function fromFetchResponse(fetched: globalThis.Response): Response {
  const body = fetched.body as unknown as AsyncIterable<Uint8Array> | null;
  const response = new Response(body, { status: fetched.status });
  response.headers.delete('Content-Type');
  for (const [name, value] of fetched.headers) if (name !== 'set-cookie') response.headers.set(name, value);
  for (const cookie of fetched.headers.getSetCookie()) response.headers.add('Set-Cookie', cookie);
  return response;
}

/** An HTTPError as a Response: its page, status and the headers of its `getHeaders()` (Werkzeug's get_response). */
export function errorResponse(error: HTTPError): Response {
  // Content-Type by name, the last given winning (the error's own headers follow the default); a subclass whose
  // getHeaders() names none gets the default page's type
  let contentType = 'text/html; charset=utf-8';
  const rest: Array<[string, string]> = [];
  for (const [name, value] of error.getHeaders())
    if (name.toLowerCase() === 'content-type') contentType = value;
    else rest.push([name, value]);
  const response = new Response(error.getBody(), { status: error.status, contentType });
  for (const [name, value] of rest) response.headers.add(name, value);
  return response;
}

/** Calls a TSGI app and wraps its answer as a streamed Response (the status and headers it started with). */
export async function responseFromApp(app: GatewayApp, environ: Environ): Promise<Response> {
  let status = '';
  let headers: HeaderList = [];
  const pushed: BodyChunk[] = [];
  const body: Body = await app(environ, (s, h) => {
    status = s;
    headers = h;
    return (chunk) => {
      pushed.push(chunk);
    };
  });
  const iterator = (
    Symbol.asyncIterator in body
      ? (body as AsyncIterable<BodyChunk>)[Symbol.asyncIterator]()
      : (body as Iterable<BodyChunk>)[Symbol.iterator]()
  ) as AsyncIterator<BodyChunk> | Iterator<BodyChunk>;
  // An app may call startResponse lazily, from inside its body: read until it has.
  const early: BodyChunk[] = [];
  let done = false;
  try {
    while (status === '' && !done) {
      const step = await iterator.next();
      if (step.done) done = true;
      else early.push(step.value);
    }
    if (status === '')
      throw new FlagonError('FLAGON_ERR_BAD_RETURN', 'the TSGI app a view returned never called startResponse()');
  } catch (error) {
    // No Response will own this body: release what it holds (a file, a stream) before the error goes on (§5.3).
    await callCloseAndWait(body);
    throw error;
  }
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await body.close?.();
  };
  async function* rest(): AsyncGenerator<BodyChunk> {
    try {
      yield* pushed;
      yield* early;
      while (!done) {
        const step = await iterator.next();
        if (step.done) break;
        yield step.value;
      }
    } finally {
      await close();
    }
  }
  // A generator never started (HEAD, 304) skips its `finally`; the Response calls `close` when it releases the body.
  const response = new Response(Object.assign(rest(), { close }), { status: Number(status.slice(0, 3)), headers });
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) response.headers.delete('Content-Type');
  return response;
}

/**
 * Flask's `redirect`: a 302 (or `status`) with Location, and a small HTML body that links to the target, escaped.
 * Characters a URI may not hold (a space, non-ASCII, `<`, `"`…) are percent-encoded in Location, as Werkzeug's.
 *
 * @example
 * return redirect(urlFor('index'));
 */
export function redirect(location: string, status = 302): Response {
  const body = `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${escapeHtml(location)}">${escapeHtml(location)}</a>. If not, click the link.\n`;
  return new Response(body, { status, headers: { Location: location } }); // made a URI by Headers (iriToUri)
}

/** Calls a body's close() once, waiting for it; a failure to close must not hide the error that made us close it. */
async function callCloseAndWait(body: Body): Promise<void> {
  try {
    await body.close?.();
  } catch {
    // the caller rethrows the first error
  }
}
