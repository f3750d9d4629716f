/** @module The settings of `flagon serve` (layer L5): defaults < flagon.config.{ts,mts,js,mjs} < `FLAGON_` environment < command line, as gunicorn orders them. */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect, parseArgs } from 'node:util';
import { registerTypeScript } from '../dev/app-loader.js';
import type { ServeSettings } from '../serving/serve-settings.js';
import { SERVE_DEFAULTS } from '../serving/serve.js';
import { invalidServeKeys } from '../validation/config-schema.js';
import { UsageError } from './run.js';

export { defineServeConfig, type ServeConfig, type ServeSettings } from '../serving/serve-settings.js';

/**
 * The config files looked for in the current folder, in order, when neither `--config` nor `FLAGON_CONFIG` names one.
 *
 * @example
 * SERVE_CONFIG_FILES[0]; // 'flagon.config.ts'
 */
export const SERVE_CONFIG_FILES = [
  'flagon.config.ts',
  'flagon.config.mts',
  'flagon.config.js',
  'flagon.config.mjs',
] as const;

type Key = Exclude<keyof ServeSettings, 'config'>;
type Kind = 'string' | 'list' | 'count' | 'workers' | 'boolean';

/** Each setting: its option, its variable (the app has none here: the loader reads FLAGON_APP), and its kind. */
const SETTINGS: Record<Key, { option: string; short?: string; env: string | null; kind: Kind }> = {
  app: { option: 'app', env: null, kind: 'string' },
  bind: { option: 'bind', short: 'b', env: 'FLAGON_BIND', kind: 'list' },
  workers: { option: 'workers', short: 'w', env: 'FLAGON_WORKERS', kind: 'workers' },
  timeout: { option: 'timeout', short: 't', env: 'FLAGON_TIMEOUT', kind: 'count' },
  gracefulTimeout: { option: 'graceful-timeout', env: 'FLAGON_GRACEFUL_TIMEOUT', kind: 'count' },
  maxRequests: { option: 'max-requests', env: 'FLAGON_MAX_REQUESTS', kind: 'count' },
  maxRequestsJitter: { option: 'max-requests-jitter', env: 'FLAGON_MAX_REQUESTS_JITTER', kind: 'count' },
  keepAlive: { option: 'keep-alive', env: 'FLAGON_KEEP_ALIVE', kind: 'count' },
  accessLog: { option: 'access-log', env: 'FLAGON_ACCESS_LOG', kind: 'string' },
  forwardedAllowIps: { option: 'forwarded-allow-ips', env: 'FLAGON_FORWARDED_ALLOW_IPS', kind: 'list' },
  cert: { option: 'cert', env: 'FLAGON_CERT', kind: 'string' },
  key: { option: 'key', env: 'FLAGON_KEY', kind: 'string' },
  preload: { option: 'preload', env: 'FLAGON_PRELOAD', kind: 'boolean' },
};
const KEYS = Object.keys(SETTINGS) as Key[];

/** What each kind of value must be, for the error messages. */
const MUST_BE: Record<Kind, string> = {
  string: 'a non-empty string',
  list: 'a non-empty string or a list of them',
  count: 'a whole number from 0',
  workers: 'a whole number from 1',
  boolean: 'true or false (in the environment: 1, true, yes, 0, false or no)',
};

/**
 * `flagon serve --help`: every option with its default and its environment variable.
 *
 * @example
 * process.stdout.write(SERVE_HELP);
 */
