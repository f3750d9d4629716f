/** App contexts: `app.appContext().run(fn)` and the `teardownAppcontext` hooks, in scripts and at the end of requests. */
import { describe, expect, it, vi } from 'vitest';
import { App, g, currentApp } from 'flagon';

const newApp = (config: Record<string, unknown> = {}) =>
  new App(import.meta.url, { name: 'appctx', config: { TESTING: true, ...config }, staticFolder: null });
const label = (error: unknown) => (error === null ? 'null' : (error as Error).message);

describe('teardownAppcontext at the end of a request', () => {
  it('runs after the teardown-request hooks, last registered first, as Flask does', async () => {
    // Flask 3.1: [('request', None), ('app2', None), ('app1', None)]
    const app = newApp();
    const order: string[] = [];
    app.teardownRequest((e) => {
      order.push(`request ${label(e)}`);
    });
    app.teardownAppcontext((e) => {
      order.push(`app1 ${label(e)}`);
    });
    app.teardownAppcontext((e) => {
      order.push(`app2 ${label(e)}`);
    });
    app.get('/', () => 'hi');
    expect((await app.testClient().get('/')).text).toBe('hi');
    expect(order).toEqual(['request null', 'app2 null', 'app1 null']);
  });

  it('gets the unhandled error that became a 500, and null for a handled one', async () => {
    const app = newApp({ TESTING: false, PROPAGATE_EXCEPTIONS: false });
    const seen: string[] = [];
    app.teardownAppcontext((e) => {
      seen.push(label(e));
    });
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.get('/handled', () => {
      throw new RangeError('handled');
    });
    app.errorHandler(RangeError, () => ['fine', 400]);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect((await app.testClient().get('/boom')).status).toBe(500);
    } finally {
      stderr.mockRestore();
    }
    expect((await app.testClient().get('/handled')).status).toBe(400);
    expect(seen).toEqual(['boom', 'null']);
  });

  it("runs for a plain synchronous view with no other hooks, and sees the request's g", async () => {
    const app = newApp();
    const closed: unknown[] = [];
    app.teardownAppcontext(() => {
      closed.push(g.db);
    });
    app.get('/', () => {
      g.db = 'connection 1';
      return 'ok';
    });
    await app.testClient().get('/');
    expect(closed).toEqual(['connection 1']);
  });

  it('is a setup method', async () => {
    const app = newApp();
    app.get('/', () => 'ok');
    await app.testClient().get('/');
    expect(() => app.teardownAppcontext(() => undefined)).toThrow(
      /The setup method 'teardownAppcontext' can no longer be called/,
    );
  });
});

describe('app.appContext().run', () => {
  it('runs the hooks when a synchronous function returns, inside the context (g, currentApp)', () => {
    const app = newApp();
    const seen: string[] = [];
    app.teardownAppcontext((e) => {
      seen.push(`${currentApp.name} closes ${String(g.db)} (${label(e)})`);
    });
    const value = app.appContext().run(() => {
      g.db = 'db';
      return 42;
    });
    expect(value).toBe(42);
    expect(seen).toEqual(['appctx closes db (null)']);
  });

  it('passes the error that ended the context, then rethrows it', () => {
    const app = newApp();
    const seen: string[] = [];
    app.teardownAppcontext((e) => {
      seen.push(label(e));
    });
    expect(() =>
      app.appContext().run(() => {
        throw new Error('migration failed');
      }),
    ).toThrow('migration failed');
    expect(seen).toEqual(['migration failed']);
  });

  it("awaits async hooks before an async function's promise settles, in order", async () => {
    const app = newApp();
    const order: string[] = [];
    app.teardownAppcontext(async () => {
      order.push('first registered');
    });
    app.teardownAppcontext(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      order.push(`closed ${String(g.db)}`);
    });
    const result = await app.appContext().run(async () => {
      await Promise.resolve();
      g.db = 'pool';
      order.push('work');
      return 'done';
    });
    order.push('after run');
    expect(result).toBe('done');
    expect(order).toEqual(['work', 'closed pool', 'first registered', 'after run']);
  });

  it("rejects with the async function's error after the hooks saw it", async () => {
    const app = newApp();
    const seen: string[] = [];
    app.teardownAppcontext(async (e) => {
      seen.push(label(e));
    });
    await expect(
      app.appContext().run(async () => {
        throw new Error('no database');
      }),
    ).rejects.toThrow('no database');
    expect(seen).toEqual(['no database']);
  });

  it("throws a failing hook's error when the work succeeded, runs every hook, and logs it when the work failed", async () => {
    const app = newApp();
    const ran: string[] = [];
    app.teardownAppcontext(() => {
      ran.push('a');
    });
    app.teardownAppcontext(() => {
      ran.push('b');
      throw new Error('close failed');
    });
    expect(() => app.appContext().run(() => 'ok')).toThrow('close failed');
    expect(ran).toEqual(['b', 'a']);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(
        app.appContext().run(async () => {
          throw new Error('work failed');
        }),
      ).rejects.toThrow('work failed');
      expect(String(stderr.mock.calls.map((call) => call[0]).join(''))).toMatch(
        /ERROR in appctx: A teardown-appcontext hook failed[\s\S]*close failed/,
      );
    } finally {
      stderr.mockRestore();
    }
  });

  it('costs nothing extra without hooks: the value comes back as it is', () => {
    const app = newApp();
    const promise = Promise.resolve(1);
    expect(app.appContext().run(() => promise)).toBe(promise);
  });

  it('keeps one g across within() calls, and runs the hooks once at end()', async () => {
    const app = newApp();
    const seen: string[] = [];
    app.teardownAppcontext(async (e) => {
      seen.push(`closed ${String(g.db)} (${label(e)})`);
    });
    const context = app.appContext();
    context.within(() => {
      g.db = 'session db';
    });
    expect(context.within(() => g.db)).toBe('session db');
    expect(seen).toEqual([]);
    await context.end();
    expect(seen).toEqual(['closed session db (null)']);
    app.teardownAppcontext(() => {
      throw new Error('close failed');
    });
    await expect(app.appContext().end()).rejects.toThrow('close failed');
  });

  it('takes a static method as a decorator', () => {
    const app = newApp();
    const seen: string[] = [];
    class Db {
      @app.teardownAppcontext
      static close(error: unknown) {
        seen.push(`closed (${label(error)})`);
      }
    }
    app.appContext().run(() => undefined);
    expect([Db.name, ...seen]).toEqual(['Db', 'closed (null)']);
  });
});
