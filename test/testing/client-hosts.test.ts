/** The test client's host, scheme and script root, from the app's config as Flask's EnvironBuilder (each case checked against Flask 3.1). */
import { describe, expect, it } from 'vitest';
import { App, Response, redirect, urlFor } from 'flagon';
import { createSession } from 'flagon/sessions';
import { TestClient, type TestRequestOptions } from 'flagon/testing';

function newApp(config: Record<string, unknown> = {}): App {
  const app = new App(import.meta.url, { config: { TESTING: true, ...config }, staticFolder: null });
  app.get('/x', function x(req) {
    const e = req.environ;
    return `${e['tsgi.url_scheme']} HOST=${e.HTTP_HOST} SN=${e.SERVER_NAME} SP=${e.SERVER_PORT} SCRIPT='${e.SCRIPT_NAME}' PATH='${e.PATH_INFO}' QS='${e.QUERY_STRING}' url=${req.url}`;
  });
  app.get('/r', function r() {
    return redirect(urlFor('x'));
  });
  app.get('/ext', function ext() {
    return redirect('http://elsewhere.test/x');
  });
  app.get('/sub', function sub() {
    return redirect('http://api.example.com/x');
  });
  return app;
}

async function show(config: Record<string, unknown>, path: string, options?: TestRequestOptions): Promise<string> {
  return (await newApp(config).testClient().get(path, options)).text;
}

