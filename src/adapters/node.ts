/** @module Mounts a TSGI app inside node-style hosts (layer L4): node:http, Connect and Express, under a prefix. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { splitRequestTarget } from '../gateway/url.js';
import type { Environ, ErrorStream, GatewayApp } from '../gateway/types.js';
import { createRequestListener, type ListenerOptions } from '../serving/listener.js';
import { stderrStream } from '../serving/error-stream.js';

/**
 * Options of {@link toNodeHandler}: the listener's own (error stream, debug, handler and write timeouts) plus the
 * part of the path the host leaves in `req.url`.
 *
 * @example
 * const options: NodeHandlerOptions = { prefix: '/flagon', handlerTimeout: 10_000 };
 */
export interface NodeHandlerOptions extends ListenerOptions {
  /**
   * A path prefix the host does *not* strip from `req.url` (plain node:http, Fastify's raw request): it moves from
   * PATH_INFO to SCRIPT_NAME, after whatever prefix the host stripped itself (Express's `req.baseUrl`). A request
   * outside it is passed on with `next()` when the host gives one, and answered 404 otherwise. Default: none.
   */
  prefix?: string;
}

/**
 * The handler {@link toNodeHandler} returns: a node:http request listener that also takes Connect's and Express's
 * `next`, which it calls only for a request outside its `prefix` or with an error that is the host's to show.
 *
 * @example
 * const handler: NodeHandler = toNodeHandler(app.gatewayApp);
 * expressApp.use('/flagon', handler);
 */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/**
 * Codes of {@link MountError}: `FLAGON_ERR_BODY_CONSUMED` for a body the host read first, `FLAGON_ERR_MOUNT` for a
 * prefix that is not a path.
 *
 * @example
 * const code: MountErrorCode = 'FLAGON_ERR_BODY_CONSUMED';
 */
export type MountErrorCode = 'FLAGON_ERR_BODY_CONSUMED' | 'FLAGON_ERR_MOUNT';

/**
 * A mount that cannot work as set up: a host read the request body before Flagon (a body parser in front of the
 * mount), or a prefix that is not a path. The message names the fix.
 *
 * @example
 * expressApp.use((error, req, res, next) => {
 *   if (error instanceof MountError && error.code === 'FLAGON_ERR_BODY_CONSUMED') console.error(error.message);
 *   next(error);
 * });
 */
export class MountError extends Error {
  readonly code: MountErrorCode;
  /** The status a host's error handler should answer with (Express's finalhandler reads it). */
  readonly status = 500;

  constructor(code: MountErrorCode, message: string) {
    super(message);
    this.name = 'MountError';
    this.code = code;
  }
}

/** Where a request sits in the host, worked out before the listener builds the environ. */
interface Mount {
  scriptName: string;
  pathInfo: string;
  requestUri: string;
}

/**
 * Carries a request's mount from the handler to the app: the listener builds the environ from `req` (and maybe only
 * once an earlier pipelined answer is out), and hands `req` itself over as `tsgi.input` (node-environ.ts).
 */
const kMount = Symbol('flagon.mount');
type MountedRequest = IncomingMessage & {
  [kMount]?: Mount;
  /** Express's mount path, raw (percent-encoded), set by its router for every request. */
  baseUrl?: unknown;
  /** Connect's and Express's request target before any mount stripped it. */
  originalUrl?: unknown;
  /** body-parser's mark that it parsed this request's body (set even for an empty one). */
  _body?: unknown;
};

/**
 * Turns a TSGI app into a handler for node-style hosts, on {@link createRequestListener}: mounted with
 * `expressApp.use('/prefix', handler)` (or Connect's `app.use`), SCRIPT_NAME is the path the host matched (Express's
 * `req.baseUrl`; Connect's `originalUrl` minus the stripped `url`) and PATH_INFO the rest, so `urlFor`, redirects
 * and static files stay under the prefix. The request body reaches the app unread (`tsgi.input`): mount it before
 * body parsers such as `express.json()`, since a body already read is a {@link MountError}.
 *
 * The host owns the server and its timeouts (`headersTimeout`, keep-alive); the handler keeps the listener's
 * request gate, `handlerTimeout` and `writeTimeout` (`0` turns either off). It never throws into the host: an error
 * in the app is a 500 as under `serve()`.
 *
 * @example
 * import express from 'express';
 * import { toNodeHandler } from 'flagon/adapters';
 * const host = express();
 * host.use('/flagon', toNodeHandler(app.gatewayApp)); // before express.json()
 * host.use(express.json());
 * host.listen(3000);
 *
 * @example
 * import { createServer } from 'node:http';
 * createServer(toNodeHandler(app.gatewayApp, { prefix: '/flagon' })).listen(3000, '127.0.0.1');
 */
