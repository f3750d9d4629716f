/** @module Config (layer L3): Flask's keys and defaults, loaded from objects, JSON files, modules and FLAGON_* environment variables, checked on load. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkConfig, type ConfigValues } from '../validation/config-schema.js';
import type { RequestOptions } from '../wrappers/request.js';
import type { AppConfig } from './declared-types.js';
import { DEFAULT_CONFIG } from './config-defaults.js';
import { FlagonError } from './errors.js';

function check(values: Record<string, unknown>, source: string): void {
  const problems = checkConfig(values);
  if (problems.length > 0) {
    throw new FlagonError(
      'FLAGON_ERR_CONFIG',
      `invalid config from ${source}:\n  ${problems.join('\n  ')}\nFix the value, or see DEFAULT_CONFIG for each key's type.`,
    );
  }
}

/**
 * Options of `config.fromFile()` and `config.fromModule()`.
 *
 * @example
 * app.config.fromFile('config.toml', { silent: true, load: parseToml });
 */
export interface ConfigFileOptions {
  /** A missing file (or a folder in its place) is no error and loads nothing, as Flask's `silent=True`. */
  silent?: boolean;
  /** `fromFile` only: turns the file's text into an object. Default `JSON.parse`. */
  load?: (text: string) => unknown;
}

/** The errors that mean "there is no such file", the ones `silent` forgives (Flask's ENOENT, EISDIR, ENOTDIR). */
const MISSING = new Set(['ENOENT', 'EISDIR', 'ENOTDIR']);

function missingFile(file: string, cause?: unknown): FlagonError {
  return new FlagonError(
    'FLAGON_ERR_CONFIG',
    `Unable to load configuration file: ${file} does not exist. Create it, or pass { silent: true } to make it optional.`,
    { cause },
  );
}

/**
 * A class whose static fields hold settings, for `config.fromObject`.
 *
 * @example
 * class Settings { static DEBUG = false }
 * const source: ConfigClass = Settings;
 */
export type ConfigClass = abstract new (...args: never[]) => unknown;

/**
 * An object's own entries; a class's static fields and getters, with its bases', each read on the class itself so a
 * subclass's value wins (`static get DATABASE() { return process.env.DB }` counts, as a property in Flask's dir()).
 */
