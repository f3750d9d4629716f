/** @module Rule: one URL rule such as `/users/<int:id>`, parsed once into segments the matcher walks and the builder fills (layer L1). */
import { quotePath } from '../gateway/url.js';
import { asciiLabels } from './domain.js';
import {
  DEFAULT_CONVERTERS,
  parseConverterArgs,
  ValidationError,
  type Converter,
  type ConverterFactory,
} from './converters.js';

/**
 * What a rule needs besides its string.
 *
 * @example
 * const options: RuleOptions = { endpoint: 'user', methods: ['GET', 'PUT'], defaults: { tab: 'profile' } };
 */
export interface RuleOptions {
  /** The name views and `build()` know the rule by. */
  endpoint: string;
  /** Allowed methods, upper-cased; GET brings HEAD. Default `['GET']`. */
  methods?: Iterable<string>;
  /** Values the rule provides itself; a build with equal values picks this rule. */
  defaults?: Readonly<Record<string, unknown>>;
  /** A branch `/x/` requested as `/x` redirects (308) instead of 404. Default true. */
  strictSlashes?: boolean;
  /** `//` in a request path redirects to the merged path. Default true. */
  mergeSlashes?: boolean;
  /** Redirect to the URL of an earlier rule of the same endpoint whose defaults equal the matched values. Default true. */
  redirectDefaults?: boolean;
  /** A host pattern, for routers with host matching: `'<user>.example.com'`. */
  host?: string;
  /** A subdomain pattern, for routers with a server name: `'<user>'` or `'api'`. */
  subdomain?: string;
  /** Only for building URLs, never matched. */
  buildOnly?: boolean;
  /**
   * Another URL of an endpoint: a request for it redirects (308) to the URL the endpoint's other rules build from the
   * same values, as Werkzeug's `alias=True`: `/index.html` to `/`. Building tries alias rules last.
   */
  alias?: boolean;
  /**
   * Add OPTIONS for the app to answer by itself (Flask's `provide_automatic_options`). An automatic OPTIONS never
   * makes two rules duplicates: `GET /login` and `POST /login` as two views each get one, as in Flask.
   */
  automaticOptions?: boolean;
}

/**
 * How {@link Rule.build} writes values that are not parameters of the rule.
 *
 * @example
 * rule.build({ id: 7, b: 2, a: 1 }, { sortKey: ([key]) => key }); // query 'a=1&b=2'
 */
export interface QueryOptions {
  /** Put unknown values in the query string. Default true; false drops them (Werkzeug's `append_unknown`). */
  appendUnknown?: boolean;
  /** Sort the query items by this key (Werkzeug's `sort_parameters` with `sort_key`); unsorted when absent. */
  sortKey?: (item: readonly [string, unknown]) => string | number;
}

/** A literal or a converted parameter inside a segment. */
type Part =
  | { kind: 'text'; text: string }
  | { kind: 'param'; name: string; converterName: string; args: string; converter: Converter };

/**
 * One `/`-separated piece of a rule: static text, a single-segment pattern, or a `path` tail.
 *
 * @example
 * new Rule('/users/<int:id>', { endpoint: 'user' }).segments.map((s) => s.kind); // ['static', 'pattern']
 */
export type Segment =
  | { kind: 'static'; text: string /** The text percent-quoted for a URL, made on first build. */; quoted?: string }
  | {
      kind: 'pattern';
      parts: Part[];
      regex: RegExp;
      params: Array<Extract<Part, { kind: 'param' }>>;
      weight: number;
      literal: number;
      whole: boolean;
    }
  | { kind: 'path'; param: Extract<Part, { kind: 'param' }> };

