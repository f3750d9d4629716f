/** @module `flagon run` (layer L5): read the options and environment as `flask run` does, then serve with or without the reloader. */
import { delimiter, resolve } from 'node:path';
import { applyDotenv, importApp, locateApp, projectRoot, readDotenv, type AppSpec } from '../dev/app-loader.js';
import { banner, createDevServer, type DevProfileOptions, devServerUrl, listenOn } from '../dev/dev-server.js';
import { startReloader } from '../dev/reloader.js';
import { loadTls, type TlsMaterial } from '../dev/tls.js';
import { FlagonError } from '../gateway/errors.js';

/**
 * The settings of one `flagon run`, after options, `.env` files and environment variables are merged.
 *
 * @example
 * const settings: RunSettings = runSettings({ debug: true }, process.cwd(), process.env);
 */
export interface RunSettings {
  spec: AppSpec;
  host: string;
  port: number;
  debug: boolean;
  /** In debug mode, the debug page for unhandled errors (`--debugger/--no-debugger`, Flask's); default on. */
  debugger: boolean;
  /** In debug mode, the request inspector at `/__flagon__/` (`--inspector/--no-inspector`); default on. */
  inspector: boolean;
  reload: boolean;
  extraFiles: string[];
  excludePatterns: string[];
  dotenvFiles: string[];
  /** `--cert`: a certificate's PEM file, or `adhoc`; `null` for plain HTTP. */
  cert: string | null;
  /** `--key`: the PEM file of the certificate's private key. */
  key: string | null;
  /** `--profile [DIR]`: profile each request, writing `.cpuprofile` files into `dir` (absolute) or none; `null`: off. */
  profile: DevProfileOptions | null;
}

/**
 * The options `flagon run` takes, as parsed from the command line.
 *
 * @example
 * const options: RunFlags = { app: 'app.ts:createApp()', port: '8000', debug: true };
 */
export interface RunFlags {
  app?: string;
  host?: string;
  port?: string;
  debug?: boolean;
  'no-debug'?: boolean;
  debugger?: boolean;
  'no-debugger'?: boolean;
  inspector?: boolean;
  'no-inspector'?: boolean;
  reload?: boolean;
  'no-reload'?: boolean;
  'extra-files'?: string[];
  'exclude-patterns'?: string[];
  cert?: string;
  key?: string;
  /** `--profile DIR`; `''` for the tables only. {@link expandProfileFlag} turns a bare `--profile` into the default. */
  profile?: string;
}

/** A mistake on the command line: the message says which option and what it accepts. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Merges the flags with the environment the way Flask does: an option beats its variable (`FLAGON_APP`,
 * `FLAGON_DEBUG`, `FLAGON_RUN_HOST`, `FLAGON_RUN_PORT`, `FLAGON_RUN_CERT`, `FLAGON_RUN_KEY`, `FLAGON_RUN_PROFILE`), variables from
 * `.env`/`.flagonenv` (the current folder's, read before the app is looked for, then the app's) fill in what the
 * environment lacks, and the reloader is on in debug mode unless `--no-reload`.
 *
 * @example
 * runSettings({ port: '8000' }, '/srv/notes', process.env).port; // 8000
 */
export function runSettings(flags: RunFlags, cwd: string, env: NodeJS.ProcessEnv): RunSettings {
  // The current folder's files first: they may say where the app is (FLAGON_APP), as FLASK_APP in .flaskenv.
  applyDotenv(readDotenv(null, env, cwd).values, env);
  const spec = locateApp(flags.app, cwd, env);
  const dotenv = readDotenv(spec.file, env, cwd);
  applyDotenv(dotenv.values, env);
  const debug = flags['no-debug'] ? false : (flags.debug ?? isTrue(env.FLAGON_DEBUG));
  const rawPort = flags.port ?? env.FLAGON_RUN_PORT ?? '5000';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65_535)
    throw new UsageError(`--port must be a number from 0 to 65535 (0 picks a free port), not '${rawPort}'`);
  const split = (values: string[] | undefined): string[] =>
    (values ?? []).flatMap((value) => value.split(delimiter)).filter(Boolean);
  return {
    spec,
    host: flags.host ?? env.FLAGON_RUN_HOST ?? '127.0.0.1',
    port,
    debug,
    debugger: flags['no-debugger'] ? false : (flags.debugger ?? true),
    inspector: flags['no-inspector'] ? false : (flags.inspector ?? true),
    reload: flags['no-reload'] ? false : (flags.reload ?? debug),
    extraFiles: split(flags['extra-files']),
    excludePatterns: split(flags['exclude-patterns']),
    dotenvFiles: dotenv.files,
    cert: flags.cert ?? env.FLAGON_RUN_CERT ?? null,
    key: flags.key ?? env.FLAGON_RUN_KEY ?? null,
    profile: profileSettings(flags.profile ?? env.FLAGON_RUN_PROFILE, cwd),
  };
}

