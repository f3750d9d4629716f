/** @module Router (layer L1): a set of rules, matched against a path with Werkzeug's semantics and built back into URLs. */
import { quotePath } from '../gateway/url.js';
import { MethodNotAllowed, NotFound } from '../http/errors.js';
import { DEFAULT_CONVERTERS, type ConverterFactory } from './converters.js';
import { BuildError, RequestRedirect } from './errors.js';
import { SegmentTrie, type WalkResult } from './matcher.js';
import { Rule, type RuleOptions } from './rule.js';

/**
 * Options of a {@link Router}; the slash options are defaults for its rules.
 *
 * @example
 * const router = new Router({ strictSlashes: false, serverName: 'example.com' });
 */
export interface RouterOptions {
  /** Converters by name, on top of the built-in ones. */
  converters?: Readonly<Record<string, ConverterFactory>>;
  strictSlashes?: boolean;
  mergeSlashes?: boolean;
  redirectDefaults?: boolean;
  /**
   * The server's own host name (`SERVER_NAME`), needed for subdomain rules: a string, or a function read each time a
   * rule is added (an App passes its live config, so setting SERVER_NAME after `new App()` works).
   */
  serverName?: string | (() => string | null | undefined);
}

/**
 * The request as the router sees it: plain values, never an environ.
 *
 * @example
 * const options: MatchOptions = { method: 'POST', host: 'example.com', scheme: 'https', queryString: 'a=1' };
 */
export interface MatchOptions {
  method?: string;
  /** The Host the client asked for (a port is ignored); needed for host and subdomain rules. */
  host?: string;
  /** For the absolute URL of a redirect. */
  scheme?: 'http' | 'https';
  scriptName?: string;
  /** Kept in redirects. */
  queryString?: string;
}

/**
 * A matched route.
 *
 * @example
 * const { endpoint, params }: RouteMatch = router.match('/users/7');
 */
export interface RouteMatch {
  rule: Rule;
  endpoint: string;
  /** Converted values, the rule's defaults included. */
  params: Record<string, unknown>;
}

/**
 * Options of {@link Router.build}.
 *
 * @example
 * const options: BuildOptions = { external: true, host: 'example.com', anchor: 'comments' };
 */
export interface BuildOptions {
  /** Pick a rule that allows this method. */
  method?: string;
  /** Return `scheme://host/…` instead of a path. */
  external?: boolean;
  anchor?: string;
  scheme?: 'http' | 'https';
  /** The current host: used for external URLs, and to decide when a host rule needs one. */
  host?: string;
  scriptName?: string;
}

