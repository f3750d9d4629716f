/** @module Any node `(req, res)` listener (an Express or Connect app) as a TSGI app, to mount inside Flagon (layer L4). */
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { requestHeaders } from '../gateway/environ.js';
import { isHopByHop, isPromiseLike } from '../gateway/response.js';
import type { Body, Environ, GatewayApp, HeaderList } from '../gateway/types.js';
import { quotePath } from '../gateway/url.js';

/**
 * A node:http request listener: `(req, res) => void`. An Express app is one (its third argument, `next`, is optional).
 *
 * @example
 * const listener: NodeListener = (req, res) => res.end(`Hello from ${req.url}`);
 */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Response bytes the listener may write ahead of the TSGI server before its writes wait (`res.write()` returns false). */
const AHEAD = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');

interface Head {
  status: string;
  headers: HeaderList;
}

/**
 * The connection the listener writes to: it parses the head node writes first (status line and headers, exactly as
 * node would put them on the wire) and queues the body for the TSGI server, holding node's write callbacks once
 * {@link AHEAD} bytes wait, which is how `res.write()` comes to return false and Express streams pause.
 */
class MountSocket extends Duplex {
  readonly remoteAddress: string;
  readonly remotePort: number | undefined;
  readonly localAddress: string;
  readonly localPort: number | undefined;
  /** What Express reads for `req.protocol` and `req.secure`. */
  readonly encrypted: boolean;
  #head: Buffer | null = Buffer.alloc(0);
  readonly #queue: Buffer[] = [];
  #queued = 0;
  #held: Array<() => void> = [];
  #ended = false;
  #failure: Error | null = null;
  #waiter: { resolve(step: IteratorResult<Uint8Array>): void; reject(error: Error): void } | null = null;
  #onHead: ((head: Head) => void) | null;
  #onHeadError: ((error: Error) => void) | null;
  /** The head, once node has written it. */
  readonly head: Promise<Head>;

  constructor(environ: Environ) {
    super({ allowHalfOpen: true });
    this.remoteAddress = environ.REMOTE_ADDR;
    this.remotePort = environ.REMOTE_PORT === '' ? undefined : Number(environ.REMOTE_PORT);
    this.localAddress = environ.SERVER_NAME;
    this.localPort = environ.SERVER_PORT === '' ? undefined : Number(environ.SERVER_PORT);
    this.encrypted = environ['tsgi.url_scheme'] === 'https';
    let onHead: (head: Head) => void = () => undefined;
    let onHeadError: (error: Error) => void = () => undefined;
    this.head = new Promise<Head>((resolve, reject) => {
      onHead = resolve;
      onHeadError = reject;
    });
    this.head.catch(() => undefined); // a listener that threw is reported by its throw; this is only the echo
    this.#onHead = onHead;
    this.#onHeadError = onHeadError;
  }

  override _read(): void {
    // Nothing reaches the listener through the socket: the request body is pushed into the request itself.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#head !== null) {
      const head = Buffer.concat([this.#head, chunk]);
      const end = head.indexOf(HEAD_END);
      if (end < 0) {
        this.#head = head;
        callback();
        return;
      }
      this.#head = null;
      this.#onHead?.(parseHead(head.subarray(0, end).toString('latin1')));
      this.#onHead = null;
      chunk = head.subarray(end + HEAD_END.length);
    }
    if (chunk.byteLength > 0) {
      const waiter = this.#waiter;
      if (waiter !== null) {
        this.#waiter = null;
        waiter.resolve({ done: false, value: chunk });
      } else {
        this.#queue.push(chunk);
        this.#queued += chunk.byteLength;
        if (this.#queued >= AHEAD) {
          this.#held.push(() => callback());
          return;
        }
      }
    }
    callback();
  }

  /** node finished the response: the body ends after what is queued. */
  finish(): void {
    this.#ended = true;
    if (this.#queue.length === 0) this.#wake({ done: true, value: undefined });
  }

  /** The connection went away before the response finished: the listener broke off (or was told to). */
  fail(error: Error): void {
    if (this.#ended || this.#failure !== null) return;
    this.#failure = error;
    this.#onHeadError?.(error);
    this.#onHead = null;
    this.#onHeadError = null;
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.reject(error);
  }

  /** The next body chunk for the TSGI server. */
  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.#queue.shift();
    if (chunk !== undefined) {
      this.#queued -= chunk.byteLength;
      if (this.#queued < AHEAD) this.#release();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    if (this.#failure !== null) return Promise.reject(this.#failure);
    this.#release();
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  #release(): void {
    const held = this.#held;
    this.#held = [];
    for (const callback of held) callback();
  }

  #wake(step: IteratorResult<Uint8Array>): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.resolve(step);
  }

  // What ServerResponse and Express call on a real socket.
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  destroySoon(): void {
    this.destroy();
  }
}

/** The status and headers node wrote, without the hop-by-hop ones (the TSGI server owns the connection, §4.2). */
function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const statusLine = lines[0] ?? ''; // 'HTTP/1.1 200 OK'
  const status = statusLine.slice(statusLine.indexOf(' ') + 1);
  const headers: HeaderList = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon);
    if (!isHopByHop(name)) headers.push([name, line.slice(colon + 1).trim()]);
  }
  return { status: status.length === 3 ? `${status} ` : status, headers };
}

