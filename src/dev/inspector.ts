/** @module The request inspector (layer L4): a TSGI middleware that keeps the last requests in memory, each with its environ, its path through the App and its timings, and shows them at /__flagon__/ in debug mode. */
import type { Socket } from 'node:net';
import type { Body, BodyChunk, Environ, GatewayApp, HeaderList, StartResponse, WriteFn } from '../gateway/types.js';
import { isPromiseLike } from '../gateway/response.js';
import type { CpuProfile } from '../middleware/profile-table.js';
import { RECORDER_KEY, RequestRecorder } from '../app/request-recorder.js';
import { hostCheck } from './debug-page.js';
import { snapshotEnviron } from './inspector-environ.js';
import { acceptsLink, linkHtml, withLength, withLink } from './inspector-link.js';
import { servePage } from './inspector-pages.js';
import { type InspectedRequest, RequestRing } from './inspector-ring.js';

export { RequestRing } from './inspector-ring.js';
export type { InspectedRequest } from './inspector-ring.js';

/**
 * Options of {@link inspector}.
 *
 * @example
 * const options: InspectorOptions = { path: '/_inspect/', size: 100, link: false };
 */
export interface InspectorOptions {
  /** Where the pages are: the list at `path`, a request at `path` + its id. Default `/__flagon__/`. */
  path?: string;
  /** How many requests are kept (the oldest is dropped first). Default 50. */
  size?: number;
  /** Put a link to the request's page into each HTML response (before `</body>`). Default true. */
  link?: boolean;
  /** Host names the pages answer besides the local ones, as the debug page's (see `isLocalHost`). */
  allowedHosts?: readonly string[];
}

function basePath(path: string): string {
  let base = path.startsWith('/') ? path : `/${path}`;
  if (!base.endsWith('/')) base += '/';
  if (base === '/') throw new RangeError("the inspector needs a path of its own, such as '/__flagon__/', not '/'");
  return base;
}

/**
 * The request inspector, for development: wraps a TSGI app, records each request (the environ as the server built
 * it, with where each key came from; from the App, through a recorder it puts at `environ['flagon.recorder']`, the
 * rules tried and matched, the hooks and view in order, the templates, the session before and after; the response's
 * status and headers; a timing bar), and serves the last `size` at `path` (`/__flagon__/`): the list, and each
 * request at `path` + id. Its own pages answer only to this machine's Host names (the debug page's check) and are
 * not recorded. With `link`, an HTML response gets a link to its page. The development server applies it in debug
 * mode; never use it in production, it shows cookies and the session.
 *
 * @example
 * import { inspector } from 'flagon/dev';
 * await serve(inspector(app.gatewayApp), { port: 5000 }); // then open http://127.0.0.1:5000/__flagon__/
 */
export function inspector(app: GatewayApp, options: InspectorOptions = {}): GatewayApp {
  const base = basePath(options.path ?? '/__flagon__/');
  const ring = new RequestRing(options.size ?? 50);
  const refused = hostCheck(options.allowedHosts);
  const link = options.link ?? true;
  return function inspected(environ, startResponse) {
    const path = environ.SCRIPT_NAME + environ.PATH_INFO;
    if (path.startsWith(base) || path === base.slice(0, -1))
      return refused(environ, startResponse) ?? servePage(ring, base, path, environ, startResponse);
    return record(app, ring, base, link, environ, startResponse);
  };
}

const byRecorder = new WeakMap<RequestRecorder, InspectedRequest>();

/**
 * Gives the inspector a request's CPU profile, for its page's flame graph: the profiler's `onProfile` when it runs
 * inside the inspector. The request is found through the recorder in its environ; a request the inspector did not
 * record is ignored.
 *
 * @example
 * const app = inspector(profiler(gatewayApp, { onProfile: (profile, _info, environ) => attachProfile(environ, profile) }));
 */
export function attachProfile(environ: Environ, profile: CpuProfile): void {
  const recorder = environ[RECORDER_KEY];
  if (recorder instanceof RequestRecorder) {
    const entry = byRecorder.get(recorder);
    if (entry !== undefined) entry.profile = profile;
  }
}