const PARAM = /<([^<>]*)>/g;
const SPEC = /^\s*(?:([A-Za-z_]\w*)\s*(?:\((.*)\))?\s*:\s*)?([A-Za-z_]\w*)\s*$/s;
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function tokenize(rule: string, converters: Readonly<Record<string, ConverterFactory>>, where: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of rule.matchAll(PARAM)) {
    if (match.index > last) parts.push({ kind: 'text', text: rule.slice(last, match.index) });
    const spec = SPEC.exec(match[1]!);
    if (!spec)
      throw new SyntaxError(
        `${where}: '<${match[1]}>' is not a parameter; write <name> or <converter:name>, e.g. <int:id>`,
      );
    const converterName = spec[1] ?? 'default';
    const factory = converters[converterName];
    if (!factory) {
      throw new SyntaxError(
        `${where}: unknown converter '${converterName}'; known: ${Object.keys(converters)
          .filter((n) => n !== 'default')
          .join(', ')} (add your own: app.addConverter(name, factory), or the Router's converters option)`,
      );
    }
    const args = spec[2] ?? '';
    parts.push({ kind: 'param', name: spec[3]!, converterName, args, converter: factory(parseConverterArgs(args)) });
    last = match.index + match[0].length;
  }
  if (last < rule.length) parts.push({ kind: 'text', text: rule.slice(last) });
  for (const part of parts) {
    if (part.kind === 'text' && /[<>]/.test(part.text))
      throw new SyntaxError(`${where}: unbalanced '<' or '>' in ${JSON.stringify(part.text)}`);
  }
  return parts;
}

/**
 * Compiles the parts of one segment into an anchored regex. A `[^/]`-class converter followed by text cannot
 * contain that text's first character, so every split is decided left to right: no backtracking blow-up on long
 * input (the fix path-to-regexp made for CVE-2024-45296).
 */
function compilePattern(
  parts: Part[],
  separator: string,
  where: string,
): { regex: RegExp; params: Array<Extract<Part, { kind: 'param' }>> } {
  let source = '';
  const params: Array<Extract<Part, { kind: 'param' }>> = [];
  parts.forEach((part, i) => {
    if (part.kind === 'text') {
      source += escapeRegex(part.text);
      return;
    }
    const next = parts[i + 1];
    if (next?.kind === 'param')
      throw new SyntaxError(
        `${where}: <${part.name}> and <${next.name}> need text between them, e.g. <${part.name}>-<${next.name}>`,
      );
    let regex = part.converter.regex;
    if (regex.startsWith(`[^${separator}]`) && next?.kind === 'text')
      regex = `[^${separator}${escapeRegex(next.text[0]!)}]${regex.slice(3 + separator.length)}`;
    source += `(${regex})`;
    params.push(part);
  });
  return { regex: new RegExp(`^${source}$`), params };
}

/**
 * One URL rule, parsed and compiled. The router keeps a list of these; most code meets them through `Router`.
 *
 * @example
 * const rule = new Rule('/users/<int:id>', { endpoint: 'user' });
 * rule.arguments;              // Set { 'id' }
 * rule.build({ id: 7 })?.path; // '/users/7'
 */
export class Rule {
  readonly rule: string;
  readonly endpoint: string;
  /** Upper-case methods, HEAD included with GET. */
  readonly methods: ReadonlySet<string>;
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly hasDefaults: boolean;
  readonly strictSlashes: boolean;
  readonly mergeSlashes: boolean;
  readonly redirectDefaults: boolean;
  readonly buildOnly: boolean;
  /** OPTIONS was added for the app to answer (`RuleOptions.automaticOptions`), not asked for. */
  readonly automaticOptions: boolean;
  /** Matching it redirects to the endpoint's canonical URL ({@link RuleOptions.alias}). */
  readonly alias: boolean;
  readonly segments: readonly Segment[];
  readonly arguments: ReadonlySet<string>;
  /** Ends with `/`: requesting it without the slash redirects. */
  readonly isBranch: boolean;
  readonly isStatic: boolean;
  /** The rule without parameter names, to find duplicates. */
  readonly signature: string;
  /** The host the rule answers, as written or as its subdomain and the server name make it: `<user>.example.com`. */
  get hostPattern(): string | null {
    return this.subdomain === null ? this.#hostOption : this.#fullHost(this.subdomain);
  }
  readonly #hostOption: string | null;
  /**
   * The subdomain pattern of a rule bound to a server name (`''` for the server name itself), else null. Such a rule
   * matches the request's subdomain, not its whole host, so the server name's port is never in the way.
   */
  readonly subdomain: string | null;
  readonly #serverName: () => string;
  /** What the request's domain is tested against: the host pattern, or the subdomain pattern of a subdomain rule. */
  readonly host: { regex: RegExp; params: Array<Extract<Part, { kind: 'param' }>>; parts: Part[] } | null;
  /**
   * The host pattern names a port (`localhost:5000`): it is matched against the request's host with its port (the
   * scheme's default port dropped), as Werkzeug does. A pattern without a port answers its host on any port.
   */
  readonly hostHasPort: boolean;
  /** A host pattern without parameters, lower case (`example.com`, `localhost:5000`): compared as a string. */
  readonly hostLiteral: string | null;

