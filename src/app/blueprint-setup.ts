/** @module Blueprint setup (layer L3): the replay side of a blueprint, as Flask's BlueprintSetupState: its options, what the app hands it, where a registration places it (name, prefix, subdomain, defaults) and its static route. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sendFromDirectory } from '../wrappers/send-file.js';
import type { AppCli } from './cli-commands.js';
import type { Config } from './config.js';
import { staticUrlPathFor } from './default-names.js';
import type { AddUrlRuleOptions, ErrorHandler, ErrorKey, Handler, HookKind } from './handler-types.js';
import type { TemplateFunctionRegistrar, TemplateGlobalRegistrar } from './template-registration.js';
import type { AppTemplates, ContextProcessor } from './templates.js';

/** A template test, as `templateTest` takes it. */
export type Predicate = (...args: never[]) => boolean;

/**
 * Options of `new Blueprint(name, import.meta.url, options)`.
 *
 * @example
 * new Blueprint('admin', import.meta.url, { urlPrefix: '/admin', staticFolder: 'static' });
 */
export interface BlueprintOptions {
  /** Prefix of every rule: `/admin`. */
  urlPrefix?: string;
  /** Subdomain of every rule, under SERVER_NAME: `'api'`, or `'<user>'`. */
  subdomain?: string;
  /**
   * Host of every rule, its static route included (Flagon's; Flask has none): what a blueprint needs with the App's
   * `hostMatching`, where every rule names its host. A rule's own `host` wins.
   */
  host?: string;
  /** Default values for every rule's view (and for building). */
  urlDefaults?: Record<string, unknown>;
  /** Folder of the blueprint's own static files, relative to its module; served under its prefix. */
  staticFolder?: string | null;
  /** URL prefix of those files under the blueprint's prefix. Default: the folder's name, as Flask. */
  staticUrlPath?: string;
  /** Serve static files reached through a symlink that leaves `staticFolder`. Default `false` (404), as the App's. */
  staticFollowSymlinks?: boolean;
  /** Folder of its templates (used by the templating layer). */
  templateFolder?: string | null;
  /**
   * The group its `cli` commands go under: default the blueprint's name (`flagon auth create-user`); `null` puts them
   * at the top level (`flagon create-user`), as Flask's `cli_group`.
   */
  cliGroup?: string | null;
}

/**
 * Options of `app.registerBlueprint(bp, options)` and `bp.registerBlueprint(child, options)`.
 *
 * @example
 * app.registerBlueprint(api, { urlPrefix: '/api/v2', name: 'api_v2' });
 */
export interface BlueprintRegisterOptions {
  urlPrefix?: string;
  subdomain?: string;
  /** Overrides the blueprint's `host` for this registration: `{ host: 'shop.example.com' }`. */
  host?: string;
  urlDefaults?: Record<string, unknown>;
  /** Register under another name, to register the same blueprint twice. */
  name?: string;
  /** Overrides the blueprint's `cliGroup` for this registration. */
  cliGroup?: string | null;
}

/**
 * What a blueprint's recorded setup calls on the app it is registered on (the App has all of it; an interface, so
 * blueprint.ts and app.ts do not import each other).
 *
 * @example
 * const host: BlueprintApp = new App(import.meta.url); // what app.registerBlueprint(bp) hands the blueprint
 */
export interface BlueprintApp {
  readonly config: Config;
  readonly templates: AppTemplates;
  endpoint(name: string, view: Handler): Handler;
  templateFilter: TemplateFunctionRegistrar;
  templateGlobal: TemplateGlobalRegistrar;
  templateTest: TemplateFunctionRegistrar<Predicate>;
  contextProcessor(fn: ContextProcessor): ContextProcessor;
}

/**
 * What the app hands a blueprint while registering it: the only doors into the app's registries.
 *
 * @example
 * blueprint.register(state, {}); // called by app.registerBlueprint
 */
