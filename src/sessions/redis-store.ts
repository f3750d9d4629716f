/** @module Sessions in Redis (layer L3): a SessionStore on node-redis, the one file that uses the `redis` package. */
import { FlagonError } from '../gateway/errors.js';
import { SessionUnavailable } from './errors.js';
import type { SessionStore } from './server-side.js';
import type { SessionData } from './session.js';

/**
 * What the store uses of a node-redis client (`createClient()` from the `redis` package, v5 or later). Any client of
 * that package fits, RESP2 or RESP3.
 *
 * @example
 * const client: RedisSessionClient = await createClient({ url: 'redis://localhost:6379' }).connect();
 */
export interface RedisSessionClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { expiration: { type: 'EX'; value: number } }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Where the store finds Redis: a `url` (the store makes the client, with options that fail fast when Redis is away,
 * and `close()` closes it) or a `client` you made (and close yourself).
 *
 * @example
 * const options: RedisSessionStoreOptions = { url: 'redis://localhost:6379', prefix: 'myapp:session:' };
 */
export interface RedisSessionStoreOptions {
  /** `redis://[user:password@]host:port[/db]`, `rediss://…` for TLS, or `unix:///path/to/redis.sock`. */
  url?: string;
  /**
   * A node-redis client of your own, connected or connecting. Give it `disableOfflineQueue: true` so a command sent
   * while Redis is away fails at once (the request gets a 503) instead of waiting in a queue for Redis to come back.
   */
  client?: RedisSessionClient;
  /** Put before each session id to make its key. Default `'flagon:session:'`. */
  prefix?: string;
  /**
   * With `url`: how long, in milliseconds, to wait for a connection and for each command's answer before the request
   * gets a 503. Default 1000.
   */
  timeout?: number;
}

/**
 * Server-side sessions in Redis, for `ServerSideSessionInterface`: each session is one Redis string, its JSON under
 * `prefix + id`, set with `EX` = PERMANENT_SESSION_LIFETIME so Redis forgets it on its own (the TTL is renewed on
 * every save). A session holds JSON data: a `Date` comes back as its ISO string, a `Map` as `{}`, `undefined` values
 * vanish.
 *
 * When Redis cannot be reached (stopped, a network cut, a timeout), every method rejects with a
 * {@link SessionUnavailable}: the App answers the request 503 Service Unavailable and logs one line naming Redis and
 * the fix. A session is never read as empty because Redis was away, so nothing overwrites the stored one. With a `url`
 * the store connects on first use, sends no command while Redis is away (no offline queue: the request fails at once),
 * reconnects on its own, and times out a connection or a command after `timeout`.
 *
 * @example
 * import { RedisSessionStore, ServerSideSessionInterface } from 'flagon/sessions';
 * const store = new RedisSessionStore({ url: process.env.REDIS_URL ?? 'redis://localhost:6379' });
 * app.sessionInterface = new ServerSideSessionInterface(store);
 * process.on('SIGTERM', () => void store.close());
 */
export class RedisSessionStore implements SessionStore {
  readonly prefix: string;
  readonly #url: string | null;
  /** node-redis, loaded when the store is made from a url (and only then: an app without Redis never loads it). */
  readonly #redis: Promise<typeof import('redis')> | null = null;
  readonly #timeout: number;
  #client: RedisSessionClient | Promise<RedisSessionClient> | null = null;
  /** Counts close() calls, so a connection begun before one is not kept after it. */
  #epoch = 0;
  /** The client the store made from `url`, which `close()` closes. */
  #own: { readonly isOpen: boolean; readonly isReady: boolean; close(): Promise<void>; destroy(): void } | null = null;
  /** The last connection error, the reason a command failed while the client is offline. */
  #lastError: Error | null = null;

  constructor(options: RedisSessionStoreOptions) {
    if ((options.url === undefined) === (options.client === undefined))
      throw new FlagonError(
        'FLAGON_ERR_CONFIG',
        "RedisSessionStore needs either a url or a client: new RedisSessionStore({ url: 'redis://localhost:6379' }) or new RedisSessionStore({ client }).",
      );
    this.prefix = options.prefix ?? 'flagon:session:';
    this.#timeout = options.timeout ?? 1000;
    this.#url = options.url ?? null;
    if (this.#url !== null) {
      this.#redis = import('redis');
      this.#redis.catch(() => {}); // a failure to load is reported by the first command, as a SessionUnavailable
    }
    if (options.client !== undefined) {
      this.#client = options.client;
      this.#watch(options.client);
    }
  }

