/** `client.context(fn)`, Flask's `with client:`: the last request's g, session and request, readable by the test. */
import { describe, expect, it } from 'vitest';
import { App, currentApp, g, redirect, request, session } from 'flagon';
import type { Environ } from 'flagon/gateway';

function newApp() {
  const app = new App(import.meta.url, {
    name: 'ctx',
    config: { TESTING: true, SECRET_KEY: 'test' },
    staticFolder: null,
  });
  app.get('/', () => {
    g.user = 'ada';
    session.seen = true;
    return 'home';
  });
  app.get('/async', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    g.user = 'grace';
    return 'async';
  });
  app.get('/go', () => redirect('/'));
  app.get('/count', () => {
    session.visits = Number(session.visits ?? 0) + 1;
    return String(session.visits);
  });
  return app;
}

describe('client.context', () => {
  it("shows the last request's g, session and request after it ends", async () => {
    const app = newApp();
    const client = app.testClient();
    await client.context(async () => {
      expect((await client.get('/', { query: { q: '1' } })).text).toBe('home');
      expect(g.user).toBe('ada');
      expect(session.seen).toBe(true);
      expect([request.path, request.args.get('q')]).toEqual(['/', '1']);
      await client.get('/async');
      expect([g.user, request.path]).toEqual(['grace', '/async']);
    });
  });

  it('follows the latest request, including the end of a redirect chain', async () => {
    const app = newApp();
    const client = app.testClient();
    await client.context(async () => {
      await client.get('/go', { followRedirects: true });
      expect([request.path, g.user]).toEqual(['/', 'ada']);
      await client.get('/count');
      await client.get('/count');
      expect(session.visits).toBe(2);
      expect(g.user).toBeUndefined(); // each request has its own g
    });
  });

  it('works as an app context before the first request, and ends with fn', async () => {
    const app = newApp();
    const client = app.testClient();
    const name = await client.context(() => {
      g.setup = 'done';
      expect(() => request.path).toThrow(/Working outside of request context/);
      return currentApp.name;
    });
    expect(name).toBe('ctx');
    expect(() => g.user).toThrow(/Working outside of application context/);
  });

  it('sees what the teardown hooks did, as they have run', async () => {
    const app = newApp();
    app.teardownRequest(() => {
      g.closed = true;
    });
    const client = app.testClient();
    await client.context(async () => {
      await client.get('/');
      expect(g.closed).toBe(true);
    });
  });

  it('starts from a session set with sessionTransaction', async () => {
    const app = newApp();
    const client = app.testClient();
    await client.sessionTransaction((s) => {
      s.visits = 41;
    });
    await client.context(async () => {
      expect((await client.get('/count')).text).toBe('42');
      expect(session.visits).toBe(42);
    });
  });

  it('adds the preserve-context key to the environ only inside context()', async () => {
    const app = newApp();
    const seen: boolean[] = [];
    const inner = app.gatewayApp;
    app.gatewayApp = (environ: Environ, startResponse) => {
      seen.push('flagon.preserve_context' in environ);
      return inner(environ, startResponse);
    };
    const client = app.testClient();
    await client.get('/');
    await client.context(() => client.get('/'));
    await client.get('/');
    expect(seen).toEqual([false, true, false]);
  });
});
