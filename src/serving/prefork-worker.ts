/** @module A worker of prefork() (layer L4): loads the app, serves it on every bind, beats its heartbeat, drains when told. */
import { openSync, writeSync } from 'node:fs';
import { createServer, type Server, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { inspect } from 'node:util';
import type { GatewayApp } from '../gateway/types.js';
import { accessLog } from '../middleware/access-log.js';
import { proxyFix } from '../middleware/proxy-fix.js';
import { ServerDrain } from './drain.js';
import { createRequestListener } from './listener.js';
import {
  type Bind,
  heartbeatInterval,
  messageKind,
  type PreforkOptions,
  WORKER_BOOT_ERROR,
} from './prefork-protocol.js';
import { guardProcess } from './process-guard.js';
import { answerProtocolErrors, SERVE_DEFAULTS } from './serve.js';

/** The app as the worker serves it: `proxyFix` for the trusted peers outside, the access log inside it. */
function wrap(app: GatewayApp, options: PreforkOptions): GatewayApp {
  let served = app;
  if (options.accessLog) {
    const fd = options.accessLog === '-' ? 1 : openSync(options.accessLog, 'a');
    // One write(2) per line on an O_APPEND file: the lines of several workers never interleave, and none is lost
    // when a worker exits.
    served = accessLog(served, { stream: { write: (line: string) => writeSync(fd, line) } });
  }
  const trusted = options.forwardedAllowIps ?? ['127.0.0.1', '::1'];
  // X-Forwarded-For and -Proto only, as gunicorn and Werkzeug's defaults: a proxy that does not set X-Forwarded-Host
  // passes the client's own on, and trusting it would let any client choose the host of the app's external URLs.
  if (trusted.length > 0) served = proxyFix(served, { xFor: 1, xProto: 1, trustedProxies: trusted });
  return served;
}

/** Runs in each worker: never resolves; the process exits when it has drained, or with {@link WORKER_BOOT_ERROR}. */
export async function runWorker(options: PreforkOptions, binds: readonly Bind[]): Promise<number> {
  const timeout = options.timeout ?? 30_000;
  if (timeout > 0) setInterval(() => process.send?.({ flagon: 'alive' }), heartbeatInterval(timeout));
  const drains: ServerDrain[] = [];
  const keepAlive = options.keepAliveTimeout ?? SERVE_DEFAULTS.keepAliveTimeout;
  const limit =
    (options.maxRequests ?? 0) > 0
      ? options.maxRequests! + Math.floor(Math.random() * ((options.maxRequestsJitter ?? 0) + 1))
      : Number.POSITIVE_INFINITY;
  let served = 0;
  try {
    const app = wrap(await options.load(), options);
    const serverOptions: ServerOptions = {
      headersTimeout: SERVE_DEFAULTS.headersTimeout,
      requestTimeout: SERVE_DEFAULTS.requestTimeout,
      keepAliveTimeout: keepAlive,
      maxHeaderSize: SERVE_DEFAULTS.maxHeaderSize,
      connectionsCheckingInterval: SERVE_DEFAULTS.connectionsCheckingInterval,
    };
    for (const bind of binds) {
      const server: Server = options.tls
        ? createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key })
        : createServer(serverOptions);
      answerProtocolErrors(server); // what the parser refuses, and CONNECT, answered as serve() does
      const listener = createRequestListener(app, {
        debug: false,
        multiprocess: true,
        urlScheme: options.tls ? 'https' : 'http',
        ...('path' in bind ? {} : { serverName: bind.host, serverPort: bind.port }),
      });
      const drain = new ServerDrain(server, options.tls != null);
      server.on('request', (req, res) => {
        drain.request(req, res); // draining: this answer says Connection: close, and its connection ends with it
        if (keepAlive === 0) res.shouldKeepAlive = false;
        served += 1;
        if (served === limit)
          process.send?.({ flagon: 'retire', served, reason: `has served ${served} requests (--max-requests)` });
        listener(req, res);
      });
      await listen(server, bind);
      drains.push(drain);
    }
  } catch (error) {
    process.stderr.write(`Worker (pid:${process.pid}) failed to boot:${bindProblem(error) ?? `\n${inspect(error)}`}\n`);
    process.exit(WORKER_BOOT_ERROR);
  }
  let open = drains.length;
  const stop = (): void => {
    for (const drain of drains)
      drain.start(() => {
        open -= 1;
        // Exit when the primary answers (see PreforkMessage), or at once without a primary to answer.
        if (open > 0) return;
        if (!process.send) process.exit(0);
        process.send({ flagon: 'drained' }, undefined, {}, (error) => {
          if (error) process.exit(0);
        });
      });
  };
  process.on('message', (message: unknown) => {
    const kind = messageKind(message);
    if (kind === 'stop') stop();
    else if (kind === 'exit') process.exit(0);
  });
  // Ctrl-C reaches the whole process group: a worker stops as gracefully as the primary asks it to.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // After an uncaught exception the primary starts a new worker first, then this one drains (process-guard.ts);
  // without a primary it drains and exits.
  guardProcess(() => {
    if (process.send) {
      process.send({ flagon: 'retire', served, reason: 'had an uncaught exception' });
      return new Promise<never>(() => undefined);
    }
    return Promise.all(drains.map((drain) => new Promise<void>((resolve) => drain.start(resolve))));
  });
  process.send?.({ flagon: 'ready' });
  return new Promise<number>(() => undefined);
}

function listen(server: Server, bind: Bind): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if ('path' in bind) server.listen(bind.path, done);
    else server.listen(bind.port, bind.host, done);
  });
}

const BIND_HINTS: Record<string, string> = {
  EADDRINUSE: 'the address is in use; stop what serves there, or pass another --bind',
  EACCES: 'permission denied; a port below 1024 needs privileges: serve on a higher port behind a proxy',
  EADDRNOTAVAIL: 'this machine has no such address; bind 127.0.0.1, 0.0.0.0 or one of its own addresses',
};

/** A bind that failed, in one line that says what to do (` cannot listen on 127.0.0.1:8000 (EADDRINUSE): …`). */
function bindProblem(error: unknown): string | null {
  const { code, address, port } = error as { code?: string; address?: string; port?: number };
  const hint = code === undefined ? undefined : BIND_HINTS[code];
  if (hint === undefined) return null;
  return ` cannot listen on ${port === undefined ? String(address) : `${address ?? ''}:${port}`} (${code}): ${hint}`;
}
