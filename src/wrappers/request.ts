/** @module Request: the environ as a lazy, memoised object with Flask's names, and body readers that read once (layer L2). */
import { getContentLength, requestHeaders } from '../gateway/environ.js';
import { FlagonError } from '../gateway/errors.js';
import { getCurrentUrl, getHost, hostIsTrusted } from '../gateway/url.js';
import type { Environ, GatewayApp } from '../gateway/types.js';
import { parseAccept, type Accept } from '../http/accept.js';
import { Authorization } from '../http/auth.js';
import { parseCacheControl, type RequestCacheControl } from '../http/cache-control.js';
import { parseCookie } from '../http/cookie.js';
import {
  BadRequest,
  ClientDisconnected,
  HTTPError,
  RequestEntityTooLarge,
  UnsupportedMediaType,
} from '../http/errors.js';
import { Headers } from '../http/headers.js';
import { MultiDict, parseQuery } from '../http/multidict.js';
import type { Rule } from '../routing/rule.js';
import { mixInAccessors } from './accessor-mixin.js';
import { RequestHeaderProperties } from './request-headers.js';
import { decoderFor, parseJsonBody, readBody } from './body.js';
import {
  parseMultipart,
  streamMultipart,
  type FileStorage,
  type MultipartPart,
  type ParsedMultipart,
} from './multipart.js';

/**
 * Limits and policies of a {@link Request}; the App fills them from its config.
 *
 * @example
 * new Request(environ, { maxContentLength: 16 * 1024 * 1024, trustedHosts: ['.example.com'] });
 */
export interface RequestOptions {
  /** MAX_CONTENT_LENGTH: the largest body accepted, in bytes; `null` for no limit. Default `null`. */
  maxContentLength?: number | null;
  /** MAX_FORM_MEMORY_SIZE: the largest urlencoded form body, and the largest non-file multipart field. Default 500,000 bytes. */
  maxFormMemorySize?: number | null;
  /** MAX_FORM_PARTS: the most fields plus files in a multipart body. Default 1,000. */
  maxFormParts?: number | null;
  /** The largest uploaded file, in bytes; none by default (MAX_CONTENT_LENGTH still applies). */
  maxFileSize?: number | null;
  /**
   * MAX_BODY_MEMORY_SIZE: the largest body `bytes()`, `text()`, `json()` and an urlencoded `form()` hold in memory;
   * `null` for no cap. Default 1 MiB. Streamed reads (`parts()`, `tsgi.input`) and spooled uploads are not capped by it.
   */
  maxBodyMemorySize?: number | null;
  /** TRUSTED_HOSTS: when set, any other Host reads as `''`. */
  trustedHosts?: readonly string[] | null;
  /** Show parse errors in 400 descriptions. Default false. */
  debug?: boolean;
  /** What `json()` does with `__proto__`, `constructor` and `prototype` keys: refuse with 400 (default) or keep. */
  jsonPrototypeKeys?: 'reject' | 'allow';
}

type LimitName = 'maxContentLength' | 'maxFormMemorySize' | 'maxFormParts' | 'maxFileSize' | 'maxBodyMemorySize';

/** MAX_BODY_MEMORY_SIZE's default: 1 MiB, Fastify's `bodyLimit`. */
const BODY_MEMORY_DEFAULT = 1_048_576;

/** Each limit's default and the config key behind it, named in its 413. */
const LIMITS: Readonly<Record<LimitName, { fallback: number | null; setting: string }>> = {
  maxContentLength: { fallback: null, setting: 'MAX_CONTENT_LENGTH' },
  maxFormMemorySize: { fallback: 500_000, setting: 'MAX_FORM_MEMORY_SIZE' },
  maxFormParts: { fallback: 1_000, setting: 'MAX_FORM_PARTS' },
  maxFileSize: { fallback: null, setting: 'maxFileSize' },
  maxBodyMemorySize: { fallback: BODY_MEMORY_DEFAULT, setting: 'MAX_BODY_MEMORY_SIZE' },
};

