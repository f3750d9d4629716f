/** @module prefork(): a primary process (node:cluster) that forks workers, each serving a TSGI app, as gunicorn's arbiter (layer L4). */
import cluster, { type Worker } from 'node:cluster';
import { lstatSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { inspect } from 'node:util';
import type { GatewayApp } from '../gateway/types.js';
import { createRequestListener } from './listener.js';
import { answerProtocolErrors, SERVE_DEFAULTS } from './serve.js';

/**
 * Where a worker listens: a TCP host and port, or a UNIX socket's path.
 *
 * @example
 * const binds: Bind[] = [{ host: '127.0.0.1', port: 8000 }, { path: '/run/app.sock' }];
 */
export type Bind = { host: string; port: number } | { path: string };

/**
 * Options of {@link prefork}.
 *
 * @example
 * const options: PreforkOptions = { load: async () => app.gatewayApp, binds: [{ host: '127.0.0.1', port: 8000 }], workers: 2 };
 */
export interface PreforkOptions {
  /** Loads the app; called once in each worker, never in the primary. */
  load: () => Promise<GatewayApp>;
  /** Where every worker listens. Default: 127.0.0.1:8000. */
  binds?: readonly Bind[];
  /** How many workers the primary keeps running. Default: `os.availableParallelism()`. */
  workers: number;
  /** Milliseconds the workers have to finish their requests after SIGTERM/SIGINT; then they are killed. Default 30 s. */
  gracefulTimeout?: number;
  /** Where the primary's lines go (`Listening at: …`, `Booting worker with pid: …`, `Worker booted (pid: …)`). Default: standard output. */
  log?: (line: string) => void;
}

/** The exit code of a worker that could not load the app or bind (gunicorn's WORKER_BOOT_ERROR). */
export const WORKER_BOOT_ERROR = 3;

/**
 * Reads a `--bind` value: `HOST:PORT`, `[IPv6]:PORT`, `HOST` (port 8000), `:PORT` (127.0.0.1) or `unix:/path`.
 *
 * @example
 * parseBind('0.0.0.0:8080'); // { host: '0.0.0.0', port: 8080 }
 * parseBind('unix:/run/app.sock'); // { path: '/run/app.sock' }
 */
export function parseBind(text: string): Bind {
  if (text.startsWith('unix:')) {
    const path = text.slice('unix:'.length);
    if (path === '') throw new RangeError(`--bind unix: needs a socket path, as unix:/run/app.sock`);
    return { path };
  }
  const match = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(text);
  const port = Number(match?.[3] ?? 8000);
  if (!match || port > 65_535) throw new RangeError(`--bind takes HOST:PORT, [IPv6]:PORT or unix:/path, not '${text}'`);
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

/** `http://127.0.0.1:8000` or `unix:/run/app.sock`, as the primary prints it. */
function bindName(bind: Bind): string {
  if ('path' in bind) return `unix:${bind.path}`;
  return `http://${bind.host.includes(':') ? `[${bind.host}]` : bind.host}:${bind.port}`;
}

/**
 * Runs a pre-forking server on node:cluster. In the primary: forks `workers` workers, replaces any that dies, exits
 * when one fails to boot (no crash loop), and on SIGTERM/SIGINT stops them gracefully; resolves with the exit code
 * (0 when every worker stopped cleanly, {@link WORKER_BOOT_ERROR} when one failed to boot, 1 when some had to be
 * killed). In a worker: loads the app and serves it on every bind; never resolves (the worker exits by itself).
 * The primary and the workers run the same program, so call it the same way in both.
 *
 * @example
 * process.exitCode = await prefork({ load: async () => app.gatewayApp, binds: [{ host: '127.0.0.1', port: 8000 }], workers: 4 });
 */
export function prefork(options: PreforkOptions): Promise<number> {
  const binds = options.binds?.length ? options.binds : [{ host: '127.0.0.1', port: 8000 }];
  return cluster.isPrimary ? runPrimary(options, binds) : runWorker(options, binds);
}

function runPrimary(options: PreforkOptions, binds: readonly Bind[]): Promise<number> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const gracefulTimeout = options.gracefulTimeout ?? 30_000;
  for (const bind of binds) if ('path' in bind) removeStaleSocket(bind.path);
  const ready = new Set<Worker>();
  const listening = new Set<string>();
  let stopping = false;
  let exitCode = 0;
  return new Promise<number>((resolve) => {
    const fork = (): void => {
      const worker = cluster.fork();
      log(`Booting worker with pid: ${worker.process.pid}`);
      worker.on('message', (message: unknown) => {
        if ((message as { flagon?: string } | null)?.flagon !== 'ready') return;
        ready.add(worker);
        log(`Worker booted (pid: ${worker.process.pid})`);
      });
    };
    const stopAll = (): void => {
      for (const worker of Object.values(cluster.workers ?? {})) {
        if (worker?.isConnected()) worker.send({ flagon: 'stop' });
      }
      setTimeout(() => {
        for (const worker of Object.values(cluster.workers ?? {})) {
          if (worker && !worker.isDead()) {
            log(`Worker (pid:${worker.process.pid}) did not stop within ${gracefulTimeout} ms: killing it`);
            exitCode ||= 1;
            worker.process.kill('SIGKILL');
          }
        }
      }, gracefulTimeout).unref();
    };
    const finishIfDone = (): void => {
      if (stopping && Object.keys(cluster.workers ?? {}).length === 0) {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        const why =
          exitCode === WORKER_BOOT_ERROR
            ? 'worker failed to boot'
            : exitCode === 0
              ? 'all workers stopped'
              : 'all workers stopped, not all cleanly';
        log(`Shutting down: ${why}`);
        resolve(exitCode);
      }
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        // A second signal: no more waiting.
        for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
        exitCode ||= 1;
        return;
      }
      log(`Handling signal: ${signal}; stopping the workers (up to ${gracefulTimeout} ms)`);
      stopping = true;
      stopAll();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    cluster.on('listening', (_worker, address) => {
      const name =
        address.addressType === -1 || typeof address.port !== 'number'
          ? `unix:${address.address}`
          : bindName({ host: address.address ?? '127.0.0.1', port: address.port });
      if (listening.has(name)) return;
      listening.add(name);
      log(`Listening at: ${name} (${process.pid})`);
    });
    cluster.on('exit', (worker, code, signal) => {
      const booted = ready.delete(worker);
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!stopping && !booted) {
        // It never served: the app or a bind is broken, and a new worker would fail the same way.
        process.stderr.write(`Worker (pid:${worker.process.pid}) failed to boot (exit ${how}): stopping\n`);
        stopping = true;
        exitCode = WORKER_BOOT_ERROR;
        stopAll();
      } else if (!stopping) {
        log(`Worker (pid:${worker.process.pid}) exited with ${how}: replacing it`);
        fork();
      } else if (code !== 0 && exitCode === 0) {
        exitCode = 1;
      }
      finishIfDone();
    });
    for (let i = 0; i < options.workers; i += 1) fork();
  });
}

