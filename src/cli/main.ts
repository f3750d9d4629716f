#!/usr/bin/env node
/** @module The `flagon` command (layer L5): `run`, `routes`, `shell`, as `flask run`, `flask routes`, `flask shell`. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { g } from '../app/context.js';
import { currentApp } from '../app/current-app.js';
import { importApp, locateApp, NoAppError, readDotenv } from '../serving/app-loader.js';
import { formatRoutes, type RouteSort } from './routes.js';
import { run, runSettings, UsageError, type RunFlags } from './run.js';
import { startShell } from './shell.js';

const HELP = `Usage: flagon <command> [options]

Commands:
  run       serve the app for development, with the reloader and debug page
  routes    list the app's routes
  shell     a Node REPL with the app loaded and an app context

Finding the app (every command): --app PATH[:NAME], else FLAGON_APP, else app.ts, src/app.ts,
app.js or src/app.js in this folder. NAME is an export (or a factory call, createApp()); without
it: the 'app' export, the default export, or createApp(). A .env file beside the app is loaded.

flagon run [options]
  --app PATH[:NAME]          the app's module
  --host HOST                address to bind (FLAGON_RUN_HOST; default 127.0.0.1)
  --port PORT                port (FLAGON_RUN_PORT; default 5000; 0 picks a free one)
  --debug / --no-debug       debug mode: the debug page, and the reloader (FLAGON_DEBUG)
  --reload / --no-reload     restart on file changes (default: on in debug mode)
  --extra-files FILES        more files to watch (repeat, or separate with '${process.platform === 'win32' ? ';' : ':'}')
  --exclude-patterns GLOBS   files not to watch, as globs (repeat, or separate likewise)

flagon routes [--app PATH[:NAME]] [--sort endpoint|methods|rule] [--all-methods]
flagon shell [--app PATH[:NAME]]

Other options:
  --version  print Flagon's version
  --help     print this help
`;

const COMMON = { app: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** Runs the command line; resolves with the exit code, or never for `run` and `shell`, which keep the process up. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`flagon ${pkg.version}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  process.env.FLAGON_RUN_FROM_CLI = 'true'; // app.run() in the loaded module must not start a second server
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'routes':
        return await routesCommand(rest);
      case 'shell':
        return await shellCommand(rest);
      default:
        throw new UsageError(`no such command '${command}' (the commands are run, routes and shell; see 'flagon --help')`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof NoAppError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      || (error as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || (error as { code?: string }).code === 'EADDRINUSE') {
      process.stderr.write(`Error: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

async function runCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...COMMON,
      host: { type: 'string' },
      port: { type: 'string', short: 'p' },
      debug: { type: 'boolean' },
      'no-debug': { type: 'boolean' },
      reload: { type: 'boolean' },
      'no-reload': { type: 'boolean' },
      'extra-files': { type: 'string', multiple: true },
      'exclude-patterns': { type: 'string', multiple: true },
    },
  });
  const stop = await run(runSettings(values as RunFlags, process.cwd(), process.env));
  const quit = (): void => void stop().finally(() => process.exit(0));
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  return new Promise<number>(() => undefined); // serves until a signal
}

async function loadForCommand(app: string | undefined): Promise<{ file: string; app: Awaited<ReturnType<typeof importApp>> }> {
  const spec = locateApp(app, process.cwd());
  for (const [key, value] of Object.entries(readDotenv(spec.file).values)) process.env[key] ??= value;
  return { file: spec.file, app: await importApp(spec) };
}

async function routesCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...COMMON, sort: { type: 'string', short: 's' }, 'all-methods': { type: 'boolean' } } });
  const sort = values.sort ?? 'endpoint';
  if (!['endpoint', 'methods', 'rule'].includes(sort)) throw new UsageError(`--sort takes endpoint, methods or rule, not '${sort}'`);
  const { app } = await loadForCommand(values.app);
  process.stdout.write(formatRoutes(app, sort as RouteSort, values['all-methods'] ?? false));
  return 0;
}

async function shellCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: COMMON });
  const { app, file } = await loadForCommand(values.app);
  const repl = startShell(app, file);
  Object.assign(repl.context, { currentApp, g });
  return new Promise<number>((resolve) => repl.on('exit', () => resolve(0)));
}

process.exit(await main(process.argv.slice(2)));
