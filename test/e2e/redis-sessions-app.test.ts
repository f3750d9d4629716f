/**
 * An App with its sessions in a private redis-server, over real HTTP on 127.0.0.1: login, a second request, logout,
 * the TTL; then Redis stopped (503 and one log line, never a lost session) and started again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { App, g, session } from 'flagon';
import { type RunningServer, serve } from 'flagon/serving';
import {
  RedisSessionStore,
  ServerSideSessionInterface,
  type SessionData,
  type SessionStore,
  SessionUnavailable,
} from 'flagon/sessions';
import { fetchRaw, type TestResponse } from '../helpers/http.js';
import { MISSING_REDIS, REDIS_SERVER, type RedisProcess, startRedis } from '../helpers/redis.js';
import { waitFor } from '../sessions/store-conformance.js';

if (REDIS_SERVER === null) console.warn(`test/e2e/redis-sessions-app.test.ts: ${MISSING_REDIS}`);

const LIFETIME = 3600;
const PREFIX = 'flagon:session:';

/** The Redis store, counted, and made to fail reads on demand (to show a failed read never overwrites a session). */
class WatchedStore implements SessionStore {
  readonly calls = { get: 0, set: 0, delete: 0 };
  failReads = false;
  constructor(readonly inner: RedisSessionStore) {}
  get(id: string): Promise<SessionData | null> {
    this.calls.get++;
    if (this.failReads) return Promise.reject(new SessionUnavailable('Redis at test did not answer: start Redis'));
    return this.inner.get(id);
  }
  set(id: string, data: SessionData, ttl: number): Promise<void> {
    this.calls.set++;
    return this.inner.set(id, data, ttl);
  }
  delete(id: string): Promise<void> {
    this.calls.delete++;
    return this.inner.delete(id);
  }
}

