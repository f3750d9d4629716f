/** @module What a flagon.config.{ts,js} file holds: the settings of `flagon serve`, typed (layer L4; the CLI reads them). */

/**
 * Everything `flagon serve` needs to know before it forks, after the defaults, the config file, the `FLAGON_`
 * environment and the command line are merged. Times are in seconds.
 *
 * @example
 * const describe = (settings: ServeSettings): string => `${settings.workers} workers on ${settings.bind.join(', ')}`;
 */
export interface ServeSettings {
  /** `--app` or the config file's `app`; `undefined` leaves the app to the loader (`FLAGON_APP`, then app.ts…). */
  app: string | undefined;
  /** `--bind`, repeatable: `HOST:PORT`, `[IPv6]:PORT` or `unix:/PATH`, as written. Default `['127.0.0.1:8000']`. */
  bind: string[];
  /** Worker processes. Default: the CPU count (`os.availableParallelism()`). */
  workers: number;
  /** A worker whose event loop stays blocked this long is killed and replaced. Default 30; 0 turns it off. */
  timeout: number;
  /** On SIGTERM/SIGINT, how long requests in flight may take before the workers are killed. Default 30. */
  gracefulTimeout: number;
  /** A worker is replaced after this many requests. Default 0: never. */
  maxRequests: number;
  /** A random 0…N added to `maxRequests` per worker, so they do not restart together. Default 0. */
  maxRequestsJitter: number;
  /** How long an idle keep-alive connection stays open. Default 5 (`serve()`'s `keepAliveTimeout`). */
  keepAlive: number;
  /** The access log's file, `'-'` for standard output, or `null` (the default): no access log. */
  accessLog: string | null;
  /** Proxies whose `X-Forwarded-*` headers are trusted (`'*'`: all). Default `['127.0.0.1', '::1']`. */
  forwardedAllowIps: string[];
  /** The certificate's PEM file for HTTPS, or `null` for plain HTTP. Comes with `key`. */
  cert: string | null;
  /** The certificate's private key, PEM, or `null`. Comes with `cert`. */
  key: string | null;
  /** Load the app once in the primary before forking. Default false. */
  preload: boolean;
  /** The config file read (an absolute path), or `null` when there was none. */
  config: string | null;
}

/**
 * What a `flagon.config.ts` file exports: any of the settings, by the names of {@link ServeSettings}. `bind` and
 * `forwardedAllowIps` may also be one string (`'127.0.0.1,::1'`).
 *
 * @example
 * const config: ServeConfig = { bind: ['0.0.0.0:8000'], workers: 4, timeout: 60 };
 */
export type ServeConfig = Partial<Omit<ServeSettings, 'app' | 'bind' | 'forwardedAllowIps' | 'config'>> & {
  app?: string;
  bind?: string | string[];
  forwardedAllowIps?: string | string[];
};

/**
 * Gives a config file its types and returns the config unchanged.
 *
 * @example
 * // flagon.config.ts
 * import { defineServeConfig } from 'flagon/serving';
 *
 * export default defineServeConfig({ bind: ['unix:/run/notes/app.sock'], workers: 4, accessLog: '-' });
 */
export function defineServeConfig(config: ServeConfig): ServeConfig {
  return config;
}