  /**
   * `serverName` gives the server's own name, read when a URL is built, so SERVER_NAME may be set after the rule;
   * `defaultSubdomain` is the subdomain of rules that name neither a subdomain nor a host (Werkzeug's
   * `Map.default_subdomain`): unset, they answer any host.
   */
  constructor(
    rule: string,
    options: RuleOptions,
    converters: Readonly<Record<string, ConverterFactory>> = DEFAULT_CONVERTERS,
    serverName: () => string | undefined = () => undefined,
    defaultSubdomain?: string,
  ) {
    const where = `rule ${JSON.stringify(rule)}`;
    if (!rule.startsWith('/')) throw new SyntaxError(`${where} must start with '/'`);
    if (!options.endpoint) throw new TypeError(`${where} needs an endpoint name`);
    // A string is iterable, so 'GET' would become the methods G, E and T (Werkzeug and Flask refuse it too).
    if (typeof options.methods === 'string')
      throw new TypeError(
        `${where}: methods must be a list of method names, e.g. methods: ['${options.methods}'], not the string '${options.methods}'`,
      );
    this.rule = rule;
    this.endpoint = options.endpoint;
    this.alias = options.alias ?? false;
    const methods = new Set([...(options.methods ?? ['GET'])].map((m) => m.toUpperCase()));
    if (methods.has('GET')) methods.add('HEAD');
    this.automaticOptions = options.automaticOptions === true;
    if (this.automaticOptions) methods.add('OPTIONS');
    this.methods = methods;
    this.defaults = Object.freeze({ ...options.defaults });
    this.hasDefaults = Object.keys(this.defaults).length > 0;
    this.strictSlashes = options.strictSlashes ?? true;
    this.mergeSlashes = options.mergeSlashes ?? true;
    this.redirectDefaults = options.redirectDefaults ?? true;
    this.buildOnly = options.buildOnly ?? false;

    const segments: Segment[] = [];
    let raws = splitSegments(tokenize(rule, converters, where));
    // Werkzeug's merge_slashes applies to the rule too: '/yes//merge' matches and builds '/yes/merge'. The last empty
    // segment is not a doubled slash: it is what makes '/branch/' a branch.
    if (this.mergeSlashes)
      raws = raws.filter(
        (raw, i) => i === raws.length - 1 || !(raw.length === 1 && raw[0]!.kind === 'text' && raw[0]!.text === ''),
      );
    for (const raw of raws) {
      if (raw.length === 1 && raw[0]!.kind === 'text') {
        segments.push({ kind: 'static', text: raw[0]!.text });
      } else if (raw.some((p) => p.kind === 'param' && !p.converter.partIsolating)) {
        const param = raw[0]!;
        if (raw.length !== 1 || param.kind !== 'param')
          throw new SyntaxError(`${where}: a path converter takes whole segments, e.g. /files/<path:name>`);
        segments.push({ kind: 'path', param });
      } else {
        const { regex, params } = compilePattern(raw, '/', where);
        const literal = raw.reduce((n, p) => n + (p.kind === 'text' ? p.text.length : 0), 0);
        segments.push({
          kind: 'pattern',
          parts: raw,
          regex,
          params,
          literal,
          weight: Math.max(...params.map((p) => p.converter.weight)),
          whole: raw.length === 1,
        });
      }
    }
    this.segments = segments;
    this.isBranch = rule.length > 1 && rule.endsWith('/');

    if (options.subdomain !== undefined && !serverName())
      throw new TypeError(
        `${where} has a subdomain, so the router needs a serverName: set SERVER_NAME (app.config.SERVER_NAME = 'example.com') before adding subdomain rules`,
      );
    this.#serverName = () => serverName() ?? '';
    // A subdomain wins over a host, as before host matching and subdomains were told apart. A rule with neither gets
    // the default subdomain whether or not the server name is known yet, as Werkzeug's Rule.bind.
    this.subdomain = options.subdomain ?? (options.host === undefined ? (defaultSubdomain ?? null) : null);
    this.#hostOption = options.host ?? null;
    const domain = this.subdomain ?? options.host ?? null;
    if (domain === null) {
      this.host = null;
    } else {
      // A Unicode name is matched and built in its IDNA form, as the request's host is compared (bücher → xn--bcher-kva).
      const parts = tokenize(
        domain,
        converters,
        `${where}, ${this.subdomain === null ? 'host' : 'subdomain'} ${JSON.stringify(domain)}`,
      ).map((part) => (part.kind === 'text' ? { ...part, text: asciiLabels(part.text) } : part));
      this.host = { ...compilePattern(parts, '/', where), parts };
      this.host.regex = new RegExp(this.host.regex.source, 'i');
    }
    this.hostLiteral =
      this.subdomain === null && this.host !== null && this.host.params.length === 0
        ? this.host.parts
            .map((p) => (p.kind === 'text' ? p.text : ''))
            .join('')
            .toLowerCase()
        : null;
    // A colon outside an IPv6 literal's brackets: 'localhost:5000' and 'localhost:<int:port>', not '[::1]'.
    this.hostHasPort =
      this.subdomain === null &&
      this.host !== null &&
      /:[^\]:]*$/.test(this.host.parts.map((p) => (p.kind === 'text' ? p.text : 'x')).join(''));