describe('the test client of an App', () => {
  it('sends to localhost over http at the root, without config', async () => {
    expect(await show({}, '/x')).toBe(
      "http HOST=localhost SN=localhost SP=80 SCRIPT='' PATH='/x' QS='' url=http://localhost/x",
    );
  });

  it('takes the host from SERVER_NAME, port included', async () => {
    expect(await show({ SERVER_NAME: 'example.com' }, '/x')).toBe(
      "http HOST=example.com SN=example.com SP=80 SCRIPT='' PATH='/x' QS='' url=http://example.com/x",
    );
    expect(await show({ SERVER_NAME: 'example.com:8080' }, '/x')).toBe(
      "http HOST=example.com:8080 SN=example.com SP=8080 SCRIPT='' PATH='/x' QS='' url=http://example.com:8080/x",
    );
  });

  it('mounts the app at APPLICATION_ROOT, with or without its trailing slash', async () => {
    const root = { SERVER_NAME: 'example.com', APPLICATION_ROOT: '/app' };
    expect(await show(root, '/x?a=1')).toBe(
      "http HOST=example.com SN=example.com SP=80 SCRIPT='/app' PATH='/x' QS='a=1' url=http://example.com/app/x?a=1",
    );
    expect(await show({ ...root, APPLICATION_ROOT: '/app/' }, '/x')).toBe(
      "http HOST=example.com SN=example.com SP=80 SCRIPT='/app' PATH='/x' QS='' url=http://example.com/app/x",
    );
  });

  it('uses PREFERRED_URL_SCHEME, unless the request names a scheme', async () => {
    expect(await show({ PREFERRED_URL_SCHEME: 'https' }, '/x')).toBe(
      "https HOST=localhost SN=localhost SP=443 SCRIPT='' PATH='/x' QS='' url=https://localhost/x",
    );
    expect(await show({ SERVER_NAME: 'example.com' }, '/x', { scheme: 'https' })).toBe(
      "https HOST=example.com SN=example.com SP=443 SCRIPT='' PATH='/x' QS='' url=https://example.com/x",
    );
  });

  it('sends an absolute URL to its own scheme and host, still below APPLICATION_ROOT', async () => {
    expect(await show({ SERVER_NAME: 'example.com', APPLICATION_ROOT: '/app' }, 'http://other.test/x?q=2')).toBe(
      "http HOST=other.test SN=other.test SP=80 SCRIPT='/app' PATH='/x' QS='q=2' url=http://other.test/app/x?q=2",
    );
    expect(await show({}, 'https://other.test:8443/x')).toBe(
      "https HOST=other.test:8443 SN=other.test SP=8443 SCRIPT='' PATH='/x' QS='' url=https://other.test:8443/x",
    );
    await expect(show({}, 'ftp://other.test/x')).rejects.toThrow(/sends http and https requests; give a path/);
  });

  it('puts a subdomain before SERVER_NAME (or localhost)', async () => {
    expect(await show({ SERVER_NAME: 'example.com' }, '/x', { subdomain: 'api' })).toBe(
      "http HOST=api.example.com SN=api.example.com SP=80 SCRIPT='' PATH='/x' QS='' url=http://api.example.com/x",
    );
    expect(await show({}, '/x', { subdomain: 'api' })).toBe(
      "http HOST=api.localhost SN=api.localhost SP=80 SCRIPT='' PATH='/x' QS='' url=http://api.localhost/x",
    );
  });

  it('takes a baseUrl instead of the config, but not with a subdomain or scheme', async () => {
    const expected = "https HOST=b.test SN=b.test SP=443 SCRIPT='/root' PATH='/x' QS='' url=https://b.test/root/x";
    expect(await show({ SERVER_NAME: 'example.com' }, '/x', { baseUrl: 'https://b.test/root' })).toBe(expected);
    expect(await show({ SERVER_NAME: 'example.com' }, '/x', { baseUrl: 'https://b.test/root/' })).toBe(expected);
    await expect(show({}, '/x', { baseUrl: 'https://b.test/root', subdomain: 'a' })).rejects.toThrow(
      'Cannot pass "subdomain" or "scheme" with "baseUrl"',
    );
    await expect(show({}, '/x', { baseUrl: 'https://b.test/root?x=1' })).rejects.toThrow(
      /has a query string or fragment/,
    );
  });

  it('lets a Host header win over the host, as a header sent by hand', async () => {
    expect(await show({ SERVER_NAME: 'example.com' }, '/x', { headers: { Host: 'h.test' } })).toBe(
      "http HOST=h.test SN=example.com SP=80 SCRIPT='' PATH='/x' QS='' url=http://h.test/x",
    );
  });

  it('keeps cookies and follows redirects for the host the request was sent to, Host header included', async () => {
    // As Werkzeug's client (checked with Flask 3.1): the URL the environ asks for decides both.
    const app = newApp();
    app.get('/set', () => new Response('ok', { headers: { 'Set-Cookie': 'k=v; Path=/' } }));
    app.get('/show', (req) => `${req.host} ${req.cookies.k ?? 'none'}`);
    app.get('/up', () => redirect('http://api.h.test/show'));
    app.get('/files/<path:name>', (req) => (req.params.name === 'c' ? 'c' : redirect('c')));
    const client = app.testClient({ allowSubdomainRedirects: true });
    await client.get('/set', { headers: { Host: 'h.test' } });
    expect((await client.get('/show', { headers: { Host: 'h.test' } })).text).toBe('h.test v');
    expect((await client.get('/show')).text).toBe('localhost none');
    const followed = await client.get('/up', { environ: { HTTP_HOST: 'h.test' }, followRedirects: true });
    expect(followed.text).toBe('api.h.test none');
    // A Host header sent by hand is the first request's: the Location names the next one's host.
    const byHeader = await client.get('/up', { headers: { Host: 'h.test' }, followRedirects: true });
    expect(byHeader.text).toBe('api.h.test none');
    // The path is the one sent, raw: a relative Location resolves against `a%2Fb` as one segment, as a browser's.
    const relative = await client.get('/files/a%2Fb', { headers: { Host: 'h.test' }, followRedirects: true });
    expect([relative.status, relative.request.path, relative.text]).toEqual([200, '/files/c', 'c']);
  });

  it('follows a redirect below APPLICATION_ROOT, keeping the root', async () => {
    const response = await newApp({ SERVER_NAME: 'example.com', APPLICATION_ROOT: '/app' })
      .testClient()
      .get('/r', { followRedirects: true });
    expect(response.history.map((r) => r.headers.get('Location'))).toEqual(['/app/x']);
    expect(response.text).toBe(
      "http HOST=example.com SN=example.com SP=80 SCRIPT='/app' PATH='/x' QS='' url=http://example.com/app/x",
    );
  });

  it('refuses to follow a redirect to another host, and to a subdomain unless allowed', async () => {
    const app = newApp({ SERVER_NAME: 'example.com' });
    await expect(app.testClient().get('/ext', { followRedirects: true })).rejects.toThrow(
      'Following external redirects is not supported',
    );
    await expect(app.testClient().get('/sub', { followRedirects: true })).rejects.toThrow(
      /Following subdomain redirects is not enabled: pass \{ allowSubdomainRedirects: true \}/,
    );
    expect((await app.testClient({ allowSubdomainRedirects: true }).get('/sub', { followRedirects: true })).text).toBe(
      "http HOST=api.example.com SN=api.example.com SP=80 SCRIPT='' PATH='/x' QS='' url=http://api.example.com/x",
    );
  });

  it('opens sessionTransaction on the same host and root as its requests', async () => {
    const app = newApp({ SERVER_NAME: 'example.com', APPLICATION_ROOT: '/app' });
    let seen = '';
    app.sessionInterface = {
      openSession: (_app, request) => {
        seen = `${request.host} ${request.scriptRoot}`;
        return createSession({}, false);
      },
      saveSession: () => undefined,
    };
    await app.testClient().sessionTransaction(() => undefined);
    expect(seen).toBe('example.com /app');
  });

  it('sends a bare TSGI app (no config) to http://localhost/', async () => {
    const client = new TestClient({
      gatewayApp: (environ, startResponse) => {
        startResponse('200 OK', []);
        return [new TextEncoder().encode(`${environ.HTTP_HOST} ${environ.SCRIPT_NAME}`)];
      },
    });
    expect((await client.get('/x')).text).toBe('localhost ');
    expect((await client.get('/x', { baseUrl: 'http://mounted.test/m' })).text).toBe('mounted.test /m');
  });
});
