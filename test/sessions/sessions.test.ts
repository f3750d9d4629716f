import { describe, expect, it } from 'vitest';
import { App, Response, flash, getFlashedMessages, redirect, session } from 'flagon';
import { MemorySessionStore, ServerSideSessionInterface, signValue } from 'flagon/sessions';

const SECRET = 'test-secret';
const newApp = (config: Record<string, unknown> = {}) => {
  const app = new App(import.meta.url, {
    config: { TESTING: true, SECRET_KEY: SECRET, ...config },
    staticFolder: null,
  });
  app.get('/set', (req) => {
    session.user = req.args.get('user') ?? 'ada';
    return 'set';
  });
  app.get('/get', () => `user=${String(session.user ?? 'none')}`);
  app.get('/permanent', () => {
    session.permanent = true;
    session.user = 'ada';
    return 'ok';
  });
  app.get('/clear', () => {
    session.clear();
    return 'cleared';
  });
  app.get('/untouched', () => 'no session');
  return app;
};
const cookieValue = (setCookie: string | null): string => /^session=([^;]*)/.exec(setCookie ?? '')?.[1] ?? '';

describe('the cookie session', () => {
  it('sets exactly HttpOnly; Path=/ by default, with Vary: Cookie', async () => {
    const response = await newApp().testClient().get('/set');
    const header = response.headers.get('Set-Cookie')!;
    expect(header).toMatch(/^session=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; Path=\/; HttpOnly$/);
    expect(response.headers.get('Vary')).toBe('Cookie');
  });

  it('round-trips through the client and sends no cookie when untouched or unchanged', async () => {
    const client = newApp().testClient();
    await client.get('/set', { query: { user: 'grace' } });
    const read = await client.get('/get');
    expect([read.text, read.headers.get('Set-Cookie'), read.headers.get('Vary')]).toEqual([
      'user=grace',
      null,
      'Cookie',
    ]);
    const untouched = await client.get('/untouched');
    expect([untouched.headers.get('Set-Cookie'), untouched.headers.get('Vary')]).toEqual([null, null]);
  });

  it('gives permanent sessions Expires about 31 days ahead, refreshed each request', async () => {
    const client = newApp().testClient();
    const before = Math.floor(Date.now() / 1000) * 1000; // HTTP dates have whole seconds
    const response = await client.get('/permanent');
    const after = Date.now();
    const expires = Date.parse(/Expires=([^;]+)/.exec(response.headers.get('Set-Cookie')!)![1]!);
    expect(expires).toBeGreaterThanOrEqual(before + 31 * 86400_000); // bracketed by the clock, not a tolerance
    expect(expires).toBeLessThanOrEqual(after + 31 * 86400_000);
    expect((await client.get('/get')).headers.get('Set-Cookie')).toMatch(/Expires=/);
    // Flask opens the session on every request, so a view that never touches it still refreshes a permanent one.
    const untouched = await client.get('/untouched');
    expect([untouched.headers.get('Set-Cookie'), untouched.headers.get('Vary')]).toEqual([
      expect.stringMatching(/^session=.*Expires=/),
      'Cookie',
    ]);
    const noRefresh = newApp({ SESSION_REFRESH_EACH_REQUEST: false }).testClient();
    await noRefresh.get('/permanent');
    const quiet = await noRefresh.get('/untouched');
    expect([quiet.headers.get('Set-Cookie'), quiet.headers.get('Vary')]).toEqual([null, null]);
  });

  it('deletes the cookie when the session is emptied', async () => {
    const client = newApp().testClient();
    await client.get('/set');
    const cleared = await client.get('/clear');
    expect(cleared.headers.get('Set-Cookie')).toMatch(
      /^session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly$|^session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly$/,
    );
    expect((await client.get('/get')).text).toBe('user=none');
  });

  it('reads a tampered cookie as empty: every character flipped in turn', async () => {
    const app = newApp();
    const valid = cookieValue((await app.testClient().get('/set')).headers.get('Set-Cookie'));
    expect((await app.testClient().get('/get', { cookies: { session: valid } })).text).toBe('user=ada');
    for (let i = 0; i < valid.length; i++) {
      const code = valid.charCodeAt(i);
      for (const flipped of [code ^ 1, code ^ 2]) {
        const tampered = `${valid.slice(0, i)}${String.fromCharCode(flipped)}${valid.slice(i + 1)}`;
        const text = (await app.testClient().get('/get', { cookies: { session: encodeURIComponent(tampered) } })).text;
        expect(text, `character ${i} flipped to ${String.fromCharCode(flipped)}`).toBe('user=none');
      }
    }
    for (const truncated of [valid.slice(0, -1), valid.slice(0, valid.lastIndexOf('.')), '', 'a.b.c']) {
      expect((await app.testClient().get('/get', { cookies: { session: truncated } })).text).toBe('user=none');
    }
  });

  it('verifies against SECRET_KEY_FALLBACKS and re-signs with the new key', async () => {
    const old = cookieValue(
      (await newApp({ SECRET_KEY: 'old-key' }).testClient().get('/set')).headers.get('Set-Cookie'),
    );
    const rotated = newApp({ SECRET_KEY: 'new-key', SECRET_KEY_FALLBACKS: ['old-key'] });
    expect((await rotated.testClient().get('/get', { cookies: { session: old } })).text).toBe('user=ada');
    expect(
      (
        await newApp({ SECRET_KEY: 'new-key' })
          .testClient()
          .get('/get', { cookies: { session: old } })
      ).text,
    ).toBe('user=none');
  });

  it('refuses expired and future-dated cookies', async () => {
    const app = newApp({ PERMANENT_SESSION_LIFETIME: 60 });
    const expired = signValue('{"user":"ada"}', SECRET, Date.now() - 61_000);
    const future = signValue('{"user":"ada"}', SECRET, Date.now() + 120_000);
    const fresh = signValue('{"user":"ada"}', SECRET, Date.now() - 30_000);
    expect((await app.testClient().get('/get', { cookies: { session: expired } })).text).toBe('user=none');
    expect((await app.testClient().get('/get', { cookies: { session: future } })).text).toBe('user=none');
    expect((await app.testClient().get('/get', { cookies: { session: fresh } })).text).toBe('user=ada');
  });

  it('without SECRET_KEY reads as empty and refuses writes, naming SECRET_KEY', async () => {
    const app = newApp({ SECRET_KEY: null });
    expect((await app.testClient().get('/get')).text).toBe('user=none');
    await expect(app.testClient().get('/set')).rejects.toThrow(/no secret key was set. Set the SECRET_KEY/);
  });
});

