/** @module The body the server gets for a request (layer L3): the request's end tied to the body's `close()`, and a streamed body's chunks made inside the request's context. */
import type { Body, Environ, StartResponse } from '../gateway/types.js';
import type { Response } from '../wrappers/response.js';
import { endRequest } from './app-context.js';
import { chunksInContext, runInContext, type Context } from './context.js';
import type { EndpointPlan } from './request-plan.js';
import { endSignals } from './signals.js';

/**
 * The body the server gets for a request's response. The response's own TSGI call makes it; when the request has
 * teardown hooks or upload files to delete, its `close()` does that after the body's own close; the chunks of a
 * streamed body are produced inside the request's context, so `request` and `g` work in generators. `failure` is the
 * error the request ended with (teardown hooks get it), or `null`.
 *
 * @example
 * return responseBody(context, plan, response, environ, startResponse, null);
 */
export function responseBody(
  context: Context,
  plan: EndpointPlan,
  response: Response,
  environ: Environ,
  startResponse: StartResponse,
  failure: unknown,
): Body {
  const request = context.request!;
  const ends =
    plan.teardownRequest !== null || plan.teardownAppcontext !== null || request.needsClose || endSignals(context.app);
  let body: Body;
  try {
    body = response.gatewayApp(environ, startResponse) as Body;
  } catch (error) {
    // The server refused the answer (a status startResponse does not take): the request still ends, once.
    response.close();
    if (ends) return endRequest(context, plan, error).then(() => Promise.reject(error)) as never;
    throw error;
  }
  if (Array.isArray(body) && !ends) return body;
  const own = (body as { close?: () => void | Promise<void> }).close; // taken before anything is wrapped
  const ownClose = typeof own === 'function' ? own.bind(body) : undefined;
  const close = async (): Promise<void> => {
    try {
      await runInContext(context, () => ownClose?.()); // a generator's `finally` may read `request`
    } finally {
      await endRequest(context, plan, failure);
    }
  };
  if (Array.isArray(body)) return Object.assign([...(body as readonly unknown[])], { close }) as Body;
  return Object.assign(chunksInContext(context, body), { close });
}