  async get(id: string): Promise<SessionData | null> {
    const raw = await this.#command('read', (client) => client.get(this.prefix + id));
    const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : null;
    if (text === null) return null;
    try {
      const data: unknown = JSON.parse(text);
      return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as SessionData) : null;
    } catch {
      return null; // not written by this store: as good as no session
    }
  }

  async set(id: string, data: SessionData, ttlSeconds: number): Promise<void> {
    const json = JSON.stringify(data);
    // EX takes whole seconds, at least 1.
    const expiration = { type: 'EX', value: Math.max(1, Math.ceil(ttlSeconds)) } as const;
    await this.#command('save', (client) => client.set(this.prefix + id, json, { expiration }));
  }

  async delete(id: string): Promise<void> {
    await this.#command('delete', (client) => client.del(this.prefix + id));
  }

  /**
   * Closes the client the store made from `url` (a client you gave it is yours to close). The store can be used
   * again after: it reconnects on the next command.
   *
   * @example
   * await store.close();
   */
  async close(): Promise<void> {
    this.#epoch++; // a connection still being made is dropped when it comes (see #connect)
    const own = this.#own;
    this.#own = null;
    this.#client = null;
    if (own === null) return;
    if (own.isReady) await own.close();
    else if (own.isOpen) own.destroy(); // still trying to reach Redis: nothing to flush
  }

  /** Runs a command; any failure (no connection, a timeout, a closed client) becomes a SessionUnavailable. */
  async #command<T>(action: 'read' | 'save' | 'delete', run: (client: RedisSessionClient) => Promise<T>): Promise<T> {
    try {
      return await run(await (this.#client ??= this.#connect(this.#url!)));
    } catch (error) {
      throw new SessionUnavailable(this.#explain(action, error), { cause: error });
    }
  }

  /**
   * A client for `url` that fails fast: no offline queue, a connect and command timeout, and reconnection in the
   * background with a short backoff. It waits for the first connection attempt only, so the first request of a fresh
   * process finds Redis ready; later, while Redis is away, a command fails at once.
   */
  async #connect(url: string): Promise<RedisSessionClient> {
    const epoch = this.#epoch;
    const { createClient } = await this.#redis!;
    // close() ran while the client library loaded: make no client, which nothing would ever close.
    if (epoch !== this.#epoch) throw new Error('The client is closed');
    const timeout = this.#timeout;
    const client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: timeout, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) },
    });
    this.#own = client;
    this.#watch(client);
    const first = new Promise<void>((resolve) => {
      const settle = (): void => {
        client.off('ready', settle);
        client.off('error', settle);
        client.off('end', settle);
        resolve();
      };
      client.on('ready', settle);
      client.on('error', settle);
      client.on('end', settle); // close() destroyed it before it was ready: the waiting command fails, never hangs
    });
    client.connect().catch((error: Error) => {
      this.#lastError = error; // given up (closed by close()): the next command says the client is closed
    });
    await first;
    // rejectInFlight: a command already sent to a Redis that hangs fails after `timeout` too.
    return client.withCommandOptions({ timeout, rejectInFlight: true });
  }

  /** Keeps the last connection error (for the log line), and keeps an unheard 'error' event from crashing node. */
  #watch(client: RedisSessionClient): void {
    client.on('error', (error) => {
      this.#lastError = error;
    });
  }

  /** The log line: which Redis, what happened, and what to do. */
  #explain(action: 'read' | 'save' | 'delete', error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const offline = message === 'The client is offline' && this.#lastError !== null;
    const reason = offline ? `${message}: ${this.#lastError!.message}` : message;
    const what = { read: 'read', save: 'saved', delete: 'deleted' }[action];
    if (this.#url !== null) {
      const where = withoutCredentials(this.#url); // no password in a log
      return `Redis at ${where} did not answer (${reason}), so the session could not be ${what}: start Redis, or fix the url given to RedisSessionStore.`;
    }
    const fix =
      message === 'The client is closed'
        ? 'connect it (await client.connect()) before serving requests'
        : 'start Redis, or check the options of the client given to RedisSessionStore';
    return `Redis did not answer the client given to RedisSessionStore (${reason}), so the session could not be ${what}: ${fix}.`;
  }
}

/** A Redis URL without its user and password, whatever characters they hold; the URL as given if it does not parse. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url.replace(/\/\/.*@/, '//');
  }
}
