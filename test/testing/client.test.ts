import { describe, expect, it } from 'vitest';
import { App, Response, redirect, session } from 'flagon';

const newApp = () => new App(import.meta.url, { config: { TESTING: true }, staticFolder: null });

describe('the test client', () => {
  it('sends query, JSON, forms and raw data', async () => {
    const app = newApp();
    app.route('/echo', { methods: ['GET', 'POST'] }, async (req) => ({
      args: req.args.toObjectAll(),
      json: req.isJson ? await req.json() : null,
      form: (await req.form()).toObjectAll(),
      type: req.mimetype,
    }));
    const client = app.testClient();
    expect((await client.get('/echo', { query: { a: ['1', '2'] } })).json).toMatchObject({ args: { a: ['1', '2'] } });
    expect((await client.post('/echo', { json: { x: 1 } })).json).toMatchObject({
      json: { x: 1 },
      type: 'application/json',
    });
    expect((await client.post('/echo', { form: { tag: ['a', 'b'] } })).json).toMatchObject({
      form: { tag: ['a', 'b'] },
    });
    expect((await client.post('/echo', { data: 'raw', headers: { 'Content-Type': 'text/plain' } })).json).toMatchObject(
      { type: 'text/plain' },
    );
  });

  it('keeps cookies across requests and forgets deleted ones', async () => {
    const app = newApp();
    app.get('/set', () => {
      const r = redirect('/show');
      r.setCookie('user', 'ada lovelace');
      return r;
    });
    app.get('/show', (req) => `user=${req.cookies.user ?? 'none'}`);
    app.get('/logout', () => {
      const r = redirect('/show');
      r.deleteCookie('user');
      return r;
    });
    const client = app.testClient();
    const shown = await client.get('/set', { followRedirects: true });
    expect([shown.text, shown.history.map((r) => r.status)]).toEqual(['user=ada lovelace', [302]]);
    expect((await client.get('/logout', { followRedirects: true })).text).toBe('user=none');
    expect((await client.get('/show', { cookies: { user: 'given' } })).text).toBe('user=given');
  });

  it('follows redirects as browsers do: 302/303 become GET, 307/308 keep method and body', async () => {
    const app = newApp();
    app.route('/target', { methods: ['GET', 'POST'] }, async (req) => `${req.method} ${await req.text()}`);
    app.post('/found', () => redirect('/target', 302));
    app.post('/see-other', () => redirect('/target', 303));
    app.post('/temporary', () => redirect('http://localhost/target', 307));
    app.post('/permanent', () => redirect('/target', 308));
    app.get('/type', (req) => String(req.headers.get('Content-Type')));
    app.post('/to-type', () => redirect('/type', 303));
    const client = app.testClient();
    expect((await client.post('/found', { data: 'x', followRedirects: true })).text).toBe('GET ');
    expect((await client.post('/see-other', { data: 'x', followRedirects: true })).text).toBe('GET ');
    expect((await client.post('/temporary', { data: 'body', followRedirects: true })).text).toBe('POST body');
    expect((await client.post('/permanent', { data: 'body', followRedirects: true })).text).toBe('POST body');
    expect((await client.post('/found', { data: 'x' })).status).toBe(302);
    // The GET carries no Content-Type of the body it dropped (Werkzeug's resolve_redirect); it kept text/plain before.
    const typed = await client.post('/to-type', {
      data: 'x',
      headers: { 'Content-Type': 'text/plain' },
      followRedirects: true,
    });
    expect(typed.text).toBe('null');
  });

  it('uploads files from a FormData as multipart/form-data, as Flask tests send (BytesIO, name) pairs', async () => {
    const app = newApp();
    app.post('/upload', async (req) => {
      const [files, form] = [await req.files(), await req.form()];
      const photo = files.get('photo');
      return { title: form.get('title'), name: photo?.filename, type: photo?.contentType, text: await photo?.text() };
    });
    const form = new FormData();
    form.append('title', 'Holiday');
    form.append('photo', new File(['hello'], 'a.txt', { type: 'text/plain' }));
    const expected = { title: 'Holiday', name: 'a.txt', type: 'text/plain', text: 'hello' };
    expect((await app.testClient().post('/upload', { form })).json).toEqual(expected);
    expect((await app.testClient().post('/upload', { data: form })).json).toEqual(expected);
  });

  it("sends a cookie only where its Path and Domain let it go, as Werkzeug's cookie jar", async () => {
    const app = newApp();
    app.get('/set', () => {
      const response = new Response('set');
      response.setCookie('scoped', '1', { path: '/app' });
      response.setCookie('other', '2', { path: '/other' });
      response.setCookie('foreign', '3', { domain: 'example.com' });
      response.setCookie('everywhere', '4');
      return response;
    });
    app.get('/<path:rest>', (req) => Object.keys(req.cookies).sort().join(','));
    const client = app.testClient();
    await client.get('/set');
    // What Flask's test client sends for the same cookies (python3, Flask 3.1); every cookie went everywhere before.
    expect((await client.get('/echo')).text).toBe('everywhere');
    expect((await client.get('/app/page')).text).toBe('everywhere,scoped');
    expect((await client.get('/application')).text).toBe('everywhere');
    expect((await client.get('/other/echo')).text).toBe('everywhere,other');
    // A Domain the setting host is not within is refused whole (RFC 6265 §5.3 step 6; Werkzeug 3.1.8 too).
    expect((await client.get('https://www.example.com/x')).text).toBe('');
    // A cookie a test sets itself goes everywhere, as before.
    client.cookies.set('manual', '5');
    expect((await client.get('/echo')).text).toBe('everywhere,manual');
  });

  it("with useCookies: false keeps no cookie and sends none from the jar, only a request's own", async () => {
    const app = newApp();
    app.get('/set', () => {
      const response = new Response('set');
      response.setCookie('kept', '1');
      return response;
    });
    app.get('/echo', (req) => Object.keys(req.cookies).join(','));
    const client = app.testClient({ useCookies: false });
    await client.get('/set');
    client.cookies.set('manual', '5');
    expect((await client.get('/echo')).text).toBe('');
    expect((await client.get('/echo', { cookies: { own: '1' } })).text).toBe('own');
  });

  it('keeps one cookie per name, domain and path, as a browser (it kept one per name)', async () => {
    // Werkzeug 3.1.8's answers for the same requests (python3): each cookie lives in its own place.
    const app = newApp();
    app.get('/a/set', () => {
      const response = new Response('set');
      response.setCookie('k', 'a', { path: '/a' });
      return response;
    });
    app.get('/b/del', () => {
      const response = new Response('deleted');
      response.deleteCookie('k', { path: '/b' }); // another cookie: /a's stays
      return response;
    });
    app.get('/host', (req) => {
      const response = new Response(req.cookies.h ?? 'none');
      if (req.args.get('set') !== undefined) response.setCookie('h', req.host);
      return response;
    });
    app.get('/<path:rest>', (req) => req.headers.get('Cookie') ?? 'none');
    const client = app.testClient();
    await client.get('/a/set');
    await client.get('/b/del');
    expect((await client.get('/a/x')).text).toBe('k=a');
    await client.get('http://one.test/host?set');
    await client.get('http://two.test/host?set');
    expect((await client.get('http://one.test/host')).text).toBe('one.test');
    expect((await client.get('http://two.test/host')).text).toBe('two.test');
    expect(client.cookies.size).toBe(3);
  });

  it('lets Max-Age win over Expires, and sends a 307 to the Location as it is', async () => {
    const app = newApp();
    app.get(
      '/set',
      () => new Response('', { headers: { 'Set-Cookie': 'm=1; Max-Age=100; Expires=Thu, 01 Jan 1970 00:00:00 GMT' } }),
    );
    app.post('/a', () => redirect('/b?z=9', 307));
    app.post('/b', (req) => req.fullPath);
    const client = app.testClient();
    await client.get('/set');
    expect(client.cookies.get('m')).toBe('1'); // RFC 6265 §5.3 step 3 (it was deleted)
    // The first request's query is not added to the Location's again (it asked for /b?z=9&code=307).
    const moved = await client.post('/a', { query: { code: '307' }, followRedirects: true });
    expect(moved.text).toBe('/b?z=9');
  });

  it("lets a test's cookie replace the app's, and opens a session whose cookie has a path of its own", async () => {
    const app = new App(import.meta.url, {
      config: { TESTING: true, SECRET_KEY: 's', SESSION_COOKIE_PATH: '/admin' },
      staticFolder: null,
    });
    app.get('/set', () => {
      const response = new Response('ok');
      response.setCookie('theme', 'light');
      return response;
    });
    app.get('/theme', (req) => req.cookies.theme ?? 'none');
    app.post('/admin/login', () => {
      session.user = 'ada';
      return 'in';
    });
    const client = app.testClient();
    await client.get('/set');
    client.cookies.set('theme', 'dark'); // a forged cookie: it was sent after the app's, which the view read
    expect([(await client.get('/theme')).text, client.cookies.get('theme')]).toEqual(['dark', 'dark']);
    expect([...client.cookies.keys()]).toEqual(['theme']);
    expect(Object.fromEntries(client.cookies.entries())).toEqual({ theme: 'dark' });
    await client.post('/admin/login');
    // The session cookie lives on /admin: the transaction reads it there (it saw none, and wrote over the login).
    expect(await client.sessionTransaction((s) => s.user)).toBe('ada');
  });

  it('detects redirect loops', async () => {
    const app = newApp();
    app.get('/a', () => redirect('/b'));
    app.get('/b', () => redirect('/a'));
    await expect(app.testClient().get('/a', { followRedirects: true })).rejects.toThrow(
      'redirect loop: GET /a → GET /b → GET /a',
    );
  });

  it("sets environ keys for every request and for one, as Flask's environ_base and environ_overrides", async () => {
    const app = newApp();
    app.get('/who', (req) => `${req.remoteAddr} ${String(req.environ['tsgi.custom'] ?? '-')}`);
    const client = app.testClient({ environ: { REMOTE_ADDR: '10.0.0.1' } });
    expect((await client.get('/who')).text).toBe('10.0.0.1 -');
    expect((await client.get('/who', { environ: { REMOTE_ADDR: '10.0.0.2', 'tsgi.custom': 'x' } })).text).toBe(
      '10.0.0.2 x',
    );
    expect((await app.testClient().get('/who')).text).toBe('127.0.0.1 -');
  });
});
