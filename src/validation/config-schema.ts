/** @module The schema of Flagon's config keys (layer L3): Flask's names and defaults, checked with zod (the one file that imports it). */
import { z } from 'zod';

const seconds = z.number().int().nonnegative();

/**
 * Flask's config keys that Flagon knows, with their types. Unknown keys are the application's own and pass through.
 *
 * @example
 * CONFIG_SCHEMA.shape.DEBUG.parse(true); // true
 */
export const CONFIG_SCHEMA = z.object({
  DEBUG: z.boolean(),
  TESTING: z.boolean(),
  PROPAGATE_EXCEPTIONS: z.boolean().nullable(),
  TRAP_HTTP_EXCEPTIONS: z.boolean(),
  TRAP_BAD_REQUEST_ERRORS: z.boolean().nullable(),
  SECRET_KEY: z.string().min(1).nullable(),
  SECRET_KEY_FALLBACKS: z.array(z.string().min(1)),
  PERMANENT_SESSION_LIFETIME: seconds,
  SESSION_COOKIE_NAME: z.string().min(1),
  SESSION_COOKIE_DOMAIN: z.string().nullable(),
  SESSION_COOKIE_PATH: z.string().nullable(),
  SESSION_COOKIE_HTTPONLY: z.boolean(),
  SESSION_COOKIE_SECURE: z.boolean(),
  SESSION_COOKIE_PARTITIONED: z.boolean(),
  SESSION_COOKIE_SAMESITE: z.enum(['Strict', 'Lax', 'None']).nullable(),
  SESSION_REFRESH_EACH_REQUEST: z.boolean(),
  MAX_CONTENT_LENGTH: z.number().int().nonnegative().nullable(),
  MAX_FORM_MEMORY_SIZE: z.number().int().nonnegative().nullable(),
  MAX_FORM_PARTS: z.number().int().nonnegative().nullable(),
  MAX_BODY_MEMORY_SIZE: z.number().int().nonnegative().nullable(),
  MAX_COOKIE_SIZE: z.number().int().nonnegative(),
  SEND_FILE_MAX_AGE_DEFAULT: seconds.nullable(),
  SERVER_NAME: z.string().min(1).nullable(),
  APPLICATION_ROOT: z.string().startsWith('/'),
  PREFERRED_URL_SCHEME: z.enum(['http', 'https']),
  TRUSTED_HOSTS: z.array(z.string().min(1)).nullable(),
  TEMPLATES_AUTO_RELOAD: z.boolean().nullable(),
  PROVIDE_AUTOMATIC_OPTIONS: z.boolean(),
  JSON_PROTOTYPE_KEYS: z.enum(['reject', 'allow']),
});

/**
 * The typed config values, as `app.config` exposes them.
 *
 * @example
 * const debug: ConfigValues['DEBUG'] = app.config.DEBUG;
 */
export type ConfigValues = z.infer<typeof CONFIG_SCHEMA>;

/**
 * Checks some config values against the schema; returns one message per problem, naming the key and what it must be.
 *
 * @example
 * checkConfig({ DEBUG: 'yes' }); // ["DEBUG: Invalid input: expected boolean, received string"]
 */
export function checkConfig(values: Record<string, unknown>): string[] {
  const known = Object.fromEntries(Object.entries(values).filter(([key]) => key in CONFIG_SCHEMA.shape));
  const result = CONFIG_SCHEMA.partial().safeParse(known);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

/**
 * The settings of `flagon serve` (gunicorn's) as a `flagon.config.ts` file may give them: counts and seconds are
 * whole numbers (`workers` from 1), `bind` and `forwardedAllowIps` a string or a list of strings.
 *
 * @example
 * SERVE_SCHEMA.shape.workers.safeParse(0).success; // false
 */
export const SERVE_SCHEMA = z.object({
  app: z.string().min(1),
  bind: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  workers: z.number().int().min(1),
  timeout: seconds,
  gracefulTimeout: seconds,
  maxRequests: z.number().int().nonnegative(),
  maxRequestsJitter: z.number().int().nonnegative(),
  keepAlive: seconds,
  accessLog: z.string().min(1).nullable(),
  forwardedAllowIps: z.union([z.string(), z.array(z.string().min(1))]),
  cert: z.string().min(1).nullable(),
  key: z.string().min(1).nullable(),
  preload: z.boolean(),
});

/**
 * The keys of {@link SERVE_SCHEMA} whose values are wrong, in the order given. Unknown keys are not checked here.
 *
 * @example
 * invalidServeKeys({ workers: 0, timeout: 10 }); // ['workers']
 */
export function invalidServeKeys(values: Record<string, unknown>): string[] {
  return Object.entries(values)
    .filter(([key, value]) => {
      const schema = SERVE_SCHEMA.shape[key as keyof typeof SERVE_SCHEMA.shape];
      return schema !== undefined && !schema.safeParse(value).success;
    })
    .map(([key]) => key);
}
