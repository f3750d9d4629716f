/** @module `flagon serve` (layer L5): the production server, a primary that pre-forks workers running the app, as gunicorn. */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { importApp, locateApp, readDotenv } from '../dev/app-loader.js';
import { type Bind, parseBind, prefork } from '../serving/prefork.js';
import { UsageError } from './run.js';

/**
 * `flagon serve [--app APP] [--bind HOST:PORT|unix:PATH]... [--workers N] [--graceful-timeout SECONDS]`. Resolves
 * with the exit code in the primary; never in a worker. Never debug, never the reloader, whatever the environment says.
 *
 * @example
 * process.exit(await serveCommand(['--app', 'app.ts', '--bind', '0.0.0.0:8000', '--workers', '4']));
 */
export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      app: { type: 'string' },
      bind: { type: 'string', short: 'b', multiple: true },
      workers: { type: 'string', short: 'w' },
      'graceful-timeout': { type: 'string' },
    },
  });
  const binds: Bind[] = [];
  for (const text of values.bind ?? []) {
    try {
      binds.push(parseBind(text));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const workers = positive(values.workers, '--workers', availableParallelism());
  const graceful = positive(values['graceful-timeout'], '--graceful-timeout', 30);
  // As `flagon routes`: the current folder's .flagonenv/.env (they may set FLAGON_APP), then the app's folder's.
  for (const [key, value] of Object.entries(readDotenv(null).values)) process.env[key] ??= value;
  const spec = locateApp(values.app, process.cwd()); // in the primary too: no app found fails before any fork
  for (const [key, value] of Object.entries(readDotenv(spec.file).values)) process.env[key] ??= value;
  return prefork({
    binds,
    workers,
    gracefulTimeout: graceful * 1000,
    load: async () => {
      const app = await importApp(spec);
      app.config.DEBUG = false; // production: never the debug page, whatever FLAGON_DEBUG or the app says
      return app.gatewayApp;
    },
  });
}

function positive(text: string | undefined, option: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) throw new UsageError(`${option} takes a whole number from 1, not '${text}'`);
  return value;
}
