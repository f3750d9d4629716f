/** @module A node:http request listener that runs a TSGI app (layer L4): the bridge every Node-based Flagon server uses. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorStream, GatewayApp } from '../gateway/types.js';
import { checkRequestHead, type HeadRefusal } from '../http/request-gate.js';
import { statusLine } from '../http/status.js';
import { Deadlines } from './deadlines.js';
import { stderrStream } from './error-stream.js';
import { NodeExchange, type ExchangeOptions } from './exchange.js';
import { buildEnviron, type ServerInfo } from './node-environ.js';

/** The listener's time limits when none are given (docs/gateway.md §6.5 gives the reasons). */
export const LISTENER_DEFAULTS = Object.freeze({ handlerTimeout: 30_000, writeTimeout: 60_000 });

/**
 * Marks a connection whose last request was refused by the gate: nothing after that head can be trusted (its body's
 * end is unknown), so a request parsed from what follows is dropped with the connection, never served.
 */
export const kRefused = Symbol('flagon.refused');
/**
 * Per connection: how many of its requests are accepted and not yet answered (running, or waiting for their turn),
 * and what to do once none is (see {@link whenIdle}).
 */
const kPending = Symbol('flagon.pending');
const kOnIdle = Symbol('flagon.onIdle');
const kLatest = Symbol('flagon.latest');
const kLatestResponse = Symbol('flagon.latestResponse');
type GatedSocket = Socket & {
  [kRefused]?: true;
  [kPending]?: number;
  [kOnIdle]?: () => void;
  [kLatest]?: IncomingMessage;
  [kLatestResponse]?: ServerResponse;
};

/**
 * Pipelined requests that may wait for their turn on one connection. Browsers do not pipeline, and tools that do send
 * a few; a client that sends thousands in one packet is flooding, and loses the connection.
 */
export const MAX_PIPELINED = 64;

/**
 * Options of {@link createRequestListener}.
 *
 * @example
 * const options: ListenerOptions = { urlScheme: 'https', errors: silentStream };
 */
export interface ListenerOptions {
  /** Show the error and its stack in the 500 body. Never on outside development. Default `false`. */
  debug?: boolean;
  /** Where `tsgi.errors` and the server's own error log go. Default: standard error. */
  errors?: ErrorStream;
  /** `tsgi.url_scheme`. Default `'http'`. */
  urlScheme?: 'http' | 'https';
  /** SERVER_NAME; default: the local address of the connection. */
  serverName?: string;
  /** SERVER_PORT; default: the local port of the connection. */
  serverPort?: number | string;
  /** `tsgi.multiprocess`: whether other processes run the same app. Default `false`. */
  multiprocess?: boolean;
  /**
   * Milliseconds the app has to start its response (the headers); past it the client gets 503 and the connection is
   * closed. Once the headers are out, a stream may run as long as it likes. Default 30 s; `0` turns it off.
   */
  handlerTimeout?: number;
  /**
   * Milliseconds a write may wait for a client that takes no bytes before the connection is cut (nginx's
   * `send_timeout`). Quiet gaps between an app's own chunks do not count. Default 60 s; `0` turns it off.
   */
  writeTimeout?: number;
}

/**
 * The `(req, res)` function that `http.createServer` and most Node frameworks accept.
 *
 * @example
 * const listener: NodeRequestListener = createRequestListener(app);
 * createServer(listener).listen(8000, '127.0.0.1');
 */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Turns a TSGI app into a node:http request listener: it builds the environ, calls the app and writes what it returns
 * (docs/gateway.md §6). Use it to mount a TSGI app in a server you create yourself; `serve()` uses it too.
 *
 * @example
 * import { createServer } from 'node:http';
 * createServer(createRequestListener(app)).listen(8000, '127.0.0.1');
 */
export function createRequestListener(app: GatewayApp, options: ListenerOptions = {}): NodeRequestListener {
  const errors = options.errors ?? stderrStream;
  const info: ServerInfo = {
    scheme: options.urlScheme ?? 'http',
    errors,
    name: options.serverName,
    port: options.serverPort === undefined ? undefined : String(options.serverPort),
    multiprocess: options.multiprocess ?? false,
  };
  const handlerTimeout = options.handlerTimeout ?? LISTENER_DEFAULTS.handlerTimeout;
  const exchangeOptions: ExchangeOptions = {
    debug: options.debug ?? false,
    errors,
    deadlines: handlerTimeout > 0 ? new Deadlines(handlerTimeout) : null,
    writeTimeout: options.writeTimeout ?? LISTENER_DEFAULTS.writeTimeout,
  };
  const serving: Serving = { app, info, options: exchangeOptions };
  return function tsgiRequestListener(req, res) {
    const socket = req.socket as GatedSocket;
    // Behind a refusal: its answer says Connection: close and ends the socket, so this request is never served. The
    // answers queued before the refusal still go out, in order.
    if (socket[kRefused] === true) return;
    track(socket, req, res);
    const refusal = checkRequestHead(req);
    if (refusal !== null) {
      refuse(socket, res, refusal);
      return;
    }
    if (res.socket !== null) {
      new NodeExchange(res, buildEnviron(req, info), exchangeOptions).run(app);
      return;
    }
    // Pipelined behind an answer still being written. Node sends answers in request order (RFC 9112 §9.3.2) and holds
    // this one until its turn; running the app now would only hold its whole answer (open files included) in memory,
    // and never close it if the client leaves first. So the app runs when the connection is this request's.
    if ((socket[kPending] ?? 0) > MAX_PIPELINED) {
      socket.destroy();
      return;
    }
    const queued = res as QueuedResponse;
    queued[kQueuedRequest] = req;
    queued[kServing] = serving;
    res.on('socket', runQueued); // one listener for all, no closure per request; 'socket' comes once per response
  };
}

