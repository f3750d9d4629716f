/**
 * Shortly, the URL shortener of Werkzeug's tutorial, on Flagon's toolkit alone: no App, no context, no globals. A
 * class holds a Router (Werkzeug's `Map`), a nunjucks environment and a Redis client; `dispatchRequest` matches the
 * URL and calls the `on…` method for its endpoint; `gatewayApp` turns the Response into a TSGI answer; `createApp`
 * puts `sharedData` in front for /static. Each step Flask's App does for you is written out here.
 *
 * Run (after `npm run build`, from the repository's root; Redis listening at REDIS_URL, default redis://localhost:6379):
 *   REDIS_URL=redis://localhost:6379 npx tsx examples/shortly/shortly.ts
 * then open http://127.0.0.1:5000/.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import nunjucks from 'nunjucks';
import { createClient } from 'redis';
import type { GatewayApp } from 'flagon/gateway';
import { HTTPError, NotFound } from 'flagon/http';
import { sharedData } from 'flagon/middleware';
import { Router } from 'flagon/routing';
import { serve } from 'flagon/serving';
import { Request, Response } from 'flagon/wrappers';

/**
 * What Shortly uses of a Redis client: a connected `createClient()` of the `redis` package (node-redis) fits.
 *
 * @example
 * const redis: ShortlyRedis = await createClient({ url: 'redis://localhost:6379' }).connect();
 */
export interface ShortlyRedis {
  get(key: string): Promise<string | null>;
  incr(key: string): Promise<number>;
  set(key: string, value: string, options?: { NX?: boolean }): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * `n` in base 36 with lowercase digits, as the tutorial's `base36_encode`: the short ids `1`, `2`, … `z`, `10`.
 *
 * @example
 * base36Encode(35); // 'z'
 * base36Encode(36); // '10'
 */
export function base36Encode(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`base36Encode(${n}): give a non-negative integer`);
  return n.toString(36);
}

/**
 * Whether a URL is one Shortly will shorten: an absolute http or https URL. Anything else (`javascript:`, `ftp:`, a
 * relative path, text) would turn the short link into something other than a redirect to a web page.
 *
 * @example
 * isValidUrl('https://example.com/a?b=c'); // true
 * isValidUrl('javascript:alert(1)');      // false
 */
export function isValidUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, host } = new URL(url);
  return (protocol === 'http:' || protocol === 'https:') && host !== '';
}

/**
 * The host of a URL (`example.com:8080`): the `hostname` filter of the detail page.
 *
 * @example
 * getHostname('https://example.com:8080/x'); // 'example.com:8080'
 */
export function getHostname(url: string): string {
  return URL.canParse(url) ? new URL(url).host : '';
}

/** A plain redirect, as Werkzeug's `utils.redirect` (the App layer's `redirect()` is a level above the toolkit). */
function redirect(location: string, status = 302): Response {
  return new Response(null, { status, headers: { Location: location } });
}

type Params = Readonly<Record<string, unknown>>;

/**
 * The shortener: a TSGI app (`gatewayApp`) over a Redis client. Keys as in the tutorial: `last-url-id` counts the
 * URLs; `url-target:<id>` is where a short id goes, `reverse-url:<url>` the id of a URL already shortened, and
 * `click-count:<id>` how often the short link was followed.
 *
 * @example
 * const shortly = new Shortly(await createClient({ url: 'redis://localhost:6379' }).connect());
 * await serve(shortly.gatewayApp, { port: 5000 });
 */
export class Shortly {
  readonly redis: ShortlyRedis;
  readonly #templates: nunjucks.Environment;
  // Werkzeug's Map([Rule('/', endpoint='new_url'), …]). The form posts to '/', so that rule takes POST too.
  readonly urlMap = new Router();

  constructor(redis: ShortlyRedis) {
    this.redis = redis;
    const templates = fileURLToPath(new URL('./templates', import.meta.url));
    this.#templates = new nunjucks.Environment(new nunjucks.FileSystemLoader(templates), { autoescape: true });
    this.#templates.addFilter('hostname', getHostname);
    this.urlMap.add('/', { endpoint: 'new_url', methods: ['GET', 'POST'] });
    this.urlMap.add('/<short_id>', { endpoint: 'follow_short_link' });
    this.urlMap.add('/<short_id>+', { endpoint: 'short_link_details' });
  }

  /** The form; on a valid POST, the URL is stored and the browser sent to its detail page. */
  async onNewUrl(request: Request): Promise<Response> {
    let error: string | null = null;
    let url = '';
    if (request.method === 'POST') {
      url = (await request.form()).get('url') ?? '';
      if (isValidUrl(url))
        return redirect(this.urlMap.build('short_link_details', { short_id: await this.insertUrl(url) }));
      error = 'Please enter a valid URL';
    }
    return this.renderTemplate('new_url.html', { error, url });
  }

  /** The short link itself: counts the click and redirects to the target. */
  async onFollowShortLink(_request: Request, shortId: string): Promise<Response> {
    const target = await this.redis.get(`url-target:${shortId}`);
    if (target === null) throw new NotFound();
    await this.redis.incr(`click-count:${shortId}`);
    return redirect(target);
  }

