/** @module Routing a request (layer L3): Flask's match_request, and what the router reads of a request, computed only when it asks. */
import { BadRequest, HTTPError } from '../http/errors.js';
import type { Router } from '../routing/router.js';
import type { Request } from '../wrappers/request.js';
import { Response } from '../wrappers/response.js';
import type { Context } from './context.js';

/**
 * Flask's `match_request`: the context gets the match (and the request its params and rule), or the routing error,
 * which dispatch raises after the before-hooks, as Flask does. With TRUSTED_HOSTS set, a request whose host is not
 * trusted (`request.host` is then `''`) is a 400.
 *
 * @example
 * matchRequest(context, app.router, app.config.TRUSTED_HOSTS !== null, '');
 */
export function matchRequest(context: Context, router: Router, trustedHosts: boolean, subdomain: '' | undefined): void {
  const request = context.request!;
  try {
    if (trustedHosts && request.host === '') {
      throw new BadRequest(`The host '${request.environ.HTTP_HOST ?? ''}' is not in TRUSTED_HOSTS.`);
    }
    // An empty PATH_INFO (an app mounted at /approot, asked for /approot) must reach the router as '', which
    // redirects to /approot/ as Werkzeug does; request.path would already say '/'.
    const path = request.environ.PATH_INFO === '' ? '' : request.path;
    context.match = router.match(path, new RequestMatchOptions(request, subdomain));
    request.params = context.match.params;
    request.urlRule = context.match.rule;
  } catch (error) {
    context.routingError = error;
    if (error instanceof HTTPError) request.routingException = error;
  }
}

/**
 * The automatic answer to OPTIONS on a rule that did not list it (Flask's `provide_automatic_options`): an empty 200
 * whose `Allow` names every method the URL answers to.
 *
 * @example
 * optionsResponse(app.router, request, '').headers.get('Allow'); // 'GET, HEAD, OPTIONS'
 */
export function optionsResponse(router: Router, request: Request, subdomain: '' | undefined): Response {
  const response = new Response();
  const methods = router.allowedMethods(request.path, { host: request.host, subdomain });
  response.headers.set('Allow', methods.join(', '));
  return response;
}

/**
 * What the router reads of a request, through getters: it needs the host only for host rules and the rest only to
 * build a redirect, so the common request computes neither. (A class: V8 allocates it far faster than a literal with
 * getters.)

 */
class RequestMatchOptions {
  readonly #request: Request;
  readonly subdomain: string | undefined;
  constructor(request: Request, subdomain: string | undefined) {
    this.#request = request;
    this.subdomain = subdomain;
  }
  get method(): string {
    return this.#request.method;
  }
  get host(): string {
    return this.#request.host;
  }
  get scheme(): 'http' | 'https' {
    return this.#request.scheme;
  }
  get scriptName(): string {
    return this.#request.scriptRoot;
  }
  get queryString(): string {
    return this.#request.environ.QUERY_STRING;
  }
}
