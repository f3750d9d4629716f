/** @module A node:http request listener that runs a TSGI app (layer L4): the bridge every Node-based Flagon server uses. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorStream, GatewayApp } from '../gateway/types.js';
import { stderrStream } from './error-stream.js';
import { NodeExchange, type ExchangeOptions } from './exchange.js';
import { buildEnviron, type ServerInfo } from './node-environ.js';

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
  const exchangeOptions: ExchangeOptions = { debug: options.debug ?? false, errors };
  return function tsgiRequestListener(req, res) {
    const environ = buildEnviron(req, info);
    if (typeof environ === 'string') {
      const body = `Bad Request: ${environ}\n`;
      res.writeHead(400, 'Bad Request', ['Content-Type', 'text/plain; charset=utf-8', 'Content-Length', String(body.length), 'Connection', 'close']);
      res.end(body);
      return;
    }
    new NodeExchange(res, environ, exchangeOptions).run(app);
  };
}