    const names = [...segments.flatMap(paramsOf), ...(this.host?.params ?? [])].map((p) => p.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) throw new SyntaxError(`${where}: the parameter <${duplicate}> appears twice`);
    this.arguments = new Set(names);
    // No parameters, and no host or only a literal subdomain (the server name itself, when SERVER_NAME is set): the
    // router finds it by a map lookup and a string compare, without the walk.
    this.isStatic = names.length === 0 && (this.host === null || this.subdomain !== null);
    // The host a rule answers, for duplicate detection: its full host when the server name is known now (so a host
    // rule and a subdomain rule for the same host collide, as before), else its subdomain.
    const domainKey = this.subdomain === null ? (this.#hostOption ?? '') : (this.hostPattern ?? `.${this.subdomain}`);
    this.signature = `${domainKey}|${rule.replace(PARAM, (_m, spec: string) => `<${SPEC.exec(spec)?.[1] ?? 'default'}(${SPEC.exec(spec)?.[2] ?? ''})>`)}`;
  }

  /**
   * Fills the rule with values. Returns `null` when a value is missing or a converter refuses it. Values that are not
   * parameters of the rule (nor its defaults) become the query string: `null` and `undefined` dropped, arrays
   * repeated. `host` is the host the URL belongs to (null: any host); `subdomain` is its subdomain for a rule bound to
   * a server name.
   */
  build(
    values: Readonly<Record<string, unknown>>,
    options: QueryOptions = {},
  ): { path: string; query: string; host: string | null; subdomain: string | null } | null {
    let path = '';
    for (const segment of this.segments) {
      // Static text is quoted once, when first built: most URLs a page builds share their rule's segments.
      const piece =
        segment.kind === 'static'
          ? (segment.quoted ??= quotePath(segment.text))
          : this.#fill(segment.kind === 'path' ? [segment.param] : segment.parts, values);
      if (piece === null) return null;
      path += `/${piece}`;
    }
    const domain = this.host ? this.#fill(this.host.parts, values, true) : null;
    if (this.host && domain === null) return null;
    const host = this.subdomain === null ? domain : this.#fullHost(domain!);
    return {
      path: path === '' ? '/' : path,
      query: options.appendUnknown === false ? '' : this.#query(values, options.sortKey),
      host,
      subdomain: this.subdomain === null ? null : domain,
    };
  }