export const SERVE_HELP = `flagon serve [options]
  -c, --config FILE             the settings file: its default export is an object of the settings below, by
                                their camelCase names, or a function returning one (FLAGON_CONFIG; default:
                                flagon.config.ts, .mts, .js or .mjs in this folder, the first found)
  --app PATH[:NAME]             the app's module (config: app; else FLAGON_APP, else app.ts, src/app.ts…)
  -b, --bind ADDRESS            where to listen: HOST:PORT, [IPv6]:PORT or unix:/PATH; repeat for more
                                (FLAGON_BIND, separated by commas or spaces; default 127.0.0.1:8000)
  -w, --workers N               worker processes (FLAGON_WORKERS; default: the CPU count)
  -t, --timeout SECONDS         a worker whose event loop is blocked this long is replaced; 0 turns it off
                                (FLAGON_TIMEOUT; default 30)
  --graceful-timeout SECONDS    on SIGTERM/SIGINT, how long requests in flight may take before the workers
                                are killed (FLAGON_GRACEFUL_TIMEOUT; default 30)
  --max-requests N              replace a worker after N requests; 0: never (FLAGON_MAX_REQUESTS; default 0)
  --max-requests-jitter N       add a random 0..N to each worker's --max-requests
                                (FLAGON_MAX_REQUESTS_JITTER; default 0)
  --keep-alive SECONDS          how long an idle keep-alive connection stays open
                                (FLAGON_KEEP_ALIVE; default ${SERVE_DEFAULTS.keepAliveTimeout / 1000})
  --access-log FILE|-           write an access log (combined format) to FILE, or '-' for standard output
                                (FLAGON_ACCESS_LOG; default: none)
  --forwarded-allow-ips IPS     proxies whose X-Forwarded-* headers are trusted, comma-separated; '*' for all
                                (FLAGON_FORWARDED_ALLOW_IPS; default 127.0.0.1,::1)
  --cert FILE                   serve HTTPS with this PEM certificate; needs --key (FLAGON_CERT)
  --key FILE                    the certificate's private key, PEM; needs --cert (FLAGON_KEY)
  --preload                     load the app in the primary before forking (FLAGON_PRELOAD=1)
  Later sources win: defaults, then the config file, then FLAGON_ variables, then the command line.
  Never debug, never the reloader. A worker that dies is replaced; one that fails to boot stops the server.
`;

/**
 * Merges `flagon serve`'s settings as gunicorn does: defaults < config file < `FLAGON_` environment < command line,
 * key by key (a list from a later source replaces the earlier one). The config file is `--config`/`-c`, else
 * `FLAGON_CONFIG`, else the first of {@link SERVE_CONFIG_FILES} in `cwd`. `FLAGON_APP` is left to the app loader
 * (`app` stays `undefined` when it is set and `--app` is not), and `FLAGON_DEBUG` means nothing here. An empty
 * variable counts as unset. A wrong value, an unknown key, a missing `--config` file, one that fails to load, or
 * `cert` without `key` throws a {@link UsageError} naming where the value came from and the fix.
 *
 * @example
 * const settings = await resolveServeSettings(process.argv.slice(3), process.env, process.cwd());
 * // flagon.config.ts says workers: 4, FLAGON_WORKERS=8, --workers 2 → settings.workers === 2
 */
