/**
 * RedisSessionStore against a private redis-server (unix socket, no persistence): the SessionStore conformance
 * suite, then what is Redis's own: keys, TTLs, JSON values, and a clear failure when Redis is away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSessionStore, SessionUnavailable } from 'flagon/sessions';
import { MISSING_REDIS, REDIS_SERVER, type RedisProcess, startRedis } from '../helpers/redis.js';
import { describeSessionStore, newId, waitFor } from './store-conformance.js';

if (REDIS_SERVER === null) console.warn(`test/sessions/redis-store.test.ts: ${MISSING_REDIS}`);

describe.skipIf(REDIS_SERVER === null)('RedisSessionStore', () => {
  let dir: string;
  let redis: RedisProcess;
  let store: RedisSessionStore;
  let inspect: ReturnType<typeof createClient>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagon-redis-'));
    redis = await startRedis(dir);
    store = new RedisSessionStore({ url: redis.url });
    inspect = createClient({ url: redis.url });
    inspect.on('error', () => {}); // it reconnects on its own when the test restarts Redis
    await inspect.connect();
  });

  afterAll(async () => {
    await store?.close();
    if (inspect?.isOpen) inspect.destroy();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describeSessionStore('RedisSessionStore', () => store);

  it('stores JSON under prefix + id with EX = the TTL given', async () => {
    const id = newId();
    await store.set(id, { user: 'ada', when: new Date(0) }, 3600);
    expect(store.prefix).toBe('flagon:session:');
    expect(JSON.parse((await inspect.get(`flagon:session:${id}`))!)).toEqual({
      user: 'ada',
      when: '1970-01-01T00:00:00.000Z', // JSON: a Date comes back as its string
    });
    const ttl = await inspect.ttl(`flagon:session:${id}`);
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
    await store.delete(id);
    expect(await inspect.exists(`flagon:session:${id}`)).toBe(0);
  });

  it('takes a prefix, and a client of your own that close() leaves open', async () => {
    const client = await createClient({ url: redis.url, disableOfflineQueue: true }).connect();
    try {
      const own = new RedisSessionStore({ client, prefix: 'myapp:s:' });
      const id = newId();
      await own.set(id, { n: 1 }, 60);
      expect(await inspect.get(`myapp:s:${id}`)).toBe('{"n":1}');
      expect(await store.get(id)).toBeNull(); // another prefix, another namespace
      expect(await own.get(id)).toEqual({ n: 1 });
      await own.close();
      expect(client.isReady).toBe(true);
    } finally {
      client.destroy();
    }
  });

  it('reads a value it did not write (not JSON, not an object) as no session', async () => {
    const [a, b] = [newId(), newId()];
    await inspect.set(`flagon:session:${a}`, 'not json');
    await inspect.set(`flagon:session:${b}`, '[1,2]');
    expect([await store.get(a), await store.get(b)]).toEqual([null, null]);
  });

  it('needs a url or a client, and says so', () => {
    expect(() => new RedisSessionStore({})).toThrow(/needs either a url or a client/);
  });

  it('fails with SessionUnavailable, naming the fix, for a client that was never connected', async () => {
    const unconnected = new RedisSessionStore({ client: createClient({ url: redis.url }) });
    const error = await unconnected.get(newId()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionUnavailable);
    expect((error as SessionUnavailable).status).toBe(503);
    expect((error as Error).message).toMatch(
      /client given to RedisSessionStore .*connect it \(await client\.connect\(\)\)/,
    );
  });

  it('fails fast with SessionUnavailable while Redis is down, and works again once it is back', async () => {
    const id = newId();
    await store.set(id, { user: 'ada' }, 60);
    await redis.stop();
    try {
      for (const attempt of [() => store.get(id), () => store.set(id, { user: 'lost' }, 60), () => store.delete(id)]) {
        const started = performance.now();
        const error = await attempt().catch((caught: unknown) => caught);
        expect(performance.now() - started).toBeLessThan(1000);
        expect(error).toBeInstanceOf(SessionUnavailable);
        expect((error as SessionUnavailable).description).not.toMatch(/redis/i); // the client sees no internals
        expect((error as SessionUnavailable).detail).toMatch(
          /^Redis at unix:\/\/.*redis\.sock did not answer \(.+\), so the session could not be \w+: start Redis/,
        );
      }
    } finally {
      redis = await startRedis(dir); // same socket path; the data is gone (no persistence)
    }
    await waitFor(
      async () => {
        try {
          await store.set(id, { user: 'back' }, 60);
          return true;
        } catch {
          return false;
        }
      },
      5000,
      'the store reconnects to the restarted Redis',
    );
    expect(await store.get(id)).toEqual({ user: 'back' });
    if (!inspect.isReady) await waitFor(async () => inspect.isReady, 5000, 'the inspecting client reconnects');
  });

  it('fails after its timeout when Redis hangs, and answers again once it runs', async () => {
    const quick = new RedisSessionStore({ url: redis.url, timeout: 300 });
    try {
      const id = newId();
      await quick.set(id, { user: 'ada' }, 60);
      process.kill(redis.pid, 'SIGSTOP'); // connected, but nobody answers
      let error: unknown;
      const started = performance.now();
      try {
        error = await quick.get(id).catch((caught: unknown) => caught);
      } finally {
        process.kill(redis.pid, 'SIGCONT');
      }
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(250);
      expect(waited).toBeLessThan(1000);
      expect(error).toBeInstanceOf(SessionUnavailable);
      expect((error as Error).message).toMatch(/did not answer \(Command timed out after 300ms/);
      expect(await quick.get(id)).toEqual({ user: 'ada' });
    } finally {
      await quick.close();
    }
  });

  it('fails within its timeout when Redis never answers the first connection', async () => {
    // A socket path nobody listens on: the connection is refused at once.
    const nowhere = new RedisSessionStore({ url: `unix://${join(dir, 'nobody.sock')}`, timeout: 300 });
    try {
      const started = performance.now();
      const error = await nowhere.get(newId()).catch((caught: unknown) => caught);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(error).toBeInstanceOf(SessionUnavailable);
      expect((error as Error).message).toMatch(/nobody\.sock did not answer \(.*ENOENT|ECONNREFUSED/);
    } finally {
      await nowhere.close();
    }
  });
});
