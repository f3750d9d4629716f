/** @module Router (layer L1): a set of rules, matched against a path with Werkzeug's semantics and built back into URLs. */
import { FlagonError } from '../gateway/errors.js';
import { quotePath } from '../gateway/url.js';
import { MethodNotAllowed, NotFound } from '../http/errors.js';
import { DEFAULT_CONVERTERS, type ConverterFactory } from './converters.js';
import { asciiHost, normalizeHost, subdomainOf } from './domain.js';
import { BuildError, RequestRedirect } from './errors.js';
import { SegmentTrie, type WalkResult } from './matcher.js';
import { Rule, type QueryOptions, type RuleOptions } from './rule.js';

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
   * The server's own host name (`SERVER_NAME`, a port included if it has one), needed for subdomain rules: a string,
   * or a function read each time a rule is added (an App passes its live config, so setting SERVER_NAME after
   * `new App()` works). The request's subdomain is what its Host has before the server name, as in Werkzeug.
   */
  serverName?: string | (() => string | null | undefined);
  /**
   * With a `serverName`, the subdomain of rules that name none, as Werkzeug's `Map(default_subdomain=…)`: `''` ties
   * them to the server name itself, so they answer only there and build absolute URLs from other subdomains. Unset,
   * they answer on any host (Flask's default, where SERVER_NAME does not restrict requests).
   */
  defaultSubdomain?: string;
  /**
   * Match whole hosts, as Werkzeug's `Map(host_matching=True)`: every rule names the `host` it answers
   * (`'example.com'`, `'<user>.example.com'`), subdomains and the default subdomain are not used. A rule without a
   * host is refused, where Werkzeug would add a rule no request can reach.
   */
  hostMatching?: boolean;
  /** Sort the query string of built URLs by key (Werkzeug's `sort_parameters`); values of a key keep their order. */
  sortParameters?: boolean;
  /** The sort key for `sortParameters` (Werkzeug's `sort_key`), given `[key, value]`: `([, value]) => value`. */
  sortKey?: (item: readonly [string, unknown]) => string | number;
}

/**
 * The request as the router sees it: plain values, never an environ.
 *
 * @example
 * const options: MatchOptions = { method: 'POST', host: 'example.com', scheme: 'https', queryString: 'a=1' };
 */
export interface MatchOptions {
  method?: string;
  /**
   * The Host the client asked for; needed for host and subdomain rules. Host rules ignore its port; the subdomain is
   * found by comparing it with the server name, port included (a default port never counts).
   */
  host?: string;
  /**
   * The current subdomain, instead of the one found from `host` (Werkzeug's `bind(subdomain=…)`): Flask without
   * subdomain matching passes `''`, so rules of the default subdomain answer on any host.
   */
  subdomain?: string;
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
  /** The current host: used for external URLs, and to decide when a host or subdomain rule needs one. */
  host?: string;
  /** The current subdomain, instead of the one found from `host` (see {@link MatchOptions.subdomain}). */
  subdomain?: string;
  scriptName?: string;
  /** Put values that are not parameters in the query string. Default true; false drops them. */
  appendUnknown?: boolean;
}

/** The host values of a rule whose host has no parameters: none (shared, never written to). */
const NO_VALUES: Record<string, unknown> = Object.freeze({});