export function toNodeHandler(app: GatewayApp, options: NodeHandlerOptions = {}): NodeHandler {
  const prefix = checkPrefix(options.prefix);
  const errors = options.errors ?? stderrStream;
  const listener = createRequestListener(function mounted(environ, startResponse) {
    const mount = (environ['tsgi.input'] as MountedRequest)[kMount];
    if (mount !== undefined) applyMount(environ, mount);
    return app(environ, startResponse);
  }, options);
  return function flagonHandler(req, res, next) {
    const request = req as MountedRequest;
    try {
      const mount = mountOf(request, prefix);
      if (mount === null) {
        if (typeof next === 'function') next();
        else answer(res, 404, 'Not Found\n');
        return;
      }
      if (request.readableDidRead || request._body === true) {
        const error = bodyConsumedError(request);
        if (typeof next === 'function') {
          next(error);
        } else {
          log(errors, error);
          answer(
            res,
            500,
            options.debug === true ? `Internal Server Error\n\n${error.message}\n` : 'Internal Server Error\n',
          );
        }
        return;
      }
      request[kMount] = mount;
      listener(req, res);
    } catch (error) {
      // The listener answers the app's own errors; this is for the unexpected (a host's odd request object), and the
      // host's server must keep running either way.
      log(errors, error);
      if (!res.headersSent && !res.destroyed) answer(res, 500, 'Internal Server Error\n');
      else res.destroy();
    }
  };
}

/** `'/flagon/'` → `'/flagon'`; `''` and `'/'` → `''`. */
function checkPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '' || prefix === '/') return '';
  if (typeof prefix !== 'string' || !prefix.startsWith('/') || /[?#]/.test(prefix)) {
    throw new MountError(
      'FLAGON_ERR_MOUNT',
      `the prefix ${JSON.stringify(prefix)} is not a path: give one that starts with '/' and has no '?' or '#', such as '/flagon'`,
    );
  }
  return prefix.replace(/\/+$/, '');
}

/** The request's SCRIPT_NAME, PATH_INFO and REQUEST_URI in the host, or `null` when it is outside `prefix`. */
function mountOf(req: MountedRequest, prefix: string): Mount | null {
  const url = req.url ?? '/';
  const original = typeof req.originalUrl === 'string' ? req.originalUrl : url;
  let pathInfo = splitRequestTarget(url).pathInfo;
  let scriptName = '';
  if (typeof req.baseUrl === 'string') {
    // Express: the raw path its router matched (app.use('/users/:id') gives '/users/7'), parents' mounts included.
    scriptName = splitRequestTarget(req.baseUrl === '' ? '/' : req.baseUrl).pathInfo.replace(/^\/$/, '');
  } else if (original !== url) {
    // Connect strips the mount from `url` and keeps the whole target in `originalUrl`; a bare '/flagon' leaves '/'.
    const whole = splitRequestTarget(original).pathInfo;
    if (whole.endsWith(pathInfo)) scriptName = whole.slice(0, whole.length - pathInfo.length);
    else if (pathInfo === '/') scriptName = whole;
    scriptName = scriptName.replace(/\/$/, '');
  }
  if (prefix !== '') {
    if (
      !pathInfo.startsWith(prefix) ||
      (pathInfo.length > prefix.length && pathInfo.charCodeAt(prefix.length) !== 47) /* / */
    )
      return null;
    scriptName += prefix;
    pathInfo = pathInfo.slice(prefix.length);
    // A bare '/flagon' is '/' inside, as Express and Connect see it, so the app's index route answers it.
    if (pathInfo === '') pathInfo = '/';
  }
  return { scriptName, pathInfo, requestUri: original };
}

function applyMount(environ: Environ, mount: Mount): void {
  environ.SCRIPT_NAME = mount.scriptName;
  environ.PATH_INFO = mount.pathInfo;
  environ.REQUEST_URI = mount.requestUri;
}

function bodyConsumedError(req: MountedRequest): MountError {
  const where = `${req.method ?? 'GET'} ${typeof req.originalUrl === 'string' ? req.originalUrl : (req.url ?? '/')}`;
  return new MountError(
    'FLAGON_ERR_BODY_CONSUMED',
    `the request body of ${where} was read before it reached Flagon: a body parser (express.json(), express.urlencoded(), ` +
      "body-parser) runs in front of the mount. Mount Flagon before the body parsers (host.use('/flagon', " +
      "toNodeHandler(app.gatewayApp)) above host.use(express.json())), or give the parsers only to the host's own " +
      "routes (host.post('/api/items', express.json(), handler)); Flagon reads its own bodies (await request.json(), " +
      'await request.form()).',
  );
}

function answer(res: ServerResponse, status: 404 | 500, text: string): void {
  const body = Buffer.from(text);
  res.writeHead(status, status === 404 ? 'Not Found' : 'Internal Server Error', [
    'Content-Type',
    'text/plain; charset=utf-8',
    'Content-Length',
    String(body.byteLength),
  ]);
  res.end(body);
}

function log(errors: ErrorStream, error: unknown): void {
  try {
    errors.write(`[flagon] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  } catch {
    // a broken error stream must not take the host down
  }
}