/** What a listener serves with, the same for each of its requests. */
interface Serving {
  app: GatewayApp;
  info: ServerInfo;
  options: ExchangeOptions;
}

/** A pipelined request waiting for its turn, and how to serve it then (see the listener). */
const kQueuedRequest = Symbol('flagon.queuedRequest');
const kServing = Symbol('flagon.serving');
type QueuedResponse = ServerResponse & { [kQueuedRequest]?: IncomingMessage; [kServing]?: Serving };

function runQueued(this: QueuedResponse): void {
  const { app, info, options } = this[kServing]!;
  new NodeExchange(this, buildEnviron(this[kQueuedRequest]!, info), options).run(app);
}

const kSocket = Symbol('flagon.socket');

/** Counts an accepted request until its answer is done or abandoned (one shared listener: no closure per request). */
function track(socket: GatedSocket, req: IncomingMessage, res: ServerResponse): void {
  socket[kPending] = (socket[kPending] ?? 0) + 1;
  socket[kLatest] = req;
  socket[kLatestResponse] = res;
  (res as ServerResponse & { [kSocket]?: GatedSocket })[kSocket] = socket;
  res.on('close', answerDone);
}

function answerDone(this: ServerResponse & { [kSocket]?: GatedSocket }): void {
  const socket = this[kSocket]!;
  const left = (socket[kPending] ?? 1) - 1;
  socket[kPending] = left;
  if (left === 0 && socket[kOnIdle] !== undefined) {
    const then = socket[kOnIdle];
    socket[kOnIdle] = undefined;
    then();
  }
}

/** How long the server's own answer to a body gone wrong may take to go out before the connection is cut anyway. */
const ANSWER_GRACE = 1_000;

/**
 * Runs `then` once every request accepted on this connection has been answered (now, if none is pending): the
 * server's own answer to a parse error must not overtake, or cut off, the answers to the requests before it.
 * When the error is inside the body of the request being answered, `answer` (the raw bytes of the server's own
 * response) goes out instead, if that request is the only one pending and its app has not begun its response.
 *
 * @example
 * whenIdle(socket, () => socket.end('HTTP/1.1 400 Bad Request\r\n…'));
 */
export function whenIdle(socket: Socket, then: () => void, answer?: string): void {
  const gated = socket as GatedSocket;
  const pending = gated[kPending] ?? 0;
  if (pending === 0) {
    then();
  } else if (gated[kLatest]?.complete === false) {
    // The bad bytes (or the timeout) are inside the body of a request still being answered: that body can never end,
    // so the app waiting on it would wait forever. Cut the connection; the app sees the client gone. If nothing of
    // the app's answer is out yet, the client first gets the server's (400 for a bad chunk, 408 for a stalled body),
    // as node's own default does; the app's answer, if it comes, goes nowhere.
    if (answer !== undefined && pending === 1 && gated[kLatestResponse]?.headersSent === false && socket.writable) {
      socket.end(answer, () => socket.destroy());
      setTimeout(() => socket.destroy(), ANSWER_GRACE).unref(); // a client that reads nothing does not keep it
    } else socket.destroy();
  } else {
    gated[kOnIdle] = then;
  }
}

/** Answers a head the gate refused, then closes the connection once the answer is out (docs/gateway.md §6.6). */
function refuse(socket: GatedSocket, res: ServerResponse, refusal: HeadRefusal): void {
  socket[kRefused] = true;
  const line = statusLine(refusal.status);
  const body = `${line.slice(4)}: ${refusal.reason}\n`;
  res.shouldKeepAlive = false;
  res.writeHead(refusal.status, line.slice(4), [
    'Content-Type',
    'text/plain; charset=utf-8',
    'Content-Length',
    String(Buffer.byteLength(body)),
    'Connection',
    'close',
  ]);
  res.end(body);
}