describe.skipIf(REDIS_SERVER === null)('an App with sessions in Redis, over HTTP', () => {
  let dir: string;
  let redis: RedisProcess;
  let store: WatchedStore;
  let inspect: ReturnType<typeof createClient>;
  let server: RunningServer;
  let viewRuns = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagon-redis-app-'));
    redis = await startRedis(dir);
    inspect = createClient({ url: redis.url });
    inspect.on('error', () => {}); // reconnects on its own when a test restarts Redis
    await inspect.connect();
    store = new WatchedStore(new RedisSessionStore({ url: redis.url }));
    const app = new App(import.meta.url, {
      config: { SECRET_KEY: 'test', PERMANENT_SESSION_LIFETIME: LIFETIME },
      staticFolder: null,
    });
    app.sessionInterface = new ServerSideSessionInterface(store);
    app.beforeRequest(() => {
      g.seenByHook = session.user ?? 'none'; // a hook reads the session synchronously, already loaded from Redis
    });
    app.post('/login', (req) => {
      session.user = req.args.get('user') ?? 'ada';
      session.permanent = true;
      return 'welcome';
    });
    app.get('/me', () => `user=${String(session.user ?? 'none')} hook=${String(g.seenByHook)}`);
    app.post('/visit', () => {
      viewRuns++;
      session.visits = ((session.visits as number | undefined) ?? 0) + 1;
      return String(session.visits);
    });
    app.post('/logout', () => {
      session.clear();
      return 'bye';
    });
    app.get('/public', () => 'public');
    server = await serve(app.gatewayApp, { host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await store?.inner.close();
    if (inspect?.isOpen) inspect.destroy();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    store.failReads = false;
  });

  const send = (method: string, path: string, cookie?: string): Promise<TestResponse> =>
    fetchRaw(`${server.url}${path}`, { method, headers: cookie ? { Cookie: `session=${cookie}` } : {} });
  const sessionCookie = (response: TestResponse): string | null => {
    const header = [response.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('session='));
    return header === undefined ? null : header.slice('session='.length).split(';')[0]!;
  };
  const stored = async (id: string): Promise<unknown> => JSON.parse((await inspect.get(PREFIX + id)) ?? 'null');
  /** The lines the app logs to stderr while `fn` runs. */
  const logged = async <T>(fn: () => Promise<T>): Promise<[T, string[]]> => {
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      const text = String(chunk);
      if (text.includes(' in ')) lines.push(...text.split('\n').filter(Boolean));
      else return write(chunk, ...rest);
      return true;
    }) as typeof process.stderr.write);
    const result = await fn();
    vi.restoreAllMocks();
    return [result, lines];
  };

  it('logs in (the session goes to Redis under prefix + id, TTL = the lifetime), reads it back, logs out', async () => {
    const login = await send('POST', '/login?user=ada');
    expect([login.status, login.text]).toEqual([200, 'welcome']);
    const id = sessionCookie(login)!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await stored(id)).toEqual({ user: 'ada', _permanent: true });
    const ttl = await inspect.ttl(PREFIX + id);
    expect(ttl).toBeGreaterThan(LIFETIME - 10);
    expect(ttl).toBeLessThanOrEqual(LIFETIME);

    const me = await send('GET', '/me', id);
    expect([me.status, me.text]).toEqual([200, 'user=ada hook=ada']);

    const logout = await send('POST', '/logout', id);
    expect([logout.status, logout.text]).toEqual([200, 'bye']);
    expect([logout.headers['set-cookie']].flat()[0]).toMatch(/^session=; Max-Age=0; .*Expires=Thu, 01 Jan 1970/);
    expect(await inspect.exists(PREFIX + id)).toBe(0);
    expect((await send('GET', '/me', id)).text).toBe('user=none hook=none');
  });

  it('asks Redis nothing for a request without the session cookie', async () => {
    const before = { ...store.calls };
    expect((await send('GET', '/public')).text).toBe('public');
    expect((await send('GET', '/me')).text).toBe('user=none hook=none');
    const login = await send('POST', '/login');
    expect(login.status).toBe(200);
    expect(store.calls).toEqual({ ...before, set: before.set + 1 }); // the save only: no read
  });

  it('answers 503, never running the view, when the session cannot be read; the stored one is kept', async () => {
    const id = sessionCookie(await send('POST', '/visit'))!;
    expect(await stored(id)).toEqual({ visits: 1 });
    const runs = viewRuns;
    store.failReads = true;
    const [failed, lines] = await logged(() => send('POST', '/visit', id));
    expect(failed.status).toBe(503);
    expect(failed.text).toContain('Sessions are unavailable for a moment');
    expect(failed.headers['set-cookie']).toBeUndefined();
    expect(viewRuns).toBe(runs);
    expect(lines).toEqual([
      expect.stringMatching(/ERROR in .*: 503 Service Unavailable: Redis at test did not answer/),
    ]);
    store.failReads = false;
    expect((await send('POST', '/visit', id)).text).toBe('2');
    expect(await stored(id)).toEqual({ visits: 2 });
  });

  it('answers 503 within a second while Redis is stopped, logs one line naming Redis, and works once it is back', async () => {
    const id = sessionCookie(await send('POST', '/login?user=ada'))!;
    await redis.stop();
    try {
      const started = performance.now();
      const [read, readLines] = await logged(() => send('GET', '/me', id));
      const readMs = performance.now() - started;
      expect(read.status).toBe(503);
      expect(readMs).toBeLessThan(1000);
      expect(read.text).not.toMatch(/redis/i); // the details are for the log, not the client
      expect(readLines).toEqual([
        expect.stringMatching(
          /ERROR in .*: 503 Service Unavailable: Redis at unix:\/\/.*redis\.sock did not answer \(.+\), so the session could not be read: start Redis, or fix the url given to RedisSessionStore\.$/,
        ),
      ]);

      // A new visitor's login runs its view, but the save fails: 503, not a 200 with a session that was never kept.
      const [saved, saveLines] = await logged(() => send('POST', '/login?user=grace'));
      expect([saved.status, saved.headers['set-cookie']]).toEqual([503, undefined]);
      expect(saveLines).toEqual([expect.stringMatching(/so the session could not be saved: start Redis/)]);

      // A request that carries no session cookie and touches no session does not need Redis.
      expect((await send('GET', '/public')).status).toBe(200);
    } finally {
      redis = await startRedis(dir); // same socket; the data is gone (no persistence)
    }
    // Until the client has reconnected, each try is a 503 and a log line: kept out of the test's output.
    await logged(() =>
      waitFor(async () => (await send('POST', '/login?user=grace')).status === 200, 5000, 'logins work again'),
    );
    const back = sessionCookie(await send('POST', '/login?user=grace'))!;
    expect((await send('GET', '/me', back)).text).toBe('user=grace hook=grace');
    expect((await send('GET', '/me', id)).text).toBe('user=none hook=none'); // Redis lost it: a new, empty session
    if (!inspect.isReady) await waitFor(async () => inspect.isReady, 5000, 'the inspecting client reconnects');
  });
});
