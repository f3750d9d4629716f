/** @module The options of `new App()` (layer L3), and the static folder they name. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FlagonError } from './errors.js';
import type { RouterOptions } from '../routing/router.js';
import { sendFromDirectory } from '../wrappers/send-file.js';
import type { Config } from './config.js';
import type { AddUrlRuleOptions } from './handler-types.js';
import { staticUrlPathFor } from './default-names.js';

/**
 * Options of `new App(import.meta.url, options)`.
 *
 * @example
 * new App(import.meta.url, { name: 'shop', config: { SECRET_KEY: 'dev' }, staticFolder: 'public' });
 */
export interface AppOptions {
  /** Default: the name of the folder the app module is in. */
  name?: string;
  /** Initial config values, checked against the schema. */
  config?: Record<string, unknown>;
  /** Folder of templates, relative to the app's folder. Default `templates`. */
  templateFolder?: string;
  /** Folder of static files, relative to the app's folder; `null` for none. Default `static` (used when it exists). */
  staticFolder?: string | null;
  /** URL prefix of static files. Default: the static folder's name, as Flask (`/static`; `staticFolder: 'public'` gives `/public`). */
  staticUrlPath?: string;
  /**
   * Serve static files reached through a symlink whose real path leaves `staticFolder`. Default `false`: they are a
   * 404, so a link planted in the folder cannot publish a file from elsewhere (see `sendFromDirectory`).
   */
  staticFollowSymlinks?: boolean;
  /**
   * The instance folder (Flask's `instance_path`), relative to the app's folder or absolute. Default: `instance`
   * beside the app's package, i.e. in the nearest folder up from the app that holds a `package.json`.
   */
  instancePath?: string;
  /** Read relative config file names from the instance folder, not the app's (Flask's `instance_relative_config`). */
  instanceRelativeConfig?: boolean;
  /**
   * Match the request's subdomain against `subdomain` rules, relative to SERVER_NAME (Flask's `subdomain_matching`).
   * Default `false`, as in Flask: every request counts as the bare server name, so rules answer on any host and
   * subdomain rules only build URLs. With `true`, a subdomain rule answers on its subdomain, and a rule without one
   * only on SERVER_NAME itself.
   */
  subdomainMatching?: boolean;
  /**
   * Match each rule's `host` against the request's whole host (Flask's `host_matching`): every rule then needs a
   * `host` (`'example.com'`, `'<user>.example.com'`), and one without is refused when added. The static route needs
   * `staticHost`, or `staticFolder: null`.
   */
  hostMatching?: boolean;
  /** The host the static route answers on, with `hostMatching` (Flask's `static_host`). */
  staticHost?: string;
}

/**
 * The router options of an App: SERVER_NAME read live (so setting it after `new App()` works), rules without a
 * subdomain tied to the server name itself as Werkzeug's Map does, and host matching when asked for.
 *
 * @example
 * new Router(routerOptionsOf(app.config, { hostMatching: true }));
 */
export function routerOptionsOf(config: Config, options: AppOptions): RouterOptions {
  return { serverName: () => config.SERVER_NAME, defaultSubdomain: '', hostMatching: options.hostMatching === true };
}

/**
 * The app's static folder and its URL path, or `null` when `staticFolder` is `null` or names no folder.
 *
 * @example
 * staticFolderOf('/srv/shop', { staticFolder: 'public' }); // { path: '/srv/shop/public', urlPath: '/public' }
 */
export function staticFolderOf(rootPath: string, options: AppOptions): { path: string; urlPath: string } | null {
  const folder = options.staticFolder === undefined ? 'static' : options.staticFolder;
  // Flask's two assertions, with the fix named: a static host only means something with host matching, which needs one.
  if (options.staticHost !== undefined && options.hostMatching !== true)
    throw new FlagonError(
      'FLAGON_ERR_HOST_MATCHING',
      `staticHost '${options.staticHost}' is only used with host matching: add hostMatching: true, or leave staticHost out`,
    );
  if (options.hostMatching === true && folder !== null && options.staticHost === undefined)
    throw new FlagonError(
      'FLAGON_ERR_HOST_MATCHING',
      `with hostMatching every rule needs a host, the static route too: give new App() a staticHost ('static.example.com'), or staticFolder: null`,
    );
  if (folder === null) return null;
  const path = join(rootPath, folder);
  if (!existsSync(path) || !statSync(path).isDirectory()) return null;
  return { path, urlPath: (options.staticUrlPath ?? staticUrlPathFor(folder)).replace(/\/$/, '') };
}

/** Whether each app's static route follows symlinks, by the app's config (one per app): what sendStaticFile reads. */
const staticSymlinks = new WeakMap<Config, boolean>();

/**
 * Whether the app of `config` serves static files reached through a symlink that leaves the folder
 * (`staticFollowSymlinks`), so `sendStaticFile` sends what the static route sends.
 *
 * @example
 * sendFromDirectory(app.staticFolder!, name, { followSymlinks: staticFollowsSymlinks(app.config) });
 */
export function staticFollowsSymlinks(config: Config): boolean {
  return staticSymlinks.get(config) ?? false;
}

/**
 * The `static` endpoint's rule options: files from `folder`, cached for SEND_FILE_MAX_AGE_DEFAULT, symlinks that leave
 * the folder refused unless `staticFollowSymlinks`.
 *
 * @example
 * app.addUrlRule('/static/<path:filename>', staticRoute('/srv/shop/static', app.config, {}));
 */
export function staticRoute(folder: string, config: Config, options: AppOptions): AddUrlRuleOptions {
  const followSymlinks = options.staticFollowSymlinks ?? false;
  staticSymlinks.set(config, followSymlinks);
  return {
    endpoint: 'static',
    ...(options.staticHost === undefined ? {} : { host: options.staticHost }),
    view: (req) =>
      sendFromDirectory(folder, String(req.params.filename), {
        request: req,
        maxAge: config.SEND_FILE_MAX_AGE_DEFAULT,
        followSymlinks,
      }),
  };
}
