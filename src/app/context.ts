/** @module Application and request contexts (layer L3): explicit objects passed through the dispatch, with Flask-style proxies on AsyncLocalStorage as sugar. */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RouteMatch } from '../routing/router.js';
import type { Request } from '../wrappers/request.js';
import type { Response } from '../wrappers/response.js';
import type { Session } from '../sessions/session.js';
import type { BodyChunks } from '../gateway/types.js';
import type { RequestRecorder } from './request-recorder.js';
import type { GlobalsType, SessionDataType } from './declared-types.js';
import { FlagonError } from './errors.js';

/** The part of the App a context and the helpers need; keeps this module free of a cycle with app.ts. */
export interface ContextApp {
  readonly name: string;
  /** Opens the request's session (a null session when sessions are unavailable); a promise from an async interface. */
  openSession(request: Request): Session | Promise<Session>;
  /** Builds a URL for an endpoint, for the `urlFor` helper (options: url-for.ts's UrlForOptions). */
  urlFor(endpoint: string, values?: Record<string, unknown>, options?: object): string;
}

/**
 * What one request (or one `appContext()` run) carries: the app, `g` for per-request data, and for requests the
 * Request, the routing result and the `afterThisRequest` callbacks.
 *
 * @example
 * app.beforeRequest((req) => { currentContext()!.g.started = Date.now(); });
 */
export interface Context<A extends ContextApp = ContextApp> {
  readonly app: A;
  /** Per-request (or per-app-context) storage, Flask's `g`. */
  readonly g: Record<string, unknown>;
  readonly request: Request | null;
  match: RouteMatch | null;
  routingError: unknown;
  readonly afterThisRequest: Array<(response: Response) => Response | void | Promise<Response | void>>;
  readonly hasAfterThisRequest: boolean;
  /** The request's session, opened on first use. */
  readonly session: Session;
  /** The session if it was opened, else `null`: only an opened session is saved. */
  readonly openedSession: Session | null;
  /**
   * Opens the session now, waiting for an asynchronous session interface (the pipeline does this before user code
   * runs, for a request with the session cookie); `session` is then the opened session.
   */
  openSession(): Session | Promise<Session>;
  /** The session store failed: the session is dropped, never saved, and `session` throws `error` from now on. */
  sessionFailed(error: unknown): void;
  /**
   * The request inspector's recorder, set only on a traced request (never declared on the class: an untraced context
   * keeps its shape and pays nothing).
   */
  recorder?: RequestRecorder;
}

const storage = new AsyncLocalStorage<Context>();

/**
 * Runs `fn` with `context` current, for `request`, `g` and `currentApp` to find, across every `await` inside.
 *
 * @example
 * await runInContext(makeContext(app, null), async () => currentApp.name);
 */
