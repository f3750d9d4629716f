/** @module Tracing one request through the pipeline (layer L3): the match explained, the plan's hooks and view wrapped to record themselves, the session before and after; only for a request that carries a recorder. */
import { isPromiseLike } from '../gateway/response.js';
import type { Environ } from '../gateway/types.js';
import { explainMatch } from '../routing/explain.js';
import type { Router } from '../routing/router.js';
import type { Config } from './config.js';
import { currentContext, type Context, type ContextApp } from './context.js';
import type { EndpointPlan, Hook } from './request-plan.js';
import { snapshotValues, type RequestRecorder, type TraceStep } from './request-recorder.js';
import { carriesSessionCookie } from './request-session.js';
import type { TeardownHook } from './handler-types.js';

/**
 * Records what the pipeline knows once a traced request is matched: the environ it got, the match with its values and
 * every rule tried (the router's explain mode), and the session as the request brought it (read from a second copy,
 * so the request's own session is neither opened nor marked as read). The session as saved is read when the request
 * ends.
 *
 * @example
 * traceMatched(recorder, context, app, environ);
 */
export function traceMatched(
  recorder: RequestRecorder,
  context: Context,
  app: ContextApp & { readonly router: Router; readonly config: Config },
  environ: Environ,
): void {
  const request = context.request!;
  recorder.mark('app');
  recorder.appEnviron = Object.fromEntries(
    Object.keys(environ)
      .sort()
      .map((key) => [key, describeValue(environ[key])]),
  );
  const path = environ.PATH_INFO === '' ? '' : request.path;
  recorder.match = {
    path,
    method: request.method,
    rule: context.match?.rule.rule ?? null,
    endpoint: context.match?.endpoint ?? null,
    values: { ...(context.match?.params ?? {}) },
    error: context.routingError === null ? null : errorText(context.routingError),
    tried: explainMatch(app.router.rules, path, request.method),
  };
  const opened = context.openedSession;
  if (opened !== null) recorder.sessionBefore = snapshotValues(opened.toJSON());
  else if (carriesSessionCookie(request, app.config)) {
    try {
      const copy = app.openSession(request);
      if (copy instanceof Promise)
        copy.then(
          (session) => (recorder.sessionBefore ??= snapshotValues(session.toJSON())),
          () => undefined,
        );
      else recorder.sessionBefore = snapshotValues(copy.toJSON());
    } catch {
      // a cookie the app cannot read: the request's own session will say so
    }
  } else recorder.sessionBefore = {};
  recorder.onFinish(() => {
    const session = context.openedSession;
    recorder.sessionAfter = session === null ? recorder.sessionBefore : snapshotValues(session.toJSON());
  });
  recorder.mark('hooks');
}

/**
 * Starts tracing a matched request: the context carries the recorder, the match is recorded (see
 * {@link traceMatched}), and the plan to run is the endpoint's, traced (see {@link tracedPlan}). The request then
 * takes the same path as an untraced one, minus the short branch.
 *
 * @example
 * const plan = traceRequest(recorder, context, app, registry, environ);
 */
export function traceRequest(
  recorder: RequestRecorder,
  context: Context,
  app: ContextApp & { readonly router: Router; readonly config: Config },
  registry: { plan(endpoint: string | null): EndpointPlan; readonly views: ReadonlyMap<string, { name: string }> },
  environ: Environ,
): EndpointPlan {
  context.recorder = recorder;
  traceMatched(recorder, context, app, environ);
  const endpoint = context.match?.endpoint ?? null;
  const view = endpoint === null ? null : (registry.views.get(endpoint)?.name ?? null);
  return tracedPlan(
    registry.plan(endpoint),
    recorder,
    endpoint === null ? null : `${endpoint} (${view || 'anonymous'})`,
  );
}

/**
 * The plan of a traced request: every hook wrapped to record its kind, name and time, a step for the view (which
 * starts after the last before-request hook, and ends when the response is made), and never the short branch.
 *
 * @example
 * const plan = tracedPlan(registry.plan(endpoint), recorder, 'index');
 */
export function tracedPlan(plan: EndpointPlan, recorder: RequestRecorder, viewName: string | null): EndpointPlan {
  let view: TraceStep | null = null;
  const viewStarts = function viewStarts(): undefined {
    recorder.mark('view');
    view = { kind: 'view', name: viewName ?? '(none)', start: recorder.now(), end: null, error: null };
    recorder.steps.push(view);
    return undefined;
  };
  const responseMade = function responseMade(): undefined {
    if (view !== null) view.end = recorder.now();
    recorder.mark('response made');
    return undefined;
  };
  const wrap = <T extends Hook>(list: readonly T[] | null, kind: string): T[] =>
    (list ?? []).map((fn) => recording(fn, kind, recorder));
  return {
    ...plan,
    urlValuePreprocessors: orNull(wrap(plan.urlValuePreprocessors, 'url_value_preprocessor')),
    before: [...wrap(plan.before, 'before_request'), viewStarts],
    after: [responseMade, ...wrap(plan.after, 'after_request')],
    teardownRequest: orNull(wrap(plan.teardownRequest as readonly TeardownHook[] | null, 'teardown_request')),
    teardownAppcontext: orNull(wrap(plan.teardownAppcontext as readonly TeardownHook[] | null, 'teardown_appcontext')),
    fast: false,
  };
}

/**
 * A render of the current request, recorded when it is traced: the template, its context keys, its time.
 *
 * @example
 * return traceRender('index.html', explicit, full, () => renderer.render('index.html', full));
 */
export function traceRender(
  names: string | readonly string[],
  explicit: Record<string, unknown>,
  full: Record<string, unknown>,
  render: () => string,
): string {
  const recorder = currentContext()?.recorder;
  if (recorder === undefined) return render();
  const start = recorder.now();
  try {
    return render();
  } finally {
    recorder.templates.push({
      name: typeof names === 'string' ? names : names.join(' | '),
      keys: Object.keys(explicit).sort(),
      allKeys: Object.keys(full).sort(),
      start,
      end: recorder.now(),
    });
  }
}

function recording<T extends Hook>(fn: T, kind: string, recorder: RequestRecorder): T {
  const name = fn.name || '(anonymous)';
  // A named wrapper, so a stack trace through a traced request still names the hook.
  const recordingHook = {
    [name](this: unknown, ...args: never[]): unknown {
      const step: TraceStep = { kind, name, start: recorder.now(), end: null, error: null };
      recorder.steps.push(step);
      let rv: unknown;
      try {
        rv = fn.apply(this, args);
      } catch (error) {
        step.end = recorder.now();
        step.error = errorText(error);
        throw error;
      }
      if (!isPromiseLike(rv)) {
        step.end = recorder.now();
        return rv;
      }
      return Promise.resolve(rv).then(
        (value) => {
          step.end = recorder.now();
          return value;
        },
        (error: unknown) => {
          step.end = recorder.now();
          step.error = errorText(error);
          throw error;
        },
      );
    },
  }[name]!;
  return recordingHook as unknown as T;
}

function orNull<T>(list: T[]): T[] | null {
  return list.length === 0 ? null : list;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * An environ value as text: strings as they are, other values by kind (`<IncomingMessage>`).
 *
 * @example
 * describeValue(false); // 'false'
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  return `<${(value as { constructor?: { name?: string } }).constructor?.name ?? 'object'}>`;
}
