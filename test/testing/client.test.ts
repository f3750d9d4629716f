import { describe, expect, it } from 'vitest';
import { App, Response, redirect } from 'flagon';

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
    expect((await client.get('https://www.example.com/x')).text).toBe('foreign');
    // A cookie a test sets itself goes everywhere, as before.
    client.cookies.set('manual', '5');
    expect((await client.get('/echo')).text).toBe('everywhere,manual');
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