function record(
  app: GatewayApp,
  ring: RequestRing,
  base: string,
  link: boolean,
  environ: Environ,
  startResponse: StartResponse,
): Body | Promise<Body> {
  const recorder = new RequestRecorder();
  const socket = (environ['tsgi.input'] as { socket?: Socket } | undefined)?.socket;
  const query = environ.QUERY_STRING;
  const entry: InspectedRequest = {
    id: ring.nextId(),
    arrived: new Date(),
    method: environ.REQUEST_METHOD,
    target: `${environ.SCRIPT_NAME}${environ.PATH_INFO}${query ? `?${query}` : ''}`,
    environ: snapshotEnviron(environ),
    socket: { localAddress: socket?.localAddress, localPort: socket?.localPort?.toString() },
    recorder,
    status: null,
    headers: null,
    duration: null,
    error: null,
    profile: null,
  };
  ring.add(entry);
  byRecorder.set(recorder, entry);
  environ[RECORDER_KEY] = recorder;

  // An HTML page's start is held back until its body is known, to put the link in and fix Content-Length.
  let pending: { status: string; headers: HeaderList; excInfo: unknown } | null = null;
  let returned = false;
  let write: WriteFn | null = null;
  const flush = (): void => {
    if (pending === null) return;
    const { status, headers, excInfo } = pending;
    pending = null;
    write = startResponse(status, headers, excInfo);
  };
  const inspecting: StartResponse = (status, headers, excInfo) => {
    entry.status = status;
    entry.headers = [...headers];
    recorder.mark('response started');
    if (link && !returned && acceptsLink(status, headers, environ.REQUEST_METHOD)) {
      pending = { status, headers, excInfo };
      return (chunk: BodyChunk) => {
        flush();
        write!(chunk);
      };
    }
    pending = null;
    return startResponse(status, headers, excInfo);
  };
  const ended = (): void => {
    if (recorder.finished) return;
    entry.duration = recorder.now();
    recorder.mark('body sent');
    recorder.finish();
  };
  const failed = (error: unknown): never => {
    entry.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    ended();
    throw error;
  };
  const answer = (body: Body): Body => {
    returned = true;
    const own = body.close?.bind(body);
    if (pending !== null && Array.isArray(body)) {
      const { status, headers, excInfo } = pending;
      let page: Uint8Array | null = null;
      try {
        page = withLink(body as BodyChunk[], linkHtml(base, entry.id));
      } catch {
        // chunks that are not text: sent as they are
      }
      if (page === null) {
        flush();
        return closing(body, ended, failed);
      }
      pending = null;
      write = startResponse(status, withLength(headers, page.byteLength), excInfo);
      return closing(Object.assign([page], { close: own }), ended);
    }
    flush();
    return closing(body, ended, failed);
  };

  let result: Body | Promise<Body>;
  try {
    result = app(environ, inspecting);
  } catch (error) {
    return failed(error);
  }
  // A start the server refuses (a bad status) throws here: the body is closed, and the record ended all the same.
  const settle = (body: Body): Body => {
    try {
      return answer(body);
    } catch (error) {
      void Promise.resolve()
        .then(() => body.close?.())
        .catch(() => undefined);
      return failed(error);
    }
  };
  if (isPromiseLike(result)) return Promise.resolve(result as Promise<Body>).then(settle, failed);
  return settle(result);
}

/** The body with `after` run once its own close is done; `failed` sees an error raised while it is iterated. */
function closing(body: Body, after: () => void, failed?: (error: unknown) => never): Body {
  const own = body.close?.bind(body);
  const close = (): void | Promise<void> => {
    let rv: void | Promise<void>;
    try {
      rv = own?.();
    } catch (error) {
      after();
      throw error;
    }
    if (rv instanceof Promise) return rv.finally(after);
    after();
  };
  if (Array.isArray(body)) return Object.assign([...(body as BodyChunk[])], { close });
  if (Symbol.asyncIterator in body) {
    const chunks = body as AsyncIterable<BodyChunk>;
    return {
      async *[Symbol.asyncIterator]() {
        try {
          yield* chunks;
        } catch (error) {
          if (failed) failed(error);
          throw error;
        }
      },
      close,
    };
  }
  const chunks = body as Iterable<BodyChunk>;
  return {
    *[Symbol.iterator]() {
      try {
        yield* chunks;
      } catch (error) {
        if (failed) failed(error);
        throw error;
      }
    },
    close,
  };
}