/** Removes a UNIX socket left by a server that did not close it; any other kind of file is left alone. */
function removeStaleSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function runWorker(options: PreforkOptions, binds: readonly Bind[]): Promise<number> {
  const servers: Server[] = [];
  let stopping = false;
  try {
    const app = await options.load();
    for (const bind of binds) {
      const server = createServer({
        headersTimeout: SERVE_DEFAULTS.headersTimeout,
        requestTimeout: SERVE_DEFAULTS.requestTimeout,
        keepAliveTimeout: SERVE_DEFAULTS.keepAliveTimeout,
        maxHeaderSize: SERVE_DEFAULTS.maxHeaderSize,
        connectionsCheckingInterval: SERVE_DEFAULTS.connectionsCheckingInterval,
      });
      answerProtocolErrors(server); // what the parser refuses, and CONNECT, answered as serve() does
      // When stopping, a keep-alive connection is closed as soon as its response is done.
      server.on('request', (_req, res) => {
        res.on('finish', () => {
          if (stopping) setImmediate(() => server.closeIdleConnections());
        });
      });
      server.on(
        'request',
        createRequestListener(app, {
          debug: false,
          multiprocess: true,
          ...('path' in bind ? {} : { serverName: bind.host, serverPort: bind.port }),
        }),
      );
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        const done = (): void => {
          server.off('error', reject);
          resolve();
        };
        if ('path' in bind) server.listen(bind.path, done);
        else server.listen(bind.port, bind.host, done);
      });
      servers.push(server);
    }
  } catch (error) {
    process.stderr.write(`Worker (pid:${process.pid}) failed to boot:\n${inspect(error)}\n`);
    process.exit(WORKER_BOOT_ERROR);
  }
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    let open = servers.length;
    for (const server of servers) {
      server.close(() => {
        open -= 1;
        if (open === 0) process.exit(0);
      });
      server.closeIdleConnections();
    }
  };
  process.on('message', (message: unknown) => {
    if ((message as { flagon?: string } | null)?.flagon === 'stop') stop();
  });
  // Ctrl-C reaches the whole process group: a worker stops as gracefully as the primary asks it to.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.send?.({ flagon: 'ready' });
  return new Promise<number>(() => undefined);
}