export async function resolveServeSettings(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<ServeSettings> {
  const flags = parseFlags(args);
  const merged: Partial<Record<Key, unknown>> = {};
  const origin: Partial<Record<Key, string>> = {};
  const set = (key: Key, value: unknown, where: string): void => {
    merged[key] = value;
    origin[key] = where;
  };

  const file = configFile(flags.config, env.FLAGON_CONFIG || undefined, cwd);
  if (file !== null) {
    const name = shown(file, cwd);
    for (const [key, value] of Object.entries(await loadConfigFile(file, name))) {
      set(key as Key, fromFile(key as Key, value), name);
    }
  }
  for (const key of KEYS) {
    const variable = SETTINGS[key].env;
    const text = variable === null ? undefined : env[variable];
    if (variable !== null && text) set(key, fromText(key, text, `${variable}=${quote(text)}`), variable);
  }
  // FLAGON_APP beats the config file's app, as every variable does; the loader reads it, so leave app unset.
  if (env.FLAGON_APP && origin.app !== undefined && flags.values.app === undefined) {
    delete merged.app;
    delete origin.app;
  }
  for (const key of KEYS) {
    const value = flags.values[key];
    if (value === undefined) continue;
    const option = `--${SETTINGS[key].option}`;
    if (typeof value === 'boolean') set(key, value, option);
    // Each --bind is one address, as written (a UNIX socket's path may hold a space).
    else if (Array.isArray(value))
      set(
        key,
        value.map((text) => oneAddress(text, option)),
        option,
      );
    else set(key, fromText(key, value, `${option} ${value}`), option);
  }

  const cert = (merged.cert as string | null | undefined) ?? null;
  const key = (merged.key as string | null | undefined) ?? null;
  if (cert?.toLowerCase() === 'adhoc')
    throw new UsageError(
      `cert is adhoc (by ${origin.cert}): a throwaway certificate is for development (flagon run --cert adhoc). Give flagon serve a real certificate and key, or let nginx terminate TLS.`,
    );
  if ((cert === null) !== (key === null)) {
    const [given, missing] = cert !== null ? (['cert', 'key'] as const) : (['key', 'cert'] as const);
    throw new UsageError(
      `${given} is set (by ${origin[given]}) but ${missing} is not: HTTPS needs both. Pass --${missing} FILE (or set ${SETTINGS[missing].env}, or ${missing} in the config file), or drop ${given} for plain HTTP.`,
    );
  }
  return {
    app: merged.app as string | undefined,
    bind: (merged.bind as string[] | undefined) ?? ['127.0.0.1:8000'],
    workers: (merged.workers as number | undefined) ?? availableParallelism(),
    timeout: (merged.timeout as number | undefined) ?? 30,
    gracefulTimeout: (merged.gracefulTimeout as number | undefined) ?? 30,
    maxRequests: (merged.maxRequests as number | undefined) ?? 0,
    maxRequestsJitter: (merged.maxRequestsJitter as number | undefined) ?? 0,
    keepAlive: (merged.keepAlive as number | undefined) ?? SERVE_DEFAULTS.keepAliveTimeout / 1000,
    accessLog: (merged.accessLog as string | null | undefined) ?? null,
    forwardedAllowIps: (merged.forwardedAllowIps as string[] | undefined) ?? ['127.0.0.1', '::1'],
    cert,
    key,
    preload: (merged.preload as boolean | undefined) ?? false,
    config: file,
  };
}

interface Flags {
  values: Partial<Record<Key, string | string[] | boolean>>;
  config: string | undefined;
}

function parseFlags(args: string[]): Flags {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    config: { type: 'string', short: 'c' },
  };
  for (const key of KEYS) {
    const { option, short, kind } = SETTINGS[key];
    options[option] = { type: kind === 'boolean' ? 'boolean' : 'string', ...(short ? { short } : {}) };
    if (key === 'bind') options[option].multiple = true;
  }
  let values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw error;
    throw new UsageError(`${(error as Error).message} ('flagon serve --help' lists the options)`);
  }
  const picked: Flags['values'] = {};
  for (const key of KEYS) {
    const value = values[SETTINGS[key].option];
    if (value !== undefined) picked[key] = value as string | string[] | boolean;
  }
  return { values: picked, config: values.config as string | undefined };
}

