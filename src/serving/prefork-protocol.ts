/** @module What prefork()'s primary and workers share (layer L4): the options, the exit codes, the messages between them. */
import type { GatewayApp } from '../gateway/types.js';

/**
 * Where a worker listens: a TCP host and port, or a UNIX socket's path.
 *
 * @example
 * const binds: Bind[] = [{ host: '127.0.0.1', port: 8000 }, { path: '/run/app.sock' }];
 */
export type Bind = { host: string; port: number } | { path: string };

/**
 * Options of {@link prefork}. Times are in milliseconds.
 *
 * @example
 * const options: PreforkOptions = { load: async () => app.gatewayApp, binds: [{ host: '127.0.0.1', port: 8000 }], workers: 2 };
 */
export interface PreforkOptions {
  /** Loads the app; called once in each worker (and once in the primary first, with `preload`). */
  load: () => Promise<GatewayApp>;
  /** Where every worker listens. Default: 127.0.0.1:8000. */
  binds?: readonly Bind[];
  /** How many workers the primary keeps running (SIGTTIN and SIGTTOU change it by one). */
  workers: number;
  /** Time a worker has to finish its requests once told to stop (SIGTERM, SIGHUP, SIGTTOU); then it is killed. Default 30 s. */
  gracefulTimeout?: number;
  /**
   * A worker that sends no heartbeat for this long (its event loop is blocked: a view in an endless loop, a huge
   * synchronous job) is killed and replaced, and the primary logs why. Default 30 s; `0` turns it off.
   */
  timeout?: number;
  /** A worker that has served this many requests is replaced (a new one starts, then it drains). Default 0: never. */
  maxRequests?: number;
  /** Adds a random 0…N to each worker's `maxRequests`, so the workers are not all replaced at once. Default 0. */
  maxRequestsJitter?: number;
  /** How long an idle keep-alive connection stays open. Default 5 s; `0` closes every connection after its answer. */
  keepAliveTimeout?: number;
  /** HTTPS on every bind with this certificate (and chain) and key, as PEM text; `tsgi.url_scheme` is then `https`. */
  tls?: { cert: string; key: string } | null;
  /** Writes each request's line in the combined log format to this file (appended), or to standard output for `-`. */
  accessLog?: string | null;
  /**
   * The peers whose `X-Forwarded-For` and `X-Forwarded-Proto` headers are trusted (one proxy hop each, through
   * `proxyFix`): addresses, networks or `'*'`. UNIX-socket peers are trusted. Default `['127.0.0.1', '::1']`, as
   * gunicorn's `forwarded_allow_ips`; `[]` trusts no peer. The proxy passes the client's Host on (nginx:
   * `proxy_set_header Host $http_host`); for `X-Forwarded-Host` or `-Prefix`, wrap the app in `proxyFix` yourself.
   */
  forwardedAllowIps?: readonly string[];
  /**
   * Load the app in the primary once before forking, so an app that cannot load stops everything at once with its
   * error (exit {@link APP_LOAD_ERROR}). Node's workers are new processes, not copies of the primary: each still loads
   * the app, and no memory is shared as with gunicorn's `--preload`.
   */
  preload?: boolean;
  /**
   * Variables for the workers, over the primary's environment (`undefined` leaves one out): worked out at the start
   * and again on each SIGHUP, whose new workers get them; a worker replaced between gets what the others have. If it
   * throws, the start goes on with the primary's environment and a SIGHUP is abandoned, logged. `flagon serve` gives
   * its dotenv files.
   */
  workerEnv?: () => Readonly<Record<string, string | undefined>>;
  /** Where the primary's lines go (`Listening at: …`, `Booting worker with pid: …`, …). Default: standard output. */
  log?: (line: string) => void;
}

/**
 * The exit code of a worker that could not load the app or bind, and of the primary it stops (gunicorn's
 * WORKER_BOOT_ERROR).
 *
 * @example
 * if ((await prefork(options)) === WORKER_BOOT_ERROR) console.error('the app did not boot: see the error above');
 */
export const WORKER_BOOT_ERROR = 3;
/**
 * The primary's exit code when `preload` could not load the app (gunicorn's APP_LOAD_ERROR).
 *
 * @example
 * process.exitCode = await prefork({ ...options, preload: true }); // APP_LOAD_ERROR (4) when the import throws
 */
export const APP_LOAD_ERROR = 4;

/**
 * The messages between the primary and its workers, over the cluster's IPC channel. A worker says `ready` once it
 * listens on every bind, `alive` every quarter of the timeout (at most every second), `retire` once it has served
 * its `maxRequests` or after an uncaught exception (with the reason, for the log), and `drained` once its servers
 * are closed; the primary says `stop` to make it drain, and `exit` in answer to `drained`. That last exchange keeps the worker alive until the primary has read everything it sent
 * before: a connection node:cluster handed over just as the worker closed comes back to the primary, which hands it
 * to another worker, instead of dying with the process.
 */
export type PreforkMessage =
  | { flagon: 'ready' }
  | { flagon: 'alive' }
  | { flagon: 'retire'; served: number; reason: string }
  | { flagon: 'drained' }
  | { flagon: 'stop' }
  | { flagon: 'exit' };

/**
 * The `flagon` value of a message from the other side, or `undefined` for messages that are not ours.
 *
 * @example
 * worker.on('message', (message) => messageKind(message) === 'ready' && markReady(worker));
 */
export function messageKind(message: unknown): PreforkMessage['flagon'] | undefined {
  return (message as { flagon?: PreforkMessage['flagon'] } | null)?.flagon;
}

/**
 * How often a worker beats, for a `timeout` (ms): four beats per timeout, at most one a second.
 *
 * @example
 * heartbeatInterval(30_000); // 1000
 * heartbeatInterval(2_000); // 500
 */
export function heartbeatInterval(timeout: number): number {
  return Math.min(1_000, timeout / 4);
}
