/** @module Flask's config keys and their defaults (layer L3), the values every `app.config` starts from. */
import type { ConfigValues } from '../validation/config-schema.js';

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
  TRAP_HTTP_EXCEPTIONS: false,
  TRAP_BAD_REQUEST_ERRORS: null,
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
