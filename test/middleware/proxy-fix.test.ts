/** proxyFix: trust the last N values of each X-Forwarded-* header, as Werkzeug's ProxyFix, and keep the originals. */
import { describe, expect, it } from 'vitest';
import { App, urlFor } from 'flagon';
import type { Environ, GatewayApp } from 'flagon/gateway';
import { lint, PROXY_FIX_ORIGINAL, proxyFix, type ProxyFixOptions } from 'flagon/middleware';
import { TestClient, createEnviron, runApp } from 'flagon/testing';

const KEYS = ['REMOTE_ADDR', 'tsgi.url_scheme', 'HTTP_HOST', 'SERVER_NAME', 'SERVER_PORT', 'SCRIPT_NAME'] as const;

/** Answers with the keys proxyFix may change, and what it kept of the originals. */
const show: GatewayApp = (environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'application/json']]);
  const seen = Object.fromEntries(KEYS.map((key) => [key, environ[key]]));
  return [new TextEncoder().encode(JSON.stringify({ seen, original: environ[PROXY_FIX_ORIGINAL] }))];
};

/** A request as it reaches the app from a proxy at 10.0.0.1 that talks to it as http://internal:8080. */
async function through(
  options: ProxyFixOptions,
  headers: Record<string, string>,
): Promise<{ seen: Record<string, string>; original: Record<string, string> }> {
  const environ: Environ = createEnviron('/', { host: 'internal:8080', remoteAddr: '10.0.0.1', headers });
  const response = await runApp(lint(proxyFix(show, options)), environ);
  return JSON.parse(response.text) as { seen: Record<string, string>; original: Record<string, string> };
}

const BEFORE = {
  REMOTE_ADDR: '10.0.0.1',
  'tsgi.url_scheme': 'http',
  HTTP_HOST: 'internal:8080',
  SERVER_NAME: 'internal',
  SERVER_PORT: '8080',
  SCRIPT_NAME: '',
};

