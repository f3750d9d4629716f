/** @module Config (layer L3): Flask's keys and defaults, loaded from objects, JSON files and FLAGON_* environment variables, checked on load. */
import { readFileSync } from 'node:fs';
import { checkConfig, type ConfigValues } from '../validation/config-schema.js';
import type { AppConfig } from './declared-types.js';
import { FlagonError } from './errors.js';

/**
 * Flask's defaults, as documented for Flask 3.1 (sizes in bytes, durations in seconds). Two keys are Flagon's:
 * `JSON_PROTOTYPE_KEYS`, what `request.json()` does with `__proto__`, `constructor` and `prototype` keys, and
 * `MAX_BODY_MEMORY_SIZE`, the most a buffered body read (`bytes()`, `text()`, `json()`, urlencoded `form()`) holds in
 * memory, 1 MiB as Fastify's bodyLimit, since Flask's MAX_CONTENT_LENGTH of `null` would let any client fill memory.
 *
 * @example
 * DEFAULT_CONFIG.PERMANENT_SESSION_LIFETIME; // 2678400 (31 days)
 */
export const DEFAULT_CONFIG: Readonly<ConfigValues> = Object.freeze({
  DEBUG: false,
  TESTING: false,
  PROPAGATE_EXCEPTIONS: null,
  SECRET_KEY: null,
  SECRET_KEY_FALLBACKS: [],
  PERMANENT_SESSION_LIFETIME: 31 * 24 * 60 * 60,
  SESSION_COOKIE_NAME: 'session',
  SESSION_COOKIE_DOMAIN: null,
  SESSION_COOKIE_PATH: null,
  SESSION_COOKIE_HTTPONLY: true,
  SESSION_COOKIE_SECURE: false,
  SESSION_COOKIE_PARTITIONED: false,
  SESSION_COOKIE_SAMESITE: null,
  SESSION_REFRESH_EACH_REQUEST: true,
  MAX_CONTENT_LENGTH: null,
  MAX_FORM_MEMORY_SIZE: 500_000,
  MAX_FORM_PARTS: 1_000,
  MAX_BODY_MEMORY_SIZE: 1_048_576,
  MAX_COOKIE_SIZE: 4093,
  SEND_FILE_MAX_AGE_DEFAULT: null,
  SERVER_NAME: null,
  APPLICATION_ROOT: '/',
  PREFERRED_URL_SCHEME: 'http',
  TRUSTED_HOSTS: null,
  TEMPLATES_AUTO_RELOAD: null,
  PROVIDE_AUTOMATIC_OPTIONS: true,
  JSON_PROTOTYPE_KEYS: 'reject',
});

function check(values: Record<string, unknown>, source: string): void {
  const problems = checkConfig(values);
  if (problems.length > 0) {
    throw new FlagonError('FLAGON_ERR_CONFIG', `invalid config from ${source}:\n  ${problems.join('\n  ')}\nFix the value, or see DEFAULT_CONFIG for each key's type.`);
  }
}

/**
 * The app's settings: Flask's keys with their types, plus any key of your own (read as `unknown`). Every load is
 * checked against the schema and a wrong value throws an error that names the key.
 *
 * @example
 * app.config.fromObject({ SECRET_KEY: 'dev', MAX_CONTENT_LENGTH: 16 * 1024 * 1024 });
 * app.config.fromFile('config.json');
 * app.config.fromPrefixedEnv();        // FLAGON_DEBUG=true, FLAGON_DB__HOST=db → config.DB = { HOST: 'db' }
 */
export class ConfigStore {
  constructor(initial: Record<string, unknown> = {}) {
    Object.assign(this, DEFAULT_CONFIG);
    this.fromObject(initial);
  }

  /** Sets keys from an object; only upper-case keys are taken, as in Flask. */
  fromObject(values: Record<string, unknown>, source = 'an object'): this {
    const upper = Object.fromEntries(Object.entries(values).filter(([key]) => key === key.toUpperCase()));
    check(upper, source);
    Object.assign(this, upper);
    return this;
  }

  /** Sets keys from a JSON file. */
  fromFile(path: string): this {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new FlagonError('FLAGON_ERR_CONFIG', `cannot load config file ${path}: ${(error as Error).message}`, { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new FlagonError('FLAGON_ERR_CONFIG', `config file ${path} must hold a JSON object`);
    return this.fromObject(parsed as Record<string, unknown>, path);
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
        target = target[key] = typeof existing === 'object' && existing !== null ? { ...(existing as Record<string, unknown>) } : {};
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
