/** @module The request pipeline (layer L3): what `app.gatewayApp` does with one request, top to bottom, as Flask's `wsgi_app` and `full_dispatch_request`. */
import { isPromiseLike } from '../gateway/response.js';
import type { Body, Environ, StartResponse } from '../gateway/types.js';
import { HTTPError, InternalServerError } from '../http/errors.js';
import { RequestRedirect } from '../routing/errors.js';
import type { Router } from '../routing/router.js';
import { SessionUnavailable } from '../sessions/errors.js';
import { Request, type RequestOptions } from '../wrappers/request.js';
import { Response } from '../wrappers/response.js';
import { endRequest, PRESERVE_CONTEXT_KEY } from './app-context.js';
import type { Config } from './config.js';
import { makeContext, runInContext, type Context, type ContextApp } from './context.js';
import { missingView } from './endpoint-aliases.js';
import { matchRequest, optionsResponse } from './request-match.js';
import { trapsHttpError } from './error-handlers.js';
import type { Logger } from './logger.js';
import { errorResponse, makeResponse } from './make-response.js';
import type { AppRegistry } from './registry.js';
import type { EndpointPlan } from './request-plan.js';
import { openSessionFirst, sessionFailed, sessionPending, sessionToSave } from './request-session.js';
import { RECORDER_KEY, type RequestRecorder } from './request-recorder.js';
import { responseBody } from './response-body.js';
import { appcontextPushed, gotRequestException, requestFinished, requestStarted } from './signals.js';
import { traceRequest } from './request-trace.js';
import type { SessionApp, SessionInterface } from './types.js';

/**
 * What the pipeline reads of the App.
 *
 * @example
 * const pipeline = new Pipeline(app, registry, requestOptionsOf(app.config), () => {});
 */
export interface PipelineApp extends ContextApp, SessionApp {
  readonly config: Config;
  readonly router: Router;
  readonly logger: Logger;
  readonly sessionInterface: SessionInterface;
  readonly subdomainMatching: boolean;
}

/**
 * The App's request lifecycle: `handle` is `app.gatewayApp`. A request to a synchronous view with no hooks takes one
 * short branch and no promise; everything else takes the async path, which reads like Flask's.
 *
 * @example
 * app.gatewayApp = (environ, startResponse) => pipeline.handle(environ, startResponse);
 */
export class Pipeline {
  readonly #app: PipelineApp;
  readonly #registry: AppRegistry;
  readonly #config: Config;
  readonly #requestOptions: RequestOptions;
  #endSetup: (() => void) | null;

  /** `endSetup` is called on the first request: from then on the app's setup methods throw. */
  constructor(app: PipelineApp, registry: AppRegistry, requestOptions: RequestOptions, endSetup: () => void) {
    this.#app = app;
    this.#registry = registry;
    this.#config = app.config;
    this.#requestOptions = requestOptions;
    this.#endSetup = endSetup;
  }

