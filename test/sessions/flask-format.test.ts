import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { App, session } from 'flagon';
import { CookieSessionInterface, flaskSign, flaskVerify } from 'flagon/sessions';

// Cookies made by Flask itself (Debian's python3-flask); see make_vectors.py beside the file.
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/flask-sessions/vectors.json', import.meta.url), 'utf8'),
) as {
  flask: string;
  secret: string;
  timestamp: number;
  vectors: Array<{ data: Record<string, unknown>; cookie: string; tuples: boolean }>;
};
const at = fixture.timestamp * 1000;
const DAY = 86400;

describe(`Flask's cookie format (vectors from Flask ${fixture.flask})`, () => {
  it('reads every cookie Flask made', () => {
    expect(fixture.vectors.length).toBeGreaterThanOrEqual(5);
    expect(fixture.vectors.some((v) => v.cookie.startsWith('.'))).toBe(true); // a compressed one is among them
    for (const vector of fixture.vectors)
      expect(flaskVerify(vector.cookie, [fixture.secret], 31 * DAY, at)).toEqual(vector.data);
  });

  it('writes byte-identical cookies, so Flask reads what Flagon writes', () => {
    for (const vector of fixture.vectors.filter((v) => !v.tuples))
      expect(flaskSign(vector.data, fixture.secret, at)).toBe(vector.cookie);
  });

  it('refuses wrong keys, tampering, expiry and future dates', () => {
    const cookie = fixture.vectors[0]!.cookie;
    expect(flaskVerify(cookie, ['other-secret'], 31 * DAY, at)).toBeNull();
    expect(flaskVerify(cookie, ['other-secret', fixture.secret], 31 * DAY, at)).toEqual({ user: 'ada' });
    expect(flaskVerify(`${cookie.slice(0, 5)}X${cookie.slice(6)}`, [fixture.secret], 31 * DAY, at)).toBeNull();
    expect(flaskVerify(cookie, [fixture.secret], 31 * DAY, at + 32 * DAY * 1000)).toBeNull();
    expect(flaskVerify(cookie, [fixture.secret], 31 * DAY, at - 10_000)).toBeNull();
  });

  it('lets an App share sessions with a Flask app', async () => {
    const app = new App(import.meta.url, {
      config: { TESTING: true, SECRET_KEY: fixture.secret, PERMANENT_SESSION_LIFETIME: 3650 * DAY },
      staticFolder: null,
    });
    app.sessionInterface = new CookieSessionInterface({ format: 'flask' });
    app.get('/who', () => `user=${String(session.user)}`);
    app.get('/set', () => {
      session.user = 'grace';
      return 'set';
    });
    const client = app.testClient();
    expect((await client.get('/who', { cookies: { session: fixture.vectors[0]!.cookie } })).text).toBe('user=ada');
    const written = /^session=([^;]+)/.exec((await client.get('/set')).headers.get('Set-Cookie')!)![1]!;
    expect(flaskVerify(written, [fixture.secret], 60)).toEqual({ user: 'grace' });
  });
});