describe('proxyFix', () => {
  // Each row's result was taken from werkzeug.middleware.proxy_fix.ProxyFix on the same environ.
  it.each<[ProxyFixOptions, Record<string, string>, Partial<typeof BEFORE>]>([
    [
      {},
      { 'X-Forwarded-For': '1.2.3.4, 5.6.7.8', 'X-Forwarded-Proto': 'https' },
      { REMOTE_ADDR: '5.6.7.8', 'tsgi.url_scheme': 'https' },
    ],
    [{ xFor: 2 }, { 'X-Forwarded-For': '1.2.3.4, 5.6.7.8' }, { REMOTE_ADDR: '1.2.3.4' }],
    [{ xFor: 3 }, { 'X-Forwarded-For': '1.2.3.4, 5.6.7.8' }, {}],
    [
      { xHost: 1, xPort: 1, xPrefix: 1 },
      { 'X-Forwarded-Host': 'spoof, example.com:8443', 'X-Forwarded-Port': '443', 'X-Forwarded-Prefix': '/app' },
      { HTTP_HOST: 'example.com:443', SERVER_NAME: 'example.com', SERVER_PORT: '443', SCRIPT_NAME: '/app' },
    ],
    [{ xHost: 1 }, { 'X-Forwarded-Host': '[::1]' }, { HTTP_HOST: '[::1]', SERVER_NAME: '[::1]' }],
    [
      { xHost: 1 },
      { 'X-Forwarded-Host': '[::1]:5000' },
      { HTTP_HOST: '[::1]:5000', SERVER_NAME: '[::1]', SERVER_PORT: '5000' },
    ],
    [{ xPort: 1 }, { 'X-Forwarded-Port': '8443' }, { HTTP_HOST: 'internal:8443', SERVER_PORT: '8443' }],
    [{}, { 'X-Forwarded-For': '"1.2.3.4", ' }, { REMOTE_ADDR: '1.2.3.4' }],
    [{}, { 'X-Forwarded-For': 'a,,b' }, { REMOTE_ADDR: 'b' }],
    [{}, { 'X-Forwarded-For': '' }, {}],
  ])('with %j and %j changes what Werkzeug changes', async (options, headers, changed) => {
    const { seen, original } = await through(options, headers);
    expect(seen).toEqual({ ...BEFORE, ...changed });
    expect(original).toEqual(BEFORE);
  });

  it('trusts only as many values as there are proxies: spoofed values on the left are ignored', async () => {
    // The client sent its own X-Forwarded-For and -Host; the one proxy appended what it saw.
    const spoofed = { 'X-Forwarded-For': '127.0.0.1, 203.0.113.9', 'X-Forwarded-Host': 'admin.internal, shop.example' };
    expect((await through({ xFor: 1, xHost: 1 }, spoofed)).seen).toMatchObject({
      REMOTE_ADDR: '203.0.113.9',
      HTTP_HOST: 'shop.example',
    });
    // Headers whose count is 0 are not trusted at all, however they look.
    const ignored = await through(
      { xFor: 0, xProto: 0 },
      {
        'X-Forwarded-For': '1.1.1.1',
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Host': 'evil.example',
        'X-Forwarded-Prefix': '/evil',
      },
    );
    expect(ignored.seen).toEqual(BEFORE);
    // Two proxies configured but the request passed one (the client went round the first): nothing is trusted.
    expect((await through({ xFor: 2 }, { 'X-Forwarded-For': '198.51.100.7' })).seen.REMOTE_ADDR).toBe('10.0.0.1');
  });

  it('keeps TSGI shapes where WSGI has none: the scheme is http or https, the prefix a SCRIPT_NAME', async () => {
    expect((await through({}, { 'X-Forwarded-Proto': 'HTTPS' })).seen['tsgi.url_scheme']).toBe('https');
    expect((await through({}, { 'X-Forwarded-Proto': 'gopher' })).seen['tsgi.url_scheme']).toBe('http');
    expect((await through({ xPrefix: 1 }, { 'X-Forwarded-Prefix': '/my%20app/' })).seen.SCRIPT_NAME).toBe('/my app');
    expect((await through({ xPrefix: 1 }, { 'X-Forwarded-Prefix': 'app' })).seen.SCRIPT_NAME).toBe('/app');
    expect((await through({ xPrefix: 1 }, { 'X-Forwarded-Prefix': '/' })).seen.SCRIPT_NAME).toBe('');
  });

  it('makes a Flagon App see the client: remote address, scheme, host and prefix in external URLs', async () => {
    const app = new App(import.meta.url, { name: 'behind-nginx' });
    app.get('/where', { endpoint: 'where' }, (req) => ({
      addr: req.remoteAddr,
      url: urlFor('where', {}, { external: true }),
    }));
    app.gatewayApp = proxyFix(app.gatewayApp, { xFor: 1, xProto: 1, xHost: 1, xPrefix: 1 });
    const response = await new TestClient(app).get('/where', {
      headers: {
        'X-Forwarded-For': '203.0.113.9',
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Host': 'shop.example',
        'X-Forwarded-Prefix': '/store',
      },
    });
    expect(response.json).toEqual({ addr: '203.0.113.9', url: 'https://shop.example/store/where' });
  });

  it('names the fix for a count that is not a whole number', () => {
    expect(() => proxyFix(show, { xFor: -1 })).toThrow(
      'proxyFix(): xFor is -1; it counts the proxies that set the header, a whole number from 0 (ignore it) up',
    );
    expect(() => proxyFix(show, { xHost: 1.5 })).toThrow(/xHost is 1.5/);
    expect(() => proxyFix({} as GatewayApp)).toThrow('pass app.gatewayApp for a Flagon App');
  });

  it('reads the headers only from trustedProxies: a client that reaches the server directly cannot choose its address', async () => {
    const forged = { 'X-Forwarded-For': '6.6.6.6', 'X-Forwarded-Proto': 'https' };
    const from = async (remoteAddr: string, trustedProxies: string[]): Promise<Record<string, string>> => {
      const environ = createEnviron('/', { host: 'internal:8080', remoteAddr, headers: forged });
      return (
        JSON.parse((await runApp(lint(proxyFix(show, { trustedProxies })), environ)).text) as {
          seen: Record<string, string>;
        }
      ).seen;
    };
    expect(await from('10.0.0.1', ['127.0.0.1', '::1'])).toEqual(BEFORE);
    expect(await from('127.0.0.1', ['127.0.0.1', '::1'])).toMatchObject({ REMOTE_ADDR: '6.6.6.6' });
    expect(await from('10.1.2.3', ['10.0.0.0/8'])).toMatchObject({
      REMOTE_ADDR: '6.6.6.6',
      'tsgi.url_scheme': 'https',
    });
    expect(await from('11.0.0.1', ['10.0.0.0/8'])).toMatchObject({
      REMOTE_ADDR: '11.0.0.1',
      'tsgi.url_scheme': 'http',
    });
    expect(await from('::ffff:127.0.0.1', ['127.0.0.1'])).toMatchObject({ REMOTE_ADDR: '6.6.6.6' });
    expect(await from('fd00::7', ['fd00::/8'])).toMatchObject({ REMOTE_ADDR: '6.6.6.6' });
    expect(await from('', ['127.0.0.1'])).toMatchObject({ REMOTE_ADDR: '6.6.6.6' }); // a UNIX socket's peer
    expect(await from('203.0.113.9', ['*'])).toMatchObject({ REMOTE_ADDR: '6.6.6.6' });
    expect(() => proxyFix(show, { trustedProxies: ['localhost'] })).toThrow(
      "proxyFix(): trustedProxies has 'localhost', not an IP address or network; give addresses ('127.0.0.1', '::1'), networks ('10.0.0.0/8') or '*' for any",
    );
    expect(() => proxyFix(show, { trustedProxies: ['10.0.0.0/33'] })).toThrow(/trustedProxies has '10.0.0.0\/33'/);
  });
});