/** The config file to read: the one named (which must exist), else the first candidate found in `cwd`, else null. */
function configFile(option: string | undefined, variable: string | undefined, cwd: string): string | null {
  const named = option ?? variable;
  if (named !== undefined) {
    const file = resolve(cwd, named);
    if (!existsSync(file) || !statSync(file).isFile()) {
      const by = option !== undefined ? `--config ${quote(named)}` : `FLAGON_CONFIG=${quote(named)}`;
      throw new UsageError(
        `${by}: no such file (looked for ${file}). Pass the path of a flagon.config.ts file, or leave it out to use ${SERVE_CONFIG_FILES.join(', ')} from the current folder when there is one.`,
      );
    }
    return file;
  }
  for (const candidate of SERVE_CONFIG_FILES) {
    const file = resolve(cwd, candidate);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

/** Imports a config file as the app loader imports a .ts app (tsx), and returns its checked settings. */
async function loadConfigFile(file: string, name: string): Promise<Record<string, unknown>> {
  await registerTypeScript();
  let module: { default?: unknown };
  try {
    // The modification time in the URL: a changed file is read afresh (a reload in the same process).
    module = (await import(`${pathToFileURL(file).href}?mtime=${statSync(file, { bigint: true }).mtimeNs}`)) as {
      default?: unknown;
    };
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${name}: could not load the config file: ${cause}`, { cause: error });
  }
  let config = module.default;
  if (typeof config === 'function') {
    try {
      config = await (config as () => unknown)();
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      throw new UsageError(`${name}: the config function threw: ${cause}`, { cause: error });
    }
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new UsageError(
      `${name}: the default export must be an object of settings (or a function returning one), not ${config === undefined ? 'missing' : inspect(config)}. Write: export default defineServeConfig({ workers: 4 });`,
    );
  }
  const values = config as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (!(KEYS as string[]).includes(key)) {
      const guess = closest(key);
      throw new UsageError(
        `${name}: unknown key '${key}'${guess ? ` (did you mean ${guess}?)` : ''}. The keys are: ${KEYS.join(', ')}.`,
      );
    }
  }
  const wrong = invalidServeKeys(Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)));
  const first = wrong[0] as Key | undefined;
  if (first !== undefined) {
    const kind = SETTINGS[first].kind;
    const nullable = first === 'accessLog' || first === 'cert' || first === 'key' ? ' or null' : '';
    throw new UsageError(`${name}: ${first} must be ${MUST_BE[kind]}${nullable}, not ${inspect(values[first])}.`);
  }
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/** A config file's value, checked already, in the settings' shape (lists from one string). */
function fromFile(key: Key, value: unknown): unknown {
  if (SETTINGS[key].kind === 'list' && typeof value === 'string') return splitList(key, value);
  if (Array.isArray(value)) return [...(value as string[])];
  return value;
}

/** A value written as text (a variable or an option), parsed by its kind; `where` names the source in errors. */
function fromText(key: Key, text: string, where: string): unknown {
  const kind = SETTINGS[key].kind;
  const fail = (): never => {
    throw new UsageError(`${where}: ${key} must be ${MUST_BE[kind]}.`);
  };
  switch (kind) {
    case 'string':
      return text.trim() === '' ? fail() : text;
    case 'list': {
      const list = splitList(key, text);
      return list.length === 0 && key === 'bind' ? fail() : list;
    }
    case 'count':
    case 'workers': {
      const trimmed = text.trim();
      const value = Number(trimmed);
      if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value) || (kind === 'workers' && value < 1)) fail();
      return value;
    }
    case 'boolean': {
      const word = text.trim().toLowerCase();
      if (['1', 'true', 'yes'].includes(word)) return true;
      if (['0', 'false', 'no'].includes(word)) return false;
      return fail();
    }
  }
}

/** One `--bind` value: any non-empty text (prefork's parseBind checks the address itself). */
function oneAddress(text: string, option: string): string {
  if (text.trim() === '')
    throw new UsageError(`${option} '': bind must be an address (HOST:PORT, [IPv6]:PORT or unix:/PATH).`);
  return text;
}

/** `FLAGON_BIND` takes commas or spaces between addresses; the IP lists, commas (spaces around them are dropped). */
function splitList(key: Key, text: string): string[] {
  return text
    .split(key === 'bind' ? /[\s,]+/ : /\s*,\s*/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** The known key nearest to a typo (at most two edits, or one that starts the same), or null. */
function closest(typo: string): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const key of KEYS) {
    const distance = editDistance(typo.toLowerCase(), key.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [key, distance];
  }
  return best ?? KEYS.find((key) => key.toLowerCase().startsWith(typo.toLowerCase()) && typo.length >= 3) ?? null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A file's name as the user knows it: relative to the current folder when inside it. */
function shown(file: string, cwd: string): string {
  const path = relative(cwd, file);
  return path && !path.startsWith('..') && !isAbsolute(path) ? path : file;
}

function quote(text: string): string {
  return `'${text}'`;
}
