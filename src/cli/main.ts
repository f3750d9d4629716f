#!/usr/bin/env node
/** @module The `flagon` command (layer L5): `run`, `routes`, `shell`, as `flask run`, `flask routes`, `flask shell`, and the app's own commands (`app.cli`). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { inspect, parseArgs } from 'node:util';
import { g } from '../app/context.js';
import { currentApp } from '../app/current-app.js';
import { AppLoadError, applyDotenv, importApp, locateApp, NoAppError, readDotenv } from '../dev/app-loader.js';
import { appCommandsHelp, runAppCommand } from './app-commands.js';
import { formatRoutes, type RouteSort } from './routes.js';
import { expandProfileFlag, run, runSettings, UsageError, type RunFlags } from './run.js';
import { loadingAppOnly } from '../serving/serve.js';
import { SERVE_HELP } from './serve-config.js';
import { serveCommand } from './serve.js';
import { staticCommand } from './static.js';

const HELP = `Usage: flagon [--app PATH[:NAME]] [-e FILE] <command> [options]

Commands:
  run       serve the app for development, with the reloader and debug page
  serve     serve the app in production: a primary process and pre-forked workers (gunicorn)
  routes    list the app's routes
  shell     a Node REPL with the app loaded and an app context
  static    serve a folder's files, with listings (python -m http.server); needs no app
  NAME      a command of the app's own (app.cli.command), listed below when the app is found;
            'flagon NAME --help' shows its options

Finding the app (every command): --app PATH[:NAME] (before the command, or after run, routes and
shell), else FLAGON_APP, else app.ts, src/app.ts, app.js or src/app.js in this folder. NAME is an export (or a factory call, createApp()); without
it: the 'app' export, the default export, or createApp(). .flagonenv and .env files are loaded (here and beside
the app); -e/--env-file FILE (FLAGON_ENV_FILE) loads FILE over them; FLAGON_SKIP_DOTENV=1 skips them.

flagon run [options]
  --app PATH[:NAME]          the app's module
  --host HOST                address to bind (FLAGON_RUN_HOST; default 127.0.0.1)
  --port PORT                port (FLAGON_RUN_PORT; default 5000; 0 picks a free one)
  --debug / --no-debug       debug mode: the debug page, the request inspector, and the reloader (FLAGON_DEBUG)
  --debugger / --no-debugger the debug page for errors in debug mode (default on; off: a plain 500, the stack
                             in the terminal)
  --inspector / --no-inspector
                             the request inspector at /__flagon__/ in debug mode (default on)
  --reload / --no-reload     restart on file changes (default: on in debug mode)
  --extra-files FILES        more files to watch (repeat, or separate with '${process.platform === 'win32' ? ';' : ':'}')
  --exclude-patterns GLOBS   files not to watch, as globs (repeat, or separate likewise)
  --cert FILE|adhoc          serve HTTPS with this PEM certificate, or 'adhoc' for a throwaway
                             self-signed one (browsers warn about it) (FLAGON_RUN_CERT)
  --key FILE                 the certificate's private key, PEM; required with --cert FILE (FLAGON_RUN_KEY)
  --profile [DIR]            profile each request: a table of the functions it ran, and a .cpuprofile
                             file per request in DIR (default ./profiles; --profile= for tables only)
                             (FLAGON_RUN_PROFILE)

${SERVE_HELP}
flagon routes [--app PATH[:NAME]] [--sort endpoint|methods|rule] [--all-methods]
flagon shell [--app PATH[:NAME]]
flagon static [DIR] [--port N] [--bind HOST]
  DIR          the folder to serve (default: this one); a folder answers with its index.html, else a listing
  --port N     port (default 8000; 0 picks a free one)
  --bind HOST  address to bind (default 127.0.0.1: only this machine)

Other options:
  --version  print Flagon's version
  --help     print this help
`;

const COMMON = { app: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** The options that go before the command, as Flask's group options: `--app PATH`, `-e/--env-file FILE`. */
const LEADING = /^(--app|-e|--env-file)(?:=(.*))?$/;

/**
 * `-e FILE` (or `FLAGON_ENV_FILE`): a file of variables that wins over `.env` and `.flagonenv` (`readDotenv` reads
 * it), as `flask --env-file`. Set as an absolute path in the environment, so the reloader's and the workers'
 * processes read the same file; a file that is not there is a usage error, as with click's `exists=True`.
 */
function useEnvFile(option: string | undefined): void {
  const given = option ?? process.env.FLAGON_ENV_FILE;
  if (given === undefined || (option === undefined && given === '')) return;
  const file = resolve(given);
  const source = option === undefined ? 'FLAGON_ENV_FILE' : '--env-file';
  if (!existsSync(file) || !statSync(file).isFile())
    throw new UsageError(`${source}: '${given}' is not a file (give the path of a file of KEY=value lines)`);
  process.env.FLAGON_ENV_FILE = file;
}