/** Where a bare `flagon run --profile` writes its `.cpuprofile` files, under the current folder. */
export const DEFAULT_PROFILE_DIR = 'profiles';

/**
 * `--profile` takes an optional value, which node:util's parseArgs cannot express: a bare `--profile` (last, or
 * before another option) becomes `--profile=profiles`, and `--profile DIR` becomes `--profile=DIR`. `flagon run`
 * takes no positional arguments, so a word after `--profile` can only be its folder.
 *
 * @example
 * expandProfileFlag(['--profile', '--port', '0']); // ['--profile=profiles', '--port', '0']
 */
export function expandProfileFlag(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg !== '--profile') out.push(arg);
    else if (args[i + 1] === undefined || args[i + 1]!.startsWith('-')) out.push(`--profile=${DEFAULT_PROFILE_DIR}`);
    else out.push(`--profile=${args[++i]}`);
  }
  return out;
}

function profileSettings(value: string | undefined, cwd: string): DevProfileOptions | null {
  if (value === undefined) return null;
  // Every row, as ProfilerMiddleware prints them: a shorter table could leave out the view, whose own time is small.
  return { dir: value === '' ? null : resolve(cwd, value) };
}

/** The banner's line on profiling, for `flagon run --profile`. */
function profileNotice(profile: DevProfileOptions): string {
  const files =
    profile.dir === null
      ? ''
      : `, and a .cpuprofile file per request in ${profile.dir} (open it in Chrome DevTools' Performance panel or speedscope)`;
  return ` * Profiling each request: a table of the functions it ran, by self time, here${files}\n`;
}

/**
 * Reads `--cert`/`--key` (see `loadTls`), turning a mistake in them into a {@link UsageError} (exit code 2) that names
 * the option, the file and the fix, as Flask's `--cert` and `--key` do.
 *
 * @example
 * const tls = await runTls({ ...settings, cert: 'adhoc', key: null }); // a throwaway self-signed certificate
 */
export async function runTls(settings: Pick<RunSettings, 'cert' | 'key' | 'host'>): Promise<TlsMaterial | null> {
  try {
    return await loadTls(
      { cert: settings.cert, key: settings.key },
      { names: { cert: '--cert', key: '--key' }, host: settings.host },
    );
  } catch (error) {
    if (error instanceof FlagonError && error.code === 'FLAGON_ERR_BAD_ARGUMENT') throw new UsageError(error.message);
    throw error;
  }
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

/**
 * Serves the app: through the reloader (a parent holding the socket, children running the app), or, with
 * `--no-reload`, in this process. Resolves with a function that stops it.
 *
 * @example
 * const stop = await run(runSettings({ debug: true }, process.cwd(), process.env));
 */
export async function run(settings: RunSettings): Promise<() => Promise<void>> {
  // serve() on this port in the app module (the README's first example) is ignored: the command serves the app there.
  process.env.FLAGON_RUN_SERVING_PORT = String(settings.port);
  const tls = await runTls(settings); // before the port is bound and the app is loaded
  if (settings.reload) {
    const reloader = await startReloader({
      app: settings.spec,
      host: settings.host,
      port: settings.port,
      debug: settings.debug,
      watch: [projectRoot(settings.spec.file), ...settings.dotenvFiles, ...settings.extraFiles],
      exclude: settings.excludePatterns,
      tls,
      profile: settings.profile,
      debugger: settings.debugger,
      inspector: settings.inspector,
    });
    if (settings.profile) process.stdout.write(profileNotice(settings.profile));
    return reloader.close;
  }
  const app = await importApp(settings.spec);
  if (settings.debug) app.config.DEBUG = true;
  const server = createDevServer(app.gatewayApp, {
    debug: app.config.DEBUG,
    debugger: settings.debugger,
    inspector: settings.inspector,
    host: settings.host,
    port: settings.port,
    allowedHosts: app.config.TRUSTED_HOSTS ?? [],
    tls,
    profile: settings.profile,
  });
  await listenOn(server, { port: settings.port, host: settings.host }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE')
      throw new UsageError(
        `port ${settings.port} on ${settings.host} is already in use: stop the other server or pass another --port (0 picks a free one)`,
      );
    throw error;
  });
  const port = (server.address() as { port: number }).port;
  const url = devServerUrl(settings.host, port, tls !== null);
  process.stdout.write(
    banner({
      name: app.name,
      debug: app.config.DEBUG,
      debugger: settings.debugger,
      url,
      host: settings.host,
      colour: process.stdout.isTTY,
      adhoc: tls?.adhoc,
    }),
  );
  if (settings.profile) process.stdout.write(profileNotice(settings.profile));
  return () => new Promise((resolve) => server.close(() => resolve()));
}
