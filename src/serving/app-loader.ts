/** @module Finding and loading the app for `flagon run`, `routes` and `shell` (layer L4): Flask's discovery rules, `.env` files, TypeScript through tsx. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';
import type { App } from '../app/app.js';

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
 * Where an app lives: its module file and, when given, the export to use (`--app src/main.ts:api`, or a factory
 * call, `--app main.ts:createApp()`).
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
  override readonly name = 'NoAppError';
}

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
    const split = /^(.*?):([A-Za-z_$][\w$]*(?:\(\))?)$/.exec(given);
    const [path, name] = split && split[1] ? [split[1], split[2]!] : [given, null];
    for (const candidate of [path, `${path}.ts`, `${path}.js`, join(path, 'app.ts'), join(path, 'app.js')]) {
      const file = resolve(cwd, candidate);
      if (existsSync(file) && statSync(file).isFile()) return { file, name };
    }
    throw new NoAppError(`Could not find the app '${given}' (looked for ${path}, ${path}.ts, ${path}.js and ${path}/app.ts from ${cwd}). Pass the file with --app PATH[:NAME] or set FLAGON_APP.`);
  }
  for (const candidate of APP_CANDIDATES) {
    const file = join(cwd, candidate);
    if (existsSync(file)) return { file, name: null };
  }
  throw new NoAppError(`Could not locate a Flagon app: no --app, no FLAGON_APP, and none of ${APP_CANDIDATES.join(', ')} in ${cwd}. Pass the file with --app PATH[:NAME], set FLAGON_APP, or create app.ts.`);
}

/**
 * The project's root for an app file: the nearest folder holding a `package.json`, or the app's own folder. The
 * reloader watches it; `.env` files are looked for from the app's folder up to it.
 *
 * @example
 * projectRoot('/srv/notes/src/app.ts'); // '/srv/notes' when /srv/notes/package.json exists
 */
export function projectRoot(appFile: string): string {
  for (let dir = dirname(appFile); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(appFile);
  }
}

/**
 * Reads `.flagonenv` then `.env` (which wins) from the app's folder, or the nearest one above it inside the project,
 * as Flask reads `.flaskenv` and `.env`. Variables already in the environment win over both, as in python-dotenv.
 * Returns the values to set, and the files read (the reloader watches them).
 *
 * @example
 * const { values } = readDotenv('/srv/notes/app.ts');
 * for (const [key, value] of Object.entries(values)) process.env[key] ??= value;
 */
export function readDotenv(appFile: string, env: NodeJS.ProcessEnv = process.env): { values: Record<string, string>; files: string[] } {
  const root = projectRoot(appFile);
  const values: Record<string, string> = {};
  const files: string[] = [];
  for (const name of ['.flagonenv', '.env']) {
    for (let dir = dirname(appFile); ; dir = dirname(dir)) {
      const file = join(dir, name);
      if (existsSync(file)) {
        files.push(file);
        for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
          if (env[key] === undefined && value !== undefined) values[key] = value;
        }
        break;
      }
      if (dir === root || dirname(dir) === dir) break;
    }
  }
  return { values, files };
}

/**
 * Makes TypeScript importable in this process (tsx's loader: esbuild strips types and lowers decorators) and turns
 * on source maps, so stacks point at `.ts` lines. Idempotent.
 *
 * @example
 * await registerTypeScript();
 * const module = await import('/srv/app/app.ts');
 */
export async function registerTypeScript(): Promise<void> {
  if (registered) return;
  registered = true;
  process.setSourceMapsEnabled(true);
  const { register } = await import('tsx/esm/api');
  register();
}
let registered = false;

/**
 * Imports the app's module and picks the App: the export named in the spec (called, if it is a factory), else the
 * `app` export, the default export, or a `createApp()`/`makeApp()` factory. Async factories are awaited.
 *
 * @example
 * const app = await importApp(locateApp(undefined, process.cwd()));
 */
export async function importApp(spec: AppSpec): Promise<App> {
  await registerTypeScript();
  const module = (await import(pathToFileURL(spec.file).href)) as Record<string, unknown>;
  const where = `'${spec.file}'`;
  let value: unknown;
  if (spec.name !== null) {
    const name = spec.name.replace(/\(\)$/, '');
    if (!(name in module)) throw new NoAppError(`${where} has no export named '${name}'. It exports: ${Object.keys(module).join(', ') || 'nothing'}.`);
    value = module[name];
    if (typeof value === 'function' && (spec.name.endsWith('()') || !isApp(value))) value = await (value as () => unknown)();
  } else if (isApp(module.app)) value = module.app;
  else if (isApp(module.default)) value = module.default;
  else {
    const factory = FACTORIES.find((name) => typeof module[name] === 'function');
    if (factory === undefined) throw new NoAppError(`${where} exports no app: export it as 'app' (export const app = new App(import.meta.url)), as the default export, or export a createApp() factory; or name it with --app ${spec.file}:NAME.`);
    value = await (module[factory] as () => unknown)();
  }
  if (!isApp(value)) throw new NoAppError(`The export picked from ${where} is not a Flagon App (it has no gatewayApp). Export the App itself, or a factory that returns one.`);
  return value;
}

function isApp(value: unknown): value is App {
  return typeof value === 'object' && value !== null && typeof (value as { gatewayApp?: unknown }).gatewayApp === 'function' && 'router' in value;
}