export function runInContext<T>(context: Context, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * The chunks of a response body, each produced inside `context`, so `request` and `g` work in a streamed body's
 * generator: a new iterable; the body itself is never changed.
 *
 * @example
 * const body = chunksInContext(context, generateRows());
 */
export function chunksInContext(context: Context, body: BodyChunks): BodyChunks {
  if (Symbol.asyncIterator in body) {
    return {
      [Symbol.asyncIterator]() {
        const iterator = body[Symbol.asyncIterator]();
        return {
          next: () => storage.run(context, () => iterator.next()),
          return: async () =>
            (await storage.run(context, async () => iterator.return?.())) ?? { done: true, value: undefined },
        };
      },
    };
  }
  return {
    [Symbol.iterator]() {
      const iterator = body[Symbol.iterator]();
      return {
        next: () => storage.run(context, () => iterator.next()),
        return: (value?: unknown) =>
          storage.run(context, () => iterator.return?.(value) ?? { done: true as const, value: undefined }),
      };
    },
  } as BodyChunks;
}

/**
 * A new context for `app`; with a request for request handling, `null` for scripts and tests.
 *
 * @example
 * const context = makeContext(app, new Request(environ));
 */
export function makeContext<A extends ContextApp>(app: A, request: Request | null): Context<A> {
  return new RequestContext(app, request);
}

/** The context object: `g` and the `afterThisRequest` list are made on first use, since most requests use neither. */
class RequestContext<A extends ContextApp> implements Context<A> {
  readonly app: A;
  readonly request: Request | null;
  match: RouteMatch | null = null;
  routingError: unknown = null;
  #g: Record<string, unknown> | null = null;
  #after: Array<(response: Response) => Response | void | Promise<Response | void>> | null = null;
  #session: Session | null = null;
  #sessionError: { error: unknown } | null = null;

  constructor(app: A, request: Request | null) {
    this.app = app;
    this.request = request;
  }

  get g(): Record<string, unknown> {
    return (this.#g ??= {});
  }

  get afterThisRequest(): Array<(response: Response) => Response | void | Promise<Response | void>> {
    return (this.#after ??= []);
  }

  get session(): Session {
    if (this.#session === null) {
      const opened = this.openSession();
      // instanceof, not a `then` test: reading `then` of a Session would count as reading the session (Vary: Cookie).
      if (opened instanceof Promise) {
        opened.then(undefined, () => {}); // refused below; its failure must not surface as an unhandled rejection
        throw new FlagonError(
          'FLAGON_ERR_CONFIG',
          "The session interface's openSession answered with a promise where the App needs the session at once: set " +
            '`opensAsync = true` on the interface, and answer with a promise only for a request that carries the ' +
            'session cookie (SESSION_COOKIE_NAME); the App then opens that session before the hooks and the view run.',
        );
      }
    }
    return this.#session!;
  }

  get openedSession(): Session | null {
    return this.#session;
  }

  openSession(): Session | Promise<Session> {
    if (this.#session !== null) return this.#session;
    if (this.#sessionError !== null) throw this.#sessionError.error;
    if (!this.request)
      throw new FlagonError('FLAGON_ERR_NO_CONTEXT', 'the session exists only while a request is handled');
    const opened = this.app.openSession(this.request);
    if (!(opened instanceof Promise)) return (this.#session = opened);
    return opened.then(
      (session) => (this.#session = session),
      (error: unknown) => {
        this.sessionFailed(error);
        throw error;
      },
    );
  }

  sessionFailed(error: unknown): void {
    this.#session = null;
    this.#sessionError = { error };
  }

  /** Whether any afterThisRequest callback was added, without creating the list. */
  get hasAfterThisRequest(): boolean {
    return this.#after !== null && this.#after.length > 0;
  }
}

/**
 * The context of the code running now, or `undefined` outside any.
 *
 * @example
 * if (currentContext()?.request) console.log('inside a request');
 */
export function currentContext(): Context | undefined {
  return storage.getStore();
}

export function required(what: string, needRequest: boolean): Context {
  const context = currentContext();
  if (context === undefined || (needRequest && context.request === null)) {
    const where = needRequest ? 'request context' : 'application context';
    throw new FlagonError(
      'FLAGON_ERR_NO_CONTEXT',
      `Working outside of ${where}: \`${what}\` is only available while ${needRequest ? 'a request is handled' : 'an app context is active'}. ` +
        (needRequest
          ? 'Use it inside a view, a hook or code they call (promise callbacks and timers they start are inside too); in tests send requests with testClient(app).'
          : 'Wrap the code in app.appContext().run(fn).'),
    );
  }
  return context;
}

export function proxyTo<T extends object>(resolve: () => T): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const target = resolve();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set(_target, key, value) {
      return Reflect.set(resolve(), key, value);
    },
    has(_target, key) {
      return Reflect.has(resolve(), key);
    },
    deleteProperty(_target, key) {
      return Reflect.deleteProperty(resolve(), key);
    },
    ownKeys() {
      return Reflect.ownKeys(resolve());
    },
    getOwnPropertyDescriptor(_target, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(resolve(), key);
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
  });
}

/**
 * The current request, Flask's `request`. Works after `await`s and inside streamed bodies; outside a request it
 * throws an error that says where to use it. Views also get the request as their argument, which is faster.
 *
 * @example
 * app.get('/', () => `You asked for ${request.path}`);
 */
export const request: Request = proxyTo(() => required('request', true).request!);

/**
 * Storage for the current request (or app context), Flask's `g`. Any key reads as `unknown` until your app declares
 * its fields in `AppGlobals`; then `g` has exactly those types.
 *
 * @example
 * declare module 'flagon' { interface AppGlobals { user?: string } }
 * app.beforeRequest(() => { g.user = loadUser(); });
 */
export const g: GlobalsType = proxyTo(() => required('g', false).g as GlobalsType);

/**
 * The current request's session, Flask's `session`: read and set keys as properties. Opened on first use. Keys read
 * as `unknown` until your app declares them in `AppSession`.
 *
 * @example
 * session.user = 'ada';
 * const user = session.user;
 */
export const session: Session<SessionDataType> = proxyTo(
  () => required('session', true).session as Session<SessionDataType>,
);
