/** @module `flagon serve` (layer L5): the production server, a primary that pre-forks workers running the app, as gunicorn. */
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { FlagonError } from '../gateway/errors.js';
import { applyDotenv, freshDotenv, importApp, locateApp, readDotenv } from '../dev/app-loader.js';
import { loadTls } from '../dev/tls.js';
import { type Bind, parseBind, prefork } from '../serving/prefork.js';
import { resolveServeSettings } from './serve-config.js';
import { UsageError } from './run.js';

/**
 * `flagon serve [options]` (see `SERVE_HELP`): resolves the settings (config file < `FLAGON_` environment < command
 * line), checks what can be checked before forking (the app's file, the binds, the certificate, the access log's
 * file), then runs {@link prefork}. Resolves with the exit code in the primary; never in a worker. Never debug, never
 * the reloader, whatever the environment says.
 *
 * @example
 * process.exit(await serveCommand(['--app', 'app.ts', '--bind', '0.0.0.0:8000', '--workers', '4']));
 */
export async function serveCommand(args: string[]): Promise<number> {
  const cwd = process.cwd();
  // As `flagon routes`: the current folder's .flagonenv/.env first (they may set FLAGON_APP or FLAGON_WORKERS).
  applyDotenv(readDotenv(null).values);
  const settings = await resolveServeSettings(args, process.env, cwd);
  const binds: Bind[] = settings.bind.map((text) => {
    try {
      return parseBind(text);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  });
  let tls: { cert: string; key: string } | null;
  try {
    tls = await loadTls({ cert: settings.cert, key: settings.key }, { names: { cert: '--cert', key: '--key' }, cwd });
  } catch (error) {
    if (error instanceof FlagonError) throw new UsageError(error.message);
    throw error;
  }
  const accessLog =
    settings.accessLog === null || settings.accessLog === '-' ? settings.accessLog : resolve(cwd, settings.accessLog);
  if (accessLog !== null && accessLog !== '-') checkWritable(accessLog);
  const spec = locateApp(settings.app, cwd); // in the primary too: no app found fails before any fork
  applyDotenv(readDotenv(spec.file).values);
  return prefork({
    binds,
    workers: settings.workers,
    timeout: settings.timeout * 1000,
    gracefulTimeout: settings.gracefulTimeout * 1000,
    maxRequests: settings.maxRequests,
    maxRequestsJitter: settings.maxRequestsJitter,
    keepAliveTimeout: settings.keepAlive * 1000,
    accessLog,
    forwardedAllowIps: settings.forwardedAllowIps,
    tls,
    preload: settings.preload,
    // Each worker reads the dotenv files as they are when it is forked: SIGHUP's new workers see an edited .env.
    workerEnv: () => {
      const { values, unset } = freshDotenv(spec.file);
      return { ...Object.fromEntries(unset.map((key) => [key, undefined])), ...values };
    },
    load: async () => {
      const app = await importApp(spec);
      app.config.DEBUG = false; // production: never the debug page, whatever FLAGON_DEBUG or the app says
      return app.gatewayApp;
    },
  });
}

/** Opens the access log's file for appending once, so a wrong path fails here, named, before any worker starts. */
function checkWritable(path: string): void {
  try {
    closeSync(openSync(path, 'a'));
  } catch (error) {
    throw new UsageError(`--access-log ${path}: cannot open it for appending (${(error as Error).message})`);
  }
}
