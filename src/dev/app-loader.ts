/** @module Finding and loading the app for `flagon run`, `routes` and `shell` (layer L4): Flask's discovery rules, `.env` files, TypeScript through tsx. */
import { spawnSync } from 'node:child_process';
import { inspect } from 'node:util';
import { existsSync, readFileSync, statSync } from 'node:fs';
import Module, { createRequire, register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';
import type { App } from '../app/app.js';
import { parseFactoryCall } from './factory-call.js';
import { commonJsProblem, formatHooksUrl, moduleFormat } from './module-format.js';

/**
 * The files tried, in order, when neither `--app` nor `FLAGON_APP` names one (Flask tries `app.py` and `wsgi.py`).
 *
 * @example
 * APP_CANDIDATES[0]; // 'app.ts'
 */
export const APP_CANDIDATES = ['app.ts', 'src/app.ts', 'app.js', 'src/app.js'] as const;
/** Factory names tried when a module exports no `app` and no default (Flask's `create_app`, `make_app`). */
const FACTORIES = ['createApp', 'makeApp'] as const;

/**
 * Where an app lives: its module file and, when given, the export to use (`--app src/main.ts:api`), or a factory call
 * (`--app main.ts:createApp()`, with literal arguments as Flask takes them: `main.ts:createApp('testing')`).
 *
 * @example
 * const spec: AppSpec = { file: '/srv/app/src/app.ts', name: null };
 */
export interface AppSpec {
  file: string;
  name: string | null;
}

/**
 * A user mistake in locating or loading the app: the message says what was tried and how to fix it.
 *
 * @example
 * try { locateApp(undefined, process.cwd()); } catch (error) { if (error instanceof NoAppError) console.error(error.message); }
 */
export class NoAppError extends Error {
  override readonly name: string = 'NoAppError';
}

/**
 * The app's module was found but failed to load (an import, a syntax error, a throw at its top level): a
 * {@link NoAppError} that `flagon --help` reports even when no app was asked for.
 *
 * @example
 * if (error instanceof AppLoadError) console.error(error.message); // While importing 'app.ts', an error was raised: …
 */
export class AppLoadError extends NoAppError {
  override readonly name: string = 'AppLoadError';
}

const MODULE_EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/**
 * Finds the app's module as Flask does: `--app` (`PATH[:NAME]`), then `FLAGON_APP`, then the first of
 * {@link APP_CANDIDATES} in `cwd`. A path may leave out `.ts`/`.js`, or name a folder holding `app.ts`.
 *
 * @example
 * locateApp('examples/notes-app/app.ts', process.cwd()); // { file: '/…/examples/notes-app/app.ts', name: null }
 * locateApp('server.ts:api', process.cwd());             // { file: '/…/server.ts', name: 'api' }
 */
export function locateApp(option: string | undefined, cwd: string, env: NodeJS.ProcessEnv = process.env): AppSpec {
  const given = option || env.FLAGON_APP || '';
  if (given) {
    const [path, name] = splitAppOption(given);
    for (const candidate of [path, `${path}.ts`, `${path}.js`, join(path, 'app.ts'), join(path, 'app.js')]) {
      const file = resolve(cwd, candidate);
      if (!existsSync(file) || !statSync(file).isFile()) continue;
      if (!MODULE_EXTENSIONS.test(file))
        throw new NoAppError(
          `'${path}' is not a JavaScript or TypeScript module (.ts, .mts, .cts, .js, .mjs, .cjs): pass the app's module with --app PATH[:NAME].`,
        );
      return { file, name };
    }
    throw new NoAppError(
      `Could not find the app '${given}' (looked for ${path}, ${path}.ts, ${path}.js and ${path}/app.ts from ${cwd}). Pass the file with --app PATH[:NAME] or set FLAGON_APP.`,
    );
  }
  for (const candidate of APP_CANDIDATES) {
    const file = join(cwd, candidate);
    if (existsSync(file)) return { file, name: null };
  }
  throw new NoAppError(
    `Could not locate a Flagon app: no --app, no FLAGON_APP, and none of ${APP_CANDIDATES.join(', ')} in ${cwd}. Pass the file with --app PATH[:NAME], set FLAGON_APP, or create app.ts.`,
  );
}

/**
 * `PATH:NAME` split at the first colon after which a name or a factory call follows (`app.ts:createApp('dev')`; a
 * colon inside the call's arguments stays there); `[given, null]` when there is none.
 */
function splitAppOption(given: string): [string, string | null] {
  for (let colon = given.indexOf(':'); colon > 0; colon = given.indexOf(':', colon + 1)) {
    const rest = given.slice(colon + 1);
    try {
      if (parseFactoryCall(rest) !== null) return [given.slice(0, colon), rest.trim()];
    } catch (error) {
      throw new NoAppError(`'${given}': ${(error as Error).message}.`);
    }
  }
  return [given, null];
}

/**
 * The project's root for an app file: the nearest folder holding a `package.json`, or the app's own folder. The
 * reloader watches it; `.env` files are looked for from the app's folder up to it.
 *
 * @example
 * projectRoot('/srv/notes/src/app.ts'); // '/srv/notes' when /srv/notes/package.json exists
 */
export function projectRoot(appFile: string): string {
  return packageRoot(dirname(appFile));
}

/** The nearest folder from `start` up that holds a `package.json`, or `start` itself. */
function packageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/**
 * Reads `.flagonenv` and `.env` as Flask reads `.flaskenv` and `.env`: first the nearest of each from `cwd` up to
 * its project root (python-dotenv's search from the current folder; this is where `FLAGON_APP` can be set), then,
 * when an app file is given, the nearest from the app's folder up to the app's project root. `.env` wins over
 * `.flagonenv`, the current folder's files over the app's, and variables already in the environment over all of
 * them. As `flask --env-file`, the file named by `FLAGON_ENV_FILE` (relative to `cwd`; `flagon -e FILE` sets it) wins
 * over both; as `FLASK_SKIP_DOTENV`, `FLAGON_SKIP_DOTENV=1` skips the two default files. Returns the values to set,
 * and the files read (the reloader watches them).
 *
 * @example
 * const early = readDotenv(null);                  // may set FLAGON_APP
 * for (const [key, value] of Object.entries(early.values)) process.env[key] ??= value;
 * const { values } = readDotenv(locateApp(undefined, process.cwd()).file);
 */
export function readDotenv(
  appFile: string | null,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): { values: Record<string, string>; files: string[] } {
  const values: Record<string, string> = {};
  const files: string[] = [];
  // Each layer in precedence order: within a layer the later file wins; across layers the first read wins.
  const layers: string[][] = [];
  const named = env.FLAGON_ENV_FILE ? resolve(cwd, env.FLAGON_ENV_FILE) : null;
  if (named !== null && isFile(named)) layers.push([named]);
  if (!skipsDefaultDotenv(env)) {
    const starts: Array<[string, string]> = [[resolve(cwd), packageRoot(resolve(cwd))]];
    if (appFile !== null) starts.push([dirname(appFile), projectRoot(appFile)]);
    for (const [start, root] of starts) {
      layers.push(['.flagonenv', '.env'].map((name) => nearest(name, start, root)).filter((file) => file !== null));
    }
  }
  for (const layer of layers) {
    const found = layer.filter((file) => !files.includes(file));
    files.push(...found);
    const merged: Record<string, string> = {};
    for (const file of found) Object.assign(merged, parseEnv(readFileSync(file, 'utf8')));
    for (const [key, value] of Object.entries(merged)) {
      if (env[key] === undefined && !(key in values)) values[key] = value;
    }
  }
  return { values, files };
}

/** Per environment object, the variables {@link applyDotenv} set in it from files (not there before). */
const fromFiles = new WeakMap<NodeJS.ProcessEnv, Set<string>>();

/**
 * Sets `values` (from {@link readDotenv}) in `env` where it has no such variable yet, and remembers which it set:
 * those came from files, so a reload reads them again from the files ({@link freshDotenv}) instead of keeping them.
 *
 * @example
 * applyDotenv(readDotenv(null).values); // process.env, where the current folder's .flagonenv and .env say
 */
export function applyDotenv(values: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): void {
  let set = fromFiles.get(env);
  if (set === undefined) fromFiles.set(env, (set = new Set()));
  for (const [key, value] of Object.entries(values)) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    set.add(key);
  }
}

