/** The App's request lifecycle over real HTTP, through serve(app.gatewayApp). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, g, request } from 'flagon';
import { Response } from 'flagon/wrappers';
import { serve, silentStream, type RunningServer } from 'flagon/serving';
import { fetchRaw } from '../helpers/http.js';

const app = new App(import.meta.url, { name: 'http-app', staticFolder: null });
const events: string[] = [];
app.beforeRequest((req) => {
  events.push(`before ${req.path}`);
  g.start = 'set';
});
app.afterRequest((response) => {
  response.headers.set('X-After', 'yes');
  events.push('after');
  return response;
});
app.teardownRequest(() => {
  events.push('teardown');
});
app.errorHandler(404, () => ['custom not found', 404]);
app.get('/users/<int:id>', (req) => ({ id: req.params.id, g: g.start }));
app.post('/items', async (req) => [(await req.json()) as object, 201]);
app.get('/boom', () => {
  throw new Error('hidden');
});
app.get('/stream', () =>
  (async function* () {
    yield `path=${request.path};`;
    yield 'done';
  })(),
);

let server: RunningServer;
beforeAll(async () => {
  server = await serve(app.gatewayApp, { port: 0, errors: silentStream });
});
afterAll(() => server.close());

describe('the App over HTTP', () => {
  it('runs hooks, the view and teardown around a real request', async () => {
    events.length = 0;
    const response = await fetchRaw(`${server.url}/users/7`);
    expect([response.status, response.text, response.headers['x-after'], response.headers['content-type']]).toEqual([
      200,
      '{"id":7,"g":"set"}\n',
      'yes',
      'application/json',
    ]);
    expect(events).toEqual(['before /users/7', 'after', 'teardown']);
  });

  it('parses JSON bodies and answers with status tuples', async () => {
    const response = await fetchRaw(`${server.url}/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"pen"}',
    });
    expect([response.status, response.text]).toEqual([201, '{"name":"pen"}\n']);
  });

  it('uses error handlers, 405 with Allow, and a 500 without details', async () => {
    expect((await fetchRaw(`${server.url}/missing`)).text).toBe('custom not found');
    const wrong = await fetchRaw(`${server.url}/users/7`, { method: 'DELETE' });
    expect([wrong.status, wrong.headers.allow]).toEqual([405, 'GET, HEAD, OPTIONS']);
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      const boom = await fetchRaw(`${server.url}/boom`);
      expect([boom.status, boom.text.includes('hidden')]).toEqual([500, false]);
      expect(boom.headers['x-after']).toBe('yes');
    } finally {
      process.stderr.write = write;
    }
  });

  it('streams with the request context alive', async () => {
    const response = await fetchRaw(`${server.url}/stream`);
    expect([response.text, response.headers['transfer-encoding']]).toEqual(['path=/stream;done', 'chunked']);
  });

  it('answers HEAD with the GET length and no body', async () => {
    const { exchangeRaw } = await import('../helpers/http.js');
    const text = await exchangeRaw(server.port, 'HEAD /users/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(text).toMatch(/Content-Length: 19\r\n/);
    expect(text.endsWith('\r\n\r\n')).toBe(true);
  });
});

describe('app.run()', () => {
  it("serves the app on 127.0.0.1 and prints Flask's banner with the warning", async () => {
    const small = new App(import.meta.url, { name: 'runner', staticFolder: null });
    small.get('/', () => 'ran');
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let running: Awaited<ReturnType<typeof small.run>> | undefined;
    try {
      running = await small.run({ port: 0, debug: true, reload: false, log: false });
    } finally {
      process.stdout.write = write;
    }
    try {
      expect(printed.join('')).toMatch(
        /^ \* Serving Flagon app 'runner'\n \* Debug mode: on\nWARNING: This is a development server\. .*\n \* Running on http:\/\/127\.0\.0\.1:\d+\nPress CTRL\+C to quit\n$/,
      );
      expect((await fetchRaw(`${running.url}/`)).text).toBe('ran');
    } finally {
      await running.close();
    }
  });
});

describe('sessions over HTTP', () => {
  it('set the exact cookie, vary on Cookie, and read it back', async () => {
    const { session } = await import('flagon');
    const withSession = new App(import.meta.url, {
      name: 'sessions',
      config: { SECRET_KEY: 'http-secret' },
      staticFolder: null,
    });
    withSession.get('/login', () => {
      session.user = 'ada';
      return 'in';
    });
    withSession.get('/me', () => `me=${String(session.user ?? 'anonymous')}`);
    const running = await serve(withSession.gatewayApp, { port: 0, errors: silentStream });
    try {
      const login = await fetchRaw(`${running.url}/login`);
      const setCookie = String(login.headers['set-cookie']);
      expect(setCookie).toMatch(/^session=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; HttpOnly$/);
      expect(login.headers.vary).toBe('Cookie');
      const me = await fetchRaw(`${running.url}/me`, { headers: { Cookie: setCookie.split(';')[0]! } });
      expect(me.text).toBe('me=ada');
      expect((await fetchRaw(`${running.url}/me`, { headers: { Cookie: 'session=forged.value.here' } })).text).toBe(
        'me=anonymous',
      );
    } finally {
      await running.close();
    }
  });
});

describe('templates over HTTP', () => {
  it('autoescape .html, not .txt, with context processors, filters and the app folder first', async () => {
    const { renderTemplate, Blueprint } = await import('flagon');
    const fixture = new URL('../app/fixture-app/app.ts', import.meta.url).href;
    const site = new App(fixture, { name: 'site', staticFolder: null });
    site.contextProcessor(() => ({ greeting: 'hello', year: 2026 }));
    site.templateFilter('shout', (s: string) => s.toUpperCase());
    site.templateGlobal('siteName', 'Flagon');
    site.templateTest('even', (n: number) => n % 2 === 0);
    site.registerBlueprint(
      new Blueprint('bp', new URL('../app/fixture-bp/x.ts', import.meta.url).href, { templateFolder: 'templates' }),
    );
    site.get('/html', () => renderTemplate('escape.html', { value: '<script>alert(1)</script>' }));
    site.get('/txt', () => renderTemplate('escape.txt', { value: '<script>alert(1)</script>' }));
    site.get('/extras', () => renderTemplate('extras.html', { name: 'ada' }));
    site.get('/shared', () => renderTemplate('shared.html'));
    const running = await serve(site.gatewayApp, { port: 0, errors: silentStream });
    try {
      expect((await fetchRaw(`${running.url}/html`)).text).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
      expect((await fetchRaw(`${running.url}/txt`)).text).toBe('raw: <script>alert(1)</script>');
      expect((await fetchRaw(`${running.url}/extras`)).text).toBe('hello 2026 ADA Flagon even');
      expect((await fetchRaw(`${running.url}/shared`)).text).toBe('app wins');
    } finally {
      await running.close();
    }
  });
});

describe('sessions, flash and CSRF over HTTP', () => {
  it('keep permanent sessions ~31 days, delete emptied ones, flash across a redirect, and guard forms', async () => {
    const { session, flash, getFlashedMessages, redirect, renderTemplateString } = await import('flagon');
    const site = new App(import.meta.url, {
      name: 'forms',
      config: { SECRET_KEY: 'forms-secret' },
      staticFolder: null,
    });
    site.enableCsrf();
    site.get('/remember', () => {
      session.permanent = true;
      session.user = 'ada';
      return 'ok';
    });
    site.get('/logout', () => {
      session.clear();
      return 'bye';
    });
    site.get('/form', () => renderTemplateString('<input name=csrf_token value="{{ csrfToken() }}">'));
    site.post('/save', () => {
      flash('Saved!');
      return redirect('/done');
    });
    site.get('/done', () => getFlashedMessages().join(','));
    site.get('/who', () => String(session.user ?? 'nobody'));
    const running = await serve(site.gatewayApp, { port: 0, errors: silentStream });
    const cookieOf = (header: unknown) => String(header).split(';')[0]!;
    try {
      const before = Math.floor(Date.now() / 1000) * 1000; // HTTP dates have whole seconds
      const remember = await fetchRaw(`${running.url}/remember`);
      const after = Date.now();
      const expires = Date.parse(/Expires=([^;]+)/.exec(String(remember.headers['set-cookie']))![1]!);
      expect(expires).toBeGreaterThanOrEqual(before + 31 * 86400_000); // bracketed by the clock, not a tolerance
      expect(expires).toBeLessThanOrEqual(after + 31 * 86400_000);
      const logout = await fetchRaw(`${running.url}/logout`, {
        headers: { Cookie: cookieOf(remember.headers['set-cookie']) },
      });
      expect(String(logout.headers['set-cookie'])).toMatch(
        /^session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly$/,
      );

      const form = await fetchRaw(`${running.url}/form`);
      const token = /value="([^"]+)"/.exec(form.text)![1]!;
      const jar = cookieOf(form.headers['set-cookie']);
      const refused = await fetchRaw(`${running.url}/save`, {
        method: 'POST',
        headers: { Cookie: jar, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
      });
      expect(refused.status).toBe(400);
      const saved = await fetchRaw(`${running.url}/save`, {
        method: 'POST',
        headers: { Cookie: jar, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `csrf_token=${token}`,
      });
      expect([saved.status, saved.headers.location]).toEqual([302, '/done']);
      const done = await fetchRaw(`${running.url}/done`, {
        headers: { Cookie: cookieOf(saved.headers['set-cookie']) },
      });
      expect(done.text).toBe('Saved!');

      const tampered = cookieOf(remember.headers['set-cookie']).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      expect(
        (await fetchRaw(`${running.url}/who`, { headers: { Cookie: cookieOf(remember.headers['set-cookie']) } })).text,
      ).toBe('ada');
      expect((await fetchRaw(`${running.url}/who`, { headers: { Cookie: tampered } })).text).toBe('nobody');
    } finally {
      await running.close();
    }
  });
});

describe('a response whose view set its Content-Length', () => {
  it('sends a streamed body with that length, not chunked', async () => {
    const streaming = new App(import.meta.url, { staticFolder: null });
    streaming.get('/stream', () => {
      const response = new Response(
        (async function* () {
          yield 'hello, ';
          yield 'world';
        })(),
      );
      response.contentLength = 12;
      return response;
    });
    const server = await serve(streaming.gatewayApp, { port: 0 });
    try {
      const answer = await fetchRaw(`http://127.0.0.1:${server.port}/stream`);
      expect([answer.headers['content-length'], answer.headers['transfer-encoding'], answer.text]).toEqual([
        '12',
        undefined,
        'hello, world',
      ]);
    } finally {
      await server.close();
    }
  });
});