/** The request the listener sees: method, the path below the mount, headers, and `tsgi.input` as its body. */
function mountedRequest(environ: Environ, socket: MountSocket): IncomingMessage {
  const req = new IncomingMessage(socket as unknown as Socket);
  const [, major = '1', minor = '1'] = /^HTTP\/(\d)\.(\d)$/.exec(environ.SERVER_PROTOCOL) ?? [];
  req.httpVersionMajor = Number(major);
  req.httpVersionMinor = Number(minor);
  req.httpVersion = `${major}.${minor}`;
  req.method = environ.REQUEST_METHOD;
  // The path below the mount, as Express gives a sub-app; the mount itself is baseUrl, the whole target originalUrl.
  req.url =
    quotePath(environ.PATH_INFO === '' ? '/' : environ.PATH_INFO) +
    (environ.QUERY_STRING === '' ? '' : `?${environ.QUERY_STRING}`);
  Object.assign(req, { baseUrl: environ.SCRIPT_NAME, originalUrl: environ.REQUEST_URI || req.url });
  const headers = requestHeaders(environ);
  req.rawHeaders = headers.flat();
  // The environ joined repeated fields already (docs/gateway.md §3.3), so each name has one value, as node gives it.
  req.headers = Object.fromEntries(headers.map(([name, value]) => [name.toLowerCase(), value]));
  const length = environ.CONTENT_LENGTH;
  const hasBody = (length !== undefined && length !== '0') || environ.HTTP_TRANSFER_ENCODING !== undefined;
  if (!hasBody) {
    req.complete = true;
    req.push(null);
    return req;
  }
  let iterator: AsyncIterator<Uint8Array> | undefined;
  let pumping = false;
  const pump = async (): Promise<void> => {
    pumping = true;
    try {
      iterator ??= environ['tsgi.input'][Symbol.asyncIterator]();
      for (;;) {
        const step = await iterator.next();
        if (step.done) {
          req.complete = true;
          req.push(null);
          return;
        }
        if (!req.push(step.value)) return; // the listener reads slower: wait for its next _read
      }
    } catch (error) {
      req.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      pumping = false;
    }
  };
  // An own property, since Express swaps the request's prototype for its own (which ends in IncomingMessage's).
  req._read = () => {
    if (!pumping) void pump();
  };
  return req;
}

/** The response the listener writes: close-delimited framing, so node writes the body bytes as they are. */
function mountedResponse(req: IncomingMessage, socket: MountSocket): ServerResponse {
  const res = new ServerResponse(req);
  res.useChunkedEncodingByDefault = false;
  res.shouldKeepAlive = false;
  res.sendDate = false; // the TSGI server in front decides about Date
  // A listener that sets Transfer-Encoding itself would get chunk framing: the TSGI server frames, not node. An own
  // property again, since Express swaps the prototype.
  const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse;
  res.writeHead = function unframedWriteHead(this: ServerResponse, ...args: unknown[]): ServerResponse {
    const result = writeHead.apply(this, args);
    this.chunkedEncoding = false;
    return result;
  } as ServerResponse['writeHead'];
  res.assignSocket(socket as unknown as Socket);
  res.on('finish', () => socket.finish());
  socket.on('drain', () => {
    if (res.writableNeedDrain) res.emit('drain');
  });
  socket.on('close', () => socket.fail(new Error('the mounted node listener closed its response before finishing it')));
  return res;
}

/**
 * Turns a node:http listener, `(req, res) => void`, into a TSGI app: an Express or Connect app, or anything written
 * for `http.createServer`, mounted inside Flagon with `dispatcher`. The listener gets a real `IncomingMessage` and
 * `ServerResponse` (on an in-memory connection): `req.url` is the path below the mount, `req.baseUrl` the mount
 * (SCRIPT_NAME) and `req.originalUrl` the whole target, as for an Express sub-app; the request body streams from
 * `tsgi.input` as the listener reads it, and the response streams back with back-pressure (`res.write()` returns
 * false while the client is behind). `close()` ends the connection, so `res` and `req` emit `close`.
 *
 * @example
 * import express from 'express';
 * import { fromNodeListener } from 'flagon/adapters';
 * import { dispatcher } from 'flagon/middleware';
 * const legacy = express();
 * legacy.get('/hello', (req, res) => res.json({ baseUrl: req.baseUrl, path: req.path })); // { baseUrl: '/legacy', path: '/hello' }
 * app.gatewayApp = dispatcher(app.gatewayApp, { '/legacy': fromNodeListener(legacy) });
 */
export function fromNodeListener(listener: NodeListener): GatewayApp {
  if (typeof listener !== 'function') {
    throw new TypeError(
      'fromNodeListener(listener): pass a (req, res) function, e.g. an Express app (express() returns one)',
    );
  }
  return async function nodeApplication(environ, startResponse) {
    const socket = new MountSocket(environ);
    const req = mountedRequest(environ, socket);
    const res = mountedResponse(req, socket);
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      socket.destroy();
      req.destroy();
    };
    try {
      const result = listener(req, res);
      if (isPromiseLike(result))
        result.then(undefined, (error: unknown) =>
          socket.fail(error instanceof Error ? error : new Error(String(error))),
        );
      const head = await socket.head;
      startResponse(head.status, head.headers);
    } catch (error) {
      close();
      throw error;
    }
    if (environ.REQUEST_METHOD === 'HEAD') {
      close();
      return [];
    }
    const body: Body = {
      [Symbol.asyncIterator]: () => ({ next: () => socket.next() }),
      close,
    };
    return body;
  };
}