/**
 * The dotenv files as they are now, for a process that inherited `env`: `values` to set, read against the variables
 * that did not come from files, and `unset`, the variables that did (set earlier by {@link applyDotenv}, perhaps
 * since edited or deleted), to clear first. The reloader sends both to each new child, so an edit to `.env` is in
 * the reloaded app.
 *
 * @example
 * const { values, unset } = freshDotenv('/srv/notes/app.ts');
 * for (const key of unset) delete process.env[key];
 */
export function freshDotenv(
  appFile: string | null,
  env: NodeJS.ProcessEnv = process.env,
): { values: Record<string, string>; unset: string[] } {
  const unset = [...(fromFiles.get(env) ?? [])];
  const real = { ...env };
  for (const key of unset) delete real[key];
  return { values: readDotenv(appFile, real).values, unset };
}

/** Flask's `get_load_dotenv`: a set `FLAGON_SKIP_DOTENV` skips the default files unless it is `0`, `false` or `no`. */
function skipsDefaultDotenv(env: NodeJS.ProcessEnv): boolean {
  const value = env.FLAGON_SKIP_DOTENV;
  return value !== undefined && value !== '' && !['0', 'false', 'no'].includes(value.toLowerCase());
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

/** The first `name` found from `start` up to `root` (inclusive), or null. */
function nearest(name: string, start: string, root: string): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, name);
    if (isFile(file)) return file;
    if (dir === root || dirname(dir) === dir) return null;
  }
}

