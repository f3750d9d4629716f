/** @module prefork(): a primary process (node:cluster) that forks workers, each serving a TSGI app, as gunicorn's arbiter (layer L4). */
import cluster from 'node:cluster';
import { runArbiter } from './arbiter.js';
import type { Bind, PreforkOptions } from './prefork-protocol.js';
import { runWorker } from './prefork-worker.js';

export { APP_LOAD_ERROR, type Bind, type PreforkOptions, WORKER_BOOT_ERROR } from './prefork-protocol.js';

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

/**
 * Runs a pre-forking server on node:cluster, as gunicorn's arbiter. In the primary: forks `workers` workers, replaces
 * any that dies or stops answering its heartbeat, exits when one fails to boot (no crash loop); SIGTERM/SIGINT stop
 * gracefully, SIGHUP starts new workers (with the code now on disk) and drains the old ones once the new are ready,
 * SIGTTIN/SIGTTOU add or remove a worker. Resolves with the exit code: 0 when every worker stopped cleanly,
 * {@link WORKER_BOOT_ERROR} when one failed to boot, {@link APP_LOAD_ERROR} when `preload` failed, 1 when some had to
 * be killed. In a worker: loads the app and serves it on every bind; never resolves (the worker exits by itself).
 * The primary and the workers run the same program, so call it the same way in both.
 *
 * @example
 * process.exitCode = await prefork({ load: async () => app.gatewayApp, binds: [{ host: '127.0.0.1', port: 8000 }], workers: 4 });
 */
export function prefork(options: PreforkOptions): Promise<number> {
  const binds = options.binds?.length ? options.binds : [{ host: '127.0.0.1', port: 8000 }];
  return cluster.isPrimary ? runArbiter(options, binds) : runWorker(options, binds);
}