export interface BlueprintSetupState {
  readonly app: BlueprintApp;
  addUrlRule(rule: string, options: AddUrlRuleOptions): void;
  addHook(kind: HookKind, fn: (...args: never[]) => unknown, scope: string | null): void;
  addErrorHandler(key: ErrorKey, fn: ErrorHandler, scope: string | null): void;
  /** Claims the registered name for `owner`, the blueprint (typed `object`: importing Blueprint here is a cycle). */
  claimName(name: string, owner: object): void;
  /** Adds a template folder after the app's (so the app's templates win). */
  addTemplateFolder(folder: string): void;
  /** Adds the blueprint's commands to `app.cli`: as the group `group`, or at the top level for `null`. */
  addCli(group: string | null, cli: AppCli): void;
}

/** Where a registration puts the blueprint: its dotted name, joined prefix, subdomain, host and defaults. */
export interface Placement {
  name: string;
  /** The blueprint's first registration on this app (Flask's `first_registration`, which `record_once` checks). */
  first: boolean;
  urlPrefix: string | undefined;
  subdomain: string | undefined;
  /** The host of its rules: the registration's, the blueprint's, else its parent's. */
  host: string | undefined;
  urlDefaults: Record<string, unknown>;
}

/** Flask's prefix joining: `/admin/` + `/users` → `/admin/users`; an empty rule is the prefix itself. */
export function joinPrefix(prefix: string | undefined, rule: string): string {
  if (prefix === undefined) return rule;
  return rule ? `${prefix.replace(/\/+$/, '')}/${rule.replace(/^\/+/, '')}` : prefix;
}

/**
 * Where a registration puts a blueprint (what Flask's BlueprintSetupState computes): its prefix joined to its
 * parent's, its subdomain under its parent's, and the URL defaults of parent, blueprint and registration, the last
 * winning.
 *
 * @example
 * placementOf('api', true, { urlPrefix: '/api' }, { urlPrefix: '/v2' }).urlPrefix; // '/v2'
 */
export function placementOf(
  name: string,
  first: boolean,
  own: Readonly<BlueprintOptions>,
  options: BlueprintRegisterOptions,
  parent?: Placement,
): Placement {
  let urlPrefix = options.urlPrefix ?? own.urlPrefix;
  if (parent?.urlPrefix !== undefined)
    urlPrefix = urlPrefix === undefined ? parent.urlPrefix : joinPrefix(parent.urlPrefix, urlPrefix);
  return {
    name,
    first,
    urlPrefix,
    subdomain: joinSubdomain(options.subdomain ?? own.subdomain, parent?.subdomain),
    host: options.host ?? own.host ?? parent?.host,
    urlDefaults: { ...parent?.urlDefaults, ...own.urlDefaults, ...options.urlDefaults },
  };
}

/** A nested blueprint's subdomain sits under its parent's: 'api' in 'parent' is 'api.parent' (Flask). */
function joinSubdomain(own: string | undefined, parent: string | undefined): string | undefined {
  if (own === undefined) return parent;
  if (parent === undefined || parent === '') return own;
  return own === '' ? parent : `${own}.${parent}`;
}

/**
 * Adds a blueprint's static route when its `staticFolder` exists: `<prefix>/<staticUrlPath>/<path:filename>`, endpoint
 * `<name>.static`, as Flask's blueprint registration does.
 *
 * @example
 * addStaticRoute(state, placement, bp.rootPath, bp.options); // GET /admin/static/app.css
 */
export function addStaticRoute(
  state: BlueprintSetupState,
  at: Placement,
  rootPath: string,
  options: Readonly<BlueprintOptions>,
): void {
  const folder = options.staticFolder;
  if (!folder) return;
  const path = join(rootPath, folder);
  if (!existsSync(path) || !statSync(path).isDirectory()) return;
  const urlPath = options.staticUrlPath ?? staticUrlPathFor(folder);
  const followSymlinks = options.staticFollowSymlinks ?? false;
  state.addUrlRule(joinPrefix(at.urlPrefix, `${urlPath.replace(/\/$/, '')}/<path:filename>`), {
    endpoint: `${at.name}.static`,
    ...(at.host === undefined ? {} : { host: at.host }),
    view: (req) =>
      sendFromDirectory(path, String(req.params.filename), {
        request: req,
        maxAge: state.app.config.SEND_FILE_MAX_AGE_DEFAULT,
        followSymlinks,
      }),
  });
}
