/** @module Flask's helpers (layer L3): urlFor, afterThisRequest and makeResponse on the current context. */
import { Response } from '../wrappers/response.js';
import type { UrlForOptions } from './url-for.js';
import { currentContext } from './context.js';
import { FlagonError } from './errors.js';
import type { HeadersInit } from '../http/headers.js';
import { applyTuple, makeBodyResponse, makeResponse as toResponse } from './make-response.js';
import { messageFlashed } from './signals.js';

function context(what: string) {
  const found = currentContext();
  if (!found)
    throw new FlagonError(
      'FLAGON_ERR_NO_CONTEXT',
      `Working outside of application context: ${what} needs a request or app.appContext().run(fn).`,
    );
  return found;
}

/**
 * Flask's `url_for`: the URL of an endpoint, relative inside a request, absolute outside (with `SERVER_NAME`).
 * `'.index'` means the `index` endpoint of the current blueprint. Values not in the rule become the query string.
 *
 * @example
 * return redirect(urlFor('user', { id: 7 }));
 */
export function urlFor(endpoint: string, values: Record<string, unknown> = {}, options: UrlForOptions = {}): string {
  return context('urlFor()').app.urlFor(endpoint, values, options);
}

/**
 * Runs `fn` on this request's response, before the after-request hooks.
 *
 * @example
 * afterThisRequest((response) => { response.setCookie('seen', '1'); return response; });
 */
export function afterThisRequest(fn: (response: Response) => Response | void | Promise<Response | void>): void {
  const found = context('afterThisRequest()');
  if (!found.request) throw new FlagonError('FLAGON_ERR_NO_CONTEXT', 'afterThisRequest() needs a request context');
  found.afterThisRequest.push(fn);
}

/**
 * Flask's `make_response`: a Response from anything a view may return, to change it before returning; with no
 * argument, an empty `200` to fill in. As in Flask, several arguments are a tuple: `(body, status)`,
 * `(body, status, headers)` or `(body, headers)`, whatever the body is.
 *
 * @example
 * const response = await makeResponse('Created', 201, { Location: '/items/1' });
 * response.headers.set('X-Id', '1');
 */
export async function makeResponse(
  ...args:
    | []
    | [value: unknown]
    | [body: unknown, status: number, headers?: HeadersInit]
    | [body: unknown, headers: HeadersInit]
): Promise<Response> {
  if (args.length === 0) return new Response(); // Flask: make_response() is the app's response class, empty
  const found = currentContext();
  const endpoint = found?.match?.endpoint ?? '<makeResponse>';
  const environ = found?.request?.environ;
  if (args.length === 1) return await toResponse(args[0], endpoint, environ);
  const made = await makeBodyResponse(args[0], endpoint, environ);
  const [, second, third] = args;
  return typeof second === 'number' ? applyTuple(made, second, third) : applyTuple(made, undefined, second);
}

/** A flashed message: `[category, message]`. */
type Flash = [category: string, message: string];

/**
 * Flask's `flash`: keeps a message in the session for the next request that reads it.
 *
 * @example
 * flash('Saved!');
 * flash('Wrong password', 'error');
 */
export function flash(message: string, category = 'message'): void {
  const found = context('flash()');
  const flashes = (found.session._flashes as Flash[] | undefined) ?? [];
  found.session._flashes = [...flashes, [category, message]];
  if (messageFlashed.hasReceiversFor(found.app)) messageFlashed.send(found.app, { message, category });
}

const readFlashes = new WeakMap<object, Flash[]>();

/**
 * Flask's `get_flashed_messages`: the flashed messages, removed from the session the first time they are read in a
 * request (reading again in the same request gives the same list).
 *
 * @example
 * getFlashedMessages();                                   // ['Saved!']
 * getFlashedMessages({ withCategories: true });           // [['message', 'Saved!']]
 * getFlashedMessages({ categoryFilter: ['error'] });
 */
export function getFlashedMessages(options: { withCategories: true; categoryFilter?: readonly string[] }): Flash[];
export function getFlashedMessages(options?: { withCategories?: false; categoryFilter?: readonly string[] }): string[];
export function getFlashedMessages(
  options: { withCategories?: boolean; categoryFilter?: readonly string[] } = {},
): Flash[] | string[] {
  const found = context('getFlashedMessages()');
  let flashes = readFlashes.get(found);
  if (flashes === undefined) {
    flashes = '_flashes' in found.session ? ((found.session._flashes as Flash[] | undefined) ?? []) : [];
    if (flashes.length > 0) delete found.session._flashes;
    readFlashes.set(found, flashes);
  }
  const filtered = options.categoryFilter
    ? flashes.filter(([category]) => options.categoryFilter!.includes(category))
    : flashes;
  return options.withCategories ? filtered : filtered.map(([, message]) => message);
}