  /**
   * The parts of a segment (or the host) filled with values; `null` when one is missing or a converter refuses it.
   * A host's text is a name already (`[::1]:5000`, IDNA), not path text to quote.
   */
  #fill(parts: readonly Part[], values: Readonly<Record<string, unknown>>, host = false): string | null {
    let out = '';
    for (const part of parts) {
      if (part.kind === 'text') {
        out += host ? part.text : quotePath(part.text);
        continue;
      }
      const value = values[part.name] ?? this.defaults[part.name];
      if (value === undefined || value === null) return null;
      try {
        out += part.converter.toUrl(value);
      } catch (error) {
        if (error instanceof ValidationError) return null;
        throw error;
      }
    }
    return out;
  }

  /** Werkzeug's query items: one per value, one per array item, `null`/`undefined` dropped (Python's None). */
  #query(values: Readonly<Record<string, unknown>>, sortKey: QueryOptions['sortKey']): string {
    const items: Array<[string, unknown]> = [];
    for (const [key, value] of Object.entries(values)) {
      if (this.arguments.has(key) || key in this.defaults) continue;
      for (const item of Array.isArray(value) ? value : [value])
        if (item !== undefined && item !== null) items.push([key, item]);
    }
    if (items.length === 0) return '';
    if (sortKey) {
      const keyed = items.map((item) => ({ item, key: sortKey(item) }));
      keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      items.splice(0, items.length, ...keyed.map((k) => k.item));
    }
    return items.map(([key, item]) => `${quoteQuery(key)}=${quoteQuery(String(item))}`).join('&');
  }

  /** The rule's host from its subdomain; `null` while the server name is unknown (the rule then answers any host). */
  #fullHost(subdomain: string): string | null {
    const serverName = this.#serverName();
    if (serverName === '') return null;
    return subdomain === '' ? serverName : `${subdomain}.${serverName}`;
  }
}

/** A lone surrogate, which no UTF-8 can encode: written as U+FFFD, as URLSearchParams does. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** What encodeURIComponent quotes and Werkzeug's query does not: `$ , / : ; ? @` (its safe set, with `! ' ( ) * ~`). */
const QUERY_SAFE = /%(24|2C|2F|3A|3B|3F|40)/g;

/**
 * A query key or value as Werkzeug's `url_for` writes it (`urlencode(safe="!$'()*,/:;?@")`): a space is `+`, and
 * `/`, `:` and `@` stay as they are, so `?next=/notes/new` reads as Flask writes it.
 */
function quoteQuery(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'))
    .replace(/%20/g, '+')
    .replace(QUERY_SAFE, (escaped) => decodeURIComponent(escaped));
}

function paramsOf(segment: Segment): Array<Extract<Part, { kind: 'param' }>> {
  return segment.kind === 'static' ? [] : segment.kind === 'path' ? [segment.param] : segment.params;
}

/** Splits the token list at '/' in text parts; the leading '/' makes the first (empty) segment, which is dropped. */
function splitSegments(parts: Part[]): Part[][] {
  const segments: Part[][] = [[]];
  for (const part of parts) {
    if (part.kind === 'param') {
      segments[segments.length - 1]!.push(part);
      continue;
    }
    part.text.split('/').forEach((text, i) => {
      if (i > 0) segments.push([]);
      if (text !== '') segments[segments.length - 1]!.push({ kind: 'text', text });
    });
  }
  segments.shift();
  return segments.map((segment) => (segment.length === 0 ? [{ kind: 'text', text: '' }] : segment));
}