/** Runs the command line; resolves with the exit code, or never for `run` and `shell`, which keep the process up. */
export async function main(argv: readonly string[]): Promise<number> {
  let [command, ...rest] = argv;
  // `flagon --app PATH <command>`, Flask's place for it: the one the app's own commands can use, since what follows
  // their name is theirs. The built-in commands take it after their name too.
  let appOption: string | undefined;
  let envFile: string | undefined;
  for (let leading = LEADING.exec(command ?? ''); leading !== null; leading = LEADING.exec(command ?? '')) {
    const value = leading[2] ?? rest.shift();
    if (leading[1] === '--app') appOption = value;
    else envFile = value ?? '';
    [command, ...rest] = rest;
  }
  if (
    appOption !== undefined &&
    (command === 'run' || command === 'serve' || command === 'routes' || command === 'shell')
  )
    rest = ['--app', appOption, ...rest];
  if (command === '--version' || command === '-V') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`flagon ${pkg.version}\n`);
    return 0;
  }
  process.env.FLAGON_RUN_FROM_CLI = 'true'; // app.run() in the loaded module must not start a second server
  try {
    useEnvFile(envFile);
  } catch (error) {
    process.stderr.write(`Error: ${(error as Error).message}\n`);
    return 2;
  }
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(HELP + (await appCommandsListing(appOption)));
    return command === undefined ? 2 : 0;
  }
  const builtin = command === 'run' || command === 'serve' || command === 'routes' || command === 'shell';
  if (builtin && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'serve':
        return await serveCommand(rest);
      case 'routes':
        return await routesCommand(rest);
      case 'shell':
        return await shellCommand(rest);
      case 'static':
        if (rest.includes('--help') || rest.includes('-h')) {
          process.stdout.write(HELP);
          return 0;
        }
        return await staticCommand(rest);
      default:
        return await appCommand(appOption, command, rest);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof NoAppError ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ||
      (error as { code?: string }).code === 'EADDRINUSE'
    ) {
      process.stderr.write(`Error: ${(error as Error).message}\n`);
      return 2;
    }
    // Anything else (a command of the app that threw): its stack, and a failing exit, never an uncaught crash.
    process.stderr.write(`Error: ${inspect(error)}\n`);
    return 1;
  }
}

/**
 * The app's commands for `flagon --help`. As `flask --help`: no app found stays quiet unless one was asked for, and
 * an app that fails to load has its error printed, with the help still shown.
 */
async function appCommandsListing(appOption: string | undefined): Promise<string> {
  const asked = appOption !== undefined || Boolean(process.env.FLAGON_APP);
  try {
    const { app, file } = await loadForCommand(appOption);
    return appCommandsHelp(app, file);
  } catch (error) {
    if (error instanceof NoAppError) {
      // Not found: quiet unless an app was asked for; found but failing to load: always said.
      if (asked || error instanceof AppLoadError) process.stderr.write(`Error: ${error.message}\n\n`);
    } else {
      process.stderr.write(`The app could not be loaded, so its commands are not listed:\n${inspect(error)}\n\n`);
    }
    return '';
  }
}

/** `flagon NAME …`: loads the app as `flagon routes` does and runs its command NAME. */
async function appCommand(appOption: string | undefined, command: string, args: string[]): Promise<number> {
  let app: Awaited<ReturnType<typeof loadForCommand>>['app'];
  try {
    ({ app } = await loadForCommand(appOption));
  } catch (error) {
    if (!(error instanceof NoAppError)) throw error;
    const hint = args.includes('--app')
      ? ` For an app's own command, put --app before the command: flagon --app PATH ${command}.`
      : '';
    throw new UsageError(
      `no such command '${command}': it is not one of flagon's (run, routes, shell), and no app was loaded to look for it in. ${error.message}${hint}`,
    );
  }
  return runAppCommand(app, [command, ...args]);
}

async function runCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args: expandProfileFlag(args),
    options: {
      ...COMMON,
      host: { type: 'string' },
      port: { type: 'string', short: 'p' },
      debug: { type: 'boolean' },
      'no-debug': { type: 'boolean' },
      debugger: { type: 'boolean' },
      'no-debugger': { type: 'boolean' },
      inspector: { type: 'boolean' },
      'no-inspector': { type: 'boolean' },
      reload: { type: 'boolean' },
      'no-reload': { type: 'boolean' },
      'extra-files': { type: 'string', multiple: true },
      'exclude-patterns': { type: 'string', multiple: true },
      cert: { type: 'string' },
      key: { type: 'string' },
      profile: { type: 'string' },
    },
  });
  const stop = await run(runSettings(values as RunFlags, process.cwd(), process.env));
  const quit = (): void => void stop().finally(() => process.exit(0));
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  return new Promise<number>(() => undefined); // serves until a signal
}

async function loadForCommand(
  app: string | undefined,
): Promise<{ file: string; app: Awaited<ReturnType<typeof importApp>> }> {
  // The current folder's .flagonenv/.env before locating: they may set FLAGON_APP; then the app's folder's.
  applyDotenv(readDotenv(null).values);
  const spec = locateApp(app, process.cwd());
  applyDotenv(readDotenv(spec.file).values);
  // A serve() at the module's top level (the README's first example) must not start a server, or fail on a port
  // `flagon run` holds, while a command only loads the app; a serve() called later (in the shell) works.
  return { file: spec.file, app: await loadingAppOnly(() => importApp(spec)) };
}

async function routesCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...COMMON, sort: { type: 'string', short: 's' }, 'all-methods': { type: 'boolean' } },
  });
  const sort = values.sort ?? 'endpoint';
  if (!['endpoint', 'methods', 'rule'].includes(sort))
    throw new UsageError(`--sort takes endpoint, methods or rule, not '${sort}'`);
  const { app } = await loadForCommand(values.app);
  process.stdout.write(formatRoutes(app, sort as RouteSort, values['all-methods'] ?? false));
  return 0;
}

async function shellCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: COMMON });
  const { app, file } = await loadForCommand(values.app);
  // Loaded here only: node:repl loads node:domain, which makes every EventEmitter and async resource of the process
  // pay for domain tracking (seen as ~2% of a `flagon serve` worker's CPU, plus async hooks).
  const { startShell } = await import('./shell.js');
  const repl = startShell(app, file);
  Object.assign(repl.context, { currentApp, g });
  return new Promise<number>((resolve) => repl.on('exit', () => resolve(0)));
}

process.exit(await main(process.argv.slice(2)));