/**
 * Makes TypeScript importable in this process (tsx's loader: esbuild strips types and lowers decorators), loads the
 * user's `.ts`/`.js` files written with `import`/`export` as ES modules whatever their package's `type` says (see
 * module-format.ts), and turns on source maps, so stacks point at `.ts` lines. Idempotent.
 *
 * @example
 * await registerTypeScript();
 * const module = await import('/srv/app/app.ts');
 */
export async function registerTypeScript(): Promise<void> {
  if (registered) return;
  registered = true;
  process.setSourceMapsEnabled(true);
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  // Registered after tsx, so it runs first and sees the format tsx resolved.
  register(formatHooksUrl(), import.meta.url);
}
let registered = false;

/**
 * Loads a CommonJS app (`.cts`, `.cjs`, or a file without `import`/`export`) through `require`, with tsx's
 * CommonJS hook for TypeScript. Its `require('flagon')` gets the Flagon already loaded here: tsx would otherwise
 * compile Flagon's ES modules into a second copy, whose App and request context the CLI would not share.
 */
async function requireApp(file: string): Promise<Record<string, unknown>> {
  if (!commonJsRegistered) {
    commonJsRegistered = true;
    const { register: registerTsx } = await import('tsx/cjs/api');
    registerTsx();
  }
  const problem = commonJsProblem(file, readFileSync(file, 'utf8'));
  if (problem !== null) throw new NoAppError(problem);
  const require = createRequire(file);
  await shareFlagon(require);
  const exported: unknown = require(file);
  if (typeof exported !== 'object' || exported === null || isApp(exported)) return { default: exported };
  return { ...(exported as Record<string, unknown>), default: exported };
}
let commonJsRegistered = false;

/** Puts each of Flagon's entry points, as imported here, into the require cache at the path the app resolves. */
async function shareFlagon(require: NodeJS.Require): Promise<void> {
  let manifest: string;
  try {
    manifest = require.resolve('flagon/package.json');
  } catch {
    return; // the app does not see a Flagon package: nothing to share
  }
  const entries = Object.keys(
    (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, unknown> }).exports ?? { '.': null },
  );
  for (const entry of entries.filter((subpath) => !subpath.endsWith('.json'))) {
    const filename = require.resolve(entry === '.' ? 'flagon' : `flagon/${entry.slice(2)}`);
    if (require.cache[filename]) continue;
    const shared = new Module(filename);
    shared.filename = filename;
    shared.exports = await import(pathToFileURL(filename).href);
    shared.loaded = true;
    require.cache[filename] = shared;
  }
}

/**
 * Imports the app's module and picks the App: the export named in the spec (called, if it is a factory), else the
 * `app` export, the default export, or a `createApp()`/`makeApp()` factory. Async factories are awaited. A file with
 * `import`/`export` (or `.mts`/`.mjs`) is imported as an ES module in any project; a CommonJS one (`.cts`, `.cjs`,
 * `module.exports = app`) is required, and its `module.exports` counts as the default export.
 *
 * @example
 * const app = await importApp(locateApp(undefined, process.cwd()));
 */