const stripPort = (host: string): string => host.replace(/:\d*$/, '').toLowerCase();
const quoteAnchor = (anchor: string): string => encodeURIComponent(anchor).replace(/%(2F|3F|3A|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/g, (m) => decodeURIComponent(m));

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

const allArguments = (rule: Rule): Set<string> => new Set([...rule.arguments, ...Object.keys(rule.defaults)]);

const upperMethods = new Map<string, string>();
function normalizeMethod(method: string): string {
  let upper = upperMethods.get(method);
  if (upper === undefined) {
    upper = method.toUpperCase();
    if (upperMethods.size < 64) upperMethods.set(method, upper);
  }
  return upper;
}

/**
 * Rules in, matches and URLs out. Matching follows Werkzeug: static paths first (one map lookup), then the segment
 * trie; a branch rule `/x/` requested as `/x` redirects with 308, `//` is merged with a 308, and when only the method
 * is wrong the answer is 405 with every allowed method.
 *
 * @example
 * const router = new Router();
 * router.add('/users/<int:id>', { endpoint: 'user' });
 * router.match('/users/7', { method: 'GET' }).params; // { id: 7 }
 * router.build('user', { id: 7, tab: 'posts' });      // '/users/7?tab=posts'
 */
export class Router {
  readonly converters: Readonly<Record<string, ConverterFactory>>;
  readonly #options: RouterOptions;
  readonly #rules: Rule[] = [];
  readonly #byEndpoint = new Map<string, Rule[]>();
  /** Each endpoint's rules in build order (see #buildOrder); rebuilt when the endpoint gains a rule. */
  readonly #buildOrders = new Map<string, readonly Rule[]>();
  readonly #static = new Map<string, Rule[]>();
  #trie: SegmentTrie | null = null;
  #lastSteps = 0;
  /** For redirectDefaults: the earlier rules of the same endpoint that provide defaults for a rule (computed once). */
  readonly #defaultRedirects = new Map<Rule, Rule[]>();
  #host = '';
  #hasHostRules = false;
  /** Paths of host or subdomain rules without path parameters: the static fast path must step aside for them. */
  readonly #hostPaths = new Set<string>();
  readonly #acceptHost = (rule: Rule): Record<string, unknown> | null => {
    const m = rule.host!.regex.exec(stripPort(this.#host));
    if (!m) return null;
    try {
      return Object.fromEntries(rule.host!.params.map((p, i) => [p.name, p.converter.toValue(m[i + 1]!)]));
    } catch {
      return null;
    }
  };

  constructor(options: RouterOptions = {}) {
    this.#options = options;
    this.converters = Object.freeze({ ...DEFAULT_CONVERTERS, ...options.converters });
  }

  /** Every rule, in registration order. */
  get rules(): readonly Rule[] {
    return this.#rules;
  }

  /** Trie steps of the last walk: a diagnostic that shows matching stays bounded on hostile input. */
  get lastMatchSteps(): number {
    return this.#lastSteps;
  }

  /**
   * Adds a rule. A second rule with the same pattern and an overlapping method is an error naming both.
   *
   * @example
   * router.add('/posts/<slug>', { endpoint: 'post', methods: ['GET', 'POST'] });
   */
  add(rule: string, options: RuleOptions): Rule {
    const compiled = new Rule(rule, {
      ...options,
      strictSlashes: options.strictSlashes ?? this.#options.strictSlashes,
      mergeSlashes: options.mergeSlashes ?? this.#options.mergeSlashes,
      redirectDefaults: options.redirectDefaults ?? this.#options.redirectDefaults,
    }, this.converters, this.#serverName());
    for (const other of this.#rules) {
      if (other.signature !== compiled.signature || other.buildOnly || compiled.buildOnly) continue;
      const overlap = [...compiled.methods].filter((m) => other.methods.has(m) && !(m === 'OPTIONS' && (compiled.automaticOptions || other.automaticOptions)));
      if (overlap.length > 0) {
        throw Object.assign(new Error(`rule '${rule}' (endpoint '${compiled.endpoint}') duplicates rule '${other.rule}' (endpoint '${other.endpoint}') for ${overlap.join(', ')}; change one rule or their methods`), { code: 'FLAGON_ERR_DUPLICATE_RULE' });
      }
    }
    this.#rules.push(compiled);
    if (compiled.host !== null) {
      this.#hasHostRules = true;
      if (compiled.arguments.size === compiled.host.params.length) this.#hostPaths.add(staticPath(compiled));
    }
    const forEndpoint = this.#byEndpoint.get(compiled.endpoint);
    if (compiled.redirectDefaults && forEndpoint) {
      const args = allArguments(compiled);
      const earlier = forEndpoint.filter((other) => !other.buildOnly && other.hasDefaults && sameSet(allArguments(other), args));
      if (earlier.length > 0) this.#defaultRedirects.set(compiled, earlier);
    }
    if (forEndpoint) forEndpoint.push(compiled);
    else this.#byEndpoint.set(compiled.endpoint, [compiled]);
    if (compiled.isStatic && !compiled.buildOnly) {
      const key = staticPath(compiled);
      this.#static.set(key, [...(this.#static.get(key) ?? []), compiled]);
    }
    this.#trie = null;
    return compiled;
  }

  #serverName(): string | undefined {
    const name = this.#options.serverName;
    return (typeof name === 'function' ? name() : name) ?? undefined;
  }

  /** Rules of an endpoint, in registration order. */
  rulesFor(endpoint: string): readonly Rule[] {
    return this.#byEndpoint.get(endpoint) ?? [];
  }

  /**
   * Matches a decoded path (PATH_INFO). Throws {@link RequestRedirect} (308), `MethodNotAllowed` (405, with `Allow`)
   * or `NotFound` (404).
   *
   * @example
   * router.match('/docs', { method: 'GET', host: 'example.com', queryString: 'q=1' }); // RequestRedirect to http://example.com/docs/?q=1
   */
  match(path: string, options: MatchOptions = {}): RouteMatch {
    const method = options.method === undefined ? 'GET' : normalizeMethod(options.method);
    // Options are read only when needed (the host for host rules, the rest for redirects), so a caller can pass getters.
    const host = this.#hasHostRules ? (options.host ?? '') : '';
    const statics = this.#static.get(path);
    // A plain rule must not hide a host or subdomain rule for the same path: the walk ranks host rules first.
    if (statics && !this.#hostPaths.has(path)) {
      for (const rule of statics) if (rule.methods.has(method)) return this.#finish({ rule, endpoint: rule.endpoint, params: rule.hasDefaults ? { ...rule.defaults } : {} }, method, options);
    }
    const result = this.#walk(path, method, host);
    // An app mounted at /approot and asked for /approot (PATH_INFO ''): its root is /approot/, as in Werkzeug.
    if (path === '' && (result.match || result.slashRequired || result.allowed.size > 0)) throw new RequestRedirect(this.#url('/', options));
    if (result.match) return this.#finish(result.match, method, options);
    // A branch asked for without its slash ('/docs' for '/docs/'): found where the path's static parts end, so it wins
    // over dynamic rules that could take the path too, as in Werkzeug.
    if (result.slashRequired) throw new RequestRedirect(this.#url(`${path}/`, options));
    if (result.exhausted) throw new NotFound(); // hostile input: no second walk

    if (path.includes('//')) {
      // One redirect fixes both a doubled slash and a missing trailing one ('/yes//tail' → '/yes/tail/').
      const merged = path.replace(/\/{2,}/g, '/');
      const again = this.#walk(merged, method, host);
      if (again.slashRequired) throw new RequestRedirect(this.#url(`${merged}/`, options));
      const rule = again.match?.rule;
      if (rule ? rule.mergeSlashes : again.allowed.size > 0) throw new RequestRedirect(this.#url(merged, options));
    }
    if (result.allowed.size > 0) throw new MethodNotAllowed([...result.allowed].sort());
    throw new NotFound();
  }

  /**
   * The methods some rule allows for this path: what an automatic OPTIONS answers in `Allow`.
   *
   * @example
   * router.allowedMethods('/users/7'); // ['GET', 'HEAD', 'PUT']
   */
  allowedMethods(path: string, options: Pick<MatchOptions, 'host'> = {}): string[] {
    // An impossible method makes every path match count as "wrong method", so the walk collects them all.
    return [...this.#walk(path, '\0', options.host ?? '').allowed].sort();
  }

  #walk(path: string, method: string, host: string): WalkResult {
    this.#trie ??= new SegmentTrie(this.#rules);
    this.#host = host;
    const result = this.#trie.walk(path === '' ? '/' : path, method, this.#acceptHost);
    this.#lastSteps = result.steps;
    return result;
  }

  /** Werkzeug's redirect_defaults: an earlier rule of the same endpoint whose defaults equal these values is the canonical URL. */
  #finish(match: RouteMatch, method: string, options: MatchOptions): RouteMatch {
    const candidates = this.#defaultRedirects.get(match.rule);
    if (candidates !== undefined) {
      const params = match.params;
      for (const other of candidates) {
        if (!other.methods.has(method) || !Object.entries(other.defaults).every(([key, value]) => params[key] === value)) continue;
        const built = other.build(params);
        // The canonical rule may live on another host: the redirect names it (Werkzeug).
        if (built) throw new RequestRedirect(this.#url(built.path, built.host === null ? options : { ...options, host: built.host }, true));
      }
    }
    return match;
  }

  /** The first rule that fits the values and method, preferring one whose host is the current one (or no host). */
  #buildWith(rules: readonly Rule[], values: Readonly<Record<string, unknown>>, method: string | undefined, currentHost: string | undefined): { rule: Rule; built: NonNullable<ReturnType<Rule['build']>> } | null {
    let first: { rule: Rule; built: NonNullable<ReturnType<Rule['build']>> } | null = null;
    for (const rule of rules) {
      if (method !== undefined && !rule.methods.has(method)) continue;
      if (Object.entries(rule.defaults).some(([key, value]) => values[key] !== undefined && values[key] !== value)) continue;
      const built = rule.build(values);
      if (built === null) continue;
      if (built.host === null || currentHost === undefined || built.host.toLowerCase() === currentHost) return { rule, built };
      first ??= { rule, built };
    }
    return first;
  }

  /**
   * The rules of an endpoint in the order building tries them: Werkzeug's build_compare_key, the rule that takes the
   * most values first (its parameters and defaults), then the one with the most defaults; registration order breaks
   * ties. So `{ id: 42 }` builds '/myview/42' even when '/myview/' was registered first.
   */
  #buildOrder(endpoint: string, rules: readonly Rule[]): readonly Rule[] {
    let ordered = this.#buildOrders.get(endpoint);
    if (ordered === undefined || ordered.length !== rules.length) {
      const takes = (rule: Rule): number => new Set([...rule.arguments, ...Object.keys(rule.defaults)]).size;
      ordered = [...rules].sort((a, b) => takes(b) - takes(a) || Object.keys(b.defaults).length - Object.keys(a.defaults).length);
      this.#buildOrders.set(endpoint, ordered);
    }
    return ordered;
  }

  #url(path: string, options: MatchOptions, quoted = false): string {
    const relative = `${quotePath(options.scriptName ?? '')}${quoted ? path : quotePath(path)}${options.queryString ? `?${options.queryString}` : ''}`;
    return options.host ? `${options.scheme ?? 'http'}://${options.host}${relative}` : relative;
  }

  /**
   * Builds the URL of an endpoint from values: the first rule (in registration order) that allows the method and can
   * take the values wins. Unknown values go to the query string. Throws {@link BuildError} with a hint.
   *
   * @example
   * router.build('user', { id: 7 }, { external: true, host: 'example.com', anchor: 'bio' }); // 'http://example.com/users/7#bio'
   */
  build(endpoint: string, values: Readonly<Record<string, unknown>> = {}, options: BuildOptions = {}): string {
    const method = options.method?.toUpperCase();
    const rules = this.#byEndpoint.get(endpoint);
    if (!rules) {
      const near = BuildError.suggest(endpoint, this.#byEndpoint.keys());
      throw new BuildError(endpoint, values, method, near ? `Did you mean '${near}' instead?` : 'No rule has that endpoint.');
    }
    const currentHost = options.host ? stripPort(options.host).toLowerCase() : undefined;
    const ordered = this.#buildOrder(endpoint, rules);
    // Werkzeug's order: without a method, GET rules first, then any; among fitting rules, one on the current host
    // (or on no host) first, else the first that fits.
    const found = (method === undefined ? this.#buildWith(ordered, values, 'GET', currentHost) : null) ?? this.#buildWith(ordered, values, method, currentHost);
    if (found !== null) {
      const { rule, built } = found;
      let url = `${quotePath(options.scriptName ?? '')}${built.path}${built.query ? `?${built.query}` : ''}${options.anchor ? `#${quoteAnchor(options.anchor)}` : ''}`;
      if (options.external || (rule.host !== null && built.host!.toLowerCase() !== currentHost)) {
        const host = built.host ?? options.host;
        if (!host) throw new BuildError(endpoint, values, method, 'An external URL needs a host: build inside a request, or set SERVER_NAME.');
        url = `${options.scheme ?? 'http'}://${host}${url}`;
      }
      return url;
    }
    const wrongMethod = method !== undefined && rules.some((rule) => !rule.methods.has(method));
    if (wrongMethod && !rules.some((rule) => !method || rule.methods.has(method))) {
      throw new BuildError(endpoint, values, method, `Did you mean to use one of the methods ${[...new Set(rules.flatMap((r) => [...r.methods]))].sort().join(', ')}?`);
    }
    const missing = [...allArguments(rules[0]!)].filter((name) => values[name] === undefined && rules[0]!.defaults[name] === undefined);
    throw new BuildError(endpoint, values, method, missing.length ? `Did you forget to specify values ${JSON.stringify(missing)}?` : 'A value does not fit its converter.');
  }
}

/** The decoded path a rule without path parameters matches, from its segments ('/yes//merge', merged, is '/yes/merge'). */
function staticPath(rule: Rule): string {
  return `/${rule.segments.map((segment) => (segment.kind === 'static' ? segment.text : '')).join('/')}`;
}
