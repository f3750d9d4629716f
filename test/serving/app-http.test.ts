/** The App's request lifecycle over real HTTP, through serve(app.gatewayApp). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, g, request } from 'flagon';
import { serve, silentStream, type RunningServer } from 'flagon/serving';
import { fetchRaw } from '../helpers/http.js';

const app = new App(import.meta.url, { name: 'http-app', staticFolder: null });
const events: string[] = [];
app.beforeRequest((req) => { events.push(`before ${req.path}`); g.start = 'set'; });
app.afterRequest((response) => { response.headers.set('X-After', 'yes'); events.push('after'); return response; });
app.teardownRequest(() => { events.push('teardown'); });
app.errorHandler(404, () => ['custom not found', 404]);
app.get('/users/<int:id>', (req) => ({ id: req.params.id, g: g.start }));
app.post('/items', async (req) => [await req.json() as object, 201]);
app.get('/boom', () => { throw new Error('hidden'); });
app.get('/stream', () => (async function* () { yield `path=${request.path};`; yield 'done'; })());

let server: RunningServer;
beforeAll(async () => { server = await serve(app.gatewayApp, { port: 0, errors: silentStream }); });
afterAll(() => server.close());

describe('the App over HTTP', () => {
  it('runs hooks, the view and teardown around a real request', async () => {
    events.length = 0;
    const response = await fetchRaw(`${server.url}/users/7`);
    expect([response.status, response.text, response.headers['x-after'], response.headers['content-type']]).toEqual([200, '{"id":7,"g":"set"}\n', 'yes', 'application/json']);
    expect(events).toEqual(['before /users/7', 'after', 'teardown']);
  });

  it('parses JSON bodies and answers with status tuples', async () => {
    const response = await fetchRaw(`${server.url}/items`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"pen"}' });
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
  it('serves the app on 127.0.0.1 and prints Flask\'s banner with the warning', async () => {
    const small = new App(import.meta.url, { name: 'runner', staticFolder: null });
    small.get('/', () => 'ran');
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => { printed.push(String(chunk)); return true; }) as typeof process.stdout.write;
    let running;
    try {
      running = await small.run({ port: 0, debug: true });
    } finally {
      process.stdout.write = write;
    }
    try {
      expect(printed.join('')).toMatch(/^ \* Serving Flagon app 'runner'\n \* Debug mode: on\nWARNING: This is a development server\. .*\n \* Running on http:\/\/127\.0\.0\.1:\d+\nPress CTRL\+C to quit\n$/);
      expect((await fetchRaw(`${running.url}/`)).text).toBe('ran');
    } finally {
      await running.close();
    }
  });
});

describe('sessions over HTTP', () => {
  it('set the exact cookie, vary on Cookie, and read it back', async () => {
    const { session } = await import('flagon');
    const withSession = new App(import.meta.url, { name: 'sessions', config: { SECRET_KEY: 'http-secret' }, staticFolder: null });
    withSession.get('/login', () => { session.user = 'ada'; return 'in'; });
    withSession.get('/me', () => `me=${String(session.user ?? 'anonymous')}`);
    const running = await serve(withSession.gatewayApp, { port: 0, errors: silentStream });
    try {
      const login = await fetchRaw(`${running.url}/login`);
      const setCookie = String(login.headers['set-cookie']);
      expect(setCookie).toMatch(/^session=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; HttpOnly$/);
      expect(login.headers.vary).toBe('Cookie');
      const me = await fetchRaw(`${running.url}/me`, { headers: { Cookie: setCookie.split(';')[0]! } });
      expect(me.text).toBe('me=ada');
      expect((await fetchRaw(`${running.url}/me`, { headers: { Cookie: 'session=forged.value.here' } })).text).toBe('me=anonymous');
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
    site.registerBlueprint(new Blueprint('bp', new URL('../app/fixture-bp/x.ts', import.meta.url).href, { templateFolder: 'templates' }));
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
