/** @module urlFor (layer L3): Flask's url_for for an App: blueprint-relative names, urlDefaults, the request's host or SERVER_NAME, and build-error handlers. */
import { BuildError } from '../routing/errors.js';
import type { BuildOptions, Router } from '../routing/router.js';
import type { Request } from '../wrappers/request.js';
import type { Config } from './config.js';
import { currentContext } from './context.js';
import { FlagonError } from './errors.js';
import type { HookRegistry } from './request-plan.js';

/**
 * Options of {@link App.urlFor}.
 *
 * @example
 * urlFor('user', { id: 7 }, { external: true, anchor: 'posts' });
 */
export type UrlForOptions = Pick<BuildOptions, 'external' | 'anchor' | 'method' | 'scheme'>;

/**
 * Flask's `url_build_error_handlers`: called when a URL cannot be built, with the error, the endpoint and the values.
 * The first that returns a string gives the URL; one that returns `null`/`undefined` or throws a BuildError passes.
 *
 * @example
 * app.urlBuildErrorHandlers.push((error, endpoint) => (endpoint.startsWith('legacy.') ? `/legacy/${endpoint}` : null));
 */
export type UrlBuildErrorHandler = (
  error: BuildError,
  endpoint: string,
  values: Record<string, unknown>,
) => string | null | undefined;

/** Flask's url_for takes its options as underscore keywords, so that every other keyword can be a URL value. */
const UNDERSCORE_OPTIONS = { _external: 'external', _anchor: 'anchor', _method: 'method', _scheme: 'scheme' } as const;

/**
 * Splits Flask's underscore options out of URL values: `{ id: 7, _external: true }` is the value `id` and the option
 * `external`, as `url_for('user', id=7, _external=True)`; options given as such win.
 *
 * @example
 * splitUnderscoreOptions({ id: 7, _anchor: 'posts' }, {}); // [{ id: 7 }, { anchor: 'posts' }]
 */
export function splitUnderscoreOptions(
  values: Record<string, unknown>,
  options: UrlForOptions,
): [Record<string, unknown>, UrlForOptions] {
  if (!Object.keys(values).some((key) => Object.hasOwn(UNDERSCORE_OPTIONS, key))) return [values, options];
  const rest: Record<string, unknown> = {};
  const fromValues: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (Object.hasOwn(UNDERSCORE_OPTIONS, key))
      fromValues[UNDERSCORE_OPTIONS[key as keyof typeof UNDERSCORE_OPTIONS]] = value;
    else rest[key] = value;
  }
  return [rest, { ...fromValues, ...options }];
}

/** What building a URL needs from the App. */
export interface UrlForApp {
  readonly router: Router;
  readonly config: Config;
  readonly urlBuildErrorHandlers: readonly UrlBuildErrorHandler[];
  readonly subdomainMatching: boolean;
}

/** Where the URL is built from: the app, its urlDefaults hooks, and the request this app is handling, if any. */
interface UrlForScope {
  readonly app: UrlForApp;
  readonly hooks: HookRegistry;
  readonly request: Request | null;
  /** The innermost blueprint of the current endpoint, for `.name`. */
  readonly blueprint: string | undefined;
}

/**
 * The URL of `endpoint` as Flask's url_for builds it: relative inside a request, external with SERVER_NAME outside
 * one; a scheme makes it external. Flask's underscore options may come with the values (`{ id: 7, _external: true }`).
 * The urlDefaults of the blueprints the *target* belongs to apply, outermost first.
 *
 * @example
 * buildUrlFor(app, hooks, 'user', { id: 7 }, {}); // '/users/7'
 */
export function buildUrlFor(
  app: UrlForApp,
  hooks: HookRegistry,
  endpoint: string,
  given: Record<string, unknown>,
  givenOptions: UrlForOptions,
): string {
  const [values, options] = splitUnderscoreOptions(given, givenOptions);
  const context = currentContext();
  const scope: UrlForScope = {
    app,
    hooks,
    request: context?.app === (app as object) ? context.request : null,
    blueprint: hooks.blueprintsOf(context?.match?.endpoint)[0],
  };
  let name = endpoint;
  if (name.startsWith('.')) name = scope.blueprint ? `${scope.blueprint}${name}` : name.slice(1);
  const filled = { ...values };
  for (const blueprint of [null, ...[...scope.hooks.blueprintsOf(name)].reverse()]) {
    for (const fn of scope.hooks.for('urlDefaults', blueprint))
      (fn as (e: string, v: Record<string, unknown>) => void)(name, filled);
  }
  if (options.scheme !== undefined && options.external === false) {
    throw new FlagonError(
      'FLAGON_ERR_BAD_ARGUMENT',
      `urlFor('${endpoint}'): a scheme only applies to an external URL; drop { external: false }, or drop the scheme`,
    );
  }
  try {
    return build(scope, name, filled, options);
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    return handleBuildError(app.urlBuildErrorHandlers, error, name, filled);
  }
}

function build(scope: UrlForScope, name: string, values: Record<string, unknown>, options: UrlForOptions): string {
  const { request } = scope;
  const { config, router } = scope.app;
  if (request) {
    const external = options.external ?? (options.scheme !== undefined ? true : undefined);
    return router.build(name, values, {
      ...options,
      external,
      scheme: options.scheme ?? request.scheme,
      host: request.host,
      subdomain: scope.app.subdomainMatching ? undefined : '', // without matching, every request is on SERVER_NAME
      scriptName: request.scriptRoot,
    });
  }
  if (!config.SERVER_NAME) {
    throw new FlagonError(
      'FLAGON_ERR_CONFIG',
      "Unable to build URLs outside an active request without 'SERVER_NAME' configured. Also configure 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as needed.",
    );
  }
  return router.build(name, values, {
    ...options,
    external: options.external ?? true,
    host: config.SERVER_NAME,
    scheme: options.scheme ?? config.PREFERRED_URL_SCHEME,
    scriptName: config.APPLICATION_ROOT.replace(/\/$/, ''),
  });
}

function handleBuildError(
  handlers: readonly UrlBuildErrorHandler[],
  first: BuildError,
  endpoint: string,
  values: Record<string, unknown>,
): string {
  let error = first;
  for (const handler of handlers) {
    try {
      const url = handler(error, endpoint, values);
      if (url !== null && url !== undefined) return url;
    } catch (raised) {
      if (!(raised instanceof BuildError)) throw raised;
      error = raised; // Flask: a handler's own BuildError replaces the one raised at the end
    }
  }
  throw error;
}