describe('flash', () => {
  it('survives a redirect and is gone once read', async () => {
    const app = newApp();
    app.post('/save', () => {
      flash('Saved!');
      flash('Careful', 'warning');
      return redirect('/show');
    });
    app.get('/show', () =>
      JSON.stringify([getFlashedMessages(), getFlashedMessages({ withCategories: true, categoryFilter: ['warning'] })]),
    );
    const client = app.testClient();
    const shown = await client.post('/save', { followRedirects: true });
    expect(JSON.parse(shown.text)).toEqual([['Saved!', 'Careful'], [['warning', 'Careful']]]);
    expect(JSON.parse((await client.get('/show')).text)).toEqual([[], []]);
  });
});

describe('server-side sessions and sessionTransaction', () => {
  it('keep only a random id in the cookie', async () => {
    const app = newApp();
    const store = new MemorySessionStore();
    app.sessionInterface = new ServerSideSessionInterface(store);
    const client = app.testClient();
    const set = await client.get('/set', { query: { user: 'ada' } });
    expect(cookieValue(set.headers.get('Set-Cookie'))).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.size).toBe(1);
    expect((await client.get('/get')).text).toBe('user=ada');
    expect((await client.get('/get', { cookies: { session: 'x'.repeat(43) } })).text).toBe('user=none');
    await client.get('/clear');
    expect([store.size, (await client.get('/get')).text]).toEqual([0, 'user=none']);
  });

  it('lets a test set the session directly', async () => {
    const client = newApp().testClient();
    await client.sessionTransaction((s) => {
      s.user = 'from-test';
    });
    expect((await client.get('/get')).text).toBe('user=from-test');
    expect(await client.sessionTransaction((s) => s.user)).toBe('from-test');
  });
});

describe('session cookie size', () => {
  it('warns past MAX_COOKIE_SIZE', async () => {
    const app = newApp({ MAX_COOKIE_SIZE: 100 });
    app.get('/big', () => {
      session.blob = 'x'.repeat(200);
      return 'big';
    });
    const warnings: string[] = [];
    const listener = (warning: Error) => {
      warnings.push(warning.message);
    };
    process.on('warning', listener);
    try {
      await app.testClient().get('/big');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(warnings.some((w) => /'session' cookie is \d+ bytes, more than the limit of 100/.test(w))).toBe(true);
  });

  it('applies MAX_COOKIE_SIZE to the cookies views set, too', async () => {
    const seen = async (config: Record<string, unknown>): Promise<string[]> => {
      const app = newApp(config);
      app.get('/cookie', () => {
        const response = new Response('ok');
        response.setCookie('prefs', 'y'.repeat(200));
        return response;
      });
      const warnings: string[] = [];
      const listener = (warning: Error) => {
        warnings.push(warning.message);
      };
      process.on('warning', listener);
      try {
        expect((await app.testClient().get('/cookie')).headers.get('Set-Cookie')).toMatch(/^prefs=y{200};/);
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('warning', listener);
      }
      return warnings;
    };
    expect(await seen({ MAX_COOKIE_SIZE: 100 })).toEqual([
      expect.stringMatching(/'prefs' cookie is \d+ bytes, more than the limit of 100/),
    ]);
    expect(await seen({})).toEqual([]);
  });
});