/** A normalized host without its port (`[::1]:5000` is `[::1]`). */
const stripPort = (host: string): string => host.replace(/:\d*$/, '');
const quoteAnchor = (anchor: string): string =>
  encodeURIComponent(anchor).replace(/%(2F|3F|3A|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/g, (m) => decodeURIComponent(m));

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
  #converters: Readonly<Record<string, ConverterFactory>>;
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
  /** The domain of the walk under way: the host for host rules, the subdomain (null: none) for subdomain rules. */
  #domain: Domain = NO_DOMAIN;
  #hasHostRules = false;
  #hasSubdomainRules = false;
  /** Paths of host or subdomain rules without path parameters: the static fast path must step aside for them. */
  readonly #hostPaths = new Set<string>();
  readonly #acceptHost = (rule: Rule): Record<string, unknown> | null => {
    // A literal subdomain ('' for the server name itself, the common case with SERVER_NAME set): a string compare.
    if (rule.subdomain !== null && rule.host!.params.length === 0)
      return this.#domain.subdomain === rule.subdomain.toLowerCase() ? NO_VALUES : null;
    const domain =
      rule.subdomain !== null ? this.#domain.subdomain : rule.hostHasPort ? this.#domain.withPort : this.#domain.name;
    if (rule.hostLiteral !== null) return domain === rule.hostLiteral ? NO_VALUES : null;
    const m = domain === null ? null : rule.host!.regex.exec(domain);
    if (!m) return null;
    try {
      return Object.fromEntries(rule.host!.params.map((p, i) => [p.name, p.converter.toValue(m[i + 1]!)]));
    } catch {
      return null;
    }
  };

  constructor(options: RouterOptions = {}) {
    this.#options = options;
    this.#converters = Object.freeze({ ...DEFAULT_CONVERTERS, ...options.converters });
  }

  /** The converters rules may name: the built-in ones and those given or added. */
  get converters(): Readonly<Record<string, ConverterFactory>> {
    return this.#converters;
  }

  /**
   * Adds a converter for the rules added from now on (Flask's `app.url_map.converters['list'] = …`); a name already
   * taken is replaced, as in Werkzeug.
   *
   * @example
   * router.addConverter('list', () => ({ regex: '[^/]+', weight: 100, partIsolating: true, toValue: (t) => t.split(','), toUrl: (v) => (v as string[]).join(',') }));
   */
  addConverter(name: string, factory: ConverterFactory): void {
    if (!/^[A-Za-z_]\w*$/.test(name))
      throw new TypeError(`a converter name is an identifier, as in <${'list'}:args>; got ${JSON.stringify(name)}`);
    if (typeof factory !== 'function')
      throw new TypeError(
        `the converter '${name}' needs a factory: (args) => ({ regex, weight, partIsolating, toValue, toUrl })`,
      );
    this.#converters = Object.freeze({ ...this.#converters, [name]: factory });
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
    const hostMatching = this.#options.hostMatching === true;
    if (hostMatching) checkHostMatching(rule, options);
    const compiled = new Rule(
      rule,
      {
        ...options,
        ...(hostMatching ? { subdomain: undefined } : {}),
        strictSlashes: options.strictSlashes ?? this.#options.strictSlashes,
        mergeSlashes: options.mergeSlashes ?? this.#options.mergeSlashes,
        redirectDefaults: options.redirectDefaults ?? this.#options.redirectDefaults,
      },
      this.#converters,
      () => this.#serverName(),
      hostMatching ? undefined : this.#options.defaultSubdomain,
    );
    for (const other of this.#rules) {
      if (other.signature !== compiled.signature || other.buildOnly || compiled.buildOnly) continue;
      const overlap = [...compiled.methods].filter(
        (m) => other.methods.has(m) && !(m === 'OPTIONS' && (compiled.automaticOptions || other.automaticOptions)),
      );
      if (overlap.length > 0) {
        throw new FlagonError(
          'FLAGON_ERR_DUPLICATE_RULE',
          `rule '${rule}' (endpoint '${compiled.endpoint}') duplicates rule '${other.rule}' (endpoint '${other.endpoint}') for ${overlap.join(', ')}; change one rule or their methods`,
        );
      }
    }
    this.#rules.push(compiled);
    if (compiled.host !== null) {
      if (compiled.subdomain === null) this.#hasHostRules = true;
      else this.#hasSubdomainRules = true;
      // A literal subdomain is compared as a string in the static fast path; other host rules need the walk.
      if (!compiled.isStatic && compiled.arguments.size === compiled.host.params.length)
        this.#hostPaths.add(staticPath(compiled));
    }
    const forEndpoint = this.#byEndpoint.get(compiled.endpoint);
    if (compiled.redirectDefaults && forEndpoint) {
      const args = allArguments(compiled);
      const earlier = forEndpoint.filter(
        (other) => !other.buildOnly && other.hasDefaults && sameSet(allArguments(other), args),
      );
      if (earlier.length > 0) this.#defaultRedirects.set(compiled, earlier);
    }
    if (forEndpoint) forEndpoint.push(compiled);
    else this.#byEndpoint.set(compiled.endpoint, [compiled]);
    if (compiled.isStatic && !compiled.buildOnly) {
      const key = staticPath(compiled);
      // Rules bound to a subdomain first, as the walk ranks them: a rule for any host must not hide one for 'api'.
      const list = [...(this.#static.get(key) ?? []), compiled];
      this.#static.set(key, [...list.filter((r) => r.subdomain !== null), ...list.filter((r) => r.subdomain === null)]);
    }
    this.#trie = null;
    return compiled;
  }

  #serverName(): string | undefined {
    const name = this.#options.serverName;
    return (typeof name === 'function' ? name() : name) || undefined;
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
    const statics = this.#static.get(path);
    // A plain rule must not hide a host or subdomain rule for the same path: the walk ranks host rules first.
    if (statics && !this.#hostPaths.has(path)) {
      let subdomain: string | null | undefined; // the request's, found once and only if a rule here needs it
      for (const rule of statics) {
        if (!rule.methods.has(method)) continue;
        if (rule.subdomain !== null) {
          if (subdomain === undefined) subdomain = this.#currentSubdomain(options);
          if (subdomain !== rule.subdomain.toLowerCase()) continue;
        }
        return this.#finish(
          { rule, endpoint: rule.endpoint, params: rule.hasDefaults ? { ...rule.defaults } : {} },
          method,
          options,
        );
      }
    }
    const domain = this.#domainOf(options);
    const result = this.#walk(path, method, domain);
    // An app mounted at /approot and asked for /approot (PATH_INFO ''): its root is /approot/, as in Werkzeug.
    if (path === '' && (result.match || result.slashRequired || result.allowed.size > 0))
      throw new RequestRedirect(this.#url('/', options));
    if (result.match) return this.#finish(result.match, method, options);
    // A branch asked for without its slash ('/docs' for '/docs/'): found where the path's static parts end, so it wins
    // over dynamic rules that could take the path too, as in Werkzeug.
    if (result.slashRequired) throw new RequestRedirect(this.#url(`${path}/`, options));
    if (result.exhausted) throw new NotFound(); // hostile input: no second walk

    if (path.includes('//')) {
      // One redirect fixes both a doubled slash and a missing trailing one ('/yes//tail' → '/yes/tail/').
      const merged = path.replace(/\/{2,}/g, '/');
      const again = this.#walk(merged, method, domain);
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
  allowedMethods(path: string, options: Pick<MatchOptions, 'host' | 'subdomain' | 'scheme'> = {}): string[] {
    // An impossible method makes every path match count as "wrong method", so the walk collects them all.
    return [...this.#walk(path, '\0', this.#domainOf(options)).allowed].sort();
  }

  /** What host and subdomain rules are tested against; options are read only when such rules exist (they may be getters). */
  #domainOf(options: Pick<MatchOptions, 'host' | 'subdomain' | 'scheme'>): Domain {
    if (!this.#hasHostRules && !this.#hasSubdomainRules) return NO_DOMAIN;
    return new Domain(
      this.#hasHostRules ? (options.host ?? '') : '',
      options.scheme,
      this.#hasSubdomainRules ? this.#currentSubdomain(options) : null,
    );
  }

  /** The request's subdomain: given, or found from its host (Werkzeug's bind_to_environ); null for a host outside the server name. */
  #currentSubdomain(options: Pick<MatchOptions, 'host' | 'subdomain' | 'scheme'>): string | null {
    if (options.subdomain !== undefined) return options.subdomain.toLowerCase();
    const serverName = this.#serverName();
    // Without a host (a router used on its own, a URL built outside a request), the default subdomain is the current one.
    if (!options.host || !serverName) return this.#options.defaultSubdomain ?? '';
    return subdomainOf(options.host, serverName, options.scheme);
  }

  #walk(path: string, method: string, domain: Domain): WalkResult {
    this.#trie ??= new SegmentTrie(this.#rules);
    this.#domain = domain;
    const result = this.#trie.walk(path === '' ? '/' : path, method, this.#acceptHost);
    this.#lastSteps = result.steps;
    return result;
  }

  /**
   * Werkzeug's alias rules and redirect_defaults: an alias redirects to the URL its endpoint builds from the matched
   * values; an earlier rule of the same endpoint whose defaults equal these values is the canonical URL.
   */
  #finish(match: RouteMatch, method: string, options: MatchOptions): RouteMatch {
    if (match.rule.alias && match.rule.redirectDefaults)
      throw new RequestRedirect(this.#aliasTarget(match, method, options));
    const candidates = this.#defaultRedirects.get(match.rule);
    if (candidates !== undefined) {
      const params = match.params;
      for (const other of candidates) {
        if (
          !other.methods.has(method) ||
          !Object.entries(other.defaults).every(([key, value]) => params[key] === value)
        )
          continue;
        const built = other.build(params);
        // The canonical rule may live on another host: the redirect names it (Werkzeug).
        if (built)
          throw new RequestRedirect(
            this.#url(built.path, built.host === null ? options : { ...options, host: built.host }, true),
          );
      }
    }
    return match;
  }

  /** The canonical URL of an alias match: built from its values by a rule that is not an alias, the query kept. */
  #aliasTarget(match: RouteMatch, method: string, options: MatchOptions): string {
    const found = this.#buildWith(this.#buildOrder(match.endpoint), match.params, method, () => true, {
      appendUnknown: false,
    });
    if (found === null || found.rule.alias) {
      throw new FlagonError(
        'FLAGON_ERR_ALIAS',
        `rule '${match.rule.rule}' is an alias of endpoint '${match.endpoint}', but no other rule of that endpoint builds a URL from ${listOf(Object.keys(match.params))}; add the canonical rule, or drop alias: true`,
      );
    }
    return this.#url(
      found.built.path,
      found.built.host === null ? options : { ...options, host: found.built.host },
      true,
    );
  }

  /**
   * The first rule that fits the values and method, preferring one that `isHere` (the current host or subdomain, or
   * no host at all); else the first that fits.
   */
  #buildWith(
    rules: readonly Rule[],
    values: Readonly<Record<string, unknown>>,
    method: string | undefined,
    isHere: (rule: Rule, built: Built) => boolean,
    query: QueryOptions,
  ): { rule: Rule; built: Built } | null {
    let first: { rule: Rule; built: Built } | null = null;
    for (const rule of rules) {
      if (method !== undefined && !rule.methods.has(method)) continue;
      if (
        rule.hasDefaults &&
        Object.entries(rule.defaults).some(([key, value]) => values[key] !== undefined && values[key] !== value)
      )
        continue;
      const built = rule.build(values, query);
      if (built === null) continue;
      if (isHere(rule, built)) return { rule, built };
      first ??= { rule, built };
    }
    return first;
  }

  /**
   * The rules of an endpoint in the order building tries them: Werkzeug's build_compare_key, aliases last, then the
   * rule that takes the most values first (its parameters and defaults), then the one with the most defaults;
   * registration order breaks ties. So `{ id: 42 }` builds '/myview/42' even when '/myview/' was registered first.
   */
  #buildOrder(endpoint: string): readonly Rule[] {
    const rules = this.#byEndpoint.get(endpoint) ?? [];
    let ordered = this.#buildOrders.get(endpoint);
    if (ordered === undefined || ordered.length !== rules.length) {
      const takes = (rule: Rule): number => new Set([...rule.arguments, ...Object.keys(rule.defaults)]).size;
      ordered = [...rules].sort(
        (a, b) =>
          Number(a.alias) - Number(b.alias) ||
          takes(b) - takes(a) ||
          Object.keys(b.defaults).length - Object.keys(a.defaults).length,
      );
      this.#buildOrders.set(endpoint, ordered);
    }
    return ordered;
  }

  #url(path: string, options: MatchOptions, quoted = false): string {
    const relative = `${quotePath(options.scriptName ?? '')}${quoted ? path : quotePath(path)}${options.queryString ? `?${options.queryString}` : ''}`;
    return options.host ? `${options.scheme ?? 'http'}://${asciiHost(options.host)}${relative}` : relative;
  }

  /**
   * Builds the URL of an endpoint from values: the first rule (in build order) that allows the method and can take the
   * values wins. `null` and `undefined` values count as absent; the others that are not parameters go to the query
   * string. A rule on another host or subdomain builds an absolute URL. Throws {@link BuildError} with a hint.
   *
   * @example
   * router.build('user', { id: 7 }, { external: true, host: 'example.com', anchor: 'bio' }); // 'http://example.com/users/7#bio'
   */
  build(endpoint: string, values: Readonly<Record<string, unknown>> = {}, options: BuildOptions = {}): string {
    const method = options.method?.toUpperCase();
    // Werkzeug drops None values first: they are missing parameters and no query item.
    let given = values;
    for (const key in values) {
      if (values[key] === null || values[key] === undefined) {
        given = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined));
        break;
      }
    }
    if (!this.#byEndpoint.has(endpoint)) throw this.#buildError(endpoint, given, method);
    // Only host rules compare hosts, so only a router with some reads the current one.
    const current = this.#hasHostRules && options.host ? new Domain(options.host, options.scheme, null) : undefined;
    const currentSubdomain = this.#hasSubdomainRules ? this.#currentSubdomain(options) : null;
    // A host rule's URL is on the current host when they meet as matching compares them: with ports for a pattern
    // that names one, by name alone for a pattern that does not.
    const sameHost = (rule: Rule, built: Built): boolean => {
      if (current === undefined) return false;
      const here = rule.hostHasPort ? current.withPort : current.name;
      if (rule.hostLiteral !== null) return rule.hostLiteral === here;
      const host = new Domain(built.host!, options.scheme, null);
      return (rule.hostHasPort ? host.withPort : host.name) === here;
    };
    const isHere = (rule: Rule, built: Built): boolean =>
      rule.subdomain !== null
        ? built.subdomain === currentSubdomain
        : built.host === null || current === undefined || sameHost(rule, built);
    const query: QueryOptions = {
      appendUnknown: options.appendUnknown,
      sortKey: this.#options.sortKey ?? (this.#options.sortParameters ? byKey : undefined),
    };
    const ordered = this.#buildOrder(endpoint);
    // Werkzeug's order: without a method, GET rules first, then any; among fitting rules, one on the current host
    // (or on no host) first, else the first that fits.
    const found =
      (method === undefined ? this.#buildWith(ordered, given, 'GET', isHere, query) : null) ??
      this.#buildWith(ordered, given, method, isHere, query);
    if (found === null) throw this.#buildError(endpoint, given, method);
    const { rule, built } = found;
    let url = `${quotePath(options.scriptName ?? '')}${built.path}${built.query ? `?${built.query}` : ''}${options.anchor ? `#${quoteAnchor(options.anchor)}` : ''}`;
    const here =
      rule.subdomain !== null ? built.subdomain === currentSubdomain : rule.host === null || sameHost(rule, built);
    if (options.external || !here) {
      // The request's own host keeps its port: a rule for 'example.com' reached on port 8080 links to port 8080.
      const host = built.host === null || (here && !rule.hostHasPort) ? (options.host ?? built.host) : built.host;
      if (!host)
        throw new BuildError(
          endpoint,
          values,
          method,
          'An external URL needs a host: build inside a request, or set SERVER_NAME.',
        );
      url = `${options.scheme ?? 'http'}://${asciiHost(host)}${url}`;
    }
    return url;
  }

  /** Werkzeug's BuildError message: the closest rule says which endpoint was meant, which method, or which values are missing. */
  #buildError(endpoint: string, values: Readonly<Record<string, unknown>>, method: string | undefined): BuildError {
    const rules = this.#byEndpoint.get(endpoint);
    if (!rules) {
      const near = BuildError.suggest(endpoint, this.#byEndpoint.keys());
      const suggested =
        near === undefined ? undefined : BuildError.closestRule(near, values, method, this.#byEndpoint.get(near)!);
      return new BuildError(
        endpoint,
        values,
        method,
        near ? `Did you mean '${near}' instead?` : 'No rule has that endpoint.',
        suggested,
      );
    }
    const suggested = BuildError.closestRule(endpoint, values, method, rules)!;
    const hints: string[] = [];
    if (method !== undefined && !suggested.methods.has(method))
      hints.push(`Did you mean to use methods ${listOf([...suggested.methods].sort())}?`);
    // Werkzeug lists the rule's defaults too; a value with a default is not forgotten, so Flagon leaves them out.
    const missing = [...suggested.arguments]
      .filter((name) => values[name] === undefined && suggested.defaults[name] === undefined)
      .sort();
    if (missing.length > 0) hints.push(`Did you forget to specify values ${listOf(missing)}?`);
    return new BuildError(
      endpoint,
      values,
      method,
      hints.length > 0 ? hints.join(' ') : 'A value does not fit its converter, or contradicts a default of the rule.',
      suggested,
    );
  }
}

type Built = NonNullable<ReturnType<Rule['build']>>;

/**
 * What host and subdomain rules meet: the request's subdomain, and its host in the forms host patterns compare,
 * each made on first use, so a match that reaches no host rule pays for none of them.
 */
class Domain {
  readonly #raw: string;
  readonly #scheme: 'http' | 'https' | undefined;
  #host: string | undefined;
  #name: string | undefined;
  #withPort: string | undefined;

  constructor(
    host: string,
    scheme: 'http' | 'https' | undefined,
    readonly subdomain: string | null,
  ) {
    this.#raw = host;
    this.#scheme = scheme;
  }

  /** Lower case, IDNA, the scheme's default port dropped: `example.com`, `localhost:5000`. */
  get host(): string {
    return (this.#host ??= this.#raw === '' ? '' : normalizeHost(this.#raw, this.#scheme));
  }

  /** Without any port: what a host pattern without one meets (it answers on any port). */
  get name(): string {
    return (this.#name ??= stripPort(this.host));
  }

  /** With its port, the default one written out (`example.com:443` over https): what a pattern with a port meets. */
  get withPort(): string {
    const host = this.host;
    return (this.#withPort ??=
      host === '' || /:\d+$/.test(host) ? host : `${host}:${this.#scheme === 'https' ? 443 : 80}`);
  }
}
const NO_DOMAIN = new Domain('', undefined, null);

const byKey = ([key]: readonly [string, unknown]): string => key;

/**
 * With host matching every rule names its whole host. A subdomain is not used then (a rule with both, as Flask's
 * test_server_name_matching writes for either mode, answers its host); given alone, the error says where it goes.
 */
function checkHostMatching(rule: string, options: RuleOptions): void {
  if (options.host !== undefined) return;
  const which = `rule '${rule}'${options.endpoint ? ` (endpoint '${options.endpoint}')` : ''}`;
  if (options.subdomain !== undefined)
    throw new FlagonError(
      'FLAGON_ERR_HOST_MATCHING',
      `${which} has the subdomain '${options.subdomain}' and no host; host matching does not use subdomains: write it into the host, as { host: '${options.subdomain ? `${options.subdomain}.` : ''}example.com' }`,
    );
  throw new FlagonError(
    'FLAGON_ERR_HOST_MATCHING',
    `${which} has no host, and with host matching no request could reach it: give it one, as app.get('${rule}', { host: 'example.com' }, view) or { host: '<user>.example.com' }; a blueprint's rules take the host of new Blueprint(name, import.meta.url, { host }) or of app.registerBlueprint(bp, { host })`,
  );
}

/** A list of names as Werkzeug's messages write them: `['id', 'page']`. */
function listOf(names: readonly string[]): string {
  return `[${names.map((name) => `'${name}'`).join(', ')}]`;
}

/** The decoded path a rule without path parameters matches, from its segments ('/yes//merge', merged, is '/yes/merge'). */
function staticPath(rule: Rule): string {
  return `/${rule.segments.map((segment) => (segment.kind === 'static' ? segment.text : '')).join('/')}`;
}
