/**
 * How the App opens a session whose store answers with promises (no Redis needed here: a memory store that answers
 * asynchronously), and that the cookie session stays synchronous and lazy.
 */
import { describe, expect, it, vi } from 'vitest';
import { App, g, session } from 'flagon';
import {
  CookieSessionInterface,
  MemorySessionStore,
  ServerSideSessionInterface,
  type Session,
  type SessionData,
  type SessionStore,
  SessionUnavailable,
} from 'flagon/sessions';
import { createEnviron } from 'flagon/testing';

/** A MemorySessionStore that answers a macrotask later, as a store over the network would; and fails on demand. */
class SlowStore implements SessionStore {
  readonly inner = new MemorySessionStore();
  fail: { get?: Error; set?: Error } = {};
  #later = <T>(fn: () => T, error?: Error): Promise<T> =>
    new Promise((resolve, reject) => setImmediate(() => (error ? reject(error) : resolve(fn()))));
  get(id: string): Promise<SessionData | null> {
    return this.#later(() => this.inner.get(id), this.fail.get);
  }
  set(id: string, data: SessionData, ttl: number): Promise<void> {
    return this.#later(() => this.inner.set(id, data, ttl), this.fail.set);
  }
  delete(id: string): Promise<void> {
    return this.#later(() => this.inner.delete(id));
  }
}

const newApp = (store: SessionStore, config: Record<string, unknown> = {}) => {
  const app = new App(import.meta.url, { config: { SECRET_KEY: 'test', ...config }, staticFolder: null });
  app.sessionInterface = new ServerSideSessionInterface(store);
  app.beforeRequest(() => {
    g.hook = session.user ?? 'none';
  });
  app.get('/login', () => {
    session.user = 'ada';
    return 'welcome';
  });
  app.get('/me', () => `view=${String(session.user ?? 'none')} hook=${String(g.hook)}`);
  return app;
};

describe('a session store that answers with promises', () => {
  it('is read before the hooks and the view, which see it synchronously', async () => {
    const store = new SlowStore();
    const client = newApp(store).testClient();
    expect((await client.get('/login')).text).toBe('welcome');
    expect(store.inner.size).toBe(1);
    expect((await client.get('/me')).text).toBe('view=ada hook=ada');
  });

  it('works with sessionTransaction', async () => {
    const client = newApp(new SlowStore()).testClient();
    await client.sessionTransaction((s) => {
      s.user = 'grace';
    });
    expect((await client.get('/me')).text).toBe('view=grace hook=grace');
    expect(await client.sessionTransaction((s) => s.user)).toBe('grace');
  });

  it('answers 503 through the 503 handler when the read fails, logs one line, and runs no hook or view', async () => {
    const store = new SlowStore();
    const app = newApp(store);
    const ran: string[] = [];
    app.beforeRequest(() => {
      ran.push('hook');
    });
    app.errorHandler(503, () => ['Back soon', 503]);
    const logged = vi.spyOn(app.logger, 'error').mockImplementation(() => {});
    const client = app.testClient();
    await client.get('/login');
    ran.length = 0;
    store.fail.get = new SessionUnavailable('Redis at somewhere did not answer: start Redis');
    const response = await client.get('/me');
    expect([response.status, response.text, ran]).toEqual([503, 'Back soon', []]);
    expect(logged.mock.calls).toEqual([['503 Service Unavailable: Redis at somewhere did not answer: start Redis']]);
  });

  it('answers 503, not the view, when the save fails: the client keeps its old cookie', async () => {
    const store = new SlowStore();
    const app = newApp(store, { TESTING: true }); // an HTTP error is an answer even where exceptions propagate
    const logged = vi.spyOn(app.logger, 'error').mockImplementation(() => {});
    store.fail.set = new SessionUnavailable('Redis at somewhere did not answer: start Redis');
    const response = await app.testClient().get('/login');
    expect(response.status).toBe(503);
    expect(response.text).toContain('Sessions are unavailable for a moment');
    expect(response.headers.get('Set-Cookie')).toBeNull();
    expect(logged).toHaveBeenCalledTimes(1);
    expect(store.inner.size).toBe(0);
  });

  it('answers 500 for a store error that is not SessionUnavailable, never an empty session', async () => {
    const store = new SlowStore();
    const app = newApp(store);
    const logged = vi.spyOn(app.logger, 'error').mockImplementation(() => {});
    const client = app.testClient();
    await client.get('/login');
    store.fail.get = new TypeError('a bug in the store');
    expect((await client.get('/me')).status).toBe(500);
    expect(logged.mock.calls[0]?.[1]).toBe(store.fail.get);
  });

  it('says how to fix an interface that answers with a promise without declaring opensAsync', async () => {
    const app = new App(import.meta.url, { config: { SECRET_KEY: 'test', TESTING: true }, staticFolder: null });
    app.sessionInterface = {
      openSession: async () => null,
      saveSession: () => {},
    };
    app.get('/', () => String(session.user));
    await expect(app.testClient().get('/')).rejects.toThrow(/set `opensAsync = true` on the interface/);
  });
});

describe('the cookie session stays synchronous and lazy', () => {
  const cookieApp = () => {
    const app = new App(import.meta.url, {
      config: { SECRET_KEY: 'test', SESSION_REFRESH_EACH_REQUEST: false },
      staticFolder: null,
    });
    app.get('/login', () => {
      session.user = 'ada';
      return 'welcome';
    });
    app.get('/plain', () => 'plain');
    return app;
  };
  const call = (app: App, path: string, cookie: string) => {
    const environ = createEnviron(path, { headers: { Cookie: cookie } });
    return app.gatewayApp(environ, () => () => {});
  };

  it('never opens the session of a request that does not touch it, and answers on the short branch', async () => {
    const app = cookieApp();
    const cookie = (await app.testClient().get('/login')).headers.get('Set-Cookie')!.split(';')[0]!;
    const opened = vi.spyOn(CookieSessionInterface.prototype, 'openSession');
    const body = call(app, '/plain', cookie);
    expect(body).not.toBeInstanceOf(Promise); // no promise: the short branch, as before sessions could be async
    expect(opened).not.toHaveBeenCalled();
    opened.mockRestore();
  });

  it('takes the async path for a server-side session with the cookie, and reads it there', async () => {
    const app = newApp(new SlowStore());
    const cookie = (await app.testClient().get('/login')).headers.get('Set-Cookie')!.split(';')[0]!;
    const body = call(app, '/me', cookie);
    expect(body).toBeInstanceOf(Promise);
    const chunks = [...((await body) as Iterable<string | Uint8Array>)];
    expect(chunks.map((chunk) => Buffer.from(chunk).toString()).join('')).toBe('view=ada hook=ada');
  });

  it('keeps the opened session a plain Session (no promise leaks into user code)', async () => {
    const app = newApp(new SlowStore());
    let seen: Session | null = null;
    app.get('/peek', () => {
      seen = session as Session;
      return String(typeof (session as Session).toJSON);
    });
    const client = app.testClient();
    await client.get('/login');
    expect((await client.get('/peek')).text).toBe('function');
    expect(seen).not.toBeInstanceOf(Promise);
  });
});