/**
 * The blueprints an endpoint belongs to, innermost first, as Flask's `request.blueprints`: `'a.b.view'` gives
 * `['a.b', 'a']`, an app endpoint `[]`. The App's hooks and error handlers apply in this order.
 *
 * @example
 * blueprintChain('admin.users.list'); // ['admin.users', 'admin']
 */
export function blueprintChain(endpoint: string): string[] {
  const parts = endpoint.split('.').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
}

/**
 * The incoming request, over a TSGI environ. Every property is computed on first use and kept; the body is read at
 * most once, whichever of `bytes()`, `text()`, `json()` or `form()` asks first. `params` holds the values routing
 * matched; `endpoint`, `blueprint`, `blueprints`, `urlRule`, `viewArgs` and `routingException` say what it matched.
 * The headers read more rarely (`referrer`, `userAgent`, `ifNoneMatch`, …) are those of {@link RequestHeaderProperties}.
 *
 * @example
 * const request = new Request(environ);
 * request.method;              // 'POST'
 * request.args.get('page');    // '2'
 * await request.json();        // { name: 'Ada' }
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged interface's getters are on the prototype (end of file)
export class Request<Params = Record<string, unknown>, Valid = unknown> {
  readonly environ: Environ;
  readonly #options: RequestOptions;
  #args?: MultiDict<string>;
  #headers?: Headers;
  #cookies?: Record<string, string | undefined>;
  #host?: string;
  #accept?: Map<string, Accept>;
  #authorization?: Authorization | null;
  #cacheControl?: RequestCacheControl;
  #body?: Promise<Uint8Array>;
  #form?: Promise<MultiDict<string>>;
  #multipart?: Promise<ParsedMultipart>;
  #json?: Promise<unknown>;
  #forcedJson?: Promise<unknown>;
  #method?: string;
  #params?: Params;
  #valid?: Valid;
  #urlRule?: Rule | null;
  #routingException?: HTTPError | null;
  #ownLimits?: Partial<Record<LimitName, number | null>>;

  /**
   * Turns a handler from Request to response into a TSGI app, as Werkzeug's `Request.application`: a thrown
   * `HTTPError` becomes its error page; any other error goes to the server (a 500).
   *
   * @example
   * const app = Request.application(async (request) => new Response(`Hello, ${request.args.get('name') ?? 'World'}!`));
   * await serve(app);
   */
  static application(
    handler: (request: Request) => { gatewayApp: GatewayApp } | Promise<{ gatewayApp: GatewayApp }>,
    options: RequestOptions = {},
  ): GatewayApp {
    return async function requestApplication(environ, startResponse) {
      const request = new Request(environ, options);
      let response: { gatewayApp: GatewayApp };
      try {
        response = await handler(request);
      } catch (error) {
        await request.close();
        if (error instanceof HTTPError) return error.gatewayApp(environ, startResponse);
        throw error;
      }
      const body = await response.gatewayApp(environ, startResponse);
      if (!request.needsClose) return body;
      const close = async (): Promise<void> => {
        try {
          await body.close?.();
        } finally {
          await request.close();
        }
      };
      return Symbol.iterator in body
        ? Object.assign([...(body as Iterable<Uint8Array>)], { close })
        : Object.assign(body, { close });
    };
  }

  constructor(environ: Environ, options: RequestOptions = {}) {
    this.environ = environ;
    this.#options = options;
  }

  /** MAX_CONTENT_LENGTH for this request (`null`: no limit); set it before reading the body. */
  get maxContentLength(): number | null {
    return this.#limit('maxContentLength', null);
  }

  set maxContentLength(limit: number | null) {
    (this.#ownLimits ??= {}).maxContentLength = limit;
  }

  /** MAX_FORM_MEMORY_SIZE for this request: the largest urlencoded body or multipart field. Default 500,000 bytes. */
  get maxFormMemorySize(): number | null {
    return this.#limit('maxFormMemorySize', 500_000);
  }

  set maxFormMemorySize(limit: number | null) {
    (this.#ownLimits ??= {}).maxFormMemorySize = limit;
  }

  /** MAX_FORM_PARTS for this request: the most fields plus files in a multipart body. Default 1,000. */
  get maxFormParts(): number | null {
    return this.#limit('maxFormParts', 1_000);
  }

  set maxFormParts(limit: number | null) {
    (this.#ownLimits ??= {}).maxFormParts = limit;
  }

  /** The largest uploaded file for this request, or `null`. */
  get maxFileSize(): number | null {
    return this.#limit('maxFileSize', null);
  }

  set maxFileSize(limit: number | null) {
    (this.#ownLimits ??= {}).maxFileSize = limit;
  }

  /** MAX_BODY_MEMORY_SIZE for this request: the largest body a buffered read holds in memory. Default 1 MiB. */
  get maxBodyMemorySize(): number | null {
    return this.#limit('maxBodyMemorySize', BODY_MEMORY_DEFAULT);
  }

  set maxBodyMemorySize(limit: number | null) {
    (this.#ownLimits ??= {}).maxBodyMemorySize = limit;
  }

  /** The smallest of the limits a read is under, with the config key that set it, for the 413 to name. */
  #tightest(names: readonly LimitName[]): { limit: number | null; setting: string } {
    let limit: number | null = null;
    let setting = 'MAX_CONTENT_LENGTH';
    for (const name of names) {
      const value = this.#limit(name, LIMITS[name].fallback);
      if (value !== null && (limit === null || value < limit)) {
        limit = value;
        setting = LIMITS[name].setting;
      }
    }
    return { limit, setting };
  }

  /** A limit set on this request, else its option (read now, so a live option applies), else the default. */
  #limit(name: LimitName, fallback: number | null): number | null {
    const own = this.#ownLimits?.[name];
    if (own !== undefined) return own;
    const option = this.#options[name];
    return option === undefined ? fallback : option;
  }

  /** Values matched from the URL rule, typed by the rule when the App sets them; `{}` until then. */
  get params(): Params {
    return (this.#params ??= {} as Params); // made on first use: the App replaces it on every matched request
  }

  set params(values: Params) {
    this.#params = values;
  }

  /**
   * The request parts the route's schemas validated, as their output (`req.valid.query`, `req.valid.body`…), set by
   * the App before the view. On a route without schemas it throws, naming the fix.
   *
   * @example
   * app.get('/items', { query: z.object({ page: z.coerce.number() }) }, (req) => ({ page: req.valid.query.page }));
   */
  get valid(): Valid {
    if (this.#valid === undefined)
      throw new FlagonError(
        'FLAGON_ERR_NO_VALIDATION',
        `req.valid is only set on a route with schemas, after its before-request hooks: give the route a schema (app.get('${this.#urlRule?.rule ?? this.path}', { query: z.object({ … }) }, view)) or read req.args, req.json() and req.form() instead`,
      );
    return this.#valid;
  }

  set valid(values: Valid) {
    this.#valid = values;
  }

  /**
   * The rule the URL matched (Flask's `url_rule`): set by the App while matching; `null` before, and when routing
   * failed (a 404, 405 or redirect; see `routingException`).
   *
   * @example
   * app.beforeRequest((req) => { if (req.urlRule?.methods.has('POST')) audit(req); });
   */
  get urlRule(): Rule | null {
    return this.#urlRule ?? null;
  }

  set urlRule(rule: Rule | null) {
    this.#urlRule = rule;
  }

  /**
   * The HTTPError routing raised (Flask's `routing_exception`): `NotFound`, `MethodNotAllowed`, a `RequestRedirect`,
   * or a `BadRequest` for a host outside TRUSTED_HOSTS; `null` when the URL matched. The App raises it after the
   * before-request hooks, so they can see it first.
   *
   * @example
   * app.beforeRequest((req) => { if (req.routingException instanceof NotFound) metrics.count('404'); });
   */
  get routingException(): HTTPError | null {
    return this.#routingException ?? null;
  }

  set routingException(error: HTTPError | null) {
    this.#routingException = error;
  }

  /**
   * The values the URL matched, as the view gets them (Flask's `view_args`): the same object as `params`, so a
   * `urlValuePreprocessor` that removes a value removes it for the view too; `null` when no rule matched.
   *
   * @example
   * app.get('/users/<int:id>', (req) => req.viewArgs); // { id: 7 } for /users/7
   */
  get viewArgs(): Params | null {
    return this.#urlRule ? this.params : null;
  }

  /**
   * The endpoint of the matched rule (`'admin.users.list'`), or `null` when routing failed (Flask's `endpoint`).
   *
   * @example
   * app.beforeRequest((req) => { if (req.endpoint !== 'login' && !session.user) return redirect('/login'); });
   */
  get endpoint(): string | null {
    return this.#urlRule?.endpoint ?? null;
  }

  /**
   * The name of the blueprint the matched endpoint belongs to, the innermost when blueprints nest
   * (`'admin.users'` for the endpoint `'admin.users.list'`); `null` for an app endpoint or when routing failed.
   *
   * @example
   * app.beforeRequest((req) => { if (req.blueprint === 'admin') requireAdmin(); });
   */
  get blueprint(): string | null {
    const endpoint = this.endpoint;
    const dot = endpoint === null ? -1 : endpoint.lastIndexOf('.');
    return dot === -1 ? null : endpoint!.slice(0, dot);
  }

  /**
   * The blueprint and its parents, innermost first (`['admin.users', 'admin']`), as Flask's `blueprints`; `[]` for
   * an app endpoint or when routing failed.
   *
   * @example
   * app.beforeRequest((req) => { if (req.blueprints.includes('admin')) requireAdmin(); });
   */
  get blueprints(): string[] {
    const endpoint = this.endpoint;
    return endpoint === null ? [] : blueprintChain(endpoint);
  }

  /** The method, upper case. */
  get method(): string {
    if (this.#method === undefined) {
      const method = this.environ.REQUEST_METHOD;
      this.#method = method === 'GET' || method === 'POST' || method === 'HEAD' ? method : method.toUpperCase();
    }
    return this.#method;
  }

  /** The path below the application root (PATH_INFO), decoded, starting with `/`. */
  get path(): string {
    const path = this.environ.PATH_INFO;
    return path.startsWith('/') ? path : `/${path}`;
  }

  /** Path and query, as Werkzeug's `full_path`: `/search?q=x` (the `?` is always there). */
  get fullPath(): string {
    return `${this.path}?${this.environ.QUERY_STRING}`;
  }

  /** Where the application is mounted (SCRIPT_NAME). */
  get scriptRoot(): string {
    return this.environ.SCRIPT_NAME;
  }

  /** The full URL, re-quoted. */
  get url(): string {
    return this.#withHost(() => getCurrentUrl(this.environ));
  }

  /** The URL without the query string. */
  get baseUrl(): string {
    return this.#withHost(() => getCurrentUrl(this.environ, { stripQueryString: true }));
  }

  /** The URL of the application root, ending in `/`. */
  get rootUrl(): string {
    return this.#withHost(() => getCurrentUrl(this.environ, { rootOnly: true }));
  }

  /** Scheme and host, ending in `/`. */
  get hostUrl(): string {
    return this.#withHost(() => getCurrentUrl(this.environ, { hostOnly: true }));
  }

  #withHost(build: () => string): string {
    // getCurrentUrl validates the Host itself; an untrusted one must not reach a URL either.
    return this.host === '' ? build().replace(/^(\w+:\/\/)[^/]*/, '$1') : build();
  }

  /** The host the client asked for, port included unless default; `''` when it is not a valid host or not trusted. */
  get host(): string {
    if (this.#host !== undefined) return this.#host;
    let host = getHost(this.environ);
    const trusted = this.#options.trustedHosts;
    if (host && trusted && !hostIsTrusted(host, trusted)) host = '';
    return (this.#host = host);
  }

  get scheme(): 'http' | 'https' {
    return this.environ['tsgi.url_scheme'];
  }

  get isSecure(): boolean {
    return this.scheme === 'https';
  }

  get remoteAddr(): string {
    return this.environ.REMOTE_ADDR;
  }

  /** The query string's arguments; repeated keys kept. */
  get args(): MultiDict<string> {
    return (this.#args ??= parseQuery(this.environ.QUERY_STRING));
  }

  /** The request headers. */
  get headers(): Headers {
    // What the server parsed, read as it is: a value it let through must not make reading headers throw (a 500).
    return (this.#headers ??= Headers.received(requestHeaders(this.environ)));
  }

  /** Cookies by name (null-prototype object). */
  get cookies(): Record<string, string | undefined> {
    return (this.#cookies ??= parseCookie(this.environ.HTTP_COOKIE));
  }

  /** The Content-Type header as sent. */
  get contentType(): string {
    return this.environ.CONTENT_TYPE ?? '';
  }

  /** The media type without parameters, lower case: `application/json`. */
  get mimetype(): string {
    return this.contentType.split(';')[0]!.trim().toLowerCase();
  }

  /** Content-Type parameters: `{ charset: 'utf-8' }`. */
  get mimetypeParams(): Record<string, string> {
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const part of this.contentType.split(';').slice(1)) {
      const [key, ...value] = part.split('=');
      if (key && value.length)
        params[key.trim().toLowerCase()] = value
          .join('=')
          .trim()
          .replace(/^"(.*)"$/, '$1');
    }
    return params;
  }

  get contentLength(): number | null {
    return getContentLength(this.environ);
  }

  /** Whether the body is JSON: `application/json` or `application/*+json`. */
  get isJson(): boolean {
    const type = this.mimetype;
    return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
  }

  get accept(): Accept {
    return this.#acceptOf('HTTP_ACCEPT', 'mime');
  }

  get acceptLanguages(): Accept {
    return this.#acceptOf('HTTP_ACCEPT_LANGUAGE', 'language');
  }

  get acceptCharsets(): Accept {
    return this.#acceptOf('HTTP_ACCEPT_CHARSET', 'plain');
  }

  get acceptEncodings(): Accept {
    return this.#acceptOf('HTTP_ACCEPT_ENCODING', 'plain');
  }

  #acceptOf(key: `HTTP_${string}`, kind: 'mime' | 'language' | 'plain'): Accept {
    this.#accept ??= new Map();
    let accept = this.#accept.get(key);
    if (!accept) this.#accept.set(key, (accept = parseAccept(this.environ[key], kind)));
    return accept;
  }

  /**
   * The `Authorization` header, parsed (Basic, Bearer, Digest or another scheme's token and parameters), or `null`
   * when there is none or it cannot be read. Werkzeug's `request.authorization`.
   *
   * @example
   * const auth = req.authorization;
   * if (auth?.type !== 'basic' || !checkUser(auth.username, auth.password)) abort(401);
   */
  get authorization(): Authorization | null {
    if (this.#authorization === undefined)
      this.#authorization = Authorization.fromHeader(this.environ.HTTP_AUTHORIZATION);
    return this.#authorization;
  }

  /**
   * The request's `Cache-Control` directives (`noCache`, `maxAge`, …), read-only. Werkzeug's `request.cache_control`.
   *
   * @example
   * if (req.cacheControl.has('no-cache')) return fresh();
   */
  get cacheControl(): RequestCacheControl {
    return (this.#cacheControl ??= parseCacheControl(this.environ.HTTP_CACHE_CONTROL));
  }

  /**
   * The body as bytes, read once, within `maxContentLength` and `maxBodyMemorySize` (413 otherwise). A client that
   * goes away mid-body is a `ClientDisconnected` (400). Called before `form()` or `files()`, they parse the bytes it
   * kept; after them, on a multipart body (parsed as it streams in, not kept), it rejects with a TypeError.
   *
   * @example
   * const raw = await req.bytes(); // e.g. to check a webhook's signature
   * const form = await req.form(); // parsed from the same bytes
   */
  bytes(): Promise<Uint8Array> {
    if (this.#body) return this.#body;
    if (this.#multipart) {
      // A multipart body is parsed as it streams in, and not kept: its bytes are gone.
      return Promise.reject(
        new TypeError(
          'the multipart body was already read by form() or files(), which keep no copy of it; call bytes() first to have both',
        ),
      );
    }
    const { limit, setting } = this.#tightest(['maxContentLength', 'maxBodyMemorySize']);
    return (this.#body = readBody(this.environ, limit, setting));
  }

  /** The body as an ArrayBuffer. */
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  /** The body decoded with the Content-Type charset (UTF-8 by default). */
  async text(): Promise<string> {
    return decoderFor(this.mimetypeParams.charset ?? 'utf-8').decode(await this.bytes());
  }

  /**
   * The body parsed as JSON. Not JSON by Content-Type → 415; malformed → 400 (the parser's message only in debug);
   * `__proto__`, `constructor` or `prototype` keys → 400 unless `jsonPrototypeKeys: 'allow'`. As Flask's
   * `get_json(force, silent)`: `force` parses whatever the Content-Type, `silent` gives `null` instead of those 415
   * and 400 (a body over the limits is still a 413).
   *
   * @example
   * const data = await req.json<{ name: string }>();
   * const maybe = await req.json({ silent: true }); // null when it is not JSON
   */
  json<T = unknown>(options?: { force?: boolean; silent?: false }): Promise<T>;
  json<T = unknown>(options: { force?: boolean; silent: true }): Promise<T | null>;
  json<T = unknown>(options: { force?: boolean; silent?: boolean } = {}): Promise<T | null> {
    const parsed =
      options.force && !this.isJson
        ? (this.#forcedJson ??= this.#parseJson(true))
        : (this.#json ??= this.#parseJson(false));
    if (!options.silent) return parsed as Promise<T>;
    return (parsed as Promise<T>).catch((error: unknown) => {
      const notJson =
        error instanceof UnsupportedMediaType ||
        (error instanceof BadRequest && !(error instanceof ClientDisconnected));
      if (notJson) return null;
      throw error;
    });
  }

  async #parseJson(force: boolean): Promise<unknown> {
    if (!force && !this.isJson)
      throw new UnsupportedMediaType(
        `Did not attempt to load JSON data because the request Content-Type was not 'application/json'.`,
      );
    return parseJsonBody(await this.bytes(), this.mimetypeParams.charset ?? 'utf-8', {
      debug: this.#options.debug ?? false,
      prototypeKeys: this.#options.jsonPrototypeKeys ?? 'reject',
    });
  }

  /**
   * Uploaded files of a multipart/form-data body by field name (an empty MultiDict for other bodies). Small files
   * stay in memory; past 500 kB they go to a temp file removed when the request ends.
   */
  async files(): Promise<MultiDict<FileStorage>> {
    if (this.mimetype !== 'multipart/form-data') return new MultiDict<FileStorage>();
    return (await this.#parseMultipart()).files;
  }

  #parseMultipart(): Promise<ParsedMultipart> {
    if (this.#multipart) return this.#multipart;
    const declared = this.contentLength;
    const limit = this.maxContentLength;
    if (limit !== null && declared !== null && declared > limit) {
      return (this.#multipart = Promise.reject(
        new RequestEntityTooLarge(`The request body is ${declared} bytes; the limit is ${limit} (MAX_CONTENT_LENGTH).`),
      ));
    }
    const limits = {
      maxContentLength: limit,
      maxFormMemorySize: this.maxFormMemorySize,
      maxFormParts: this.maxFormParts,
      maxFileSize: this.maxFileSize,
    };
    // bytes() read the body first: the parser reads what it kept (or fails as it did, or as parts() refuses).
    const source = this.#body?.then(
      (bytes): Environ => ({
        ...this.environ,
        'tsgi.input': (async function* () {
          yield bytes;
        })(),
      }),
    );
    return (this.#multipart = source
      ? source.then((environ) => parseMultipart(environ, this.contentType, limits))
      : parseMultipart(this.environ, this.contentType, limits));
  }

  /**
   * The parts of a multipart/form-data body as they arrive, buffering nothing: for uploads too large for memory or
   * disk spooling. Reads the body, so it cannot be combined with `form()` or `files()`.
   *
   * @example
   * for await (const part of req.parts()) {
   *   if (part.kind === 'file') await pipeline(part.stream, createWriteStream(join(dir, secureFilename(part.filename) || 'upload')));
   * }
   */
  parts(): AsyncGenerator<MultipartPart> {
    if (this.mimetype !== 'multipart/form-data')
      throw new UnsupportedMediaType('parts() reads multipart/form-data bodies.');
    if (this.#multipart || this.#body)
      throw new TypeError(
        'the request body was already read (form(), files() or bytes()); parts() reads it as a stream instead',
      );
    const declared = this.contentLength;
    if (this.maxContentLength !== null && declared !== null && declared > this.maxContentLength) {
      throw new RequestEntityTooLarge(
        `The request body is ${declared} bytes; the limit is ${this.maxContentLength} (MAX_CONTENT_LENGTH).`,
      );
    }
    this.#body = Promise.reject(new TypeError('the body is being read by parts()'));
    this.#body.catch(() => undefined);
    return streamMultipart(this.environ, this.contentType, {
      maxContentLength: this.maxContentLength,
      maxFormMemorySize: this.maxFormMemorySize,
      maxFormParts: this.maxFormParts,
      maxFileSize: this.maxFileSize,
    });
  }

  /** Whether the request holds something to release when it ends (an uploaded file's temp file). */
  get needsClose(): boolean {
    return this.#multipart !== undefined;
  }

  /** Releases what the request holds: removes temp files of uploads. Called when the response body closes. */
  async close(): Promise<void> {
    const parsed = await this.#multipart?.catch(() => null);
    await parsed?.cleanup();
  }

  /**
   * Form fields of an urlencoded body (within MAX_FORM_MEMORY_SIZE, MAX_CONTENT_LENGTH and MAX_BODY_MEMORY_SIZE: a
   * chunked body stops being read at the limit) or a multipart one; an empty MultiDict for other bodies.
   */
  form(): Promise<MultiDict<string>> {
    return (this.#form ??= this.#parseForm());
  }

  /**
   * The query's arguments and the form's fields in one MultiDict, arguments first, as Werkzeug's `request.values`;
   * a GET request's body is left unread, so its values are the arguments alone. A new MultiDict each call: change
   * `args` or the form, not it.
   *
   * @example
   * const page = (await req.values()).get('page'); // from ?page=2 or a posted page field
   */
  async values(): Promise<MultiDict<string>> {
    if (this.method === 'GET') return new MultiDict(this.args);
    return new MultiDict([...this.args, ...(await this.form())]);
  }

  async #parseForm(): Promise<MultiDict<string>> {
    const type = this.mimetype;
    if (type === 'multipart/form-data') return (await this.#parseMultipart()).form;
    if (type !== 'application/x-www-form-urlencoded') return new MultiDict<string>();
    // The body is read here, under the form's own limit, so a chunked body stops at it instead of being read whole.
    const { limit, setting } = this.#tightest(['maxFormMemorySize', 'maxContentLength', 'maxBodyMemorySize']);
    const bytes = await (this.#body ??= readBody(this.environ, limit, setting));
    // bytes() may have read it first, under its own limits
    if (limit !== null && bytes.byteLength > limit)
      throw new RequestEntityTooLarge(`The request body passed the limit of ${limit} bytes (${setting}).`);
    return parseQuery(new TextDecoder().decode(bytes));
  }
}

// The rarely read header properties (referrer, userAgent, ifNoneMatch, …) are getters of RequestHeaderProperties,
// copied onto Request's prototype rather than inherited: V8 builds a Request of a derived class more slowly (27
// against 14 ns, measured with a BaseRequest that declared the fields), and the App builds one per request.
mixInAccessors(RequestHeaderProperties, Request);
// The type side of it; merging must repeat the class's type parameters, unused here.
// biome-ignore lint/correctness/noUnusedVariables: see above
export interface Request<Params, Valid> extends RequestHeaderProperties {}