  /** One request: its context (current across every `await` of its code), the match, the dispatch, the body. */
  handle(environ: Environ, startResponse: StartResponse): Body | Promise<Body> {
    if (this.#endSetup !== null) {
      this.#endSetup();
      this.#endSetup = null;
    }
    const context = makeContext(this.#app, new Request(environ, this.#requestOptions));
    const preserve = environ[PRESERVE_CONTEXT_KEY]; // only a test client inside client.context() sets it
    if (preserve !== undefined) (preserve as (context: Context) => void)(context);
    if (this.#app.sessionInterface.opensAsync === true)
      return runInContext(context, () => this.#openSessionFirst(context, environ, startResponse));
    return runInContext(context, () => this.#run(context, environ, startResponse));
  }

  /** An async session store (Redis): the session is opened and awaited before anything of the app runs. */
  #openSessionFirst(context: Context, environ: Environ, startResponse: StartResponse): Body | Promise<Body> {
    const opening = openSessionFirst(context, this.#app);
    if (opening === undefined) return this.#run(context, environ, startResponse);
    return opening.then(
      () => this.#run(context, environ, startResponse),
      (error: unknown) => this.#run(context, environ, startResponse, Promise.reject(error)),
    );
  }

  /** `failure`: the session could not be opened; it answers in the view's place, through the error handlers. */
  #run(
    context: Context,
    environ: Environ,
    startResponse: StartResponse,
    failure?: Promise<never>,
  ): Body | Promise<Body> {
    if (appcontextPushed.hasReceiversFor(this.#app)) {
      try {
        appcontextPushed.send(this.#app, {});
      } catch (error) {
        // A receiver's error is the request's: through the 500 path, and the request still ends (teardown, uploads).
        const plan = this.#registry.plan(null);
        return this.#respond(context, plan, environ, startResponse, Promise.reject(error));
      }
    }
    // Inside the context: converters may read `request` and `session`, as in Flask.
    matchRequest(context, this.#app.router, this.#config.TRUSTED_HOSTS !== null, this.#subdomain());
    // The request inspector's recorder (debug mode): the one read an untraced request pays for tracing.
    const recorder = environ[RECORDER_KEY] as RequestRecorder | undefined;
    if (recorder !== undefined) {
      const traced = traceRequest(recorder, context, this.#app, this.#registry, environ);
      return this.#respond(context, traced, environ, startResponse, failure);
    }
    const plan = this.#registry.plan(context.match?.endpoint ?? null);
    // Request signals are sent on the async path, which reads as Flask's (receivers may connect at any time).
    if (
      failure !== undefined ||
      !plan.fast ||
      requestStarted.hasReceiversFor(this.#app) ||
      requestFinished.hasReceiversFor(this.#app)
    )
      return this.#respond(context, plan, environ, startResponse, failure);
    // The short branch (Hono's #dispatch fast path): the view's value made a Response, nothing to run after it.
    let rv: unknown;
    try {
      rv = this.#view(context);
    } catch (error) {
      return this.#respond(context, plan, environ, startResponse, Promise.reject(error));
    }
    if (isPromiseLike(rv)) return this.#respond(context, plan, environ, startResponse, Promise.resolve(rv));
    let made: Response | Promise<Response>;
    try {
      made = makeResponse(rv, plan.endpoint!, environ); // a value no view may return is a 500, not the view's error
    } catch (error) {
      return this.#recover(context, plan, error, environ, startResponse);
    }
    if (!(made instanceof Response)) {
      const next = (response: Response): Promise<Body> =>
        this.#respond(context, plan, environ, startResponse, Promise.resolve(response));
      return made.then(next, (error: unknown) => this.#recover(context, plan, error, environ, startResponse));
    }
    if (context.hasAfterThisRequest || sessionPending(context, this.#app))
      return this.#respond(context, plan, environ, startResponse, Promise.resolve(made));
    made.maxCookieSize = this.#config.MAX_COOKIE_SIZE;
    return responseBody(context, plan, made, environ, startResponse, null);
  }

  /** The async path, `viewResult` when the short branch already called the view. */
  async #respond(
    context: Context,
    plan: EndpointPlan,
    environ: Environ,
    startResponse: StartResponse,
    viewResult?: Promise<unknown>,
  ): Promise<Body> {
    let response: Response;
    try {
      response = await this.#fullDispatch(context, plan, viewResult);
    } catch (error) {
      return this.#recover(context, plan, error, environ, startResponse);
    }
    return responseBody(context, plan, response, environ, startResponse, null);
  }

  /** Flask's full_dispatch_request: the before-hooks, then the view; an error goes to its handler; then finalize. */
  async #fullDispatch(context: Context, plan: EndpointPlan, viewResult?: Promise<unknown>): Promise<Response> {
    let rv: unknown;
    try {
      if (viewResult !== undefined) rv = await viewResult;
      else {
        if (requestStarted.hasReceiversFor(this.#app)) requestStarted.send(this.#app, {});
        rv = await this.#preprocess(context, plan);
        if (rv === undefined)
          rv = plan.validator === null ? await this.#view(context) : await this.#validated(context, plan);
      }
    } catch (error) {
      rv = await this.#handleUserException(plan, error);
    }
    return this.#finalize(context, plan, rv, false);
  }

  /** URL value preprocessors, then before-request hooks; the first hook that returns a value answers instead. */
  async #preprocess(context: Context, plan: EndpointPlan): Promise<unknown> {
    const request = context.request!;
    if (plan.urlValuePreprocessors !== null) {
      for (const fn of plan.urlValuePreprocessors)
        (fn as (e: string | null, v: Record<string, unknown>) => void)(
          plan.endpoint,
          request.params as Record<string, unknown>,
        );
    }
    if (plan.before === null) return undefined;
    for (const fn of plan.before) {
      const rv = await (fn as (req: Request) => unknown)(request);
      if (rv !== undefined && rv !== null) return rv;
    }
    return undefined;
  }

  /**
   * The view between its route's schemas: the request parts validated into `req.valid` (a 422 when they fail), the
   * view's value checked against the response schema and replaced by its output. Not for a routing error or the
   * automatic OPTIONS answer, which have no view.
   */
  async #validated(context: Context, plan: EndpointPlan): Promise<unknown> {
    const request = context.request!;
    if (context.routingError !== null) return this.#view(context);
    if (request.method === 'OPTIONS' && this.#registry.autoOptions.has(context.match!.rule)) return this.#view(context);
    const validator = plan.validator!;
    await validator.request(request);
    return validator.response(await this.#view(context), request, plan.endpoint!);
  }

  /** Flask's dispatch_request: the routing error, the automatic OPTIONS answer, or the view's return value. */
  #view(context: Context): unknown {
    if (context.routingError !== null) throw context.routingError;
    const request = context.request!;
    const { rule, endpoint } = context.match!;
    if (request.method === 'OPTIONS' && this.#registry.autoOptions.has(rule))
      return optionsResponse(this.#app.router, request, this.#subdomain());
    // Looked up per request, not taken from the plan: a view may be replaced through app.viewFunctions, as in Flask.
    const view = this.#registry.views.get(endpoint);
    if (view === undefined) throw missingView(endpoint, rule.rule);
    return view(request);
  }

  /**
   * Flask's finalize_request: the value made a Response, then `afterThisRequest` callbacks, the after-request hooks
   * and the session save. If those fail, a view's answer is released and the error goes on to the 500 path; the error
   * page itself is sent as it is, the failure logged (Flask's `from_error_handler`).
   */
  async #finalize(context: Context, plan: EndpointPlan, rv: unknown, fromErrorHandler: boolean): Promise<Response> {
    let response = await makeResponse(rv, plan.endpoint ?? '<no endpoint>', context.request!.environ);
    try {
      if (context.hasAfterThisRequest)
        for (const fn of context.afterThisRequest) response = (await fn(response)) ?? response;
      if (plan.after !== null) for (const fn of plan.after) response = (await (fn as AfterHook)(response)) ?? response;
      // Flask's Response.max_cookie_size reads the config; set on the response the hooks settled on.
      response.maxCookieSize = this.#config.MAX_COOKIE_SIZE;
      const session = sessionToSave(context, this.#app);
      if (session !== null) await this.#app.sessionInterface.saveSession(this.#app, session, response);
      if (requestFinished.hasReceiversFor(this.#app)) requestFinished.send(this.#app, { response });
    } catch (error) {
      if (!fromErrorHandler) {
        response.close(); // a file or stream nothing will send now
        if (!(error instanceof SessionUnavailable)) throw error;
        // The store failed to save: the view's answer must not go out as if its session were kept; the 503 does.
        sessionFailed(context, error, this.#app.logger);
        return this.#finalize(context, plan, await this.#handleUserException(plan, error), true);
      }
      this.#app.logger.error('Request finalizing failed with an error while handling an error', error);
    }
    return response;
  }

  /** Flask's handle_user_exception: the handler's answer; an untrapped HTTPError answers as itself; else rethrow. */
  async #handleUserException(plan: EndpointPlan, error: unknown): Promise<unknown> {
    if (error instanceof HTTPError && error.response !== null) return error.response; // abort(response): as it is
    const answered = error instanceof HTTPError && !trapsHttpError(this.#config, error);
    if (answered && error instanceof RequestRedirect) return errorResponse(error); // routing redirects skip handlers
    const handler = this.#registry.errorHandlers.find(error, plan.scopes);
    if (handler) return handler(error);
    if (answered) return error;
    throw error;
  }

  /** Flask's handle_exception: propagate in debug and testing; else log, and answer 500 (through its handler). */
  async #recover(
    context: Context,
    plan: EndpointPlan,
    error: unknown,
    environ: Environ,
    startResponse: StartResponse,
  ): Promise<Body> {
    let response: Response;
    try {
      if (gotRequestException.hasReceiversFor(this.#app)) gotRequestException.send(this.#app, { exception: error });
      if (this.#config.PROPAGATE_EXCEPTIONS ?? (this.#config.TESTING || this.#config.DEBUG)) throw error;
      const request = context.request!;
      // (message, error), the shape a replaced logger.error expects; '%' escaped, so a path's '%s' takes nothing.
      this.#app.logger.error(`Exception on ${request.path} [${request.method}]`.replaceAll('%', '%%'), error);
      const serverError = new InternalServerError(undefined, { cause: error });
      const handler = this.#registry.errorHandlers.find(serverError, plan.scopes);
      response = await this.#finalize(context, plan, handler ? await handler(serverError) : serverError, true);
    } catch (propagated) {
      await endRequest(context, plan, propagated);
      throw propagated;
    }
    return responseBody(context, plan, response, environ, startResponse, error);
  }

  /** `''` without subdomain matching: every request counts as the bare server name (Flask's default). */
  #subdomain(): '' | undefined {
    return this.#app.subdomainMatching ? undefined : '';
  }
}

type AfterHook = (response: Response) => Response | void | Promise<Response | void>;