  /** What a short link points to, and how often it was followed. */
  async onShortLinkDetails(_request: Request, shortId: string): Promise<Response> {
    const target = await this.redis.get(`url-target:${shortId}`);
    if (target === null) throw new NotFound();
    const clickCount = Number((await this.redis.get(`click-count:${shortId}`)) ?? 0);
    return this.renderTemplate('short_link_details.html', {
      link_target: target,
      short_id: shortId,
      click_count: clickCount,
    });
  }

  /** The 404 page, in the site's layout rather than the default error page. */
  error404(): Response {
    const response = this.renderTemplate('404.html');
    response.status = 404;
    return response;
  }

  /**
   * The short id of `url`: the one it already has, or the next number in base 36. Two requests shortening the same
   * new URL at once could each take a number (as in the tutorial); `SET NX` on the reverse key makes them agree on one.
   */
  async insertUrl(url: string): Promise<string> {
    const existing = await this.redis.get(`reverse-url:${url}`);
    if (existing !== null) return existing;
    const shortId = base36Encode(await this.redis.incr('last-url-id'));
    await this.redis.set(`url-target:${shortId}`, url);
    if ((await this.redis.set(`reverse-url:${url}`, shortId, { NX: true })) !== null) return shortId;
    return (await this.redis.get(`reverse-url:${url}`)) ?? shortId; // the other request won: its id, ours unused
  }

  /** Renders a template into an HTML response (autoescaped: a URL with `<script>` in it is shown, never run). */
  renderTemplate(name: string, context: Record<string, unknown> = {}): Response {
    return new Response(this.#templates.render(name, context), {
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    });
  }

  /** Matches the URL and calls the endpoint's method; HTTP errors (a 405, a redirect to add a slash) are responses. */
  async dispatchRequest(request: Request): Promise<Response | HTTPError> {
    try {
      const { endpoint, params } = this.urlMap.match(request.path, {
        method: request.method,
        host: request.host,
        scheme: request.scheme,
        scriptName: request.scriptRoot,
        queryString: request.environ.QUERY_STRING,
      });
      return await this.#call(endpoint, request, params);
    } catch (error) {
      if (error instanceof NotFound) return this.error404();
      if (error instanceof HTTPError) return error; // 405 with Allow, 308 RequestRedirect, …
      throw error;
    }
  }

  #call(endpoint: string, request: Request, params: Params): Promise<Response> {
    const shortId = String(params.short_id);
    switch (endpoint) {
      case 'new_url':
        return this.onNewUrl(request);
      case 'follow_short_link':
        return this.onFollowShortLink(request, shortId);
      case 'short_link_details':
        return this.onShortLinkDetails(request, shortId);
      default:
        throw new Error(`Shortly has no view for the endpoint '${endpoint}': add an on… method and a case here`);
    }
  }

  /**
   * The TSGI app, Werkzeug's `wsgi_app`: `Request.application` makes a Request over the environ, awaits the response
   * and calls it as a TSGI app (an HTTPError is one too), and closes the request once the body is sent. `createApp`
   * replaces it with the same app behind `sharedData`, as the tutorial does.
   */
  gatewayApp: GatewayApp = Request.application((request) => this.dispatchRequest(request), {
    maxContentLength: 64 * 1024, // a form with one URL in it
  });

  /** Closes the Redis connection. */
  async close(): Promise<void> {
    await this.redis.close();
  }
}

/**
 * Options of {@link createApp}.
 *
 * @example
 * const options: ShortlyOptions = { redisUrl: 'redis://localhost:6379', withStatic: true };
 */
export interface ShortlyOptions {
  /** Where Redis listens: `redis://host:port` or `unix:///path/redis.sock`. Default `redis://localhost:6379`. */
  redisUrl?: string;
  /** Serve /static from the static folder (the tutorial's `with_static`). Default true. */
  withStatic?: boolean;
}

/**
 * Connects to Redis and builds Shortly, with its static files served by `sharedData` (the tutorial's `create_app`).
 *
 * @example
 * const shortly = await createApp({ redisUrl: process.env.REDIS_URL });
 * await serve(shortly.gatewayApp, { port: 5000 });
 */
export async function createApp(options: ShortlyOptions = {}): Promise<Shortly> {
  const app = new Shortly(await createClient({ url: options.redisUrl ?? 'redis://localhost:6379' }).connect());
  if (options.withStatic ?? true)
    app.gatewayApp = sharedData(app.gatewayApp, { '/static': fileURLToPath(new URL('./static', import.meta.url)) });
  return app;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const app = await createApp({ redisUrl: process.env.REDIS_URL });
  const server = await serve(app.gatewayApp, { port: Number(process.env.PORT ?? 5000) });
  console.log(` * Shortly on ${server.url}/ (Redis at ${process.env.REDIS_URL ?? 'redis://localhost:6379'})`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void server.close().then(() => app.close()));
}