export async function importApp(spec: AppSpec): Promise<App> {
  await registerTypeScript();
  const module =
    moduleFormat(spec.file) === 'module'
      ? ((await import(pathToFileURL(spec.file).href).catch((error: unknown) => {
          throw explainLoadError(error, spec.file);
        })) as Record<string, unknown>)
      : await requireApp(spec.file).catch((error: unknown) => {
          throw error instanceof NoAppError ? error : explainLoadError(error, spec.file);
        });
  const where = `'${spec.file}'`;
  let value: unknown;
  if (spec.name !== null) {
    const call = parseFactoryCall(spec.name) ?? { name: spec.name, args: null };
    if (!(call.name in module))
      throw new NoAppError(
        `${where} has no export named '${call.name}'. It exports: ${Object.keys(module).join(', ') || 'nothing'}.`,
      );
    value = module[call.name];
    if (call.args !== null && typeof value !== 'function')
      throw new NoAppError(`'${call.name}' in ${where} is not a function, so it cannot be called as ${spec.name}.`);
    if (typeof value === 'function' && (call.args !== null || !isApp(value)))
      value = await (value as (...args: unknown[]) => unknown)(...(call.args ?? []));
  } else if (isApp(module.app)) value = module.app;
  else if (isApp(module.application)) value = module.application;
  else if (isApp(module.default)) value = module.default;
  else if (Object.values(module).some(isApp)) {
    // As Flask's find_best_app: the module's one App, whatever its name; several are a choice to make.
    const names = Object.keys(module).filter((key) => isApp(module[key]));
    // One App under two names (`export { web, web as server }`) is still one app: unlike Flask, which counts names,
    // since an ES module re-exports under a second name often.
    if (new Set(names.map((key) => module[key])).size > 1)
      throw new NoAppError(
        `${where} exports several apps (${names.join(', ')}): name the one to use with --app ${spec.file}:NAME.`,
      );
    value = module[names[0]!];
  } else {
    const factory = [...FACTORIES, 'default'].find((name) => typeof module[name] === 'function');
    if (factory === undefined)
      throw new NoAppError(
        `${where} exports no app: export it as 'app' (export const app = new App(import.meta.url)), as the default export, or export a createApp() factory; or name it with --app ${spec.file}:NAME.`,
      );
    value = await (module[factory] as () => unknown)();
  }
  if (!isApp(value))
    throw new NoAppError(
      `The export picked from ${where} is not a Flagon App (it has no gatewayApp). Export the App itself, or a factory that returns one.`,
    );
  return value;
}

/**
 * Why the app's module did not load, as a NoAppError the command prints in place of a crash (Flask's "While importing
 * …, an ImportError was raised"): the error and the frames of the user's own code. CommonJS names in a file Node runs
 * as an ES module (in a `"type": "module"` package) get the fix.
 */
function explainLoadError(error: unknown, file: string): AppLoadError {
  const match =
    error instanceof ReferenceError
      ? /^(module|exports|require|__filename|__dirname) is not defined/.exec(error.message)
      : null;
  if (!match) {
    const stack = error instanceof Error ? (error.stack ?? '').split('\n') : [];
    // Node's own frames (`node:internal/…`, and on Node 24 `node:diagnostics_channel`) and long data: URLs (tsx's
    // loader) say nothing about the user's code.
    const frames = stack.filter((line) => /^\s+at /.test(line) && !/[( ]node:|node_modules|data:/.test(line));
    // The whole message (esbuild's names the file and line), capped; for a JavaScript syntax error, its place.
    const message = error instanceof Error ? error.message : inspect(error, { maxStringLength: 2000 });
    const place = error instanceof SyntaxError && frames.length === 0 ? syntaxPlace(file) : '';
    const what = `${place}${error instanceof Error ? `${error.name}: ` : ''}${cap(message)}`;
    return new AppLoadError(
      `While importing '${file}', an error was raised: ${what}${frames.length > 0 ? `\n${frames.slice(0, 8).join('\n')}` : ''}`,
      { cause: error },
    );
  }
  const renamed = file.replace(/\.([jt])sx?$/, '.c$1s');
  return new AppLoadError(
    `${file} uses CommonJS ('${match[1]}') but is loaded as an ES module, because its package.json says "type": "module". Rename it to ${renamed}, or write it with import/export (export const app = new App(import.meta.url)).`,
    { cause: error },
  );
}

/**
 * Where a JavaScript file's syntax error is, as Node prints it (the file and line, the line, a caret): Node keeps
 * that out of an ES module's SyntaxError, so `node --check` is asked, only once loading has failed.
 */
function syntaxPlace(file: string): string {
  if (!/\.[cm]?js$/.test(file)) return '';
  const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  const lines = (check.stderr ?? '').split('\n');
  const end = lines.findIndex((line) => line.startsWith('SyntaxError'));
  return end > 0 ? `${lines.slice(0, end).join('\n').trim()}\n` : '';
}

/** At most 20 lines and 2,000 characters of an error's message. */
function cap(message: string): string {
  const lines = message.split('\n');
  const kept = lines.slice(0, 20).join('\n');
  return kept.length > 2000 || lines.length > 20 ? `${kept.slice(0, 2000)}\n…` : kept;
}

function isApp(value: unknown): value is App {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return typeof (value as { gatewayApp?: unknown }).gatewayApp === 'function' && 'router' in value;
  } catch {
    return false; // a re-exported proxy (`export { request } from 'flagon'`) throws outside a request: no App
  }
}