function ownAndInherited(values: object): Array<[string, unknown]> {
  if (typeof values !== 'function') return Object.entries(values);
  const names = new Set<string>();
  for (let at: object | null = values; at !== null && at !== Function.prototype; at = Object.getPrototypeOf(at))
    for (const name of Object.getOwnPropertyNames(at)) if (name !== 'prototype') names.add(name);
  return [...names].map((name) => [name, Reflect.get(values, name) as unknown]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The app's settings: Flask's keys with their types, plus any key of your own (read as `unknown`). Every load is
 * checked against the schema and a wrong value throws an error that names the key. Relative file names are read
 * from `rootPath`: the app's folder, or its instance folder with `instanceRelativeConfig` (as Flask's `root_path`).
 *
 * @example
 * app.config.fromObject({ SECRET_KEY: 'dev', MAX_CONTENT_LENGTH: 16 * 1024 * 1024 });
 * app.config.fromFile('config.json');
 * app.config.fromPrefixedEnv();        // FLAGON_DEBUG=true, FLAGON_DB__HOST=db → config.DB = { HOST: 'db' }
 */
export class ConfigStore {
  readonly #rootPath: string;

  constructor(initial: Record<string, unknown> = {}, options: { rootPath?: string } = {}) {
    this.#rootPath = options.rootPath ?? process.cwd();
    Object.assign(this, DEFAULT_CONFIG);
    this.fromObject(initial);
  }

  /** The folder relative file names are read from (a getter, so it is never taken for a config key). */
  get rootPath(): string {
    return this.#rootPath;
  }

  /**
   * A key's value, or `fallback` when it is not set: Flask's `config.get('KEY', default)`, in code and in templates.
   *
   * @example
   * app.config.get('MAIL_SERVER', 'localhost');
   */
  get(key: string, fallback?: unknown): unknown {
    const value = Object.hasOwn(this, key) ? (this as Record<string, unknown>)[key] : undefined;
    return value === undefined ? fallback : value;
  }

  /**
   * Sets keys from an object, or from a class's static fields with those it inherits (Flask's config classes, a
   * `ProductionConfig` that extends a `Config`); only upper-case keys are taken, as in Flask.
   *
   * @example
   * class Settings { static DEBUG = false; static DATABASE = 'app.db' }
   * class Production extends Settings { static DATABASE = '/var/lib/app/app.db' }
   * app.config.fromObject(Production); // DEBUG false, DATABASE the production one
   */
  fromObject(values: Record<string, unknown> | ConfigClass, source = 'an object'): this {
    const upper = Object.fromEntries(ownAndInherited(values).filter(([key]) => key === key.toUpperCase()));
    check(upper, source);
    Object.assign(this, upper);
    return this;
  }

  /**
   * Sets keys from a JSON file (or another format, with `load`), Flask's `from_file`. A relative path is read from
   * `rootPath`; a missing file is an error that names its path, unless `silent`.
   *
   * @example
   * app.config.fromFile('config.json', { silent: true });
   */
  fromFile(path: string, options: ConfigFileOptions = {}): this {
    const file = resolve(this.#rootPath, path);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (options.silent && MISSING.has(code)) return this;
      if (code === 'ENOENT') throw missingFile(file, error);
      throw new FlagonError('FLAGON_ERR_CONFIG', `cannot load config file ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    let parsed: unknown;
    try {
      parsed = (options.load ?? JSON.parse)(text);
    } catch (error) {
      throw new FlagonError('FLAGON_ERR_CONFIG', `cannot load config file ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!isObject(parsed))
      throw new FlagonError('FLAGON_ERR_CONFIG', `config file ${file} must hold an object (JSON's { … })`);
    return this.fromObject(parsed, file);
  }

  /**
   * Sets keys from a `.js` or `.ts` module, Flask's `from_pyfile`: its upper-case exports (`export const
   * SECRET_KEY = …`), over the upper-case keys of a default-exported object. A relative path is read from
   * `rootPath`. A `.ts` module needs a TypeScript loader in the process, which `flagon` and tsx provide.
   *
   * @example
   * await app.config.fromModule('config.ts', { silent: true });
   */
  async fromModule(path: string, options: Pick<ConfigFileOptions, 'silent'> = {}): Promise<this> {
    const file = resolve(this.#rootPath, path);
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (options.silent) return this;
      throw missingFile(file);
    }
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      const hint =
        (error as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION'
          ? ' Node cannot import TypeScript by itself: run the app with flagon (or tsx), or write the config as .js or .json.'
          : '';
      throw new FlagonError(
        'FLAGON_ERR_CONFIG',
        `cannot load config module ${file}: ${(error as Error).message}${hint}`,
        { cause: error },
      );
    }
    const { default: fallback, ...named } = module;
    return this.fromObject({ ...(isObject(fallback) ? fallback : {}), ...named }, file);
  }

  /**
   * Flask's `from_envvar`: {@link ConfigStore.fromModule} on the file an environment variable names. Resolves `true`
   * when a file was loaded; an unset variable is an error that says so, or `false` with `silent`.
   *
   * @example
   * await app.config.fromEnvvar('NOTES_SETTINGS', { silent: true }); // NOTES_SETTINGS=/etc/notes/config.js
   */
  async fromEnvvar(
    name: string,
    options: Pick<ConfigFileOptions, 'silent'> & { env?: Record<string, string | undefined> } = {},
  ): Promise<boolean> {
    const path = (options.env ?? process.env)[name];
    if (!path) {
      if (options.silent) return false;
      throw new FlagonError(
        'FLAGON_ERR_CONFIG',
        `The environment variable '${name}' is not set and as such configuration could not be loaded. Set this variable and make it point to a configuration file.`,
      );
    }
    const file = resolve(this.#rootPath, path);
    if (options.silent && !(existsSync(file) && statSync(file).isFile())) return false;
    await this.fromModule(file);
    return true;
  }

  /**
   * Flask's `get_namespace`: the keys that start with `namespace`, without it (unless `trimNamespace: false`) and
   * lower-cased (unless `lowercase: false`), e.g. to hand a library its options.
   *
   * @example
   * app.config.getNamespace('MAIL_'); // { server: 'smtp.example.com', port: 587 } from MAIL_SERVER, MAIL_PORT
   */
  getNamespace(
    namespace: string,
    options: { lowercase?: boolean; trimNamespace?: boolean } = {},
  ): Record<string, unknown> {
    const found: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) {
      if (!key.startsWith(namespace)) continue;
      let name = options.trimNamespace === false ? key : key.slice(namespace.length);
      if (options.lowercase !== false) name = name.toLowerCase();
      found[name] = value;
    }
    return found;
  }

  /**
   * Sets keys from environment variables starting with `prefix_`: the rest of the name is the key, `__` nests into
   * objects, and values are JSON-decoded when they parse (`true`, `3`, `["a"]`), else kept as text.
   */
  fromPrefixedEnv(prefix = 'FLAGON', env: Record<string, string | undefined> = process.env): this {
    const values: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(env)) {
      if (raw === undefined || !name.startsWith(`${prefix}_`)) continue;
      let value: unknown = raw;
      try {
        value = JSON.parse(raw);
      } catch {
        // plain text
      }
      const path = name.slice(prefix.length + 1).split('__');
      let target: Record<string, unknown> = values;
      for (const key of path.slice(0, -1)) {
        const existing = target[key] ?? (this as Record<string, unknown>)[key];
        target = target[key] =
          typeof existing === 'object' && existing !== null ? { ...(existing as Record<string, unknown>) } : {};
      }
      target[path[path.length - 1]!] = value;
    }
    return this.fromObject(values, `${prefix}_* environment variables`);
  }
}

/**
 * `app.config`: the store's methods, Flask's keys with their types, the keys your app declares in `AppConfig`, and
 * any other key as `unknown`.
 *
 * @example
 * const secret: string | null = app.config.SECRET_KEY;
 */
export type Config = ConfigStore & ConfigValues & AppConfig & Record<string, unknown>;

/**
 * The request limits of `config`, read when a Request is made, so a config change applies to the next request.
 *
 * @example
 * const request = new Request(environ, requestOptionsOf(app.config));
 */
export function requestOptionsOf(config: Config): RequestOptions {
  return {
    get maxContentLength() {
      return config.MAX_CONTENT_LENGTH;
    },
    get maxFormMemorySize() {
      return config.MAX_FORM_MEMORY_SIZE;
    },
    get maxFormParts() {
      return config.MAX_FORM_PARTS;
    },
    get maxBodyMemorySize() {
      return config.MAX_BODY_MEMORY_SIZE;
    },
    get trustedHosts() {
      return config.TRUSTED_HOSTS;
    },
    get debug() {
      return config.DEBUG;
    },
    get jsonPrototypeKeys() {
      return config.JSON_PROTOTYPE_KEYS;
    },
  };
}
