/**
 * Shared pieces of the ports of Flask's and Werkzeug's test suites: Werkzeug's `Map.bind()` adapter expressed
 * with Flagon's Router, and small helpers to catch what a call throws. Licence: see LICENSE-pallets.txt.
 */
import { App } from 'flagon';
import { RequestRedirect, Router, type RouteMatch, type RouterOptions, type RuleOptions } from 'flagon/routing';

/** A Werkzeug `Rule(...)`: the rule string and its options; a missing endpoint becomes the rule string. */
export type WRule = [string, Partial<RuleOptions>?];

/** Werkzeug's `Map([...rules], **options)`; its `default_subdomain` is `''`, so the Router's is too. */
export function map(rules: WRule[], options: RouterOptions = {}): Router {
  const router = new Router({ defaultSubdomain: '', ...options });
  for (const [rule, opts] of rules) router.add(rule, { endpoint: rule, ...opts } as RuleOptions);
  return router;
}

export interface BindOptions {
  subdomain?: string;
  urlScheme?: 'http' | 'https';
}

/**
 * Werkzeug's `map.bind(server_name, script_name, subdomain=…)`: the host is `subdomain.server_name`, the script name
 * prefixes every URL. `match` returns `[endpoint, values]` as Werkzeug's adapter does.
 */
export function bind(router: Router, serverName: string, scriptName = '/', options: BindOptions = {}) {
  const host = options.subdomain ? `${options.subdomain}.${serverName}` : serverName;
  const script = scriptName === '/' ? '' : scriptName.replace(/\/$/, '');
  const scheme = options.urlScheme ?? 'http';
  return {
    host,
    match(
      path: string,
      opts: { method?: string; queryArgs?: string | Record<string, string> } = {},
    ): [string, Record<string, unknown>] {
      const m = this.matchRule(path, opts);
      return [m.endpoint, m.params];
    },
    matchRule(path: string, opts: { method?: string; queryArgs?: string | Record<string, string> } = {}): RouteMatch {
      const queryString =
        typeof opts.queryArgs === 'string'
          ? opts.queryArgs
          : opts.queryArgs
            ? new URLSearchParams(opts.queryArgs).toString()
            : '';
      return router.match(path, { method: opts.method ?? 'GET', host, scheme, scriptName: script, queryString });
    },
    build(
      endpoint: string,
      values: Record<string, unknown> = {},
      opts: { method?: string; forceExternal?: boolean; urlScheme?: 'http' | 'https' } = {},
    ): string {
      return router.build(endpoint, values, {
        method: opts.method,
        external: opts.forceExternal,
        scheme: opts.urlScheme ?? scheme,
        host,
        scriptName: script,
      });
    },
    allowedMethods(path: string): string[] {
      return router.allowedMethods(path, { host });
    },
  };
}

/** What `fn` throws (fails the test when it returns). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** Werkzeug's `excinfo.value.new_url` for a match that must redirect. */
export function redirectOf(fn: () => unknown): string {
  const error = thrown(fn);
  if (!(error instanceof RequestRedirect)) throw new Error(`expected a RequestRedirect, got ${String(error)}`);
  return error.newUrl;
}

/** Flask's `app` fixture: `Flask("flask_test", root_path=…)` with `TESTING=True` and a secret key. */
export function flaskApp(config: Record<string, unknown> = {}): App {
  return new App(import.meta.url, { config: { TESTING: true, SECRET_KEY: 'test key', ...config }, staticFolder: null });
}
