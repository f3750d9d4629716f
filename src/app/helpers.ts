/** @module Flask's helpers (layer L3): urlFor, afterThisRequest and makeResponse on the current context. */
import type { Response } from '../wrappers/response.js';
import type { App, UrlForOptions } from './app.js';
import { currentContext } from './context.js';
import { FlagonError } from './errors.js';
import { makeResponse as toResponse } from './make-response.js';

function context(what: string) {
  const found = currentContext();
  if (!found) throw new FlagonError('FLAGON_ERR_NO_CONTEXT', `Working outside of application context: ${what} needs a request or app.appContext().run(fn).`);
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
  return (context('urlFor()').app as App).urlFor(endpoint, values, options);
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
 * Flask's `make_response`: a Response from anything a view may return, to change it before returning.
 *
 * @example
 * const response = await makeResponse(['Created', 201]);
 * response.headers.set('X-Id', '1');
 */
export async function makeResponse(value: unknown): Promise<Response> {
  const found = currentContext();
  return toResponse(value, found?.match?.endpoint ?? '<makeResponse>');
}
